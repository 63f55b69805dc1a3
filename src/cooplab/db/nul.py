"""No statement writes or looks up a text holding a NUL character (U+0000) that came in a web
form: no column takes one (PostgreSQL cannot store it). A form's fields are checked by the input
schemas, which show the refusal next to the field; this is the guard behind them, for a value a
page reads without a schema. It is set on the request's own connection, and only when its form
holds a NUL, so no other statement pays for it."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from cooplab.errors import InvalidInputError, field_error


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _refuse_nul(
    field: str, _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    if _holds_nul(parameters):
        raise InvalidInputError(
            f"{field}: text must not contain a NUL character (U+0000)",
            details=[field_error([field], "contains a NUL character", "nul_character")],
            reason="nul_character",
            field=field,
        )


def refuse_nul_statements(session: Session, field: str) -> None:
    """From now on in this session's transaction, refuse every statement whose values hold a NUL
    (`field` is the form's field it came in)."""
    event.listen(session.connection(), "before_cursor_execute", partial(_refuse_nul, field))
