"""The landed cost per unit of one option (a part, its offer, a route), with every component
named: what a localization scenario or a match asks for a part (`landed_cost`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.calculators import Reason
from cooplab.core.schemas import IsoDate
from cooplab.feasibility.choices import Allocation, Certificate, Incoterm, Regime, TariffBasis
from cooplab.feasibility.components import (
    CaseNumbers,
    ComponentResult,
    LandedCostComponent,
    compute_all,
    pipeline,
)
from cooplab.feasibility.customs import decide_regime, duty_rate
from cooplab.feasibility.incoterms import Split, split_route
from cooplab.feasibility.problems import MAX_FIGURE, UNEXPLAINED, Loc, explaining, reason, refuse
from cooplab.feasibility.reference import (
    CustomsRules,
    DutyRate,
    customs_rules,
    logistics_assumptions,
    shipped_places,
    shipped_tariffs,
)
from cooplab.feasibility.routes import Place, Route, RoutePlan, Tariff, plan_route
from cooplab.vocab.countries import validate_country
from cooplab.vocab.hs import normalize_hs_code
from cooplab.vocab.money import MissingRateError, RateTable, validate_currency

#: Per-unit amounts are rounded to this many decimal places at the edges.
UNIT_PLACES = Decimal("0.0001")
NonNegative = Annotated[Decimal, Field(ge=0, le=MAX_FIGURE)]
Share = Annotated[Decimal, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Money(_Strict):
    """An amount in a currency."""

    amount: NonNegative
    currency: str

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)


class PartOffer(_Strict):
    """A part as a supplier offers it: price and Incoterm, origin, HS code, weight and volume."""

    name: str | None = None
    hs_code: str
    price: NonNegative
    currency: str
    incoterm: Incoterm
    named_place: str | None = Field(
        None, description="A place of the route; EXW: the first, C and D terms: the last, when not given."
    )
    origin_country: str
    certificate: Certificate = Certificate.NONE
    regime: Regime | None = Field(None, description="Set to override the regime found from origin.")
    duty_rate: Annotated[Decimal, Field(ge=0, le=10)] | None = None
    excise_rate: Annotated[Decimal, Field(ge=0, le=10)] = Decimal(0)
    excise_per_unit: Money | None = None
    weight_kg: Annotated[Decimal, Field(gt=0, le=MAX_FIGURE)] | None = None
    volume_m3: Annotated[Decimal, Field(gt=0, le=MAX_FIGURE)] | None = None
    units_per_shipment: Annotated[int, Field(gt=0, le=MAX_FIGURE)] | None = None
    allocation: Allocation = Allocation.WEIGHT

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)

    @field_validator("origin_country")
    @classmethod
    def _country(cls, value: str) -> str:
        return validate_country(value)

    @field_validator("hs_code")
    @classmethod
    def _hs(cls, value: str) -> str:
        return normalize_hs_code(value)


class DutyRateIn(_Strict):
    """A row of the user's duty table: an MFN ad-valorem rate for an HS heading."""

    hs: str
    rate: Annotated[Decimal, Field(ge=0, le=10)]
    source: str | None = None
    as_of: IsoDate | None = None

    @field_validator("hs")
    @classmethod
    def _hs(cls, value: str) -> str:
        return normalize_hs_code(value)


class LandedTerms(_Strict):
    """The buyer's side of every option: report currency and date, import country, VAT,
    insurance, carrying and customs fees, and the user's duty table."""

    currency: str
    as_of: IsoDate
    import_country: str = "UZ"
    vat_recoverable: bool = Field(True, description="The buyer recovers import VAT as input VAT.")
    vat_rate: Share | None = Field(None, description="Overrides the shipped rate of the import country.")
    insurance_rate: Share | None = Field(None, description="Premium as a share of the insured value.")
    carrying_rate: Annotated[Decimal, Field(ge=0, le=5)] | None = Field(
        None, description="A year's cost of money tied in stock, e.g. the cost of capital."
    )
    safety_stock_days: NonNegative = Decimal(0)
    fx_spread: Share = Decimal(0)
    customs_fee_rate: Share = Decimal(0)
    customs_fee_per_unit: Money | None = None
    duty_rates: list[DutyRateIn] = []
    components: dict[str, dict[str, Any]] = Field({}, description="Settings per component name.")

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)

    @field_validator("import_country")
    @classmethod
    def _country(cls, value: str) -> str:
        return validate_country(value)


class ComponentLine(BaseModel):
    """One named line of a landed cost, rounded."""

    name: str
    amount: Decimal
    currency: str
    basis: str
    assumption: bool
    reasons: list[Reason] = []


class LandedCost(BaseModel):
    """The landed cost per unit of one option: its components and their total (which is their
    sum), the import VAT paid at the border shown apart, and whether assumptions went in."""

    option: str | None = None
    route: str | None = None
    incoterm: Incoterm | None = None
    regime: Regime | None = None
    currency: str
    as_of: date
    components: list[ComponentLine]
    total_per_unit: Decimal
    import_vat_paid_per_unit: Decimal
    import_vat_recoverable: bool
    assumption: bool
    reasons: list[Reason] = []


def round_unit(value: float) -> Decimal:
    """A per-unit amount as Decimal, rounded half-even to `UNIT_PLACES`."""
    return Decimal(repr(float(value))).quantize(UNIT_PLACES, rounding=ROUND_HALF_EVEN)


# ---------------------------------------------------------------- preparing an option


@dataclass
class Catalogue:
    """What an option's names refer to: places and tariffs (shipped ones and the user's), the
    duty table, the customs rules of the import country and the dated exchange rates."""

    rates: RateTable
    places: dict[str, Place]
    tariffs: dict[str, Tariff]
    duty_table: list[DutyRate]
    rules: CustomsRules | None

    @classmethod
    def of(
        cls,
        terms: LandedTerms,
        rates: RateTable,
        *,
        places: Mapping[str, Place] | None = None,
        tariffs: Mapping[str, Tariff] | None = None,
    ) -> Catalogue:
        """The shipped reference data overlaid with the user's places, tariffs and duty rates."""
        rules = customs_rules(terms.import_country)
        user_duty = [DutyRate(d.hs, d.rate, Regime.MFN, d.source, d.as_of) for d in terms.duty_rates]
        return cls(
            rates,
            {**shipped_places(), **(places or {})},
            {**shipped_tariffs(), **(tariffs or {})},
            [*user_duty, *(rules.mfn_duty if rules else ())],
            rules,
        )

    _factors: dict[tuple[str, str, date], tuple[float, float]] = field(default_factory=dict)
    _duties: dict[tuple[object, ...], tuple[Regime, bool, float, list[Reason]]] = field(default_factory=dict)

    def duty(
        self, offer: PartOffer, import_country: str, loc: Loc
    ) -> tuple[Regime, bool, float, list[Reason]]:
        """The regime of an offer (and whether it is assumed), its duty rate, and why; the same
        origin, certificate, HS code and given rate are decided once."""
        key = (
            offer.origin_country,
            offer.certificate,
            offer.regime,
            offer.hs_code,
            offer.duty_rate,
            import_country,
        )
        found = self._duties.get(key)
        if found is None or (found[3] and found[3][0] is UNEXPLAINED and explaining()):
            regime, assumed, why = decide_regime(
                origin=offer.origin_country,
                import_country=import_country,
                certificate=offer.certificate,
                regime=offer.regime,
                rules=self.rules,
            )
            rate, rate_why = duty_rate(
                hs_code=offer.hs_code, regime=regime, table=self.duty_table, given=offer.duty_rate, loc=loc
            )
            found = self._duties[key] = (regime, assumed, rate, [*why, *rate_why])
        return found[0], found[1], found[2], list(found[3])

    def convert(self, amount: float, currency: str, to: str, day: date, loc: Loc) -> float:
        """`amount` in `to` at the rates in force on `day`; a missing rate names the field."""
        if currency == to:
            return amount
        key = (currency, to, day)
        factors = self._factors.get(key)
        if factors is None:
            try:
                factors = (
                    float(self.rates.uzs_per_unit(currency, day)),
                    float(self.rates.uzs_per_unit(to, day)),
                )
            except MissingRateError as exc:
                raise refuse(
                    loc,
                    "missing_rate",
                    "no exchange rate of {currency} on or before {day}",
                    currency=exc.currency,
                    day=exc.day.isoformat(),
                ) from None
            self._factors[key] = factors
        return amount * factors[0] / factors[1]


@dataclass
class OfferFigures:
    """The part-side figures of an option (independent of the route)."""

    price: float
    fx_spread: float
    quantities: dict[str, float]  # per allocation key: kg, m³, 1, 1/units per shipment
    duty_rate: float
    duty_assumed: bool
    regime: Regime
    excise_rate: float
    excise_per_unit: float
    notes: dict[str, list[Reason]] = field(default_factory=dict)


@dataclass
class RouteFigures:
    """The route-side figures of an option, for one Incoterm and named place."""

    split: Split
    coef_border: dict[str, float | None]  # per allocation key; None where a capacity is missing
    coef_inland: dict[str, float | None]
    missing: dict[str, str]  # allocation key -> why its coefficient is missing
    insurance_rate: float
    transit_days: float
    transit_assumed: bool
    freight_assumed: bool
    customs_in_price: bool
    risk_rate: float
    risk_per_unit: float
    safety_days: float | None
    notes: dict[str, list[Reason]] = field(default_factory=dict)


#: Allocation keys: what one part counts as in a shipment.
PER_KG, PER_M3, PER_TARIFF_UNIT, PER_SHIPMENT = "kg", "m3", "unit", "shipment"


def allocation_key(offer: PartOffer, loc: Loc) -> str:
    """Which coefficient shares the freight for this offer; refuses a missing weight or volume."""
    if offer.allocation is Allocation.WEIGHT:
        if offer.weight_kg is None:
            raise refuse([*loc, "weight_kg"], "weight_needed", "freight is shared by weight: give weight_kg")
        return PER_KG
    if offer.allocation is Allocation.VOLUME:
        if offer.volume_m3 is None:
            raise refuse([*loc, "volume_m3"], "volume_needed", "freight is shared by volume: give volume_m3")
        return PER_M3
    return PER_SHIPMENT if offer.units_per_shipment else PER_TARIFF_UNIT


def offer_figures(offer: PartOffer, terms: LandedTerms, catalogue: Catalogue, loc: Loc = ()) -> OfferFigures:
    """Convert the price, settle the regime and duty rate and the part's allocation quantities."""
    price = catalogue.convert(
        float(offer.price), offer.currency, terms.currency, terms.as_of, [*loc, "currency"]
    )
    notes: dict[str, list[Reason]] = {"price": [], "duty": []}
    if offer.currency != terms.currency:
        notes["price"].append(
            reason(
                "price.converted",
                "{amount} {currency} at the rate of {day}: {converted:,.4f} {to}",
                amount=offer.price,
                currency=offer.currency,
                day=terms.as_of.isoformat(),
                converted=price,
                to=terms.currency,
            )
        )
    regime, assumed, rate, duty_why = catalogue.duty(offer, terms.import_country, loc)
    notes["duty"] += duty_why
    excise_unit = 0.0
    if offer.excise_per_unit is not None:
        excise_unit = catalogue.convert(
            float(offer.excise_per_unit.amount),
            offer.excise_per_unit.currency,
            terms.currency,
            terms.as_of,
            [*loc, "excise_per_unit", "currency"],
        )
    quantities = {
        PER_KG: float(offer.weight_kg or 0),
        PER_M3: float(offer.volume_m3 or 0),
        PER_TARIFF_UNIT: 1.0,
        PER_SHIPMENT: 1.0 / offer.units_per_shipment if offer.units_per_shipment else 0.0,
    }
    return OfferFigures(
        price,
        float(terms.fx_spread) if offer.currency != terms.currency else 0.0,
        quantities,
        rate,
        assumed,
        regime,
        float(offer.excise_rate),
        excise_unit,
        notes,
    )


def route_figures(
    plan: RoutePlan,
    incoterm: Incoterm,
    named_place: str | None,
    terms: LandedTerms,
    catalogue: Catalogue,
    loc: Loc = (),
    route_loc: Loc = (),
) -> RouteFigures:
    """Split the route by the Incoterm and sum the buyer's freight per allocation unit, to the
    import border and after it; the days at the buyer's risk; the lane's risk premium."""
    split = split_route(incoterm, named_place, plan, import_country=terms.import_country, loc=loc)
    notes: dict[str, list[Reason]] = {
        "price": list(split.reasons),
        "freight": [],
        "carrying_in_transit": [],
        "insurance": [],
        "risk_premium": [],
    }
    places = [plan.legs[0].start, *[leg.end for leg in plan.legs]]
    border = next((i for i, p in enumerate(places) if p.country == terms.import_country), None)
    if border is None:
        notes["freight"].append(
            reason(
                "freight.border_unknown",
                "no place of the route is known to be in {country}: all "
                "freight is counted in the customs value",
                country=terms.import_country,
            )
        )
        border = len(places) - 1
    coef_border: dict[str, float | None] = dict.fromkeys((PER_KG, PER_M3, PER_TARIFF_UNIT, PER_SHIPMENT), 0.0)
    coef_inland = dict(coef_border)
    missing: dict[str, str] = {}
    freight_assumed = False
    for i in split.buyer_legs:
        leg = plan.legs[i]
        leg_loc = [*route_loc, "legs", i]
        if leg.tariff is None or leg.cost_per_shipment is None:
            raise refuse(
                [*leg_loc, "tariff"],
                "tariff_needed",
                "leg {leg} is paid by the buyer under {term} {place}: give its tariff",
                leg=i + 1,
                term=incoterm.value,
                place=split.named_place,
            )
        cost = catalogue.convert(
            leg.cost_per_shipment,
            leg.tariff.currency,
            terms.currency,
            terms.as_of,
            [*leg_loc, "tariff", "currency"],
        )
        freight_assumed |= (
            leg.distance_assumed and leg.tariff.basis is TariffBasis.PER_KM
        ) or leg.tariff.assumption
        notes["freight"] += leg.reasons
        age = (terms.as_of - leg.tariff.as_of).days
        if age > 365:
            notes["freight"].append(
                reason(
                    "freight.tariff_dated",
                    "leg {leg}: the tariff is of {as_of}, {years:.1f} years before {day}",
                    leg=i + 1,
                    as_of=leg.tariff.as_of.isoformat(),
                    years=age / 365.25,
                    day=terms.as_of.isoformat(),
                )
            )
        target = coef_border if i < border else coef_inland
        capacity = leg.tariff.capacity
        for key, size, name in (
            (PER_KG, capacity.weight_kg, "weight_kg"),
            (PER_M3, capacity.volume_m3, "volume_m3"),
            (PER_TARIFF_UNIT, capacity.units, "units"),
        ):
            if size is None:
                target[key] = None
                missing.setdefault(
                    key, f"leg {i + 1}: the tariff gives no capacity.{name} to share the shipment by"
                )
            elif target[key] is not None:
                target[key] = target[key] + cost / float(size)  # type: ignore[operator]
        coef = target[PER_SHIPMENT]
        target[PER_SHIPMENT] = (coef or 0.0) + cost
    risk = split.risk_legs
    days = sum(plan.legs[i].transit_days for i in risk)
    transit_assumed = any(plan.legs[i].transit_assumed for i in risk)
    notes["carrying_in_transit"] += [
        r for i in risk for r in plan.legs[i].reasons if r.code.startswith("leg.transit")
    ]
    insurance = 0.0
    if split.buyer_insures:
        if terms.insurance_rate is None:
            notes["insurance"].append(
                reason(
                    "insurance.not_given",
                    "the buyer bears transport risk, and no insurance_rate is "
                    "given: insurance is not counted",
                )
            )
        else:
            insurance = float(terms.insurance_rate)
    customs_in_price = split.duties_in_price
    risk_rate = risk_unit = 0.0
    premium = plan.route.risk_premium
    if premium is not None:
        risk_rate = float(premium.rate)
        if premium.per_unit:
            risk_unit = catalogue.convert(
                float(premium.per_unit),
                premium.currency or terms.currency,
                terms.currency,
                terms.as_of,
                [*route_loc, "risk_premium", "currency"],
            )
        notes["risk_premium"].append(
            reason(
                "risk_premium.lane",
                "lane premium of {route}: {rate:.2%} and {unit:,.4f} {currency} a unit",
                route=plan.route.name,
                rate=risk_rate,
                unit=risk_unit,
                currency=terms.currency,
            )
        )
    safety = plan.route.safety_stock_days
    return RouteFigures(
        split,
        coef_border,
        coef_inland,
        missing,
        insurance,
        days,
        transit_assumed,
        freight_assumed,
        customs_in_price,
        risk_rate,
        risk_unit,
        None if safety is None else float(safety),
        notes,
    )


def case_numbers(
    offer: OfferFigures,
    route: RouteFigures | None,
    key: str,
    terms: LandedTerms,
    catalogue: Catalogue,
    loc: Loc = (),
) -> CaseNumbers:
    """The numbers of one option, from its part side and route side."""
    domestic = offer.regime is Regime.DOMESTIC
    customs_off = domestic or (route is not None and route.customs_in_price)
    vat = 0.0 if customs_off else vat_rate(terms, catalogue, loc)
    fee_unit = 0.0
    if terms.customs_fee_per_unit is not None and not customs_off:
        fee_unit = catalogue.convert(
            float(terms.customs_fee_per_unit.amount),
            terms.customs_fee_per_unit.currency,
            terms.currency,
            terms.as_of,
            ["terms", "customs_fee_per_unit", "currency"],
        )
    border = inland = 0.0
    if route is not None:
        b, i = route.coef_border[key], route.coef_inland[key]
        if b is None or i is None:
            raise refuse([*loc, "allocation"], "capacity_needed", "{why}", why=route.missing[key])
        border, inland = b, i
    return CaseNumbers(
        price=offer.price,
        fx_spread=offer.fx_spread,
        freight_coef_border=border,
        freight_coef_inland=inland,
        freight_qty=offer.quantities[key],
        insurance_rate=route.insurance_rate if route else 0.0,
        duty_rate=0.0 if customs_off else offer.duty_rate,
        fee_rate=0.0 if customs_off else float(terms.customs_fee_rate),
        fee_per_unit=fee_unit,
        excise_rate=0.0 if customs_off else offer.excise_rate,
        excise_per_unit=0.0 if customs_off else offer.excise_per_unit,
        vat_rate=vat,
        vat_recoverable=1.0 if terms.vat_recoverable else 0.0,
        transit_days=route.transit_days if route else 0.0,
        safety_days=float(terms.safety_stock_days)
        if route is None or route.safety_days is None
        else route.safety_days,
        carrying_rate=float(terms.carrying_rate or 0),
        risk_rate=route.risk_rate if route else 0.0,
        risk_per_unit=route.risk_per_unit if route else 0.0,
        freight_assumed=1.0 if route and route.freight_assumed else 0.0,
        transit_assumed=1.0 if route and route.transit_assumed else 0.0,
        duty_assumed=1.0 if offer.duty_assumed and not customs_off else 0.0,
    )


def vat_rate(terms: LandedTerms, catalogue: Catalogue, loc: Loc = ()) -> float:
    """The import VAT rate: the user's, else the import country's in force on the date."""
    if terms.vat_rate is not None:
        return float(terms.vat_rate)
    known = catalogue.rules.vat_rate(terms.as_of) if catalogue.rules else None
    if known is None:
        raise refuse(
            ["terms", "vat_rate"],
            "vat_rate_unknown",
            "no import VAT rate of {country} is known on {day}: give vat_rate",
            country=terms.import_country,
            day=terms.as_of.isoformat(),
        )
    return float(known.rate)


def case_notes(
    offer: OfferFigures, route: RouteFigures | None, terms: LandedTerms, catalogue: Catalogue, x: CaseNumbers
) -> dict[str, list[Reason]]:
    """The explanations of one option's figures, by component name."""
    notes: dict[str, list[Reason]] = {}
    for source in (offer.notes, route.notes if route else {}):
        for name, reasons in source.items():
            notes.setdefault(name, []).extend(reasons)
    if route is not None and route.customs_in_price:
        notes.setdefault("duty", []).append(
            reason("duty.in_price", "DDP: import duty and taxes are in the price")
        )
    elif x.vat_rate and terms.vat_rate is None and catalogue.rules:
        known = catalogue.rules.vat_rate(terms.as_of)
        if known is not None:
            notes.setdefault("import_vat", []).append(
                reason(
                    "import_vat.rate",
                    "import VAT {rate:.0%} in {country} since {since} ({source})",
                    rate=float(known.rate),
                    country=catalogue.rules.country,
                    since=known.since.isoformat(),
                    source=known.source,
                )
            )
    if terms.carrying_rate is None:
        notes.setdefault("carrying_in_transit", []).append(
            reason("carrying.not_given", "no carrying_rate is given: stock carries no cost")
        )
    return notes


def landed_cost(
    offer: PartOffer,
    route: Route | None,
    *,
    terms: LandedTerms,
    rates: RateTable,
    places: Mapping[str, Place] | None = None,
    tariffs: Mapping[str, Tariff] | None = None,
    name: str | None = None,
    loc: Loc = (),
    route_loc: Loc = (),
) -> LandedCost:
    """The landed cost per unit of a part offered at `offer` and carried along `route` (None:
    delivered at the buyer's plant), with every component named and explained."""
    catalogue = Catalogue.of(terms, rates, places=places, tariffs=tariffs)
    components = pipeline(terms.components)
    return _landed_cost(offer, route, terms, catalogue, components, name, loc, route_loc)


def _landed_cost(
    offer: PartOffer,
    route: Route | None,
    terms: LandedTerms,
    catalogue: Catalogue,
    components: Sequence[LandedCostComponent],
    name: str | None,
    loc: Loc,
    route_loc: Loc,
) -> LandedCost:
    figures = offer_figures(offer, terms, catalogue, loc)
    route_side = None
    if route is not None:
        plan = plan_route(
            route,
            places=catalogue.places,
            tariffs=catalogue.tariffs,
            assumptions=logistics_assumptions(),
            loc=route_loc,
        )
        route_side = route_figures(plan, offer.incoterm, offer.named_place, terms, catalogue, loc, route_loc)
    key = allocation_key(offer, loc) if route_side and (route_side.split.buyer_legs) else PER_TARIFF_UNIT
    x = case_numbers(figures, route_side, key, terms, catalogue, loc)
    results = compute_all(
        x, components, currency=terms.currency, notes=case_notes(figures, route_side, terms, catalogue, x)
    )
    return assemble(
        results,
        terms,
        name=name or offer.name,
        route=route.name if route else None,
        incoterm=offer.incoterm,
        regime=figures.regime,
    )


def assemble(
    results: Sequence[ComponentResult],
    terms: LandedTerms,
    *,
    name: str | None = None,
    route: str | None = None,
    incoterm: Incoterm | None = None,
    regime: Regime | None = None,
) -> LandedCost:
    """The rounded lines and their total (the sum of the rounded lines)."""
    lines = [
        ComponentLine(
            name=r.calculator,
            amount=round_unit(r.amount),
            currency=r.currency,
            basis=r.basis,
            assumption=r.assumption,
            reasons=r.reasons,
        )
        for r in results
    ]
    vat = next(r for r in results if r.calculator == "import_vat")
    return LandedCost(
        option=name,
        route=route,
        incoterm=incoterm,
        regime=regime,
        currency=terms.currency,
        as_of=terms.as_of,
        components=lines,
        total_per_unit=sum((line.amount for line in lines), Decimal(0)),
        import_vat_paid_per_unit=round_unit(vat.paid or 0.0),
        import_vat_recoverable=terms.vat_recoverable,
        assumption=any(line.assumption for line in lines),
    )


class SideBySideRow(BaseModel):
    """One component across the options, in their order."""

    name: str
    amounts: list[Decimal]
    assumptions: list[bool]


class SideBySide(BaseModel):
    """Options side by side: a row per component, the totals, the cheapest option and how much
    more each of the others costs per unit."""

    currency: str
    options: list[str | None]
    rows: list[SideBySideRow]
    totals: list[Decimal]
    cheapest: int | None
    above_cheapest: list[Decimal]


def side_by_side(costs: Sequence[LandedCost]) -> SideBySide:
    """The table comparing options (import, supply from Russia, local production...); all in
    one currency."""
    if not costs:
        return SideBySide(currency="", options=[], rows=[], totals=[], cheapest=None, above_cheapest=[])
    currencies = {c.currency for c in costs}
    if len(currencies) > 1:
        raise refuse(
            ["options"],
            "currencies_differ",
            "options in {currencies} cannot stand side by side",
            currencies=", ".join(sorted(currencies)),
        )
    names = [line.name for line in costs[0].components]
    rows = [
        SideBySideRow(
            name=n,
            amounts=[c.components[k].amount for c in costs],
            assumptions=[c.components[k].assumption for c in costs],
        )
        for k, n in enumerate(names)
    ]
    totals = [c.total_per_unit for c in costs]
    cheapest = min(range(len(costs)), key=lambda i: totals[i])
    return SideBySide(
        currency=costs[0].currency,
        options=[c.option for c in costs],
        rows=rows,
        totals=totals,
        cheapest=cheapest,
        above_cheapest=[t - totals[cheapest] for t in totals],
    )
