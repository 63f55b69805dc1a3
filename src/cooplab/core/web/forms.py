"""Edit forms: form input to the services' schemas, and their errors back next to the fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cooplab.core.web.render import error_detail, message
from cooplab.errors import ConflictError, CooplabError, InvalidInputError, StaleVersionError, error_code

Loc = tuple[str, ...]


@dataclass
class FormErrors:
    """Messages per form field, and those that belong to the whole form."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    stale: bool = False
    status: int = 422  # of the page that shows them: 409 for a conflict or an edit of an old version

    def add(self, name: str | None, message: str) -> None:
        """Record a message for a field (None: for the whole form)."""
        if name is None:
            if message not in self.general:
                self.general.append(message)
        elif message not in self.fields.setdefault(name, []):
            self.fields[name].append(message)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general or self.stale)

    def get(self, name: str) -> list[str]:
        """The messages of one field."""
        return self.fields.get(name, [])


def _loc(parts: Iterable[Any]) -> Loc:
    """A location as strings; "positions.0.title" given as one string is split too."""
    out: list[str] = []
    for part in parts:
        out.extend(str(part).split("."))
    return tuple(out)


def validation_errors(
    exc: ValidationError, lang: str, field_of: Callable[[Loc, str], str | None]
) -> FormErrors:
    """pydantic errors, each next to its field, in the reader's words."""
    errors = FormErrors()
    for err in exc.errors():
        code, params = error_code(err)
        errors.add(field_of(_loc(err["loc"]), err["msg"]), message(lang, code, params, err["msg"]))
    return errors


def error_message(lang: str, exc: CooplabError, detail: dict[str, Any] | None = None) -> str:
    """An error of the services in the reader's words: by the code of one of its details (the
    first by default), else by its reason, else its English message."""
    if detail is None and exc.details:
        detail = exc.details[0]
    if detail and detail.get("code"):
        text = message(lang, detail["code"], detail.get("params"))
        if text:
            return text
    return error_detail(lang, exc) or exc.message


def service_errors(exc: CooplabError, lang: str, field_of: Callable[[Loc, str], str | None]) -> FormErrors:
    """An error of the services: details next to their fields, the rest on top of the form."""
    errors = FormErrors(stale=isinstance(exc, StaleVersionError), status=exc.status)
    if errors.stale:
        return errors
    for detail in exc.details:
        msg = str(detail.get("msg", ""))
        errors.add(
            field_of(_loc(detail.get("loc", [])), msg),
            message(lang, detail.get("code"), detail.get("params"), msg),
        )
    if not exc.details:
        errors.add(None, error_detail(lang, exc) or exc.message)
    return errors


T = TypeVar("T")


def save_form(
    session: Session, lang: str, write: Callable[[], T], field_of: Callable[[Loc, str], str | None]
) -> T | FormErrors:
    """Run a form's write and commit it: its result; or, the write rolled back, its errors by
    field in the reader's words (their `status` is the page's)."""
    try:
        result = write()
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return validation_errors(exc, lang, field_of)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        return service_errors(exc, lang, field_of)
    return result


# ---------------------------------------------------------------- reading forms


def blank_to_none(value: Any) -> Any:
    """Empty form fields mean "no value"."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def form_rows(form: FormData, prefix: str, fields: Sequence[str]) -> list[dict[str, str]]:
    """Repeated rows named prefix-<i>-<field>, in order of i, as dicts of stripped strings."""
    indexes: set[int] = set()
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
    for key in form.keys():
        found = pattern.match(key)
        if found:
            indexes.add(int(found.group(1)))
    rows = []
    for index in sorted(indexes)[:200]:
        rows.append({name: str(form.get(f"{prefix}-{index}-{name}", "") or "").strip() for name in fields})
    return rows


def split_values(text: str) -> list[str]:
    """Several values typed in one field, separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


@dataclass
class Problem:
    """One bad row and field of an uploaded file (row and column empty for the whole file), and
    the sheet it is on when the file has several."""

    row: int | None
    column: str | None
    text: str
    sheet: str | None = None


def problems_of(exc: InvalidInputError, lang: str) -> list[Problem]:
    """Every problem of a refused file, in the reader's words."""
    found = []
    for detail in exc.details:
        loc = list(detail.get("loc", []))
        row = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        column = str(loc[2]) if len(loc) > 2 else None
        text = message(lang, detail.get("code"), detail.get("params"), str(detail.get("msg", "")))
        sheet = str(loc[0]) if len(loc) > 2 else None
        found.append(Problem(row, column, text or error_message(lang, exc, detail), sheet))
    return found or [Problem(None, None, error_message(lang, exc))]
