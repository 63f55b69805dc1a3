"""Mentions grouped into the document's entities, and entities linked to registry records.

Mentions of one record (found by the gazetteer) are one entity; other mentions group by the key
of their nominative name, and a lone word joins the one longer name it is part of ("Кластера"
-> "Кластер АП", "Крайнов" -> "Андрей Крайнов"). An entity the gazetteer did not link is looked up
with registry search (any script, typos: "Андинжан" -> Андижан); a hit counts only if it is of
the right type and its name as a whole is close to the entity's (search alone also scores
partial names high: "Кластер" -> 95 for "Кластер АП").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention
from cooplab.ingest.gazetteer import RECORD_TYPE, Record, word_key, words_of
from cooplab.registry.models import Organization, Place
from cooplab.registry.search import search_names
from cooplab.vocab.names import compact_key, name_key

#: Least search score, and least similarity of whole names (rapidfuzz ratio of compact keys).
MIN_SEARCH_SCORE = 85.0
MIN_NAME_SIMILARITY = {ORG: 90.0, LOC: 88.0, PER: 90.0}
MIN_FUZZY_KEY_LENGTH = 5


@dataclass
class Entity:
    """An organization, person or place of the document: its mentions and its record, if linked."""

    type: str
    mentions: list[Mention] = field(default_factory=list)
    record: Record | None = None

    @property
    def name(self) -> str:
        """The registry's display name when linked; otherwise the nominative of its fullest mention."""
        if self.record is not None:
            return self.record.name
        best = max(self.mentions, key=lambda m: (len(words_of(m.text)), -m.start))
        return best.normal or best.text

    @property
    def surface_forms(self) -> list[str]:
        """The mentions as written, each once, in text order."""
        return list(dict.fromkeys(m.text for m in sorted(self.mentions, key=lambda m: m.start)))


def _key(mention: Mention) -> str:
    return compact_key(name_key(mention.normal or mention.text))


def cluster_mentions(doc: Doc) -> list[Entity]:
    """Group the document's mentions into entities and number each mention's cluster."""
    groups: dict[tuple[object, ...], Entity] = {}
    for mention in sorted(doc.mentions, key=lambda m: m.start):
        if mention.record is not None:
            key: tuple[object, ...] = ("record", mention.record.type, mention.record.id)
        else:
            key = ("name", mention.type, _key(mention))
        entity = groups.setdefault(key, Entity(type=mention.type, record=mention.record))
        entity.mentions.append(mention)
    entities = list(groups.values())
    entities = _merge_partial_names(entities)
    for number, entity in enumerate(entities):
        for mention in entity.mentions:
            mention.cluster = number
    return entities


def _merge_partial_names(entities: list[Entity]) -> list[Entity]:
    """A one-word entity joins the single longer entity of its type that holds that word."""
    merged: set[int] = set()
    keys = [[[w.key for w in words_of(m.text)] for m in e.mentions] for e in entities]
    for i, short in enumerate(entities):
        if short.record is not None or short.type not in (PER, ORG):
            continue
        forms = keys[i]
        if any(len(f) != 1 for f in forms):
            continue
        word = forms[0][0]
        candidates = []
        for j, other in enumerate(entities):
            if j == i or j in merged or other.type != short.type:
                continue
            for f in keys[j]:
                if len(f) > 1 and ((short.type == PER and word in f) or (short.type == ORG and f[0] == word)):
                    candidates.append(j)
                    break
        if len(candidates) == 1:
            entities[candidates[0]].mentions.extend(short.mentions)
            merged.add(i)
    return [e for k, e in enumerate(entities) if k not in merged]


def _similar(query: str, matched: str, kind: str) -> bool:
    a, b = compact_key(name_key(query)), compact_key(name_key(matched))
    if not a or not b:
        return False
    if min(len(a), len(b)) < MIN_FUZZY_KEY_LENGTH:
        return a == b
    return fuzz.ratio(a, b) >= MIN_NAME_SIMILARITY[kind]


def link_entities(entities: list[Entity], session: Session) -> None:
    """Link entities the gazetteer did not, through registry search, where a whole name matches."""
    details: dict[tuple[str, int], Record] = {}
    for entity in entities:
        if entity.record is not None:
            continue
        rtype = RECORD_TYPE[entity.type]
        queries = list(dict.fromkeys([entity.name, *(m.normal or m.text for m in entity.mentions),
                                      *(m.text for m in entity.mentions)]))
        best = None
        for query in queries:
            if len(query) < 3:
                continue
            for hit in search_names(session=session, query=query, types={rtype}, limit=5):
                if hit.type == rtype and hit.score >= MIN_SEARCH_SCORE and _similar(query, hit.matched, entity.type):
                    if best is None or hit.score > best.score:
                        best = hit
        if best is None:
            continue
        key = (best.type, best.id)
        if key not in details:
            details[key] = _record(session, best.type, best.id, best.name, best.country)
        entity.record = details[key]
        for mention in entity.mentions:
            mention.record = details[key]
            mention.kind = details[key].kind


def _record(session: Session, rtype: str, rid: int, name: str, country: str | None) -> Record:
    if rtype == "place":
        place = session.get(Place, rid)
        return Record(rtype, rid, name, country=country, geonames_id=place.geonames_id if place else None,
                      kind=place.kind if place else None)
    if rtype == "organization":
        org = session.get(Organization, rid)
        return Record(rtype, rid, name, country=country, kind=org.kind if org else None)
    return Record(rtype, rid, name)


def same_word(a: str, b: str) -> bool:
    """Two words are one up to their Russian case ending."""
    return word_key(a) == word_key(b)


__all__ = ["Entity", "cluster_mentions", "link_entities", "same_word", "LOC", "ORG", "PER"]
