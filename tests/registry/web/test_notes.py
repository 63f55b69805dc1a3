"""Notes on the organization page: each reader sees exactly the notes their role and organization
allow, nothing of the others (not the text, not a count); writing and deleting."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.accounts.service import actor_of
from cooplab.registry import notes
from cooplab.registry.models import OrganizationNote
from tests.html import parse
from tests.webkit import csrf_of, organization_id

#: Notes about UzAuto Motors, written by its member (A) and by AVTOVAZ's member (B).
NOTES = {
    "a-private": ("member", "organization", "Цена штамповки A: 41 000 сум за деталь."),
    "a-parties": ("member", "parties", "Условия A только для сторон."),
    "b-private": ("member_other", "organization", "Внутренняя оценка B: рискованный партнёр."),
    "b-parties": ("member_other", "parties", "Переговоры B с UzAuto: объём 20 000 в год."),
    "members": ("member_other", "members", "Контакт отдела закупок для участников."),
    "public": ("member", "public", "Открытый факт: завод в Асаке."),
}
#: Who sees which, written out independently of the code (docs/access.md): "parties" are the
#: organization the note is about (UzAuto, A) and the writer's organization.
SEES = {
    "anonymous": {"public"},
    "viewer": {"members", "public"},
    "member": {"a-private", "a-parties", "b-parties", "members", "public"},
    "member_other": {"b-private", "b-parties", "members", "public"},
    "analyst": {"a-private", "b-private", "members", "public"},
    "admin": set(NOTES),
}


@pytest.fixture
def noted(reference: Session, users: dict[str, Any]) -> dict[str, int]:
    """The notes of NOTES about UzAuto Motors; their ids by key."""
    org = organization_id(reference, "UzAuto Motors")
    ids = {}
    for key, (writer, visibility, text) in NOTES.items():
        note = notes.add_note(
            session=reference,
            actor=actor_of(users[writer]),
            organization_id=org,
            data=notes.NoteCreate(text=text, visibility=visibility),
        )
        ids[key] = note.id
    reference.commit()
    return ids


def reader(role: str, client: TestClient, signed_in: Any) -> TestClient:
    return client if role == "anonymous" else signed_in(role)


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_reader_sees_exactly_the_notes_allowed(
    role: str, client: TestClient, signed_in: Any, reference: Session, noted: dict[str, int]
) -> None:
    org = organization_id(reference, "UzAuto Motors")
    body = reader(role, client, signed_in).get(f"/organizations/{org}").text
    for key, (_, _, text) in NOTES.items():
        if key in SEES[role]:
            assert text in body, (role, key)
        else:  # not the text, not its id, anywhere on the page
            assert text not in body, (role, key)
            assert f"note-{noted[key]}" not in body and f"/notes/{noted[key]}/" not in body, (role, key)
    section = parse(body).find("section", id="notes")
    assert len(section.find_all("li", class_="note-item")) == len(SEES[role])
    assert section.find("h2").text == f"Заметки {len(SEES[role])}"


def test_other_organizations_pages_show_none_of_these_notes(
    signed_in: Any, reference: Session, noted: dict[str, int]
) -> None:
    client = signed_in("member_other")
    for url in (
        "/",
        f"/organizations/{organization_id(reference, 'AVTOVAZ')}",
        "/organizations",
        "/search?q=штамповки",
    ):
        body = client.get(url).text
        assert all(text not in body for _, _, text in NOTES.values()), url


def test_notes_show_their_visibility_and_author(
    signed_in: Any, reference: Session, noted: dict[str, int]
) -> None:
    org = organization_id(reference, "UzAuto Motors")
    doc = parse(signed_in("admin").get(f"/organizations/{org}").text)
    items = {li.attrs["id"]: li for li in doc.find("section", id="notes").find_all("li", class_="note-item")}
    private = items[f"note-{noted['a-private']}"]
    assert private.find("span", class_="badge-visibility").text == "только моя организация"
    assert "Азиз Рахимов · UzAuto Motors" in private.find("span", class_="note-author").text
    badges = {key: items[f"note-{noted[key]}"].find("span", class_="badge-visibility").text for key in noted}
    assert badges["a-parties"] == "стороны" and badges["members"] == "для участников"
    assert badges["public"] == "публичная"
    english = parse(signed_in("admin").get(f"/organizations/{org}?lang=en").text)
    assert "my organization only" in english.find("section", id="notes").text


def test_a_member_adds_a_note_private_by_default(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    client = signed_in("member")
    org = organization_id(reference, "AVTOVAZ")
    form = parse(client.get(f"/organizations/{org}").text).find("form", class_="note-form")
    chosen = [o for o in form.find("select", name="visibility").find_all("option") if "selected" in o.attrs]
    assert chosen[0].attrs["value"] == "organization"
    response = client.post(
        f"/organizations/{org}/notes",
        data={
            "csrf_token": form.find("input", name="csrf_token").attrs["value"],
            "text": "Визит в Тольятти: <b>итоги</b>.",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == f"/organizations/{org}#notes"
    page = client.get(f"/organizations/{org}").text
    assert "Визит в Тольятти: &lt;b&gt;итоги&lt;/b&gt;." in page
    assert parse(page).find("div", class_="flash").text == "Заметка добавлена."
    note = reference.scalars(select(OrganizationNote).where(OrganizationNote.organization_id == org)).one()
    assert (note.visibility, note.author_id, note.owner_organization_id) == (
        "organization",
        users["member"].id,
        users["member"].organization_id,
    )
    # the other member's organization does not see it; AVTOVAZ's own member does not either
    assert "Визит в Тольятти" not in signed_in("member_other").get(f"/organizations/{org}").text


def test_a_note_can_be_shared(signed_in: Any, reference: Session) -> None:
    client = signed_in("member")
    org = organization_id(reference, "AVTOVAZ")
    token = csrf_of(client, f"/organizations/{org}")
    assert (
        client.post(
            f"/organizations/{org}/notes",
            data={"csrf_token": token, "text": "Для обеих сторон.", "visibility": "parties"},
        ).status_code
        == 303
    )
    assert "Для обеих сторон." in signed_in("member_other").get(f"/organizations/{org}").text
    assert "Для обеих сторон." not in signed_in("viewer").get(f"/organizations/{org}").text


@pytest.mark.parametrize(
    "text, visibility, field, message",
    [
        ("   ", "organization", "text", "Заполните это поле."),
        ("Текст", "everyone", "visibility", "Выберите значение из списка."),
        ("Я" * 20001, "organization", "text", "не больше 20000"),
    ],
)
def test_a_bad_note_is_refused_at_its_field(
    signed_in: Any, reference: Session, text: str, visibility: str, field: str, message: str
) -> None:
    client = signed_in("analyst")
    org = organization_id(reference, "AVTOVAZ")
    response = client.post(
        f"/organizations/{org}/notes",
        data={"csrf_token": csrf_of(client, f"/organizations/{org}"), "text": text, "visibility": visibility},
    )
    assert response.status_code == 422
    form = parse(response.text).find("form", class_="note-form")
    control = form.find("textarea" if field == "text" else "select", name=field)
    assert control.attrs.get("aria-invalid") == "true"
    assert message in control.closest("field").find("p", class_="field-error").text
    assert reference.scalar(select(func.count()).select_from(OrganizationNote)) == 0


def test_readers_without_the_right_to_write_get_no_form(
    client: TestClient, signed_in: Any, reference: Session
) -> None:
    org = organization_id(reference, "AVTOVAZ")
    assert not parse(client.get(f"/organizations/{org}").text).find_all("form", class_="note-form")
    viewer = signed_in("viewer")
    assert not parse(viewer.get(f"/organizations/{org}").text).find_all("form", class_="note-form")
    response = viewer.post(
        f"/organizations/{org}/notes", data={"csrf_token": csrf_of(viewer, "/account"), "text": "Нельзя."}
    )
    assert response.status_code == 403
    assert client.post(f"/organizations/{org}/notes", data={"text": "Нельзя."}).status_code == 401
    assert reference.scalar(select(func.count()).select_from(OrganizationNote)) == 0


def test_only_the_author_or_an_admin_deletes_a_note(
    signed_in: Any, reference: Session, noted: dict[str, int]
) -> None:
    org = organization_id(reference, "UzAuto Motors")
    url = f"/organizations/{org}/notes/{noted['a-private']}/delete"
    author, analyst, other, admin = (signed_in(r) for r in ("member", "analyst", "member_other", "admin"))
    assert parse(author.get(f"/organizations/{org}").text).find("form", action=url)
    # the analyst sees the note but may not delete it
    analyst_page = parse(analyst.get(f"/organizations/{org}").text)
    assert analyst_page.find("li", id=f"note-{noted['a-private']}")
    assert not analyst_page.find_all("form", action=url)
    assert analyst.post(url, data={"csrf_token": csrf_of(analyst, "/account")}).status_code == 403
    # the other member may not see it: for them it does not exist
    assert other.post(url, data={"csrf_token": csrf_of(other, "/account")}).status_code == 404
    # nor under another organization's address
    avtovaz = organization_id(reference, "AVTOVAZ")
    wrong = f"/organizations/{avtovaz}/notes/{noted['a-private']}/delete"
    assert admin.post(wrong, data={"csrf_token": csrf_of(admin, "/account")}).status_code == 404
    assert reference.get(OrganizationNote, noted["a-private"]) is not None
    # the author deletes it
    response = author.post(url, data={"csrf_token": csrf_of(author, "/account")})
    assert response.status_code == 303
    assert (
        parse(author.get(response.headers["location"]).text).find("div", class_="flash").text
        == "Заметка удалена."
    )
    reference.expire_all()
    assert reference.get(OrganizationNote, noted["a-private"]) is None
    # an admin deletes anyone's
    public = f"/organizations/{org}/notes/{noted['public']}/delete"
    assert admin.post(public, data={"csrf_token": csrf_of(admin, "/account")}).status_code == 303
