"""The reasons of matching in the reader's language, from the gettext catalogs in `i18n/`."""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib import resources
from string import Formatter

from cooplab.core.calculators import Reason

LANGUAGES = ("en", "ru")
_ENTRY = re.compile(r'^msgid (".*")\nmsgstr (".*")$', re.MULTILINE)


@cache
def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr of a language's catalog (`i18n/<lang>.po`; single-line entries)."""
    text = resources.files("cooplab.matching").joinpath(f"i18n/{lang}.po").read_text("utf-8")
    return {ast.literal_eval(k): ast.literal_eval(v) for k, v in _ENTRY.findall(text) if ast.literal_eval(k)}


def placeholders(template: str) -> set[str]:
    """The parameter names a sentence uses ({name} or {name:.2f})."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def reason_text(reason: Reason, lang: str) -> str:
    """The reason's sentence in `lang` (its English text when the catalog lacks it)."""
    if lang not in LANGUAGES:
        return reason.text
    template = catalog(lang).get(f"reason.{reason.code}")
    if template is None:
        return reason.text
    try:
        return template.format(**reason.params)
    except (KeyError, ValueError, IndexError):
        return reason.text
