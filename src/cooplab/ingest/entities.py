"""Mentions grouped into the document's entities: one organization, person or place per thing named.

Mentions meet by the key of their words with Russian case endings cut ("Костаная" and
"Костанай", "Кластера" and "Кластером"), legal forms, quotes and agency words left out
("ПАО «КАМАЗ»" = "КАМАЗ", "ИА «Татар-информ»" = "«Татар-информ»"); a state by its name in any form
("КР", "Кыргызской Республики", "Кыргызстана"); a body by its head and its territory ("правительство
РТ" = "правительство Татарстана"); an abbreviation by the name it stands for. One word joins the
one longer name that holds it ("Жундубаев" -> "Марат Жундубаев"), a person's name without the
middle name the one longer name has ("Реджеп Эрдоган" -> "Реджеп Тайип Эрдоган"), a name the one longer name
that only adds its territory ("Ассоциация медицинского туризма" -> "... Узбекистана"); a brand
before a country in Latin letters is another company ("MAN", "MAN Auto-Uzbekistan"). A one-word
name the model typed now as a person and now as a place is one entity, of the type most
mentions give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention
from cooplab.ingest.gazetteer import Record, Word, words_of
from cooplab.ingest.mentions import _BY_FORM, name_words_key
from cooplab.vocab.names import LEGAL_FORMS

#: Words that open an organization's name without being part of it (agency and legal words).
NAME_PREFIXES = frozenset({"ia", "ii", "agentstv", "informagentstv", "kompan", "osoo", "tdo", "tsoo"})
#: Case endings a Russian noun takes after its base form (for choosing a foreign name's base).
_ENDINGS = ("а", "у", "е", "ом", "ем", "ой", "ы", "и", "ю", "я", "ей", "ью", "ём")
SOURCE_WEIGHT = {"gazetteer": 3.0, "rule": 1.5, "ner": 1.0}


@dataclass
class Entity:
    """An organization, person or place of the document: its mentions and its record, if linked."""

    type: str
    mentions: list[Mention] = field(default_factory=list)
    record: Record | None = None
    candidates: list[tuple[Record, float, str]] = field(
        default_factory=list
    )  # close records, not linked, and why
    derived: bool = False  # named by the pipeline (a signer's body), not written in the text

    @property
    def name(self) -> str:
        """The registry's display name when linked; the state's name; else the fullest mention's
        nominative."""
        if self.record is not None:
            return self.record.name
        canon = next((m.canon for m in self.mentions if m.canon), None)
        if canon:
            return canon
        if self.type == PER:
            best = max(self.mentions, key=lambda m: (len(words_of(m.text)), -m.start))
            return best.normal or best.text
        base = _paradigm_base(self.mentions)
        if base is not None:
            return base
        best = max(self.mentions, key=lambda m: (len(words_of(m.text)), -m.start))
        return best.normal or best.text

    @property
    def surface_forms(self) -> list[str]:
        """The mentions as written, each once, in text order."""
        return list(dict.fromkeys(m.text for m in sorted(self.mentions, key=lambda m: m.start) if m.text))

    @property
    def country(self) -> str | None:
        """The country the lexicon or the registry gives the entity, if any."""
        if self.record is not None and self.record.country:
            return self.record.country
        return next((m.country for m in self.mentions if m.country), None)


def _paradigm_base(mentions: list[Mention]) -> str | None:
    """For a one-word foreign name written in several cases, the form the others are inflected from."""
    forms = list(dict.fromkeys(m.text for m in mentions if m.text and len(words_of(m.text)) == 1))
    if len(forms) < 2:
        return None

    def derived(base: str, other: str) -> bool:
        b, o = base.lower(), other.lower()
        return any(o == b + e or (len(b) > 3 and o == b[:-1] + e) for e in _ENDINGS)

    scores = {f: sum(derived(f, o) for o in forms if o != f) for f in forms}
    best = max(forms, key=lambda f: (scores[f], -forms.index(f)))
    if scores[best] == 0:
        return None
    normals = {m.normal for m in mentions if m.normal}
    return best if best in normals or scores[best] >= len(forms) - 1 else None


def _content_words(mention: Mention) -> list[Word]:
    words = [w for w in words_of(mention.text) if w.key]
    if mention.type == ORG:
        while len(words) > 1 and (words[0].key in LEGAL_FORMS or words[0].key in NAME_PREFIXES):
            words = words[1:]
        while len(words) > 1 and words[-1].key in LEGAL_FORMS:
            words = words[:-1]
    return words


def mention_key(mention: Mention) -> str:
    """What two mentions of one thing share: the canon, a body's head and territory, or their stems."""
    if mention.canon:
        return "canon:" + name_words_key(mention.canon)
    if mention.type == ORG and mention.head and len(mention.parts) == 1 and mention.parts[0].type == LOC:
        part = mention.parts[0]
        if mention.bare:
            where = name_words_key(part.canon) if part.canon else "".join(w.key for w in _content_words(part))
            return f"body:{mention.head}:{where}"
    if mention.derived:
        return "".join(w.key for w in words_of(mention.normal or ""))
    return "".join(w.key for w in _content_words(mention))


def _group_key(mention: Mention) -> tuple[object, ...]:
    if mention.canon:
        return ("canon", mention.canon)
    if mention.record is not None:
        return ("record", mention.record.type, mention.record.id)
    key = mention_key(mention)
    if mention.type in (LOC, PER) and len(words_of(mention.text)) == 1 and not mention.canon:
        return ("word", key)  # the model types a foreign one-word name now as a person, now as a place
    return ("name", mention.type, key)


def cluster_mentions(doc: Doc) -> list[Entity]:
    """Group the document's mentions (nested ones too) into entities and number each mention's cluster."""
    groups: dict[tuple[object, ...], list[Mention]] = {}
    every = sorted(doc.mentions + doc.nested, key=lambda m: m.start)
    aliases = [m for m in every if m.alias_of is not None]
    for mention in every:
        if mention.alias_of is None:
            groups.setdefault(_group_key(mention), []).append(mention)
    for mention in aliases:
        target = mention
        while target.alias_of is not None:
            target = target.alias_of
        groups.setdefault(_group_key(target), []).append(mention)
    entities = []
    for members in groups.values():
        votes: dict[str, float] = {}
        for m in members:
            votes[m.type] = votes.get(m.type, 0.0) + SOURCE_WEIGHT.get(m.source, 1.0)
        kind = max(votes, key=lambda t: (votes[t], t == LOC))
        for m in members:
            m.type = kind
        record = next((m.record for m in members if m.record is not None), None)
        entities.append(Entity(type=kind, mentions=members, record=record))
    entities = _merge_partial_names(entities)
    entities = _merge_compound_abbreviations(entities)
    for number, entity in enumerate(entities):
        for mention in entity.mentions:
            mention.cluster = number
    return entities


_TERRITORY_WORD_KEYS = {key for key in _BY_FORM if key and len(key) > 3}


def _key_words(entity: Entity) -> list[list[str]]:
    return [[w.key for w in _content_words(m)] for m in entity.mentions]


def _nested_keys(entity: Entity) -> list[set[str]]:
    return [{w.key for p in m.parts for w in words_of(p.text)} for m in entity.mentions]


def _joins(short: list[str], longer: list[str], nested: set[str], kind: str) -> bool:
    """Whether a mention of `short` words names the entity a mention of `longer` words names."""
    if len(longer) <= len(short):
        return False
    if kind == PER:
        if len(short) == 1:
            return short[0] in longer
        # "Реджеп Эрдоган" of "Реджеп Тайип Эрдоган", "Борис Ельцин" of "Борис Николаевич Ельцин":
        # the first and the last word the same, a middle name or a patronymic left out
        return short[0] == longer[0] and short[-1] == longer[-1] and _in_order(short, longer)
    if longer[: len(short)] != short:
        return False
    extra = longer[len(short) :]
    if all(word in nested for word in extra):
        return True  # "... Узбекистана" adds only the territory the name holds
    return len(short) == 1 and not any(word in _TERRITORY_WORD_KEYS for word in extra)


def _in_order(short: list[str], longer: list[str]) -> bool:
    """Whether the words of `short` stand in `longer` in the same order."""
    rest = iter(longer)
    return all(word in rest for word in short)


def _merge_partial_names(entities: list[Entity]) -> list[Entity]:
    """A name joins the single longer entity of its type that holds it (see the module docstring)."""
    merged: set[int] = set()
    keys = [_key_words(e) for e in entities]
    nested = [_nested_keys(e) for e in entities]
    for i, short in enumerate(entities):
        if short.record is not None or short.type not in (PER, ORG):
            continue
        forms = keys[i]
        if not forms or any(not f for f in forms):
            continue
        shortest = min(forms, key=len)
        if any(f != shortest for f in forms) and short.type == PER:
            continue
        candidates = []
        for j, other in enumerate(entities):
            if j == i or j in merged or other.type != short.type:
                continue
            if any(_joins(shortest, f, n, short.type) for f, n in zip(keys[j], nested[j], strict=True)):
                candidates.append(j)
        if len(candidates) == 1:
            entities[candidates[0]].mentions.extend(short.mentions)
            merged.add(i)
    return [e for k, e in enumerate(entities) if k not in merged]


_FUNCTION_WORDS = frozenset({"и", "по", "в", "на", "для", "при", "of", "and"})


def compound_abbreviation(short: str, words: list[str]) -> bool:
    """Whether `short` is built of the beginnings of `words` in order ("Минпромторг" of "Министерство
    промышленности и торговли"), each two letters or more, every word used."""
    short = short.lower()
    content = [w.lower() for w in words if w.lower() not in _FUNCTION_WORDS]
    if len(content) < 2 or len(short) < 4:
        return False

    def fits(i: int, j: int) -> bool:
        if j == len(content):
            return i == len(short)
        word = content[j]
        for size in range(min(len(word), len(short) - i), 1, -1):
            if word[:size] == short[i : i + size] and fits(i + size, j + 1):
                return True
        return False

    return fits(0, 0)


def _name_and_place(mention: Mention) -> tuple[list[str], str]:
    """The words of a name without its territory part, and the territory's key ("" if none)."""
    text = mention.normal or mention.text
    places = [p for p in mention.parts if p.type == LOC]
    where = ""
    if places:
        place = places[-1]
        where = name_words_key(place.canon) if place.canon else "".join(w.key for w in words_of(place.text))
        written = place.normal or place.text
        for form in (written, place.text):
            if form and form in text:
                text = text[: text.rindex(form)]
                break
    return [w.text for w in words_of(text)], where


def _merge_compound_abbreviations(entities: list[Entity]) -> list[Entity]:
    """ "Минпромторг России" and "министерство промышленности и торговли Российской Федерации" are one."""
    merged: set[int] = set()
    shapes = [[_name_and_place(m) for m in e.mentions] for e in entities]
    for i, short in enumerate(entities):
        if short.type != ORG or short.record is not None:
            continue
        targets = set()
        for words, where in shapes[i]:
            if len(words) != 1:
                continue
            for j, other in enumerate(entities):
                if j == i or j in merged or other.type != ORG:
                    continue
                for long_words, long_where in shapes[j]:
                    if (not where or not long_where or where == long_where) and compound_abbreviation(
                        words[0], long_words
                    ):
                        targets.add(j)
        if len(targets) == 1:
            entities[targets.pop()].mentions.extend(short.mentions)
            merged.add(i)
    return [e for k, e in enumerate(entities) if k not in merged]
