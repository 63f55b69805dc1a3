"""Pooled PostgreSQL connections: one the server dropped while it rested is replaced unseen."""

import pytest
from sqlalchemy import create_engine, exc, text

from cooplab.db import session as db_session
from tests.conftest import TEST_URL

pytestmark = pytest.mark.skipif(not TEST_URL.startswith("postgresql"), reason="a server connection pool")


def _drop_pooled_connection(engine) -> None:
    """Take a connection from the pool, note its server process, give it back, end that process."""
    with engine.connect() as conn:
        pid = conn.scalar(text("select pg_backend_pid()"))
    admin = create_engine(TEST_URL)
    with admin.begin() as conn:
        assert conn.scalar(text("select pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


@pytest.mark.parametrize("rested", [True, False])
def test_a_connection_dropped_while_resting_is_replaced(database_url, monkeypatch, rested):
    engine = db_session.make_engine.__wrapped__(database_url)  # an engine (and pool) of its own
    try:
        engine.dispose()
        _drop_pooled_connection(engine)
        # rested: it sat in the pool longer than the ping threshold; else it was just used
        monkeypatch.setattr(db_session, "PING_AFTER_REST_SECONDS", 0.0 if rested else 3600.0)
        with engine.connect() as conn:
            if rested:
                assert conn.scalar(text("select 1")) == 1
            else:  # not pinged: the dead connection fails once and the pool is discarded ...
                with pytest.raises(exc.DBAPIError) as failed:
                    conn.scalar(text("select 1"))
                assert failed.value.connection_invalidated
        with engine.connect() as conn:  # ... so the next use has a fresh one
            assert conn.scalar(text("select 1")) == 1
    finally:
        engine.dispose()
