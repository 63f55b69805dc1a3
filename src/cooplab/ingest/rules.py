"""yargy rules for what the NER model misses in our texts.

* Latin-script names inside Russian sentences ("Uz-Dong Won Co, Avtokomponent, Uz-Koram"):
  runs of capitalised Latin words, joined by spaces, hyphens, apostrophes or "&";
* places after "г." / "город" ("г. Асаке", "(все г. Андинжан)");
* names in quotes after a word that says what they are (компания «X», платформа «X», ООО «X»).

The grammar finds the candidates; rules_doc in the pipeline decides which of them are mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yargy import Parser, and_, not_, or_, rule
from yargy.predicates import caseless, custom, eq, in_, in_caseless
from yargy.predicates import type as token_type
from yargy.tokenizer import Tokenizer

#: Words that say the next name is an organization (as stems, lower case).
ORG_DESCRIPTORS = (
    "компани",
    "поставщик",
    "предприяти",
    "завод",
    "производител",
    "автопроизводител",
    "холдинг",
    "концерн",
    "корпораци",
    "фирм",
    "банк",
    "агентств",
    "платформ",
    "ассоциаци",
    "кластер",
    "организаци",
    "групп",
    "фонд",
    "издани",
    "газет",
    "журнал",
    "телеканал",
    "радиостанци",
    "университет",
    "институт",
    "дистрибьютор",
    "ритейлер",
    "объединени",
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "сп",
    "гуп",
    "муп",
    "фгуп",
    "нко",
    "ано",
    "ип",
    "осоо",
    "тоо",
    "мчж",
    "хк",
    "технополис",
    "технопарк",
    "иа",
    "ия",
    "информагентств",
)
_CITY_WORDS = {"г", "город", "города", "городе", "городом", "городу"}
_LEGAL = {
    "ООО",
    "ОАО",
    "ЗАО",
    "ПАО",
    "АО",
    "СП",
    "ГУП",
    "МУП",
    "ФГУП",
    "НКО",
    "АНО",
    "ОСОО",
    "ТОО",
    "МЧЖ",
    "ХК",
    "ИА",
}


@dataclass(frozen=True)
class RuleMatch:
    """A candidate found by a rule: which rule, its offsets (relative to the text given)."""

    rule: str  # latin_name | city | quoted_name
    start: int
    stop: int


@dataclass(frozen=True)
class CompiledRules:
    """The yargy parsers, compiled once (load_models keeps them)."""

    latin_name: Any
    city: Any
    quoted_name: Any


def _capitalised(value: str) -> bool:
    return value[:1].isupper() or value[:1].isdigit()


def compile_rules() -> CompiledRules:
    """Build the yargy grammars of this module."""
    tokenizer = Tokenizer()
    latin = token_type("LATIN")
    capital_latin = and_(latin, custom(_capitalised))
    joiner = in_({"-", "’", "'", "ʻ", "&", "`"})
    latin_name = rule(
        capital_latin,
        rule(
            or_(
                rule(joiner, or_(latin, token_type("INT"))),
                rule(capital_latin),
                rule(token_type("INT")),
            )
        )
        .repeatable()
        .optional(),
    )
    ru_capital = and_(token_type("RU"), custom(_capitalised))
    city_word = rule(ru_capital, rule(eq("-"), token_type("RU")).optional())
    city = rule(
        or_(
            rule(caseless("г"), eq(".")),
            rule(in_caseless({"город", "города", "городе", "городом", "городу"})),
        ),
        city_word,
    )
    inside = not_(in_({"»", "«", "\n"}))
    quoted_name = rule(eq("«"), rule(inside).repeatable(), eq("»"))
    return CompiledRules(
        latin_name=Parser(latin_name, tokenizer=tokenizer),
        city=Parser(city, tokenizer=tokenizer),
        quoted_name=Parser(quoted_name, tokenizer=tokenizer),
    )


#: Cheap pre-scans: yargy only parses the short windows these find (it is slow on whole texts).
_LATIN_WINDOW = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'ʻ`&\- ]*")
_CITY_WINDOW = re.compile(r"(?i:\bг\.|\bгород\w*)\s*[А-ЯЁ][А-Яа-яЁё]*(?:-[А-Яа-яЁё]+)?")
_QUOTED_WINDOW = re.compile(r"«[^«»\n]{1,200}»")


def find_rule_matches(text: str, rules: CompiledRules) -> list[RuleMatch]:
    """Every candidate of every rule in a text, with offsets into it."""
    found: list[RuleMatch] = []
    for window in _LATIN_WINDOW.finditer(text):
        if not re.search("[A-Za-z]{2}", window.group()):
            continue
        for match in rules.latin_name.findall(window.group()):
            found.append(
                RuleMatch("latin_name", window.start() + match.span.start, window.start() + match.span.stop)
            )
    for window in _CITY_WINDOW.finditer(text):
        for match in rules.city.findall(window.group()):
            name = [t for t in match.tokens if t.value.lower() not in _CITY_WORDS and t.value != "."]
            if name:
                found.append(
                    RuleMatch(
                        "city", window.start() + name[0].span.start, window.start() + name[-1].span.stop
                    )
                )
    for window in _QUOTED_WINDOW.finditer(text):
        if not _has_descriptor_before(text, window.start()):
            continue
        for match in rules.quoted_name.findall(window.group()):
            start, stop = window.start() + match.span.start + 1, window.start() + match.span.stop - 1
            if stop > start and _capitalised(text[start:stop]):
                found.append(RuleMatch("quoted_name", start, stop))
    return found


def _has_descriptor_before(text: str, position: int) -> bool:
    """Whether one of the two words before `position` says an organization follows."""
    words = text[max(0, position - 60) : position].split()[-2:]
    for word in words:
        clean = word.strip(",.;:()").lower()
        if clean.upper() in _LEGAL or any(
            clean.startswith(stem) if len(stem) > 4 else clean == stem for stem in ORG_DESCRIPTORS
        ):
            return True
    return False


def has_org_descriptor_before(text: str, position: int) -> bool:
    """Whether an organization word (компания, поставщик, ООО ...) stands just before `position`."""
    return _has_descriptor_before(text, position)
