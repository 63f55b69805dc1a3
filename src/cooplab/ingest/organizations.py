"""Names of bodies the NER model cuts short or misses: "правительство КР", "хокимиятом Ташкентской
области", "Корпорации развития Тульской области", "Генеральное консульство Республики Узбекистан
в Казани".

A body name is a head noun from lexicon.BODY_HEADS (any case, any capitalisation), the
adjectives that open such names before it ("Генеральное", "Национальный"), and a tail in the
genitive after it: words ("сельского хозяйства и мелиорации"), places and organizations already
found ("КР", "Республики Узбекистан"), a «quoted name»; an embassy or a consulate also takes
"в + place". A head that names an organization only with a name after it (совет, агентство,
ассоциация ...) needs a word of its own in the tail or a capital letter. The places and
organizations inside the tail stay mentions of their own (nested in the body's name).
"""

from __future__ import annotations

import re
from typing import Any

from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention, Sentence, Token
from cooplab.ingest.lexicon import BODY_HEADS, BODY_MODIFIERS, GENERIC_BODY_HEADS, SETTLEMENT_WORDS
from cooplab.ingest.words import (
    ADJECTIVES,
    NOUNISH,
    can_be,
    has_lemma,
    is_abbreviation,
    is_russian,
    lemma,
    readings,
)

#: Heads that take "в + place" into their name (an embassy in a country, a consulate in a city).
ABROAD_HEADS = frozenset({"посольство", "консульство", "генконсульство", "представительство", "торгпредство"})
#: Heads that take "по + dative" into their name ("Агентство по развитию ...").
FIELD_HEADS = frozenset(
    {
        "агентство",
        "комитет",
        "ассоциация",
        "союз",
        "центр",
        "служба",
        "министерство",
        "департамент",
        "управление",
        "фонд",
        "совет",
        "палата",
        "инспекция",
        "комиссия",
    }
)
MAX_BODY_TOKENS = 14
#: Nouns that name an organization of their own (a conjunct made of one starts another name).
_ORG_NOUNS = frozenset(
    {
        "группа",
        "комиссия",
        "компания",
        "предприятие",
        "завод",
        "организация",
        "партия",
        "движение",
        "общество",
        "фирма",
        "холдинг",
        "концерн",
    }
)


def _mention_at(mentions: dict[int, Mention], token: Token) -> Mention | None:
    return mentions.get(token.start)


_NOT_CONTENT = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "ADVB", "PRED"})


def _content(word: str, morph: Any) -> bool:
    """A noun or an adjective, not a preposition or a pronoun that happens to have a noun reading
    ("в", "о")."""
    forms = readings(word, morph)
    return bool(forms) and forms[0].pos not in _NOT_CONTENT and len(word) > 1


def _genitive_phrase(tokens: list[Token], k: int, morph: Any) -> int:
    """Index after a genitive noun phrase (adjectives, then a noun) starting at tokens[k]; k if none."""
    if k < len(tokens) and not _content(tokens[k].text, morph):
        return k
    j = k
    while (
        j < len(tokens)
        and is_russian(tokens[j].text)
        and can_be(tokens[j].text, morph, case="gent", pos=ADJECTIVES)
        and not can_be(tokens[j].text, morph, case="gent", pos=NOUNISH)
    ):
        j += 1
    if (
        j < len(tokens)
        and is_russian(tokens[j].text)
        and can_be(tokens[j].text, morph, case="gent", pos=NOUNISH)
    ):
        return j + 1
    return k


def _dative_phrase(tokens: list[Token], k: int, morph: Any) -> int:
    j = k
    while (
        j < len(tokens)
        and is_russian(tokens[j].text)
        and can_be(tokens[j].text, morph, case="datv", pos=ADJECTIVES)
        and not can_be(tokens[j].text, morph, case="datv", pos=NOUNISH)
    ):
        j += 1
    if (
        j < len(tokens)
        and is_russian(tokens[j].text)
        and can_be(tokens[j].text, morph, case="datv", pos=NOUNISH)
    ):
        return j + 1
    return k


def _is_body_word(word: str, morph: Any) -> bool:
    return has_lemma(word, morph, BODY_HEADS, NOUNISH) is not None


def _tail(
    tokens: list[Token],
    head_at: int,
    head: str,
    mentions: dict[int, Mention],
    morph: Any,
) -> tuple[int, list[Mention], bool]:
    """End of a body's tail after its head, the mentions inside it, whether it has words of its own."""
    k = head_at + 1
    inner: list[Mention] = []
    own_words = False
    end = k
    while k < len(tokens) and k - head_at < MAX_BODY_TOKENS:
        token = tokens[k]
        mention = _mention_at(mentions, token)
        if mention is not None:
            if mention.type == PER:
                break
            first = mention.text.split()[0]
            after_settlement = k > head_at + 1 and lemma(tokens[k - 1].text, morph) in SETTLEMENT_WORDS
            if not (
                is_abbreviation(first)
                or can_be(first, morph, case="gent")
                or not is_russian(first)
                or (after_settlement and mention.type == LOC)
            ):
                break
            inner.append(mention)
            while k < len(tokens) and tokens[k].start < mention.stop:
                k += 1
            end = k
            follower = _mention_at(mentions, tokens[k]) if k < len(tokens) else None
            if mention.type == ORG and follower is not None and follower.type == LOC:
                continue  # "пресс-служба Минпромторга России": the organization inside takes its territory
            if not (head in ABROAD_HEADS and k < len(tokens) and tokens[k].text.lower() in ("в", "во")):
                break  # the territory ends a body's name ("Министерство ... КР"); an envoy's may add "в X"
            continue
        if token.text == "«" and k == end:
            close = next((j for j in range(k + 1, min(len(tokens), k + 10)) if tokens[j].text == "»"), None)
            if close is None or close == k + 1:
                break
            own_words = True
            k = end = close + 1
            continue
        if (
            token.text == ","
            and k == end
            and k + 1 < len(tokens)
            and own_words
            and is_russian(tokens[k + 1].text)
            and tokens[k + 1].text[:1].islower()
            and not _is_body_word(tokens[k + 1].text, morph)
            and _mention_at(mentions, tokens[k + 1]) is None
        ):
            after = _genitive_phrase(tokens, k + 1, morph)
            rest = after
            while rest < len(tokens) and tokens[rest].text in (",", "и") and rest + 1 < len(tokens):
                nxt = _genitive_phrase(tokens, rest + 1, morph)
                if nxt == rest + 1:
                    break
                rest = nxt
            if (
                after > k + 1
                and rest > after
                and tokens[rest - 1].text not in (",", "и")
                and any(t.text.lower() == "и" for t in tokens[after:rest])
            ):
                k = end = after  # "Министерство инвестиций, промышленности и торговли": one name
                continue
            break
        if token.text.lower() == "и" and k == end and k + 1 < len(tokens):
            nxt = tokens[k + 1]
            if (
                _mention_at(mentions, nxt) is not None
                or _is_body_word(nxt.text, morph)
                or not nxt.text[:1].islower()
            ):
                break
            after = _genitive_phrase(tokens, k + 1, morph)
            if after == k + 1 or any(
                _is_body_word(t.text, morph) or has_lemma(t.text, morph, _ORG_NOUNS)
                for t in tokens[k + 1 : after]
            ):
                break  # "Общественной палаты и ... рабочей группы": two bodies, not one name
            k = end = after
            own_words = True
            continue
        if token.text.lower() in ("в", "во") and head in ABROAD_HEADS and k + 1 < len(tokens):
            place = _mention_at(mentions, tokens[k + 1])
            if place is not None and place.type == LOC:
                inner.append(place)
                k += 1
                while k < len(tokens) and tokens[k].start < place.stop:
                    k += 1
                end = k
                continue
            break
        if token.text.lower() == "по" and head in FIELD_HEADS and k == end:
            after = _dative_phrase(tokens, k + 1, morph)
            if after == k + 1:
                break
            k = end = after
            own_words = True
            continue
        if is_russian(token.text) and (token.text[:1].islower() or k == head_at + 1):
            after = _genitive_phrase(tokens, k, morph)
            if after == k:
                break
            k = end = after
            own_words = True
            continue
        break
    return end, inner, own_words


def _has_capital(tokens: list[Token], start: int, stop: int) -> bool:
    return any(t.text[:1].isupper() or t.text == "«" for t in tokens[start:stop])


def find_body_names(doc: Doc, morph: Any) -> list[Mention]:
    """Organizations named by a body noun and its genitive tail, with the places and organizations inside."""
    found: list[Mention] = []
    units = [m for m in doc.mentions if m.type in (LOC, ORG, PER)]
    for sentence in doc.sentences:
        found.extend(_sentence_bodies(doc, sentence, units, morph))
    return found


def _sentence_bodies(doc: Doc, sentence: Sentence, units: list[Mention], morph: Any) -> list[Mention]:
    tokens = sentence.tokens
    inside = [m for m in units if sentence.start <= m.start < sentence.stop]
    starts: dict[int, Mention] = {}
    for mention in sorted(inside, key=lambda m: m.stop - m.start):
        starts[mention.start] = mention  # the longest mention starting at a token wins
    persons = [m for m in inside if m.type == PER]
    found: list[Mention] = []
    k = 0
    while k < len(tokens):
        token = tokens[k]
        head = has_lemma(token.text, morph, BODY_HEADS, NOUNISH) if is_russian(token.text) else None
        if head is None or any(p.start <= token.start < p.stop for p in persons):
            k += 1
            continue
        first = k
        while (
            first > 0
            and is_russian(tokens[first - 1].text)
            and (
                has_lemma(tokens[first - 1].text, morph, BODY_MODIFIERS, ADJECTIVES) is not None
                or (
                    tokens[first - 1].text[:1].isupper()
                    and first - 1 > 0
                    and any(f.pos in ADJECTIVES for f in readings(tokens[first - 1].text, morph)[:1])
                )
            )
        ):
            first -= 1
        end, inner, own = _tail(tokens, k, head, starts, morph)
        if end == k + 1:
            k += 1
            continue
        capital = tokens[first].text[:1].isupper() and (
            first > 0 or any(m.type == ORG and m.start == tokens[first].start for m in inside)
        )
        if head in GENERIC_BODY_HEADS and not capital:
            k += 1  # "центры по обслуживанию техники", "сервисного центра «КАМАЗ»" are no names
            continue
        abroad_only = (
            head in ABROAD_HEADS
            and inner
            and all(re.search(r"(?i)\bв[о]?\s+$", doc.text[max(0, m.start - 4) : m.start]) for m in inner)
        )
        if not capital and abroad_only:
            k += 1  # "консульства в Казани": where a body is, not a body's name
            continue
        if not capital and not inner and not _has_capital(tokens, k + 1, end):
            k += 1  # "правительства двух стран": a body in general, not one named
            continue
        if (
            not any(
                f.number == "sing" for f in readings(token.text, morph) if f.normal.replace("ё", "е") == head
            )
            and not token.text.isupper()
        ):
            k += 1  # "консульства в Казани, Санкт-Петербурге ...": several bodies, none named
            continue
        start, stop = tokens[first].start, tokens[end - 1].stop
        found.append(
            Mention(
                ORG,
                start,
                stop,
                doc.text[start:stop],
                source="rule",
                rule="body",
                head=head,
                parts=list(inner),
                bare=not own and len(inner) == 1 and first == k,
            )
        )
        k = end
    return found
