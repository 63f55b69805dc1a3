"""A token's use is recorded in a short transaction of its own: the admin sees it, and a read is
never held up by another transaction on the token's row."""

import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import text

from cooplab.accounts import service as accounts
from cooplab.accounts.models import ApiToken
from cooplab.core.actor import SYSTEM
from tests.factories import make_token, make_user


def _used(session, token_id):
    """The token's last use, as the admin reads it (`cooplab token list`, the account pages)."""
    session.rollback()
    return next(
        t for t in accounts.list_tokens(session=session, actor=SYSTEM) if t.id == token_id
    ).last_used_at


def test_a_read_with_a_token_shows_its_use_to_the_admin(app, session):
    raw = make_token(session, make_user(session, "viewer"), scope="read")
    session.commit()
    token_id = session.query(ApiToken.id).order_by(ApiToken.id.desc()).limit(1).scalar()
    assert _used(session, token_id) is None
    with TestClient(app, headers={"Authorization": f"Bearer {raw}"}) as reader:
        assert reader.get("/api/v1/organizations").status_code == 200
    assert _used(session, token_id) is not None


def test_a_read_is_not_held_up_by_a_transaction_holding_the_token(app, session, engine):
    raw = make_token(session, make_user(session, "viewer"), scope="read")
    session.commit()
    token_id = session.query(ApiToken.id).order_by(ApiToken.id.desc()).limit(1).scalar()
    answers: list[int] = []

    def read():
        with TestClient(app, headers={"Authorization": f"Bearer {raw}"}) as reader:
            answers.append(reader.get("/api/v1/organizations").status_code)

    with engine.connect() as holder:
        holder.begin()
        # the token's row (and on SQLite the write lock) held, as a long import with it would
        holder.execute(text("UPDATE api_tokens SET name = name WHERE id = :id"), {"id": token_id})
        started = time.monotonic()
        reading = threading.Thread(target=read)
        reading.start()
        reading.join(timeout=10)
        waited = time.monotonic() - started
        holder.rollback()
    reading.join()
    assert answers == [200]
    assert waited < 5, f"the read waited {waited:.1f}s for the token's row"
    # the use skipped while the row was held is recorded by the next read
    read()
    assert _used(session, token_id) is not None
