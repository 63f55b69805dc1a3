"""Stamps that move whenever the registry changes, so that what a process keeps in memory
(the search index, the ingest gazetteer, answers of the API) knows when it is out of date.

`Stamp.NAMES` moves with every write to a named record or to a name; `Stamp.RECORDS` with
every write to any registry table. Both are rows of `registry_revision`, renewed in the same
transaction as the write, so every process, on every database, sees the change on commit.
ORM flushes and bulk statements (`session.execute(insert(...), rows)`) both move them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum
from typing import Generic, TypeVar

from sqlalchemy import Engine, bindparam, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session

from cooplab.db.base import Base
from cooplab.registry.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Place,
    PlaceName,
    RegistryRevision,
)

T = TypeVar("T")


class Stamp(IntEnum):
    NAMES = 1
    RECORDS = 2


_NAMED = {m.__table__.name for m in (Organization, OrganizationName, Person, PersonName, Place, PlaceName)}
_REGISTRY = {
    mapper.local_table.name
    for mapper in Base.registry.mappers
    if mapper.class_.__module__ == "cooplab.registry.models" and mapper.class_ is not RegistryRevision
}


def bump(session: Session, *stamps: Stamp) -> None:
    """Renew the given stamps (all of them by default) in the session's transaction."""
    for which in stamps or tuple(Stamp):
        value = uuid.uuid4().hex
        moved = session.execute(update(RegistryRevision).where(RegistryRevision.id == which).values(stamp=value))
        if moved.rowcount == 0:  # type: ignore[attr-defined]
            session.execute(insert(RegistryRevision).values(id=which, stamp=value))


_table = RegistryRevision.__table__
_CURRENT = select(_table.c.stamp).where(_table.c.id == bindparam("which"))
_EVERY = select(_table.c.id, _table.c.stamp)
_HELD = "cooplab.registry.stamps"


def current(session: Session, which: Stamp) -> str:
    """The stamp as this session sees it (or as `held` read it); empty while the registry was
    never written. (Core, not ORM: every API read asks for it.)"""
    if (held := session.info.get(_HELD)) is not None:
        return held.get(which, "")
    return session.connection().scalar(_CURRENT, {"which": int(which)}) or ""


@contextmanager
def held(session: Session) -> Iterator[dict[Stamp, str]]:
    """Read every stamp once, and let `current` answer from what was read until the block ends:
    a read that keys what it builds by a stamp (an answer, a list's order, the search index) makes one
    trip to the database for them all. What is built is at least as new as the stamps held."""
    stamps = {Stamp(i): value for i, value in session.connection().execute(_EVERY)}
    session.info[_HELD] = stamps
    try:
        yield stamps
    finally:
        del session.info[_HELD]


def _moved(tables: set[str]) -> tuple[Stamp, ...]:
    if not tables & _REGISTRY:
        return ()
    return (Stamp.NAMES, Stamp.RECORDS) if tables & _NAMED else (Stamp.RECORDS,)


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: object, _instances: object) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    tables = {t.name for obj in changed if (t := getattr(type(obj), "__table__", None)) is not None}
    if stamps := _moved(tables):
        bump(session, *stamps)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and (stamps := _moved({table.name})):
            bump(state.session, *stamps)


class PerDatabase(Generic[T]):
    """A value built from a database (an index, a gazetteer), kept per database while `stamp`
    stays the same and rebuilt, once, when it moves."""

    def __init__(self, stamp: Stamp, build: Callable[[Session], T]) -> None:
        self.stamp = stamp
        self.build = build
        self._values: dict[str, tuple[str, T]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        bind = session.get_bind()
        url = str(bind.url if isinstance(bind, Engine) else bind.engine.url)
        stamp = current(session, self.stamp)
        kept = self._values.get(url)
        if kept is not None and kept[0] == stamp and stamp:
            return kept[1]
        with self._lock:
            kept = self._values.get(url)
            if kept is None or kept[0] != stamp or not stamp:
                kept = (stamp, self.build(session))
                if stamp:
                    self._values[url] = kept
        return kept[1]
