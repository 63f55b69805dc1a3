"""Pooled PostgreSQL connections: one the server dropped while it rested is replaced unseen; a
request on one dropped while in use answers 503, and the next request works."""

import pytest
from sqlalchemy import create_engine, exc, text

from cooplab.db import session as db_session
from tests.conftest import TEST_URL

pytestmark = pytest.mark.skipif(not TEST_URL.startswith("postgresql"), reason="a server connection pool")


def _drop_pooled_connections(engine) -> None:
    """Take every connection resting in the pool at once, note their server processes, give them
    back, end those processes."""
    taken = [engine.connect() for _ in range(max(engine.pool.checkedin(), 1))]
    pids = [conn.scalar(text("select pg_backend_pid()")) for conn in taken]
    for conn in taken:
        conn.close()
    admin = create_engine(TEST_URL)
    with admin.begin() as conn:
        for pid in pids:
            assert conn.scalar(text("select pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


@pytest.mark.parametrize("rested", [True, False])
def test_a_connection_dropped_while_resting_is_replaced(database_url, monkeypatch, rested):
    engine = db_session.make_engine.__wrapped__(database_url)  # an engine (and pool) of its own
    try:
        engine.dispose()
        _drop_pooled_connections(engine)
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


def test_a_request_on_a_lost_connection_answers_503_then_the_next_works(anonymous, app, monkeypatch):
    engine = app.state.engine
    monkeypatch.setattr(db_session, "PING_AFTER_REST_SECONDS", 3600.0)  # as if in steady use
    engine.dispose()
    assert anonymous.get("/api/v1/organizations").status_code == 200
    _drop_pooled_connections(engine)
    lost = anonymous.get("/api/v1/organizations")
    assert lost.status_code == 503 and lost.headers["retry-after"] == "1"
    assert lost.json()["error"]["code"] == "unavailable"
    assert "database" in lost.json()["error"]["message"]
    assert anonymous.get("/api/v1/organizations").status_code == 200
    _drop_pooled_connections(engine)
    page = anonymous.get("/organizations", headers={"Accept": "text/html"})
    assert (
        page.status_code == 503
        and "База данных не отвечает" in page.text
        and "did not answer" not in page.text
    )
    assert anonymous.get("/organizations", headers={"Accept": "text/html"}).status_code == 200
