"""A NUL character in a web form, URL-encoded or multipart: in a field's text, the form is shown
again with the error at that field in the reader's language, like any invalid value; in a file's
name, or where a page reads a value without a schema (the sign-in form), it is refused with a
page naming the field. Nothing reaches the database either way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.models import OrganizationName
from tests.html import parse
from tests.registry.web.test_forms import edit_form, form_fields
from tests.webkit import organization_id


def described(session: Session, org_id: int) -> str | None:
    session.expire_all()
    return service.organization_detail(session=session, actor=SYSTEM, organization_id=org_id).description


def shown_error(page: str, tag: str, name: str) -> str:
    """The error shown at the form's control `tag` named `name` (the text typed is shown again
    as it came, NUL included, which the test's parser does not read)."""
    control = parse(page.replace("\x00", "")).find(tag, name=name)
    assert control.attrs.get("aria-invalid") == "true", f"{name} is not marked"
    return " ".join(p.text for p in control.closest("field").find_all("p", class_="field-error"))


def test_a_nul_in_an_edit_form_shows_the_form_again_with_the_error_at_its_field(
    signed_in: Any, reference: Session
) -> None:
    analyst = signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    before = described(reference, org_id)
    data = edit_form(analyst, org_id)
    data["description"] = "Zavod\x00 Asaka"
    data["website"] = "https://uzautomotors.com"
    as_multipart = {k: (None, v) for k, v in data.items()}
    for answer in (
        analyst.post(f"/organizations/{org_id}/edit", data=data),
        analyst.post(f"/organizations/{org_id}/edit", files=as_multipart),
    ):
        assert answer.status_code == 422, answer.text[:300]
        assert "символ NUL" in shown_error(answer.text, "textarea", "description")
        doc = parse(answer.text.replace("\x00", ""))
        assert doc.find("input", name="website").attrs["value"] == "https://uzautomotors.com"  # input kept
    english = analyst.post(f"/organizations/{org_id}/edit?lang=en", files=as_multipart)
    assert "holds a NUL character" in shown_error(english.text, "textarea", "description")
    assert described(reference, org_id) == before


def test_a_nul_in_a_new_record_or_a_note_saves_nothing(signed_in: Any, reference: Session) -> None:
    analyst = signed_in("analyst")
    new = form_fields(parse(analyst.get("/organizations/new").text))
    new.update({"names-0-value": "Завод\x00 Нуль", "names-0-lang": "en", "kind": "supplier"})
    answer = analyst.post("/organizations/new", data=new)
    assert answer.status_code == 422
    assert "символ NUL" in shown_error(answer.text, "input", "names-0-value")
    named = select(func.count()).select_from(OrganizationName).where(OrganizationName.value.like("%Нуль%"))
    assert reference.scalar(named) == 0
    org_id = organization_id(reference, "UzAuto Motors")
    page = parse(analyst.get(f"/organizations/{org_id}").text)
    token = page.find("input", name="csrf_token").attrs["value"]
    answer = analyst.post(
        f"/organizations/{org_id}/notes",
        data={"csrf_token": token, "text": "Цены\x00", "visibility": "members"},
    )
    assert answer.status_code == 422
    assert "символ NUL" in shown_error(answer.text, "textarea", "text")
    assert analyst.get(f"/api/v1/organizations/{org_id}/notes").json()["count"] == 0


def test_a_nul_in_an_uploaded_file_name_or_the_sign_in_form(
    signed_in: Any, client: Any, reference: Session
) -> None:
    analyst = signed_in("analyst")
    token = parse(analyst.get("/ingest").text).find("input", name="csrf_token").attrs["value"]
    raw = (
        b'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode() + b"\r\n"
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="report\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + "Отчёт о визите".encode() + b"\r\n--b--\r\n"
    )
    upload = analyst.post("/ingest", content=raw, headers={"content-type": "multipart/form-data; boundary=b"})
    assert upload.status_code == 422 and "Поле «file» содержит символ NUL" in upload.text
    login = parse(client.get("/login").text).find("input", name="csrf_token").attrs["value"]
    signed = client.post("/login", data={"email": "a\x00@example.org", "password": "x", "csrf_token": login})
    assert signed.status_code == 422 and "Поле «email» содержит символ NUL" in signed.text
