"""Capabilities as columns of numbers, so features score thousands of rows at once.

A `CapabilityTable` holds one row per capability: ids, tier, country, a process bit mask,
capacity, and ragged columns (HS codes, certificates, sites, text features) as flat arrays
with row offsets. It is built once from `Capability` records (or, for benchmarks, from plain
values) and is read-only afterwards; the records themselves need not stay in memory: a
`load` callback gives back, by capability id, the few that a ranking explains.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from cooplab.matching.materials import capability_materials, material_mask, materials_in
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


def first_slots(ptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each row's first and second entries (-1 where it has fewer) and a mask of
    the rows with more than two."""
    counts = np.diff(ptr)
    first = np.where(counts >= 1, ptr[:-1], -1)
    second = np.where(counts >= 2, ptr[:-1] + 1, -1)
    return np.stack([first, second], axis=1), counts > 2


def per_row(
    values: np.ndarray, firsts: np.ndarray, counts: np.ndarray, ufunc: np.ufunc, empty: float
) -> np.ndarray:
    """`ufunc` reduced over each row's run of `values` (`empty` for rows without entries)."""
    out = np.full(len(counts), empty, dtype=np.float64)
    has = counts > 0
    if values.size:
        reduced = ufunc.reduceat(values, firsts[has]) if has.any() else np.empty(0)
        out[has] = reduced
    return out


#: The table's columns of one value a row, and its ragged columns (by the name of their `_ptr`).
FLAT = ("ids", "supplier_ids", "tiers", "countries", "processes", "capacity", "materials")
RAGGED = {
    "hs": ("hs",),
    "cert": ("cert_keys", "cert_expiry"),
    "site": ("site_lat", "site_lon"),
    "text": ("text_features", "text_weights"),
}


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
    #: Material families named by each row's materials and description (`matching.materials`
    #: bit mask; 0: none named). Empty when built without them: every row then names none.
    materials: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    load: Callable[[Sequence[int]], list[Capability]] = field(repr=False, default=lambda rows: [])
    row_of_id: dict[int, int] = field(default_factory=dict, repr=False)
    #: For each ragged column, the positions of each row's first two entries (-1: none) and
    #: whether it has more: most rows have one or two, so most work skips the ragged path.
    slots: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if len(self.materials) != len(self.ids):
            self.materials = np.zeros(len(self.ids), dtype=np.int64)
        for name in ("hs", "cert", "site", "text"):
            if name != "text":
                self.slots[name] = first_slots(getattr(self, f"{name}_ptr"))

    def reduce(
        self,
        name: str,
        rows: np.ndarray,
        values: Callable[[np.ndarray], np.ndarray],
        ufunc: np.ufunc,
        identity: float,
        empty: float,
    ) -> np.ndarray:
        """`ufunc` over each row's entries of the ragged column `name`, where `values` maps
        entry positions (an array of any shape) to numbers; `empty` for rows without entries."""
        first, more = self.slots[name]
        if getattr(self, f"{name}_ptr")[-1] == 0:  # no row has any entry
            return np.full(len(rows), empty, dtype=np.float64)
        pos = first[rows]
        valid = pos >= 0
        got = np.where(valid, values(np.where(valid, pos, 0)), identity).astype(np.float64)
        out = ufunc.reduce(got, axis=1)
        out = np.where(valid[:, 0], out, empty)
        spill = more[rows]
        if spill.any():
            ptr = getattr(self, f"{name}_ptr")
            positions, firsts, counts = segments(ptr, rows[spill])
            out[spill] = per_row(values(positions).astype(np.float64), firsts, counts, ufunc, empty)
        return out

    def __len__(self) -> int:
        return len(self.ids)

    def by_product(self) -> CapabilityTable:
        """The same capabilities with rows ordered by their first HS code (then by id): the
        rows an index gathers for a product then sit together in memory, which makes reading
        their columns several times faster on a large table."""
        first = np.where(
            np.diff(self.hs_ptr) > 0, self.hs[np.minimum(self.hs_ptr[:-1], len(self.hs) - 1), 2], -1
        )
        return self.take(np.lexsort((self.ids, first)))

    def take(self, order: np.ndarray) -> CapabilityTable:
        """The rows at positions `order`, in that order (the same vocabularies)."""
        ragged: dict[str, Any] = {}
        for name, columns in RAGGED.items():
            ptr = getattr(self, f"{name}_ptr")
            positions, _, counts = segments(ptr, order)
            new_ptr = np.zeros(len(order) + 1, dtype=np.int64)
            np.cumsum(counts, out=new_ptr[1:])
            ragged[f"{name}_ptr"] = new_ptr
            for column in columns:
                ragged[column] = getattr(self, column)[positions]
        return CapabilityTable(
            **{column: getattr(self, column)[order] for column in FLAT},
            **ragged,
            country_codes=self.country_codes,
            cert_vocabulary=self.cert_vocabulary,
            text_vocabulary=self.text_vocabulary,
            load=self.load,
            row_of_id={int(i): r for r, i in enumerate(self.ids[order].tolist())},
        )

    def joined(self, other: CapabilityTable) -> CapabilityTable:
        """This table's rows, then those of `other`, a table built on this one's vocabularies
        (`TableBuilder(extending=self)`: its vocabularies hold this one's and more)."""
        ragged: dict[str, Any] = {}
        for name, columns in RAGGED.items():
            mine, theirs = getattr(self, f"{name}_ptr"), getattr(other, f"{name}_ptr")
            ragged[f"{name}_ptr"] = np.concatenate([mine, theirs[1:] + mine[-1]])
            for column in columns:
                ragged[column] = np.concatenate([getattr(self, column), getattr(other, column)])
        ids = np.concatenate([self.ids, other.ids])
        return CapabilityTable(
            **{column: np.concatenate([getattr(self, column), getattr(other, column)]) for column in FLAT},  # type: ignore[arg-type]
            **ragged,
            country_codes=other.country_codes,
            cert_vocabulary=other.cert_vocabulary,
            text_vocabulary=other.text_vocabulary,
            load=self.load,
            row_of_id={int(i): r for r, i in enumerate(ids.tolist())},
        )

    def text_profile(self, row: int) -> TextProfile:
        """The text features of a row as a profile (as the row was built), without the text."""
        names = self.__dict__.get("_feature_names")
        if names is None:
            names = [""] * len(self.text_vocabulary)
            for feature, i in self.text_vocabulary.items():
                names[i] = feature
            self.__dict__["_feature_names"] = names
        start, end = int(self.text_ptr[row]), int(self.text_ptr[row + 1])
        features = {
            names[i]: float(w)
            for i, w in zip(
                self.text_features[start:end].tolist(), self.text_weights[start:end].tolist(), strict=True
            )
        }
        return TextProfile(features, frozenset(f[2:] for f in features if f.startswith("c:")))

    def cached(self, key: tuple[Any, ...], compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A whole column computed once for `key` (say, distance scores to one delivery
        place) and kept for the next queries; the 16 latest are kept."""
        columns: dict[tuple[Any, ...], np.ndarray] = self.__dict__.setdefault("_columns", {})
        if key not in columns:
            if len(columns) >= 16:
                columns.pop(next(iter(columns)))
            columns[key] = compute()
        return columns[key]

    def scratch(self, name: str, size: int) -> np.ndarray:
        """A zeroed float array kept between queries (a caller sets entries and zeroes them
        again); saves allocating one as large as a vocabulary per query. Not thread-safe."""
        arrays = self.__dict__.setdefault("_scratch", {})
        if name not in arrays or len(arrays[name]) < size:
            arrays[name] = np.zeros(size, dtype=np.float64)
        return arrays[name]

    def nbytes(self) -> int:
        """Memory held by the columns (arrays only), in bytes."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))

    @classmethod
    def of(cls, capabilities: Sequence[Capability]) -> CapabilityTable:
        """A table of the given capabilities, which it keeps to explain rankings."""
        builder = TableBuilder()
        for cap in capabilities:
            builder.add_capability(cap)
        by_id = {int(i): cap for i, cap in zip(builder.ids, capabilities, strict=True)}
        return builder.build(load=lambda ids: [by_id[int(i)] for i in ids])


class TableBuilder:
    """Collects rows, then makes the arrays of a `CapabilityTable` in one go."""

    def __init__(self, extending: CapabilityTable | None = None) -> None:
        """`extending`: a table whose vocabularies the new rows share (copied, then extended),
        so that the built table can be joined to it."""
        self.ids = array("q")
        self.supplier_ids = array("q")
        self.tiers = array("b")
        self.countries = array("h")
        self.processes = array("q")
        self.capacity = array("d")
        self.materials = array("q")
        self.hs_counts = array("q")
        self.hs = array("q")
        self.cert_counts = array("q")
        self.cert_keys = array("i")
        self.cert_expiry = array("i")
        self.site_counts = array("q")
        self.site_lat = array("d")
        self.site_lon = array("d")
        self.text_counts = array("q")
        self.text_features = array("i")
        self.text_weights = array("f")
        self.country_index: dict[str, int] = {}
        self.cert_vocabulary: dict[str, int] = {}
        self.text_vocabulary: dict[str, int] = {}
        if extending is not None:
            self.country_index = {c: i for i, c in enumerate(extending.country_codes)}
            self.cert_vocabulary = dict(extending.cert_vocabulary)
            self.text_vocabulary = dict(extending.text_vocabulary)

    def add(
        self,
        *,
        id: int,
        supplier_id: int | None,
        tier: int | None,
        country: str | None,
        hs_codes: Sequence[str],
        processes: int,
        capacity: float | None,
        certifications: Sequence[tuple[str, date | None]],
        sites: Sequence[tuple[float, float]],
        text: TextProfile,
        materials: int = 0,
    ) -> None:
        """One row from plain values (HS codes as digits, certificates as (key, expiry),
        materials as a `material_mask`)."""
        self.ids.append(id)
        self.supplier_ids.append(-1 if supplier_id is None else supplier_id)
        self.tiers.append(tier or 0)
        self.countries.append(
            -1 if country is None else self.country_index.setdefault(country, len(self.country_index))
        )
        self.processes.append(processes)
        self.capacity.append(math.nan if capacity is None else float(capacity))
        self.materials.append(materials)
        self.hs_counts.append(len(hs_codes))
        for code in hs_codes:
            self.hs.extend(hs_prefixes(code))
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
        self.text_features.extend([vocabulary.setdefault(f, len(vocabulary)) for f in text.features])
        self.text_weights.extend(text.features.values())

    def add_capability(self, cap: Capability) -> None:
        """One row from a capability record."""
        self.add(
            id=cap.id if cap.id is not None else len(self.ids),
            supplier_id=cap.supplier_id,
            tier=cap.supplier_tier,
            country=cap.supplier_country,
            hs_codes=cap.hs_codes,
            processes=process_mask(cap.processes),
            capacity=cap.annual_capacity,
            certifications=[(c.key, c.expires) for c in cap.certifications],
            sites=[(s.latitude, s.longitude) for s in cap.sites],
            text=text_profile(*cap.texts),
            materials=material_mask(capability_materials(cap.description.values(), cap.materials)),
        )

    def build(self, load: Callable[[Sequence[int]], list[Capability]]) -> CapabilityTable:
        """The table; `load` gives back records by capability id, to explain a ranking's top."""

        def ptr(counts: array[int]) -> np.ndarray:
            out = np.zeros(len(counts) + 1, dtype=np.int64)
            np.cumsum(np.frombuffer(counts, dtype=np.int64), out=out[1:])
            return out

        def column(values: array[Any], dtype: Any) -> np.ndarray:
            return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.empty(0, dtype=dtype)

        ids = column(self.ids, np.int64)
        return CapabilityTable(
            ids=ids,
            supplier_ids=column(self.supplier_ids, np.int64),
            tiers=column(self.tiers, np.int8),
            countries=column(self.countries, np.int16),
            processes=column(self.processes, np.int64),
            capacity=column(self.capacity, np.float64),
            materials=column(self.materials, np.int64),
            hs_ptr=ptr(self.hs_counts),
            hs=column(self.hs, np.int64).reshape(-1, len(LEVELS)),
            cert_ptr=ptr(self.cert_counts),
            cert_keys=column(self.cert_keys, np.int32),
            cert_expiry=column(self.cert_expiry, np.int32),
            site_ptr=ptr(self.site_counts),
            site_lat=column(self.site_lat, np.float64),
            site_lon=column(self.site_lon, np.float64),
            text_ptr=ptr(self.text_counts),
            text_features=column(self.text_features, np.int32),
            text_weights=column(self.text_weights, np.float32),
            country_codes=sorted(self.country_index, key=self.country_index.__getitem__),
            cert_vocabulary=self.cert_vocabulary,
            text_vocabulary=self.text_vocabulary,
            load=load,
            row_of_id={int(i): r for r, i in enumerate(ids)},
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
    materials: int  # the families the need's words name (`material_mask`)
    cert_ids: list[int | None]  # None: a certificate no row holds
    day: int
    delivery: tuple[float, float] | None  # radians


def prepare_need(need: Need, table: CapabilityTable, on: date) -> PreparedNeed:
    """The need's features looked up in the table's vocabularies, once per ranking."""
    profile = text_profile(*need.texts)
    known = [(table.text_vocabulary[f], w) for f, w in profile.features.items() if f in table.text_vocabulary]
    place = need.delivery_place
    return PreparedNeed(
        need=need,
        text=profile,
        text_ids=np.asarray([k for k, _ in known], dtype=np.int64),
        text_weights=np.asarray([w for _, w in known], dtype=np.float64),
        hs=hs_prefixes(need.hs_code) if need.hs_code else None,
        hs_length=len(need.hs_code or ""),
        processes=process_mask(need.processes),
        materials=material_mask(materials_in(*need.texts)),
        cert_ids=[table.cert_vocabulary.get(certification_key(c)) for c in need.certifications],
        day=(need.deadline or on).toordinal(),
        delivery=(math.radians(place.latitude), math.radians(place.longitude)) if place else None,
    )
