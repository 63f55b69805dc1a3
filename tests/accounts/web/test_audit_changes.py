"""The audit log reads as a history of user actions: the writes of one action on one line, its
parts counted and folded in, tables and fields named in the reader's language."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.accounts import audit
from cooplab.accounts import web as accounts_web
from cooplab.accounts.filters import AuditFilter
from cooplab.core.audit import AuditEntry, use_actor
from cooplab.registry import service
from cooplab.registry.exchange import import_file
from cooplab.registry.merge import merge_organizations, unmerge
from cooplab.registry.schemas import NameIn, OrganizationCreate, OrganizationUpdate, OwnershipCreate
from cooplab.vocab.choices import Activity
from tests.factories import make_actor
from tests.html import parse


def _new_supplier(session: Session, actor: Any) -> int:
    """One user action: a supplier with three names (four writes, one transaction)."""
    use_actor(session, actor)
    org = service.create_organization(
        session=session,
        actor=actor,
        data=OrganizationCreate(
            kind="supplier",
            country="UZ",
            names=[
                NameIn(value="Андижан Сиденья"),
                NameIn(value="Andijan Seats", lang="en"),
                NameIn(value="Andijon O'rindiqlari", lang="uz"),
            ],
        ),
    )
    session.commit()
    return org.id


def test_the_writes_of_one_transaction_share_a_change(reference: Session) -> None:
    admin = make_actor(reference, "admin")
    reference.commit()
    org = _new_supplier(reference, admin)
    current = service.get_organization(session=reference, organization_id=org)
    service.update_organization(
        session=reference,
        actor=admin,
        organization_id=org,
        data=OrganizationUpdate(version=current.version, description="Сиденья для Tier-1."),
    )
    reference.commit()
    created = reference.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "organization_names").order_by(AuditEntry.id)
    ).all()[-3:]
    first = reference.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "organizations", AuditEntry.entity_id == org)
    ).all()
    assert {e.change_id for e in created} == {first[0].change_id}  # created together
    assert first[-1].change_id != first[0].change_id  # the later edit is a change of its own

    changes = audit.list_changes(session=reference, actor=admin, filters=AuditFilter(), limit=2)
    edit, creation = changes.data
    assert [(e.action, e.entity_type) for e in edit.entries] == [("update", "organizations")]
    assert [e.entity_type for e in creation.entries] == ["organizations"] + ["organization_names"] * 3
    assert creation.actor == admin.label
    assert changes.count == reference.scalar(select(func.count(AuditEntry.change_id.distinct())))
    assert changes.count < reference.scalar(select(func.count(AuditEntry.id)))


def test_one_action_is_one_line_with_its_parts_folded_in(signed_in: Any, reference: Session) -> None:
    admin = make_actor(reference, "admin", email="boss@example.org")
    reference.commit()
    _new_supplier(reference, admin)
    client = signed_in("admin")
    doc = parse(client.get("/admin/audit?actor=boss@example.org").text)
    (line,) = doc.find_all("li", class_="audit-change")
    assert line.find("span", class_="badge-action").text == "создание"
    assert line.find("span", class_="audit-what").text.startswith("Организация")
    assert line.find("span", class_="audit-name").text == "«Андижан Сиденья»"  # what it is called
    assert "boss@example.org" in line.find("span", class_="audit-who").text
    assert line.find("p", class_="audit-parts").text == "Название организации: 3"
    folded = line.find("details", class_="audit-folded")
    assert folded.find("summary").text == "4 записи в базу"
    assert len(folded.find_all("li", class_="audit-entry")) == 4
    labels = {dt.text for dt in folded.find_all("dt")}
    assert "Название" in labels or "Значение" in labels  # field names in words, not columns

    english = parse(client.get("/admin/audit?actor=boss@example.org&lang=en").text)
    (line,) = english.find_all("li", class_="audit-change")
    assert line.find("span", class_="badge-action").text == "created"
    assert line.find("details", class_="audit-folded").find("summary").text == "4 writes to the database"


def test_an_action_of_many_writes_is_named_as_a_whole(signed_in: Any, reference: Session) -> None:
    """An import is headed "spreadsheet imported", not by the first organization it wrote, and
    every write it made is counted (the first one too)."""
    admin = make_actor(reference, "admin", email="importer@example.org")
    reference.commit()
    use_actor(reference, admin)
    content = (
        "name,name_lang,kind,country\nАндижан Сиденья,ru,supplier,UZ\nСамарские Фары,ru,supplier,RU\n"
    ).encode()
    import_file(session=reference, actor=admin, kind="org", name="suppliers.csv", content=content)
    reference.commit()
    client = signed_in("admin")
    doc = parse(client.get("/admin/audit?actor=importer@example.org").text)
    (line,) = doc.find_all("li", class_="audit-change")
    assert line.find("span", class_="audit-activity").text == "Импортирована таблица"
    assert not line.find("div", class_="audit-head").find_all("span", class_="badge-action")  # not a write
    parts = line.find("p", class_="audit-parts").text
    assert "Организация: 2" in parts and "Название организации: 2" in parts  # the records written
    assert line.find("div", class_="audit-head").find("span", class_="audit-name").text == "«suppliers.csv»"
    english = parse(client.get("/admin/audit?actor=importer@example.org&lang=en").text)
    assert english.find("span", class_="audit-activity").text == "Spreadsheet imported"
    (entry,) = reference.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert entry.activity == "import"


def test_every_named_activity_has_words_on_the_page() -> None:
    template = (Path(accounts_web.__file__).parent / "templates" / "admin" / "audit.html").read_text()
    for activity in Activity:
        assert f"'{activity.value}': t('audit.activity.{activity.value}')" in template


def test_a_link_reads_as_the_records_it_links_and_a_share_as_a_number(
    signed_in: Any, reference: Session
) -> None:
    admin = make_actor(reference, "admin", email="owner@example.org")
    reference.commit()
    use_actor(reference, admin)
    owner, owned = (
        service.create_organization(
            session=reference,
            actor=admin,
            data=OrganizationCreate(kind="supplier", country="UZ", names=[NameIn(value=name)]),
        ).id
        for name in ("Андижан Холдинг", "Андижан Сиденья")
    )
    service.add_ownership(
        session=reference,
        actor=admin,
        data=OwnershipCreate(owner_id=owner, owned_id=owned, share=Decimal("50.5")),
    )
    reference.commit()
    client = signed_in("admin")
    doc = parse(client.get("/admin/audit?actor=owner@example.org&entity_type=ownerships").text)
    values = {dt.text: dd.text for dt, dd in zip(doc.find_all("dt"), doc.find_all("dd"), strict=True)}
    assert "50,5" in values.values()  # the stored 50.50, in Russian
    assert "50.50" not in values.values()
    assert {"Андижан Холдинг", "Андижан Сиденья"} <= set(values.values())  # the records, not their ids
    assert doc.find("span", class_="audit-name").text == "«Андижан Холдинг — Андижан Сиденья»"


def test_a_merge_and_its_undoing_are_named(reference: Session) -> None:
    admin = make_actor(reference, "admin")
    reference.commit()
    survivor, merged = _new_supplier(reference, admin), _new_supplier(reference, admin)
    done = merge_organizations(session=reference, actor=admin, survivor_id=survivor, merged_id=merged)
    reference.commit()
    unmerge(session=reference, actor=admin, merge_id=done.id)
    reference.commit()
    undone, merge = audit.list_changes(session=reference, actor=admin, limit=2).data
    assert {e.activity for e in merge.entries} == {"merge"}
    assert {e.activity for e in undone.entries} == {"unmerge"}
    plain = audit.list_changes(session=reference, actor=admin, offset=2, limit=1).data[0]
    assert {e.activity for e in plain.entries} == {None}  # an organization created: no name of its own
