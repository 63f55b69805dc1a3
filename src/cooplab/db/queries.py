"""Query helpers every domain's service uses: a page of rows with the total, version checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func
from sqlalchemy.orm import Session

from cooplab.errors import StaleVersionError


def page(session: Session, stmt: Select[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    """The rows of `stmt` from `offset` (at most `limit`), and how many rows match in all."""
    count = session.scalar(stmt.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)) or 0
    return list(session.scalars(stmt.offset(offset).limit(limit))), count


def check_version(record: Any, version: int) -> None:
    """Refuse an edit based on an older version of the record (optimistic locking)."""
    if record.version != version:
        raise StaleVersionError(
            f"the record is at version {record.version}, the edit was based on version {version}; "
            "reload it and edit again",
            details=[{"loc": ["version"], "msg": f"current version is {record.version}"}],
        )
