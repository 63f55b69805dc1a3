"""The matching import page: upload a workbook, a preview that writes nothing and lists every bad
row and field of every sheet in the reader's language, then a confirmation that stores exactly the
previewed file, audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.core.audit import AuditEntry
from cooplab.core.spreadsheets import write_xlsx
from cooplab.matching import models
from cooplab.matching.workbook import CAPABILITY_COLUMNS, NEED_COLUMNS
from tests.html import parse
from tests.webkit import csrf_of


def workbook(needs: list[dict[str, Any]], capabilities: list[dict[str, Any]]) -> bytes:
    return write_xlsx(
        {
            "needs": [list(NEED_COLUMNS)] + [[n.get(c, "") for c in NEED_COLUMNS] for n in needs],
            "capabilities": [list(CAPABILITY_COLUMNS)]
            + [[c.get(k, "") for k in CAPABILITY_COLUMNS] for c in capabilities],
        }
    )


def preview(client: Any, content: bytes, name: str = "book.xlsx", lang: str = "ru") -> Any:
    token = csrf_of(client, f"/needs/import?lang={lang}")
    return client.post(
        "/needs/import",
        data={"csrf_token": token},
        files={"file": (name, content, "application/octet-stream")},
    )


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_bad_workbook_is_refused_with_every_problem_and_a_good_one_stored_after_its_preview(
    signed_in: Any, session: Session
) -> None:
    client = signed_in("analyst")
    needs_before, caps_before = count(session, models.Need), count(session, models.Capability)
    bad = workbook(
        [
            {"ref": "B-1", "buyer": "UzAuto Motors", "hs_code": "870829", "annual_volume": "-5"},
            {"ref": "B-2", "buyer": "Нет такой организации", "part": "Бампер"},
        ],
        [{"supplier": "AVTOVAZ", "hs_codes": "870829", "processes": "телепортация"}],
    )
    refused = preview(client, bad)
    assert refused.status_code == 422
    table = parse(refused.text).find("table", id="problems")
    rows = [[td.text.strip() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    where = {(r[0], r[1], r[2]) for r in rows}
    assert ("needs", "2", "annual_volume") in where and ("needs", "3", "buyer") in where, rows
    assert ("capabilities", "2", "processes") in where, rows
    assert all(r[3] and not r[3].isascii() for r in rows), rows  # said in Russian
    assert (count(session, models.Need), count(session, models.Capability)) == (needs_before, caps_before)

    good = workbook(
        [
            {
                "ref": "G-1",
                "buyer": "UzAuto Motors",
                "hs_code": "870829",
                "part": "Бампер",
                "annual_volume": 5000,
            }
        ],
        [{"supplier": "AVTOVAZ", "hs_codes": "870829", "processes": "injection_moulding"}],
    )
    shown = preview(client, good)
    assert shown.status_code == 200, [td.text for td in parse(shown.text).find_all("td")]
    page = parse(shown.text)
    counts = {dd.attrs["data-count"]: dd.text for dd in page.find_all("dd") if "data-count" in dd.attrs}
    assert counts == {"needs": "1", "needs_replaced": "0", "capabilities": "1"}
    assert (count(session, models.Need), count(session, models.Capability)) == (needs_before, caps_before)

    confirm = page.find("form", action="/needs/import/confirm")
    data = {i.attrs["name"]: i.attrs.get("value", "") for i in confirm.find_all("input")}
    done = client.post("/needs/import/confirm", data=data)
    assert done.status_code == 303 and done.headers["location"] == "/needs"
    assert (count(session, models.Need), count(session, models.Capability)) == (
        needs_before + 1,
        caps_before + 1,
    )
    assert session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.entity_type == "needs", AuditEntry.action == "create")
    )
    again = client.post("/needs/import/confirm", data=data)  # the held file is used once
    assert again.status_code == 404


def test_the_page_is_for_those_who_may_enter_profiles(signed_in: Any) -> None:
    assert signed_in("viewer").get("/needs/import").status_code == 403
    member = signed_in("member")
    page = member.get("/needs/import", params={"lang": "en"})
    assert page.status_code == 200 and "Import needs and capabilities" in page.text
    assert 'href="/needs/import"' in member.get("/needs").text
    assert 'href="/needs/import"' not in signed_in("viewer").get("/needs").text
    refused = preview(member, b"just text", name="book.xlsx")
    assert refused.status_code in (400, 422) and "XLSX" in refused.text
