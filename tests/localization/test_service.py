"""The level of a stored vehicle, read from the database as the actor may see it: figures
computed by hand, the prices of other organizations neither shown nor counted, reasons in the
reader's language, scenarios and the cheapest path on the stored bill."""

from __future__ import annotations

from datetime import date

import pytest

from cooplab.catalog import service as catalog
from cooplab.catalog.schemas import RateIn
from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.errors import NotFoundError
from cooplab.localization import service
from cooplab.localization.filters import Method
from cooplab.localization.scenarios import MovePart, Scenario
from cooplab.vocab.choices import Visibility
from tests.factories import make_org

VEHICLE = """code,name,oem,annual_volume,own_cost,own_cost_currency,exw_price,exw_currency,price_date
H-1,Hand sedan,UzAuto Motors,1000,1000000,UZS,10000000,UZS,2025-01-01
"""
BOM = """part_number,parent,name,hs_code,quantity,unit
A,,Side panel,8708.29,2,pcs
B,,Front seat,9401.20,1,pcs
"""
SOURCING = """part_number,supplier,production_country,unit_price,currency,price_date,volume_share,imported_share
A,Uz-Saemyung Co,UZ,500000,UZS,2025-01-01,0.6,0.4
A,Importer KR,KR,450000,UZS,2025-01-01,0.4,
B,Uz-Tong Hong Co,UZ,100,USD,2025-01-01,1,0.7
"""
RATES = """currency,date,uzs_per_unit
USD,2025-01-01,12000
"""


def files() -> dict[str, bytes]:
    sheets = {"vehicle": VEHICLE, "bom": BOM, "sourcing": SOURCING, "rates": RATES}
    return {f"{name}.csv": text.encode() for name, text in sheets.items()}


def member_of(org_id: int) -> Actor:
    return Actor(user_id=7, label="member@example.org", role=Role.MEMBER, organization_id=org_id)


@pytest.fixture
def orgs(session):
    names = ("UzAuto Motors", "Uz-Saemyung Co", "Importer KR", "Uz-Tong Hong Co", "Other Motors")
    found = {name: make_org(session, name).id for name in names}
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    return found


def test_the_uzbek_cost_share_of_the_stored_vehicle_is_the_hand_computed_one(session, orgs):
    # production cost = 1,000,000 own + 2 x (0.6 x 500,000 + 0.4 x 450,000) + 100 USD x 12,000
    #                 = 1,000,000 + 960,000 + 1,200,000 = 3,160,000 UZS
    # imported        = 2 x (0.6 x 500,000 x 0.4 + 0.4 x 450,000) + 1,200,000 x 0.7
    #                 = 600,000 + 840,000 = 1,440,000 UZS
    result = service.level(session=session, actor=SYSTEM, code="H-1", method=Method.UZ_COST_SHARE)
    assert result.level == pytest.approx(1 - 1_440_000 / 3_160_000)
    assert result.part("A").outside == pytest.approx(600_000)
    assert result.part("B").cost == pytest.approx(1_200_000)
    assert result.missing == []


def test_each_method_answers_from_the_database(session, orgs):
    answers = {
        m: service.level_answer(service.level(session=session, actor=SYSTEM, code="H-1", method=m))
        for m in Method
    }
    for method, answer in answers.items():
        assert answer["method"] == method.value and {"level", "parts", "missing"} <= set(answer)
        assert [p["part_number"] for p in answer["parts"]] == ["A", "B"]


def test_a_competitor_neither_sees_nor_counts_the_prices_and_is_told_what_is_missing(session, orgs):
    rival = member_of(orgs["Other Motors"])
    result = service.level(session=session, actor=rival, code="H-1", method=Method.UZ_COST_SHARE)
    assert [(m.code, m.part_numbers) for m in result.missing] == [("no_sourcing", ["A", "B"])]
    assert result.part("A").cost == 0 and result.part("B").cost == 0
    assert (
        result.totals
        != service.level(session=session, actor=SYSTEM, code="H-1", method=Method.UZ_COST_SHARE).totals
    )


def test_a_bill_kept_flat_is_read_anew_after_a_change_to_the_catalog(session, orgs):
    def cost() -> float:
        return service.level(session=session, actor=SYSTEM, code="H-1", method=Method.UZ_COST_SHARE).totals[
            "production_cost"
        ]

    assert cost() == pytest.approx(3_160_000)
    catalog.set_rate(
        session=session, actor=SYSTEM, data=RateIn(currency="USD", day=date(2025, 1, 1), uzs_per_unit=13000)
    )
    assert cost() == pytest.approx(3_260_000)  # the seat's 100 USD at 13,000 instead of 12,000


def test_a_reader_never_gets_the_bill_kept_for_another(session, orgs):
    seen_by_all = service.level(session=session, actor=SYSTEM, code="H-1", method=Method.UZ_COST_SHARE)
    rival = service.level(
        session=session, actor=member_of(orgs["Other Motors"]), code="H-1", method=Method.UZ_COST_SHARE
    )
    assert seen_by_all.missing == [] and rival.missing != []


def test_a_vehicle_one_may_not_see_does_not_exist(session):
    make_org(session, "UzAuto Motors"), make_org(session, "Uz-Saemyung Co"), make_org(session, "Importer KR")
    make_org(session, "Uz-Tong Hong Co")
    rival = make_org(session, "Other Motors")
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files())
    with pytest.raises(NotFoundError):
        service.level(session=session, actor=member_of(rival.id), code="H-1", method=Method.CIS_ORIGIN)


def test_reasons_are_worded_in_the_readers_language(session, orgs):
    result = service.level(session=session, actor=SYSTEM, code="H-1", method=Method.UZ_COST_SHARE)
    ru, en = service.level_answer(result, "ru"), service.level_answer(result, "en")
    assert en["reasons"][0]["text"] == result.reasons[0].text
    assert ru["reasons"][0]["text"] != en["reasons"][0]["text"]
    assert "сум" in ru["reasons"][0]["text"]


def test_a_scenario_on_the_stored_vehicle_moves_the_level(session, orgs):
    # all of A moves to Uz-Saemyung at 500,000 UZS, 40% imported:
    # production cost = 1,000,000 + 2 x 500,000 + 1,200,000 = 3,200,000 (+40,000 per vehicle)
    # imported        = 2 x 500,000 x 0.4 + 840,000 = 1,240,000
    change = MovePart(
        part_number="A",
        supplier="Uz-Saemyung Co",
        production_country="UZ",
        unit_price=500_000,
        imported_share=0.4,
    )
    result = service.scenario(
        session=session, actor=SYSTEM, code="H-1", data=Scenario(name="local A", changes=[change])
    )
    assert result.methods["uz_cost_share"].after == pytest.approx(1 - 1_240_000 / 3_200_000)
    assert result.cost_change_per_vehicle == pytest.approx(40_000)
    assert result.cost_change_per_year == pytest.approx(40_000 * 1000)


def test_the_cheapest_path_is_found_on_the_stored_vehicle(session, orgs):
    found = service.opportunities(session=session, actor=SYSTEM, code="H-1", target=0.6)
    assert found.assumed_options and found.path.level_before == pytest.approx(1 - 1_440_000 / 3_160_000)
    assert found.path.optimal and found.path.level_after >= 0.6
    assert [o.part_number for o in found.opportunities.items][:1] == ["B"]


def test_the_stored_demo_has_the_levels_of_its_workbook(session):
    from cooplab.catalog.demo import DEMO_CODE, load_demo_vehicle
    from cooplab.localization.flat import flatten_bill
    from cooplab.localization.methods import localization_level
    from cooplab.registry.reference import load_reference

    load_reference(session=session)
    catalog.load_demo(session=session, actor=SYSTEM)
    in_memory = flatten_bill(load_demo_vehicle())
    for method in Method:
        stored = service.level(session=session, actor=SYSTEM, code=DEMO_CODE, method=method)
        expected = localization_level(in_memory, method.value)
        assert stored.level == pytest.approx(expected.level), method
        assert stored.totals == expected.totals and stored.illustrative
        assert [m.code for m in stored.missing] == [m.code for m in expected.missing]
