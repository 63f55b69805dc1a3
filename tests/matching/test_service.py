"""Matchmaking stored: the interchange workbook imported all or nothing with its organizations
resolved in the registry, needs and capabilities read as the reader may see them, rankings
built only from what the reader may see (a hidden need or capability is never matched, counted
or named), anonymous profiles, feedback, the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cooplab.core.actor import ANONYMOUS, SYSTEM, Actor, Role
from cooplab.core.audit import AuditEntry, use_actor
from cooplab.errors import ForbiddenError, ImportFileError, InvalidInputError, NotFoundError
from cooplab.matching import models, service
from cooplab.matching.schemas import CapabilityIn, FeedbackIn, MatchFilter, NeedIn
from cooplab.registry.models import Organization
from tests.factories import make_org, make_place

CAPABILITIES = """supplier,hs_codes,processes,materials,annual_capacity,certifications,site,description,visibility
Uz-Dong Won,8708.70,stamping;welding,steel,900000,IATF 16949:2030-03-31,Andijan,Steel wheels for passenger cars,members
Volga Wheels,870870,stamping;welding;painting,steel,1200000,,Andijan,Штампованные стальные колёсные диски,organization
Seat Maker,9401.20,sewing_and_trim;foaming,,500000,,Andijan,Car seats with fabric covers,members
"""
NEEDS = """ref,buyer,hs_code,part,description,annual_volume,target_price,currency,processes,certifications,delivery_place,deadline,visibility
W-1,UzAuto Motors,8708.70,Steel wheel,Стальные колёсные диски 15 дюймов,300000,38.5,USD,stamping;welding,IATF 16949,Asaka,2027-01-31,members
S-1,UzAuto Motors,9401.20,Seat,Front seats,100000,,,sewing_and_trim,,Asaka,,organization
"""


def files(capabilities: str = CAPABILITIES, needs: str = NEEDS) -> dict[str, bytes]:
    return {"capabilities.csv": capabilities.encode(), "needs.csv": needs.encode()}


def member_of(org_id: int, user_id: int | None = None) -> Actor:
    return Actor(user_id=user_id, label="member@example.org", role=Role.MEMBER, organization_id=org_id)


@pytest.fixture
def orgs(session):
    found = {
        "UzAuto Motors": make_org(session, "UzAuto Motors", kind="oem", country="UZ").id,
        "Uz-Dong Won": make_org(session, "Uz-Dong Won", kind="supplier", tier=1, country="UZ").id,
        "Volga Wheels": make_org(session, "Volga Wheels", kind="supplier", tier=2, country="RU").id,
        "Seat Maker": make_org(session, "Seat Maker", kind="supplier", tier=1, country="UZ").id,
        "Other Motors": make_org(session, "Other Motors", kind="oem", country="UZ").id,
    }
    make_place(
        session, "Andijan", names=[{"value": "Andijan", "lang": "en"}], latitude=40.78, longitude=72.35
    )
    make_place(session, "Asaka", names=[{"value": "Asaka", "lang": "en"}], latitude=40.64, longitude=72.24)
    return found


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_workbook_is_stored_and_ranked_with_reasons(session, orgs):
    done = service.import_workbook(session=session, actor=SYSTEM, files=files())
    assert (done.capabilities, done.needs, done.needs_replaced) == (3, 2, 0)
    assert count(session, models.Capability) == 3 and count(session, models.Need) == 2
    found = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    assert [m.supplier for m in found.data] == ["Uz-Dong Won", "Volga Wheels"]  # seats are no wheels
    best = found.data[0]
    assert best.supplier_id == orgs["Uz-Dong Won"] and 0 < best.score <= 1
    assert "hs_exact" in best.reason_codes and any("IATF 16949" in r for r in best.reasons)
    russian = service.need_matches(session=session, actor=SYSTEM, key="W-1", lang="ru")
    assert any("ТН ВЭД" in r for r in russian.data[0].reasons)
    again = service.import_workbook(
        session=session,
        actor=SYSTEM,
        files=files(
            capabilities="supplier,hs_codes,processes,materials,annual_capacity,certifications,site,description\n"
        ),
    )
    assert (again.needs, again.needs_replaced) == (2, 2) and count(session, models.Need) == 2


def test_filters_narrow_and_say_why_nothing_is_left(session, orgs):
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    ru = service.need_matches(session=session, actor=SYSTEM, key="W-1", filters=MatchFilter(country=["RU"]))
    assert [m.supplier for m in ru.data] == ["Volga Wheels"]
    tier = service.need_matches(session=session, actor=SYSTEM, key="W-1", filters=MatchFilter(tier=[1]))
    assert [m.supplier for m in tier.data] == ["Uz-Dong Won"]
    certified = service.need_matches(
        session=session, actor=SYSTEM, key="W-1", filters=MatchFilter(certification=["iatf16949"])
    )
    assert [m.supplier for m in certified.data] == ["Uz-Dong Won"]
    none = service.need_matches(session=session, actor=SYSTEM, key="W-1", filters=MatchFilter(country=["KZ"]))
    assert none.data == [] and none.empty_code == "ranking_filtered"
    with pytest.raises(InvalidInputError):
        service.need_matches(session=session, actor=SYSTEM, key="W-1", filters=MatchFilter(country=["XX"]))


def test_a_hidden_capability_is_never_matched_counted_or_named(session, orgs):
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    buyer = member_of(orgs["UzAuto Motors"])
    found = service.need_matches(session=session, actor=buyer, key="W-1")
    assert [m.supplier for m in found.data] == ["Uz-Dong Won"]  # Volga Wheels' row is its own
    listed = service.list_capabilities(session=session, actor=buyer)
    assert listed.count == 2 and "Volga Wheels" not in {c.supplier for c in listed.data}
    volga = member_of(orgs["Volga Wheels"])
    assert service.list_capabilities(session=session, actor=volga).count == 3


def test_a_hidden_need_is_never_matched_counted_or_named(session, orgs):
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    rival = member_of(orgs["Other Motors"])
    listed = service.list_needs(session=session, actor=rival)
    assert [n.ref for n in listed.data] == ["W-1"] and listed.count == 1
    with pytest.raises(NotFoundError) as caught:
        service.need_matches(session=session, actor=rival, key="S-1")
    assert "S-1" in caught.value.message  # the same answer as for a ref that does not exist
    with pytest.raises(NotFoundError):
        service.need_matches(session=session, actor=rival, key="NOPE")
    seats = member_of(orgs["Seat Maker"])
    none = service.supplier_opportunities(session=session, actor=seats, organization_id=orgs["Seat Maker"])
    assert none.data == [] and none.empty_code == "ranking_no_product"  # S-1 is UzAuto's own
    mine = service.supplier_opportunities(
        session=session, actor=member_of(orgs["UzAuto Motors"]), organization_id=orgs["Seat Maker"]
    )
    assert [m.need_ref for m in mine.data] == ["S-1"]
    assert service.list_needs(session=session, actor=ANONYMOUS).count == 0


def test_the_best_needs_for_a_supplier(session, orgs):
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    found = service.supplier_opportunities(session=session, actor=SYSTEM, organization_id=orgs["Uz-Dong Won"])
    assert [m.need_ref for m in found.data] == ["W-1"] and found.data[0].reasons
    with pytest.raises(NotFoundError):
        service.supplier_opportunities(session=session, actor=SYSTEM, organization_id=999_999)
    other = service.supplier_opportunities(
        session=session, actor=SYSTEM, organization_id=orgs["Other Motors"]
    )
    assert other.data == [] and other.empty_code == "ranking_no_capability"


def test_an_anonymous_capability_is_ranked_without_its_supplier(session, orgs):
    anonymous = CAPABILITIES.replace("Steel wheels for passenger cars,members", "Steel wheels,public")
    anonymous = anonymous.replace("description,visibility", "description,visibility,anonymous")
    anonymous = "\n".join(
        line
        + (
            ",yes"
            if line.startswith("Uz-Dong Won")
            else ",no"
            if line and "," in line and not line.startswith("supplier")
            else ""
        )
        for line in anonymous.splitlines()
    )
    service.import_workbook(session=session, actor=SYSTEM, files=files(capabilities=anonymous))
    buyer = member_of(orgs["UzAuto Motors"])
    found = service.need_matches(session=session, actor=buyer, key="W-1")
    assert [(m.supplier, m.supplier_id) for m in found.data] == [(None, None)]
    assert found.data[0].capability_id is not None
    own = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    assert own.data[0].supplier == "Uz-Dong Won"  # an analyst or admin brokers the contact
    detail = service.capability_detail(
        session=session, actor=buyer, capability_id=found.data[0].capability_id
    )
    assert detail.supplier is None and detail.supplier_id is None
    mine = service.capability_detail(
        session=session, actor=member_of(orgs["Uz-Dong Won"]), capability_id=found.data[0].capability_id
    )
    assert mine.supplier == "Uz-Dong Won"


def test_a_bad_workbook_stores_nothing_and_names_each_row(session, orgs):
    make_org(session, "Twin Co", kind="supplier")
    make_org(session, "Twin Co Ltd", names=[{"value": "Twin Co"}], kind="supplier")
    bad_caps = CAPABILITIES.replace("Volga Wheels,870870", "Nobody Ltd,870870").replace(
        "Seat Maker,9401.20,sewing_and_trim;foaming,,500000", "Twin Co,94012,sewing_and_trim;knitting,,0"
    )
    bad_needs = NEEDS.replace("2027-01-31", "31.13.2027").replace(
        "S-1,UzAuto Motors,9401.20,Seat,Front seats", "W-1,UzAuto Motors,,,"
    )
    with pytest.raises(ImportFileError) as caught:
        service.import_workbook(session=session, actor=SYSTEM, files=files(bad_caps, bad_needs))
    found = {(d["code"], tuple(d["loc"])) for d in caught.value.details}
    assert ("supplier_unknown", ("capabilities", 3, "supplier")) in found
    assert ("supplier_ambiguous", ("capabilities", 4, "supplier")) in found
    assert ("hs_code_invalid", ("capabilities", 4, "hs_codes")) in found
    assert ("process_unknown", ("capabilities", 4, "processes")) in found
    assert ("capacity_not_positive", ("capabilities", 4, "annual_capacity")) in found
    assert ("date_invalid", ("needs", 2, "deadline")) in found
    assert ("ref_duplicate", ("needs", 3, "ref")) in found
    assert ("need_without_product", ("needs", 3, "hs_code")) in found
    assert count(session, models.Capability) == 0 and count(session, models.Need) == 0


def test_a_member_imports_its_own_organization_only(session, orgs):
    actor = member_of(orgs["Uz-Dong Won"])
    with pytest.raises(ImportFileError) as caught:
        service.import_workbook(session=session, actor=actor, files=files())
    found = {(d["code"], tuple(d["loc"])) for d in caught.value.details}
    assert ("organization_not_yours", ("capabilities", 3, "supplier")) in found
    assert ("organization_not_yours", ("needs", 2, "buyer")) in found
    assert ("organization_not_yours", ("capabilities", 2, "supplier")) not in found
    assert count(session, models.Capability) == 0
    own = CAPABILITIES.splitlines()[:2]
    done = service.import_workbook(
        session=session, actor=actor, files={"capabilities.csv": "\n".join(own).encode()}
    )
    assert done.capabilities == 1
    with pytest.raises(ForbiddenError):
        service.import_workbook(
            session=session, actor=Actor(user_id=None, label="v", role=Role.VIEWER), files=files()
        )


def test_entered_one_at_a_time_and_audited(session, orgs):
    use_actor(session, SYSTEM)
    member = member_of(orgs["UzAuto Motors"])
    need = service.create_need(
        session=session,
        actor=member,
        data=NeedIn(ref="M-1", buyer_id=orgs["UzAuto Motors"], hs_code="8708.70", annual_volume=1000),
    )
    assert need.ref == "M-1" and need.hs_code == "870870" and need.visibility == "organization"
    with pytest.raises(InvalidInputError) as caught:
        service.create_need(
            session=session, actor=member, data=NeedIn(ref="M-1", buyer_id=orgs["UzAuto Motors"], part="x")
        )
    assert caught.value.details[0]["code"] == "ref_duplicate"
    with pytest.raises(InvalidInputError):
        service.create_need(
            session=session, actor=member, data=NeedIn(ref="M-2", buyer_id=orgs["UzAuto Motors"])
        )
    with pytest.raises(ForbiddenError):
        service.create_need(
            session=session, actor=member, data=NeedIn(ref="M-3", buyer_id=orgs["Other Motors"], part="x")
        )
    cap = service.create_capability(
        session=session,
        actor=SYSTEM,
        data=CapabilityIn(
            supplier_id=orgs["Uz-Dong Won"], hs_codes=["870870"], certifications=[{"name": "iso 9001"}]
        ),
    )
    assert cap.certifications[0].name == "ISO 9001"
    with pytest.raises(InvalidInputError) as caught:
        service.create_capability(
            session=session,
            actor=SYSTEM,
            data=CapabilityIn(
                supplier_id=orgs["Uz-Dong Won"],
                hs_codes=["870870"],
                certifications=[{"name": "ISO 9001", "expires": "2020-01-01"}],
            ),
        )
    assert caught.value.details[0]["code"] == "certification_expired"
    session.flush()
    tables = set(session.scalars(select(AuditEntry.entity_type)))
    assert {"needs", "capabilities"} <= tables


def test_feedback_is_kept_for_a_need_one_may_see(session, orgs):
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    from tests.factories import make_actor

    buyer = make_actor(session, "member", orgs["UzAuto Motors"])
    w1 = service.need_detail(session=session, actor=buyer, key="W-1")
    mark = service.add_feedback(
        session=session,
        actor=buyer,
        need_id=w1.id,
        data=FeedbackIn(supplier_id=orgs["Uz-Dong Won"], judgement="relevant"),
    )
    assert mark.judgement == "relevant" and mark.user_id == buyer.user_id
    s1 = service.need_detail(session=session, actor=SYSTEM, key="S-1")
    rival = make_actor(session, "member", orgs["Other Motors"])
    with pytest.raises(NotFoundError):
        service.add_feedback(
            session=session,
            actor=rival,
            need_id=s1.id,
            data=FeedbackIn(supplier_id=orgs["Seat Maker"], judgement="relevant"),
        )
    assert count(session, models.MatchFeedback) == 1


def test_the_demo_loads_illustrative_needs_and_the_registry_suppliers_lines(session):
    from cooplab.core.domain import domain

    domain("registry").load_demo(session, SYSTEM)
    said = service.load_demo(session=session, actor=SYSTEM)
    assert "illustrative" in said[0]
    needs = service.list_needs(session=session, actor=SYSTEM, limit=100)
    assert needs.count == 38 and all(n.illustrative and n.visibility == "members" for n in needs.data)
    caps = service.list_capabilities(session=session, actor=SYSTEM, limit=100).data
    real = [c for c in caps if c.offer is None]
    assert real and all(c.source and not c.illustrative for c in real)  # real rows carry their source
    priced = [c for c in caps if c.offer is not None]  # made-up suppliers with made-up offers
    assert len(priced) == 2 and all(c.illustrative for c in priced)
    assert all(session.get(Organization, c.supplier_id).illustrative for c in priced)
    found = service.need_matches(session=session, actor=member_of(caps[0].supplier_id or 0), key="N01")
    assert found.data[0].supplier == "O'zAuto-Austem" and found.data[0].illustrative
    assert service.load_demo(session=session, actor=SYSTEM) == [
        "matching: illustrative needs already present"
    ]
