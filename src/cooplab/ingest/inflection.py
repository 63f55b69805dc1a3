"""Names and titles put back in the nominative case, the form a registry record is written in.

Russian inflects names: "Андреем Крайновым" is "Андрей Крайнов", "Кластера автомобильной
промышленности" is "Кластер автомобильной промышленности", "генеральным директором" is
"генеральный директор". The words of a person's name agree in case and gender; in a phrase the
adjectives before the head noun agree with it and the words after it (a genitive tail) stay as
they are. Foreign words pymorphy2 cannot decline ("Бу", "Инге") are kept as written.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from cooplab.ingest.adapters import WordForm, adapt_nominative, adapt_parses

_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_ADJECTIVES = frozenset({"ADJF", "PRTF", "NUMR"})


def is_cyrillic_word(word: str) -> bool:
    """A word written only in Cyrillic letters (hyphenated parts allowed)."""
    return bool(_CYRILLIC_WORD.match(word))


def restore_case(original: str, word: str) -> str:
    """`word` written with the capitalisation of `original` (Title, UPPER or lower), ё only if it had one."""
    if "ё" not in original.lower():
        word = word.replace("ё", "е")
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


def _gender_fits(form: WordForm, gender: str | None) -> bool:
    return gender is None or form.gender in (None, gender, "ms-f")


def nominative_person(words: list[str], morph: Any) -> list[str]:
    """The words of a person's name in the nominative, agreeing in case and gender."""
    readings = [adapt_parses(w, morph) if is_cyrillic_word(w) else () for w in words]
    votes: dict[tuple[str, str | None], float] = defaultdict(float)
    for forms in readings:
        best: dict[tuple[str, str | None], float] = {}
        for form in forms:
            if form.case is None or form.number == "plur":
                continue
            weight = (2.0 if form.tags & _NAME_TAGS else 1.0) + form.score / 10
            for gender in ("masc", "femn"):
                if _gender_fits(form, gender):
                    key = (form.case, gender)
                    best[key] = max(best.get(key, 0.0), weight)
        for key, weight in best.items():
            votes[key] += weight
    if not votes:
        return list(words)
    case, gender = max(votes, key=lambda k: (votes[k], k[0] == "nomn", k[1] == "masc"))
    if case == "nomn":
        return list(words)
    result = []
    for word, forms in zip(words, readings, strict=True):
        fitting = [f for f in forms if f.case == case and f.number != "plur" and _gender_fits(f, gender)]
        fitting.sort(key=lambda f: (bool(f.tags & _NAME_TAGS), f.score), reverse=True)
        nominative = next((n for f in fitting if (n := adapt_nominative(f, morph))), None)
        result.append(restore_case(word, nominative) if nominative else word)
    return result


def _head_index(readings: list[tuple[WordForm, ...]], words: list[str]) -> int | None:
    """The first noun of a phrase, provided only adjectives come before it."""
    for i, (word, forms) in enumerate(zip(words, readings, strict=True)):
        if not forms:
            return None
        if any(f.pos == "NOUN" for f in forms) and (i > 0 or not any(f.pos in _ADJECTIVES for f in forms[:1])):
            return i
        if not any(f.pos in _ADJECTIVES for f in forms):
            return None
    return None


def nominative_phrase(words: list[str], morph: Any, *, prefer: frozenset[str] = frozenset()) -> list[str]:
    """A noun phrase in the nominative: the head noun and the adjectives before it change, the tail stays.

    `prefer` names grammemes that pick the head's reading when it is ambiguous (Geox for places).
    """
    if not words or not is_cyrillic_word(words[0]):
        return list(words)
    readings: list[tuple[WordForm, ...]] = []
    for word in words:
        if not is_cyrillic_word(word):
            break
        readings.append(adapt_parses(word, morph))
    head = _head_index(readings, words[: len(readings)])
    if head is None:
        return list(words)
    nouns = [f for f in readings[head] if f.pos == "NOUN" and f.case]
    if not nouns:
        return list(words)

    def agreement(noun: WordForm) -> tuple[int, float]:
        agreeing = sum(
            any(a.case == noun.case and a.number == noun.number
                and (noun.number == "plur" or a.gender == noun.gender) for a in readings[i])
            for i in range(head)
        )
        return (agreeing + (2 if noun.tags & prefer else 0), noun.score)

    noun = max(nouns, key=agreement)
    head_nominative = adapt_nominative(noun, morph) if noun.case != "nomn" else None
    if not head_nominative:
        return list(words)
    result = list(words)
    result[head] = restore_case(words[head], head_nominative)
    for i in range(head):
        fitting = [a for a in readings[i] if a.case == noun.case and a.number == noun.number
                   and (noun.number == "plur" or a.gender == noun.gender)]
        fitting.sort(key=lambda a: a.score, reverse=True)
        nominative = next((n for a in fitting if (n := adapt_nominative(a, morph))), None)
        if nominative:
            result[i] = restore_case(words[i], nominative)
    return result


def join_words(words: list[str], separators: list[str]) -> str:
    """Words joined back with the separators that stood between them in the text."""
    out = words[0] if words else ""
    for sep, word in zip(separators, words[1:], strict=False):
        out += sep + word
    return out
