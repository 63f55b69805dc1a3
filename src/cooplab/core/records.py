"""Writing and reading records, the same way in every domain's service: flush with errors a
user can read, get or not found, apply a change made on a version, page a query."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cooplab.core import audit as _audit  # noqa: F401  (every session records its writes)
from cooplab.db.base import utcnow
from cooplab.errors import ConflictError, InvalidInputError, NotFoundError, StaleVersionError

M = TypeVar("M")

#: Constraint name fragment -> (message, reason) of the conflict it means, for `flush`.
Conflicts = Mapping[str, tuple[str, str]]


def flush(session: Session, conflicts: Conflicts | None = None) -> None:
    """Flush, turning database rule violations into errors a user can read: a stale version
    into StaleVersionError, a broken unique rule into ConflictError (named by `conflicts` when
    the violated constraint is one of them)."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersionError(
            "the record was changed by someone else in the meantime; reload it and edit again"
        ) from None
    except IntegrityError as exc:
        session.rollback()
        message = str(exc.orig)
        for fragment, (text, reason) in (conflicts or {}).items():
            if fragment in message:
                raise ConflictError(text, reason=reason) from None
        raise ConflictError("the change conflicts with existing records") from None


def get_or_404(session: Session, model: type[M], record_id: int, what: str) -> M:
    """The record of `model` with this id, or NotFoundError naming `what`."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError.record(what, record_id)
    return record


def check_version(record: Any, version: int) -> None:
    """Refuse an edit based on an older version of the record (optimistic locking)."""
    if record.version != version:
        raise StaleVersionError(
            f"the record is at version {record.version}, the edit was based on version {version}; "
            "reload it and edit again",
            details=[
                {
                    "loc": ["version"],
                    "msg": f"current version is {record.version}",
                    "code": "stale_version",
                    "params": {"version": record.version},
                }
            ],
        )


def apply_changes(record: Any, data: BaseModel, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Set the fields the change gives (not those left out of it) on `record`, after checking the
    version it was made on; enums are stored by value. Returns the fields set."""
    check_version(record, data.version)  # type: ignore[attr-defined]
    changes = data.model_dump(exclude_unset=True, exclude={"version", *exclude})
    for field, value in changes.items():
        setattr(record, field, value.value if isinstance(value, Enum) else value)
    record.updated_at = utcnow()
    return changes


def page(session: Session, stmt: Select[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    """The rows of `stmt` from `offset` (at most `limit`), and how many rows match in all."""
    count = (
        session.scalar(stmt.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)) or 0
    )
    return list(session.scalars(stmt.offset(offset).limit(limit))), count


def every(list_page: Callable[[int, int], Any], size: int = 500) -> list[Any]:
    """Every record of a paged list (`list_page(offset, limit)` answers a `ListPublic`), a page
    at a time: what an export of a list holds."""
    found: list[Any] = []
    while True:
        answer = list_page(len(found), size)
        found.extend(answer.data)
        if not answer.data or len(found) >= answer.count:
            return found


def what_of(table: str) -> str:
    """What one record of a table is called in messages: "organizations" -> "organization"."""
    return {"people": "person"}.get(table, table.removesuffix("s"))


def require_ids(session: Session, model: Any, ids: Sequence[int], *loc: str | int) -> None:
    """Refuse ids of `model` that do not exist, each named in the details at `loc`."""
    if not ids:
        return
    found = set(session.scalars(select(model.id).where(model.id.in_(list(ids)))))
    missing = [i for i in ids if i not in found]
    if missing:
        what = what_of(model.__tablename__)
        raise InvalidInputError(
            f"{what} {missing[0]} does not exist",
            details=[
                {
                    "loc": list(loc),
                    "msg": f"{what} {i} does not exist",
                    "code": "record_missing",
                    "params": {"what": what, "id": i},
                }
                for i in missing
            ],
        )
