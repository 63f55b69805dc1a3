"""A NUL character in any web form, URL-encoded or multipart, in a field or a file name, is
refused before the database with a page in the reader's language naming the field."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from tests.html import parse
from tests.registry.web.test_forms import edit_form
from tests.webkit import organization_id


def described(session: Session, org_id: int) -> str | None:
    session.expire_all()
    return service.organization_detail(session=session, actor=SYSTEM, organization_id=org_id).description


def test_a_nul_in_an_edit_form_is_refused_multipart_or_not(signed_in: Any, reference: Session) -> None:
    analyst = signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    before = described(reference, org_id)
    data = edit_form(analyst, org_id)
    data["description"] = "Zavod\x00 Asaka"
    as_multipart = {k: (None, v) for k, v in data.items()}
    for answer in (
        analyst.post(f"/organizations/{org_id}/edit", data=data),
        analyst.post(f"/organizations/{org_id}/edit", files=as_multipart),
    ):
        assert answer.status_code == 422, answer.text[:300]
        assert "text/html" in answer.headers["content-type"]
        assert "Поле «description» содержит символ NUL" in parse(answer.text).text
    english = analyst.post(f"/organizations/{org_id}/edit?lang=en", files=as_multipart)
    assert english.status_code == 422 and "holds a NUL character" in english.text
    assert described(reference, org_id) == before


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
    signed = client.post("/login", data={"email": "a\x00@example.org", "password": "x", "csrf_token": "y"})
    assert signed.status_code == 422 and "символ NUL" in signed.text
