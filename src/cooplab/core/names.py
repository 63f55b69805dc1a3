"""Which of a record's names a reader sees: one rule for the web, the CLI and reports.

A record (an organization, a person, a place) has a display name and names in several
languages and scripts. A reader of Russian reads Cyrillic and Latin; a reader of English or
Uzbek (Latin script) reads Latin only. A reader of English sees the record's English name
wherever it has one (official first; a transliteration is not one); otherwise the display name
when the reader can read it, else the record's official name in the reader's language, else any
current name in a script the reader reads (English ones first), else the display name
transliterated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import iuliia

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
#: Languages whose readers read Latin script only.
LATIN_READERS = frozenset({"en", "uz"})


def is_cyrillic(text: str) -> bool:
    """Whether the text has any Cyrillic letter."""
    return bool(_CYRILLIC.search(text))


def readable(text: str, lang: str) -> bool:
    """Whether a reader of `lang` reads the script `text` is written in."""
    return lang not in LATIN_READERS or not is_cyrillic(text)


def _kind(name: Any) -> str:
    return getattr(name, "kind", None) or "official"


def display_name(names: Iterable[Any], lang: str | None, default: str) -> str:
    """The name of a record for a reader of `lang` (None: the display name `default` as it is).
    `names` are the record's name rows or their public shapes (value, lang, script, kind)."""
    if lang is None:
        return default
    current = [n for n in names or () if _kind(n) != "former" and readable(n.value, lang)]
    if lang == "en" and not any(n.value == default for n in current if n.lang == "en"):
        english = sorted(
            (n for n in current if n.lang == "en" and _kind(n) != "transliteration"),
            key=lambda n: _kind(n) != "official",
        )
        if english:
            return str(english[0].value)
    if readable(default, lang):
        return default
    current.sort(key=lambda n: (n.lang != lang, n.lang != "en", _kind(n) != "official"))
    if current:
        return str(current[0].value)
    return iuliia.WIKIPEDIA.translate(default)


def other_script_name(names: Iterable[Any], shown: str) -> str | None:
    """The first current name written in another script than `shown` (Latin <-> Cyrillic), to
    show under it."""
    cyrillic = is_cyrillic(shown)
    for name in names or ():
        if is_cyrillic(name.value) != cyrillic and _kind(name) != "former":
            return str(name.value)
    return None


def two_names(names: Iterable[Any], lang: str, default: str) -> tuple[str, str | None]:
    """(the name to show, the name in the other script to show under it)."""
    names = list(names or ())
    shown = display_name(names, lang, default)
    return shown, (default if shown != default else other_script_name(names, shown))
