"""Feasibility signals from the database: what the registry's Uzbek and Russian organizations are
seen to make (parts they supply, inputs they supply to suppliers), counted only as the reader may
see the sourcing — a competitor's sourcing neither counts nor shows through a signal."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from cooplab.catalog import service as catalog
from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.localization import service
from cooplab.localization.capabilities import registry_capabilities
from cooplab.localization.filters import Method
from cooplab.localization.opportunities import Signal
from cooplab.vocab.choices import Visibility
from tests.factories import make_org

OURS = {
    "vehicle": """code,name,oem,annual_volume,own_cost,own_cost_currency,exw_price,exw_currency,price_date
H-1,Hand sedan,UzAuto Motors,1000,1000000,UZS,10000000,UZS,2025-01-01
""",
    "bom": """part_number,parent,name,hs_code,quantity,unit
A,,Side panel,8708.29,2,pcs
B,,Front seat,9401.20,1,pcs
C,,Brake tube,7306.30,4,pcs
""",
    "sourcing": """part_number,supplier,production_country,unit_price,currency,price_date,volume_share,imported_share
A,Uz-Saemyung Co,UZ,500000,UZS,2025-01-01,0.6,0.4
A,Importer KR,KR,450000,UZS,2025-01-01,0.4,
B,Uz-Tong Hong Co,UZ,1200000,UZS,2025-01-01,1,
C,Importer KR,KR,20000,UZS,2025-01-01,1,
""",
    "supplier_inputs": """supplier,part_number,input,hs_code,quantity,unit_cost,currency,origin_country,input_supplier
Uz-Tong Hong Co,B,Frame tube,7306.30,2,300000,UZS,RU,Volga Tube
""",
}
THEIRS = {
    "vehicle": """code,name,oem,annual_volume,own_cost,own_cost_currency,exw_price,exw_currency,price_date
R-1,Rival sedan,Other Motors,500,1000000,UZS,9000000,UZS,2025-01-01
""",
    "bom": """part_number,parent,name,hs_code,quantity,unit
Z,,Rear door panel,8708.29,2,pcs
""",
    "sourcing": """part_number,supplier,production_country,unit_price,currency,price_date,volume_share,imported_share
Z,Uz-Koram Co,UZ,400000,UZS,2025-01-01,1,0.5
""",
}


def files(sheets: dict[str, str]) -> dict[str, bytes]:
    return {f"{name}.csv": text.encode() for name, text in sheets.items()}


def member_of(org_id: int) -> Actor:
    return Actor(user_id=7, label="member@example.org", role=Role.MEMBER, organization_id=org_id)


@pytest.fixture
def orgs(session):
    countries = {
        "UzAuto Motors": "UZ",
        "Uz-Saemyung Co": "UZ",
        "Importer KR": "KR",
        "Uz-Tong Hong Co": "UZ",
        "Other Motors": "UZ",
        "Uz-Koram Co": "UZ",
        "Volga Tube": "RU",
    }
    found = {name: make_org(session, name, country=country).id for name, country in countries.items()}
    for sheets in (OURS, THEIRS):
        catalog.import_vehicle(
            session=session, actor=SYSTEM, files=files(sheets), visibility=Visibility.MEMBERS
        )
    return found


def by_part(actor: Actor, session) -> dict[str, tuple[list[Signal], list[str]]]:
    found = service.opportunities(session=session, actor=actor, code="H-1", target=0.45)
    return {o.part_number: (o.signals, o.organizations) for o in found.opportunities.items}


def test_signals_come_from_the_sourcing_and_the_supplier_inputs_in_the_database(session, orgs):
    signals = by_part(SYSTEM, session)
    # A (8708.29): Uz-Saemyung supplies it here, Uz-Koram supplies a part of the same heading
    assert Signal.LOCAL_HEADING in signals["A"][0]
    assert signals["A"][1] == ["Uz-Koram Co", "Uz-Saemyung Co"]
    # C (7306.30): Volga Tube supplies Uz-Tong Hong a frame tube of that heading
    assert signals["C"][0][0] == Signal.RUSSIAN_HEADING and signals["C"][1] == ["Volga Tube"]
    found = service.opportunities(session=session, actor=SYSTEM, code="H-1")
    backers = {b.name: b for o in found.opportunities.items for b in o.signal_organizations}
    assert backers["Volga Tube"].id == orgs["Volga Tube"] and backers["Volga Tube"].country == "RU"


def test_a_competitors_sourcing_neither_counts_nor_leaks_through_a_signal(session, orgs):
    ours = member_of(orgs["UzAuto Motors"])
    signals = by_part(ours, session)
    assert signals["A"][1] == ["Uz-Saemyung Co"]  # R-1's sourcing is Other Motors' and Uz-Koram's
    assert "Uz-Koram Co" not in str(service.opportunities(session=session, actor=ours, code="H-1"))
    rival = {c.organization for c in registry_capabilities(session, member_of(orgs["Other Motors"]))}
    assert rival == {"Uz-Koram Co"}  # none of H-1's suppliers: its sourcing is UzAuto's
    koram = {c.organization for c in registry_capabilities(session, member_of(orgs["Uz-Koram Co"]))}
    assert koram == {"Uz-Koram Co"}


def test_only_uzbek_and_russian_organizations_with_known_codes_are_capabilities(session, orgs):
    caps = {c.organization: c for c in registry_capabilities(session, SYSTEM)}
    assert set(caps) == {"Uz-Koram Co", "Uz-Saemyung Co", "Uz-Tong Hong Co", "Volga Tube"}
    assert caps["Uz-Tong Hong Co"].hs_codes == ("940120",)
    assert caps["Volga Tube"].hs_codes == ("730630",) and caps["Volga Tube"].country == "RU"
    assert caps["Uz-Saemyung Co"].processes  # the commodity catalog's processes of 8708.29


def test_the_capabilities_take_three_queries_whatever_the_bill(session, orgs):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        registry_capabilities(session, member_of(orgs["UzAuto Motors"]))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 3


# ---------------------------------------------------------------- contributions by system


SYSTEMS = {
    "vehicle": OURS["vehicle"].replace("H-1,", "S-1,"),
    "bom": """part_number,parent,name,hs_code,quantity,unit
BODY,,Body,,1,pcs
A,BODY,Side panel,8708.29,2,pcs
SEATS,,Seating,,1,pcs
B,SEATS,Front seat,9401.20,2,pcs
C,,Brake tube,7306.30,4,pcs
""",
    "sourcing": """part_number,supplier,production_country,unit_price,currency,price_date,volume_share,imported_share
A,Uz-Saemyung Co,UZ,500000,UZS,2025-01-01,1,0.4
B,Uz-Tong Hong Co,UZ,1000000,UZS,2025-01-01,1,0.7
C,Importer KR,KR,20000,UZS,2025-01-01,1,
""",
}


def test_contributions_by_system_add_up_the_parts_under_each_top_level_line(session, orgs):
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(SYSTEMS), visibility=Visibility.MEMBERS)
    result, systems, lines = service.level_with_systems(
        session=session, actor=SYSTEM, code="S-1", method=Method.UZ_COST_SHARE
    )
    # Seating: 2 x 1,000,000, imported 70% = 1,400,000; Body: 2 x 500,000, 40% = 400,000;
    # the brake tube stands alone at the top: 4 x 20,000, all imported
    assert [(s.part_number, s.cost, s.imported, s.parts) for s in systems] == [
        ("SEATS", 2_000_000, 1_400_000, 1),
        ("BODY", 1_000_000, 400_000, 1),
        ("C", 80_000, 80_000, 1),
    ]
    assert systems[0].local_share == pytest.approx(0.3) and lines == 5
    assert sum(s.share_of_imported for s in systems) == pytest.approx(1.0)
    assert float(result.totals["imported"]) == pytest.approx(1_880_000)
    rival = member_of(orgs["Other Motors"])  # sees the bill, not its prices
    _, unseen, _ = service.level_with_systems(
        session=session, actor=rival, code="S-1", method=Method.UZ_COST_SHARE
    )
    assert all(s.cost == 0 and s.local_share is None for s in unseen)


def test_a_page_of_parts_is_the_same_rows_as_the_whole_table_cut(session, orgs):
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(SYSTEMS), visibility=Visibility.MEMBERS)
    for method in Method:
        whole = service.level_answer(
            service.level(session=session, actor=SYSTEM, code="S-1", method=method), "ru"
        )
        fresh = service.level(session=session, actor=SYSTEM, code="S-1", method=method)
        page = service.level_answer(fresh, "ru", parts=slice(1, 4))
        assert page["parts"] == whole["parts"][1:4], method
        assert fresh._parts is None  # only the page's rows were built
        assert {k: v for k, v in page.items() if k != "parts"} == {
            k: v for k, v in whole.items() if k != "parts"
        }
