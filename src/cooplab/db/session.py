"""Engines and sessions; the only module that looks at the SQL dialect."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


@lru_cache(maxsize=8)
def make_engine(url: str, echo: bool = False) -> Engine:
    """One engine per database URL, configured for its dialect."""
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if ":memory:" in url or url in {"sqlite://", "sqlite:///"}:
            kwargs["poolclass"] = StaticPool
        else:
            # at least as many connections as request threads (COOPLAB_SERVER_THREADS), so none waits;
            # reopening per request would cost a WAL checkpoint each time
            kwargs["pool_size"] = 40
            kwargs["max_overflow"] = 10
            kwargs["pool_timeout"] = 10
    else:
        kwargs["pool_size"] = 20
        kwargs["max_overflow"] = 20
        kwargs["pool_pre_ping"] = True
        kwargs["pool_timeout"] = 5
    engine = create_engine(url, **kwargs)
    if is_sqlite(engine):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "first_connect", _sqlite_wal)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead logging: readers do not wait for a writer. It stays set in the file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@lru_cache(maxsize=8)
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The session maker of an engine, made once: each sessionmaker is a new Session class,
    whose event listeners SQLAlchemy would set up again on every request."""
    from cooplab.db import models  # noqa: F401  (every table, and the audit hooks)

    return sessionmaker(bind=engine, expire_on_commit=False)
