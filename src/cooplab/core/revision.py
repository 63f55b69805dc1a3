"""Stamps that move whenever some tables change, so that what a process keeps in memory (a
search index, a gazetteer, answers of the API) knows when it is out of date.

A domain names its stamps (small integers) and the tables that move each (`watch`). Stamps are
rows of one table, renewed in the same transaction as the write, so every process, on every
database, sees the change on commit. ORM flushes and bulk statements
(`session.execute(insert(...), rows)`) both move them.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from sqlalchemy import Engine, String, bindparam, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from cooplab.db.base import Base

T = TypeVar("T")


class RevisionStamp(Base):
    """One stamp: renewed by every write to the tables it watches."""

    __tablename__ = "registry_revision"  # the name it was given when the registry alone had stamps
    __audited__ = False
    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


#: table name -> the stamps a write to it moves
_WATCHED: dict[str, set[int]] = defaultdict(set)


def watch(stamp: int, tables: Iterable[str]) -> None:
    """Let writes to `tables` move `stamp`."""
    for table in tables:
        _WATCHED[table].add(int(stamp))


def bump(session: Session, *stamps: int) -> None:
    """Renew the given stamps in the session's transaction."""
    for which in stamps:
        value = uuid.uuid4().hex
        moved = session.execute(update(RevisionStamp).where(RevisionStamp.id == which).values(stamp=value))
        if moved.rowcount == 0:  # type: ignore[attr-defined]
            session.execute(insert(RevisionStamp).values(id=which, stamp=value))


_table = RevisionStamp.__table__
_CURRENT = select(_table.c.stamp).where(_table.c.id == bindparam("which"))
_EVERY = select(_table.c.id, _table.c.stamp)
_HELD = "cooplab.revision.stamps"


def current(session: Session, which: int) -> str:
    """The stamp as this session sees it (or as `held` read it); empty while it never moved.
    (Core, not ORM: every API read asks for it.)"""
    if (held_stamps := session.info.get(_HELD)) is not None:
        return held_stamps.get(int(which), "")
    return session.connection().scalar(_CURRENT, {"which": int(which)}) or ""


@contextmanager
def held(session: Session) -> Iterator[dict[int, str]]:
    """Read every stamp once, and let `current` answer from what was read until the block ends:
    a read that keys what it builds by a stamp (an answer, a list's order, an index) makes one
    trip to the database for them all. What is built is at least as new as the stamps held."""
    stamps = {int(i): value for i, value in session.connection().execute(_EVERY)}
    session.info[_HELD] = stamps
    try:
        yield stamps
    finally:
        del session.info[_HELD]


def _moved(tables: set[str]) -> tuple[int, ...]:
    return tuple(sorted({s for t in tables for s in _WATCHED.get(t, ())}))


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

    def __init__(
        self, stamp: int, build: Callable[[Session], T], update: Callable[[Session, T], T] | None = None
    ) -> None:
        """`update`, when given, brings a value kept for an older stamp up to date (instead of
        building it again)."""
        self.stamp = stamp
        self.build = build
        self.update = update
        self._values: dict[str, tuple[str, T]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session) -> T:
        """The value for the session's database, rebuilt if its stamp moved."""
        bind = session.get_bind()
        url = str(bind.url if isinstance(bind, Engine) else bind.engine.url)
        stamp = current(session, self.stamp)
        kept = self._values.get(url)
        if kept is not None and kept[0] == stamp and stamp:
            return kept[1]
        with self._lock:
            kept = self._values.get(url)
            if kept is None or kept[0] != stamp or not stamp:
                if kept is not None and self.update is not None:
                    kept = (stamp, self.update(session, kept[1]))
                else:
                    kept = (stamp, self.build(session))
                if stamp:
                    self._values[url] = kept
        return kept[1]


class PerKey(Generic[T]):
    """Values built from a database, one per key (a vehicle's bill as one kind of reader sees it),
    each kept while `stamp` stays the same; the `size` most recently used are kept."""

    def __init__(self, stamp: int, size: int = 16) -> None:
        self.stamp = stamp
        self.size = size
        self._values: OrderedDict[tuple[str, Hashable], tuple[str, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept for `key` in the session's database, or `build()` when the stamp moved
        (or never did)."""
        bind = session.get_bind()
        place = (str(bind.url if isinstance(bind, Engine) else bind.engine.url), key)
        stamp = current(session, self.stamp)
        with self._lock:
            kept = self._values.get(place)
            if kept is not None and kept[0] == stamp and stamp:
                self._values.move_to_end(place)
                return kept[1]
        value = build()
        if stamp:
            with self._lock:
                self._values[place] = (stamp, value)
                self._values.move_to_end(place)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
