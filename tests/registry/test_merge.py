"""Duplicates are found across scripts; a merge keeps everything; unmerge restores both exactly."""

import pytest

from cooplab.core.actor import SYSTEM
from cooplab.errors import ConflictError
from cooplab.registry import merge, service
from cooplab.registry.schemas import (
    CitationCreate,
    MembershipCreate,
    OwnershipCreate,
    PositionIn,
    SiteCreate,
    SourceCreate,
)
from tests.factories import make_org, make_person, make_place


def snapshot(session, *org_ids):
    session.expire_all()
    return [
        service.organization_detail(session=session, actor=SYSTEM, organization_id=i).model_dump(
            exclude={"version"}
        )
        for i in org_ids
    ]


def test_duplicates_across_scripts_with_reasons(session):
    a = make_org(session, "UzAuto Motors")
    b = make_org(session, "АО «УзАвто Моторс»")
    make_org(session, "Uz-Koram Co", kind="supplier")
    c = make_org(session, "ООО Уз-Корам", kind="supplier")
    make_org(
        session, "Tolyatti Press", kind="supplier", identifiers=[{"scheme": "inn", "value": "7707083893"}]
    )
    make_org(
        session, "Tolyatti Press", kind="supplier", identifiers=[{"scheme": "inn", "value": "6320002223"}]
    )
    make_org(session, "Erae Climate Control", kind="supplier")
    pairs = merge.find_duplicates(session=session, actor=SYSTEM)
    found = {frozenset((p.a.id, p.b.id)): p for p in pairs}
    assert frozenset((a.id, b.id)) in found
    assert any(c.id in ids for ids in found)
    assert "УзАвто Моторс" in found[frozenset((a.id, b.id))].reason
    assert all(p.a.name != "Tolyatti Press" for p in pairs), "different INNs are different companies"


def test_merge_keeps_everything_and_unmerge_restores_exactly(session):
    place = make_place(session)
    other_place = make_place(session, "Асака")
    holding = make_org(session, "Uzavtosanoat", kind="holding")
    cluster = make_org(session, "Кластер АП", kind="association")
    a = make_org(session, "UzAuto Motors", country="UZ")
    b = make_org(
        session,
        "УзАвто Моторс",
        website="https://uzautomotors.example",
        head_office_id=place.id,
        identifiers=[{"scheme": "stir", "value": "200000001"}],
    )
    service.add_site(
        session=session, actor=SYSTEM, organization_id=b.id, data=SiteCreate(place_id=other_place.id)
    )
    service.add_ownership(
        session=session, actor=SYSTEM, data=OwnershipCreate(owner_id=holding.id, owned_id=b.id, share=100)
    )
    service.add_membership(
        session=session, actor=SYSTEM, data=MembershipCreate(member_id=b.id, group_id=cluster.id)
    )
    person = make_person(session, "Бу Инге Андерссон")
    service.add_position(
        session=session,
        actor=SYSTEM,
        person_id=person.id,
        data=PositionIn(title="генеральный директор", organization_id=b.id),
    )
    source = service.create_source(session=session, actor=SYSTEM, data=SourceCreate(title="Report"))
    service.cite(
        session=session,
        actor=SYSTEM,
        subject_type="organization",
        subject_id=b.id,
        data=CitationCreate(source_id=source.id),
    )
    session.commit()
    before = snapshot(session, a.id, b.id, holding.id, cluster.id)

    record = merge.merge_organizations(session=session, actor=SYSTEM, survivor_id=a.id, merged_id=b.id)
    session.commit()
    (survivor,) = snapshot(session, a.id)
    assert {n["value"] for n in survivor["names"]} == {"UzAuto Motors", "УзАвто Моторс"}
    assert survivor["identifiers"][0]["value"] == "200000001"
    assert survivor["website"] == "https://uzautomotors.example" and survivor["head_office"]["id"] == place.id
    assert survivor["owners"][0]["owner"]["name"] == "Uzavtosanoat"
    assert survivor["groups"][0]["group"]["name"] == "Кластер АП"
    assert survivor["sites"][0]["place"]["name"] == "Асака"
    assert survivor["people"][0]["person"]["name"] == "Бу Инге Андерссон"
    assert survivor["citations"][0]["source"]["title"] == "Report"

    merge.unmerge(session=session, actor=SYSTEM, merge_id=record.id)
    session.commit()
    assert snapshot(session, a.id, b.id, holding.id, cluster.id) == before
    with pytest.raises(ConflictError):
        merge.unmerge(session=session, actor=SYSTEM, merge_id=record.id)


def test_cannot_merge_into_itself(session):
    a = make_org(session)
    with pytest.raises(ConflictError):
        merge.merge_organizations(session=session, actor=SYSTEM, survivor_id=a.id, merged_id=a.id)


def test_the_duplicate_rule_is_a_calculator_that_explains_itself():
    from cooplab.core.calculators import calculators, get_calculator
    from cooplab.vocab.names import name_key

    rule = get_calculator("duplicate_rule", "name_match", {"threshold": 95})
    same = rule.compute(
        "UzAuto Motors", "АО «УзАвто Моторс»", name_key("UzAuto Motors"), name_key("АО «УзАвто Моторс»")
    )
    assert same.duplicate and same.score == 100
    assert same.reasons[0].code == "names_match"
    assert same.explain() == (
        "names «UzAuto Motors» and «АО «УзАвто Моторс»» match exactly after "
        "transliteration and removal of legal forms"
    )
    near = rule.compute("Uz-Koram", "Uz Koramm", name_key("Uz-Koram"), name_key("Uz Koramm"))
    assert 88 < near.score < 100 and not near.duplicate and near.reasons[0].code == "names_alike"
    assert [c.NAME for c in calculators("duplicate_rule")] == ["name_match"]


def test_a_stricter_rule_finds_fewer_duplicates(session):
    make_org(session, "Asaka Stamping Plant", kind="supplier")
    make_org(session, "Asaka Stampings Plant LLC", kind="supplier")
    loose = merge.find_duplicates(session=session, actor=SYSTEM)
    strict = merge.find_duplicates(session=session, actor=SYSTEM, config={"threshold": 100})
    assert len(loose) == 1 and strict == []


def test_merge_and_unmerge_write_audit_entries_for_every_moved_record(session):
    from sqlalchemy import select

    from cooplab.core.audit import AuditEntry

    a = make_org(session, "UzAuto Motors")
    b = make_org(
        session,
        names=[{"value": "АО «УзАвто Моторс»"}, {"value": "GM Uzbekistan"}],
        identifiers=[{"scheme": "stir", "value": "200000001"}],
    )
    session.commit()
    moved_names = [n.id for n in b.names]
    moved_ident = b.identifiers[0].id
    start = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    done = merge.merge_organizations(session=session, actor=SYSTEM, survivor_id=a.id, merged_id=b.id)
    session.commit()

    def entries_since(first):
        return [
            (e.action, e.entity_type, e.entity_id, e.before, e.after)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.id > first).order_by(AuditEntry.id))
        ]

    merged = entries_since(start)
    for name_id in moved_names:
        assert (
            "update",
            "organization_names",
            name_id,
            {"organization_id": b.id},
            {"organization_id": a.id},
        ) in merged
    assert (
        "update",
        "identifiers",
        moved_ident,
        {"organization_id": b.id},
        {"organization_id": a.id},
    ) in merged
    assert any(e[:3] == ("create", "merges", done.id) for e in merged)
    assert any(
        e[:3] == ("update", "organizations", b.id) and e[4] == {"merged_into_id": a.id} for e in merged
    )

    middle = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    merge.unmerge(session=session, actor=SYSTEM, merge_id=done.id)
    session.commit()
    undone = entries_since(middle)
    for name_id in moved_names:
        assert (
            "update",
            "organization_names",
            name_id,
            {"organization_id": a.id},
            {"organization_id": b.id},
        ) in undone
    assert (
        "update",
        "identifiers",
        moved_ident,
        {"organization_id": a.id},
        {"organization_id": b.id},
    ) in undone
    assert any(e[:3] == ("update", "merges", done.id) for e in undone)
