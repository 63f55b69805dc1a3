"""Opportunities and the cheapest path by hand; the demo vehicle end to end."""

from decimal import Decimal

import pytest

from cooplab.catalog.demo import load_demo_vehicle
from cooplab.localization.flat import flatten_bill
from cooplab.localization.methods import all_levels
from cooplab.localization.opportunities import (
    Capability,
    LocalizationOption,
    PathStatus,
    Signal,
    assumed_options,
    cheapest_path,
    greedy_path,
    rank_opportunities,
)
from tests.localization.builders import flat, line, source


def three_parts():
    return flat(
        [line("gearbox", hs="8708.40"), line("tyre", hs="4011.10", qty=4), line("seat", hs="9401.20")],
        [
            source("gearbox", "Importer", "KR", 600),
            source("tyre", "Importer", "CN", 50),
            source("seat", "Uz-Tong Hong", "UZ", 300, imported=0.5),
        ],
        own_cost=900,
        annual_volume=100,
    )


def test_opportunities_rank_by_annual_imported_value_with_signals():
    caps = [
        Capability(organization="Russian gearbox maker", country="RU", hs_codes=("8708.40",)),
        Capability(organization="Korean maker", country="KR", hs_codes=("4011",)),
        Capability(
            organization="Uz-Tong Hong",
            country="UZ",
            processes=("welding", "foaming", "sewing_and_trim", "assembly"),
        ),
    ]
    result = rank_opportunities(three_parts(), caps)
    assert [o.part_number for o in result.items] == ["gearbox", "tyre", "seat"]
    assert [o.annual_imported for o in result.items] == [60_000, 20_000, 15_000]
    assert result.items[-1].cumulative_share == pytest.approx(1.0)
    assert result.items[0].signals == [Signal.RUSSIAN_HEADING]
    assert result.items[1].signals == []  # a Korean maker is no local signal
    assert result.items[2].signals == [Signal.LOCAL_PROCESSES]
    assert result.items[0].annual_quantity == 100 and result.items[1].annual_quantity == 400


def test_the_cheapest_path_by_hand():
    f = three_parts()  # cost 2000, imported 950: level 52.5%
    options = [
        LocalizationOption(
            part_number="gearbox", supplier="A", unit_price=Decimal(700), imported_share=Decimal("0.3")
        ),
        LocalizationOption(
            part_number="tyre", supplier="B", unit_price=Decimal(55), imported_share=Decimal("0.2")
        ),
        LocalizationOption(
            part_number="gearbox", supplier="C", unit_price=Decimal(650), imported_share=Decimal("0.6")
        ),
    ]
    result = cheapest_path(f, options, target=0.6)
    # need imported <= 0.4 * cost. Tyres: cost +20, imported 200 -> 44: 794 <= 808: enough, 2,000 a year
    assert result.status is PathStatus.OPTIMAL and result.optimal and result.gap == 0
    assert [c.part_number for c in result.chosen] == ["tyre"] and result.annual_cost == 2_000
    assert result.level_after == pytest.approx(1 - 794 / 2020)
    # at 70%: A alone costs 10,000 a year, A and B 12,000, B and C 7,000 (C alone falls short)
    higher = cheapest_path(f, options, target=0.7)
    assert sorted(c.supplier for c in higher.chosen) == ["B", "C"] and higher.annual_cost == 7_000
    assert higher.level_after >= 0.7
    assert cheapest_path(f, options, target=0.95).status is PathStatus.INFEASIBLE
    assert greedy_path(f, options, target=0.6) == [1]


def test_the_demo_vehicle_is_illustrative_everywhere_and_reaches_45_percent_by_the_cheapest_path():
    f = flatten_bill(load_demo_vehicle())
    results = all_levels(f)
    assert 0.30 < results["uz_cost_share"].level < 0.45
    assert all(r.illustrative for r in results.values())
    assert all(p["illustrative"] for p in results["uz_cost_share"].model_dump(mode="json")["parts"])
    path = cheapest_path(f, assumed_options(f), target=0.45)
    assert path.optimal and path.level_after >= 0.45 and path.illustrative
    assert path.greedy_annual_cost >= path.annual_cost
    assert rank_opportunities(f).illustrative
