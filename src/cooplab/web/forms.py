"""Edit forms: form input to the services' schemas, and their errors back next to the fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from cooplab.errors import CooplabError, StaleVersionError
from cooplab.web.render import translate

Loc = tuple[str, ...]

# Messages of the vocabulary and the services, as catalog keys (the English text is the fallback).
_MESSAGE_KEYS = {
    "INN must contain digits only": "err.inn_digits",
    "INN check digit does not match": "err.inn_check",
    "INN check digits do not match": "err.inn_check",
    "INN must have 10 or 12 digits": "err.inn_length",
    "OGRN must contain digits only": "err.ogrn_digits",
    "OGRN must have 13 digits (OGRNIP: 15)": "err.ogrn_length",
    "OGRN check digit does not match": "err.ogrn_check",
    "STIR must have exactly 9 digits": "err.stir_length",
    "must not be empty": "err.required",
    "tier applies to suppliers only": "err.tier_supplier",
    "end is before start": "err.end_before_start",
    "merged": "err.org_missing",
    "not an e-mail address": "err.email",
    "already registered": "err.email_taken",
    "no such organization": "err.org_missing",
    "required for members": "err.member_organization",
}
_MESSAGE_PATTERNS = (
    (re.compile(r"is not an ISO 3166 alpha-2 country code"), "err.country"),
    (re.compile(r"^place \d+ does not exist"), "err.place_missing"),
    (re.compile(r"^organization \d+ does not exist"), "err.org_missing"),
    (re.compile(r"^held by organization (?P<id>\d+)"), "err.identifier_taken"),
    (re.compile(r"already belongs to organization (?P<id>\d+)"), "err.identifier_taken"),
)
# pydantic error types, as catalog keys
_TYPE_KEYS = {
    "missing": "err.required",
    "string_too_short": "err.required",
    "string_too_long": "err.too_long",
    "string_type": "err.required",
    "int_parsing": "err.integer",
    "int_type": "err.integer",
    "float_parsing": "err.number",
    "greater_than_equal": "err.too_small",
    "greater_than": "err.too_small",
    "less_than_equal": "err.too_large",
    "enum": "err.choice",
    "literal_error": "err.choice",
    "date_parsing": "err.date",
    "date_from_datetime_parsing": "err.date",
    "date_type": "err.date",
    "bool_parsing": "err.choice",
    "too_short": "err.list_too_short",
    "extra_forbidden": "err.unknown_field",
}


def translate_message(lang: str, msg: str, err_type: str | None = None,
                      ctx: dict[str, Any] | None = None) -> str:
    """A validation or service message in the reader's words; unknown ones stay as they are."""
    text = msg.removeprefix("Value error, ").strip()
    if text in _MESSAGE_KEYS:
        return translate(lang, _MESSAGE_KEYS[text])
    for pattern, key in _MESSAGE_PATTERNS:
        found = pattern.search(text)
        if found:
            return translate(lang, key, **found.groupdict())
    if err_type == "string_too_short" and (ctx or {}).get("min_length", 1) > 1:
        return translate(lang, "err.too_short", min=ctx["min_length"])  # type: ignore[index]
    if err_type in _TYPE_KEYS:
        ctx = ctx or {}
        return translate(lang, _TYPE_KEYS[err_type], max=ctx.get("max_length", ctx.get("le", "")),
                         min=ctx.get("min_length", ctx.get("ge", ctx.get("gt", ""))))
    return text


@dataclass
class FormErrors:
    """Messages per form field, and those that belong to the whole form."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    stale: bool = False

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


def validation_errors(exc: ValidationError, lang: str, field_of: Callable[[Loc, str], str | None]) -> FormErrors:
    """pydantic errors, each next to its field."""
    errors = FormErrors()
    for err in exc.errors():
        message = translate_message(lang, err["msg"], err["type"], err.get("ctx"))
        errors.add(field_of(_loc(err["loc"]), err["msg"]), message)
    return errors


def service_errors(exc: CooplabError, lang: str, field_of: Callable[[Loc, str], str | None]) -> FormErrors:
    """An error of the services: details next to their fields, the rest on top of the form."""
    errors = FormErrors(stale=isinstance(exc, StaleVersionError))
    if errors.stale:
        return errors
    for detail in exc.details:
        name = field_of(_loc(detail.get("loc", [])), str(detail.get("msg", "")))
        errors.add(name, translate_message(lang, str(detail.get("msg", ""))))
    if not exc.details:
        errors.add(None, translate_message(lang, exc.message))
    return errors


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
