"""Incoterms divide a route between seller and buyer; a term that contradicts the legs is refused."""

import pytest

from cooplab.errors import InvalidInputError
from cooplab.feasibility.choices import Incoterm
from cooplab.feasibility.incoterms import split_route
from cooplab.feasibility.reference import logistics_assumptions, shipped_places, shipped_tariffs
from cooplab.feasibility.routes import Place, plan_route

from .helpers import road_route, sea_route

PLACES = {**shipped_places(), "vladivostok": Place(key="vladivostok", country="RU")}


def plan(route):
    return plan_route(route, places=PLACES, tariffs=shipped_tariffs(), assumptions=logistics_assumptions())


@pytest.mark.parametrize(
    ("term", "place", "buyer", "risk", "insures"),
    [
        ("EXW", None, [0, 1], [0, 1], True),
        ("FCA", "togliatti", [0, 1], [0, 1], True),
        ("FCA", "tashkent", [1], [1], True),
        ("CPT", "tashkent", [1], [0, 1], True),
        ("CIP", "tashkent", [1], [0, 1], True),
        ("CIP", None, [], [0, 1], False),
        ("DAP", "tashkent", [1], [1], True),
        ("DAP", None, [], [], False),
        ("DDP", None, [], [], False),
    ],
)
def test_the_buyer_pays_the_legs_after_the_named_place(term, place, buyer, risk, insures):
    split = split_route(Incoterm(term), place, plan(road_route()), import_country="UZ")
    assert (split.buyer_legs, split.risk_legs, split.buyer_insures) == (buyer, risk, insures)
    assert split.duties_in_price == (term == "DDP")


def test_sea_terms_on_a_sea_route():
    split = split_route(Incoterm.FOB, "busan", plan(sea_route()))
    assert split.buyer_legs == [0, 1, 2]
    split = split_route(Incoterm.CIF, "vladivostok", plan(sea_route()))
    assert split.buyer_legs == [1, 2] and split.buyer_insures


@pytest.mark.parametrize(
    ("term", "place", "route", "code"),
    [
        ("FOB", "togliatti", road_route, "incoterm_needs_sea"),
        ("CIF", "tashkent", road_route, "incoterm_needs_sea"),
        ("FOB", "vladivostok", sea_route, "incoterm_contradicts_legs"),  # the leg leaving it is rail
        ("CFR", "tashkent", sea_route, "incoterm_contradicts_legs"),  # the leg reaching it is rail
        ("EXW", "tashkent", road_route, "incoterm_contradicts_legs"),
        ("FCA", "asaka", road_route, "incoterm_contradicts_legs"),
        ("CPT", "togliatti", road_route, "incoterm_contradicts_legs"),
        ("DAP", "togliatti", road_route, "incoterm_contradicts_legs"),
        ("DDP", "vladivostok", sea_route, "incoterm_contradicts_legs"),  # not in the import country
        ("DAP", "moscow", road_route, "incoterm_place_off_route"),
        ("FCA", None, road_route, "named_place_needed"),
    ],
)
def test_a_term_contradicting_the_legs_is_refused(term, place, route, code):
    with pytest.raises(InvalidInputError) as caught:
        split_route(Incoterm(term), place, plan(route()), import_country="UZ", loc=["options", 0])
    detail = caught.value.details[0]
    assert detail["code"] == code and detail["loc"][:2] == ["options", 0]
    assert term in caught.value.message
