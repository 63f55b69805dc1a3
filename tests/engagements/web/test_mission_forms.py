"""Editing a mission in the web UI: its fields, its programme, agreements and delegation, and
deleting it; each form posted with its CSRF token, errors at their fields in the reader's
language with what was typed kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    EventIn,
    MissionCreate,
)
from cooplab.errors import NotFoundError
from tests.factories import make_person
from tests.html import Element, parse
from tests.webkit import organization_id


@pytest.fixture
def analyst(signed_in: Any) -> TestClient:
    """Missions are edited by an analyst, who may edit the whole registry (as in the API)."""
    return signed_in("analyst")


@pytest.fixture
def mission(reference: Session, users: Any) -> int:
    data = MissionCreate(
        title="Визит в Ташкент",
        start="2024-02-27",
        end="2024-03-02",
        visibility="members",
        organizer_ids=[organization_id(reference, "AVTOVAZ")],
        organization_ids=[organization_id(reference, "UzAuto Motors")],
    )
    made = service.create_mission(session=reference, actor=SYSTEM, data=data).id
    reference.commit()
    return made


def page_form(client: TestClient, url: str, action: str) -> dict[str, Any]:
    """What a browser submits from the form of `url` posting to `action`, as rendered (every
    chosen option of a choice of several)."""
    doc = parse(client.get(url).text)
    form = next(f for f in doc.find_all("form") if f.attrs.get("action") == action)
    data: dict[str, Any] = {}
    for el in form.iter():
        name = el.attrs.get("name")
        if not name:
            continue
        if el.tag == "input":
            data[name] = el.attrs.get("value", "")
        elif el.tag == "textarea":
            data[name] = el.text
        elif el.tag == "select":
            chosen = [o.attrs.get("value", "") for o in el.find_all("option") if "selected" in o.attrs]
            if "multiple" in el.attrs:
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else el.find("option").attrs.get("value", "")
    return data


def error_at(doc: Element, name: str) -> str:
    """The error shown in the field box of the control named `name`."""
    control = next(el for el in doc.iter() if el.attrs.get("name") == name and el.tag != "form")
    box = control.closest("field")
    assert "has-error" in box.attrs["class"], f"{name} is not marked"
    return " ".join(p.text for p in box.find_all("p", class_="field-error"))


def read(session: Session, mission_id: int) -> Any:
    session.expire_all()
    return service.mission_detail(session=session, actor=SYSTEM, mission_id=mission_id)


# ---------------------------------------------------------------- the mission itself


def test_the_mission_page_links_to_its_edit_form_for_those_who_may_edit(
    analyst: TestClient, signed_in: Any, mission: int
) -> None:
    assert f"/missions/{mission}/edit" in analyst.get(f"/missions/{mission}").text
    member = signed_in("member")
    assert f"/missions/{mission}/edit" not in member.get(f"/missions/{mission}").text
    assert member.get(f"/missions/{mission}/edit").status_code == 403
    assert signed_in("viewer").get(f"/missions/{mission}/edit").status_code == 403


def test_editing_a_mission_saves_its_title_dates_organizers_and_visibility(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    uzauto = organization_id(reference, "UzAuto Motors")
    data = page_form(analyst, f"/missions/{mission}/edit", f"/missions/{mission}/edit")
    assert data["title"] == "Визит в Ташкент" and data["start"] == "2024-02-27"
    data |= {
        "title": "Визит в Андижан",
        "start": "2024-03-04",
        "end": "2024-03-06",
        "visibility": "organization",
        "organizer_ids": [str(uzauto)],
        "description": "Итоги переговоров",
    }
    response = analyst.post(f"/missions/{mission}/edit", data=data)
    assert response.status_code == 303, response.text[:800]
    saved = read(reference, mission)
    assert (saved.title, saved.start, saved.end) == ("Визит в Андижан", date(2024, 3, 4), date(2024, 3, 6))
    assert (saved.visibility, saved.description) == ("organization", "Итоги переговоров")
    roles = {o.organization.name: o.role for o in saved.organizations}
    assert roles == {"UzAuto Motors": "organizer", "AVTOVAZ": "participant"}


def test_a_bad_mission_edit_is_shown_again_with_errors_at_the_fields(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    data = page_form(analyst, f"/missions/{mission}/edit", f"/missions/{mission}/edit")
    data |= {"title": "Визит в Самарканд", "start": "2024-03-06", "end": "2024-03-04"}
    response = analyst.post(f"/missions/{mission}/edit", data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    assert "раньше" in error_at(doc, "end") or "начал" in error_at(doc, "end")
    assert doc.find("input", name="title").attrs["value"] == "Визит в Самарканд"
    data |= {"title": "", "end": "2024-03-07"}
    english = parse(analyst.post(f"/missions/{mission}/edit?lang=en", data=data).text)
    assert error_at(english, "title") and not any(
        "\u0400" <= c <= "\u04ff" for c in error_at(english, "title")
    )
    assert read(reference, mission).title == "Визит в Ташкент"


def test_a_mission_edit_without_its_token_is_refused(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    data = page_form(analyst, f"/missions/{mission}/edit", f"/missions/{mission}/edit")
    data |= {"title": "Визит в Фергану", "csrf_token": ""}
    assert analyst.post(f"/missions/{mission}/edit", data=data).status_code == 403
    assert read(reference, mission).title == "Визит в Ташкент"


def test_a_mission_is_deleted_after_a_confirmation_page(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    confirm = analyst.get(f"/missions/{mission}/delete")
    assert confirm.status_code == 200 and "Визит в Ташкент" in confirm.text
    assert read(reference, mission).title  # asking changes nothing
    data = page_form(analyst, f"/missions/{mission}/delete", f"/missions/{mission}/delete")
    response = analyst.post(f"/missions/{mission}/delete", data=data)
    assert response.status_code == 303 and response.headers["location"] == "/missions"
    with pytest.raises(NotFoundError):
        read(reference, mission)


# ---------------------------------------------------------------- the programme


def test_events_are_added_edited_and_deleted(analyst: TestClient, reference: Session, mission: int) -> None:
    uzauto = organization_id(reference, "UzAuto Motors")
    url, action = f"/missions/{mission}/events/new", f"/missions/{mission}/events"
    data = page_form(analyst, url, action) | {
        "kind": "visit",
        "start": "2024-02-28",
        "summary": "Визит на завод в Асаке",
        "organization_ids": [str(uzauto)],
    }
    assert analyst.post(action, data=data).status_code == 303
    [event] = read(reference, mission).events
    assert (event.kind, event.start, [o.id for o in event.organizations]) == (
        "visit",
        date(2024, 2, 28),
        [uzauto],
    )
    page = analyst.get(f"/missions/{mission}").text
    assert "Визит на завод в Асаке" in page and f"/events/{event.id}/edit" in page

    edit = f"/events/{event.id}/edit"
    data = page_form(analyst, edit, edit)
    assert data["organization_ids"] == [str(uzauto)]
    bad = analyst.post(edit, data=data | {"summary": ""})
    assert bad.status_code == 422 and error_at(parse(bad.text), "summary")
    bad = analyst.post(edit, data=data | {"summary": "Визит в Асаку", "end": "2024-02-01"})
    assert bad.status_code == 422 and error_at(parse(bad.text), "end")
    assert parse(bad.text).find("textarea", name="summary").text == "Визит в Асаку"
    data |= {"summary": "Переговоры в Ташкенте", "kind": "meeting", "organization_ids": []}
    assert analyst.post(edit, data=data).status_code == 303
    [event] = read(reference, mission).events
    assert (event.summary, event.kind, event.organizations) == ("Переговоры в Ташкенте", "meeting", [])

    data = page_form(analyst, edit, f"/events/{event.id}/delete")
    assert analyst.post(f"/events/{event.id}/delete", data=data).status_code == 303
    assert read(reference, mission).events == []


def test_an_event_edit_made_on_an_old_version_is_refused(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    made = service.add_event(
        session=reference, actor=SYSTEM, mission_id=mission, data=EventIn(kind="meeting", summary="Встреча")
    )
    reference.commit()
    edit = f"/events/{made.id}/edit"
    data = page_form(analyst, edit, edit)
    assert analyst.post(edit, data=data | {"summary": "Встреча в министерстве"}).status_code == 303
    stale = analyst.post(edit, data=data | {"summary": "Встреча в посольстве"})
    assert stale.status_code == 409
    assert read(reference, mission).events[0].summary == "Встреча в министерстве"


# ---------------------------------------------------------------- agreements


def test_agreements_are_added_with_parties_and_a_date_edited_and_deleted(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    avtovaz, uzauto = organization_id(reference, "AVTOVAZ"), organization_id(reference, "UzAuto Motors")
    url, action = f"/missions/{mission}/agreements/new", f"/missions/{mission}/agreements"
    data = page_form(analyst, url, action)
    assert sorted(data["party_ids"]) == sorted([str(avtovaz), str(uzauto)])  # the mission's organizations
    none = analyst.post(action, data=data | {"subject": "О поставках", "party_ids": []})
    assert none.status_code == 422 and error_at(parse(none.text), "party_ids")
    assert parse(none.text).find("textarea", name="subject").text == "О поставках"
    data |= {"subject": "О локализации производства", "signed_on": "2024-02-29", "visibility": "members"}
    assert analyst.post(action, data=data).status_code == 303
    [agreement] = read(reference, mission).agreements
    assert agreement.signed_on == date(2024, 2, 29) and {p.id for p in agreement.parties} == {avtovaz, uzauto}
    assert "О локализации производства" in analyst.get(f"/missions/{mission}").text

    edit = f"/agreements/{agreement.id}/edit"
    data = page_form(analyst, edit, edit) | {"kind": "contract", "party_ids": [str(uzauto)], "signed_on": ""}
    assert analyst.post(edit, data=data).status_code == 303
    [agreement] = read(reference, mission).agreements
    assert (agreement.kind, agreement.signed_on, [p.id for p in agreement.parties]) == (
        "contract",
        None,
        [uzauto],
    )

    data = page_form(analyst, edit, f"/agreements/{agreement.id}/delete")
    assert analyst.post(f"/agreements/{agreement.id}/delete", data=data).status_code == 303
    assert read(reference, mission).agreements == []


# ---------------------------------------------------------------- the delegation


def test_participants_are_added_edited_and_removed_and_shown_by_side(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    avtovaz, uzauto = organization_id(reference, "AVTOVAZ"), organization_id(reference, "UzAuto Motors")
    russian, uzbek = make_person(reference, "Максим Соколов").id, make_person(reference, "Шерзод Маматов").id
    guest = make_person(reference, "Ким Мин Су").id
    reference.commit()
    action = f"/missions/{mission}/participants"
    form = page_form(analyst, f"{action}/new", action)
    missing = analyst.post(action, data=form)
    assert missing.status_code == 422 and error_at(parse(missing.text), "person_id")
    for person, org, title in (
        (russian, avtovaz, "вице-президент"),
        (uzbek, uzauto, "директор"),
        (guest, "", ""),
    ):
        data = form | {"person_id": str(person), "organization_id": str(org), "title": title}
        assert analyst.post(action, data=data).status_code == 303

    doc = parse(analyst.get(f"/missions/{mission}").text)
    section = doc.find("section", **{"aria-labelledby": "participants-title"})
    sides = [h.attrs["id"] for h in section.find_all("h3")]
    assert sides == ["side-ru", "side-uz", "side-other"]
    lists = section.find_all("ul")
    assert "Максим Соколов" in lists[0].text and "Шерзод Маматов" not in lists[0].text
    assert "Шерзод Маматов" in lists[1].text and "Ким Мин Су" in lists[2].text

    row = next(p for p in read(reference, mission).participants if p.person.id == uzbek)
    edit = f"/missions/{mission}/participants/{row.id}/edit"
    data = page_form(analyst, edit, edit) | {"title": "главный инженер", "organization_id": str(avtovaz)}
    assert analyst.post(edit, data=data).status_code == 303
    row = next(p for p in read(reference, mission).participants if p.person.id == uzbek)
    assert (row.title, row.organization.id) == ("главный инженер", avtovaz)

    remove = f"/missions/{mission}/participants/{row.id}/delete"
    assert analyst.post(remove, data=page_form(analyst, edit, remove)).status_code == 303
    assert uzbek not in {p.person.id for p in read(reference, mission).participants}
    assert analyst.get(edit).status_code == 404


# ---------------------------------------------------------------- next steps


def test_my_next_steps_are_mine_with_the_overdue_ones_first(
    signed_in: Any, reference: Session, users: Any, mission: int
) -> None:
    uzauto = organization_id(reference, "UzAuto Motors")
    today = date.today()
    for title, due, org in (
        ("Согласовать график", today + timedelta(days=30), uzauto),
        ("Отправить образцы", today - timedelta(days=3), uzauto),
        ("Чужой шаг", today - timedelta(days=9), None),
    ):
        data = ActionItemCreate(
            title=title, due=due, responsible_organization_id=org, mission_id=mission, visibility="members"
        )
        service.create_action_item(session=reference, actor=SYSTEM, data=data)
    reference.commit()
    member = signed_in("member")  # of UzAuto Motors
    doc = parse(member.get("/steps").text)
    rows = doc.find("tbody").find_all("tr")
    assert [r.find("td").text.split("Миссия")[0].strip() for r in rows] == [
        "Отправить образцы",
        "Согласовать график",
    ]
    assert "overdue" in rows[0].attrs.get("class", "") and "overdue" not in rows[1].attrs.get("class", "")
    everything = parse(member.get("/steps?all=1").text).find("tbody").find_all("tr")
    assert everything[0].find("td").text.startswith("Чужой шаг")


def test_the_report_names_both_the_responsible_person_and_organization(
    analyst: TestClient, reference: Session, mission: int
) -> None:
    person = make_person(reference, "Азиз Рахимов").id
    data = ActionItemCreate(
        title="Отправить образцы",
        responsible_person_id=person,
        responsible_organization_id=organization_id(reference, "UzAuto Motors"),
        mission_id=mission,
        visibility="members",
    )
    service.create_action_item(session=reference, actor=SYSTEM, data=data)
    reference.commit()
    report = analyst.get(f"/missions/{mission}/report.md?lang=ru").text
    line = next(line for line in report.splitlines() if "Отправить образцы" in line)
    assert "Азиз Рахимов" in line and "UzAuto Motors" in line


def test_my_next_steps_without_an_organization_are_those_i_created(
    analyst: TestClient, signed_in: Any, reference: Session, mission: int
) -> None:
    """An analyst of no organization's steps: the ones they added, not everyone's."""
    data = ActionItemCreate(title="Чужой шаг", mission_id=mission, visibility="members")
    service.create_action_item(session=reference, actor=SYSTEM, data=data)
    reference.commit()
    admin = signed_in("admin")  # of no organization
    form = page_form(admin, f"/missions/{mission}", f"/missions/{mission}/steps")
    assert admin.post(f"/missions/{mission}/steps", data=form | {"step-title": "Мой шаг"}).status_code == 303
    mine = parse(admin.get("/steps").text).find("tbody").text
    assert "Мой шаг" in mine and "Чужой шаг" not in mine
    assert "Чужой шаг" in parse(admin.get("/steps?all=1").text).find("tbody").text


def test_overdue_steps_come_before_done_ones_due_earlier(
    signed_in: Any, reference: Session, users: Any, mission: int
) -> None:
    today = date.today()
    for title, due in (
        ("Давно сделано", today - timedelta(days=60)),
        ("Просрочено", today - timedelta(days=2)),
    ):
        data = ActionItemCreate(title=title, due=due, mission_id=mission, visibility="members")
        made = service.create_action_item(session=reference, actor=SYSTEM, data=data)
        if title == "Давно сделано":
            service.update_action_item(
                session=reference,
                actor=SYSTEM,
                item_id=made.id,
                data=ActionItemUpdate(version=1, status="done"),
            )
    reference.commit()
    rows = parse(signed_in("analyst").get("/steps?all=1&done=1").text).find("tbody").find_all("tr")
    assert [r.find("td").text.split("Миссия")[0].strip() for r in rows] == ["Просрочено", "Давно сделано"]
