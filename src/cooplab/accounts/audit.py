"""The audit trail: every write through the ORM is recorded with who, when, what, before and
after; bulk operations (imports, merges) record one entry of their own with `record()`.

The acting user rides on the session: `use_actor(session, actor)`.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, insert, select
from sqlalchemy.orm import Session, object_session

from cooplab.accounts.models import ApiToken, AuditEntry, LoginFailure, User, WebSession
from cooplab.accounts.roles import SYSTEM, Actor
from cooplab.db.base import Base, utcnow

#: Columns never written to the audit log.
SECRET_COLUMNS = {"password_hash", "token_hash", "session_hash", "csrf_token"}
#: Bookkeeping tables whose writes are not audited.
UNAUDITED = {AuditEntry, LoginFailure, WebSession}
#: Bookkeeping columns: changes to these alone are not writes worth an entry.
_SKIP = {"created_at", "updated_at", "last_used_at", "last_login_at"}


def use_actor(session: Session, actor: Actor) -> None:
    """Attribute every write of this session to `actor`."""
    session.info["actor"] = actor


def actor_in(session: Session) -> Actor:
    return session.info.get("actor", SYSTEM)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: _plain(getattr(obj, c.key)) for c in mapper.column_attrs
            if c.key not in SECRET_COLUMNS and c.key not in _SKIP}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP or attr.key in SECRET_COLUMNS or attr.key == "version":
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


def _entry(session: Session, action: str, obj: Any, before: dict[str, Any] | None,
           after: dict[str, Any] | None) -> dict[str, Any]:
    actor = actor_in(session)
    return {"at": utcnow(), "user_id": actor.user_id, "actor": actor.label, "action": action,
            "entity_type": obj.__tablename__, "entity_id": getattr(obj, "id", None),
            "before": before, "after": after}


@event.listens_for(Session, "before_flush")
def _capture(session: Session, _context: Any, _instances: Any) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.dirty:
        if type(obj) in UNAUDITED or not hasattr(obj, "__tablename__") or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if before or after:
            pending.append(("update", obj, before, after))
    session.info["audit_new"] = [o for o in session.new if type(o) not in UNAUDITED and hasattr(o, "__tablename__")]


@event.listens_for(Session, "after_flush")
def _write(session: Session, _context: Any) -> None:
    rows = [_entry(session, action, obj, before, after)
            for action, obj, before, after in session.info.pop("audit_pending", [])]
    rows += [_entry(session, "create", obj, None, _row(obj)) for obj in session.info.pop("audit_new", [])]
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


@event.listens_for(Base, "before_delete", propagate=True)
def _deleted(_mapper: Any, connection: Any, target: Any) -> None:
    """Deletes, including rows dropped from a collection (delete-orphan), which never appear in
    `session.deleted` before the flush."""
    session = object_session(target)
    if session is None or type(target) in UNAUDITED:
        return
    connection.execute(insert(AuditEntry), [_entry(session, "delete", target, _row(target), None)])


def record(session: Session, *, action: str, entity_type: str, entity_id: int | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Record one entry for a write that does not go through the ORM (imports, merges)."""
    actor = actor_in(session)
    session.connection().execute(insert(AuditEntry), [{
        "at": utcnow(), "user_id": actor.user_id, "actor": actor.label, "action": action,
        "entity_type": entity_type, "entity_id": entity_id, "before": before, "after": after}])


def list_entries(*, session: Session, entity_type: str | None = None, entity_id: int | None = None,
                 actor: str | None = None, action: str | None = None, since: datetime | None = None,
                 offset: int = 0, limit: int = 100) -> tuple[list[AuditEntry], int]:
    """Audit entries, newest first, filtered."""
    from sqlalchemy import func

    stmt = select(AuditEntry)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)))
    return rows, count


def export_csv(entries: list[AuditEntry]) -> bytes:
    import json

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "entity_type", "entity_id", "before", "after"])
    for e in entries:
        writer.writerow([e.id, e.at.isoformat(), e.actor, e.action, e.entity_type, e.entity_id,
                         json.dumps(e.before, ensure_ascii=False) if e.before else "",
                         json.dumps(e.after, ensure_ascii=False) if e.after else ""])
    return out.getvalue().encode("utf-8-sig")


__all__ = ["ApiToken", "User", "actor_in", "export_csv", "list_entries", "record", "use_actor"]
