"""The audit trail: every write through a session is recorded with who, when, what, before and
after. ORM writes are caught by the session's hooks here; a write that bypasses the ORM (a bulk
statement) records its own entries with `record()`.

Every entry carries the change it belongs to (`change_id`): all writes of one transaction — one
user action, such as accepting a report with its events, agreements and steps — share it, so the
log can read as one line per action with its parts folded in. An action of many writes (an
import, a merge, the demo load) is named as a whole with `name_change(session, activity)`: the
log heads it with that name instead of its first write.

The acting user rides on the session: `use_actor(session, actor)`. A model can opt out of the
trail (`__audited__ = False`, for bookkeeping tables such as sign-in failures) and name columns
never written to it (`__secret_columns__`) or not worth an entry on their own
(`__bookkeeping_columns__`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from cooplab.core.actor import SYSTEM, Actor
from cooplab.db.base import Base, utcnow

#: Columns that changing alone is not a write worth an entry.
BOOKKEEPING = frozenset({"created_at", "updated_at"})


class AuditEntry(Base):
    """One write: who, when, what, and the record before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
        Index("ix_audit_log_change_id", "change_id"),
    )
    __audited__ = False
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(20), index=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: the user action (one transaction) this write was part of
    change_id: Mapped[str] = mapped_column(String(32))
    #: what that action was, when it was named (`name_change`): an `Activity`
    activity: Mapped[str | None] = mapped_column(String(40))


def use_actor(session: Session, actor: Actor) -> None:
    """Attribute every write of this session to `actor`."""
    session.info["actor"] = actor


def actor_in(session: Session) -> Actor:
    """Who the session's writes are attributed to (the system when nobody was named)."""
    return session.info.get("actor", SYSTEM)


def _audited(obj: Any) -> bool:
    return hasattr(obj, "__tablename__") and getattr(type(obj), "__audited__", True)


def _skipped(obj: Any) -> frozenset[str]:
    cls = type(obj)
    return (
        BOOKKEEPING
        | getattr(cls, "__bookkeeping_columns__", frozenset())
        | getattr(cls, "__secret_columns__", frozenset())
    )


def plain(value: Any) -> Any:
    """A column value as JSON can hold it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj: Any) -> dict[str, Any]:
    skipped = _skipped(obj)
    return {
        c.key: plain(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs if c.key not in skipped
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    skipped = _skipped(obj) | {"version"}
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        if attr.key in skipped:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = plain(history.added[0]) if history.added else None
    return before, after


def name_change(session: Session, activity: str) -> None:
    """Name what the session's current transaction does as a whole (an `Activity`)."""
    session.info["audit_activity"] = activity


def _change_id(session: Session) -> str:
    """The id of the change the session's current transaction makes (a new one per transaction)."""
    change: str = session.info.setdefault("audit_change", uuid4().hex)
    return change


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _change_done(session: Session) -> None:
    session.info.pop("audit_change", None)
    session.info.pop("audit_activity", None)


def _entry(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    actor = actor_in(session)
    return {
        "at": utcnow(),
        "user_id": actor.user_id,
        "actor": actor.label,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "change_id": _change_id(session),
        "activity": session.info.get("audit_activity"),
    }


@event.listens_for(Session, "before_flush")
def _capture(session: Session, _context: Any, _instances: Any) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj):
            continue
        before, after = _changes(obj)
        if before or after:
            pending.append(("update", obj, before, after))
    session.info["audit_new"] = [o for o in session.new if _audited(o)]


@event.listens_for(Session, "after_flush")
def _write(session: Session, _context: Any) -> None:
    rows = [
        _entry(session, action, obj.__tablename__, getattr(obj, "id", None), before, after)
        for action, obj, before, after in session.info.pop("audit_pending", [])
    ]
    rows += [
        _entry(session, "create", obj.__tablename__, getattr(obj, "id", None), None, _row(obj))
        for obj in session.info.pop("audit_new", [])
    ]
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


@event.listens_for(Base, "before_delete", propagate=True)
def _deleted(_mapper: Any, connection: Any, target: Any) -> None:
    """Deletes, including rows dropped from a collection (delete-orphan), which never appear in
    `session.deleted` before the flush."""
    session = object_session(target)
    if session is None or not _audited(target):
        return
    connection.execute(
        insert(AuditEntry),
        [_entry(session, "delete", target.__tablename__, getattr(target, "id", None), _row(target), None)],
    )


def record(
    session: Session,
    *,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Record one entry for a write that does not go through the ORM (a bulk statement)."""
    session.connection().execute(
        insert(AuditEntry), [_entry(session, action, entity_type, entity_id, before, after)]
    )


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Record entries {action, entity_type, entity_id, before, after} of bulk writes at once."""
    if entries:
        session.connection().execute(
            insert(AuditEntry),
            [
                _entry(
                    session,
                    e["action"],
                    e["entity_type"],
                    e.get("entity_id"),
                    e.get("before"),
                    e.get("after"),
                )
                for e in entries
            ],
        )
