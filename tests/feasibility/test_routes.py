"""Routes: legs join, distances and days are given or assumed (and said so), costs per shipment."""

import pytest

from cooplab.errors import InvalidInputError
from cooplab.feasibility.geo import great_circle_km
from cooplab.feasibility.reference import logistics_assumptions, shipped_places, shipped_tariffs
from cooplab.feasibility.routes import Place, Route, plan_route

from .helpers import truck


def plan(legs, places=None):
    extra = {k: Place.model_validate(v) for k, v in (places or {}).items()}
    return plan_route(
        Route.model_validate({"name": "r", "legs": legs}),
        places={**shipped_places(), **extra},
        tariffs=shipped_tariffs(),
        assumptions=logistics_assumptions(),
        loc=["routes", "r"],
    )


def test_great_circle_matches_the_domain_facts():
    p = shipped_places()
    assert great_circle_km(
        p["togliatti"].lat, p["togliatti"].lon, p["tashkent"].lat, p["tashkent"].lon
    ) == pytest.approx(2011, abs=1)
    assert great_circle_km(p["busan"].lat, p["busan"].lon, p["asaka"].lat, p["asaka"].lon) == pytest.approx(
        4936, abs=1
    )


def test_a_gap_between_legs_is_refused_naming_the_leg():
    with pytest.raises(InvalidInputError) as caught:
        plan(
            [
                {"from": "togliatti", "to": "tashkent", "mode": "road"},
                {"from": "andijan", "to": "asaka", "mode": "road"},
            ]
        )
    detail = caught.value.details[0]
    assert detail["loc"] == ["routes", "r", "legs", 1, "from"] and detail["code"] == "route_gap"
    assert "leg 2" in detail["msg"] and "'tashkent'" in detail["msg"]


def test_assumed_distance_and_days_are_flagged():
    legs = plan(
        [
            {
                "from": "togliatti",
                "to": "tashkent",
                "mode": "road",
                "tariff": {"basis": "per_km", "amount": 1, "currency": "USD", "as_of": "2026-01-01"},
            }
        ]
    ).legs
    leg = legs[0]
    factor = logistics_assumptions().circuity[leg.mode].value
    assert leg.distance_assumed and leg.distance_km == pytest.approx(2011.45 * factor, abs=0.1)
    assert leg.transit_assumed and leg.transit_days == pytest.approx(leg.distance_km / 500)
    assert leg.cost_per_shipment == pytest.approx(leg.distance_km)
    codes = [r.code for r in leg.reasons]
    assert "leg.distance_assumed" in codes and "leg.transit_assumed" in codes
    assert "assumption" in next(r.text for r in leg.reasons if r.code == "leg.distance_assumed")


def test_given_figures_are_not_assumptions():
    leg = plan(
        [
            {
                "from": "togliatti",
                "to": "tashkent",
                "mode": "road",
                "distance_km": 2600,
                "transit_days": 6,
                "tariff": truck(),
            }
        ]
    ).legs[0]
    assert (leg.distance_km, leg.distance_assumed, leg.transit_days, leg.transit_assumed) == (
        2600,
        False,
        6,
        False,
    )


def test_a_sourced_tariff_brings_its_days_and_source():
    leg = plan(
        [
            {
                "from": "vladivostok",
                "to": "tashkent",
                "mode": "rail",
                "tariff": "rail_vladivostok_tashkent_40ft_2022_01",
            }
        ],
        places={"vladivostok": {"key": "vladivostok", "country": "RU"}},
    ).legs[0]
    assert leg.transit_days == 12 and not leg.transit_assumed and leg.distance_km is None
    assert leg.cost_per_shipment == 14000 and leg.tariff.currency == "USD"
    assert any(r.code == "leg.tariff_source" and "1520international" in r.text for r in leg.reasons)


def test_shipped_truck_tariff_is_the_sourced_figure():
    truck_tariff = shipped_tariffs()["truck_moscow_tashkent_2025_11"]
    assert (truck_tariff.amount, truck_tariff.currency, truck_tariff.as_of.isoformat()) == (
        252000,
        "RUB",
        "2025-11-01",
    )
    assert truck_tariff.source and truck_tariff.capacity.weight_kg is None  # not sourced: left empty


def test_a_leg_on_another_lane_says_so():
    leg = plan(
        [
            {
                "from": "togliatti",
                "to": "tashkent",
                "mode": "road",
                "distance_km": 2600,
                "tariff": "truck_moscow_tashkent_2025_11",
            }
        ]
    ).legs[0]
    assert any(r.code == "leg.tariff_other_lane" for r in leg.reasons)


def test_unknown_place_tariff_and_a_distance_nobody_can_give():
    with pytest.raises(InvalidInputError) as caught:
        plan([{"from": "atlantis", "to": "tashkent", "mode": "road"}])
    assert caught.value.details[0]["loc"] == ["routes", "r", "legs", 0, "from"]
    with pytest.raises(InvalidInputError) as caught:
        plan([{"from": "togliatti", "to": "tashkent", "mode": "road", "tariff": "nope"}])
    assert caught.value.details[0]["code"] == "unknown_tariff"
    with pytest.raises(InvalidInputError) as caught:
        plan(
            [{"from": "vladivostok", "to": "tashkent", "mode": "rail"}],
            places={"vladivostok": {"key": "vladivostok"}},
        )
    assert caught.value.details[0]["code"] == "distance_needed"
    assert caught.value.details[0]["loc"] == ["routes", "r", "legs", 0, "distance_km"]
