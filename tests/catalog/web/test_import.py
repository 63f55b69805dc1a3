"""The vehicle import page: a workbook uploaded, every bad row of every sheet listed in the
reader's language with its part and nothing written, a good one previewed (new, or replacing the
vehicle of its code) and stored only when confirmed, audited; for those who may enter profiles."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.catalog.models import BomLine, Vehicle
from cooplab.core.audit import AuditEntry
from cooplab.core.spreadsheets import write_xlsx
from tests.catalog.test_workbook import BOM, INPUTS, RATES, SOURCING, VEHICLE
from tests.html import parse
from tests.webkit import csrf_of


def workbook(**replace: str) -> bytes:
    sheets = {"vehicle": VEHICLE, "bom": BOM, "sourcing": SOURCING, "supplier_inputs": INPUTS, "rates": RATES}
    sheets.update(replace)
    return write_xlsx({name: list(csv.reader(io.StringIO(text))) for name, text in sheets.items()})


def preview(client: Any, content: bytes, name: str = "sedan.xlsx", lang: str = "ru") -> Any:
    token = csrf_of(client, f"/vehicles/import?lang={lang}")
    return client.post(
        f"/vehicles/import?lang={lang}",
        data={"csrf_token": token},
        files={"file": (name, content, "application/octet-stream")},
    )


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def rows_of(html: str) -> list[list[str]]:
    table = parse(html).find("table", id="problems")
    return [[td.text.strip() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def confirm_data(html: str) -> dict[str, str]:
    form = parse(html).find("form", action="/vehicles/import/confirm")
    return {i.attrs["name"]: i.attrs.get("value", "") for i in form.find_all("input")}


def test_a_bad_workbook_is_refused_row_by_row_and_a_good_one_stored_after_its_preview(
    signed_in: Any, reference: Session
) -> None:
    client = signed_in("analyst")
    assert 'href="/vehicles/import"' in client.get("/vehicles").text
    before = count(reference, Vehicle), count(reference, BomLine)
    bad = SOURCING.replace("60%,0.5", "70%,0.5").replace("SEAT,Uz-Tong Hong Co", "SEAT,Нет такого завода")
    refused = preview(
        client,
        workbook(sourcing=bad, bom=BOM.replace("SEAT,,Front seat,9401.20,1", "SEAT,,Front seat,9401.20,-1")),
    )
    assert refused.status_code == 422
    rows = rows_of(refused.text)
    where = {(r[0], r[2]) for r in rows}
    assert {("sourcing", "volume_share"), ("sourcing", "supplier"), ("bom", "quantity")} <= where, rows
    assert all(r[3] and not r[3].isascii() for r in rows), rows  # said in Russian
    assert any("(деталь PANEL)" in r[3] for r in rows), rows  # the part named
    english = rows_of(preview(client, workbook(sourcing=bad), lang="en").text)
    assert any(r[3].endswith("(part PANEL)") and r[3].isascii() for r in english), english
    assert (count(reference, Vehicle), count(reference, BomLine)) == before

    text = preview(client, b"not a workbook", name="sedan.xlsx")
    assert text.status_code in (415, 422) and "XLSX" in parse(text.text).find("section", class_="alert").text

    shown = preview(client, workbook())
    assert shown.status_code == 200, rows_of(shown.text) if "problems" in shown.text else shown.text[:500]
    page = parse(shown.text)
    counts = {dd.attrs["data-count"]: dd.text for dd in page.find_all("dd") if "data-count" in dd.attrs}
    assert counts == {"lines": "3", "sources": "3", "inputs": "2", "rates": "1"}
    assert "уже есть" not in shown.text
    assert (count(reference, Vehicle), count(reference, BomLine)) == before
    done = client.post("/vehicles/import/confirm", data=confirm_data(shown.text))
    assert done.status_code == 303 and done.headers["location"] == "/vehicles"
    assert (count(reference, Vehicle), count(reference, BomLine)) == (before[0] + 1, before[1] + 3)
    assert reference.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.entity_type == "vehicles", AuditEntry.action == "create")
    )
    assert client.post("/vehicles/import/confirm", data=confirm_data(shown.text)).status_code == 404

    fewer = BOM.replace("SEAT,,Front seat,9401.20,1,pcs\n", "")
    again = preview(
        client,
        workbook(
            bom=fewer,
            sourcing=SOURCING.replace("SEAT,Uz-Tong Hong Co,UZ,250,USD,2025-01-01,DAP,,\n", ""),
            supplier_inputs="supplier,part_number,input,hs_code,quantity,unit_cost,currency,origin_country,input_supplier\n",
        ),
    )
    assert again.status_code == 200 and "T-1" in parse(again.text).find("div", class_="alert-warn").text
    assert client.post("/vehicles/import/confirm", data=confirm_data(again.text)).status_code == 303
    assert (count(reference, Vehicle), count(reference, BomLine)) == (before[0] + 1, before[1] + 2)


def test_the_page_is_for_those_who_may_enter_profiles(signed_in: Any, reference: Session) -> None:
    viewer = signed_in("viewer")
    assert viewer.get("/vehicles/import").status_code == 403
    assert 'href="/vehicles/import"' not in viewer.get("/vehicles").text
    own = preview(signed_in("member"), workbook(), lang="en")  # of UzAuto Motors, the vehicle's OEM
    assert own.status_code == 200
    other = preview(signed_in("member_other"), workbook(), lang="en")  # of AVTOVAZ
    assert other.status_code == 403 and count(reference, Vehicle) == 0
