"""Entities linked to registry records, only when the name is certainly the record's.

The gazetteer found the names the registry holds, word for word (gazetteer.py, lemmas checked in
the pipeline). An entity it did not link is looked up with registry search, and a hit is taken
only when the names are the same: the same key in any script ("Узавтосаноат" = "UzAutoSanoat"), or
word by word the same, a word the dictionary does not know allowed one slip of spelling
("Андинжан" is Андижан). A real word that differs is another name, however close
("Самаркандская" is not "Самарская"): such hits, and any other close ones, are shown to the
reviewer as candidates and never linked.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from cooplab.ingest.document import LOC
from cooplab.ingest.entities import Entity
from cooplab.ingest.gazetteer import RECORD_TYPE, Record, words_of
from cooplab.ingest.inflection import is_cyrillic_word
from cooplab.ingest.words import is_known, lemmas
from cooplab.registry.models import Organization, Place
from cooplab.registry.search import search_names
from cooplab.vocab.names import compact_key, name_key

#: Why a close record is only a candidate (CandidateOut.reason).
DIFFERENT_NAME, DIFFERENT_WORD, DIFFERENT_SPELLING = "different name", "different word", "different spelling"
#: Least search score of a link, and of a candidate shown to the reviewer.
MIN_SEARCH_SCORE = 85.0
MIN_CANDIDATE_SCORE = 75.0


def certainty(query: str, matched: str, morph: Any) -> tuple[bool, str]:
    """Whether a query names the registry name `matched` for certain, and if not, why."""
    if compact_key(name_key(query)) == compact_key(name_key(matched)):
        return True, ""
    said, named = words_of(query), words_of(matched)
    if len(said) != len(named):
        return False, DIFFERENT_NAME
    for a, b in zip(said, named, strict=True):
        both_known = (
            is_cyrillic_word(a.text)
            and is_cyrillic_word(b.text)
            and is_known(a.text, morph)
            and is_known(b.text, morph)
        )
        if a.key == b.key:
            if both_known and not lemmas(a.text, morph) & lemmas(b.text, morph):
                return False, DIFFERENT_WORD  # "Ульяновской" (the adjective) is not "Ульяновск"
            continue
        if not (is_cyrillic_word(a.text) and is_cyrillic_word(b.text)):
            return False, DIFFERENT_NAME
        if is_known(a.text, morph):
            return False, DIFFERENT_WORD  # "Самаркандская" is a word of its own, not a slip for "Самарская"
        low_a, low_b = a.text.lower().replace("ё", "е"), b.text.lower().replace("ё", "е")
        allowed = 1 if max(len(low_a), len(low_b)) < 9 else 2
        if low_a[:1] != low_b[:1] or Levenshtein.distance(low_a, low_b) > allowed:
            return False, DIFFERENT_SPELLING
    return True, ""


def link_entities(entities: list[Entity], session: Session, morph: Any) -> None:
    """Link entities the gazetteer did not, where search finds their name for certain; keep the close
    records as candidates."""
    details: dict[tuple[str, int], Record] = {}
    for entity in entities:
        if entity.record is not None or all(m.derived for m in entity.mentions):
            continue
        rtype = RECORD_TYPE[entity.type]
        queries = list(
            dict.fromkeys(
                [
                    entity.name,
                    *(m.normal or m.text for m in entity.mentions if m.text),
                    *(m.text for m in entity.mentions if m.text),
                ]
            )
        )
        best = None
        close: dict[int, tuple[float, str, str]] = {}
        for query in queries:
            if len(query) < 3:
                continue
            for hit in search_names(session=session, query=query, types={rtype}, limit=5):
                if hit.type != rtype or hit.score < MIN_CANDIDATE_SCORE:
                    continue
                sure, why = certainty(query, hit.matched, morph)
                if sure and hit.score >= MIN_SEARCH_SCORE:
                    if best is None or hit.score > best.score:
                        best = hit
                elif hit.id not in close or close[hit.id][0] < hit.score:
                    close[hit.id] = (hit.score, hit.name, why or DIFFERENT_NAME)
        if best is None:
            entity.candidates = [
                (Record(rtype, rid, name), score, why)
                for rid, (score, name, why) in sorted(close.items(), key=lambda kv: -kv[1][0])
            ][:3]
            continue
        key = (best.type, best.id)
        if key not in details:
            details[key] = _record(session, best.type, best.id, best.name, best.country)
        entity.record = details[key]
        for mention in entity.mentions:
            mention.record = details[key]
            if mention.type == LOC or not mention.kind:
                mention.kind = details[key].kind


def _record(session: Session, rtype: str, rid: int, name: str, country: str | None) -> Record:
    if rtype == "place":
        place = session.get(Place, rid)
        return Record(
            rtype,
            rid,
            name,
            country=country,
            geonames_id=place.geonames_id if place else None,
            kind=place.kind if place else None,
        )
    if rtype == "organization":
        org = session.get(Organization, rid)
        return Record(rtype, rid, name, country=country, kind=org.kind if org else None)
    return Record(rtype, rid, name)


__all__ = ["certainty", "link_entities"]
