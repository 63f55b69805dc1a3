"""Who holds which post where, in the shapes Russian news writes it.

A title is a head noun (lexicon.TITLE_HEADS, by lemma, any case and number) with the adjectives
before it ("первый", "генеральный", "Чрезвычайный и Полномочный"), the titles it is a deputy or
an adviser of ("заместитель министра"), and a tail: genitive words ("промышленности",
"экономики и финансов", "отдела международных проектов"), "по" + dative ("по закупкам"), the
organization ("генеральный директор Минского тракторного завода", "главой ПАО «КАМАЗ»"), a place
("аким Костаная", "хоким Ташкентской области", "Посол Республики Узбекистан в Республике
Беларусь"). It belongs to

* the person right after it: "министра промышленности Беларуси Андрея Кузнецова";
* each person of a list after it: "двое заместителей министра – Леонид Рыжковский и Денис Бакей",
  one territory each for a plural title: "президенты Кыргызстана и Узбекистана Садыр Жапаров и
  Шавкат Мирзиёев";
* the person before it and a comma or a dash: "Рахматулла Назаров, Чрезвычайный и Полномочный Посол ...";
* the person a verb puts in the post: "Иванов назначен министром", "стал президентом компании".

The organization is the one in the tail, else the one a word of the tail points back to
("президентом компании Ван Чуаньфу" after BYD), else the one of "X в лице директора ..." or of a
sentence opening "От X". With a place and no organization, the place stays in the title and the
organization is empty. Titles come out in the nominative singular.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cooplab.ingest.adapters import adapt_inflect, adapt_parses
from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention, PositionFact, Sentence, Token
from cooplab.ingest.inflection import join_words, nominative_phrase, restore_case
from cooplab.ingest.lexicon import (
    ANAPHORIC_BODY_WORDS,
    ANAPHORIC_ORG_WORDS,
    COUNTRY_ADJECTIVES,
    JOB_MODIFIERS,
    MINISTRY_HEADS,
    PERSON_ADJECTIVES,
    RANKS,
    SETTLEMENT_WORDS,
    STATE_TITLES,
    TITLE_CHAIN_HEADS,
    TITLE_HEADS,
    TITLE_MODIFIERS,
    UNIT_NOUNS,
)
from cooplab.ingest.words import ADJECTIVES, NOUNISH, can_be, has_lemma, is_russian, lemma

MAX_TITLE_WORDS = 10
#: Verbs that put a person in a post ("назначен министром", "стал президентом").
APPOINTING = frozenset(
    {
        "назначить",
        "избрать",
        "переизбрать",
        "стать",
        "являться",
        "работать",
        "служить",
        "утвердить",
        "занимать",
        "занять",
        "вступить",
        "покинуть",
        "оставить",
        "уйти",
        "уходить",
        "освободить",
        "уволить",
        "снять",
        "отстранить",
    }
)
_POST_WORDS = frozenset({"пост", "должность", "место"})
#: Titles that govern the instrumental: "заведующий кафедрой", "управляющий компанией".
_GOVERNING_ABLT = frozenset({"заведующий", "управляющий", "командующий"})
_PARTICIPLE_TITLES = {"управлять": "управляющий", "заведовать": "заведующий", "командовать": "командующий"}
_ABROAD_TITLES = frozenset(
    {
        "посол",
        "консул",
        "генконсул",
        "представитель",
        "полпред",
        "торгпред",
        "атташе",
        "посланник",
        "постпред",
        "советник-посланник",
    }
)
_SKIPPABLE = {"«", "»", '"', "“", "”", "„", "ПАО", "ОАО", "ООО", "ЗАО", "АО", "ОсОО", "ТОО", "ГУП", "СП"}
_DASHES = {"–", "—", "-", ":"}
_NOT_MODIFIERS = frozenset(
    {"двое", "трое", "оба", "который", "этот", "тот", "весь", "свой", "наш", "его", "её", "прошлый"}
)


@dataclass
class Item:
    """A token of a sentence, or a whole mention standing where its tokens are."""

    token: Token | None = None
    mention: Mention | None = None

    @property
    def text(self) -> str:
        return self.mention.text if self.mention else self.token.text if self.token else ""

    @property
    def word(self) -> str:
        return self.token.text if self.token else ""


@dataclass
class Title:
    """A title found in a sentence (item indices) with what its tail names."""

    first: int
    stop: int
    heads: list[int]  # the head nouns, the main one first ("заместитель", then "министра")
    job_stop: int  # end of the title's own words (before the organization or the place)
    unit_at: int | None = None  # where a unit described in the tail begins ("ежемесячной газеты")
    organization: Mention | None = None
    places: list[Mention] = field(default_factory=list)
    place_words: tuple[int, int] | None = None  # item span of the place part kept in the title
    points_back: bool = False  # the tail says "компании" and names none
    pointer: str = ""  # the word that points back ("компании", "ведомства")
    plural: bool = False
    shared_unit: Title | None = None  # a title in apposition whose unit this one shares
    acting: bool = False  # "исполняющий обязанности ...": the words stay as written
    organizations: list[Mention] = field(default_factory=list)  # more of a plural title's, in turn
    organization_from: int | None = None  # where adjectives of the organization's name begin
    organization_place: Mention | None = None  # the territory right after the organization's name
    organization_area: tuple[int, int] | None = None  # "по" + the territories a body's branch covers
    more_units: list[tuple[int, int]] = field(default_factory=list)  # bodies after "и" that are no mention
    country_back: bool = False  # "премьер-министром страны": the country the text has named
    unit_stop: int | None = None  # where the unit ends when words of time follow it ("последних лет")


def items_of(sentence: Sentence, mentions: list[Mention]) -> list[Item]:
    """A sentence as its tokens, with each mention standing for its tokens."""
    items: list[Item] = []
    ms = sorted(mentions, key=lambda m: m.start)
    k = 0
    for token in sentence.tokens:
        while k < len(ms) and ms[k].stop <= token.start:
            k += 1
        if k < len(ms) and ms[k].start <= token.start < ms[k].stop:
            if not items or items[-1].mention is not ms[k]:
                items.append(Item(mention=ms[k]))
            continue
        items.append(Item(token=token))
    return _without_original_spellings(items)


_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿĀ-ž][A-Za-zÀ-ÿĀ-ž'.-]*")


def _without_original_spellings(items: list[Item]) -> list[Item]:
    """The items without a name's spelling in its own script in brackets right after it ("Скотт
    Хоровитц (Scott Horowitz), бывший астронавт"): the words in brackets repeat the name, and what
    follows them is said of the person before them."""
    out: list[Item] = []
    k = 0
    while k < len(items):
        item = items[k]
        out.append(item)
        k += 1
        if item.mention is None or item.mention.type != PER or k >= len(items) or items[k].word != "(":
            continue
        j = k + 1
        while (
            j < len(items)
            and j - k <= 4
            and items[j].token is not None
            and _LATIN_WORD.fullmatch(items[j].word)
        ):
            j += 1
        if j > k + 1 and j < len(items) and items[j].word == ")":
            k = j + 1
    return out


def _head(item: Item, morph: Any) -> str | None:
    if item.token is None or not is_russian(item.word):
        return None
    forms = adapt_parses(item.word, morph)
    if forms and forms[0].pos in ("PREP", "CONJ", "ADVB", "PRCL"):
        return None  # "после" is a preposition before it is a form of "посол"
    word = item.word
    for prefix in ("экс-", "Экс-", "ЭКС-"):
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            word = word[len(prefix) :]  # "Экс-председатель", "экс-премьера"
    return has_lemma(word, morph, TITLE_HEADS, NOUNISH)


_AGE = re.compile(r"^\d+-(летн|лет)[а-яё]*$")  # "45-летний"


def _is_modifier(item: Item, morph: Any) -> bool:
    if item.token is None or not is_russian(item.word) or item.word.lower() in _NOT_MODIFIERS:
        return False
    forms = adapt_parses(item.word, morph)
    if any(f.pos == "ADJF" and f.normal.replace("ё", "е") in TITLE_MODIFIERS for f in forms[:3]):
        return True  # "старший" reads as a noun first
    if any(f.pos == "PRTF" and f.normal == "управлять" for f in forms[:3]):
        return True  # "управляющий партнёр"
    return bool(forms) and forms[0].pos == "ADJF" and lemma(item.word, morph) not in _NOT_MODIFIERS


def _genitive_words(items: list[Item], k: int, morph: Any, case: str = "gent") -> int:
    """End of a genitive noun phrase of lower-case words at items[k] (k if there is none); another
    case if asked ("заведующий кафедрой": instrumental)."""
    j = k
    while (
        j < len(items)
        and items[j].token is not None
        and is_russian(items[j].word)
        and items[j].word[:1].islower()
        and (
            can_be(items[j].word, morph, case=case, pos=ADJECTIVES)
            and not can_be(items[j].word, morph, case=case, pos=NOUNISH)
            or j > k
            and items[j].word.lower() in _DEGREE_ADVERBS  # "немецкой крайне левой партии"
        )
    ):
        j += 1
    if (
        j < len(items)
        and items[j].token is not None
        and is_russian(items[j].word)
        and (
            items[j].word[:1].islower()
            or items[j].word[:1].isupper()
            and j > 0
            and not items[j].word.isupper()
        )
        and can_be(items[j].word, morph, case=case, pos=NOUNISH)
        and _head_free(items[j], morph)
        and items[j].word.lower() not in _PREPOSITIONS
    ):
        return j + 1
    return k


#: Prepositions that a dictionary also reads as abbreviated nouns ("в" for volts, "с" for seconds).
_PREPOSITIONS = frozenset(
    {"в", "во", "на", "с", "со", "к", "ко", "о", "об", "у", "по", "от", "до", "за", "из", "при"}
)


def _head_free(item: Item, morph: Any) -> bool:
    """A genitive noun of a tail that is not the name of a person (capitalised Name/Surn readings)."""
    if item.word[:1].isupper():
        return not any(f.tags & {"Name", "Surn", "Patr"} for f in adapt_parses(item.word, morph)[:2])
    return True


def _dative_words(items: list[Item], k: int, morph: Any) -> int:
    j = k
    while (
        j < len(items)
        and items[j].token is not None
        and is_russian(items[j].word)
        and items[j].word[:1].islower()
        and can_be(items[j].word, morph, case="datv", pos=ADJECTIVES)
        and not can_be(items[j].word, morph, case="datv", pos=NOUNISH)
    ):
        j += 1
    if (
        j < len(items)
        and items[j].token is not None
        and items[j].word[:1].islower()
        and can_be(items[j].word, morph, case="datv", pos=NOUNISH)
    ):
        return j + 1
    return k


def _located_words(items: list[Item], k: int, morph: Any) -> int:
    """End of the lower-case words in the prepositional case at items[k] before a name ("компании",
    "на крупном заводе"), k if there are none."""
    j = k
    while (
        j < len(items)
        and j - k < 3
        and items[j].token is not None
        and is_russian(items[j].word)
        and items[j].word[:1].islower()
        and can_be(items[j].word, morph, case="loct")
    ):
        j += 1
    return j


def _with_words(items: list[Item], k: int, morph: Any) -> int:
    """End of "с" + an instrumental noun phrase at items[k] closing a field ("по связям с
    общественностью", "по работе с клиентами"), k if there is none."""
    if k + 1 < len(items) and items[k].word.lower() in ("с", "со"):
        after = _genitive_words(items, k + 1, morph, case="ablt")
        if after > k + 1:
            return after
    return k


def _skip_abbreviation(items: list[Item], k: int) -> int:
    """Step over "(«МТЗ»)" or "(МТЗ)" written after a name."""
    if k < len(items) and items[k].word == "(":
        j = k + 1
        while j < len(items) and j - k < 6 and items[j].word != ")":
            j += 1
        if j < len(items) and items[j].word == ")":
            return j + 1
    return k


def _participle_head(items: list[Item], h: int, morph: Any) -> str | None:
    """A participle heading a title before the instrumental it governs: "управляющий компанией",
    "заведующая кафедрой" (pymorphy reads them as participles only)."""
    if items[h].token is None or h + 1 >= len(items) or not is_russian(items[h].word):
        return None
    for form in adapt_parses(items[h].word, morph):
        title = _PARTICIPLE_TITLES.get(form.normal)
        if title is not None and form.pos == "PRTF":
            nxt = items[h + 1]
            if (
                nxt.mention is not None
                and nxt.mention.type == ORG
                or (nxt.token is not None and can_be(nxt.word, morph, case="ablt", pos=NOUNISH | ADJECTIVES))
            ):
                return title
    return None


#: Title heads written short with a full stop: "зав. кафедрой", "зам. директора".
_SHORT_HEADS = {"зав": "заведующий", "зам": "заместитель"}


def _short_head(items: list[Item], h: int) -> str | None:
    """The head a short form with its full stop stands for ("зав." before a noun), None otherwise."""
    if (
        items[h].token is not None
        and h + 2 < len(items)
        and items[h + 1].word == "."
        and items[h + 2].token is not None
        and items[h + 2].word[:1].islower()
    ):
        return _SHORT_HEADS.get(items[h].word.lower())
    return None


def find_title(items: list[Item], h: int, morph: Any) -> Title | None:
    """The title whose first head noun is items[h]."""
    short = _short_head(items, h)
    lead = short or _head(items[h], morph) or _participle_head(items, h, morph)
    if lead is None or lead == "глава" and h > 0 and items[h - 1].word.lower() == "во":
        return None  # "во главе с министром": the minister heads the delegation
    first = h
    while first > 0 and _is_modifier(items[first - 1], morph):
        first -= 1
    if (
        first > 1
        and items[first - 1].word.lower() == "и"
        and _is_modifier(items[first - 2], morph)
        and items[first - 2].word[:1].isupper() == items[first].word[:1].isupper()
    ):
        first -= 2  # "Чрезвычайный и Полномочный Посол"
        while first > 0 and _is_modifier(items[first - 1], morph):
            first -= 1
    acting = False
    if (
        first > 1
        and lemma(items[first - 1].word, morph) == "обязанность"
        and lemma(items[first - 2].word, morph) == "исполнять"
    ):
        first -= 2  # "исполняющий обязанности официального представителя"
        if first > 0 and items[first - 1].word.lower() == "временно":
            first -= 1
        acting = True
    heads = [h]
    k = h + 2 if short else h + 1  # "зав." is the head and its full stop
    lemma_now = lead
    while k < len(items) and lemma_now in TITLE_CHAIN_HEADS:
        nxt = _head(items[k], morph)
        if nxt is None or not can_be(items[k].word, morph, case="gent"):
            break
        heads.append(k)
        lemma_now = nxt
        k += 1
    plural = any(f.number == "plur" and f.case is not None for f in adapt_parses(items[h].word, morph)[:1])
    title = Title(first=first, stop=k, heads=heads, job_stop=k, plural=plural, acting=acting)
    _read_tail(items, title, lead, lemma_now, morph)
    return title


def _read_tail(items: list[Item], title: Title, lead: str, last_head: str, morph: Any) -> None:
    """Extend a title over its tail, noting the organization or the place it names."""
    k = title.stop
    dative = False  # the tail's last words are "по" + dative
    while k < len(items) and k - title.first < MAX_TITLE_WORDS:
        item = items[k]
        if item.mention is not None:
            if item.mention.type == ORG:
                _take_organization(items, title, k, morph)
                return
            if item.mention.type == LOC:
                _read_places(items, title, k, lead, last_head, morph)
                return
            return
        word = item.word
        if (
            word in _SKIPPABLE
            and k + 1 < len(items)
            and (items[k + 1].mention is not None or items[k + 1].word in _SKIPPABLE)
        ):
            k += 1
            continue
        if (
            word.lower() == "и"
            and k + 1 < len(items)
            and items[k + 1].token is not None
            and _head(items[k + 1], morph) is None
        ):
            after = _genitive_words(items, k + 1, morph)
            if after == k + 1 and dative:
                after = _dative_words(items, k + 1, morph)  # "по стратегии и развитию бизнеса"
            if after > k + 1:
                k = title.stop = title.job_stop = after
                continue
            return
        if word.lower() == "и":
            return  # "директор и заместитель": another title
        if word.lower() == "по" and k + 1 < len(items):
            after = _dative_words(items, k + 1, morph)
            if after > k + 1:
                after = _with_words(items, after, morph)  # "по связям с общественностью"
                k = title.stop = title.job_stop = after
                dative = True
                continue
            return
        dative = False
        if word.lower() == "от":
            if k + 1 < len(items) and items[k + 1].mention is not None and items[k + 1].mention.type == ORG:
                _take_organization(items, title, k + 1, morph)  # "наблюдатель от ОБСЕ"
            return
        if word.lower() in ("в", "во", "на"):
            if _is_place(items, k + 1) and _envoy_to_a_territory(items, title, lead, morph):
                _read_places(items, title, k + 1, lead, last_head, morph, place_from=k)
                return  # "полпред президента в Уральском федеральном округе"
            at = _skip_quotes(items, _located_words(items, k + 1, morph))
            if at < len(items) and items[at].mention is not None and items[at].mention.type == ORG:
                title.job_stop = k
                _take_organization(items, title, at, morph)  # "менеджер по продажам в компании «Вектор»"
            return
        if word.lower() == "из" and k == title.stop:
            at = k + 1
            while at - k < 6 and (nxt := _genitive_words(items, at, morph)) > at:
                at = nxt  # "из цеха окончательной сборки"
            at = _skip_quotes(items, at)
            if at < len(items) and items[at].mention is not None and items[at].mention.type == ORG:
                title.job_stop = k
                _take_organization(items, title, at, morph)  # "инженер из цеха сборки «Вектора»"
            return
        at = _adjectives(items, k, morph)
        if at > k:
            at = _skip_quotes(items, at)
            if at < len(items) and items[at].mention is not None and items[at].mention.type == ORG:
                _take_organization(
                    items, title, at, morph
                )  # "глава японского МИДа", "ленинградского «Телевизора»"
                if at == _adjectives(items, k, morph) and _named_by_noun(items[at].mention, morph):
                    title.organization_from = k  # "внешнеполитического ведомства", "синодального Отдела"
                return
        after = _genitive_words(items, k, morph)
        if (
            after == k
            and k == title.stop
            and (k == title.heads[-1] + 1 or k == title.heads[-1] + 2 and items[k - 1].word == ".")
            and last_head in _GOVERNING_ABLT
        ):
            after = _genitive_words(items, k, morph, case="ablt")  # "управляющий компанией"
        if after == k:
            return
        noun = items[after - 1].word
        time_end = _time_phrase_end(items, k, after, morph)
        if time_end is not None and k > title.heads[-1] + 1:
            title.unit_stop = k  # "вратарь сборной последних лет": a time said of the post, not a body
            title.stop = time_end
            return
        if (
            after < len(items)
            and items[after].mention is not None
            and items[after].mention.type == PER
            and has_lemma(noun, morph, RANKS, NOUNISH) is not None
        ):
            return  # "заместитель командующего округом генерал-майор X": the rank is a title of its own
        noun_lemma = lemma(noun, morph)
        if (
            noun_lemma == "страна"
            and after == k + 1
            and k == title.stop
            and has_lemma(items[title.heads[0]].word, morph, STATE_TITLES, NOUNISH) is not None
            and not title.plural
        ):
            title.country_back = True  # "премьер-министром страны": the country is named before
            title.stop = after
            return
        if title.unit_at is None and noun_lemma in UNIT_NOUNS:
            start = k
            while (
                start - 1 > title.heads[-1]
                and items[start - 1].token is not None
                and can_be(items[start - 1].word, morph, pos=ADJECTIVES)
            ):
                start -= 1  # "московского отделения": the adjective belongs to the unit
            title.unit_at = start
        if title.unit_at is not None and noun_lemma in UNIT_NOUNS:
            closing = _quoted_name(items, after)
            if closing is not None:  # "лидер партии «Dog with two tails»": the unit's name, no mention
                title.stop = closing
                return
        if noun_lemma in ANAPHORIC_ORG_WORDS:
            nxt = _skip_quotes(items, after)
            if nxt < len(items) and items[nxt].mention is not None and items[nxt].mention.type == ORG:
                _take_organization(items, title, nxt, morph)
                return
            if nxt < len(items) and items[nxt].mention is not None and items[nxt].mention.type == PER:
                title.points_back = True  # "президентом компании Ван Чуаньфу"
                title.pointer = noun_lemma
                title.stop = after
                return
        if (
            noun_lemma in SETTLEMENT_WORDS
            and after < len(items)
            and items[after].mention is not None
            and items[after].mention.type == LOC
        ):
            _read_places(items, title, after, lead, last_head, morph, place_from=k)
            return
        k = title.stop = title.job_stop = after


def _named_by_noun(mention: Mention, morph: Any) -> bool:
    """Whether an organization's name opens with a common noun ("ведомства России", "Отдела по
    взаимоотношениям ..."), not an abbreviation, a quoted or a proper name ("МИДа", "Национального
    фронта")."""
    first = mention.text.split()[0] if mention.text else ""
    if not is_russian(first) or first.isupper() or len(first) < 3:
        return False
    forms = adapt_parses(first, morph)
    return (
        bool(forms)
        and forms[0].pos == "NOUN"
        and not forms[0].tags & {"Name", "Surn", "Geox", "Orgn", "Abbr"}
    )


def _organization_name(doc: Doc, items: list[Item], title: Title, morph: Any) -> str:
    """The organization with the adjectives before it in the title, in the nominative."""
    at = title.organization_from
    if title.organization is None:
        return ""
    area = _join(items, *title.organization_area, doc.text) if title.organization_area else ""
    if at is None:
        place = title.organization_place
        if place is None and not area:
            return ""
        return " ".join([title.organization.normal or title.organization.text, place.text if place else area])
    start, stop = items[at].token.start, title.organization.stop
    found = list(re.finditer(r"[^\s]+", doc.text[start:stop]))
    words = [m.group() for m in found]
    separators = [
        doc.text[start + a.end() : start + b.start()] for a, b in zip(found, found[1:], strict=False)
    ]
    return " ".join(part for part in (join_words(nominative_phrase(words, morph), separators), area) if part)


def _quoted_name(items: list[Item], k: int) -> int | None:
    """The end (after the closing quote) of a «quoted name» of words at items[k], no mention inside."""
    if k >= len(items) or items[k].word not in ("«", '"', "“", "„"):
        return None
    for j in range(k + 1, min(len(items), k + 8)):
        if items[j].mention is not None:
            return None
        if items[j].word in ("»", '"', "”", "“"):
            return j + 1 if j > k + 1 else None
    return None


def _take_organization(items: list[Item], title: Title, k: int, morph: Any) -> None:
    title.organization = items[k].mention
    after = _skip_closing(items, k + 1)
    if _is_place(items, after) and not items[k].mention.parts:
        title.organization_place = items[after].mention  # "Федеральной миграционной службы России"
    start = _skip_abbreviation(items, after)
    area = _area_of_branch(items, start, morph)
    if area is not None:  # "пресс-службы МЧС по Самарской области": the branch is named by its area
        title.organization_area = (start, area)
        start = area
    title.stop = _after_organization(items, start, morph)
    while title.stop + 1 < len(items) and items[title.stop].word.lower() == "и":
        j = _skip_quotes(items, title.stop + 1)  # "главы компаний «Вектор» и «Заря»"
        if j >= len(items) or items[j].mention is None or items[j].mention.type != ORG:
            break
        title.organizations.append(items[j].mention)
        title.stop = _skip_closing(items, j + 1)
    if not title.organizations and title.stop + 2 < len(items) and items[title.stop].word.lower() == "и":
        end = _coordinated_body(items, title.stop + 1, morph)
        if end is not None:  # "члена Общественной палаты и российско-американской рабочей группы"
            title.more_units.append((title.stop + 1, end))
            title.stop = end


def _area_of_branch(items: list[Item], k: int, morph: Any) -> int | None:
    """End of "по" + the places in the dative after a body's name: a branch of a state body is named by
    the territory it serves ("управления ФСБ по Москве", "ГУ МВД по Самарской области и Чувашии");
    None when no place follows "по"."""
    if not (k + 1 < len(items) and items[k].word.lower() == "по" and _is_place(items, k + 1)):
        return None
    j = k + 1
    while True:
        place = items[j].mention
        if place is None or not can_be(place.text.split()[0], morph, case="datv"):
            return None if j == k + 1 else j - 1
        j += 1
        if not (j + 1 < len(items) and items[j].word.lower() == "и" and _is_place(items, j + 1)):
            return j
        j += 1


def _coordinated_body(items: list[Item], k: int, morph: Any) -> int | None:
    """End of a body named by words at items[k] after an organization and "и" ("российско-американской
    рабочей группы по гражданскому обществу"): genitive adjectives, a noun of a body, a field after
    "по"; None when it is no body or another title follows."""
    if _head(items[k], morph) is not None:
        return None
    end = _genitive_words(items, k, morph)
    if end == k or end - k < 2 or lemma(items[end - 1].word, morph) not in UNIT_NOUNS:
        return None  # one noun alone ("и правительства") is no name of a body
    if end + 1 < len(items) and items[end].word.lower() == "по":
        after = _dative_words(items, end + 1, morph)
        if after > end + 1:
            end = _genitive_words(items, after, morph)
    return end if _ends_clause(items, end) else None


def _adjectives(items: list[Item], k: int, morph: Any) -> int:
    """End of the lower-case genitive adjectives at items[k] ("японского", "внешнеполитического"), an
    adverb of degree among them ("французского крайне правого")."""
    j = k
    while j < len(items) and items[j].token is not None and is_russian(items[j].word):
        word = items[j].word
        if (
            j > k
            and j + 1 < len(items)
            and word.lower() in _DEGREE_ADVERBS
            and _adjectives(items, j + 1, morph) > j + 1
        ):
            j += 1
            continue
        if not (
            word[:1].islower()
            and adapt_parses(word, morph)[0].pos in ADJECTIVES
            and can_be(word, morph, case="gent", pos=ADJECTIVES)
        ):
            break
        j += 1
    return j


_DEGREE_ADVERBS = frozenset({"крайне", "наиболее", "самой", "самого", "весьма", "очень", "особо"})


def _is_place(items: list[Item], k: int) -> bool:
    return k < len(items) and items[k].mention is not None and items[k].mention.type == LOC


def _after_organization(items: list[Item], k: int, morph: Any) -> int:
    """Step over what may follow an organization inside a title: its territory ("Федеральной
    миграционной службы России"), "при X" ("Следственного комитета при прокуратуре"), the field
    ("НАСА по космическим полётам"), the constituency ("от штата Аризона"), the countries of a
    company's office ("Philips в России, на Украине и в Казахстане")."""
    if _is_place(items, k):
        k += 1
    if k + 1 < len(items) and items[k].word.lower() == "по":
        after = _dative_words(items, k + 1, morph)
        while after > k + 1 and after + 1 < len(items) and items[after].word.lower() == "и":
            more = _dative_words(items, after + 1, morph)  # "по стратегии и развитию бизнеса"
            if more == after + 1:
                break
            after = _genitive_words(items, more, morph)
        if after > k + 1:
            k = _with_words(items, after, morph)
            if k == after:
                k = _genitive_words(items, after, morph)
    if k + 1 < len(items) and items[k].word.lower() == "от":
        j = _skip_quotes(items, _genitive_words(items, k + 1, morph))  # "от штата Аризона"
        if _is_place(items, j):
            k = j + 1
        elif j < len(items) and items[j].mention is not None and items[j].mention.type == ORG:
            k = _skip_closing(items, j + 1)  # "депутат Думы от партии «Вектор»"
    if k + 1 < len(items) and items[k].word.lower() in ("в", "во", "на") and _is_place(items, k + 1):
        k += 2
        while k + 1 < len(items) and items[k].word in (",", "и"):
            j = k + 1
            if j + 1 < len(items) and items[j].word.lower() in ("в", "во", "на"):
                j += 1
            if not _is_place(items, j):
                break
            k = j + 1
    if k + 1 < len(items) and items[k].word.lower() == "при":
        j = k + 1
        while (
            j < len(items)
            and items[j].token is not None
            and is_russian(items[j].word)
            and can_be(items[j].word, morph, case="loct")
            and j - k < 4
        ):
            j += 1
        if j > k + 1:
            k = j + 1 if _is_place(items, j) else j  # "при главном архитекторе Москвы"
    return k


def _skip_closing(items: list[Item], k: int) -> int:
    while k < len(items) and items[k].word in ("»", '"', "”"):
        k += 1
    return k


def _skip_quotes(items: list[Item], k: int) -> int:
    while k < len(items) and items[k].word in _SKIPPABLE:
        k += 1
    return k


def _envoy_to_a_territory(items: list[Item], title: Title, lead: str, morph: Any) -> bool:
    """Whether the title is an envoy's who serves a territory of his own state ("полпред президента",
    "полномочный представитель президента"): "в" + a place names the territory of the post."""
    if lead == "полпред":
        return True
    return lead == "представитель" and any(
        lemma(items[i].word, morph) == "полномочный"
        for i in range(title.first, title.heads[0])
        if items[i].token is not None
    )


def _read_places(
    items: list[Item],
    title: Title,
    k: int,
    lead: str,
    last_head: str,
    morph: Any,
    place_from: int | None = None,
) -> None:
    """The place (or places, "Кыргызстана и Узбекистана") a title names, with "в + place" for envoys."""
    start = place_from if place_from is not None else k
    title.places.append(items[k].mention)
    j = k + 1
    while (
        j + 1 < len(items)
        and items[j].word.lower() == "и"
        and items[j + 1].mention is not None
        and items[j + 1].mention.type == LOC
        and title.plural
    ):
        title.places.append(items[j + 1].mention)
        j += 2
    if (
        (lead in _ABROAD_TITLES or last_head in _ABROAD_TITLES)
        and j + 1 < len(items)
        and items[j].word.lower() in ("в", "во", "на")
        and items[j + 1].mention is not None
        and items[j + 1].mention.type == LOC
    ):
        j += 2
    title.place_words = (start, j)
    if j + 1 < len(items) and items[j].word.lower() == "по":
        after = _dative_words(items, j + 1, morph)  # "тренер сборной России по хоккею"
        if after > j + 1:
            j = _genitive_words(items, after, morph)
    title.stop = j


# --------------------------------------------------------------------------- the title's words


def _nominative_words(items: list[Item], title: Title, morph: Any) -> list[str]:
    """The title's own words in the nominative singular: modifiers and main head change, the rest stays."""
    main = title.heads[0]
    head_word = items[main].word
    head_lemma = has_lemma(head_word, morph, TITLE_HEADS, NOUNISH) or lemma(head_word, morph)
    head_lemma = _PARTICIPLE_TITLES.get(head_lemma, head_lemma)
    head_form = next(
        (f for f in adapt_parses(head_word, morph) if f.normal.replace("ё", "е") == head_lemma), None
    )
    gender = "masc" if head_form is None or head_form.gender in (None, "ms-f") else head_form.gender
    words: list[str] = []
    if title.acting or _short_head(items, main):
        return [
            items[k].word if items[k].token is not None else items[k].text
            for k in range(title.first, title.job_stop)
        ]
    for k in range(title.first, title.job_stop):
        word = items[k].word if items[k].token is not None else items[k].text
        if k == main:
            words.append(restore_case(word, head_lemma))
        elif title.first <= k < main and items[k].token is not None and word.lower() != "и":
            words.append(restore_case(word, _adjective_nominative(word, gender, morph)))
        else:
            words.append(word)
    return words


#: Offices one holds after another: "первый президент" counts the holders, it is no rank of the job
#: (as "первый заместитель" is).
_COUNTED_OFFICES = frozenset({"президент", "премьер-министр", "канцлер", "губернатор", "мэр"})


def _ordinal_of_office(items: list[Item], k: int, title: Title, morph: Any) -> bool:
    """Whether items[k] is "первый" right before an office counted by its holders ("первого
    президента России")."""
    return (
        k + 1 == title.heads[0]
        and lemma(items[k].word, morph) == "первый"
        and len(title.heads) == 1
        and has_lemma(items[title.heads[0]].word, morph, _COUNTED_OFFICES, NOUNISH) is not None
    )


def _adjective_nominative(word: str, gender: str, morph: Any) -> str:
    for form in adapt_parses(word, morph):
        if form.pos == "ADJF":
            inflected = adapt_inflect(form, {"nomn", "sing", gender}, morph)
            if inflected:
                return inflected
    return word


def _join(items: list[Item], start: int, stop: int, text: str, words: list[str] | None = None) -> str:
    pieces = [items[k] for k in range(start, stop)]
    if not pieces:
        return ""
    spans = [
        (it.mention.start, it.mention.stop) if it.mention else (it.token.start, it.token.stop)
        for it in pieces
    ]
    values = words if words is not None else [text[a:b] for a, b in spans]
    out = values[0]
    for (_a_prev, b_prev), (a, _b), value in zip(spans, spans[1:], values[1:], strict=False):
        out += text[b_prev:a] + value
    return out


# --------------------------------------------------------------------------- attaching titles to people


def _geo_adjective(word: str, morph: Any) -> bool:
    """An adjective of a place ("подмосковный", "британский", "Тбилисский"), not of the job itself."""
    forms = adapt_parses(word, morph)
    if not forms or forms[0].pos != "ADJF":
        return False
    name = forms[0].normal
    return (
        "Geox" in forms[0].tags
        or (name.endswith(("ский", "цкий")) and name not in JOB_MODIFIERS)
        or name in ("подмосковный", "южноуральский")
    )


def _state_of(adjective: str, head: str, morph: Any) -> str | None:
    """The state an adjective before a state title names: "российского президента" -> Россия."""
    if has_lemma(head, morph, STATE_TITLES, NOUNISH) is None:
        return None
    return COUNTRY_ADJECTIVES.get(lemma(adjective, morph))


def _context_organization(items: list[Item], person_at: int) -> Mention | None:
    """The organization of "X в лице ..." before the person, or of a sentence opening "От X"."""
    for k in range(person_at - 1, 0, -1):
        item = items[k]
        if item.word.lower() == "лице" and items[k - 1].word.lower() == "в":
            o = k - 2
            while o > 0 and items[o].word in (",", "»", '"', "”"):
                o -= 1  # "компанией «Вектор» в лице", "Компания «Вектор», в лице"
            if o >= 0 and items[o].mention is not None and items[o].mention.type == ORG:
                return items[o].mention
            break
    if (
        len(items) > 1
        and items[0].word.lower() == "от"
        and items[1].mention is not None
        and items[1].mention.type == ORG
    ):
        return items[1].mention
    if (
        len(items) > 2
        and items[0].word.lower() in ("в", "во")
        and items[1].mention is not None
        and items[1].mention.type == ORG
        and items[1].mention.kind != "media"
    ):  # "В парламенте, где у партии большинство, спикер Иван Орлов заявил": the body the sentence is set in
        return items[1].mention
    for k in range(person_at - 2, 0, -1):  # "Со стороны компании «X» документ подписал директор ..."
        if items[k].word.lower() == "стороны" and items[k - 1].word.lower() == "со":
            j = k + 1
            while j < person_at and items[j].token is not None and items[j].word[:1].islower():
                j += 1  # "со стороны компании"
            j = _skip_quotes(items, j)
            if j < person_at and items[j].mention is not None and items[j].mention.type == ORG:
                return items[j].mention
            break
    return None


def _people_before(items: list[Item], k: int) -> list[int]:
    """Indices of the persons of a list ending at items[k]: "A", "A и B", "A, B и C"."""
    found = [k]
    while k >= 2 and items[k - 1].word in (",", "и") and items[k - 2].mention is not None:
        if items[k - 2].mention.type != PER:
            break
        k -= 2
        found.insert(0, k)
    return found


#: Verbs that name someone into a post, the person their object and the title in the instrumental.
_NAMING_INTO = APPOINTING | {"назвать", "признать", "объявить", "выбрать"}


def _named_into(items: list[Item], title: Title, at: int, morph: Any) -> bool:
    """Whether items[at] is a person a verb before names into the title after them: "назначил
    Ивана Орлова директором завода", "избрали Анну Котову председателем"."""
    if items[at].mention is None or items[at].mention.type != PER:
        return False
    if not can_be(items[title.heads[0]].word, morph, case="ablt"):
        return False
    for j in range(at - 1, max(-1, at - 4), -1):
        if items[j].token is None:
            return False
        if has_lemma(items[j].word, morph, _NAMING_INTO) is not None:
            return True
    return False


def _possessive_before(items: list[Item], k: int) -> bool:
    """Whether "его", "её" or "их" stands before a title ("и его заместитель")."""
    return k > 0 and items[k - 1].token is not None and items[k - 1].word.lower() in ("его", "ее", "её", "их")


def _reflexive_before(items: list[Item], k: int, morph: Any) -> bool:
    """Whether a form of "свой" stands before a title ("поддержало своего председателя"): the title is
    of the body the sentence speaks of."""
    return k > 0 and items[k - 1].token is not None and lemma(items[k - 1].word, morph) == "свой"


def _people_after(items: list[Item], k: int) -> list[int]:
    """Indices of the persons of a list starting at items[k]: "A", "A и B", "A, B и C"."""
    found: list[int] = []
    while k < len(items) and items[k].mention is not None and items[k].mention.type == PER:
        found.append(k)
        if (
            k + 2 < len(items)
            and items[k + 1].word in (",", "и")
            and items[k + 2].mention is not None
            and items[k + 2].mention.type == PER
        ):
            k += 2
            continue
        break
    return found


def _appointing_before(items: list[Item], k: int, morph: Any) -> int | None:
    """The person a verb before items[k] puts in the post: "Иванов назначен (на пост) министром"."""
    j = k - 1
    if j >= 0 and lemma(items[j].word, morph) in _POST_WORDS:
        j -= 1
        if j >= 0 and items[j].word.lower() in ("на", "в", "с", "со", "от"):
            j -= 1  # "назначен на пост", "ушёл с поста", "освобождён от должности"
    hops = 0
    while j >= 0 and hops < 3:
        word = items[j].word
        if items[j].token is not None and is_russian(word) and has_lemma(word, morph, APPOINTING) is not None:
            p = j - 1
            skipped = 0
            while (
                p >= 0
                and items[p].token is not None
                and skipped < 3
                and (
                    items[p].word.lower()
                    in ("был", "была", "были", "будет", ",", "также", "уже", "ранее", "ныне")
                    or can_be(items[p].word, morph, pos=frozenset({"ADVB"}))
                    or can_be(items[p].word, morph, pos=frozenset({"VERB"}))
                )
            ):  # "согласился занять пост"
                p -= 1
                skipped += 1
            if p >= 0 and items[p].mention is not None and items[p].mention.type == PER:
                return p
            if (
                p >= 2
                and lemma(items[p].word, morph) == "который"
                and items[p - 1].word == ","
                and items[p - 2].mention is not None
                and items[p - 2].mention.type == PER
            ):
                return p - 2  # "Иван Орлов, который стал директором завода"
            comma = next((q for q in range(j - 1, p - 1, -1) if items[q].word == ","), None)
            if comma is not None and comma >= 1:
                return _clause_subject(items, comma)
            return None
        if items[j].token is None or not (
            word.lower() in ("был", "была", "будет") or can_be(word, morph, pos=frozenset({"ADVB"}))
        ):
            return None
        j -= 1
        hops += 1
    return None


_TAKING = frozenset({"занять", "занимать"})
_AT = frozenset({"в", "во", "на"})


def _post_taken_by(items: list[Item], title: Title, morph: Any) -> int | None:
    """The person who takes a post named first: "Место спикера Палаты представителей в новом Конгрессе
    занял республиканец Джон Бенер", "Пост директора завода занимает Олег Сомов" (a word of what the
    person is may stand before the name)."""
    if title.first == 0 or lemma(items[title.first - 1].word, morph) not in _POST_WORDS | {"кресло"}:
        return None
    if not can_be(items[title.heads[0]].word, morph, case="gent"):
        return None
    for j in range(title.stop, min(len(items), title.stop + 7)):
        item = items[j]
        if (
            item.mention is not None
            and item.mention.type != PER
            and any(items[q].word.lower() in _AT for q in range(max(title.stop, j - 2), j))
        ):
            continue  # "в новом Конгрессе"
        if item.mention is not None or item.word in (",", ".", ";", ":"):
            return None
        if is_russian(item.word) and has_lemma(item.word, morph, _TAKING) is not None:
            k = j + 1
            while (
                k < len(items) and k - j <= 2 and items[k].token is not None and items[k].word[:1].islower()
            ):
                k += 1  # "республиканец", "бывший посол"
            if k < len(items) and items[k].mention is not None and items[k].mention.type == PER:
                return k
            return None
    return None


def _clause_subject(items: list[Item], comma: int) -> int | None:
    """The person a verb with no subject of its own after a comma speaks of: the one person named
    before it in the sentence ("Орлов является депутатом, также является членом комитета"), none
    after a relative word ("..., который") or with two people before."""
    found = [k for k in range(comma) if items[k].mention is not None and items[k].mention.type == PER]
    if not found or len({_person_key(items[k].mention) for k in found}) != 1:
        return None
    if any(
        items[k].token is not None and items[k].word.lower() in _RELATIVE for k in range(found[-1], comma)
    ):
        return None
    return found[-1]


_RELATIVE = frozenset({"который", "которая", "которого", "которой", "которому", "что", "кто", "чей", "где"})


def _appointed_after(items: list[Item], title: Title, k: int, morph: Any) -> int | None:
    """The person a verb after a title in the instrumental puts in the post: "Директором завода
    является Иван Орлов", "Генеральным директором назначен Олег Сомов" (items[k] after the title)."""
    if not can_be(items[title.heads[0]].word, morph, case="ablt"):
        return None
    j = k
    while j < len(items) and j - k < 2 and items[j].word.lower() in ("был", "была", "будет"):
        j += 1  # "директором был Иван Орлов", "будет назначен"
    if (
        j < len(items)
        and items[j].token is not None
        and is_russian(items[j].word)
        and has_lemma(items[j].word, morph, APPOINTING) is not None
    ):
        j += 1
    if j > k and j < len(items) and items[j].mention is None:
        own = _title_at(items, j, morph)  # "премьер-министром станет глава партии «Заря» Анна Котова"
        if own is not None and not own.plural and _people_after(items, own.stop)[:1] == [own.stop]:
            return own.stop
    if j == k or j >= len(items) or items[j].mention is None or items[j].mention.type != PER:
        return None
    return j


def find_positions(doc: Doc, morph: Any) -> list[PositionFact]:
    """Titles of the people of a document, with the organization (or the place) the text gives them."""
    facts: list[PositionFact] = []
    earlier: list[Mention] = []  # organizations named so far, nested ones too, in text order
    every = sorted(doc.mentions + doc.nested, key=lambda m: m.start)
    before: Mention | None = None  # the one person of the last sentence that names people
    for sentence in doc.sentences:
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        people = [m for m in mentions if m.type == PER]
        pronoun = any(t.text.lower() in _PRONOUN_GENDER for t in sentence.tokens)
        if people or pronoun and before is not None:
            items = items_of(sentence, mentions)
            if pronoun:
                resolved = _resolve_pronouns(items, before, morph)
                if not people and resolved == items:
                    items = []  # no person, and no pronoun that stands for one
                items = resolved if items else items
            if items:
                facts.extend(_sentence_positions(doc, items, morph, earlier, facts))
                facts.extend(_heading_verbs(doc, items, morph, facts))
        if people:
            before = people[0] if len({_person_key(m) for m in people}) == 1 else None
        earlier = [m for m in every if m.type == ORG and m.kind != "media" and m.start < sentence.stop]
    return facts


_PRONOUN_GENDER = {"он": "masc", "она": "femn"}


def _person_key(mention: Mention) -> object:
    return mention.cluster if mention.cluster is not None else (mention.normal or mention.text)


def _gender_of(person: Mention, morph: Any) -> str | None:
    """A person's gender from a first name or a surname of the dictionary, None if it does not say."""
    for word in (person.normal or person.text).split():
        for form in adapt_parses(word, morph)[:2]:
            if form.tags & {"Name", "Surn", "Patr"} and form.gender in ("masc", "femn"):
                return form.gender
    return None


def _resolve_pronouns(items: list[Item], before: Mention | None, morph: Any) -> list[Item]:
    """A subject pronoun before a verb that puts someone in a post ("В настоящий момент он является
    депутатом парламента") stands for the one person named before it: in its sentence, else in the
    last sentence that names people, when the gender agrees."""
    out = list(items)
    for k, item in enumerate(items):
        gender = _PRONOUN_GENDER.get(item.word.lower()) if item.token is not None else None
        if gender is None or not any(
            items[j].token is not None and has_lemma(items[j].word, morph, APPOINTING) is not None
            for j in range(k + 1, min(len(items), k + 4))
        ):
            continue
        here = {
            _person_key(it.mention): it.mention for it in items[:k] if it.mention and it.mention.type == PER
        }
        person = next(iter(here.values())) if len(here) == 1 else before if not here else None
        if person is not None and _gender_of(person, morph) in (None, gender):
            out[k] = Item(mention=person)
    return out


#: Verbs of heading a body: "Орлов возглавляет компанию X", "Котова, руководящая фондом X".
_HEADING = frozenset({"возглавлять", "возглавить", "руководить"})


def _heading_verbs(doc: Doc, items: list[Item], morph: Any, known: list[PositionFact]) -> list[PositionFact]:
    """Heads of organizations a verb names, with no title word: "Иван Орлов возглавляет компанию
    «Вектор»", "Анна Котова, руководившая фондом «Заря»" (the person before the verb, the
    organization right after it); a person who holds a title there already is left as is."""
    facts: list[PositionFact] = []
    for k, item in enumerate(items):
        participle = item.token is not None and item.word.lower().startswith(_HEADED_BY)
        verb = (
            item.token is not None
            and is_russian(item.word)
            and has_lemma(item.word, morph, _HEADING) is not None
        )
        if participle or verb and _forward_heading(items, k, morph) is None:
            headed = _headed_by(items, k, morph)  # "партия «Заря», возглавляемая Анной Котовой"
            if headed is not None and not any(
                f.person is headed[0] and f.organization is headed[1] for f in known + facts
            ):
                facts.append(
                    PositionFact(
                        person=headed[0],
                        title="руководитель",
                        title_text=item.word,
                        job_text="",
                        organization=headed[1],
                        start=item.token.start,
                        stop=item.token.stop,
                    )
                )
            continue
        j = _forward_heading(items, k, morph) if verb else None
        if j is None or item.token is None:
            continue
        p = k - 1
        while p >= 0 and p >= k - 3 and items[p].token is not None:
            if items[p].word not in (",", "–", "—") and lemma(items[p].word, morph) not in (
                "который",
                "уже",
                "ныне",
            ):
                break
            p -= 1
        if p < 0 or items[p].mention is None or items[p].mention.type != PER:
            continue
        person, organization = items[p].mention, items[j].mention
        if any(f.person is person and f.organization is organization for f in known + facts):
            continue
        facts.append(
            PositionFact(
                person=person,
                title="руководитель",
                title_text=item.word,
                job_text="",
                organization=organization,
                start=item.token.start,
                stop=item.token.stop,
            )
        )
    return facts


_HEADED_BY = ("возглавляем", "руководим")


def _forward_heading(items: list[Item], k: int, morph: Any) -> int | None:
    """Where the organization a heading verb at items[k] governs stands ("возглавляет компанию
    «Вектор»", "руководит фондом «Заря»"), None when no organization follows it."""
    j = _skip_quotes(items, _genitive_words(items, k + 1, morph, case="accs"))
    j = _skip_quotes(items, _genitive_words(items, j, morph, case="ablt"))
    if j >= len(items) or items[j].mention is None or items[j].mention.type != ORG:
        return None
    return j


def _headed_by(items: list[Item], k: int, morph: Any) -> tuple[Mention, Mention] | None:
    """The person and the organization of "ORG, возглавляемая X", "ORG, которую возглавляет X",
    "компанию «Вектор» возглавляет X" (items[k] the participle or the verb, the person right after it)."""
    o = k - 1
    if o >= 1 and lemma(items[o].word, morph) == "который" and items[o - 1].word == ",":
        o -= 1
    if o >= 1 and items[o].word == ",":
        o -= 1
    while o > 0 and items[o].word in ("»", '"', "”"):
        o -= 1
    if o < 0 or k + 1 >= len(items):
        return None
    organization, person = items[o].mention, items[k + 1].mention
    if organization is None or organization.type != ORG or person is None or person.type != PER:
        return None
    return person, organization


def _is_ministry(mention: Mention) -> bool:
    first = mention.text.split()[0].lower() if mention.text else ""
    return (mention.head or "") in MINISTRY_HEADS or first.startswith(
        ("министерств", "мин", "мид", "ведомств")
    )


def _pick(earlier: list[Mention], pointer: str) -> Mention | None:
    """The organization a pointing word stands for: the last ministry for "ведомства", the last
    company (no body) for "компании"."""
    for mention in reversed(earlier):
        if mention.head == "пресс-служба":
            continue
        if (pointer in ANAPHORIC_BODY_WORDS) == _is_ministry(mention):
            return mention
    return None


def _sentence_positions(
    doc: Doc, items: list[Item], morph: Any, earlier: list[Mention], known: list[PositionFact]
) -> list[PositionFact]:
    facts: list[PositionFact] = []
    taken: set[int] = set()
    held_after: dict[int, int] = {}  # the end of a title said after a name: that person
    k = 0
    while k < len(items):
        title = find_title(items, k, morph) if k not in taken else None
        if title is None:
            k += 1
            continue
        people: list[int] = []
        after = title.stop
        titles = [title]
        if after + 1 < len(items) and items[after].word in ("–", "—") and k + 1 < len(items):
            second = find_title(
                items, after + 1, morph
            )  # "заместитель премьер-министра – министр ... Умурзаков"
            if second is not None and second.first == after + 1:
                titles.append(second)
                after = second.stop
        if after < len(items) and items[after].word in _DASHES:
            people = _people_after(items, after + 1)
        else:
            people = _people_after(items, after)
        if not people and not title.plural and after + 1 < len(items) and items[after].word.lower() == "и":
            second = _title_at(items, after + 1, morph)  # "бывший глава банка и совладелец завода X"
            if second is not None and not second.plural and len(_people_after(items, second.stop)) == 1:
                if title.organization is None and not title.places and title.unit_at is None:
                    title.organization = second.organization  # "директор и совладелец компании X"
                titles.append(second)
                after = second.stop
                people = _people_after(items, after)
        if not people:
            beyond = _circumstance(items, after, morph)  # "глава делегации на переговорах X"
            if beyond > after and (_people_after(items, beyond) or _title_at(items, beyond, morph)):
                after = beyond
                people = _people_after(items, after)
        before = title.first - 1
        respective: list[int] = []
        one_of = (
            before >= 2
            and items[before].word.lower() == "из"
            and lemma(items[before - 1].word, morph) == "один"
            and title.plural
        )
        if one_of:  # "Эдуард Мишлен, одному из президентов группы компаний"
            before -= 2
        if before >= 2 and items[before].token is not None and _AGE.match(items[before].word.lower()):
            before -= 1  # "Иван Орлов, 45-летний директор завода"
        if (
            before >= 3
            and items[before].word.lower() == "и"
            and items[before - 2].word in (",", "–", "—", "-")
            and items[before - 3].mention is not None
            and items[before - 3].mention.type == PER
            and items[before - 1].token is not None
            and items[before - 1].word[:1].islower()
            and can_be(items[before - 1].word, morph, pos=NOUNISH)
            and _cases(items[before - 1], morph) & _cases(items[title.heads[0]], morph)
        ):
            before -= 2  # "Гергей Ковач – политик и лидер партии": a word of what he is, then the title
        if before >= 2 and items[before].word.lower() in _TIME_WORDS:
            before -= 1  # "Иван Орлов, ныне директор завода"
        elif (
            before >= 3 and items[before].word.lower() == "прошлом" and items[before - 1].word.lower() == "в"
        ):
            before -= 2  # "Иван Орлов, в прошлом директор завода"
        if (
            not people
            and before >= 1
            and items[before].word == ","
            and before in held_after
            and (title.organization is not None or title.places or title.unit_at is not None)
            and _ends_clause(items, title.stop)
        ):
            people = [held_after[before]]  # "Иван Орлов, директор завода, председатель совета фонда"
        if (
            not people
            and before >= 1
            and items[before].word in (",", "–", "—", "-", "(")
            and items[before - 1].mention is not None
            and items[before - 1].mention.type == PER
            and _ends_clause(items, title.stop)
        ):
            people = [before - 1]
            nxt = title.stop
            while nxt + 1 < len(items) and items[nxt].word.lower() == "и":
                more = find_title(items, nxt + 1, morph)  # "управляющий директор и совладелец агентства X"
                if more is None or more.first != nxt + 1 or not _ends_clause(items, more.stop):
                    break
                titles.append(more)
                nxt = more.stop
            shared = next((t.organization for t in titles if t.organization is not None), None)
            for held in titles:
                if held.organization is None and not held.places:
                    held.organization = shared
            listed = _people_before(items, before - 1)
            if len(listed) > 1 and title.plural and len(titles) == 1:
                people = listed  # "Иван Орлов и Анна Котова, заместители директора"
            elif len(listed) == len(titles) > 1:
                respective = listed  # "Орлов и Котова, директор и заместитель директора завода"
        if not people and (title.organization is not None or title.places or title.unit_at is not None):
            described = _person_before_description(items, before, title, morph)
            if described is not None and _ends_clause(items, title.stop):
                people = [described]  # "Ивана Орлова, опытного инженера, директора завода «Вектор»"
        if not people:
            chain = _titles_before_name(items, title, after, morph)
            if chain:  # "лидер Меджлиса, народный депутат Украины Мустафа Джемилев"
                for held in chain:  # "представитель вооружённых сил полковник X": the colonel's too
                    rank = has_lemma(items[held.heads[0]].word, morph, RANKS, NOUNISH) is not None
                    if rank and held.organization is None and not held.places and held.unit_at is None:
                        held.organization = titles[-1].organization
                        held.shared_unit = titles[-1]
                    elif _shares_country(items, held, titles[-1], morph):
                        held.places = [
                            titles[-1].places[0]
                        ]  # "глава представительства США помощник госсекретаря"
                    titles.append(held)
                people = _people_after(items, chain[-1].stop)
        if (
            not people
            and before >= 0
            and items[before].mention is not None
            and items[before].mention.type == PER
            and (title.organization is not None or title.places)
            and (title.stop >= len(items) or items[title.stop].word in (".", "!", "?"))
            and items[title.first].word[:1].isupper()
        ):
            people = [before]  # a headline: "Кирсан Илюмжинов Президент ФИДЕ"
        if (
            not people
            and after + 1 < len(items)
            and items[after].word == ","
            and (title.organization is not None or title.places or title.unit_at is not None)
            and _ends_clause(items, after + 2)
        ):
            people = _people_after(items, after + 1)[:1]  # "глава ФИДЕ, Кирсан Илюмжинов, заявил"
        if not people and before >= 0 and _named_into(items, title, before, morph):
            people = [before]  # "назначил Ивана Орлова директором завода"
        if not people:
            taker = _post_taken_by(items, title, morph)
            if taker is not None:
                people = [taker]  # "Место спикера палаты занял республиканец Джон Бенер"
        if not people:
            appointed = _appointing_before(items, title.first, morph)
            if appointed is None:
                appointed = _appointed_after(items, title, after, morph)
            if appointed is not None:
                people = [appointed]
                if appointed < title.first:
                    titles += _coordinated_titles(items, title, morph)
        if len(people) == 1 and title.plural and not one_of:
            # "руководители соседних регионов Александр Мишарин": a plural title is not one person's
            people = []
        if not people:
            k = title.stop if title.stop > k else k + 1
            continue
        for number, held in enumerate(titles):
            distribute = held.plural and len(held.places) == len(people) > 1
            bodies = [held.organization, *held.organizations] if held.organizations else []
            for n, at in enumerate([respective[number]] if respective else people):
                organization = held.organization
                if bodies:  # "главы компаний «Вектор» и «Заря» Орлов и Котова": one each, or none
                    organization = (
                        bodies[n] if len(bodies) == len(people) else bodies[0] if len(people) == 1 else None
                    )
                if organization is None and held.points_back:
                    before_here = list(earlier) + [
                        items[j].mention
                        for j in range(held.first)
                        if items[j].mention is not None and items[j].mention.type == ORG
                    ]
                    organization = _pick(before_here, held.pointer)
                if organization is None and not held.places:
                    organization = (
                        _context_organization(items, at)
                        or _bracketed_organization(items, at)
                        or _side_before(items, held.first)
                        or (_relative_workplace(items, held.stop, morph) if at < held.first else None)
                    )
                if organization is None and not held.places and _possessive_before(items, held.first):
                    organization = next(  # "«Вектор» и его директор Олег Сомов"
                        (
                            items[j].mention
                            for j in range(held.first - 1, -1, -1)
                            if items[j].mention is not None and items[j].mention.type == ORG
                        ),
                        None,
                    ) or next(  # "Орлов возглавляет компанию X. Его заместитель Котов ..."
                        (f.organization for f in reversed(known + facts) if f.organization is not None),
                        None,
                    )
                if organization is None and not held.places and _reflexive_before(items, held.first, morph):
                    organization = next(  # "Совет фонда «Заря» поддержал своего председателя Котову"
                        (
                            items[j].mention
                            for j in range(held.first - 1, -1, -1)
                            if items[j].mention is not None and items[j].mention.type == ORG
                        ),
                        None,
                    )
                places = [held.places[n]] if distribute else held.places
                if held.country_back and organization is None and not places:
                    country = _country_before(doc, items, held)
                    places = [country] if country is not None else []
                facts.append(_fact(doc, items, held, items[at].mention, organization, places, morph))
                for a, b in held.more_units if len(people) == 1 else ():
                    facts.append(_unit_fact(doc, items, held, items[at].mention, a, b, morph))
                if at < held.first and len(people) == 1:
                    held_after[held.stop] = at
            taken.update(range(held.first, held.stop))
        k = max(titles[-1].stop, k + 1)
    return facts


def _country_before(doc: Doc, items: list[Item], title: Title) -> Mention | None:
    """The country "страны" after a title stands for: the last country the text names before it."""
    first = items[title.first]
    at = first.mention.start if first.mention else first.token.start if first.token else 0
    countries = [m for m in doc.mentions if m.type == LOC and m.kind == "country" and m.stop <= at]
    return countries[-1] if countries else None


def _coordinated_titles(items: list[Item], title: Title, morph: Any) -> list[Title]:
    """Titles after "и" in the case of `title` that a verb gives the same person: "является депутатом
    парламента и членом комитета", "стал директором завода и председателем совета"."""
    more: list[Title] = []
    stop = _constituency(items, title.stop, morph)
    while len(more) < 3 and stop + 1 < len(items) and items[stop].word.lower() == "и":
        nxt = _title_at(items, stop + 1, morph)
        if (
            nxt is None
            or nxt.plural
            or not _cases(items[nxt.heads[0]], morph) & _cases(items[title.heads[0]], morph)
        ):
            break
        more.append(nxt)
        stop = _constituency(items, nxt.stop, morph)
    return more


def _constituency(items: list[Item], k: int, morph: Any) -> int:
    """End of "от партии «Вектор»" (the side a deputy is elected for) at items[k], k if there is none."""
    if k + 1 >= len(items) or items[k].word.lower() != "от":
        return k
    j = _skip_quotes(items, _genitive_words(items, k + 1, morph))
    if j < len(items) and items[j].mention is not None and items[j].mention.type in (ORG, LOC):
        return _skip_closing(items, j + 1)
    return k


def _person_before_description(items: list[Item], before: int, title: Title, morph: Any) -> int | None:
    """The person a title is said of past a description between commas: "Ивана Орлова, опытного
    инженера, директора завода" (items[before] the comma before the title; the description a few
    words with no verb, its first word in the title's case)."""
    if before < 3 or items[before].word != ",":
        return None
    j = before - 1
    while j > 0 and before - j <= 6 and items[j].token is not None and items[j].word != ",":
        if can_be(items[j].word, morph, pos=frozenset({"VERB", "PRTS"})) or not is_russian(items[j].word):
            return None
        j -= 1
    if j < 1 or j == before - 1 or items[j].word != ",":
        return None
    person = items[j - 1]
    if person.mention is None or person.mention.type != PER:
        return None
    if not _cases(items[j + 1], morph) & _cases(items[title.heads[0]], morph):
        return None
    return j - 1


#: Words of time between a name and its title: "Иван Орлов, ныне директор завода".
#: Nouns of time: their genitive after a title's body says when ("сборной последних лет"), it names no body.
_TIME_NOUNS = frozenset({"год", "лето", "месяц", "неделя", "век", "десятилетие", "сезон", "период"})


def _time_phrase_end(items: list[Item], k: int, after: int, morph: Any) -> int | None:
    """End of a genitive of time at items[k] ("последних лет", "прошлого сезона"; `after` the end of
    the genitive words read there, which may stop at an adjective the dictionary also reads as a noun,
    "прошлого"), None when the words are no time."""
    if lemma(items[after - 1].word, morph) in _TIME_NOUNS:
        return after
    if (
        after < len(items)
        and items[after].token is not None
        and lemma(items[after].word, morph) in _TIME_NOUNS
        and can_be(items[after].word, morph, case="gent")
        and can_be(items[after - 1].word, morph, case="gent", pos=ADJECTIVES)
    ):
        return after + 1
    return None


_TIME_WORDS = frozenset({"ныне", "ранее", "прежде", "сейчас", "теперь", "тогда", "также", "впоследствии"})


def _circumstance(items: list[Item], k: int, morph: Any) -> int:
    """End of a "в/на + noun" phrase of lower-case words at items[k] ("на переговорах", "в регионе",
    "в округе"), k if there is none."""
    if k + 1 >= len(items) or items[k].word.lower() not in ("в", "во", "на"):
        return k
    j = k + 1
    while j < len(items) and j - k <= 3 and items[j].token is not None and is_russian(items[j].word):
        word = items[j].word
        if not word[:1].islower() or not can_be(word, morph, case="loct"):
            break
        j += 1
        if can_be(word, morph, case="loct", pos=NOUNISH):
            return j
    return k


def _title_at(items: list[Item], k: int, morph: Any) -> Title | None:
    """The title that begins at items[k] (its modifiers first: "народный депутат Украины")."""
    for h in range(k, min(k + 4, len(items))):
        title = find_title(items, h, morph)
        if title is not None:
            return title if title.first == k else None
        if not _is_modifier(items[h], morph):
            return None
    return None


def _shares_country(items: list[Item], held: Title, before: Title, morph: Any) -> bool:
    """Whether a state title in apposition that names no body nor place (the "помощник заместителя
    госсекретаря" of "глава представительства США помощник заместителя госсекретаря X") serves the
    country the title before it names: titles in apposition describe one person's service."""
    return (
        held.organization is None
        and not held.places
        and held.unit_at is None
        and before.organization is None
        and len(before.places) == 1
        and before.places[0].kind == "country"
        and any(has_lemma(items[h].word, morph, STATE_TITLES, NOUNISH) is not None for h in held.heads)
    )


def _titles_before_name(items: list[Item], title: Title, k: int, morph: Any) -> list[Title]:
    """Titles in apposition after `title` (ending at items[k]), the last of them right before a
    name: "представитель вооружённых сил полковник X", "лидер Меджлиса, народный депутат Украины X"
    (none when no name closes the row). After a comma only a title that names its organization or
    place: "министр экономики, глава района X" may as well be two people."""
    chain: list[Title] = []
    last = title
    while len(chain) < 3:
        if k < len(items) and items[k].word == ",":
            if last.organization is None and not last.places:
                return []
            k += 1
        nxt = _title_at(items, k, morph)
        if nxt is None or not _cases(items[nxt.heads[0]], morph) & _cases(items[title.heads[0]], morph):
            return []  # titles in apposition agree in case
        chain.append(nxt)
        last, k = nxt, nxt.stop
        if _people_after(items, k):
            return chain
    return []


def _cases(item: Item, morph: Any) -> frozenset[str]:
    return frozenset(f.case for f in adapt_parses(item.word, morph) if f.case)


def _side_before(items: list[Item], k: int) -> Mention | None:
    """The side a title speaks for in "от «Вектора» — директор Иван Орлов" (items[k] the title)."""
    o = k - 1
    if o < 0 or items[o].word not in _DASHES:
        return None
    o -= 1
    while o > 0 and items[o].word in ("»", '"', "”"):
        o -= 1
    if o >= 1 and items[o].mention is not None and items[o].mention.type == ORG:
        f = o - 1
        while f > 0 and items[f].word in ("«", '"', "“", "„"):
            f -= 1
        if items[f].word.lower() == "от":
            return items[o].mention
    return None


_WORKING = frozenset({"работать", "трудиться", "служить"})


def _relative_workplace(items: list[Item], k: int, morph: Any) -> Mention | None:
    """The body of a relative clause right after a title said of the person before it: "Иван Орлов,
    бывший инженер, который теперь работает в «Векторе»" (items[k] the comma after the title)."""
    if not (
        k + 2 < len(items)
        and items[k].word == ","
        and lemma(items[k + 1].word, morph) == "который"
        and items[k + 1].token is not None
    ):
        return None
    j = k + 2
    while j < len(items) and j - k < 8 and items[j].token is not None and items[j].word[:1].islower():
        word = items[j].word.lower()
        if lemma(word, morph) in _WORKING:
            if j + 2 < len(items) and items[j + 1].word.lower() in ("в", "во", "на"):
                at = _skip_quotes(items, j + 2)
                if at < len(items) and items[at].mention is not None and items[at].mention.type == ORG:
                    return items[at].mention
            return None
        j += 1  # "который в настоящий момент продолжает работать"
    return None


def _bracketed_organization(items: list[Item], at: int) -> Mention | None:
    """The organization in brackets after a name: "архиепископ Лонгин (РПЦ МП)"."""
    if (
        at + 3 < len(items)
        and items[at + 1].word == "("
        and items[at + 2].mention is not None
        and items[at + 2].mention.type == ORG
        and items[at + 3].word == ")"
    ):
        return items[at + 2].mention
    return None


def _ends_clause(items: list[Item], k: int) -> bool:
    return (
        k >= len(items)
        or items[k].word in (",", ".", ";", ")", "(", "–", "—", "и", ":", "!", "?")
        or (items[k].token is not None and items[k].word[:1].islower())
    )


def _unit_fact(
    doc: Doc, items: list[Item], title: Title, person: Mention, a: int, b: int, morph: Any
) -> PositionFact:
    """The title held at a second body coordinated after the first ("и российско-американской рабочей
    группы"), the body kept in the title's words as a unit of no mention."""
    job = _join(items, title.first, title.heads[-1] + 1, doc.text)
    words = _nominative_words(items, title, morph)[: title.heads[-1] + 1 - title.first]
    unit = _join(items, a, b, doc.text)
    first, last = items[a], items[b - 1]
    return PositionFact(
        person=person,
        title=" ".join([_join(items, title.first, title.heads[-1] + 1, doc.text, words), unit]),
        title_text=_join(items, title.first, b, doc.text),
        job_text=job,
        unit_text=unit,
        start=first.token.start if first.token else None,
        stop=last.token.stop if last.token else None,
    )


def _fact(
    doc: Doc,
    items: list[Item],
    title: Title,
    person: Mention,
    organization: Mention | None,
    places: list[Mention],
    morph: Any,
) -> PositionFact:
    words = _nominative_words(items, title, morph)
    name = _join(items, title.first, title.job_stop, doc.text, words)
    job_first = title.first
    place_word = ""
    while (
        job_first < title.heads[0]
        and items[job_first].token is not None
        and items[job_first].word.lower() != "и"
        and (
            _geo_adjective(items[job_first].word, morph)
            or lemma(items[job_first].word, morph) in PERSON_ADJECTIVES
            or _ordinal_of_office(items, job_first, title, morph)
        )
    ):
        if _geo_adjective(items[job_first].word, morph):
            place_word = items[job_first].word  # "подмосковного губернатора": the adjective names the place
        job_first += 1  # "известный журналист": the job is the noun
    job_stop = title.unit_at if title.unit_at is not None else title.job_stop
    job = _join(items, job_first, max(job_stop, title.heads[-1] + 1), doc.text)
    unit_stop = title.unit_stop if title.unit_stop is not None else title.stop
    unit = _join(items, job_stop, unit_stop, doc.text) if title.unit_at is not None else ""
    shared = title.shared_unit
    if not unit and organization is None and shared is not None and shared.unit_at is not None:
        unit = _join(
            items, shared.unit_at, shared.stop, doc.text
        )  # "представитель вооружённых сил полковник"
    if name[:1].isupper() and title.first == 0 and not name.isupper():
        name = name[:1].lower() + name[1:]
    if places and organization is None and title.place_words is not None:
        a, b = title.place_words
        if len(places) == 1 and len(title.places) > 1:
            where = places[0].text
        else:
            where = _join(items, a, b, doc.text)
        between = _join(items, title.job_stop, a, doc.text)
        name = " ".join(part for part in (name, between, where) if part)
    first, last = items[title.first], items[title.stop - 1]
    start = first.mention.start if first.mention else first.token.start
    stop = last.mention.stop if last.mention else last.token.stop
    return PositionFact(
        person=person,
        title=name,
        title_text=_join(items, title.first, title.stop, doc.text),
        job_text=job,
        unit_text=unit,
        place_word=place_word,
        state=_state_of(place_word, items[title.heads[0]].word, morph) if place_word else None,
        organization=organization,
        organization_name=_organization_name(doc, items, title, morph)
        if organization is not None and organization is title.organization
        else "",
        territory=places[0] if places else None,
        start=start,
        stop=stop,
    )
