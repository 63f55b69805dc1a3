"""A NUL character (U+0000) is refused wherever it comes, before the database: multipart form
fields of the API, upload file names, XLSX cells (as OOXML's _x0000_ escape), and every field of
the web's forms, multipart or not, answered in the reader's language."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from cooplab.core.actor import SYSTEM
from cooplab.registry.exchange import import_file
from cooplab.registry.models import Organization


def count(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Organization))


def test_a_nul_in_a_multipart_field_of_the_api_is_refused_in_the_one_shape(client, session):
    files = {"file": ("orgs.csv", b"name,kind\nZavod,oem\n", "text/csv")}
    for data in ({"published": "2024-01-01\x00"}, {"extra": "a\x00b"}):
        answer = client.post("/api/v1/import/org", files=files, data=data)
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "invalid_input" and error["details"][0]["msg"] == "contains a NUL character"
    raw = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="orgs\x00.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\nname,kind\nZ,oem\n\r\n--b--\r\n"
    )
    named = client.post(
        "/api/v1/import/org", content=raw, headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert named.status_code == 422 and named.json()["error"]["details"][0]["loc"] == ["body", "file"]
    assert count(session) == 0
    assert (
        client.post("/api/v1/import/org", files=files).status_code == 200
    )  # binary-safe: no NUL, no refusal


def test_a_nul_in_a_binary_upload_is_not_taken_for_text(client, session):
    book = Workbook()
    book.active.append(["name", "kind"])
    book.active.append(["Zavod", "oem"])
    out = io.BytesIO()
    book.save(out)
    assert b"\x00" in out.getvalue()  # a zip holds NUL bytes: the file itself is no text field
    answer = client.post(
        "/api/v1/import/org", files={"file": ("orgs.xlsx", out.getvalue(), "application/octet-stream")}
    )
    assert answer.status_code == 200, answer.text


def test_an_xlsx_cell_cannot_bring_a_nul(session):
    """XML forbids U+0000 and the reader leaves OOXML's _x0000_ escape as written, so a cell can
    hold no NUL: the text is kept as it reads."""
    book = Workbook()
    book.active.append(["name", "kind"])
    book.active.append(["Zavod_x0000_ Tolyatti", "supplier"])
    out = io.BytesIO()
    book.save(out)
    import_file(session=session, actor=SYSTEM, kind="org", name="orgs.xlsx", content=out.getvalue())
    assert session.scalars(select(Organization.name)).all() == ["Zavod_x0000_ Tolyatti"]
