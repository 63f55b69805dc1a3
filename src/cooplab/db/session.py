"""Engines, sessions and the SQL that differs by dialect; the only module that looks at the
SQL dialect."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import (
    Engine,
    Select,
    Text,
    cast,
    create_engine,
    event,
    func,
    literal_column,
    select,
)
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from cooplab.settings import get_settings


@lru_cache(maxsize=8)
def make_engine(url: str, echo: bool = False) -> Engine:
    """One engine per database URL, configured for its dialect."""
    kwargs: dict[str, Any] = {"echo": echo}
    if url.startswith("sqlite"):
        from sqlalchemy.pool import StaticPool

        kwargs["connect_args"] = {"check_same_thread": False, "timeout": get_settings().sqlite_busy_seconds}
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
        kwargs["pool_timeout"] = 5
    engine = create_engine(url, **kwargs)
    if is_sqlite(engine):
        settings = get_settings()
        pragmas = partial(
            _sqlite_pragmas, settings.sqlite_synchronous.upper(), round(settings.sqlite_busy_seconds * 1000)
        )
        event.listen(engine, "connect", pragmas)
        event.listen(engine, "first_connect", _sqlite_wal)
    else:
        event.listen(engine.pool, "checkin", _rested)
        event.listen(engine.pool, "checkout", partial(_ping_if_rested, engine.dialect))
    return engine


#: A pooled server connection that rested longer than this is pinged before it is used (one
#: round trip), so a restart of the server or a dropped idle connection costs no request. One in
#: steady use is not pinged: a connection that fails anyway discards the whole pool at once.
PING_AFTER_REST_SECONDS = 5.0


def _rested(_dbapi_connection: Any, record: Any) -> None:
    record.info["rested_since"] = time.monotonic()


def _ping_if_rested(dialect: Any, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    if time.monotonic() - record.info.get("rested_since", time.monotonic()) < PING_AFTER_REST_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        raise DisconnectionError(
            f"a pooled connection did not answer: {error}"
        ) from error  # the pool reconnects


def _sqlite_pragmas(synchronous: str, busy_ms: int, dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, the durability of COOPLAB_SQLITE_SYNCHRONOUS (docs/configuration.md), and
    COOPLAB_SQLITE_BUSY_SECONDS of waiting for a writer before giving up (the request is 503)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA synchronous={'FULL' if synchronous == 'FULL' else 'NORMAL'}")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
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
    return sessionmaker(bind=engine, expire_on_commit=False)


class json_rows(ColumnElement[str]):  # noqa: N801  (used like a SQL function)
    """The rows of a SELECT as one JSON array of objects keyed by column name, as a column of
    an outer SELECT: a record and all its lists come back from one statement, in one round trip
    to the server. Read the value with `rows_of`."""

    inherit_cache = True
    _traverse_internals = [("rows", InternalTraversal.dp_clauseelement)]
    type = Text()

    def __init__(self, rows: Select[Any]) -> None:
        self.rows = rows.subquery()


def _json_rows(element: json_rows, compiler: Any, aggregate: Any, pair: Any, empty: str, **kw: Any) -> str:
    pairs = [x for column in element.rows.c for x in (literal_column(f"'{column.key}'"), column)]
    array = func.coalesce(aggregate(pair(*pairs)), literal_column(empty))
    return compiler.process(select(array).select_from(element.rows).scalar_subquery(), **kw)


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element: json_rows, compiler: Any, **kw: Any) -> str:
    return _json_rows(
        element, compiler, lambda x: cast(func.json_agg(x), Text), func.json_build_object, "'[]'", **kw
    )


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element: json_rows, compiler: Any, **kw: Any) -> str:
    return _json_rows(element, compiler, func.json_group_array, func.json_object, "'[]'", **kw)


def rows_of(value: str) -> list[dict[str, Any]]:
    """The rows of a `json_rows` column; numbers with a fraction as Decimal, never float.
    Dates come as ISO text, booleans as true/false (PostgreSQL) or 1/0 (SQLite): give the rows
    to a pydantic model, which reads both."""
    return json.loads(value, parse_float=Decimal)
