"""What the audit-trail tests share: a snapshot of every table, the records a call changed, and
whether the audit log names each of them with the actor who changed it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, inspect, select, table
from sqlalchemy.sql import column

from cooplab.core.audit import BOOKKEEPING, AuditEntry
from cooplab.core.domain import domains
from cooplab.db.base import Base

Rows = dict[Any, dict[str, Any]]


def models() -> dict[str, type]:
    """Every mapped table by name, with its model class (the domains' models imported)."""
    for domain in domains():
        domain.module("models")
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def audited(model: type | None) -> bool:
    """Whether the trail must name the rows of this table (bookkeeping tables opt out)."""
    return model is not None and getattr(model, "__audited__", True)


def unremarkable(model: type) -> frozenset[str]:
    """Columns whose change alone is no write worth an entry (timestamps, the row version)."""
    return BOOKKEEPING | getattr(model, "__bookkeeping_columns__", frozenset()) | {"version"}


def snapshot(engine: Engine) -> dict[str, Rows]:
    """Every row of every table, by table and id, as the database holds it now."""
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    columns = {n: [c["name"] for c in inspect(engine).get_columns(n)] for n in names}
    out: dict[str, Rows] = {}
    with engine.connect() as conn:
        for name in names:
            t = table(name, *(column(c) for c in columns[name]))
            out[name] = {row["id"]: dict(row) for row in conn.execute(select(t)).mappings()}
    return out


@dataclass(frozen=True)
class Change:
    """One record a call created, updated or deleted."""

    table: str
    id: int
    kind: str  # create | update | delete
    columns: frozenset[str] = frozenset()

    def __str__(self) -> str:
        what = f" ({', '.join(sorted(self.columns))})" if self.kind == "update" else ""
        return f"{self.kind} {self.table} #{self.id}{what}"


def changes(before: dict[str, Rows], after: dict[str, Rows]) -> list[Change]:
    """The records that differ between two snapshots."""
    found: list[Change] = []
    for name in sorted(after):
        old, new = before.get(name, {}), after[name]
        found += [Change(name, i, "create") for i in sorted(new.keys() - old.keys())]
        found += [Change(name, i, "delete") for i in sorted(old.keys() - new.keys())]
        for i in sorted(old.keys() & new.keys()):
            moved = frozenset(c for c in new[i] if new[i][c] != old[i].get(c))
            if moved:
                found.append(Change(name, i, "update", moved))
    return found


@dataclass
class Verdict:
    """What one call wrote and which of its writes the audit log does not name."""

    written: list[Change] = field(default_factory=list)
    unaudited: list[Change] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)


def judge(found: list[Change], after: dict[str, Rows], actor: str) -> Verdict:
    """Split the changes of a call into the audited writes and those the trail misses: every
    changed record of an audited table needs an entry naming its table and id, by `actor`."""
    tables = models()
    log = AuditEntry.__tablename__
    entries = [after[log][c.id] for c in found if c.table == log and c.kind == "create"]
    named = {(e["entity_type"], e["entity_id"]) for e in entries if e["actor"] == actor}
    verdict = Verdict(entries=entries)
    for change in found:
        model = tables.get(change.table)
        if change.table == log or not audited(model):
            continue
        if change.kind == "update" and change.columns <= unremarkable(model):  # type: ignore[arg-type]
            continue
        verdict.written.append(change)
        if (change.table, change.id) not in named:
            verdict.unaudited.append(change)
    return verdict
