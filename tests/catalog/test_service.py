"""The catalog's service: a workbook stored all or nothing with its suppliers resolved in the
registry, read back as the reader may see it (a competitor never sees another's prices), audited,
exported back to the same workbook."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cooplab.catalog import service
from cooplab.catalog.models import BomLine, CurrencyRate, Sourcing, SupplierInput, Vehicle
from cooplab.catalog.workbook import read_vehicle_workbook
from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.core.audit import AuditEntry, use_actor
from cooplab.errors import ForbiddenError, ImportFileError, NotFoundError
from cooplab.vocab.choices import Visibility
from tests.catalog.test_workbook import SOURCING, files
from tests.factories import make_org


def member_of(org_id: int) -> Actor:
    return Actor(user_id=7, label="member@example.org", role=Role.MEMBER, organization_id=org_id)


@pytest.fixture
def orgs(session):
    names = ("UzAuto Motors", "Uz-Saemyung Co", "UzSungwoo", "Uz-Tong Hong Co", "Other Motors")
    return {name: make_org(session, name).id for name in names}


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_workbook_is_stored_and_read_back_as_the_same_bill(session, orgs):
    done = service.import_vehicle(session=session, actor=SYSTEM, files=files())
    assert (done.code, done.lines, done.sources, done.inputs, done.rates) == ("T-1", 3, 3, 2, 1)
    stored = service.vehicle_bill(session=session, actor=SYSTEM, code="T-1")
    expected = read_vehicle_workbook(files(), resolve_supplier=service.organization_resolver(session))
    assert stored.vehicle.model_dump(exclude={"oem_id"}) == expected.vehicle.model_dump(exclude={"oem_id"})
    assert stored.vehicle.oem_id == orgs["UzAuto Motors"]
    assert stored.bom == expected.bom and stored.sourcing == expected.sourcing
    assert stored.inputs == expected.inputs and stored.rates == expected.rates
    panel = [s for s in stored.sourcing if s.part_number == "PANEL"]
    assert [s.supplier_id for s in panel] == [orgs["Uz-Saemyung Co"], orgs["UzSungwoo"]]


def test_the_tree_lists_parents_before_children_with_their_sources(session, orgs):
    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    detail = service.vehicle_detail(session=session, actor=SYSTEM, code="T-1")
    assert [(x.part_number, x.depth) for x in detail.bom] == [("BODY", 0), ("PANEL", 1), ("SEAT", 0)]
    assert [s.supplier for s in detail.bom[1].sources] == ["Uz-Saemyung Co", "UzSungwoo"]
    assert detail.lines == 3 and detail.oem == "UzAuto Motors"


def test_a_bad_workbook_stores_nothing_and_names_each_row(session, orgs):
    bad = SOURCING.replace("60%,0.5", "70%,0.5").replace("SEAT,Uz-Tong Hong Co", "SEAT,Nobody Ltd")
    with pytest.raises(ImportFileError) as caught:
        service.import_vehicle(session=session, actor=SYSTEM, files=files(sourcing=bad))
    found = {(d["code"], tuple(d["loc"]), d["params"].get("part_number")) for d in caught.value.details}
    assert found == {
        ("shares_not_100", ("sourcing", 2, "volume_share"), "PANEL"),
        ("unknown_supplier", ("sourcing", 4, "supplier"), "SEAT"),
    }
    for model in (Vehicle, BomLine, Sourcing, SupplierInput, CurrencyRate):
        assert count(session, model) == 0


def test_an_oem_unknown_to_the_registry_is_refused(session):
    make_org(session, "Uz-Saemyung Co")
    with pytest.raises(ImportFileError) as caught:
        service.import_vehicle(session=session, actor=SYSTEM, files=files())
    codes = {d["code"] for d in caught.value.details}
    assert "unknown_supplier" in codes  # suppliers first; the OEM is checked once they pass
    assert count(session, Vehicle) == 0


def test_a_member_imports_for_its_own_organization_only(session, orgs):
    with pytest.raises(ForbiddenError):
        service.import_vehicle(session=session, actor=member_of(orgs["Other Motors"]), files=files())
    done = service.import_vehicle(session=session, actor=member_of(orgs["UzAuto Motors"]), files=files())
    assert done.code == "T-1" and count(session, Vehicle) == 1


def test_a_competitor_sees_neither_the_vehicle_nor_its_prices(session, orgs):
    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    rival = member_of(orgs["Other Motors"])
    with pytest.raises(NotFoundError):
        service.vehicle_bill(session=session, actor=rival, code="T-1")
    assert service.list_vehicles(session=session, actor=rival).count == 0
    assert service.list_vehicles(session=session, actor=member_of(orgs["UzAuto Motors"])).count == 1


def test_a_shared_vehicle_shows_each_supplier_its_own_prices_only(session, orgs):
    service.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    rival = service.vehicle_bill(session=session, actor=member_of(orgs["Other Motors"]), code="T-1")
    assert len(rival.bom) == 3 and rival.sourcing == () and rival.inputs == ()
    saemyung = service.vehicle_bill(session=session, actor=member_of(orgs["Uz-Saemyung Co"]), code="T-1")
    assert [s.supplier for s in saemyung.sourcing] == ["Uz-Saemyung Co"] and saemyung.inputs == ()
    tong = service.vehicle_bill(session=session, actor=member_of(orgs["Uz-Tong Hong Co"]), code="T-1")
    assert [s.supplier for s in tong.sourcing] == ["Uz-Tong Hong Co"] and len(tong.inputs) == 2
    oem = service.vehicle_bill(session=session, actor=member_of(orgs["UzAuto Motors"]), code="T-1")
    assert len(oem.sourcing) == 3 and len(oem.inputs) == 2


def test_the_import_is_audited(session, orgs):
    use_actor(session, SYSTEM)
    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    written = dict(
        session.execute(
            select(AuditEntry.entity_type, func.count())
            .where(AuditEntry.action == "create")
            .group_by(AuditEntry.entity_type)
        ).all()
    )
    assert {k: written.get(k) for k in ("vehicles", "bom_lines", "sourcing", "supplier_inputs")} == {
        "vehicles": 1,
        "bom_lines": 3,
        "sourcing": 3,
        "supplier_inputs": 2,
    }


def test_importing_again_replaces_the_bill(session, orgs):
    use_actor(session, SYSTEM)
    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    fewer = SOURCING.replace("60%,0.5", "100%,0.5").replace(
        "PANEL,UzSungwoo,UZ,104000,UZS,2025-01-01,DAP,0.4,\n", ""
    )
    done = service.import_vehicle(session=session, actor=SYSTEM, files=files(sourcing=fewer))
    assert done.replaced and count(session, Vehicle) == 1 and count(session, Sourcing) == 2
    assert count(session, CurrencyRate) == 1
    deleted = dict(
        session.execute(
            select(AuditEntry.entity_type, func.count())
            .where(AuditEntry.action == "delete")
            .group_by(AuditEntry.entity_type)
        ).all()
    )
    assert {k: deleted.get(k) for k in ("vehicles", "bom_lines", "sourcing", "supplier_inputs")} == {
        "vehicles": 1,
        "bom_lines": 3,
        "sourcing": 3,
        "supplier_inputs": 2,
    }


def test_export_gives_back_the_workbook_that_was_imported(session, orgs):
    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    resolve = service.organization_resolver(session)
    for as_csv in (False, True):
        data = service.export_vehicle(session=session, actor=SYSTEM, code="T-1", csv=as_csv)
        exported = data if isinstance(data, dict) else {"T-1.xlsx": data}
        again = read_vehicle_workbook(exported, resolve_supplier=resolve)
        assert again == read_vehicle_workbook(files(), resolve_supplier=resolve)


def test_rates_are_entered_by_editors_and_change_the_level_of_their_date(session, orgs):
    from decimal import Decimal

    from cooplab.catalog.schemas import RateIn

    service.import_vehicle(session=session, actor=SYSTEM, files=files())
    with pytest.raises(ForbiddenError):
        service.set_rate(
            session=session,
            actor=member_of(orgs["UzAuto Motors"]),
            data=RateIn(currency="USD", day="2024-12-01", uzs_per_unit=13000),
        )
    rate = service.set_rate(
        session=session, actor=SYSTEM, data=RateIn(currency="usd", day="2024-12-01", uzs_per_unit=13000)
    )
    assert (rate.currency, rate.uzs_per_unit) == ("USD", Decimal(13000))
    service.set_rate(
        session=session, actor=SYSTEM, data=RateIn(currency="RUB", day="2025-01-01", uzs_per_unit=130)
    )
    listed = service.list_rates(session=session, actor=SYSTEM)
    assert [(r.currency, str(r.uzs_per_unit)) for r in listed] == [("RUB", "130"), ("USD", "13000")]
    bill = service.vehicle_bill(session=session, actor=SYSTEM, code="T-1")
    assert [r.uzs_per_unit for r in bill.rates if r.currency == "USD"] == [Decimal(13000)]


def test_a_rate_of_zero_or_of_an_unknown_currency_is_refused():
    from pydantic import ValidationError

    from cooplab.catalog.schemas import RateIn

    with pytest.raises(ValidationError) as caught:
        RateIn(currency="XXQ", day="2025-01-01", uzs_per_unit=0)
    assert {e["loc"][0] for e in caught.value.errors()} == {"currency", "uzs_per_unit"}
