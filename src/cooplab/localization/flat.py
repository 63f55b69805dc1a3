"""A vehicle's bill flattened once into arrays, so every method and scenario is a few numpy sums.

`flatten_bill` takes a `VehicleBill` (or the same data as columns, which a service can read
straight from the database) and gives a `FlatBill`: one row per BOM line with its quantity per
vehicle, one per source with its price in UZS, one per supplier input with its cost in UZS.
`FlatBill.content(home)` then says, for a set of "home" countries, how much of each part's price
comes from outside them, following supplier inputs through every tier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Any

import numpy as np

from cooplab.catalog.schemas import BillColumns, Vehicle, VehicleBill, supplier_key
from cooplab.vocab.money import RateTable

UZ = frozenset({"UZ"})


class Basis(IntEnum):
    """How a source's content from outside the home countries is known."""

    PRODUCED_OUTSIDE = 0  # made outside the home countries: the whole price
    INPUTS = 1  # from the supplier's inputs, through every tier
    IMPORTED_SHARE = 2  # price x the supplier's imported share
    UNKNOWN = 3  # made at home, but nothing is known of its inputs


class _Rates:
    """UZS per unit by (currency, day), each pair looked up once."""

    def __init__(self, table: RateTable) -> None:
        self.table = table
        self.cache: dict[tuple[str, date], float] = {}

    def __call__(self, currency: str, day: date) -> float:
        key = (currency, day)
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = float(self.table.uzs_per_unit(currency, day))
        return value


@dataclass(frozen=True)
class Content:
    """For one set of home countries: each source's and line's price and content from outside."""

    home: frozenset[str]
    source_outside: np.ndarray
    source_basis: np.ndarray
    source_capped: np.ndarray
    line_price: np.ndarray
    line_outside: np.ndarray
    line_unknown: np.ndarray


@dataclass(frozen=True, eq=False)
class FlatBill:
    """A bill as arrays. Lines: `qty` per vehicle (parents' quantities multiplied in), `counted`
    where the line's price counts (it is bought and no ancestor is). Sources: `s_line`, price in
    UZS, share, imported share (NaN when not given), `s_node` (the supplier's inputs for the
    part, -1 when none). Inputs: `r_owner` node, `r_value` UZS per unit of the owner's part,
    `r_child` node of the input's own supplier (-1)."""

    vehicle: Vehicle
    rates: RateTable
    own_cost: float
    exw_price: float | None
    part_number: list[str]
    index: dict[str, int]
    name: list[str]
    hs_code: list[str | None]
    parent: np.ndarray
    depth: np.ndarray
    qty: np.ndarray
    counted: np.ndarray
    bought_in: np.ndarray
    s_line: np.ndarray
    s_supplier: list[str]
    s_supplier_id: list[Any]
    s_country: np.ndarray
    s_price: np.ndarray
    s_share: np.ndarray
    s_imported_share: np.ndarray
    s_node: np.ndarray
    s_operations: list[tuple[str, ...]]
    s_illustrative: np.ndarray
    node_key: list[tuple[str, str]]
    node_index: dict[tuple[str, str], int]
    r_owner: np.ndarray
    r_supplier: list[str]
    r_input: list[str]
    r_hs_code: list[str | None]
    r_qty: np.ndarray
    r_value: np.ndarray
    r_origin: np.ndarray
    r_child: np.ndarray
    r_illustrative: np.ndarray
    s_scored: np.ndarray | None = None
    _content: dict[frozenset[str], Content] = field(default_factory=dict, repr=False)
    _static: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def lines(self) -> int:
        return len(self.part_number)

    @property
    def illustrative(self) -> bool:
        """Whether any figure is illustrative."""
        return bool(self.vehicle.illustrative or self.s_illustrative.any() or self.r_illustrative.any())

    def line_illustrative(self) -> np.ndarray:
        """Per line: whether one of its sources (or the vehicle) is illustrative."""
        flags = np.bincount(self.s_line, weights=self.s_illustrative.astype(float), minlength=self.lines) > 0
        return flags | self.vehicle.illustrative

    def unsourced(self) -> list[int]:
        """Lines whose cost is nowhere: no source, no bought ancestor and no children."""
        has_children = np.zeros(self.lines, bool)
        has_children[self.parent[self.parent >= 0]] = True
        has_source = np.bincount(self.s_line, minlength=self.lines) > 0
        return np.flatnonzero(~has_source & (self.bought_in < 0) & ~has_children).tolist()

    def content(self, home: frozenset[str]) -> Content:
        """Prices and content from outside `home`, per source and per line (cached)."""
        cached = self._content.get(home)
        if cached is None:
            cached = self._content[home] = _content(self, home)
        return cached

    def inputs_matching(self, supplier: str, input_name: str) -> np.ndarray:
        """Mask of the input rows of a supplier (by key) for an input (by name)."""
        rows = self._static.get("input_rows")
        if rows is None:
            rows = {}
            for n, key in enumerate(zip(self.r_supplier, self.r_input, strict=True)):
                rows.setdefault(key, []).append(n)
            self._static["input_rows"] = rows
        mask = np.zeros(len(self.r_input), dtype=bool)
        mask[rows.get((supplier_key(supplier), input_name), [])] = True
        return mask

    def scored_sources(self) -> np.ndarray:
        """Mask of the sources that list Decree 719 operations."""
        if self.s_scored is None:
            object.__setattr__(
                self,
                "s_scored",
                np.fromiter(map(bool, self.s_operations), dtype=bool, count=len(self.s_operations)),
            )
        assert self.s_scored is not None
        return self.s_scored

    def evolve(self, **arrays: Any) -> FlatBill:
        """A copy with some arrays replaced (for scenarios); nothing cached is carried over."""
        return replace(self, _content={}, **arrays)  # _static (names) is shared


def _decimal_array(values: Sequence[Any]) -> np.ndarray:
    """Floats of numbers (Decimal at the boundary; a query may answer floats straight away)."""
    if isinstance(values, np.ndarray):
        return values.astype(float)
    return np.fromiter(map(float, values), dtype=float, count=len(values))


def _rate_array(rate: _Rates, currencies: Sequence[str], days: Sequence[date]) -> np.ndarray:
    """UZS per unit for each (currency, day), each distinct pair looked up once (the pairs are
    told apart as integers: the currency's letters and the day's ordinal)."""
    n = len(currencies)
    if n == 0:
        return np.zeros(0)
    letters = np.array(currencies, dtype="<U3").view(np.uint32).reshape(n, 3).astype(np.int64)
    ordinals = np.fromiter(map(date.toordinal, days), dtype=np.int64, count=n)
    keys = ((letters[:, 0] * 128 + letters[:, 1]) * 128 + letters[:, 2]) * 10_000_000 + ordinals
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    values = np.array([rate(currencies[i], days[i]) for i in first.tolist()])
    return values[inverse.reshape(-1)]


def _keys(names: Sequence[str | None]) -> list[str]:
    """Supplier keys of names, each distinct name folded once ("" for none)."""
    known = {name: supplier_key(name) if name else "" for name in set(names)}
    return [known[name] for name in names]


def flatten_bill(bill: VehicleBill | BillColumns) -> FlatBill:
    """The bill as arrays; prices are converted to UZS at the rate of their date. A missing rate
    is a `MissingRateError`, a cycle in the BOM or in supplier inputs a ValueError (files are
    checked before they get here)."""
    cols = BillColumns.from_bill(bill) if isinstance(bill, VehicleBill) else bill
    rate = _Rates(cols.rates)
    v = cols.vehicle
    index = {p: i for i, p in enumerate(cols.part_number)}
    n = len(index)
    if n != len(cols.part_number):
        raise ValueError("a part number is listed twice in the BOM")
    parent = np.array([index[p] if p else -1 for p in cols.parent], dtype=np.int64)
    depth = _depths(parent, "BOM")
    qty = _decimal_array(cols.quantity)
    order = np.argsort(depth, kind="stable")
    for d in range(1, int(depth.max(initial=0)) + 1):
        at = order[depth[order] == d]
        qty[at] = qty[at] * qty[parent[at]]

    s_line = np.array([index[p] for p in cols.s_part], dtype=np.int64)
    has_source = np.bincount(s_line, minlength=n) > 0
    bought_in = np.full(n, -1, dtype=np.int64)
    for d in range(1, int(depth.max(initial=0)) + 1):
        at = order[depth[order] == d]
        up = parent[at]
        bought_in[at] = np.where(has_source[up], up, bought_in[up])
    counted = has_source & (bought_in < 0)

    s_price = _decimal_array(cols.s_price) * _rate_array(rate, cols.s_currency, cols.s_date)
    s_imported = np.array([np.nan if x is None else float(x) for x in cols.s_imported_share])

    i_supplier, i_input_supplier = _keys(cols.i_supplier), _keys(cols.i_input_supplier)
    node_index: dict[tuple[str, str], int] = {}
    r_owner = np.array(
        [node_index.setdefault(k, len(node_index)) for k in zip(i_supplier, cols.i_part, strict=True)],
        dtype=np.int64,
    )
    get = node_index.get
    r_child = np.array(
        [get(k, -1) if k[0] else -1 for k in zip(i_input_supplier, cols.i_input, strict=True)], dtype=np.int64
    )
    if node_index:
        by_id = [supplier_key(None, sid) if sid is not None else None for sid in cols.s_supplier_id]
        s_node = np.array(
            [
                get((i, p), -1) if i is not None and (i, p) in node_index else get((n, p), -1)
                for i, n, p in zip(by_id, _keys(cols.s_supplier), cols.s_part, strict=True)
            ],
            dtype=np.int64,
        )
    else:
        s_node = np.full(len(cols.s_part), -1, dtype=np.int64)
    r_qty = _decimal_array(cols.i_quantity)
    r_value = (
        r_qty
        * _decimal_array(cols.i_cost)
        * _rate_array(rate, cols.i_currency, [d or v.price_date for d in cols.i_date])
    )
    _node_depths(len(node_index), r_owner, r_child)
    own = float(v.own_cost) * rate(v.own_cost_currency, v.price_date)
    exw = (
        float(v.exw_price) * rate(v.exw_currency or v.own_cost_currency, v.price_date)
        if v.exw_price is not None
        else None
    )
    return FlatBill(
        vehicle=v,
        rates=cols.rates,
        own_cost=own,
        exw_price=exw,
        part_number=list(cols.part_number),
        index=index,
        name=list(cols.name),
        hs_code=list(cols.hs_code),
        parent=parent,
        depth=depth,
        qty=qty,
        counted=counted,
        bought_in=bought_in,
        s_line=s_line,
        s_supplier=list(cols.s_supplier),
        s_supplier_id=list(cols.s_supplier_id),
        s_country=np.array(cols.s_country, dtype="<U2"),
        s_price=s_price,
        s_share=_decimal_array(cols.s_share),
        s_imported_share=s_imported,
        s_node=s_node,
        s_operations=list(cols.s_operations),
        s_illustrative=np.array(cols.s_illustrative, dtype=bool),
        node_key=list(node_index),
        node_index=node_index,
        r_owner=r_owner,
        r_supplier=i_supplier,
        r_input=list(cols.i_input),
        r_hs_code=list(cols.i_hs_code),
        r_qty=r_qty,
        r_value=r_value,
        r_origin=np.array(cols.i_origin, dtype="<U2"),
        r_child=r_child,
        r_illustrative=np.array(cols.i_illustrative, dtype=bool),
    )


def _depths(parent: np.ndarray, what: str) -> np.ndarray:
    """Depth of every row under its parents (0 at the top); a cycle is a ValueError."""
    depth = np.zeros(len(parent), dtype=np.int64)
    up = parent.copy()
    for _ in range(len(parent) + 1):
        above = up >= 0
        if not above.any():
            return depth
        depth += above
        up = np.where(above, parent[np.maximum(up, 0)], -1)
    raise ValueError(f"the {what} has a cycle")


def _node_depths(n: int, owner: np.ndarray, child: np.ndarray) -> None:
    """Refuse a cycle among supplier inputs (a part that is, through its suppliers, its own input)."""
    linked = child >= 0
    o, c = owner[linked], child[linked]
    level = np.zeros(n, dtype=np.int64)
    for _ in range(n + 1):
        new = np.zeros(n, dtype=np.int64)
        np.maximum.at(new, o, level[c] + 1)
        if np.array_equal(new, level):
            return
        level = new
    raise ValueError("supplier inputs have a cycle")


def _country_ints(countries: np.ndarray) -> np.ndarray:
    """Two-letter codes as integers, without a Python loop (each letter is one UCS-4 unit)."""
    pairs = np.ascontiguousarray(countries, dtype="<U2").view(np.uint32).reshape(-1, 2)
    return pairs[:, 0].astype(np.int64) * 65536 + pairs[:, 1]


def _within(countries: np.ndarray, home: frozenset[str]) -> np.ndarray:
    """Mask of the country codes that are in `home`."""
    codes = _country_ints(countries)
    mask = np.zeros(len(countries), dtype=bool)
    for country in home:
        mask |= codes == ord(country[0]) * 65536 + ord(country[1])
    return mask


def node_outside(flat: FlatBill, home: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per input node: content from outside `home` per unit of its part, and per input row the
    part of it that counts (an input's outside content never exceeds its cost)."""
    n = len(flat.node_key)
    outside = ~_within(flat.r_origin, home)
    base = np.bincount(flat.r_owner[outside], weights=flat.r_value[outside], minlength=n)
    deeper = ~outside & (flat.r_child >= 0)
    o, q, c, v = flat.r_owner[deeper], flat.r_qty[deeper], flat.r_child[deeper], flat.r_value[deeper]
    content = base
    for _ in range(n + 1):
        new = base + np.bincount(o, weights=np.minimum(q * content[c], v), minlength=n)
        if np.array_equal(new, content):
            break
        content = new
    row = np.where(outside, flat.r_value, 0.0)
    row[deeper] = np.minimum(q * content[c], v)
    return content, row


def _content(flat: FlatBill, home: frozenset[str]) -> Content:
    nodes, _ = node_outside(flat, home)
    price = flat.s_price
    produced_outside = ~_within(flat.s_country, home)
    has_inputs = flat.s_node >= 0
    has_share = ~np.isnan(flat.s_imported_share)
    from_inputs = nodes[np.maximum(flat.s_node, 0)] if len(nodes) else np.zeros(len(price))
    basis = np.full(len(price), Basis.UNKNOWN, dtype=np.int8)
    basis[has_share] = Basis.IMPORTED_SHARE
    basis[has_inputs] = Basis.INPUTS
    basis[produced_outside] = Basis.PRODUCED_OUTSIDE
    # unknown content counts as from outside: the level is then a floor
    outside = np.where(
        produced_outside,
        price,
        np.where(
            has_inputs,
            np.minimum(from_inputs, price),
            np.where(has_share, price * np.where(has_share, flat.s_imported_share, 0.0), price),
        ),
    )
    capped = (basis == Basis.INPUTS) & (from_inputs > price + 1e-9)
    n = flat.lines
    weights = flat.s_share
    return Content(
        home=home,
        source_outside=outside,
        source_basis=basis,
        source_capped=capped,
        line_price=np.bincount(flat.s_line, weights=weights * price, minlength=n),
        line_outside=np.bincount(flat.s_line, weights=weights * outside, minlength=n),
        line_unknown=np.bincount(flat.s_line, weights=(basis == Basis.UNKNOWN).astype(float), minlength=n)
        > 0,
    )


def money(value: float, places: int = 2) -> Decimal:
    """A float sum from the vectorised core as a Decimal rounded at the edge."""
    return Decimal(repr(round(float(value), places)))
