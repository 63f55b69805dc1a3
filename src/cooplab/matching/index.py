"""Candidate generation: the few thousand capability rows worth scoring for a need.

Inverted lists map a key to the rows that have it: HS prefixes (chapter, heading,
subheading), concepts and word stems of the descriptions, and processes. A need gathers the
lists of its own keys, each row collecting a prior (how many of the need's keys it shares,
weighted); the rows with the highest priors, among those the reader may see and the filters
keep, go on to full scoring. A key held by too many rows (a common heading, a frequent word)
only raises the prior of rows already gathered, so one broad key cannot flood the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cooplab.matching.table import CapabilityTable, PreparedNeed
from cooplab.vocab.hs import LEVELS
from cooplab.vocab.processes import Process

#: Prior of a shared key, by kind; text keys take the need's own weight of the feature.
HS_PRIOR = {2: 0.3, 4: 1.5, 6: 3.0, 8: 3.5, 10: 4.0}
TEXT_PRIOR = 4.0


@dataclass
class InvertedLists:
    """Rows by key: `rows[offsets[i]:offsets[i + 1]]` are the rows of `keys[i]` (keys sorted)."""

    keys: np.ndarray
    offsets: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, rows: np.ndarray) -> InvertedLists:
        """Lists from (key, row) pairs; a row appears once per key."""
        pairs = np.unique(np.stack([keys.astype(np.int64), rows.astype(np.int64)], axis=1), axis=0) \
            if len(keys) else np.empty((0, 2), dtype=np.int64)
        unique_keys, starts = np.unique(pairs[:, 0], return_index=True)
        offsets = np.append(starts, len(pairs)).astype(np.int64)
        return cls(unique_keys, offsets, pairs[:, 1].astype(np.int32))

    def get(self, key: int) -> np.ndarray:
        """The rows of `key` (empty when no row has it)."""
        at = int(np.searchsorted(self.keys, key))
        if at == len(self.keys) or self.keys[at] != key:
            return self.rows[:0]
        return self.rows[self.offsets[at] : self.offsets[at + 1]]

    def nbytes(self) -> int:
        return self.keys.nbytes + self.offsets.nbytes + self.rows.nbytes


class CandidateIndex:
    """Inverted lists over a capability table, and the scratch arrays one query reuses."""

    def __init__(self, table: CapabilityTable, *, max_list_share: float = 0.02,
                 min_max_list: int = 2000) -> None:
        self.table = table
        n = len(table)
        entry_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(table.hs_ptr))
        self.hs = {level: InvertedLists.of(table.hs[:, i], entry_rows)
                   for i, level in enumerate(LEVELS) if level <= 6}
        text_keys = np.asarray([i for f, i in table.text_vocabulary.items() if not f.startswith("t:")],
                               dtype=np.int64)
        is_key = np.zeros(len(table.text_vocabulary) + 1, dtype=bool)
        is_key[text_keys] = True
        text_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(table.text_ptr))
        keep = is_key[table.text_features]
        self.text = InvertedLists.of(table.text_features[keep], text_rows[keep])
        bits = [(p, 1 << i) for i, p in enumerate(Process)]
        self.processes: dict[Process, np.ndarray] = {
            p: np.flatnonzero(table.processes & bit).astype(np.int32) for p, bit in bits}
        self.max_list = max(min_max_list, int(n * max_list_share))
        self._prior = np.zeros(n, dtype=np.float32)
        self._slot = np.full(n, -1, dtype=np.int64)

    def nbytes(self) -> int:
        """Memory of the lists and scratch arrays, in bytes."""
        return (sum(lists.nbytes() for lists in self.hs.values()) + self.text.nbytes()
                + sum(a.nbytes for a in self.processes.values()) + self._prior.nbytes + self._slot.nbytes)

    def candidates(self, prepared: PreparedNeed, *, keep: np.ndarray | None = None,
                   budget: int = 3000) -> np.ndarray:
        """Rows sharing keys with the need, best priors first, at most `budget`; `keep` (a mask
        over rows: visibility and filters) drops rows before the budget is spent."""
        gathered: list[tuple[np.ndarray, float]] = []
        broad: list[tuple[np.ndarray, float]] = []
        if prepared.hs is not None:
            for i, level in enumerate(LEVELS):
                if level > 6 or prepared.hs[i] < 0:
                    break
                gathered.append((self.hs[level].get(prepared.hs[i]), HS_PRIOR[level]))
        for feature, weight in zip(prepared.text_ids.tolist(), prepared.text_weights.tolist(), strict=True):
            rows = self.text.get(feature)
            if len(rows):
                gathered.append((rows, TEXT_PRIOR * weight))
        narrow = [(rows, w) for rows, w in gathered if len(rows) <= self.max_list]
        broad = [(rows, w) for rows, w in gathered if len(rows) > self.max_list]
        if not narrow and broad:  # only broad keys: the narrowest of them seeds the candidates
            broad.sort(key=lambda item: len(item[0]))
            narrow, broad = broad[:1], broad[1:]
        if not narrow:
            return np.empty(0, dtype=np.int64)
        prior, slot = self._prior, self._slot
        for rows, w in narrow:
            prior[rows] += w
        for rows, w in broad:
            present = rows[prior[rows] > 0]
            prior[present] += w
        every = np.concatenate([rows for rows, _ in narrow]).astype(np.int64)
        slot[every] = np.arange(len(every))
        unique = every[slot[every] == np.arange(len(every))]
        slot[every] = -1
        scores = prior[unique].copy()
        prior[unique] = 0.0
        if keep is not None:
            kept = keep[unique]
            unique, scores = unique[kept], scores[kept]
        if len(unique) > budget:
            best = np.argpartition(-scores, budget - 1)[:budget]
            unique = unique[best]
        return np.sort(unique)
