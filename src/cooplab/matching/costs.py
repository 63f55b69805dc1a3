"""Landed cost of a supplier's offer at a need's delivery place, by feasibility's calculators.

A ranking prices the capabilities that state an offer (a unit price under an Incoterm): the part
goes by road from the capability's first site to the need's delivery place, the distance being
the great-circle distance times the road circuity (an assumption of feasibility), at the
per-kilometre rate of the one sourced road tariff (a truck Moscow -> Tashkent, November 2025,
spread over that lane's road distance: an assumption too, shown in the breakdown). Customs
follow the origin: none inside one country; goods of a CIS free-trade-area party are taken to
travel with an ST-1 certificate (duty 0%, said as an assumption); any other origin pays the
MFN rate of its heading where the shipped table has one, else its landed cost stays unknown
and the reason says so. Amounts are in the need's currency, converted at the stored rates of
the day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from cooplab.core.calculators import Reason
from cooplab.errors import InvalidInputError
from cooplab.feasibility.choices import Allocation, Mode, TariffBasis
from cooplab.feasibility.geo import great_circle_km
from cooplab.feasibility.landed_cost import LandedCost
from cooplab.feasibility.reference import (
    customs_rules,
    logistics_assumptions,
    shipped_places,
    shipped_tariffs,
)
from cooplab.feasibility.routes import Tariff
from cooplab.feasibility.schemas import LandedCostFile
from cooplab.feasibility.service import compare
from cooplab.matching.profiles import Capability, Need
from cooplab.vocab.hs import format_hs_code
from cooplab.vocab.money import Rate

#: the sourced road tariff a per-kilometre rate is drawn from
ROAD_TARIFF = "truck_moscow_tashkent_2025_11"


@dataclass(frozen=True)
class Quote:
    """A capability's offer priced landed at a need's delivery place, or why it could not be:
    `landed` (per unit, in the need's currency, against the need's `target` price) or `missing`."""

    capability_id: int
    currency: str
    target: Decimal
    landed: LandedCost | None = None
    missing: Reason | None = None
    assumed_st1: bool = False

    @property
    def total(self) -> Decimal | None:
        return self.landed.total_per_unit if self.landed else None


@cache
def road_tariff() -> Tariff:
    """A truck's rate per kilometre, from the sourced Moscow -> Tashkent tariff over that lane's
    road distance (great circle times the road circuity): an assumption for any other lane."""
    truck = shipped_tariffs()[ROAD_TARIFF]
    places = shipped_places()
    a, b = places[str(truck.from_place)], places[str(truck.to_place)]
    circuity = logistics_assumptions().circuity[Mode.ROAD].value
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    km = great_circle_km(a.lat, a.lon, b.lat, b.lon) * circuity
    per_km = (truck.amount / Decimal(repr(km))).quantize(Decimal("0.01"))
    return truck.model_copy(
        update={
            "key": f"{ROAD_TARIFF}_per_km",
            "basis": TariffBasis.PER_KM,
            "amount": per_km,
            "assumption": True,
            "from_place": None,
            "to_place": None,
            "note": (
                f"{truck.amount} {truck.currency} a truck Moscow -> Tashkent ({truck.as_of:%B %Y}) "
                f"over {km:,.0f} km by road (great circle x {circuity}): {per_km} {truck.currency} a km"
            ),
        }
    )


#: the assumptions a ranking's landed cost rests on, said with it
ASSUMED_ST1 = Reason(
    code="cost_assumed_st1",
    text="duty 0%: goods of a CIS free-trade-area party, assumed to come with an ST-1 certificate",
)


def road_rate_note() -> Reason:
    """How the freight of a ranking's landed cost was reckoned (an assumption, said with it)."""
    tariff, truck = road_tariff(), shipped_tariffs()[ROAD_TARIFF]
    return Reason(
        code="cost_road_rate",
        text=(
            "freight by road from the supplier's first site: great-circle distance x {circuity}, "
            "{per_km} {currency} a km (the truck tariff Moscow -> Tashkent, {amount} {currency}, "
            "{as_of}, over its road distance)"
        ),
        params={
            "circuity": logistics_assumptions().circuity[Mode.ROAD].value,
            "per_km": float(tariff.amount),
            "amount": int(truck.amount),
            "currency": truck.currency,
            "as_of": truck.as_of.isoformat()[:7],
        },
    )


def quote(
    need: Need, capability: Capability, *, import_country: str, rates: Sequence[Rate], on: date
) -> Quote | None:
    """The landed cost of the capability's offer for the need; None when there is nothing to
    price (no target price, no offer, no delivery place)."""
    offer, place = capability.offer, need.delivery_place
    if capability.id is None or offer is None or need.target_price is None or not need.currency or not place:
        return None
    cid, currency, target = capability.id, need.currency, need.target_price

    def _missing(code: str, text: str, **params: Any) -> Quote:
        return Quote(cid, currency, target, missing=Reason(code=code, text=text, params=params))

    hs_code = need.hs_code or next(iter(capability.hs_codes), None)
    if not hs_code:
        return _missing("cost_no_hs", "no HS code to clear the part by")
    if not capability.sites:
        return _missing("cost_no_site", "the offer names no site to ship from")
    origin = capability.supplier_country
    if not origin:
        return _missing("cost_no_origin", "the supplier's country is not known")
    if offer.incoterm.value[0] in "EF" and offer.units_per_shipment is None:
        return _missing("cost_no_units", "the offer does not say how many units one truck carries")
    rules = customs_rules(import_country)
    cis = bool(rules) and origin != import_country and origin in rules.cis_fta_parties  # type: ignore[union-attr]
    site = capability.sites[0]
    data = {
        "terms": {"currency": need.currency, "as_of": on, "import_country": import_country},
        "rates": [{"currency": r.currency, "day": r.day, "uzs_per_unit": r.uzs_per_unit} for r in rates],
        "places": {
            "site": {"name": site.name, "country": origin, "lat": site.latitude, "lon": site.longitude},
            "delivery": {
                "name": place.name,
                "country": import_country,
                "lat": place.latitude,
                "lon": place.longitude,
            },
        },
        "tariffs": {"road": road_tariff().model_dump(mode="json", exclude_none=True)},
        "routes": {"road": {"legs": [{"from": "site", "to": "delivery", "mode": "road", "tariff": "road"}]}},
        "options": [
            {
                "name": capability.supplier,
                "route": "road",
                "offer": {
                    "hs_code": hs_code,
                    "price": offer.unit_price,
                    "currency": offer.currency,
                    "incoterm": offer.incoterm.value,
                    "named_place": "site" if offer.incoterm.value[0] in "EF" else "delivery",
                    "origin_country": origin,
                    "certificate": "st1" if cis else "none",
                    "units_per_shipment": offer.units_per_shipment,
                    "allocation": Allocation.UNITS.value,
                },
            }
        ],
    }
    try:
        landed = compare(LandedCostFile.model_validate(data)).options[0].landed_cost
    except (InvalidInputError, ValueError) as exc:
        detail = (getattr(exc, "details", None) or [{}])[0]
        if detail.get("code") == "duty_rate_unknown":
            return _missing(
                "cost_no_duty_rate", "no MFN duty rate known for HS {hs}", hs=format_hs_code(hs_code)
            )
        return _missing(
            "cost_not_priced",
            "landed cost not computed: {problem}",
            problem=detail.get("msg") or str(exc).splitlines()[0],
        )
    return Quote(cid, currency, target, landed=landed, assumed_st1=cis)


def quotes(
    need: Need,
    capabilities: Iterable[Capability],
    *,
    import_country: str,
    rates: Sequence[Rate],
    on: date,
) -> dict[int, Quote]:
    """The quotes of every capability that states an offer, by capability id."""
    out: dict[int, Quote] = {}
    for capability in capabilities:
        found = quote(need, capability, import_country=import_country, rates=rates, on=on)
        if found is not None:
            out[found.capability_id] = found
    return out
