"""A request's database session ends without an error even when its connection dropped: the
client has its answer, and the next request gets a working connection."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from sqlalchemy import text

from cooplab.core.http import get_session


def test_a_dropped_connection_does_not_fail_the_end_of_a_request(engine):
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(engine=engine)))

    async def one_request() -> None:
        sessions = get_session(request)  # type: ignore[arg-type]
        session = await sessions.__anext__()
        session.execute(text("SELECT 1"))  # a transaction on a pooled connection
        session.connection().connection.dbapi_connection.close()  # the connection is gone
        await sessions.aclose()  # FastAPI closes the dependency after the answer started

    asyncio.run(one_request())
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT 2")) == 2
