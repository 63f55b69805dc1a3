"""CIS origin by hand: non-CIS materials against the ex-works price, per heading's rule."""

import pytest

from cooplab.localization.methods import localization_level
from tests.localization.builders import flat, line, needs, source


def origin(f, **config):
    return localization_level(f, "cis_origin", config)


def part_bill(non_originating_rub: float, hs: str = "8487.90"):
    # a Russian part, EXW 10,000 RUB, with non-originating (Korean) materials
    return flat(
        [line("part", hs=hs)],
        [source("part", "Russian maker", "RU", 10_000, "RUB")],
        [
            needs("Russian maker", "part", "bearing steel", non_originating_rub, "KR", currency="RUB"),
            needs("Russian maker", "part", "casting", 1_000, "RU", currency="RUB"),
        ],
        exw_price=20_000_000,
        hs_code="8487",
    )


def test_48_percent_of_non_originating_materials_is_originating():
    row = origin(part_bill(4_800)).part("part")
    assert row.origin is True
    assert row.outside_share == pytest.approx(0.48)
    assert row.reasons[-1].code == "cis.originating"


def test_52_percent_of_non_originating_materials_is_not():
    row = origin(part_bill(5_200)).part("part")
    assert row.origin is False
    assert row.reasons[-1].code == "cis.not_originating"


def test_a_heading_whose_rule_is_unknown_is_left_undecided_and_said_so():
    result = origin(part_bill(4_800, hs="8708.29"))
    assert result.part("part").origin is None
    assert result.part("part").reasons[-1].code == "cis.rule_unknown"
    unknown = [m for m in result.missing if m.code == "cis_rule_unknown"]
    assert unknown and "870829" in unknown[0].params["code_list"]
    assumed = origin(part_bill(4_800, hs="8708.29"), assumed_limit=0.5).part("part")
    assert assumed.origin is True
    assert [r.code for r in assumed.reasons[-2:]] == ["cis.rule_assumed", "cis.originating"]


def test_the_vehicle_under_a_known_rule_with_the_exw_price():
    f = flat(
        [line("a", hs="8487.90"), line("b", hs="8487.90")],
        [source("a", "Importer", "KR", 480), source("b", "Russian maker", "RU", 300, imported=0)],
        exw_price=1_000,
        hs_code="8487",
    )
    result = origin(f)
    assert result.non_originating_share == pytest.approx(0.48)
    assert result.level == pytest.approx(0.52)
    assert result.originating is True and result.limit == 0.5
    assert result.thresholds[0].reached


def test_what_is_local_for_uzbekistan_is_not_what_is_originating():
    # a Russian input of an Andijan supplier is imported for Uzbekistan but CIS-originating
    f = flat(
        [line("wheel", hs="8708.70")],
        [source("wheel", "O'zAuto-Austem", "UZ", 1_000)],
        [
            needs("O'zAuto-Austem", "wheel", "hot-rolled steel", 400, "RU"),
            needs("O'zAuto-Austem", "wheel", "paint", 100, "KR"),
        ],
        exw_price=2_000,
    )
    uz = localization_level(f, "uz_cost_share")
    cis = origin(f)
    assert uz.level == pytest.approx(0.5)  # 500 of 1,000 imported
    assert cis.non_originating_share == pytest.approx(100 / 2_000)  # only the Korean paint
    assert cis.originating is None  # the rule of 8703 is not in our data


def test_without_an_exw_price_the_share_is_missing_not_guessed():
    result = origin(flat([line("a")], [source("a", "Importer", "KR", 10)]))
    assert result.level is None
    assert "no_exw_price" in [m.code for m in result.missing]


def test_a_country_outside_the_cis_is_not_originating_and_parties_can_be_given():
    f = flat([line("a", hs="8487.90")], [source("a", "Maker", "TR", 100, imported=0.2)], exw_price=1_000)
    assert origin(f).part("a").origin is False
    assert origin(f, parties=["TR", "UZ"]).part("a").origin is True
