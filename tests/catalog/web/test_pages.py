"""Vehicle pages in both languages: the list, the BOM tree with sourcing, the level by method,
the illustrative mark on the demo, and no prices for a competitor."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo
from cooplab.core.actor import SYSTEM


@pytest.fixture
def demo(reference: Session) -> Session:
    load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def test_the_vehicle_pages_answer_in_both_languages(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    marks = {"ru": "Иллюстративные данные", "en": "Illustrative"}
    for lang in ("ru", "en"):
        listed = client.get("/vehicles", params={"lang": lang})
        assert listed.status_code == 200 and DEMO_CODE in listed.text
        detail = client.get(f"/vehicles/{DEMO_CODE}", params={"lang": lang})
        assert detail.status_code == 200 and marks[lang] in detail.text
        assert "Uz-Tong Hong Co" in detail.text and "padding-left: 1.75rem" in detail.text  # depth 1
        for method in ("uz_cost_share", "cis_origin", "ru_719_points"):
            level = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": lang, "method": method})
            assert level.status_code == 200 and marks[lang] in level.text, method
    ru = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "ru"}).text
    assert "сум" in ru and "Доля местных затрат" in ru


def test_a_competitor_sees_the_bill_without_its_prices(signed_in: Any, demo: Session) -> None:
    own = signed_in("member").get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"}).text
    rival = signed_in("member_other").get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"})
    assert rival.status_code == 200
    assert "Uz-Tong Hong Co" in own and "Uz-Tong Hong Co" not in rival.text
    missing = signed_in("member_other").get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "en"}).text
    assert "have no source" in missing


def test_an_unknown_vehicle_is_a_polite_404(signed_in: Any, demo: Session) -> None:
    assert signed_in("member").get("/vehicles/NOPE", params={"lang": "en"}).status_code == 404


def test_the_list_and_a_vehicle_download_as_workbooks(signed_in: Any, demo: Session) -> None:
    import io

    from openpyxl import load_workbook

    from cooplab.catalog.service import organization_resolver
    from cooplab.catalog.workbook import read_vehicle_workbook

    client = signed_in("member")
    listed = client.get("/vehicles", params={"lang": "ru"}).text
    assert "/vehicles/export?format=xlsx" in listed and f"/vehicles/{DEMO_CODE}/workbook" not in listed
    book = client.get("/vehicles/export", params={"format": "xlsx"})
    assert book.status_code == 200 and "attachment" in book.headers["content-disposition"]
    rows = list(
        load_workbook(io.BytesIO(book.content), read_only=True)["vehicles"].iter_rows(values_only=True)
    )
    assert rows[0][:3] == ("code", "name", "oem") and [r[0] for r in rows[1:]] == [DEMO_CODE]
    text = client.get("/vehicles/export", params={"format": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith(DEMO_CODE)

    assert f"/vehicles/{DEMO_CODE}/workbook" in client.get(f"/vehicles/{DEMO_CODE}").text
    own = client.get(f"/vehicles/{DEMO_CODE}/workbook")
    assert own.status_code == 200 and own.content[:2] == b"PK"
    bill = read_vehicle_workbook({"vehicle.xlsx": own.content}, resolve_supplier=organization_resolver(demo))
    assert bill.vehicle.code == DEMO_CODE and bill.bom and bill.sourcing
    rival = signed_in("member_other").get(f"/vehicles/{DEMO_CODE}/workbook")
    sheet = load_workbook(io.BytesIO(rival.content), read_only=True)["sourcing"]
    rivals = list(sheet.iter_rows(values_only=True))[1:]
    assert len(rivals) < len(bill.sourcing)  # the prices it may not see stay out
    assert client.get("/vehicles/NOPE/workbook", params={"lang": "en"}).status_code == 404
