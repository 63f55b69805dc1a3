"""Routes as chains of legs between places, and their plan: the distance, days in transit and
cost per shipment of each leg, saying which figures are given and which assumed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.calculators import Reason
from cooplab.core.schemas import IsoDate
from cooplab.feasibility.choices import Mode, TariffBasis
from cooplab.feasibility.geo import great_circle_km
from cooplab.feasibility.problems import MAX_FIGURE, Loc, reason, refuse
from cooplab.vocab.countries import validate_country
from cooplab.vocab.money import validate_currency

Positive = Annotated[Decimal, Field(gt=0, le=MAX_FIGURE)]
NonNegative = Annotated[Decimal, Field(ge=0, le=MAX_FIGURE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


@dataclass(frozen=True)
class Assumed:
    """A value the platform assumes (no source gives it), with what it was checked against."""

    value: float
    note: str


@dataclass(frozen=True)
class LogisticsAssumptions:
    """Circuity factors and speeds per mode, used where a leg gives no distance or days."""

    circuity: dict[Mode, Assumed]
    speed_km_per_day: dict[Mode, Assumed]


class Place(_Strict):
    """A place a leg starts or ends at; coordinates are needed only to estimate a distance,
    the country only to find where the goods enter the import country."""

    key: str
    name: str | None = None
    country: str | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else validate_country(value)


class Capacity(_Strict):
    """What one shipment (a truck, a container) carries at most."""

    weight_kg: Positive | None = None
    volume_m3: Positive | None = None
    units: Annotated[int, Field(gt=0)] | None = None


class Tariff(_Strict):
    """A freight rate per shipment or per shipment-km, in a currency, as of a date."""

    key: str | None = None
    mode: Mode | None = None
    basis: TariffBasis = TariffBasis.PER_SHIPMENT
    unit: str | None = Field(None, description="What one shipment is: truck, container_40ft...")
    amount: NonNegative
    currency: str
    as_of: IsoDate
    capacity: Capacity = Capacity()
    transit_days: NonNegative | None = None
    source: str | None = None
    note: str | None = None
    assumption: bool = Field(False, description="True when the rate is the user's estimate.")
    from_place: str | None = None
    to_place: str | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)


class Leg(_Strict):
    """One leg of a route, from one place to the next by one mode."""

    from_: str = Field(alias="from")
    to: str
    mode: Mode
    distance_km: Positive | None = None
    transit_days: NonNegative | None = None
    tariff: Tariff | str | None = Field(None, description="A tariff, or the key of a known one.")


class RiskPremium(_Strict):
    """An optional premium for the risks of a lane (delays, border closures), per unit."""

    rate: Annotated[Decimal, Field(ge=0, le=1)] = Decimal(0)
    per_unit: NonNegative = Decimal(0)
    currency: str | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else validate_currency(value)


class Route(_Strict):
    """A chain of legs, each starting where the one before ended."""

    name: str
    legs: list[Leg] = Field(min_length=1)
    risk_premium: RiskPremium | None = None
    safety_stock_days: NonNegative | None = Field(
        None, description="Days of stock kept for this lane (overrides the terms')."
    )


@dataclass
class LegPlan:
    """A leg with its figures settled: distance, days and cost per shipment, and how each was
    obtained (given, from the tariff's source, or assumed)."""

    index: int
    start: Place
    end: Place
    mode: Mode
    distance_km: float | None
    distance_assumed: bool
    transit_days: float
    transit_assumed: bool
    tariff: Tariff | None
    cost_per_shipment: float | None  # in the tariff's currency
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class RoutePlan:
    """A route's legs, settled."""

    route: Route
    legs: list[LegPlan]

    @property
    def places(self) -> list[str]:
        """The keys of the places along the route, in order."""
        return [self.legs[0].start.key, *[leg.end.key for leg in self.legs]]

    @property
    def transit_days(self) -> float:
        """Days from the first place to the last."""
        return sum(leg.transit_days for leg in self.legs)


def check_chain(route: Route, loc: Loc = ()) -> None:
    """Refuse a route whose legs do not join: each leg must start where the previous ended."""
    for i in range(1, len(route.legs)):
        before, leg = route.legs[i - 1], route.legs[i]
        if leg.from_ != before.to:
            raise refuse(
                [*loc, "legs", i, "from"],
                "route_gap",
                "leg {leg} starts at {start!r} but leg {previous} ends at {end!r}: the route has a gap",
                leg=i + 1,
                previous=i,
                start=leg.from_,
                end=before.to,
            )


def plan_route(
    route: Route,
    *,
    places: Mapping[str, Place],
    tariffs: Mapping[str, Tariff],
    assumptions: LogisticsAssumptions,
    loc: Loc = (),
) -> RoutePlan:
    """Settle each leg's distance, days and cost per shipment; refuse gaps, unknown places and
    tariffs, and legs that need a distance nobody can give."""
    check_chain(route, loc)
    return RoutePlan(
        route,
        [
            _plan_leg(i, leg, places, tariffs, assumptions, [*loc, "legs", i])
            for i, leg in enumerate(route.legs)
        ],
    )


def _place(key: str, places: Mapping[str, Place], loc: Loc) -> Place:
    found = places.get(key)
    if found is None:
        raise refuse(loc, "unknown_place", "unknown place {place!r}: describe it under places", place=key)
    return found


def _tariff(value: Tariff | str | None, tariffs: Mapping[str, Tariff], loc: Loc) -> Tariff | None:
    if value is None or isinstance(value, Tariff):
        return value
    found = tariffs.get(value)
    if found is None:
        raise refuse(
            loc,
            "unknown_tariff",
            "unknown tariff {tariff!r}; known: {known}",
            tariff=value,
            known=", ".join(sorted(tariffs)) or "none",
        )
    return found


def _plan_leg(
    i: int,
    leg: Leg,
    places: Mapping[str, Place],
    tariffs: Mapping[str, Tariff],
    assumptions: LogisticsAssumptions,
    loc: Sequence[str | int],
) -> LegPlan:
    start, end = _place(leg.from_, places, [*loc, "from"]), _place(leg.to, places, [*loc, "to"])
    tariff = _tariff(leg.tariff, tariffs, [*loc, "tariff"])
    reasons: list[Reason] = []
    n = i + 1
    transit_given = leg.transit_days is not None or (tariff is not None and tariff.transit_days is not None)
    needs_distance = (tariff is not None and tariff.basis is TariffBasis.PER_KM) or not transit_given

    distance: float | None = None
    distance_assumed = False
    if leg.distance_km is not None:
        distance = float(leg.distance_km)
        reasons.append(reason("leg.distance_given", "leg {leg}: {km:.0f} km, as given", leg=n, km=distance))
    elif needs_distance:
        if None in (start.lat, start.lon, end.lat, end.lon):
            raise refuse(
                [*loc, "distance_km"],
                "distance_needed",
                "leg {leg} needs a distance: give distance_km, or the coordinates of {start!r} and {end!r}",
                leg=n,
                start=start.key,
                end=end.key,
            )
        circuity = assumptions.circuity[leg.mode]
        crow = great_circle_km(start.lat, start.lon, end.lat, end.lon)  # type: ignore[arg-type]
        distance, distance_assumed = crow * circuity.value, True
        reasons.append(
            reason(
                "leg.distance_assumed",
                "leg {leg}: {km:.0f} km assumed: {crow:.0f} km great-circle × {factor} circuity for "
                "{mode} (an assumption: give distance_km)",
                leg=n,
                km=distance,
                crow=crow,
                factor=circuity.value,
                mode=leg.mode.value,
            )
        )

    transit_assumed = False
    if leg.transit_days is not None:
        days = float(leg.transit_days)
        reasons.append(
            reason("leg.transit_given", "leg {leg}: {days:g} days in transit, as given", leg=n, days=days)
        )
    elif tariff is not None and tariff.transit_days is not None:
        days = float(tariff.transit_days)
        reasons.append(
            reason(
                "leg.transit_from_tariff",
                "leg {leg}: {days:g} days in transit, from the tariff's source",
                leg=n,
                days=days,
            )
        )
    else:
        speed = assumptions.speed_km_per_day[leg.mode]
        days, transit_assumed = distance / speed.value, True  # type: ignore[operator]
        reasons.append(
            reason(
                "leg.transit_assumed",
                "leg {leg}: {days:.1f} days assumed at {speed:g} km a day by {mode} (an assumption: "
                "give transit_days)",
                leg=n,
                days=days,
                speed=speed.value,
                mode=leg.mode.value,
            )
        )

    cost: float | None = None
    if tariff is not None:
        if tariff.basis is TariffBasis.PER_KM:
            cost = float(tariff.amount) * distance  # type: ignore[operator]
            reasons.append(
                reason(
                    "leg.cost_per_km",
                    "leg {leg}: {amount} {currency} a km × {km:.0f} km = {cost:.2f} "
                    "{currency} a shipment (rate of {as_of})",
                    leg=n,
                    amount=tariff.amount,
                    currency=tariff.currency,
                    km=distance,
                    cost=cost,
                    as_of=tariff.as_of.isoformat(),
                )
            )
        else:
            cost = float(tariff.amount)
            reasons.append(
                reason(
                    "leg.cost_per_shipment",
                    "leg {leg}: {amount} {currency} a {unit} (rate of {as_of})",
                    leg=n,
                    amount=tariff.amount,
                    currency=tariff.currency,
                    unit=tariff.unit or "shipment",
                    as_of=tariff.as_of.isoformat(),
                )
            )
        if tariff.source:
            reasons.append(
                reason("leg.tariff_source", "leg {leg}: tariff source {source}", leg=n, source=tariff.source)
            )
        if tariff.assumption:
            reasons.append(reason("leg.tariff_assumed", "leg {leg}: the tariff is an estimate", leg=n))
        lane = (tariff.from_place, tariff.to_place)
        if all(key in places for key in lane) and lane != (start.key, end.key):
            reasons.append(
                reason(
                    "leg.tariff_other_lane",
                    "leg {leg}: the tariff was quoted for {lane}, and is used for {start} → {end}",
                    leg=n,
                    lane=" → ".join(lane),  # type: ignore[arg-type]
                    start=start.key,
                    end=end.key,
                )
            )
    return LegPlan(
        i, start, end, leg.mode, distance, distance_assumed, days, transit_assumed, tariff, cost, reasons
    )
