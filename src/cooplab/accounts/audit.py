"""The audit trail as people read it: entries filtered and paged, and exported to CSV (the
trail itself is written by cooplab.core.audit)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.schemas import AuditChangePublic, AuditEntryPublic
from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import AuditEntry
from cooplab.core.schemas import ListPublic
from cooplab.core.spreadsheets import write_csv


def _query(filters: AuditFilter) -> Select[Any]:
    stmt = select(AuditEntry)
    if filters.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == filters.entity_id)
    if filters.actor:
        stmt = stmt.where(AuditEntry.actor == filters.actor)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if (since := filters.since_moment()) is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    return stmt


def list_entries(
    *, session: Session, actor: Actor, filters: AuditFilter | None = None, offset: int = 0, limit: int = 100
) -> ListPublic[AuditEntryPublic]:
    """Audit entries, newest first, filtered (admins only)."""
    actor.require(Permission.ADMINISTER)
    stmt = _query(filters or AuditFilter())
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(AuditEntry.id.desc()).offset(offset).limit(limit))
    return ListPublic(data=[AuditEntryPublic.model_validate(r) for r in rows], count=count)


def list_changes(
    *, session: Session, actor: Actor, filters: AuditFilter | None = None, offset: int = 0, limit: int = 50
) -> ListPublic[AuditChangePublic]:
    """User actions, newest first, each with its writes that the filters keep (admins only); the
    count is of actions, not of writes."""
    actor.require(Permission.ADMINISTER)
    kept = _query(filters or AuditFilter()).subquery()
    changes = select(kept.c.change_id, func.max(kept.c.id).label("last")).group_by(kept.c.change_id)
    count = session.scalar(select(func.count()).select_from(changes.subquery())) or 0
    page = [
        row.change_id
        for row in session.execute(changes.order_by(func.max(kept.c.id).desc()).offset(offset).limit(limit))
    ]
    parts: dict[str, list[AuditEntryPublic]] = {change: [] for change in page}
    rows = session.scalars(
        _query(filters or AuditFilter()).where(AuditEntry.change_id.in_(page)).order_by(AuditEntry.id)
    )
    for row in rows:
        parts[row.change_id].append(AuditEntryPublic.model_validate(row))
    return ListPublic(
        data=[
            AuditChangePublic(change_id=change, at=entries[0].at, actor=entries[0].actor, entries=entries)
            for change, entries in parts.items()
            if entries
        ],
        count=count,
    )


def export_csv(
    *, session: Session, actor: Actor, filters: AuditFilter | None = None, limit: int = 100_000
) -> bytes:
    """The filtered entries as CSV (UTF-8 with BOM, newest first, at most `limit`), before and
    after as JSON (admins only)."""
    actor.require(Permission.ADMINISTER)
    entries = session.scalars(_query(filters or AuditFilter()).order_by(AuditEntry.id.desc()).limit(limit))
    rows: list[list[Any]] = [
        [
            "id",
            "at",
            "actor",
            "action",
            "entity_type",
            "entity_id",
            "before",
            "after",
            "change_id",
            "activity",
        ]
    ]
    for e in entries:
        rows.append(
            [
                e.id,
                e.at.isoformat(),
                e.actor,
                e.action,
                e.entity_type,
                e.entity_id,
                json.dumps(e.before, ensure_ascii=False) if e.before else "",
                json.dumps(e.after, ensure_ascii=False) if e.after else "",
                e.change_id,
                e.activity or "",
            ]
        )
    return write_csv(rows)
