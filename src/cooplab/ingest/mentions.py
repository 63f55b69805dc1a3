"""Mentions put right after the NER model, the registry and the rules had their say.

* spans lose stray punctuation ("БЕЛТА/" -> "БЕЛТА");
* what is not a name goes: a legal form alone ("ОсОО", "LTD"), a capitalised common word taken
  for a person ("Чрезвычайный"), a person right after a facility ("парка Сюй Шуй"), an
  abbreviation explained as a document ("СПИК – специальный инвестиционный контракт");
* a place glued to a person is cut off ("города Хэфэй Ло Юньфэн" -> Хэфэй, Ло Юньфэн), and so is an
  organization in the genitive ("лидера Аль-Кайды Хамзы бин Ладена" -> Аль-Кайды, Хамзы бин Ладена);
* short forms of states get their state ("КР" -> Кыргызстан, "РТ" -> the Татарстан or the
  Таджикистан the text speaks of), and an abbreviation in brackets after a name is that name
  ("Минского тракторного завода («МТЗ»)").
"""

from __future__ import annotations

import re
from typing import Any

from cooplab.ingest.adapters import adapt_is_common_word
from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention
from cooplab.ingest.gazetteer import word_key, words_of
from cooplab.ingest.lexicon import (
    DOCUMENTS,
    REGION_WORDS,
    SETTLEMENT_WORDS,
    TERRITORIES,
    TITLE_HEADS,
    Territory,
)
from cooplab.ingest.words import NOUNISH, has_lemma, is_abbreviation, lemma, readings
from cooplab.vocab.names import LEGAL_FORMS

_EDGE = " \t\n,.;:/\\|()[]{}—–-"
_OPENING_KEEP = '«"“'
_CLOSING_KEEP = '»"”'
#: Nouns after which a capitalised name is a facility's or a street's, not a person's.
FACILITY_WORDS = frozenset(
    {
        "парк",
        "технопарк",
        "улица",
        "проспект",
        "площадь",
        "район",
        "квартал",
        "аэропорт",
        "порт",
        "станция",
        "зона",
        "бульвар",
        "переулок",
        "шоссе",
        "набережная",
        "бренд",
        "марка",
    }
)
_EXPLAINED_AS = re.compile(r"^\s*[–—-]\s*(?P<words>(?:[а-яё\-]+\s+){0,3}[а-яё\-]+)")
_BRACKETED_ABBREVIATION = re.compile(
    r"^\s*\(\s*[«\"“]?(?P<abbr>[A-ZА-ЯЁ][A-ZА-ЯЁa-zа-яё&\-]{1,9})[»\"”]?\s*\)"
)


def trim(mention: Mention, text: str) -> None:
    """Cut punctuation and spaces off a mention's ends (quotes stay when they are paired)."""
    start, stop = mention.start, mention.stop
    while start < stop and (text[start] in _EDGE):
        start += 1
    while stop > start and (text[stop - 1] in _EDGE):
        stop -= 1
    inner = text[start:stop]
    if inner.count("(") > inner.count(")"):
        stop = start + inner.rindex(
            "("
        )  # "Ульяновский автомобильный завод (УАЗ": the bracket is another name
        while stop > start and text[stop - 1] in _EDGE:
            stop -= 1
        inner = text[start:stop]
    if inner[:1] in _OPENING_KEEP and not any(q in inner[1:] for q in _CLOSING_KEEP):
        start += 1
    if inner[-1:] in _CLOSING_KEEP and not any(q in inner[:-1] for q in _OPENING_KEEP):
        stop -= 1
    if (start, stop) != (mention.start, mention.stop) and stop > start:
        mention.start, mention.stop, mention.text = start, stop, text[start:stop]
        if mention.normal is not None and mention.source != "gazetteer":
            mention.normal = None


def _cut_title_off(doc: Doc, mention: Mention, morph: Any) -> None:
    words = words_of(mention.text)
    if len(words) > 1 and lemma(words[0].text, morph) in TITLE_HEADS:
        start = mention.start + words[1].start
        mention.start, mention.text, mention.normal = start, doc.text[start : mention.stop], None


def _title_alone(mention: Mention, morph: Any) -> bool:
    """A mention that is one common word heading a title ("Замглавы", "Посол")."""
    words = words_of(mention.text)
    return (
        len(words) == 1
        and adapt_is_common_word(words[0].text, morph)
        and has_lemma(words[0].text, morph, TITLE_HEADS, NOUNISH) is not None
    )


def _adjective_word(word: str, morph: Any) -> bool:
    """A capitalised adjective the dictionary knows and no name reading of it ("Чрезвычайный")."""
    forms = readings(word, morph)
    return bool(forms) and adapt_is_common_word(word, morph) and forms[0].pos in ("ADJF", "PRTF")


def _previous_word(text: str, position: int) -> str:
    words = re.findall(r"[А-Яа-яЁёA-Za-z\-]+\.?", text[max(0, position - 40) : position])
    return words[-1] if words else ""


#: Legal forms as written (Russian, Kyrgyz, Kazakh, Uzbek, English), beside vocab.names.LEGAL_FORMS.
LEGAL_FORM_WORDS = frozenset(
    {
        "ООО",
        "ОАО",
        "ЗАО",
        "ПАО",
        "АО",
        "ОсОО",
        "ТОО",
        "АЖ",
        "МЧЖ",
        "ХК",
        "ГУП",
        "МУП",
        "ФГУП",
        "СП",
        "ИП",
        "LTD",
        "LLC",
        "JSC",
        "INC",
        "CO",
        "GMBH",
        "PLC",
        "CORP",
    }
)
_LEGAL_UPPER = frozenset(w.upper() for w in LEGAL_FORM_WORDS)


def _is_legal_form_only(mention: Mention) -> bool:
    words = words_of(mention.text)
    return bool(words) and all(w.key in LEGAL_FORMS or w.text.upper() in _LEGAL_UPPER for w in words)


def _explained_as_document(text: str, mention: Mention, morph: Any) -> bool:
    match = _EXPLAINED_AS.match(text[mention.stop : mention.stop + 80])
    if match is None or not is_abbreviation(mention.text):
        return False
    return any(lemma(w, morph) in DOCUMENTS for w in match.group("words").split())


def _split_place_off(doc: Doc, mention: Mention, place_keys: set[str]) -> list[Mention]:
    """A person span that opens with a place name ("Хэфэй Ло Юньфэн") as two mentions."""
    words = words_of(mention.text)
    if len(words) < 2:
        return [mention]
    before = _previous_word(doc.text, mention.start).rstrip(".").lower()
    first = words[0]
    if before not in SETTLEMENT_WORDS and not (len(words) >= 3 and first.key in place_keys):
        return [mention]
    place_stop = mention.start + first.stop
    person_start = mention.start + words[1].start
    place = Mention(
        LOC,
        mention.start,
        place_stop,
        doc.text[mention.start : place_stop],
        source=mention.source,
        kind="city" if before in SETTLEMENT_WORDS else None,
    )
    person = Mention(
        PER, person_start, mention.stop, doc.text[person_start : mention.stop], source=mention.source
    )
    return [place, person]


def _split_organization_off(doc: Doc, mention: Mention, morph: Any) -> list[Mention]:
    """A person span that opens with an organization's name in the genitive, as the dictionary
    knows it ("Аль-Кайды Хамзы бин Ладена", after "лидера"), as two mentions."""
    words = list(re.finditer(r"\S+", mention.text))
    if len(words) < 2:
        return [mention]
    forms = readings(words[0].group(), morph)
    if not forms or not all("Orgn" in f.tags and f.case == "gent" for f in forms):
        return [mention]
    organization_stop = mention.start + words[0].end()
    person_start = mention.start + words[1].start()
    organization = Mention(
        ORG,
        mention.start,
        organization_stop,
        doc.text[mention.start : organization_stop],
        source=mention.source,
    )
    person = Mention(
        PER, person_start, mention.stop, doc.text[person_start : mention.stop], source=mention.source
    )
    return [organization, person]


def repair_mentions(doc: Doc, morph: Any) -> None:
    """Trim, drop and split the document's mentions as this module's docstring says."""
    for mention in doc.mentions:
        trim(mention, doc.text)
    place_keys = {w.key for m in doc.mentions if m.type == LOC for w in words_of(m.text)[:1]}
    dateline = doc.dateline
    kept: list[Mention] = []
    for mention in doc.mentions:
        if mention.stop <= mention.start:
            continue
        if dateline is not None and mention.rule != "dateline" and mention.start < dateline.stop:
            continue  # "/Корр. БЕЛТА/": the dateline's words are read by datelines.py alone
        if mention.type == ORG and mention.source != "gazetteer":
            if _is_legal_form_only(mention) or _explained_as_document(doc.text, mention, morph):
                continue
        if mention.type in (LOC, ORG) and mention.source == "ner":
            if _title_alone(mention, morph):
                continue  # "Замглавы" opening a sentence is a title, not an organization
            _cut_title_off(doc, mention, morph)  # "Хоким Бухарской области": the title is not the place
        if mention.type == PER and mention.source == "ner":
            words = words_of(mention.text)
            if len(words) == 1 and _adjective_word(words[0].text, morph):
                continue  # "Чрезвычайный" opening an envoy's title
            before = _previous_word(doc.text, mention.start).lower()
            if before and before[:1].islower() and lemma(before, morph) in FACILITY_WORDS:
                continue
            for part in _split_place_off(doc, mention, place_keys):
                kept.extend(_split_organization_off(doc, part, morph) if part.type == PER else [part])
            continue
        kept.append(mention)
    doc.mentions = sorted(kept, key=lambda m: m.start)
    _retype_listed_persons(doc, morph)


_SURNAME_SHAPE = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ко|ук|юк|ский|цкий|ян|дзе|швили|ич|ова|ева|ина|ая)(?:а|у|ым|ом|е|ой|ую)?$"
)


def _name_like(word: str, morph: Any) -> bool:
    """A word the dictionary reads as a name, or shaped like a surname ("Минченко", "Илюмжинов")."""
    return bool(_SURNAME_SHAPE.search(word.lower())) or any(
        f.tags & {"Name", "Surn", "Patr"} for f in readings(word, morph)
    )


def _retype_listed_persons(doc: Doc, morph: Any) -> None:
    """A lone surname-like word among organizations listed with commas and "и" is an organization
    ("концерна «Белгоспищепром», Белкоопсоюза и облисполкомов")."""
    mentions = doc.mentions
    kept: list[Mention] = []
    for n, mention in enumerate(mentions):
        if mention.type == PER and len(words_of(mention.text)) == 1 and not _name_like(mention.text, morph):
            neighbours = [mentions[k] for k in (n - 1, n + 1) if 0 <= k < len(mentions)]
            glued = [
                m
                for m in neighbours
                if m.type == ORG
                and re.fullmatch(
                    r"[\s,»«\"]*(?:и)?[\s,»«\"]*",
                    doc.text[min(m.stop, mention.stop) : max(m.start, mention.start)] or ",",
                )
            ]
            if glued:
                mention.type = ORG
        kept.append(mention)
    doc.mentions = kept


# --------------------------------------------------------------------------- states and aliases


def _territory_keys() -> dict[str, list[Territory]]:
    keys: dict[str, list[Territory]] = {}
    for territory in TERRITORIES:
        for form in (territory.name, *territory.forms):
            keys.setdefault(name_words_key(form), []).append(territory)
    return keys


def name_words_key(text: str) -> str:
    """The stemmed key of a name as a whole ("Республики Беларусь" -> "respublikbelarus")."""
    return "".join(w.key for w in words_of(text))


_BY_FORM = _territory_keys()
_BY_ABBREVIATION: dict[str, list[Territory]] = {}
for _territory in TERRITORIES:
    for _abbr in _territory.abbreviations:
        _BY_ABBREVIATION.setdefault(_abbr.upper(), []).append(_territory)


def territory_of(mention: Mention, spoken_of: set[str]) -> Territory | None:
    """The state or republic a place mention names by a long or a short form, if the lexicon knows it.

    An abbreviation shared by two (РТ, РБ, РК) is the one whose name the text uses elsewhere.
    """
    text = mention.text.strip()
    candidates = _BY_ABBREVIATION.get(text.upper()) if is_abbreviation(text) else None
    if candidates is None:
        candidates = _BY_FORM.get(name_words_key(text))
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    named = [t for t in candidates if t.name in spoken_of]
    return named[0] if len(named) == 1 else None


def fold_territories(doc: Doc) -> None:
    """Give each mention of a state or republic (any form, any case) the state's name as its canon."""
    every = doc.mentions + doc.nested
    spoken_of: set[str] = set()
    for mention in every:
        if mention.type == LOC and not is_abbreviation(mention.text):
            territory = territory_of(mention, set())
            if territory is not None:
                spoken_of.add(territory.name)
    for mention in every:
        if mention.type not in (LOC, ORG) or mention.parts:
            continue
        territory = territory_of(mention, spoken_of)
        if territory is None:
            continue
        if mention.type == ORG and not is_abbreviation(mention.text):
            continue  # "Узбекистан" as a team or a brand stays what the model said
        mention.type, mention.canon = LOC, territory.name
        mention.kind = mention.kind or territory.level
        mention.country = territory.country


def infer_place_kinds(doc: Doc, morph: Any) -> None:
    """A place after "г.", "город", "село" is a settlement; one ending in "область", "край",
    "район" a region."""
    for mention in doc.mentions + doc.nested:
        if mention.type != LOC or mention.kind is not None:
            continue
        before = _previous_word(doc.text, mention.start).rstrip(".").lower()
        words = mention.text.split()
        if before and (before in SETTLEMENT_WORDS or lemma(before, morph) in SETTLEMENT_WORDS):
            mention.kind = "city"
        elif len(words) > 1 and lemma(words[-1], morph) in REGION_WORDS:
            mention.kind = "region"


def initials(text: str) -> str:
    """Initial letters of a name's words, hyphenated parts counted ("медико-биологическое" -> "МБ")."""
    parts = [p for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text) for p in w.split("-")]
    skip = {"и", "по", "в", "на", "для", "of", "and", "the"}
    return "".join(p[0].upper() for p in parts if p.lower() not in skip)


def find_aliases(doc: Doc) -> None:
    """Abbreviations that stand for a name of the same text: in brackets after it, or its initials."""
    orgs = [m for m in doc.mentions if m.type == ORG]
    for mention in orgs:
        match = _BRACKETED_ABBREVIATION.match(doc.text[mention.stop : mention.stop + 20])
        if match is None:
            continue
        a, b = mention.stop + match.start("abbr"), mention.stop + match.end("abbr")
        inside = next((m for m in doc.mentions if m.start <= a and b <= m.stop), None)
        if inside is None:
            inside = Mention(
                ORG, a, b, doc.text[a:b], source="rule", rule="abbreviation", normal=doc.text[a:b]
            )
            doc.mentions.append(inside)
        if inside.type == ORG:
            inside.alias_of = mention
    doc.mentions.sort(key=lambda m: m.start)
    full = [m for m in orgs if len(words_of(m.text)) >= 2 and m.alias_of is None]
    for mention in doc.mentions:
        if mention.type not in (ORG, LOC) or mention.canon:
            continue
        base = abbreviation_base(mention.text)
        if mention.alias_of is not None or base is None:
            continue
        letters = base.upper().replace("-", "")
        targets = {
            name_words_key(m.text): m
            for m in full
            if initials(m.normal or m.text) == letters or initials(m.text) == letters
        }
        if len(targets) == 1:
            mention.alias_of = next(iter(targets.values()))
            mention.type = ORG


_DECLINED_ABBREVIATION = re.compile(r"^(?P<base>[A-ZА-ЯЁ]{2,6})(?:а|у|ом|е|ы|ой|ом|ом)$")


def abbreviation_base(text: str) -> str | None:
    """An abbreviation without the case ending Russian adds to it ("МАЗа" -> "МАЗ"), or None."""
    if is_abbreviation(text):
        match = _DECLINED_ABBREVIATION.match(text)
        return match.group("base") if match else text
    return None


def same_word(a: str, b: str) -> bool:
    """Two words are one up to their Russian case ending."""
    return word_key(a) == word_key(b)
