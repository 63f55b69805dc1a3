"""Russian names put in a grammatical case, for text the platform writes (reports).

"между Кластером автомобильной промышленности и Cooperation Lab", "с Андреем Крайновым": after a
preposition a name takes the case the preposition asks for. A person's given name, patronymic and
surname agree in case and gender; in an organization's or a place's name the head noun and the
adjectives before it change and the rest (a genitive tail, a quoted or Latin part, an
abbreviation) stays as written. Words this cannot decline for sure are left as they are:
a wrong ending is worse than none.

Given names and common nouns come from pymorphy2's dictionary (through natasha's MorphVocab);
surnames, patronymics and names the dictionary does not know follow the endings of Russian
grammar, the way reference books of name declension write them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

Case = Literal["nomn", "gent", "datv", "accs", "ablt", "loct"]
#: The grammatical cases, as pymorphy2's OpenCorpora grammemes name them.
CASES: tuple[Case, ...] = ("nomn", "gent", "datv", "accs", "ablt", "loct")
#: The same cases as natasha's MorphVocab takes them (Universal Dependencies names).
_UD = {"nomn": "Nom", "gent": "Gen", "datv": "Dat", "accs": "Acc", "ablt": "Ins", "loct": "Loc"}
_UD_GENDER = {"masc": "Masc", "femn": "Fem", "neut": "Neut"}
_UD_NUMBER = {"sing": "Sing", "plur": "Plur"}
_CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
_HUSHING = "гкхжшщч"  # after these letters ы is written и

# Endings by case (gent, datv, accs, ablt, loct) appended after cutting `cut` letters.
_Row = tuple[int, tuple[str, str, str, str, str]]
_MASC_CONSONANT: _Row = (0, ("а", "у", "а", "ом", "е"))
_MASC_SOFT: _Row = (1, ("я", "ю", "я", "ем", "е"))  # Андрей, Гоголь
_MASC_II: _Row = (1, ("я", "ю", "я", "ем", "и"))  # Дмитрий, Василий
_A_HARD: _Row = (1, ("ы", "е", "у", "ой", "е"))  # Анна, Никита
_A_HUSHING: _Row = (1, ("и", "е", "у", "ой", "е"))  # Ольга
_YA: _Row = (1, ("и", "е", "ю", "ей", "е"))  # Катя, Илья
_IYA: _Row = (1, ("и", "и", "ю", "ей", "и"))  # Мария
_SURNAME_OV: _Row = (0, ("а", "у", "а", "ым", "е"))  # Крайнов, Пушкин
_SURNAME_OVA: _Row = (1, ("ой", "ой", "у", "ой", "ой"))  # Иванова, Пушкина
_ADJ_MASC: _Row = (2, ("ого", "ому", "ого", "им", "ом"))  # Вишневский
_ADJ_MASC_HARD: _Row = (2, ("ого", "ому", "ого", "ым", "ом"))  # Толстой, Белый
_ADJ_FEMN: _Row = (2, ("ой", "ой", "ую", "ой", "ой"))  # Вишневская
_PATR_MASC: _Row = (0, ("а", "у", "а", "ем", "е"))  # Сергеевич
_PATR_FEMN: _Row = (1, ("ы", "е", "у", "ой", "е"))  # Сергеевна


@lru_cache(maxsize=1)
def _morph() -> Any:
    from natasha import MorphVocab

    return MorphVocab()


def _apply(word: str, row: _Row, case: Case) -> str:
    if case == "nomn":
        return word
    cut, endings = row
    stem = word[: len(word) - cut] if cut else word
    return stem + endings[CASES.index(case) - 1]


def _keep_shape(original: str, word: str) -> str:
    """`word` capitalised as `original` is (Title-Case parts of a hyphenated name, UPPER, lower)."""
    if original.isupper() and len(original) > 1:
        return word.upper()
    shapes, parts = original.split("-"), word.split("-")
    if len(shapes) != len(parts):
        return word
    return "-".join(
        p[:1].upper() + p[1:] if s[:1].isupper() else p for s, p in zip(shapes, parts, strict=True)
    )


def _a_row(word: str) -> _Row:
    low = word.lower()
    if low.endswith("ия"):
        return _IYA
    if low.endswith("я"):
        return _YA
    return _A_HUSHING if len(low) > 1 and low[-2] in _HUSHING else _A_HARD


def _dictionary_name(word: str, case: Case, tag: str) -> tuple[str, str] | None:
    """(the word in `case`, its gender) when the dictionary holds it as a name of that kind in the
    nominative singular."""
    for parse in _morph().parse(word):
        grammemes = set(str(parse.tag).replace(" ", ",").split(","))
        if {tag, "nomn", "sing"} <= grammemes and "Fixd" not in grammemes and parse.score >= 0.2:
            gender = "femn" if "femn" in grammemes else "masc"
            inflected = parse.inflect({_UD[case]})
            if inflected is not None:
                return _keep_shape(word, inflected.word), gender
    return None


def _given_gender(word: str) -> str | None:
    found = _dictionary_name(word, "nomn", "Name")
    return found[1] if found else None


def decline_given_name(word: str, case: Case, gender: str) -> str:
    """A given name in `case` ("Андрей" -> "Андреем"; "Дилмурад" -> "Дилмурадом"; "Инге" stays)."""
    if not _CYRILLIC_WORD.match(word):
        return word
    found = _dictionary_name(word, case, "Name")
    if found and found[1] == gender:
        return found[0]
    low = word.lower()
    if low.endswith(("а", "я")):
        return _apply(word, _a_row(word), case)
    if gender == "femn":
        return word
    if low.endswith("ий"):
        return _apply(word, _MASC_II, case)
    if low.endswith(("й", "ь")):
        return _apply(word, _MASC_SOFT, case)
    if low[-1] in "аеёиоуыэюя":
        return word  # Бу, Инге, Хосе
    return _apply(word, _MASC_CONSONANT, case)


def decline_patronymic(word: str, case: Case) -> str:
    """A patronymic in `case` ("Сергеевич" -> "Сергеевичем", "Сергеевна" -> "Сергеевной")."""
    low = word.lower()
    if low.endswith("ич"):
        return _apply(word, _PATR_MASC, case)
    if low.endswith("на"):
        return _apply(word, _PATR_FEMN, case)
    return word


def decline_surname(word: str, case: Case, gender: str) -> str:
    """A surname in `case` for a man or a woman ("Крайнов" -> "Крайновым", "Моисеенко" stays,
    "Андерссон" -> "Андерссоном" for a man and stays for a woman)."""
    if not _CYRILLIC_WORD.match(word):
        return word
    if "-" in word:  # Петров-Водкин: each part declines
        return "-".join(decline_surname(part, case, gender) for part in word.split("-"))
    low = word.lower()
    if low.endswith(("ых", "их", "аго", "яго", "ец", "ок")) or low[-1] in "еёиоуыэю":
        return word  # Черных, Моисеенко, Шоу; Кравец, Глазок lose a vowel or keep it, by family
    if gender == "femn":
        if low.endswith(("ова", "ева", "ёва", "ина", "ына")):
            return _apply(word, _SURNAME_OVA, case)
        if low.endswith("ая"):
            return _apply(word, _ADJ_FEMN, case)
        if low.endswith(("а", "я")):
            return _apply(word, _a_row(word), case)
        return word  # Андерссон, Шевчук: a woman's surname ending in a consonant stays
    if low.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return _apply(word, _SURNAME_OV, case)
    if low.endswith(("ский", "цкий")) or low.endswith("ий") and len(low) > 3 and low[-3] in _HUSHING:
        return _apply(word, _ADJ_MASC, case)
    if low.endswith(("ой", "ый")):
        return _apply(word, _ADJ_MASC_HARD, case)
    if low.endswith(("а", "я")):
        return _apply(word, _a_row(word), case)
    if low.endswith(("й", "ь")):
        return _apply(word, _MASC_SOFT, case)
    return _apply(word, _MASC_CONSONANT, case)


def person_gender(words: list[str]) -> str:
    """A person's gender from the name: the patronymic, else the given name, else the surname."""
    for word in words[1:]:
        low = word.lower()
        if low.endswith(("вич", "ьич", "ич")) and len(low) > 4:
            return "masc"
        if low.endswith(("вна", "чна")) and len(low) > 4:
            return "femn"
    cyrillic = [w for w in words if _CYRILLIC_WORD.match(w)]
    if cyrillic:
        gender = _given_gender(cyrillic[0])
        if gender:
            return gender
        if len(cyrillic) > 1 and cyrillic[-1].lower().endswith(("ова", "ева", "ина", "ская", "цкая")):
            return "femn"
    return "masc"


def decline_person(name: str, case: Case, gender: str | None = None) -> str:
    """A person's name ("Андрей Крайнов", "Иванова Мария Петровна" written either way) in `case`.

    The last word is the surname unless a patronymic stands last (then the first word is); a
    name in Latin letters is kept as it is."""
    words = name.split()
    if case == "nomn" or not words or not any(_CYRILLIC_WORD.match(w) for w in words):
        return name
    gender = gender or person_gender(words)
    roles = ["given"] * len(words)
    patronymic = [i for i, w in enumerate(words) if i > 0 and re.search(r"(?:ич|вна|чна)$", w.lower())]
    if patronymic:
        roles[patronymic[-1]] = "patronymic"
        surname = 0 if patronymic[-1] == len(words) - 1 and len(words) >= 3 else len(words) - 1
        if surname != patronymic[-1]:
            roles[surname] = "surname"
    elif len(words) > 1:
        roles[-1] = "surname"
    out = []
    for word, role in zip(words, roles, strict=True):
        if role == "surname":
            out.append(decline_surname(word, case, gender))
        elif role == "patronymic":
            out.append(decline_patronymic(word, case))
        else:
            out.append(decline_given_name(word, case, gender))
    return " ".join(out)


def decline_phrase(name: str, case: Case) -> str:
    """An organization's or a place's name in `case`: its head noun and the adjectives before it
    ("Кластер автомобильной промышленности" -> "Кластером автомобильной промышленности",
    "Машиностроительная ассоциация «...»" -> "Машиностроительной ассоциацией «...»"). A name
    that starts with a Latin word, a quote or an abbreviation, or whose head the dictionary does
    not know, stays as written."""
    words = name.split(" ")
    if case == "nomn" or not words:
        return name
    morph = _morph()
    adjectives: list[tuple[int, Any]] = []
    for i, word in enumerate(words):
        if not _CYRILLIC_WORD.match(word) or any(part[1:] != part[1:].lower() for part in word.split("-")):
            return name  # Latin, quoted, an abbreviation (АП) or a brand's own capitals (АвтоВАЗ)
        if not morph.word_is_known(word.lower()):
            return name
        parses = [p for p in morph.parse(word) if "nomn" in p.tag and "sing" in p.tag]
        noun = next((p for p in parses if p.tag.POS == "NOUN" and "Fixd" not in p.tag), None)
        if noun is not None and (
            not adjectives or all(a.tag.gender == noun.tag.gender for _, a in adjectives)
        ):
            head = noun.inflect({_UD[case]})
            if head is None:
                return name
            result = list(words)
            result[i] = _keep_shape(word, head.word)
            gender = str(noun.tag.gender)
            # an inanimate masculine or neuter noun's adjectives take the nominative in the accusative
            adjective_case = "nomn" if case == "accs" and gender != "femn" else case
            for j, adjective in adjectives:
                wanted = {_UD[adjective_case], _UD_NUMBER["sing"], _UD_GENDER.get(gender, "Masc")}
                inflected = adjective.inflect(wanted)
                if inflected is None:
                    return name
                result[j] = _keep_shape(words[j], inflected.word)
            return " ".join(result)
        adjective = next((p for p in parses if p.tag.POS == "ADJF"), None)
        if adjective is None:
            return name
        adjectives.append((i, adjective))
    return name
