"""The Uzbek cost share, by hand: imported content over production cost, through every tier."""

import pytest

from cooplab.localization.methods import localization_level
from cooplab.localization.results import PartStatus
from tests.localization.builders import flat, line, needs, source


def level(f, **config):
    return localization_level(f, "uz_cost_share", config)


def test_the_seat_frame_of_domain_facts_is_38_percent():
    # cost 1,000,000 UZS; imported steel tube and mechanisms 620,000 UZS
    f = flat(
        [line("frame", hs="940199")],
        [source("frame", "Uz-Tong Hong", "UZ", 1_000_000)],
        [
            needs("Uz-Tong Hong", "frame", "steel tube", 400_000, "KR"),
            needs("Uz-Tong Hong", "frame", "mechanisms", 220_000, "KR"),
        ],
    )
    result = level(f)
    assert result.level == pytest.approx(0.38)
    gaps = {t.key: (t.reached, t.gap) for t in result.thresholds}
    assert gaps["certificate"] == (True, 0.0)
    assert gaps["programme_year_1"] == (True, 0.0)
    assert gaps["programme_year_2"] == (False, pytest.approx(0.07))
    assert gaps["programme_year_3"] == (False, pytest.approx(0.12))
    row = result.part("frame")
    assert row.status is PartStatus.PARTLY_LOCAL and row.outside_share == pytest.approx(0.62)
    assert row.reasons[0].code == "part.from_inputs"


def test_an_andijan_tier1_importing_70_percent_adds_only_its_local_30():
    # own cost 400; a seat bought in Uzbekistan for 600 whose supplier imports 70% of its price
    f = flat([line("seat")], [source("seat", "Uz-Tong Hong", "UZ", 600, imported=0.7)], own_cost=400)
    # imported 420 of a production cost of 1,000
    assert level(f).level == pytest.approx(0.58)


def test_a_part_made_abroad_is_wholly_imported_and_dual_sourcing_is_weighted():
    f = flat(
        [line("lamp", qty=2)],
        [
            source("lamp", "UzChasys", "UZ", 100, share=0.6, imported=0.5),
            source("lamp", "Importer", "KR", 120, share=0.4),
        ],
        own_cost=100,
    )
    # per lamp: price 0.6*100 + 0.4*120 = 108, imported 0.6*50 + 0.4*120 = 78; two lamps
    result = level(f)
    assert result.totals["production_cost"] == 316
    assert result.totals["imported"] == 156
    assert result.level == pytest.approx(1 - 156 / 316)


def test_tier2_content_counts_through_every_level():
    # Tier-1 (UZ) buys a local input whose own supplier (UZ) imports 30 of its 50
    f = flat(
        [line("hvac")],
        [source("hvac", "O'zERAE", "UZ", 200)],
        [
            needs("O'zERAE", "hvac", "core", 50, "UZ", by="Tier2 UZ"),
            needs("O'zERAE", "hvac", "motor", 40, "KR"),
            needs("Tier2 UZ", "core", "aluminium", 30, "RU"),
        ],
    )
    assert level(f).level == pytest.approx(1 - 70 / 200)


def test_prices_are_converted_at_the_rate_of_their_date():
    f = flat([line("tyre", qty=4)], [source("tyre", "Importer", "CN", 40, "USD")], own_cost=2_000_000)
    result = level(f)
    assert result.totals["parts_cost"] == 4 * 40 * 12500
    assert result.level == pytest.approx(2_000_000 / (2_000_000 + 2_000_000))


def test_quantities_multiply_down_the_bom_and_bought_assemblies_hide_their_parts():
    lines = [
        line("door", hs=None, qty=2),
        line("panel", parent="door", qty=1),
        line("hinge", parent="door", qty=2),
        line("module"),
        line("motor", parent="module", qty=3),
    ]
    sources = [
        source("panel", "Uz-Saemyung", "UZ", 100, imported=0.5),
        source("hinge", "Importer", "KR", 10),
        source("module", "Tier1", "UZ", 500, imported=0.2),
    ]
    result = level(flat(lines, sources))
    # doors: 2 panels (100 each, 50 imported) + 4 hinges (10, imported); module 500 (100 imported)
    assert result.totals["parts_cost"] == 200 + 40 + 500
    assert result.totals["imported"] == 100 + 40 + 100
    statuses = {p.part_number: p.status for p in result.parts}
    assert statuses["door"] is PartStatus.ASSEMBLY
    assert statuses["motor"] is PartStatus.NOT_COUNTED
    assert result.part("hinge").quantity == 4


def test_unknown_content_is_said_and_counted_as_the_config_asks():
    f = flat([line("a"), line("b")], [source("a", "Uz-Koram", "UZ", 100), source("b", "Importer", "KR", 100)])
    floor = level(f)
    assert floor.level == 0.0
    assert [m.code for m in floor.missing] == ["content_unknown"]
    assert floor.missing[0].part_numbers == ["a"]
    assert floor.part("a").status is PartStatus.UNKNOWN
    assert level(f, unknown_content="local").level == pytest.approx(0.5)


def test_inputs_worth_more_than_the_price_are_capped_and_reported():
    f = flat([line("a")], [source("a", "Uz-Koram", "UZ", 100)], [needs("Uz-Koram", "a", "resin", 150, "KR")])
    result = level(f)
    assert result.level == 0.0
    assert "inputs_exceed_price" in [m.code for m in result.missing]
