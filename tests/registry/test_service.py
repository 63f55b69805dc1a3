"""Service rules that surfaces rely on: sources stay with their facts, summaries, recent changes."""

from sqlalchemy import func, select

from cooplab.accounts.filters import AuditFilter
from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.models import Citation, Identifier
from cooplab.registry.schemas import (
    CitationCreate,
    OrganizationUpdate,
    PersonUpdate,
    PositionIn,
    SourceCreate,
)
from tests.factories import make_org, make_person


def citations(session):
    return session.scalar(select(func.count()).select_from(Citation))


def test_a_position_keeps_its_source_through_an_edit_and_loses_it_when_removed(session):
    org = make_org(session)
    person = make_person(session)
    position = service.add_position(
        session=session,
        actor=SYSTEM,
        person_id=person.id,
        data=PositionIn(title="генеральный директор", organization_id=org.id),
    )
    source = service.create_source(session=session, actor=SYSTEM, data=SourceCreate(title="Report"))
    service.cite(
        session=session,
        actor=SYSTEM,
        subject_type="position",
        subject_id=position.id,
        data=CitationCreate(source_id=source.id),
    )
    session.commit()
    person = service.update_person(
        session=session,
        actor=SYSTEM,
        person_id=person.id,
        data=PersonUpdate(
            version=person.version,
            positions=[PositionIn(title="генеральный директор", organization_id=org.id, start="2021-08-23")],
        ),
    )
    session.commit()
    assert [p.id for p in person.positions] == [position.id] and str(
        person.positions[0].start
    ) == "2021-08-23"
    assert citations(session) == 1
    service.update_person(
        session=session,
        actor=SYSTEM,
        person_id=person.id,
        data=PersonUpdate(version=person.version, positions=[]),
    )
    session.commit()
    assert citations(session) == 0


def test_an_identifier_keeps_its_source_and_deleting_an_organization_drops_every_citation(session):
    org = make_org(session, identifiers=[{"scheme": "stir", "value": "200000001"}])
    source = service.create_source(session=session, actor=SYSTEM, data=SourceCreate(title="Register"))
    ident = org.identifiers[0]
    service.cite(
        session=session,
        actor=SYSTEM,
        subject_type="identifier",
        subject_id=ident.id,
        data=CitationCreate(source_id=source.id),
    )
    service.cite(
        session=session,
        actor=SYSTEM,
        subject_type="organization",
        subject_id=org.id,
        data=CitationCreate(source_id=source.id),
    )
    session.commit()
    service.update_organization(
        session=session,
        actor=SYSTEM,
        organization_id=org.id,
        data=OrganizationUpdate(
            version=org.version,
            identifiers=[{"scheme": "stir", "value": "200000001"}, {"scheme": "inn", "value": "7707083893"}],
        ),
    )
    session.commit()
    assert ident.id in [i.id for i in org.identifiers]
    detail = service.organization_detail(session=session, actor=SYSTEM, organization_id=org.id)
    assert {(c.subject_type, c.subject_id) for c in detail.citations} == {
        ("identifier", ident.id),
        ("organization", org.id),
    }
    service.delete_organization(session=session, actor=SYSTEM, organization_id=org.id)
    session.commit()
    assert citations(session) == 0


def test_summary_and_recent_changes(session):
    make_org(session, "A", kind="supplier")
    make_org(session, "B", kind="oem")
    person = make_person(session)
    session.commit()
    summary = service.registry_summary(session=session, actor=SYSTEM)
    assert summary.organizations_by_kind == {"supplier": 1, "oem": 1} and summary.people == 1
    recent = service.recent_changes(session=session, actor=SYSTEM, limit=2)
    assert [(r.type, r.id) for r in recent] == [("person", person.id), ("organization", 2)]


def test_a_replaced_name_is_recorded_as_deleted_in_the_audit_log(session):
    from cooplab.accounts.audit import list_entries

    org = make_org(session, names=[{"value": "UzAuto Motors"}, {"value": "GM Uzbekistan"}])
    session.commit()
    service.update_organization(
        session=session,
        actor=SYSTEM,
        organization_id=org.id,
        data=OrganizationUpdate(version=org.version, names=[{"value": "UzAuto Motors"}]),
    )
    session.commit()
    deleted = list_entries(
        session=session, actor=SYSTEM, filters=AuditFilter(entity_type="organization_names", action="delete")
    ).data
    assert [e.before["value"] for e in deleted] == ["GM Uzbekistan"]


def test_identifier_holders_answer_alike_for_a_form_and_for_an_import(session):
    org = make_org(session)
    other = make_org(session, name="Другая организация")
    session.add_all(
        [
            Identifier(organization_id=org.id, scheme="inn", value="7707083893"),
            Identifier(organization_id=other.id, scheme="stir", value="200523221"),
        ]
    )
    session.flush()
    asked = [("inn", "7707083893"), ("stir", "200523221"), ("inn", "200523221")]
    expected = {("inn", "7707083893"): org.id, ("stir", "200523221"): other.id}
    assert service.identifier_holders(session, asked) == expected
    # an import asks for thousands at once, read in one pass: the same answer
    many = asked + [("inn", f"{n:010d}") for n in range(1, 3000)]
    assert service.identifier_holders(session, many) == expected


def test_citations_dropped_with_their_record_are_in_the_audit_log(session):
    from cooplab.accounts.audit import list_entries

    org = make_org(session)
    source = service.create_source(session=session, actor=SYSTEM, data=SourceCreate(title="Register"))
    cited = service.cite(
        session=session,
        actor=SYSTEM,
        subject_type="organization",
        subject_id=org.id,
        data=CitationCreate(source_id=source.id, field="country"),
    )
    session.commit()
    service.delete_organization(session=session, actor=SYSTEM, organization_id=org.id)
    session.commit()
    (gone,) = list_entries(
        session=session, actor=SYSTEM, filters=AuditFilter(entity_type="citations", action="delete")
    ).data
    assert gone.entity_id == cited.id
    assert gone.before["subject_id"] == org.id and gone.before["field"] == "country"
