"""Messages in the reader's language: the gettext catalogs of the platform, looked up by key.

Each domain keeps its messages in its own folder (`<domain>/i18n/<lang>.po`); what every
domain shares (errors, formats, the layout) is in this folder's catalogs. They are read with
Babel and merged into one catalog per language; a message id is a key such as
`err.inn_check`, its text a Python format string (`{name}` placeholders). Plural messages
pick their form by the language's CLDR rule.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

#: The languages of the interface: Russian, English, Uzbek (Latin script).
LANGUAGES = ("ru", "en", "uz")
PACKAGE = Path(__file__).resolve().parent.parent.parent

Text = str | tuple[str, ...]


def catalog_files(lang: str) -> list[Path]:
    """The catalog files of a language: the shared one, then each registered domain's."""
    from cooplab.core.domain import domains

    shared = Path(__file__).parent / f"{lang}.po"
    return [shared, *[path for d in domains() if (path := d.folder / "i18n" / f"{lang}.po").is_file()]]


@lru_cache
def catalog(lang: str) -> dict[str, Text]:
    """Message id -> text (a tuple of plural forms for plural messages) in `lang`."""
    messages: dict[str, Text] = {}
    for path in catalog_files(lang):
        with path.open("rb") as handle:
            po = read_po(handle, locale=lang)
        for message in po:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            if key in messages:
                raise ValueError(f"{path}: message {key!r} is defined in another catalog too")
            string = message.string
            messages[key] = tuple(string) if isinstance(string, tuple | list) else str(string or "")
    return messages


@lru_cache
def plural_rule(lang: str) -> Callable[[int], int]:
    """The index of the plural form for a count, by the language's CLDR rule."""
    return gettext.c2py(get_plural(lang).plural_expr)


def translate(lang: str, key: str, n: int | None = None, **params: Any) -> str:
    """The text of message `key` in `lang` (plural form chosen by `n`), with {params} filled in.

    A key missing from the catalog shows as itself, so a gap is visible, never a crash."""
    text = catalog(lang).get(key, key)
    if isinstance(text, tuple):
        index = plural_rule(lang)(n or 0)
        text = text[min(index, len(text) - 1)] or key
    if n is not None:
        params.setdefault("n", format_count(n, lang))
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def format_count(n: int, lang: str) -> str:
    """A count as the language writes it (CLDR): 1 234 in Russian and Uzbek, 1,234 in English."""
    from cooplab.core.formats import localize_digits

    return localize_digits(f"{n:,}", lang)
