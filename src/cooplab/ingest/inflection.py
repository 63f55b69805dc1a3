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
    letters = original.rstrip("аеуыомия")
    if len(letters) >= 2 and letters.isupper() and word.lower().startswith(letters.lower()):
        return letters + word[len(letters) :]  # "МИДа" is "МИД"
    if original[:1].isupper():
        shapes = original.split("-")
        parts = word.split("-")
        if len(shapes) == len(parts):  # "Торгово-промышленной" keeps its lower-case second part
            return "-".join(
                p[:1].upper() + p[1:] if s[:1].isupper() else p for s, p in zip(shapes, parts, strict=True)
            )
        return "-".join(part[:1].upper() + part[1:] for part in parts)
    return word


def _gender_fits(form: WordForm, gender: str | None) -> bool:
    return gender is None or form.gender in (None, gender, "ms-f")


_VOWEL_LETTERS = frozenset("аеёиоуыэюя")
#: Endings of an unknown word that say its case for sure: two letters or more, or a Russian surname's.
_STRONG_ENDINGS = (
    "ом",
    "ем",
    "ём",
    "ым",
    "им",
    "ой",
    "ей",
    "ого",
    "его",
    "ому",
    "ему",
    "ую",
    "юю",
    "ою",
    "ами",
    "ями",
)
_SURNAME_ENDING = re.compile(r"(?:ов|ев|ёв|ин|ын|ск|цк)(?:а|у|е|ым|ой|ую)$")


def safe_guess(word: str, nominative: str, morph: Any) -> bool:
    """Whether the nominative pymorphy2 guesses for a word it does not know can be trusted.

    It can when the stem left ends in a consonant ("Бишкеке" -> "Бишкек") or takes й ("Костаная"
    -> "Костанай"); not when a vowel would end the stem ("Ак-Суу" -> "Ак-Суа", "Хэфэй" -> "Хэфэи").
    """
    if morph.word_is_known(word.lower()):
        return True
    low, nom = word.lower(), nominative.lower()
    common = 0
    while common < min(len(low), len(nom)) and low[common] == nom[common]:
        common += 1
    stem, added = low[:common], nom[common:]
    if not stem:
        return False
    return stem[-1] not in _VOWEL_LETTERS or added == "й"


#: Endings of a man's given name in each case (a name the dictionary does not know: "Лазиза" -> "Лазиз").
_MASCULINE_NAME_ENDINGS = {"gent": ("а",), "accs": ("а",), "datv": ("у",), "ablt": ("ом",), "loct": ("е",)}
#: Case endings of Russian surnames in -ов/-ев/-ин/-ын and -ский/-цкий (masculine), for surnames the
#: dictionary reads as something else ("Мантурова" as the village Мантурово).
_SURNAME_CASES = {
    "gent": (
        ("ова", "ов"),
        ("ева", "ев"),
        ("ёва", "ёв"),
        ("ина", "ин"),
        ("ына", "ын"),
        ("ского", "ский"),
        ("цкого", "цкий"),
    ),
    "accs": (
        ("ова", "ов"),
        ("ева", "ев"),
        ("ёва", "ёв"),
        ("ина", "ин"),
        ("ына", "ын"),
        ("ского", "ский"),
        ("цкого", "цкий"),
    ),
    "datv": (
        ("ову", "ов"),
        ("еву", "ев"),
        ("ёву", "ёв"),
        ("ину", "ин"),
        ("ыну", "ын"),
        ("скому", "ский"),
        ("цкому", "цкий"),
    ),
    "ablt": (
        ("овым", "ов"),
        ("евым", "ев"),
        ("ёвым", "ёв"),
        ("иным", "ин"),
        ("ыным", "ын"),
        ("ским", "ский"),
        ("цким", "цкий"),
    ),
    "loct": (
        ("ове", "ов"),
        ("еве", "ев"),
        ("ёве", "ёв"),
        ("ине", "ин"),
        ("ыне", "ын"),
        ("ском", "ский"),
        ("цком", "цкий"),
    ),
}


#: The same for women's surnames: "Сомовой" is "Сомова", "Петровскую" is "Петровская".
_FEMININE_OBLIQUE = (
    ("овой", "ова"),
    ("евой", "ева"),
    ("ёвой", "ёва"),
    ("иной", "ина"),
    ("ыной", "ына"),
    ("ской", "ская"),
    ("цкой", "цкая"),
)
_FEMININE_SURNAME_CASES = dict.fromkeys(("gent", "datv", "ablt", "loct"), _FEMININE_OBLIQUE) | {
    "accs": (
        ("ову", "ова"),
        ("еву", "ева"),
        ("ёву", "ёва"),
        ("ину", "ина"),
        ("ыну", "ына"),
        ("скую", "ская"),
        ("цкую", "цкая"),
    )
}


def surname_nominative(word: str, case: str, gender: str = "masc") -> str | None:
    """A surname in the nominative from its case form, by its ending alone (a man's unless told)."""
    low = word.lower()
    table = _FEMININE_SURNAME_CASES if gender == "femn" else _SURNAME_CASES
    for ending, base in table.get(case, ()):
        if low.endswith(ending) and len(low) > len(ending) + 1:
            return restore_case(word, low[: -len(ending)] + base)
    return None


def _read_as_adjective(forms: list[WordForm]) -> bool:
    """Whether the readings of a word of a name make it an adjective, not a name: "Сомовым" read as a
    form of "сомовый" (of a catfish), where a surname in -ов declines in its own way ("Сомов")."""
    return bool(forms) and all(f.pos in ("ADJF", "ADJS") and not f.tags & _NAME_TAGS for f in forms)


def strong_case_evidence(word: str, morph: Any) -> bool:
    """Whether a word's ending shows its case beyond doubt (dictionary words, long or surname endings)."""
    low = word.lower()
    return (
        bool(morph.word_is_known(low)) or low.endswith(_STRONG_ENDINGS) or bool(_SURNAME_ENDING.search(low))
    )


def nominative_person(words: list[str], morph: Any, expected: frozenset[str] = frozenset()) -> list[str]:
    """The words of a person's name in the nominative, agreeing in case and gender.

    `expected` holds the cases the words before the name call for ("директора" -> gent, "с" ->
    ablt): they decide between readings the name alone leaves open ("Дилмурада Юнусова").
    """
    readings = [adapt_parses(w, morph) if is_cyrillic_word(w) else () for w in words]
    votes: dict[tuple[str, str | None], float] = defaultdict(float)
    guessed: dict[tuple[int, str], str] = {}
    for n, (word, forms) in enumerate(zip(words, readings, strict=True)):
        strong = strong_case_evidence(word, morph)
        best: dict[tuple[str, str | None], float] = {}
        if is_cyrillic_word(word) and word[:1].isupper() and not any(f.case in expected for f in forms):
            for case in expected:  # "директора Лазиза": a foreign man's name takes the masculine endings
                for ending in _MASCULINE_NAME_ENDINGS.get(case, ()):
                    if (
                        word.lower().endswith(ending)
                        and len(word) > len(ending) + 2
                        and word[-len(ending) - 1].lower() not in _VOWEL_LETTERS
                    ):
                        best[(case, "masc")] = max(best.get((case, "masc"), 0.0), 2.0)
                        guessed[(n, case)] = word[: -len(ending)]
        declined = any(f.case is not None and "Fixd" not in f.tags for f in forms)
        for form in forms:
            if (
                form.case is None
                or form.number == "plur"
                or (not strong and form.case != "nomn" and form.case not in expected)
            ):
                continue
            weight = (
                (2.0 if form.tags & _NAME_TAGS else 1.0)
                + form.score / 10
                + (1.5 if form.case in expected else 0)
            )
            if declined and "Fixd" in form.tags:
                weight /= 2  # "Анне" is a form of "Анна" before it is the indeclinable "Анне" in any case
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
    for n, (word, forms) in enumerate(zip(words, readings, strict=True)):
        if (n, case) in guessed and gender == "masc":
            result.append(guessed[(n, case)])
            continue
        fitting = [f for f in forms if f.case == case and f.number != "plur" and _gender_fits(f, gender)]
        fitting.sort(key=lambda f: (bool(f.tags & _NAME_TAGS), "Fixd" not in f.tags, f.score), reverse=True)
        nominative = next((n for f in fitting if (n := adapt_nominative(f, morph))), None)
        if nominative and not safe_guess(word, nominative, morph):
            nominative = None
        if word[:1].isupper() and (nominative is None and gender == "masc" or _read_as_adjective(fitting)):
            # "Сомовым" is no form of an adjective "сомовый" in a name: a surname in -ов is "Сомов"
            nominative = surname_nominative(word, case, gender or "masc") or nominative
        result.append(restore_case(word, nominative) if nominative else word)
    return result


def _head_index(readings: list[tuple[WordForm, ...]], words: list[str]) -> int | None:
    """The first noun of a phrase, provided only adjectives come before it."""
    for i, (_word, forms) in enumerate(zip(words, readings, strict=True)):
        if not forms:
            return None
        if any(f.pos == "NOUN" for f in forms) and (
            i > 0 or not any(f.pos in _ADJECTIVES for f in forms[:1])
        ):
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
        if not is_cyrillic_word(word) or (word.isupper() and len(word) > 1):
            break  # abbreviations (БЕЛТА, КАМАЗ) are not declined here
        readings.append(adapt_parses(word, morph))
    head = _head_index(readings, words[: len(readings)])
    if head is None:
        return list(words)
    nouns = [f for f in readings[head] if f.pos == "NOUN" and f.case]
    if not nouns or any(f.case == "nomn" and f.number == "sing" for f in nouns):
        return list(words)  # already a nominative ("Тулпар Моторс")

    def agreement(noun: WordForm) -> tuple[int, float]:
        agreeing = sum(
            any(
                a.case == noun.case
                and a.number == noun.number
                and (noun.number == "plur" or a.gender == noun.gender)
                for a in readings[i]
            )
            for i in range(head)
        )
        return (agreeing + (2 if noun.tags & prefer else 0), noun.score)

    noun = max(nouns, key=agreement)
    head_nominative = adapt_nominative(noun, morph) if noun.case != "nomn" else None
    if not head_nominative or not safe_guess(words[head], head_nominative, morph):
        return list(words)
    result = list(words)
    result[head] = restore_case(words[head], head_nominative)
    for i in range(head):
        fitting = [
            a
            for a in readings[i]
            if a.case == noun.case
            and a.number == noun.number
            and (noun.number == "plur" or a.gender == noun.gender)
        ]
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
