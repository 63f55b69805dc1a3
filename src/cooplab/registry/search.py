"""Find an organization, person or place by any of its names, in any script, with typos.

Every name is reduced to its key (vocab.names). An in-memory index maps key tokens, and the
joins of neighbouring tokens ("uz auto" -> "uzauto"), to the names that hold them. A query's
tokens find index tokens exactly, by prefix, or by edit distance (rapidfuzz); names are scored
by the rarity of the tokens they share (idf), the best few hundred are re-scored against the
whole query with rapidfuzz, and each record keeps its best name. A list filtered by a query
(`matching_ids`) re-scores every name that shares a token, in one vectorised pass, so that it
counts and pages every match; the last few such answers are kept on the index. The index is rebuilt when the
registry's names stamp (registry.revision) moves.
"""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.domain import search_records
from cooplab.core.revision import PerDatabase
from cooplab.registry.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Place,
    PlaceName,
    Stamp,
)
from cooplab.registry.schemas import SearchHit
from cooplab.vocab.choices import EntityType
from cooplab.vocab.names import compact_key, name_key

MIN_SCORE = 60.0
CANDIDATES = 300
KEPT_ANSWERS = 32


def _join_pairs(words: list[str]) -> list[str]:
    return [a + b for a, b in zip(words, words[1:], strict=False)]


@dataclass
class NameIndex:
    """Names of the registry prepared for fuzzy lookup."""

    types: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    display: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    countries: list[str | None] = field(default_factory=list)
    illustrative: list[bool] = field(default_factory=list)
    postings: dict[str, np.ndarray] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    kinds: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="U12"))
    answers: OrderedDict[tuple[str, str], list[int]] = field(default_factory=OrderedDict)

    def add(
        self,
        etype: str,
        eid: int,
        display: str,
        value: str,
        key: str,
        country: str | None,
        illustrative: bool,
    ) -> None:
        self.types.append(etype)
        self.ids.append(eid)
        self.display.append(display)
        self.values.append(value)
        self.keys.append(key)
        self.countries.append(country)
        self.illustrative.append(bool(illustrative))

    def finish(self) -> None:
        raw: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            words = key.split()
            for token in set(words + _join_pairs(words)):
                raw[token].append(i)
        n = max(len(self.keys), 1)
        self.postings = {t: np.asarray(ix, dtype=np.int32) for t, ix in raw.items()}
        self.idf = {t: math.log(1 + n / len(ix)) for t, ix in raw.items()}
        self.vocabulary = sorted(raw)
        # typo-tolerant lookups scan single words only; joined pairs are met exactly or by prefix
        self.words = sorted({w for key in self.keys for w in key.split()})
        self.kinds = np.asarray(self.types, dtype="U12")

    def _token_matches(self, token: str, fuzzy: bool = True) -> dict[str, float]:
        """Index tokens that stand for one query token, with a similarity in (0, 1]."""
        found: dict[str, float] = {}
        if token in self.postings:
            found[token] = 1.0
        if len(token) >= 3:
            start = bisect.bisect_left(self.vocabulary, token)
            for other in self.vocabulary[start : start + 30]:
                if not other.startswith(token):
                    break
                found.setdefault(other, 0.85)
        if fuzzy and len(token) >= 4:
            cutoff = 75 if len(token) >= 6 else 80
            for other, score, _ in process.extract(
                token, self.words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=15
            ):
                found.setdefault(other, score / 100 * 0.9)
        return found

    def search(self, query: str, *, types: set[str] | None = None, limit: int = 20) -> list[SearchHit]:
        """The best `limit` records for the query, best first."""
        return [
            SearchHit(
                type=self.types[i],
                id=self.ids[i],
                name=self.display[i],
                matched=self.values[i],
                score=score,
                country=self.countries[i],
                illustrative=self.illustrative[i],
            )
            for i, score in self._search(query, types, limit)
        ]

    def matching_ids(self, query: str, kind: str) -> list[int]:
        """The ids of every record of one kind that matches the query, best first (the last
        few such answers are kept while the names stay the same)."""
        kept = (query, kind)
        if (ids := self.answers.get(kept)) is None:
            ids = self.answers[kept] = [self.ids[i] for i, _ in self._search(query, {kind}, None)]
            while len(self.answers) > KEPT_ANSWERS:
                self.answers.popitem(last=False)
        self.answers.move_to_end(kept)
        return ids

    def _search(self, query: str, types: set[str] | None, limit: int | None) -> list[tuple[int, float]]:
        """The best name of each matching record with its score, in search order."""
        key = name_key(query)
        words = key.split()
        if not words or not self.keys:
            return []
        weights = np.zeros(len(self.keys), dtype=np.float32)
        for n, token in enumerate(words + _join_pairs(words)):
            best = np.zeros(len(self.keys), dtype=np.float32)
            for other, similarity in self._token_matches(token, fuzzy=n < len(words)).items():
                ix = self.postings[other]
                np.maximum.at(best, ix, similarity * self.idf[other])
            weights += best
        qcompact = compact_key(key)
        if limit is None:
            # every name sharing a token, of the kinds asked for, re-scored in one pass
            wanted = weights > 0
            if types:
                wanted &= np.isin(self.kinds, list(types))
            found = np.flatnonzero(wanted)
            if found.size == 0:
                return []
            keys = [self.keys[i] for i in found.tolist()]
            compacts = [compact_key(k) for k in keys]
            scores = np.maximum.reduce(
                [
                    process.cdist([key], keys, scorer=fuzz.WRatio, dtype=np.float64)[0],
                    process.cdist([qcompact], compacts, scorer=fuzz.ratio, dtype=np.float64)[0],
                    process.cdist([key], keys, scorer=fuzz.token_sort_ratio, dtype=np.float64)[0],
                ]
            )
            keep = scores >= MIN_SCORE
            kept = zip(found[keep].tolist(), scores[keep].tolist(), strict=True)
            return self._ranked(query, words, kept, None)
        nonzero = int(np.count_nonzero(weights))
        if nonzero == 0:
            return []
        k = min(CANDIDATES, nonzero)
        candidates = np.argpartition(-weights, k - 1)[:k]
        scored = (
            (
                i,
                max(
                    fuzz.WRatio(key, self.keys[i]),
                    fuzz.ratio(qcompact, compact_key(self.keys[i])),
                    fuzz.token_sort_ratio(key, self.keys[i]),
                ),
            )
            for i in candidates.tolist()
            if not types or self.types[i] in types
        )
        return self._ranked(query, words, scored, limit)

    def _ranked(
        self, query: str, words: list[str], scored: Iterable[tuple[int, float]], limit: int | None
    ) -> list[tuple[int, float]]:
        """Each record once, by its best scored name (its index and rounded score), in search order."""
        typed = query.lower()
        best: dict[tuple[str, int], tuple[float, int]] = {}
        for i, score in scored:
            if score < MIN_SCORE:
                continue
            ident = (self.types[i], self.ids[i])
            held = best.get(ident)
            # on a tie, show the name closest to the query as typed (its script, its spelling)
            if (
                held is None
                or score > held[0]
                or (
                    score == held[0]
                    and fuzz.ratio(typed, self.values[i].lower())
                    > fuzz.ratio(typed, self.values[held[1]].lower())
                )
            ):
                best[ident] = (round(score, 1), i)
        # equal scores: the record whose matched name shares more whole words with the query first
        query_words = set(words)

        def rank(held: tuple[float, int]) -> tuple[float, int, float, int, int]:
            score, i = held
            shared = len(query_words & set(self.keys[i].split()))
            as_typed = fuzz.WRatio(typed, self.values[i].lower())
            return (-score, -shared, -as_typed, len(self.display[i]), self.ids[i])

        return [(i, score) for score, i in sorted(best.values(), key=rank)[:limit]]


def build_index(session: Session) -> NameIndex:
    """Read every name of the registry into a fresh index."""
    index = NameIndex()
    rows = session.execute(
        select(
            OrganizationName.organization_id,
            Organization.name,
            OrganizationName.value,
            OrganizationName.key,
            Organization.country,
            Organization.illustrative,
        )
        .join(Organization, Organization.id == OrganizationName.organization_id)
        .where(Organization.merged_into_id.is_(None))
    )
    for row in rows:
        index.add(EntityType.ORGANIZATION, *row)
    for person in session.execute(
        select(PersonName.person_id, Person.name, PersonName.value, PersonName.key).join(
            Person, Person.id == PersonName.person_id
        )
    ):
        index.add(EntityType.PERSON, *person, None, False)
    for row in session.execute(
        select(
            PlaceName.place_id, Place.name, PlaceName.value, PlaceName.key, Place.country, Place.illustrative
        ).join(Place, Place.id == PlaceName.place_id)
    ):
        index.add(EntityType.PLACE, *row)
    index.finish()
    return index


_indexes = PerDatabase(Stamp.NAMES, build_index)


def get_index(session: Session) -> NameIndex:
    """The index of this database, rebuilt if its names changed since it was built."""
    return _indexes.get(session)


def search_names(
    *, session: Session, query: str, types: set[str] | None = None, limit: int = 20
) -> list[SearchHit]:
    """Records whose names match the query best, best first (score 0-100)."""
    return get_index(session).search(query, types=types, limit=limit)


def search_everything(
    *, session: Session, actor: Actor, query: str, types: set[str] | None = None, limit: int = 20
) -> list[SearchHit]:
    """The registry's records by their names and the other domains' records the actor may see
    (missions, events, agreements by their titles), best first."""
    hits = search_names(session=session, query=query, types=types, limit=limit)
    hits += search_records(session, actor, query, types, limit)
    return sorted(hits, key=lambda hit: -hit.score)[:limit]


def matching_ids(*, session: Session, query: str, kind: str) -> list[int]:
    """The ids of every record of one kind whose names match the query, best first."""
    return get_index(session).matching_ids(query, kind)
