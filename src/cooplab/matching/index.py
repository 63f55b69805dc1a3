"""Candidate generation: the few thousand capability rows worth scoring for a need.

Inverted lists map a key to the rows that have it: HS prefixes (chapter, heading,
subheading), and the concepts and word stems of the descriptions (with each row's weight). A need gathers the
rows of its own keys (those the reader may see and the filters keep), and the lists tell
exactly how many HS digits each shares with the need and the concept-and-stem part of its
text similarity; ranking scores them all approximately from that and the cheap features,
then exactly the best thousand. A key held by too many rows (a chapter, a frequent word) adds
no rows of its own: it only completes what is known of rows already gathered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field

import numpy as np

from cooplab.matching.table import CapabilityTable, PreparedNeed
from cooplab.matching.text import ConceptKind, default_terms
from cooplab.vocab.hs import LEVELS


@dataclass
class InvertedLists:
    """Rows by key: `rows[offsets[i]:offsets[i + 1]]` are the rows of `keys[i]` (keys sorted)."""

    keys: np.ndarray
    offsets: np.ndarray
    rows: np.ndarray
    weights: np.ndarray  # the row's weight of the key (text features), else empty

    @classmethod
    def of(cls, keys: np.ndarray, rows: np.ndarray, weights: np.ndarray | None = None) -> InvertedLists:
        """Lists from (key, row[, weight]) triples; a row appears once per key."""
        keys, rows = keys.astype(np.int64), rows.astype(np.int64)
        order = np.lexsort((rows, keys))
        keys, rows = keys[order], rows[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
        keys, rows = keys[first], rows[first]
        kept = weights[order][first].astype(np.float32) if weights is not None else np.empty(0, np.float32)
        unique_keys, starts = np.unique(keys, return_index=True)
        offsets = np.append(starts, len(keys)).astype(np.int64)
        return cls(unique_keys, offsets, rows.astype(np.int32), kept)

    def span(self, key: int) -> tuple[int, int]:
        """Where the rows of `key` are in `rows` (an empty span when no row has it)."""
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or self.keys[at] != key:
            return 0, 0
        return int(self.offsets[at]), int(self.offsets[at + 1])

    def get(self, key: int) -> np.ndarray:
        """The rows of `key` (empty when no row has it)."""
        start, end = self.span(key)
        return self.rows[start:end]

    def nbytes(self) -> int:
        return self.keys.nbytes + self.offsets.nbytes + self.rows.nbytes + self.weights.nbytes


class CandidateIndex:
    """Inverted lists over a capability table, and the scratch arrays one query reuses."""

    def __init__(
        self,
        table: CapabilityTable,
        *,
        max_list_share: float = 0.2,
        min_max_list: int = 2000,
        product_hs_digits: int = 6,
    ) -> None:
        self.table = table
        self.product_hs_digits = product_hs_digits
        n = len(table)
        entry_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(table.hs_ptr))
        self.hs = {
            level: InvertedLists.of(table.hs[:, i], entry_rows)
            for i, level in enumerate(LEVELS)
            if level <= 6
        }
        text_keys = np.asarray(
            [i for f, i in table.text_vocabulary.items() if not f.startswith("t:")], dtype=np.int64
        )
        is_key = np.zeros(len(table.text_vocabulary) + 1, dtype=bool)
        is_key[text_keys] = True
        self.is_text_key = is_key
        terms = default_terms()
        self.is_product_key = np.zeros(len(table.text_vocabulary) + 1, dtype=bool)
        self.is_concept_key = np.zeros(len(table.text_vocabulary) + 1, dtype=bool)
        for feature, i in table.text_vocabulary.items():
            concept = terms.concepts.get(feature[2:]) if feature.startswith("c:") else None
            self.is_product_key[i] = concept is not None and concept.kind == ConceptKind.PRODUCT
            self.is_concept_key[i] = concept is not None
        text_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(table.text_ptr))
        keep = is_key[table.text_features]
        self.text = InvertedLists.of(table.text_features[keep], text_rows[keep], table.text_weights[keep])
        self.max_list = max(min_max_list, int(n * max_list_share))
        self._mark = np.zeros(n, dtype=bool)
        self._dot = np.zeros(n, dtype=np.float32)
        self._digits = np.zeros(n, dtype=np.int8)
        self._where = np.full(n, -1, dtype=np.int32)
        self._where_of: _Group | None = None

    def nbytes(self) -> int:
        """Memory of the lists and scratch arrays, in bytes."""
        return (
            sum(lists.nbytes() for lists in self.hs.values())
            + self.text.nbytes()
            + self._mark.nbytes
            + self._dot.nbytes
            + self._digits.nbytes
            + self._where.nbytes
        )

    @staticmethod
    def _present(list_rows: np.ndarray, gathered: np.ndarray, mark: np.ndarray) -> np.ndarray:
        """Positions in a list (rows ascending) of the gathered rows: by binary search when the
        list is much longer than the gathered set, else through the mark array."""
        if not len(list_rows):
            return np.empty(0, dtype=np.int64)
        if len(list_rows) > 8 * len(gathered):
            return _in_sorted(gathered, list_rows)
        return np.flatnonzero(mark[list_rows])

    def candidates(
        self, prepared: PreparedNeed, *, keep: np.ndarray | None = None, shared: SharedGathers | None = None
    ) -> Candidates:
        """Rows sharing keys with the need, with what the lists tell of them exactly: the HS
        digits shared and the part of the text similarity carried by concepts and stems.
        `keep` (a mask over rows: visibility and filters) drops rows as they are gathered, and
        lists are sized by the rows they keep: a row dropped changes nothing of what is gathered.
        `shared` keeps what needs of the same product gather (for batch runs over many needs)."""
        return self.gather(self.plan(prepared, keep=keep), keep=keep, shared=shared)

    def plan(
        self,
        prepared: PreparedNeed,
        *,
        keep: np.ndarray | None = None,
        sizes: dict[tuple[int, int, int], int] | None = None,
    ) -> GatherPlan:
        """Which lists a need reads: those that seed its candidates (the product's HS codes
        and concepts), those that complete what is known of them (HS digits, text). `sizes`
        keeps the kept rows of each list counted for the next need with the same `keep`."""

        def size(rows: np.ndarray) -> int:  # what a list holds of the rows kept
            if keep is None:
                return len(rows)
            if sizes is None:
                return int(np.count_nonzero(keep[rows]))
            key = (id(keep), rows.__array_interface__["data"][0], len(rows))  # a list is a slice
            if key not in sizes:
                sizes[key] = int(np.count_nonzero(keep[rows]))
            return sizes[key]

        hs_lists: list[tuple[int, int]] = []
        product_digits = min(self.product_hs_digits, prepared.hs_length)
        seeds: list[tuple[ListKey, np.ndarray, int]] = []
        if prepared.hs is not None:
            for i, level in enumerate(LEVELS):
                if level > 6 or prepared.hs[i] < 0:
                    break
                rows = self.hs[level].get(prepared.hs[i])
                hs_lists.append((level, prepared.hs[i]))
                if level >= product_digits:  # shorter prefixes prove no product: they only complete
                    seeds.append((("hs", level, prepared.hs[i]), rows, size(rows)))
        text_lists: list[tuple[int, float]] = []
        keys = self.is_text_key[prepared.text_ids]
        products: list[tuple[ListKey, np.ndarray, int]] = []
        others: list[tuple[ListKey, np.ndarray, int]] = []
        for feature, weight in zip(
            prepared.text_ids[keys].tolist(), prepared.text_weights[keys].tolist(), strict=True
        ):
            start, end = self.text.span(feature)
            rows = self.text.rows[start:end]
            kept = size(rows)
            if kept:
                concept = self.is_concept_key[feature]
                if concept or kept <= self.max_list:  # a common word adds little to the estimate
                    text_lists.append((feature, weight))
                (products if self.is_product_key[feature] else others).append((("text", feature), rows, kept))
        seeds += products or others  # the product's concepts, else whatever the text shares
        narrow = [(key, rows) for key, rows, kept in seeds if kept <= self.max_list]
        if not narrow and seeds:  # only broad keys: the narrowest of them seeds the candidates
            key, rows, _ = min(seeds, key=lambda seed: seed[2])
            narrow = [(key, rows)]
        return GatherPlan(
            seeds=tuple(sorted({key for key, _ in narrow})),
            seed_rows=[rows for _, rows in narrow],
            hs_lists=hs_lists,
            text_lists=text_lists,
        )

    def gather(
        self, plan: GatherPlan, *, keep: np.ndarray | None = None, shared: SharedGathers | None = None
    ) -> Candidates:
        """The candidates of a plan: the union of its seed lists (kept rows only), the HS
        digits and the concept-and-stem dot product each shares with the need."""
        if not plan.seed_rows or not any(len(rows) for rows in plan.seed_rows):
            return Candidates.none()
        group = shared.group(plan.seeds, keep) if shared is not None else None
        if group is not None and group.rows is not None:
            unique = group.rows
        else:
            unique = self._union(plan.seed_rows, keep)
            if group is not None:
                group.rows = unique
        if group is None:
            return self._complete(plan, unique)
        hs_key = tuple(plan.hs_lists)
        digits = group.digits.get(hs_key)
        if digits is None:
            digits = group.digits[hs_key] = self._digits_of(plan, unique)
        dot = np.zeros(len(unique), dtype=np.float32)
        for feature, weight in plan.text_lists:
            found = group.text.get(feature)
            if found is None:
                start, end = self.text.span(feature)
                at = self._where_in(group, unique)[self.text.rows[start:end]]
                present = at >= 0
                at, row_weights = at[present], self.text.weights[start:end][present]
                if len(at) * 8 > len(unique):  # a feature of many of the rows: kept dense
                    column = np.zeros(len(unique), dtype=np.float32)
                    column[at] = row_weights
                    found = (None, column)
                else:
                    found = (at, row_weights)
                group.text[feature] = found
            at, row_weights = found
            if at is None:
                dot += weight * row_weights  # the same sums: rows without the feature add 0
            else:
                dot[at] += weight * row_weights
        return Candidates(unique, digits, dot.astype(np.float64), memo=group.memo)

    def _where_in(self, group: _Group, unique: np.ndarray) -> np.ndarray:
        """For every row, its position among the group's rows (-1: not one of them); set for
        one group at a time."""
        if self._where_of is not group:
            if self._where_of is not None and self._where_of.rows is not None:
                self._where[self._where_of.rows] = -1
            self._where[unique] = np.arange(len(unique), dtype=np.int32)
            self._where_of = group
        return self._where

    def _union(self, seed_rows: list[np.ndarray], keep: np.ndarray | None) -> np.ndarray:
        mark = self._mark
        for rows in seed_rows:
            mark[rows] = True
        unique = np.flatnonzero(mark)
        mark[unique] = False
        if keep is not None:
            unique = unique[keep[unique]]
        return unique

    def _digits_of(self, plan: GatherPlan, unique: np.ndarray) -> np.ndarray:
        """HS digits shared by each of `unique` with the need (0: none)."""
        mark, digits = self._mark, self._digits
        mark[unique] = True
        for level, prefix in plan.hs_lists:
            lists_rows = self.hs[level].get(prefix)
            present = self._present(lists_rows, unique, mark)
            digits[lists_rows[present]] = np.maximum(digits[lists_rows[present]], level)
        out = digits[unique].astype(np.int64)
        mark[unique] = False
        digits[unique] = 0
        return out

    def _complete(self, plan: GatherPlan, unique: np.ndarray) -> Candidates:
        """HS digits and the text dot product of `unique`, through the scratch arrays."""
        digits = self._digits_of(plan, unique)
        mark, dot = self._mark, self._dot
        mark[unique] = True
        for feature, weight in plan.text_lists:
            start, end = self.text.span(feature)
            lists_rows, row_weights = self.text.rows[start:end], self.text.weights[start:end]
            present = self._present(lists_rows, unique, mark)
            dot[lists_rows[present]] += weight * row_weights[present]
        result = Candidates(unique, digits, dot[unique].astype(np.float64))
        mark[unique] = False
        dot[unique] = 0.0
        return result


ListKey = tuple[str, int] | tuple[str, int, int]


@dataclass
class GatherPlan:
    """The lists one need reads: `seeds` names the lists whose rows are its candidates (needs
    with the same seeds gather the same rows), `hs_lists` the (level, prefix) lists and
    `text_lists` the (feature, need's weight) lists that complete what is known of them."""

    seeds: tuple[ListKey, ...]
    seed_rows: list[np.ndarray]
    hs_lists: list[tuple[int, int]]
    text_lists: list[tuple[int, float]]


@dataclass
class _Group:
    rows: np.ndarray | None = None
    digits: dict[tuple[tuple[int, int], ...], np.ndarray] = field(default_factory=dict)
    text: dict[int, tuple[np.ndarray | None, np.ndarray]] = field(default_factory=dict)
    memo: dict[Hashable, np.ndarray] = field(default_factory=dict)


class SharedGathers:
    """What needs with the same seeds gather, kept for the next such need: the rows, the HS
    digits by need code, where each text list's rows sit among them. Only the `size` latest
    groups are kept (a batch orders its needs by seeds, so a group is used and dropped)."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._groups: OrderedDict[tuple[object, ...], _Group] = OrderedDict()

    def group(self, seeds: tuple[ListKey, ...], keep: np.ndarray | None) -> _Group:
        key = (seeds, None if keep is None else id(keep))
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = _Group()
            while len(self._groups) > self.size:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(key)
        return found


def _in_sorted(values: np.ndarray, sorted_rows: np.ndarray) -> np.ndarray:
    """Positions in `sorted_rows` (ascending) of the values found there."""
    at = np.searchsorted(sorted_rows, values)
    at = np.minimum(at, len(sorted_rows) - 1)
    return at[sorted_rows[at] == values]


@dataclass
class Candidates:
    """Rows gathered for a need: HS digits shared with it (levels up to 6, from the lists) and
    the concept-and-stem part of the text similarity (the trigram part is left to scoring)."""

    rows: np.ndarray
    hs_digits: np.ndarray
    text_dot: np.ndarray
    #: what rankings of needs that gathered the same rows may keep for each other (batch runs)
    memo: dict[Hashable, np.ndarray] | None = None

    @classmethod
    def none(cls) -> Candidates:
        empty = np.empty(0, dtype=np.int64)
        return cls(empty, empty, np.empty(0))

    def __len__(self) -> int:
        return len(self.rows)
