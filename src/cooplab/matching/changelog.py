"""The capability change log: one row for each capability or supplier written, in the same
transaction as the write, so that the kept capability table (`matching.stored`) is brought up to
date by reading the rows named since its position instead of a fingerprint of every row.

What the kept table is built from: a capability's own columns (its codes, processes, materials,
capacity, certificates, sites, descriptions, supplier and visibility) and its supplier's tier,
country and merge. So an entry names either a capability (written, added or deleted: read it
again by id) or an organization (its tier, country or merge changed, or it was deleted: read all
its capabilities again). An entry naming neither says "anything may have changed": a bulk insert
of capabilities, or a bulk update the log cannot resolve to rows; the reader then falls back to
the fingerprint update.

ORM flushes are logged after the flush (new rows have their ids by then); bulk statements
(`session.execute(update(...))`) before they run, by the ids their WHERE clause selects. Both
come after the `CAPABILITIES` stamp is renewed in the same transaction (`cooplab.core.revision`
registers its hooks first), and that row's lock is held to the commit: on PostgreSQL the log's
ids are then handed out in the order the writers commit, so a reader that saw entry n has seen
every entry below it. Writes that bypass the session (raw SQL on a connection, a restore) move
neither the stamp nor the log. The log is never pruned by cooplab; if entries are deleted (or
the database restored), a reader whose position is no longer in the log falls back as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, event, func, insert, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.orm.attributes import get_history

from cooplab.db.base import Base

#: The tables the kept capability table is built from, and the organization fields it reads.
CAPABILITIES = "capabilities"
ORGANIZATIONS = "organizations"
SUPPLIER_FIELDS = ("tier", "country", "merged_into_id")


class CapabilityChange(Base):
    """One write the kept capability table depends on: a capability, or an organization whose
    capabilities are to be read again; neither: anything may have changed."""

    __tablename__ = "capability_changes"
    __audited__ = False
    id: Mapped[int] = mapped_column(primary_key=True)
    capability_id: Mapped[int | None] = mapped_column(Integer)
    organization_id: Mapped[int | None] = mapped_column(Integer)


_log = CapabilityChange.__table__


@dataclass(frozen=True)
class Changes:
    """The entries after a position: the capabilities and organizations they name, and the
    position to keep next. `complete` is False when the log cannot say what changed (an
    entry naming neither, or the position no longer in the log)."""

    capabilities: frozenset[int]
    organizations: frozenset[int]
    position: int
    complete: bool
    entries: int


def position(session: Session) -> int:
    """The log's latest entry (0: empty): what a table built now has seen at least."""
    return session.execute(select(func.coalesce(func.max(_log.c.id), 0))).scalar_one()


def changes_since(session: Session, after: int) -> Changes:
    """What the log names after entry `after` (the position of a kept table)."""
    if after and session.execute(select(_log.c.id).where(_log.c.id == after)).first() is None:
        return Changes(frozenset(), frozenset(), position(session), complete=False, entries=0)
    capabilities: set[int] = set()
    organizations: set[int] = set()
    last, complete, entries = after, True, 0
    rows = session.execute(
        select(_log.c.id, _log.c.capability_id, _log.c.organization_id)
        .where(_log.c.id > after)
        .order_by(_log.c.id)
    )
    for id_, capability, organization in rows:
        last, entries = id_, entries + 1
        if capability is not None:
            capabilities.add(capability)
        elif organization is not None:
            organizations.add(organization)
        else:
            complete = False
    return Changes(frozenset(capabilities), frozenset(organizations), last, complete, entries)


def _write(session: Session, capabilities: Iterable[int] = (), organizations: Iterable[int] = ()) -> None:
    rows: list[dict[str, Any]] = [
        {"capability_id": c, "organization_id": None} for c in sorted(set(capabilities))
    ]
    rows += [{"capability_id": None, "organization_id": o} for o in sorted(set(organizations))]
    if rows:
        session.execute(insert(CapabilityChange), rows)


def _anything(session: Session) -> None:
    session.execute(insert(CapabilityChange), [{"capability_id": None, "organization_id": None}])


def _table_name(obj: object) -> str | None:
    table = getattr(type(obj), "__table__", None)
    return None if table is None else table.name


@event.listens_for(Session, "after_flush")
def _on_flush(session: Session, _context: object) -> None:
    capabilities: set[int] = set()
    organizations: set[int] = set()
    for obj in (*session.new, *session.deleted):
        name = _table_name(obj)
        if name == CAPABILITIES:
            capabilities.add(obj.id)
        elif name == ORGANIZATIONS and obj in session.deleted:
            organizations.add(obj.id)
    for obj in session.dirty:
        name = _table_name(obj)
        if name == CAPABILITIES and session.is_modified(obj, include_collections=False):
            capabilities.add(obj.id)
        elif name == ORGANIZATIONS and any(get_history(obj, f).has_changes() for f in SUPPLIER_FIELDS):
            organizations.add(obj.id)
    _write(session, capabilities, organizations)


def _set_columns(state: ORMExecuteState) -> set[str] | None:
    """The columns a bulk UPDATE sets (None: not known)."""
    values = getattr(state.statement, "_values", None)
    names: set[str] = set()
    for key in values or ():
        names.add(getattr(key, "key", None) or getattr(key, "name", None) or str(key))
    params = state.parameters
    for row in params if isinstance(params, list) else [params] if params else []:
        names.update(str(k) for k in row)
    return names or None


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name not in (CAPABILITIES, ORGANIZATIONS) or table is None:
        return
    if state.is_insert:
        if name == CAPABILITIES:
            _anything(state.session)  # the new ids are not known yet
        return  # a new organization has no capabilities
    if name == ORGANIZATIONS and state.is_update:
        columns = _set_columns(state)
        if columns is not None and not columns & set(SUPPLIER_FIELDS):
            return  # its name, version, time of change...: nothing the table reads
    where = getattr(state.statement, "whereclause", None)
    if where is None or isinstance(state.parameters, list):
        _anything(state.session)  # every row, or one statement per row of parameters
        return
    ids = list(state.session.scalars(select(table.c.id).where(where), state.parameters or {}))
    if name == CAPABILITIES:
        _write(state.session, capabilities=ids)
    else:
        _write(state.session, organizations=ids)
