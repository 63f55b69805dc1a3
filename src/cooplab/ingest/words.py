"""What a stage asks of one word: its lemmas, whether it can be in a case, whether it is a noun.

Thin questions over adapters.adapt_parses (pymorphy2 through natasha), cached there, so the
grammars of the stages read as Russian grammar and not as parser calls.
"""

from __future__ import annotations

import re
from typing import Any

from cooplab.ingest.adapters import WordForm, adapt_lexeme, adapt_parses

_CYRILLIC = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
NOUNISH = frozenset({"NOUN"})
ADJECTIVES = frozenset({"ADJF", "PRTF", "NUMR"})


def is_russian(word: str) -> bool:
    """A word of Cyrillic letters only (hyphenated parts allowed)."""
    return bool(_CYRILLIC.match(word))


def readings(word: str, morph: Any) -> tuple[WordForm, ...]:
    """pymorphy2's readings of a Russian word (none for other words)."""
    return adapt_parses(word, morph) if is_russian(word) else ()


def lemmas(word: str, morph: Any) -> frozenset[str]:
    """Every lemma the word can have, lower case, ё as е."""
    return frozenset(f.normal.replace("ё", "е") for f in readings(word, morph))


def lemma(word: str, morph: Any) -> str:
    """The likeliest lemma of a word (the word itself, lower case, when it is not Russian)."""
    forms = readings(word, morph)
    return forms[0].normal.replace("ё", "е") if forms else word.lower()


#: The first letters every form of the lemmas of a set begins with, by the set (see may_have_lemma).
_PREFIXES: dict[frozenset[str], frozenset[str]] = {}
PREFIX_LETTERS = 3


def _fold(word: str) -> str:
    return word[:PREFIX_LETTERS].lower().replace("ё", "е")


def _prefixes(wanted: frozenset[str], morph: Any) -> frozenset[str]:
    found = _PREFIXES.get(wanted)
    if found is None:
        letters = {_fold(name) for name in wanted}
        for name in wanted:
            for form in adapt_lexeme(name, morph):
                letters.add(_fold(form))
        found = _PREFIXES[wanted] = frozenset(letters)
    return found


def may_have_lemma(word: str, morph: Any, wanted: frozenset[str]) -> bool:
    """Whether the word begins as some form of a lemma of `wanted` does ("займёт" as "занять"): a
    word that does not is never looked up, and most words of a text are never looked up at all."""
    return _fold(word) in _prefixes(wanted, morph)


def has_lemma(
    word: str, morph: Any, wanted: frozenset[str] | set[str], pos: frozenset[str] | None = None
) -> str | None:
    """The first of the word's lemmas that is in `wanted` (of a part of speech in `pos`), or None."""
    if isinstance(wanted, frozenset) and not may_have_lemma(word, morph, wanted):
        return None
    for form in readings(word, morph):
        name = form.normal.replace("ё", "е")
        if name in wanted and (pos is None or form.pos in pos):
            return name
    return None


def can_be(
    word: str,
    morph: Any,
    *,
    case: str | None = None,
    pos: frozenset[str] | None = None,
    number: str | None = None,
) -> bool:
    """Whether some reading of the word is in this case, part of speech and number."""
    for form in readings(word, morph):
        if (
            (case is None or form.case == case)
            and (pos is None or form.pos in pos)
            and (number is None or form.number == number)
        ):
            return True
    return False


def is_known(word: str, morph: Any) -> bool:
    """Whether pymorphy2's dictionary holds the word (not a guess from its ending)."""
    return is_russian(word) and bool(morph.word_is_known(word.lower()))


def is_abbreviation(word: str) -> bool:
    """An abbreviation written in capitals ("КР", "РУз", "МТЗ", "GWM")."""
    letters = [ch for ch in word if ch.isalpha()]
    return (
        2 <= len(letters) <= 6
        and sum(ch.isupper() for ch in letters) >= max(2, len(letters) - 1)
        and word[:1].isupper()
    )
