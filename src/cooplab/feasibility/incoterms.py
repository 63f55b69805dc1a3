"""What an Incoterm leaves to the buyer on a given route: the legs it pays, the legs it bears
the risk of, whether it must insure, and whether import duties are in the price."""

from __future__ import annotations

from dataclasses import dataclass, field

from cooplab.core.calculators import Reason
from cooplab.feasibility.choices import Incoterm, IncotermGroup, Mode
from cooplab.feasibility.problems import Loc, reason, refuse
from cooplab.feasibility.routes import RoutePlan


@dataclass
class Split:
    """A route divided between seller and buyer by an Incoterm and its named place."""

    incoterm: Incoterm
    named_place: str
    buyer_legs: list[int]  # legs the buyer pays (not in the price)
    risk_legs: list[int]  # legs the goods travel at the buyer's risk and money
    buyer_insures: bool  # some leg at the buyer's risk is not insured by the seller
    duties_in_price: bool  # DDP: import duty and taxes are the seller's
    reasons: list[Reason] = field(default_factory=list)


def split_route(
    incoterm: Incoterm,
    named_place: str | None,
    plan: RoutePlan,
    *,
    import_country: str | None = None,
    loc: Loc = (),
) -> Split:
    """Divide `plan` at the named place; refuse a term that contradicts the legs (a sea-only
    term without a sea leg, EXW away from the first place, a C or D term at the first place)."""
    places = plan.places
    last = len(places) - 1
    if named_place is None:
        if incoterm.group is IncotermGroup.F:
            raise refuse(
                [*loc, "named_place"],
                "named_place_needed",
                "{term} needs its named place (where the seller hands the goods over)",
                term=incoterm.value,
            )
        named_place = places[0] if incoterm.group is IncotermGroup.E else places[-1]
    if named_place not in places:
        raise refuse(
            [*loc, "named_place"],
            "incoterm_place_off_route",
            "{term} {place}: the named place is not on the route ({route})",
            term=incoterm.value,
            place=named_place,
            route=" → ".join(places),
        )
    at = places.index(named_place)
    modes = [leg.mode for leg in plan.legs]

    def contradiction(rule: str, why: str, **params: object) -> Exception:
        """The refusal of a term against the legs; `rule` names which rule (for translation)."""
        return refuse(
            [*loc, "incoterm"],
            "incoterm_contradicts_legs",
            "{term} {place} contradicts the route: " + why,
            term=incoterm.value,
            place=named_place,
            rule=rule,
            **params,
        )

    if incoterm.sea_only and Mode.SEA not in modes:
        raise refuse(
            [*loc, "incoterm"],
            "incoterm_needs_sea",
            "{term} is for sea transport, and the route has no sea leg; use {instead}",
            term=incoterm.value,
            instead="FCA" if incoterm.group is IncotermGroup.F else "CPT",
        )
    group = incoterm.group
    if group is IncotermGroup.E and at != 0:
        raise contradiction(
            "exw_not_first",
            "EXW delivers at the seller's premises, the route's first place ({first})",
            first=places[0],
        )
    if group is IncotermGroup.F:
        if at == last:
            raise contradiction(
                "f_at_end",
                "an F term leaves the main carriage to the buyer, and the named place "
                "is the route's end; use a D term",
            )
        if incoterm.sea_only and modes[at] is not Mode.SEA:
            raise contradiction(
                "f_not_sea",
                "the leg leaving the named place goes by {mode}, not by sea",
                mode=modes[at].value,
            )
    if group in (IncotermGroup.C, IncotermGroup.D) and at == 0:
        raise contradiction(
            "cd_at_start",
            "a {group} term has the seller carry the goods, and the named place is "
            "the route's first place; use EXW or FCA",
            group=group.value,
        )
    if group is IncotermGroup.C and incoterm.sea_only and modes[at - 1] is not Mode.SEA:
        raise contradiction(
            "c_not_sea",
            "the leg reaching the named place goes by {mode}, not by sea",
            mode=modes[at - 1].value,
        )
    end = plan.legs[at - 1].end if at else plan.legs[0].start
    if incoterm.seller_clears_import and import_country and end.country and end.country != import_country:
        raise contradiction(
            "ddp_outside",
            "DDP delivers cleared for import, and {place} is not in {country}",
            country=import_country,
        )

    buyer = list(range(at, len(plan.legs)))
    risk = list(range(len(plan.legs))) if group is IncotermGroup.C else buyer
    insured_by_seller = set(range(at)) if incoterm.seller_insures else set()
    buyer_insures = any(i not in insured_by_seller for i in risk)
    reasons = [
        reason(
            "incoterm.split",
            "{term} {place}: the price covers {seller}; the buyer pays {buyer}",
            term=incoterm.value,
            place=named_place,
            seller=_legs(range(at)) or "no carriage",
            buyer=_legs(buyer) or "no carriage",
        )
    ]
    if group is IncotermGroup.C and at > 0:
        reasons.append(
            reason(
                "incoterm.risk_at_shipment",
                "{term}: the risk passes to the buyer at shipment, before the paid carriage",
                term=incoterm.value,
            )
        )
    return Split(incoterm, named_place, buyer, risk, buyer_insures, incoterm.seller_clears_import, reasons)


def _legs(indices: range | list[int]) -> str:
    numbers = [i + 1 for i in indices]
    if not numbers:
        return ""
    return f"leg {numbers[0]}" if len(numbers) == 1 else f"legs {numbers[0]}–{numbers[-1]}"
