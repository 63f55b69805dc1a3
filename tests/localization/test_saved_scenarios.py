"""Saved scenarios of a stored vehicle: saved, listed, evaluated, compared, renamed on a
version, deleted; kept from competitors by list, by name and by comparison; the Uzbek cost
share change by change, its steps adding up to the total exactly; every write audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from cooplab.catalog import service as catalog
from cooplab.core.actor import SYSTEM
from cooplab.core.audit import AuditEntry
from cooplab.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError
from cooplab.localization import service
from cooplab.localization.schemas import ScenarioCreate, ScenarioUpdate
from cooplab.vocab.choices import Visibility
from tests.factories import make_actor, make_org
from tests.localization.test_service import files

#: All of A moves to Uz-Saemyung at 500,000 UZS, 40% imported (tests/localization/test_service.py):
#: production cost 3,200,000 (+40,000 per vehicle), imported 1,240,000.
LOCAL_A = {
    "kind": "move_part",
    "part_number": "A",
    "supplier": "Uz-Saemyung Co",
    "production_country": "UZ",
    "unit_price": "500000",
    "imported_share": "0.4",
}
#: Then B's supplier imports 50% instead of 70%: imported 1,240,000 - 240,000 = 1,000,000.
LOCAL_B = {
    "kind": "move_part",
    "part_number": "B",
    "supplier": "Uz-Tong Hong Co",
    "production_country": "UZ",
    "imported_share": "0.5",
}
PAINT = {"kind": "add_operation", "operation": "body_painting"}
BEFORE = 1 - 1_440_000 / 3_160_000


@pytest.fixture
def world(session):
    names = ("UzAuto Motors", "Uz-Saemyung Co", "Importer KR", "Uz-Tong Hong Co", "Other Motors", "Cluster")
    orgs = {name: make_org(session, name).id for name in names}
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    orgs["member"] = make_actor(session, "member", orgs["UzAuto Motors"])
    orgs["colleague"] = make_actor(session, "member", orgs["UzAuto Motors"], email="colleague@example.org")
    orgs["rival"] = make_actor(session, "member", orgs["Other Motors"], email="rival@example.org")
    orgs["analyst"] = make_actor(session, "analyst", orgs["Cluster"], email="analyst@example.org")
    orgs["viewer"] = make_actor(session, "viewer", orgs["UzAuto Motors"], email="viewer@example.org")
    return orgs


def save(session, actor, name, *changes, **fields):
    data = ScenarioCreate.model_validate({"name": name, "changes": list(changes), **fields})
    return service.create_scenario(session=session, actor=actor, code="H-1", data=data)


def test_a_scenario_is_saved_listed_and_evaluated_by_hand(session, world):
    saved = save(session, world["member"], "Local A", LOCAL_A, description="A made in Andijan")
    assert (saved.owner.id, saved.version, saved.visibility) == (world["UzAuto Motors"], 1, "organization")
    listed = service.list_scenarios(session=session, actor=world["member"], code="H-1")
    assert [s.name for s in listed.data] == ["Local A"] and listed.count == 1
    answer = service.evaluate_saved(session=session, actor=world["member"], code="H-1", name="Local A")
    uz = answer.result.methods["uz_cost_share"]
    assert uz.before == pytest.approx(BEFORE) and uz.after == pytest.approx(1 - 1_240_000 / 3_200_000)
    assert answer.result.cost_change_per_vehicle == Decimal(40_000)
    assert answer.result.cost_change_per_year == Decimal(40_000 * 1000)
    assert uz.reached == [] and uz.lost == []  # 54.4% -> 61.3%: above every threshold already
    assert answer.scenario.description == "A made in Andijan"
    # all of A from Korea at its price: imported 960,000 + 840,000 = 1,800,000 of 3,160,000
    korea = {**LOCAL_A, "supplier": "Importer KR", "production_country": "KR", "unit_price": None}
    save(session, world["member"], "Korean A", korea)
    worse = service.evaluate_saved(session=session, actor=world["member"], code="H-1", name="Korean A")
    uz = worse.result.methods["uz_cost_share"]
    assert uz.after == pytest.approx(1 - 1_800_000 / 3_160_000)
    assert uz.lost == ["programme_year_2@0.45", "programme_year_3@0.5"] and uz.reached == []
    assert (
        service.crossed_threshold_name("uz_cost_share", uz.lost[0], "ru")
        == "Программа локализации, второй год"
    )


def test_the_waterfall_steps_add_up_to_the_total_exactly(session, world):
    save(
        session,
        world["member"],
        "Both",
        LOCAL_A,
        LOCAL_B,
        {"kind": "add_operation", "operation": "body_welding"},
    )
    answer = service.evaluate_saved(session=session, actor=world["member"], code="H-1", name="Both")
    fall = answer.waterfall
    assert [s.kind for s in fall.steps] == ["move_part", "move_part", "add_operation"]
    assert sum(s.change for s in fall.steps) == fall.after - fall.before == fall.change
    # by hand: 1 - 1,440,000/3,160,000 -> 1 - 1,240,000/3,200,000 -> 1 - 1,000,000/3,200,000 -> same
    expect = [1 - 1_240_000 / 3_200_000 - BEFORE, 1_240_000 / 3_200_000 - 1_000_000 / 3_200_000, 0]
    assert [float(s.change) for s in fall.steps] == pytest.approx(expect, abs=2e-6)
    assert float(fall.after) == pytest.approx(answer.result.methods["uz_cost_share"].after, abs=1e-6)
    costs = [s.cost_change_per_vehicle for s in fall.steps]
    assert costs == [Decimal(40_000), Decimal(0), Decimal(0)]
    assert sum(costs) == answer.result.cost_change_per_vehicle


def test_scenarios_are_compared_side_by_side(session, world):
    save(session, world["member"], "Local A", LOCAL_A)
    save(session, world["member"], "Local B", LOCAL_B)
    compared = service.compare_saved(
        session=session, actor=world["member"], code="H-1", names=["Local B", "Local A"]
    )
    assert [s.scenario.name for s in compared.scenarios] == ["Local B", "Local A"]
    assert compared.baseline["uz_cost_share"] == pytest.approx(BEFORE)
    a = compared.scenarios[1].result
    assert a.methods["uz_cost_share"].after == pytest.approx(1 - 1_240_000 / 3_200_000)
    b = compared.scenarios[0].result
    assert b.methods["uz_cost_share"].after == pytest.approx(1 - (600_000 + 600_000) / 3_160_000)
    with pytest.raises(NotFoundError):
        service.compare_saved(session=session, actor=world["member"], code="H-1", names=["Local A", "Nope"])
    with pytest.raises(InvalidInputError):
        service.compare_saved(session=session, actor=world["member"], code="H-1", names=[])


def test_an_edit_on_an_old_version_is_refused_and_a_name_stays_unique(session, world):
    save(session, world["member"], "Local A", LOCAL_A)
    save(session, world["member"], "Local B", LOCAL_B)
    renamed = service.update_scenario(
        session=session,
        actor=world["colleague"],
        code="H-1",
        name="Local A",
        data=ScenarioUpdate(version=1, name="A in Andijan", changes=[LOCAL_A, LOCAL_B]),
    )
    assert (renamed.name, renamed.version, len(renamed.changes)) == ("A in Andijan", 2, 2)
    with pytest.raises(StaleVersionError):
        service.update_scenario(
            session=session,
            actor=world["member"],
            code="H-1",
            name="A in Andijan",
            data=ScenarioUpdate(version=1, description="late"),
        )
    with pytest.raises(ConflictError) as taken:
        service.update_scenario(
            session=session,
            actor=world["member"],
            code="H-1",
            name="A in Andijan",
            data=ScenarioUpdate(version=2, name="Local B"),
        )
    assert taken.value.details[0]["code"] == "scenario_name_taken"
    with pytest.raises(ConflictError):
        save(session, world["member"], "Local B", LOCAL_A)


def test_bad_changes_are_named_and_nothing_is_saved(session, world):
    with pytest.raises(InvalidInputError) as bad:
        save(session, world["member"], "Wrong", LOCAL_A, {**LOCAL_B, "part_number": "NOPE"})
    assert bad.value.details[0]["loc"] == ["changes", 1, "part_number"]
    assert service.list_scenarios(session=session, actor=world["member"], code="H-1").count == 0
    with pytest.raises(ValueError):
        ScenarioCreate.model_validate({"name": "compare"})
    with pytest.raises(ValueError):
        ScenarioCreate.model_validate({"name": "a/b"})


def test_a_scenario_is_deleted(session, world):
    save(session, world["member"], "Local A", LOCAL_A)
    service.delete_scenario(session=session, actor=world["member"], code="H-1", name="Local A")
    with pytest.raises(NotFoundError):
        service.get_scenario(session=session, actor=world["member"], code="H-1", name="Local A")


def test_a_competitor_sees_no_scenario_of_another_organization(session, world):
    save(session, world["member"], "Local A", LOCAL_A)
    rival = world["rival"]
    assert service.list_scenarios(session=session, actor=rival, code="H-1").count == 0
    for call in (service.get_scenario, service.evaluate_saved, service.delete_scenario):
        with pytest.raises(NotFoundError):
            call(session=session, actor=rival, code="H-1", name="Local A")
    with pytest.raises(NotFoundError):
        service.compare_saved(session=session, actor=rival, code="H-1", names=["Local A"])
    # the same name is free for the rival's own organization: nothing tells it one exists
    assert save(session, rival, "Local A", PAINT).owner.id == world["Other Motors"]
    assert [
        s.changes[0].kind for s in service.list_scenarios(session=session, actor=rival, code="H-1").data
    ] == ["add_operation"]
    # analysts and admins see both, marked as sharing a name; the analyst's own org has none
    listed = service.list_scenarios(session=session, actor=world["analyst"], code="H-1").data
    assert [s.shared_name for s in listed] == [True, True]
    with pytest.raises(ConflictError):
        service.get_scenario(session=session, actor=world["analyst"], code="H-1", name="Local A")
    mine = service.get_scenario(
        session=session, actor=world["analyst"], code="H-1", name="Local A", owner=world["UzAuto Motors"]
    )
    assert mine.changes[0].part_number == "A"
    # the OEM's member reads its own organization's one
    own = service.get_scenario(session=session, actor=world["member"], code="H-1", name="Local A")
    assert own.changes[0].part_number == "A"


def test_a_viewer_reads_nothing_private_and_saves_nothing_an_analyst_reads_it(session, world):
    save(session, world["member"], "Local A", LOCAL_A)
    assert service.list_scenarios(session=session, actor=world["viewer"], code="H-1").count == 0
    with pytest.raises(ForbiddenError):
        save(session, world["viewer"], "Mine", LOCAL_A)
    analyst = service.get_scenario(session=session, actor=world["analyst"], code="H-1", name="Local A")
    assert analyst.name == "Local A"


def test_writes_are_audited(session, world):
    saved = save(session, world["member"], "Local A", LOCAL_A)
    service.update_scenario(
        session=session,
        actor=world["member"],
        code="H-1",
        name="Local A",
        data=ScenarioUpdate(version=1, description="d"),
    )
    service.delete_scenario(session=session, actor=world["member"], code="H-1", name="Local A")
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "localization_scenarios", AuditEntry.entity_id == saved.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "update", "delete"]
