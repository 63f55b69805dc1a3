"""The reasons of matching in the reader's language, from the gettext catalogs in `i18n/`."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from cooplab.core.calculators import Reason
from cooplab.core.formats import format_number, localize_digits

LANGUAGES = ("en", "ru", "uz")
_ENTRY = re.compile(r'^msgid (".*")\nmsgstr (".*")$', re.MULTILINE)


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr of a language's catalog (`i18n/<lang>.po`; single-line entries)."""
    text = resources.files("cooplab.matching").joinpath(f"i18n/{lang}.po").read_text("utf-8")
    return {ast.literal_eval(k): ast.literal_eval(v) for k, v in _ENTRY.findall(text) if ast.literal_eval(k)}


def placeholders(template: str) -> set[str]:
    """The parameter names a sentence uses ({name} or {name:.2f})."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class _NumberFormatter(Formatter):
    """Fills a sentence writing its numbers the reader's way: 900 000 and 0,85 in Russian and Uzbek,
    900,000 and 0.85 in English (a field's own spec, like `.2f`, still sets the places)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return super().format_field(value, format_spec)
        if not format_spec:
            return format_number(value, self.lang)
        return localize_digits(format(value, format_spec), self.lang)


def fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    """A reason's sentence with its parameters, numbers written as `lang` writes them."""
    return _NumberFormatter(lang).vformat(template, (), dict(params))


def reason_text(reason: Reason, lang: str) -> str:
    """The reason's sentence in `lang` (its English text when the catalog lacks it)."""
    if lang not in LANGUAGES:
        return reason.text
    template = catalog(lang).get(f"reason.{reason.code}")
    if template is None:
        return reason.text
    try:
        return fill(template, reason.params, lang)
    except (KeyError, ValueError, IndexError):
        return reason.text
