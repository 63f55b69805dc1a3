"""Landed costs of many part × route options at once: each part and each route (per Incoterm
and named place) is prepared once in Python, then every option is evaluated by the same
component formulas on numpy arrays. `loop_landed_costs` is the per-row path over the same
calculators, kept as the baseline and the check: both give the same numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cooplab.errors import InvalidInputError
from cooplab.feasibility.choices import Regime
from cooplab.feasibility.components import (
    ORDER,
    CaseNumbers,
    ComponentResult,
    LandedCostComponent,
    compute_all,
    evaluate,
    pipeline,
)
from cooplab.feasibility.landed_cost import (
    PER_KG,
    PER_M3,
    PER_SHIPMENT,
    PER_TARIFF_UNIT,
    Catalogue,
    LandedCost,
    LandedTerms,
    OfferFigures,
    PartOffer,
    RouteFigures,
    allocation_key,
    assemble,
    case_notes,
    case_numbers,
    offer_figures,
    route_figures,
    vat_rate,
)
from cooplab.feasibility.problems import refuse, unexplained
from cooplab.feasibility.reference import logistics_assumptions
from cooplab.feasibility.routes import Place, Route, RoutePlan, Tariff, plan_route
from cooplab.vocab.money import RateTable

KEYS = (PER_KG, PER_M3, PER_TARIFF_UNIT, PER_SHIPMENT)


@dataclass
class OptionTable:
    """Many options evaluated: for option i, its offer and route indices, every component's
    amount per unit (`amounts[name][i]`) and the total; `landed_cost(i)` explains one."""

    offers: Sequence[PartOffer]
    routes: Sequence[Route]
    offer_index: np.ndarray
    route_index: np.ndarray
    numbers: CaseNumbers
    amounts: dict[str, np.ndarray]
    total: np.ndarray
    terms: LandedTerms
    catalogue: Catalogue
    components: list[LandedCostComponent]
    offer_figures: list[OfferFigures]
    route_figures: dict[tuple[int, int], RouteFigures]
    keys: list[str]
    split_of: np.ndarray  # option -> index into `split_keys`
    split_keys: list[tuple[int, int]]  # (group, route)
    groups: np.ndarray  # offer -> group
    refused: list[tuple[int, int, InvalidInputError]] = field(default_factory=list)
    _explained_offers: dict[int, OfferFigures] = field(default_factory=dict)
    _explained_routes: dict[tuple[int, int], RouteFigures] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.total)

    def explained(self, i: int) -> tuple[OfferFigures, RouteFigures]:
        """Option i's part and route figures with their explanations (prepared again, once per
        part and per route, since the vectorised pass skips the texts)."""
        o, r = int(self.offer_index[i]), int(self.route_index[i])
        g = int(self.groups[o])
        if o not in self._explained_offers:
            self._explained_offers[o] = offer_figures(
                self.offers[o], self.terms, self.catalogue, ["offers", o]
            )
        if (g, r) not in self._explained_routes:
            plan = plan_route(
                self.routes[r],
                places=self.catalogue.places,
                tariffs=self.catalogue.tariffs,
                assumptions=logistics_assumptions(),
                loc=["routes", r],
            )
            offer = self.offers[o]
            self._explained_routes[(g, r)] = route_figures(
                plan,
                offer.incoterm,
                offer.named_place,
                self.terms,
                self.catalogue,
                ["offers", o],
                ["routes", r],
            )
        return self._explained_offers[o], self._explained_routes[(g, r)]

    def case(self, i: int) -> CaseNumbers:
        """The numbers of option i, prepared per row in Python (not read from the arrays)."""
        offer, route = self.explained(i)
        key = self.keys[int(self.offer_index[i])] if route.split.buyer_legs else PER_TARIFF_UNIT
        return case_numbers(offer, route, key, self.terms, self.catalogue)

    def results(self, i: int) -> list[ComponentResult]:
        """Option i's components, each explained by its calculator (the per-row path)."""
        offer, route = self.explained(i)
        x = self.case(i)
        return compute_all(
            x,
            self.components,
            currency=self.terms.currency,
            notes=case_notes(offer, route, self.terms, self.catalogue, x),
        )

    def landed_cost(self, i: int) -> LandedCost:
        """Option i with every component explained, rounded."""
        o, r = int(self.offer_index[i]), int(self.route_index[i])
        return assemble(
            self.results(i),
            self.terms,
            name=self.offers[o].name,
            route=self.routes[r].name,
            incoterm=self.offers[o].incoterm,
            regime=self.offer_figures[o].regime,
        )


def evaluate_options(
    offers: Sequence[PartOffer],
    routes: Sequence[Route],
    pairs: Sequence[tuple[int, int]] | np.ndarray | None = None,
    *,
    terms: LandedTerms,
    rates: RateTable,
    places: Mapping[str, Place] | None = None,
    tariffs: Mapping[str, Tariff] | None = None,
    skip_refused: bool = False,
) -> OptionTable:
    """Landed costs of the (offer, route) `pairs` (every pair when None), vectorised. An option
    the rules refuse (an Incoterm contradicting the route, a missing tariff) raises, naming it,
    or with `skip_refused` is left out and listed in `refused`."""
    catalogue = Catalogue.of(terms, rates, places=places, tariffs=tariffs)
    components = pipeline(terms.components)
    with unexplained():
        return _evaluate(offers, routes, pairs, terms, catalogue, components, skip_refused)


def _evaluate(
    offers: Sequence[PartOffer],
    routes: Sequence[Route],
    pairs: Sequence[tuple[int, int]] | np.ndarray | None,
    terms: LandedTerms,
    catalogue: Catalogue,
    components: list[LandedCostComponent],
    skip_refused: bool,
) -> OptionTable:
    figures = [offer_figures(o, terms, catalogue, ["offers", i]) for i, o in enumerate(offers)]
    keys: list[str] = []
    key_errors: dict[int, InvalidInputError] = {}
    for i, offer in enumerate(offers):
        try:
            keys.append(allocation_key(offer, ["offers", i]))
        except InvalidInputError as exc:
            keys.append(PER_TARIFF_UNIT)
            key_errors[i] = exc
    plans: list[RoutePlan] = [
        plan_route(
            r,
            places=catalogue.places,
            tariffs=catalogue.tariffs,
            assumptions=logistics_assumptions(),
            loc=["routes", j],
        )
        for j, r in enumerate(routes)
    ]
    group_of: dict[tuple[object, object], int] = {}
    groups = np.array(
        [group_of.setdefault((o.incoterm, o.named_place), len(group_of)) for o in offers], dtype=np.int64
    )
    first_offer = {g: i for i, g in reversed(list(enumerate(groups.tolist())))}

    if pairs is None:
        oi = np.repeat(np.arange(len(offers)), len(routes))
        ri = np.tile(np.arange(len(routes)), len(offers))
    else:
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        oi, ri = arr[:, 0], arr[:, 1]

    split_keys: list[tuple[int, int]] = []
    split_id = np.full((len(group_of), len(routes)), -1, dtype=np.int64)
    route_side: dict[tuple[int, int], RouteFigures] = {}
    refused_split: dict[tuple[int, int], InvalidInputError] = {}
    if pairs is None:  # every pair: every group present meets every route
        used = [g * len(routes) + r for g in sorted(set(groups.tolist())) for r in range(len(routes))]
    else:
        used = np.unique(groups[oi] * len(routes) + ri).tolist() if len(oi) else []
    for code in used:
        g, r = divmod(code, len(routes))
        offer = offers[first_offer[g]]
        try:
            route_side[(g, r)] = route_figures(
                plans[r],
                offer.incoterm,
                offer.named_place,
                terms,
                catalogue,
                ["offers", first_offer[g]],
                ["routes", r],
            )
        except InvalidInputError as exc:
            refused_split[(g, r)] = exc
            continue
        split_id[g, r] = len(split_keys)
        split_keys.append((g, r))

    si = split_id[groups[oi], ri]
    refused: list[tuple[int, int, InvalidInputError]] = []
    bad = si < 0
    if bad.any():
        for o, r in zip(oi[bad].tolist(), ri[bad].tolist(), strict=True):
            why = refused_split[(int(groups[o]), r)]
            if not skip_refused:
                raise why
            refused.append((o, r, why))
        keep = ~bad
        oi, ri, si = oi[keep], ri[keep], si[keep]

    sides = [route_side[k] for k in split_keys]
    has_buyer_legs = np.array([bool(s.split.buyer_legs) for s in sides], dtype=bool)
    for o, missing_key in key_errors.items():
        if has_buyer_legs[si[oi == o]].any():
            raise missing_key

    def column(values: list[float]) -> np.ndarray:
        return np.array(values, dtype=np.float64)

    nan = float("nan")
    coef_border = np.array(
        [[nan if s.coef_border[k] is None else s.coef_border[k] for k in KEYS] for s in sides],
        dtype=np.float64,
    ).reshape(-1, len(KEYS))
    coef_inland = np.array(
        [[nan if s.coef_inland[k] is None else s.coef_inland[k] for k in KEYS] for s in sides],
        dtype=np.float64,
    ).reshape(-1, len(KEYS))
    key_id = np.array([KEYS.index(k) for k in keys], dtype=np.int64)
    option_key = np.where(has_buyer_legs[si], key_id[oi], KEYS.index(PER_TARIFF_UNIT))
    border, inland = coef_border[si, option_key], coef_inland[si, option_key]
    missing = np.isnan(border) | np.isnan(inland)
    if missing.any():
        i = int(np.argmax(missing))
        side = sides[si[i]]
        raise refuse(
            ["offers", int(oi[i]), "allocation"],
            "capacity_needed",
            "{why}",
            why=side.missing[KEYS[option_key[i]]],
        )

    qty = np.array([[f.quantities[k] for k in KEYS] for f in figures], dtype=np.float64).reshape(
        -1, len(KEYS)
    )
    domestic = np.array([f.regime is Regime.DOMESTIC for f in figures], dtype=bool)
    customs_off = domestic[oi] | np.array([s.customs_in_price for s in sides], dtype=bool)[si]
    vat = vat_rate(terms, catalogue) if not customs_off.all() else 0.0
    fee_unit = 0.0
    if terms.customs_fee_per_unit is not None:
        fee = terms.customs_fee_per_unit
        fee_unit = catalogue.convert(
            float(fee.amount),
            fee.currency,
            terms.currency,
            terms.as_of,
            ["terms", "customs_fee_per_unit", "currency"],
        )

    def part(attr: str) -> np.ndarray:
        return column([getattr(f, attr) for f in figures])[oi]

    def lane(attr: str) -> np.ndarray:
        return column([float(getattr(s, attr)) for s in sides])[si]

    zero = np.zeros(len(oi))
    numbers = CaseNumbers(
        price=part("price"),
        fx_spread=part("fx_spread"),
        freight_coef_border=border,
        freight_coef_inland=inland,
        freight_qty=qty[oi, option_key],
        insurance_rate=lane("insurance_rate"),
        duty_rate=np.where(customs_off, 0.0, part("duty_rate")),
        fee_rate=np.where(customs_off, 0.0, float(terms.customs_fee_rate)),
        fee_per_unit=np.where(customs_off, 0.0, fee_unit),
        excise_rate=np.where(customs_off, 0.0, part("excise_rate")),
        excise_per_unit=np.where(customs_off, 0.0, part("excise_per_unit")),
        vat_rate=np.where(customs_off, 0.0, vat),
        vat_recoverable=zero + (1.0 if terms.vat_recoverable else 0.0),
        transit_days=lane("transit_days"),
        safety_days=column(
            [float(terms.safety_stock_days) if s.safety_days is None else s.safety_days for s in sides]
        )[si]
        if sides
        else zero,
        carrying_rate=zero + float(terms.carrying_rate or 0),
        risk_rate=lane("risk_rate"),
        risk_per_unit=lane("risk_per_unit"),
        freight_assumed=lane("freight_assumed"),
        transit_assumed=lane("transit_assumed"),
        duty_assumed=np.where(customs_off, 0.0, part("duty_assumed")),
    )
    amounts = evaluate(numbers, components)
    total = np.zeros(len(oi))
    for name in ORDER:
        total = total + amounts[name]
    return OptionTable(
        offers,
        routes,
        oi,
        ri,
        numbers,
        amounts,
        total,
        terms,
        catalogue,
        components,
        figures,
        route_side,
        keys,
        si,
        split_keys,
        groups,
        refused,
    )


def loop_landed_costs(table: OptionTable) -> tuple[np.ndarray, list[list[ComponentResult]]]:
    """The per-row baseline: each option prepared and explained by the calculators one by one;
    returns the totals and every option's component results."""
    totals = np.empty(len(table))
    rows: list[list[ComponentResult]] = []
    for i in range(len(table)):
        results = table.results(i)
        total = 0.0
        for result in results:
            total = total + result.amount
        totals[i] = total
        rows.append(results)
    return totals, rows
