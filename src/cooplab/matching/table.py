"""Capabilities as columns of numbers, so features score thousands of rows at once.

A `CapabilityTable` holds one row per capability: ids, tier, country, a process bit mask,
capacity, and ragged columns (HS codes, certificates, sites, text features) as flat arrays
with row offsets. It is built once from `Capability` records (or, for benchmarks, from plain
values) and is read-only afterwards; the records themselves need not stay in memory: a
`load` callback gives back the few that a ranking explains.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cooplab.matching.profiles import Capability, Need, certification_key
from cooplab.matching.text import TextProfile, text_profile
from cooplab.vocab.hs import LEVELS
from cooplab.vocab.processes import Process

PROCESS_BITS = {p: 1 << i for i, p in enumerate(Process)}
NO_EXPIRY = np.iinfo(np.int32).max
EARTH_KM = 6371.0088


def process_mask(processes: Iterable[Process]) -> int:
    """The processes as one integer, a bit each."""
    mask = 0
    for p in processes:
        mask |= PROCESS_BITS[p]
    return mask


def hs_prefixes(code: str) -> tuple[int, ...]:
    """The code's prefix at each level (2, 4, 6, 8, 10 digits) as integers; -1 past its length.
    Prefixes of different levels never collide: each is offset by its level."""
    return tuple(int(code[:n]) * 100 + n if len(code) >= n else -1 for n in LEVELS)


def segments(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions of the ragged entries of `rows` (flat), the start of each row's run in that flat
    list, and each row's count: the ground of every ragged-column computation."""
    starts = ptr[rows]
    counts = ptr[rows + 1] - starts
    total = int(counts.sum())
    firsts = np.zeros(len(rows), dtype=np.int64)
    if len(rows):
        np.cumsum(counts[:-1], out=firsts[1:])
    positions = np.repeat(starts - firsts, counts) + np.arange(total, dtype=np.int64)
    return positions, firsts, counts


def per_row(values: np.ndarray, firsts: np.ndarray, counts: np.ndarray, ufunc: np.ufunc,
            empty: float) -> np.ndarray:
    """`ufunc` reduced over each row's run of `values` (`empty` for rows without entries)."""
    out = np.full(len(counts), empty, dtype=np.float64)
    has = counts > 0
    if values.size:
        reduced = ufunc.reduceat(values, firsts[has]) if has.any() else np.empty(0)
        out[has] = reduced
    return out


@dataclass
class CapabilityTable:
    """Capabilities as columns; row i is the i-th capability added."""

    ids: np.ndarray
    supplier_ids: np.ndarray
    tiers: np.ndarray  # 0: unknown
    countries: np.ndarray  # index into country_codes, -1: unknown
    processes: np.ndarray
    capacity: np.ndarray  # NaN: not stated
    hs_ptr: np.ndarray
    hs: np.ndarray  # (entries, 5) prefixes per level
    cert_ptr: np.ndarray
    cert_keys: np.ndarray
    cert_expiry: np.ndarray  # date ordinals; NO_EXPIRY when none is stated
    site_ptr: np.ndarray
    site_lat: np.ndarray  # radians
    site_lon: np.ndarray
    text_ptr: np.ndarray
    text_features: np.ndarray
    text_weights: np.ndarray
    country_codes: list[str]
    cert_vocabulary: dict[str, int]
    text_vocabulary: dict[str, int]
    load: Callable[[Sequence[int]], list[Capability]] = field(repr=False, default=lambda rows: [])
    row_of_id: dict[int, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """Memory held by the columns (arrays only), in bytes."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))

    @classmethod
    def of(cls, capabilities: Sequence[Capability]) -> CapabilityTable:
        """A table of the given capabilities, which it keeps to explain rankings."""
        builder = TableBuilder()
        for cap in capabilities:
            builder.add_capability(cap)
        kept = list(capabilities)
        return builder.build(load=lambda rows: [kept[r] for r in rows])


class TableBuilder:
    """Collects rows, then makes the arrays of a `CapabilityTable` in one go."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.supplier_ids: list[int] = []
        self.tiers: list[int] = []
        self.countries: list[int] = []
        self.processes: list[int] = []
        self.capacity: list[float] = []
        self.hs_counts: list[int] = []
        self.hs: list[tuple[int, ...]] = []
        self.cert_counts: list[int] = []
        self.cert_keys: list[int] = []
        self.cert_expiry: list[int] = []
        self.site_counts: list[int] = []
        self.site_lat: list[float] = []
        self.site_lon: list[float] = []
        self.text_counts: list[int] = []
        self.text_features: list[int] = []
        self.text_weights: list[float] = []
        self.country_index: dict[str, int] = {}
        self.cert_vocabulary: dict[str, int] = {}
        self.text_vocabulary: dict[str, int] = {}

    def add(self, *, id: int, supplier_id: int | None, tier: int | None, country: str | None,
            hs_codes: Sequence[str], processes: int, capacity: float | None,
            certifications: Sequence[tuple[str, date | None]],
            sites: Sequence[tuple[float, float]], text: TextProfile) -> None:
        """One row from plain values (HS codes as digits, certificates as (key, expiry))."""
        self.ids.append(id)
        self.supplier_ids.append(-1 if supplier_id is None else supplier_id)
        self.tiers.append(tier or 0)
        self.countries.append(-1 if country is None else self.country_index.setdefault(country, len(self.country_index)))
        self.processes.append(processes)
        self.capacity.append(math.nan if capacity is None else float(capacity))
        self.hs_counts.append(len(hs_codes))
        self.hs.extend(hs_prefixes(c) for c in hs_codes)
        self.cert_counts.append(len(certifications))
        for key, expires in certifications:
            self.cert_keys.append(self.cert_vocabulary.setdefault(key, len(self.cert_vocabulary)))
            self.cert_expiry.append(NO_EXPIRY if expires is None else expires.toordinal())
        self.site_counts.append(len(sites))
        for lat, lon in sites:
            self.site_lat.append(math.radians(lat))
            self.site_lon.append(math.radians(lon))
        vocabulary = self.text_vocabulary
        self.text_counts.append(len(text.features))
        for feature, weight in text.features.items():
            self.text_features.append(vocabulary.setdefault(feature, len(vocabulary)))
            self.text_weights.append(weight)

    def add_capability(self, cap: Capability) -> None:
        """One row from a capability record."""
        self.add(id=cap.id if cap.id is not None else len(self.ids), supplier_id=cap.supplier_id,
                 tier=cap.supplier_tier, country=cap.supplier_country, hs_codes=cap.hs_codes,
                 processes=process_mask(cap.processes), capacity=cap.annual_capacity,
                 certifications=[(c.key, c.expires) for c in cap.certifications],
                 sites=[(s.latitude, s.longitude) for s in cap.sites],
                 text=text_profile(*cap.texts))

    def build(self, load: Callable[[Sequence[int]], list[Capability]]) -> CapabilityTable:
        """The table; `load` gives back the records of rows, to explain the top of a ranking."""
        def ptr(counts: list[int]) -> np.ndarray:
            out = np.zeros(len(counts) + 1, dtype=np.int64)
            np.cumsum(np.asarray(counts, dtype=np.int64), out=out[1:])
            return out

        ids = np.asarray(self.ids, dtype=np.int64)
        return CapabilityTable(
            ids=ids, supplier_ids=np.asarray(self.supplier_ids, dtype=np.int64),
            tiers=np.asarray(self.tiers, dtype=np.int8),
            countries=np.asarray(self.countries, dtype=np.int16),
            processes=np.asarray(self.processes, dtype=np.int64),
            capacity=np.asarray(self.capacity, dtype=np.float64),
            hs_ptr=ptr(self.hs_counts),
            hs=np.asarray(self.hs, dtype=np.int64).reshape(-1, len(LEVELS)),
            cert_ptr=ptr(self.cert_counts), cert_keys=np.asarray(self.cert_keys, dtype=np.int32),
            cert_expiry=np.asarray(self.cert_expiry, dtype=np.int32),
            site_ptr=ptr(self.site_counts), site_lat=np.asarray(self.site_lat, dtype=np.float64),
            site_lon=np.asarray(self.site_lon, dtype=np.float64),
            text_ptr=ptr(self.text_counts),
            text_features=np.asarray(self.text_features, dtype=np.int32),
            text_weights=np.asarray(self.text_weights, dtype=np.float32),
            country_codes=sorted(self.country_index, key=self.country_index.__getitem__),
            cert_vocabulary=self.cert_vocabulary, text_vocabulary=self.text_vocabulary,
            load=load, row_of_id={int(i): r for r, i in enumerate(ids)},
        )


@dataclass
class PreparedNeed:
    """A need in the table's terms: what the vectorised features compare rows against."""

    need: Need
    text: TextProfile
    text_ids: np.ndarray
    text_weights: np.ndarray
    hs: tuple[int, ...] | None
    hs_length: int
    processes: int
    cert_ids: list[int | None]  # None: a certificate no row holds
    day: int
    delivery: tuple[float, float] | None  # radians


def prepare_need(need: Need, table: CapabilityTable, on: date) -> PreparedNeed:
    """The need's features looked up in the table's vocabularies, once per ranking."""
    profile = text_profile(*need.texts)
    known = [(table.text_vocabulary[f], w) for f, w in profile.features.items() if f in table.text_vocabulary]
    place = need.delivery_place
    return PreparedNeed(
        need=need, text=profile,
        text_ids=np.asarray([k for k, _ in known], dtype=np.int64),
        text_weights=np.asarray([w for _, w in known], dtype=np.float64),
        hs=hs_prefixes(need.hs_code) if need.hs_code else None,
        hs_length=len(need.hs_code or ""), processes=process_mask(need.processes),
        cert_ids=[table.cert_vocabulary.get(certification_key(c)) for c in need.certifications],
        day=(need.deadline or on).toordinal(),
        delivery=(math.radians(place.latitude), math.radians(place.longitude)) if place else None,
    )
