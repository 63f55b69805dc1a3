"""The texts of feasibility in Russian, English and Uzbek, from the gettext catalogs in `i18n/`: a
key (`component.duty`, `reason.<code>`, `err.<code>`) gives a text with `{param}` slots."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import Any

I18N = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("en", "ru", "uz")


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every msgid -> msgstr of a language's catalog (the header under the empty msgid)."""
    entries: dict[str, str] = {}
    key: str | None = None
    target = ""
    for raw in (I18N / f"{lang}.po").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            key, target = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgstr ") and key is not None:
            entries[key], target = ast.literal_eval(line[7:]), "str"
        elif line.startswith('"') and key is not None:
            if target == "str":
                entries[key] += ast.literal_eval(line)
            else:
                key += ast.literal_eval(line)
    return entries


def text(key: str, lang: str = "en", **params: Any) -> str:
    """The text of `key` in `lang` with its parameters filled in; English, then the key itself,
    when a catalog lacks it."""
    template = catalog(lang).get(key) or catalog("en").get(key) or key
    try:
        return template.format(**params)
    except (KeyError, ValueError, IndexError):
        return template


#: The prefixes of the keys composed at run time from the code of a component, basis, tornado
#: driver, indicator, reason or refusal (tests/feasibility/test_i18n.py checks them against the code).
COMPOSED = ("component.", "basis.", "driver.", "indicator.", "reason.", "err.")


def composed_keys() -> set[str]:
    """The catalog's keys that the code composes from its codes."""
    return {key for key in catalog("en") if key.startswith(COMPOSED)}
