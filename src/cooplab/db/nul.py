"""No statement writes or looks up a text holding a NUL character (U+0000) that came in a web
form: no column takes one (PostgreSQL cannot store it). A form's fields are checked by the input
schemas, which show the refusal next to the field; this is the guard behind them, for a value a
page reads without a schema."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from cooplab.errors import InvalidInputError, field_error

#: The first field of the request's form that holds a NUL, while the request is answered.
form_nul_field: ContextVar[str | None] = ContextVar("form_nul_field", default=None)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def refuse_nul(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _executemany: bool
) -> None:
    """Before each statement (`before_cursor_execute`): refuse one whose values hold a NUL that
    a form brought; costs nothing for a request whose form holds none."""
    field = form_nul_field.get()
    if field is not None and _holds_nul(parameters):
        raise InvalidInputError(
            f"{field}: text must not contain a NUL character (U+0000)",
            details=[field_error([field], "contains a NUL character", "nul_character")],
            reason="nul_character",
            field=field,
        )
