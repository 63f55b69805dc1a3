"""The spreadsheet pages: upload, a preview that writes nothing and lists every bad row and field
in the reader's language, a confirmation that imports exactly the previewed file (audited), and
the export buttons of the lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.core.audit import AuditEntry
from cooplab.registry.models import Organization, Place
from tests.html import parse
from tests.webkit import csrf_of

BAD = (
    "name,kind,country,inn,tier\n"
    "Новый завод,supplier,UZ,,1\n"
    "Плохой ИНН,supplier,RU,7736050004,\n"
    ",oem,UZ,,\n"
    "Завод без вида,спутник,UZ,,\n"
).encode()
GOOD = "Название,Вид,Страна,ИНН\nТольяттинский литейный завод,supplier,RU,\nАндижанский штамп,supplier,UZ,\n"


def preview(client: Any, kind: str, name: str, content: bytes, lang: str = "en") -> Any:
    token = csrf_of(client, f"/import/{kind}?lang={lang}")
    return client.post(
        f"/import/{kind}",
        data={"csrf_token": token},
        files={"file": (name, content, "application/octet-stream")},
    )


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def problems(response: Any) -> list[list[str]]:
    table = parse(response.text).find("table", id="problems")
    assert table is not None, response.text[:800]
    return [[td.text.strip() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def test_a_bad_sheet_lists_every_bad_row_in_the_readers_language_and_writes_nothing(
    signed_in: Any, session: Session
) -> None:
    client = signed_in("analyst")
    before = count(session, Organization)
    response = preview(client, "org", "orgs.csv", BAD, lang="ru")
    assert response.status_code == 422
    rows = problems(response)
    assert [r[:2] for r in rows] == [["3", "ИНН (inn)"], ["4", "Название (name)"], ["5", "Вид (kind)"]], rows
    assert "Неверная контрольная цифра" in rows[0][2] or "контрольн" in rows[0][2].lower(), rows
    assert all(r[2] and not r[2].isascii() for r in rows), rows  # said in Russian
    assert "orgs.csv" in response.text
    assert count(session, Organization) == before


def test_preview_counts_then_confirm_imports_exactly_that_file_audited(
    signed_in: Any, session: Session
) -> None:
    client = signed_in("analyst")
    before = count(session, Organization)
    response = preview(client, "org", "новые.csv", GOOD.encode())
    assert response.status_code == 200, response.text[:800]
    html = parse(response.text)
    assert html.find("dd", **{"data-count": "created"}).text.strip() == "2"
    assert count(session, Organization) == before  # a preview writes nothing
    form = html.find("form", action="/import/org/confirm")
    data = {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input")}
    done = client.post("/import/org/confirm", data=data)
    assert done.status_code == 303 and done.headers["location"] == "/organizations"
    assert count(session, Organization) == before + 2
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.after["file"] == "новые.csv" and entry.after["created"] == 2
    again = client.post("/import/org/confirm", data=data)  # the held file is gone once imported
    assert again.status_code == 404
    assert count(session, Organization) == before + 2


def test_a_held_file_is_only_its_uploaders(signed_in: Any, session: Session) -> None:
    response = preview(signed_in("analyst"), "place", "places.csv", "name,country\nМаргилан,UZ\n".encode())
    form = parse(response.text).find("form", action="/import/place/confirm")
    data = {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input")}
    admin = signed_in("admin")
    data["csrf_token"] = csrf_of(admin, "/import/place")
    before = count(session, Place)
    assert admin.post("/import/place/confirm", data=data).status_code == 404
    assert count(session, Place) == before


def test_a_text_file_named_xlsx_is_refused_naming_the_file(signed_in: Any) -> None:
    client = signed_in("analyst")
    ru = preview(client, "org", "список.xlsx", "name,kind\nЗавод,oem\n".encode(), lang="ru")
    assert ru.status_code == 422
    text = parse(ru.text).find(role="alert").text
    assert "список.xlsx" in text and "не файл XLSX" in text
    en = preview(client, "org", "list.xlsx", b"name,kind\nPlant,oem\n", lang="en")
    assert "not an XLSX file" in parse(en.text).find(role="alert").text


def test_a_file_over_the_limit_is_refused_with_the_limit(signed_in: Any, app: Any) -> None:
    client = signed_in("analyst")
    app.state.settings = app.state.settings.model_copy(update={"max_upload_bytes": 1024 * 1024})
    big = b"name,kind\n" + b"x" * (1024 * 1024 + 10)
    response = preview(client, "org", "big.csv", big)
    assert response.status_code == 413
    assert "1 MB" in response.text


def test_viewers_may_not_import_but_see_export_buttons(signed_in: Any) -> None:
    viewer = signed_in("viewer")
    assert viewer.get("/import/org").status_code == 403
    page = parse(viewer.get("/organizations").text)
    links = {a.attrs["href"] for a in page.find_all("a")}
    assert "/export/org?format=xlsx" in links and "/export/org?format=csv" in links
    assert "/import/org" not in links
    analyst = parse(signed_in("analyst").get("/people").text)
    assert "/import/person" in {a.attrs["href"] for a in analyst.find_all("a")}


def test_exports_from_the_list_pages(signed_in: Any) -> None:
    client = signed_in("viewer")
    for kind in ("org", "person", "place"):
        csv = client.get(f"/export/{kind}?format=csv")
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        assert csv.content.decode("utf-8-sig").startswith("name,name_lang,other_names")
        xlsx = client.get(f"/export/{kind}")
        assert xlsx.content[:4] == b"PK\x03\x04"
