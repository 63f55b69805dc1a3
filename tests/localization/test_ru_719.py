"""Decree 719 points by hand: operations and Russian-made components, caps, thresholds."""

from datetime import date

import pytest

from cooplab.localization.methods import localization_level
from tests.localization.builders import flat, line, source

OPERATIONS = ("body_welding", "body_painting", "engine_assembly_and_tests")


def points(f, **config):
    return localization_level(f, "ru_719_points", config)


def test_welding_painting_and_engine_assembly_are_925_points_2275_short_of_procurement():
    f = flat(
        [line("a")],
        [source("a", "Russian maker", "RU", 100)],
        production_country="RU",
        operations=OPERATIONS,
        price_date=date(2025, 6, 1),
    )
    result = points(f)
    assert result.level == 925 and result.applicable
    procurement = [t for t in result.thresholds if t.key == "procurement" and t.in_force]
    assert [(t.threshold, t.gap) for t in procurement] == [(3200, 2275)]
    demand = [t for t in result.thresholds if t.key == "demand_support" and t.in_force]
    assert [(t.threshold, t.gap) for t in demand] == [(2000, 1075)]
    assert "missing" not in {m.code for m in result.missing}


def test_thresholds_in_force_follow_the_day():
    f = flat([line("a")], [source("a", "Maker", "RU", 100)], production_country="RU", operations=OPERATIONS)
    in_force = {(t.key, t.threshold) for t in points(f, as_of="2027-03-01").thresholds if t.in_force}
    assert ("procurement", 3500) in in_force and ("procurement", 3200) not in in_force
    in_2024 = {(t.key, t.threshold) for t in points(f, as_of="2024-05-01").thresholds if t.in_force}
    assert ("demand_support", 1600) in in_2024


def test_an_operation_with_unknown_points_earns_nothing_and_is_missing():
    f = flat(
        [line("a")],
        [source("a", "Maker", "RU", 100)],
        production_country="RU",
        operations=("body_stamping", "body_welding"),
    )
    result = points(f)
    assert result.level == 400
    assert "points_unknown" in [m.code for m in result.missing]


def test_a_russian_component_earns_its_operations_points_while_they_applied():
    lines = [line("ecu", hs="8537.10")]
    sources = [source("ecu", "Russian electronics", "RU", 100, ops=("ecu_pcb_smt",))]
    f = flat(lines, sources, production_country="RU", operations=("body_welding",))
    assert points(f, as_of="2024-05-01").level == 475
    assert points(f, as_of="2024-08-01").level == 400
    component = points(f, subject="ecu", as_of="2024-05-01")
    assert component.level == 75 and component.thresholds == []


def test_a_vehicle_made_outside_russia_earns_no_points():
    f = flat([line("a")], [source("a", "Maker", "RU", 100, ops=("ecu_pcb_smt",))], operations=OPERATIONS)
    result = points(f, as_of="2024-05-01")
    assert result.level == 0 and not result.applicable
    assert result.reasons[1].code == "ru719.not_made_in_russia"
    assert result.part("a").points == 75  # what it would earn in a Russian vehicle


def test_the_body_cap_applies():
    from cooplab.localization.methods import Ru719Points

    calc = Ru719Points()
    found = []
    # only 900 known points in the cap group today: not capped
    assert calc._score(("body_welding", "body_painting"), date(2025, 1, 1), found, []) == 900


@pytest.mark.parametrize("method", ["uz_cost_share", "cis_origin", "ru_719_points"])
def test_illustrative_figures_mark_the_result_and_its_rows(method):
    f = flat([line("a")], [source("a", "Maker", "RU", 100, illustrative=True)], exw_price=1000)
    result = localization_level(f, method)
    assert result.illustrative and result.part("a").illustrative
    dumped = result.model_dump(mode="json")
    assert dumped["illustrative"] is True and dumped["parts"][0]["illustrative"] is True
    assert {"method", "level", "parts", "missing"} <= set(dumped)
