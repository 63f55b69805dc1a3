"""The needs list (filtered, paged), marks on ranked suppliers (posted with the CSRF token,
shown back), a supplier's opportunities linked from its page, and who can make a line of the
demo vehicle's bill, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo as load_catalog_demo
from cooplab.core.actor import SYSTEM
from cooplab.matching import models, service
from cooplab.matching.schemas import MatchFilter
from tests.html import Element, parse
from tests.webkit import csrf_of, organization_id


@pytest.fixture
def demo(reference: Session) -> Session:
    service.load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def refs(html: str) -> set[str]:
    """The refs of the needs listed on a page."""
    return {s.text.split(" · ")[0] for s in parse(html).find_all("span", class_="row-sub")}


def supplier_row(html: str, supplier: int) -> Element:
    return parse(html).find("tr", id=f"supplier-{supplier}")


def test_the_needs_list_filters_and_pages_in_both_languages(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    everything = service.list_needs(session=demo, actor=SYSTEM, limit=500)
    for lang, title in (("ru", "Потребности"), ("en", "Needs")):
        page = client.get("/needs", params={"lang": lang})
        assert page.status_code == 200 and title in page.text
        assert 'href="/needs"' in page.text  # the menu entry
    listed = client.get("/needs", params={"limit": 500}).text
    shown = refs(listed)
    assert '<td class="hide-sm">8708.70</td>' in listed and "870870" not in listed
    assert shown == {n.ref for n in everything.data}
    iatf = refs(client.get("/needs", params={"certification": "iatf 16949:2016", "limit": 500}).text)
    assert "N01" in iatf and "N02" not in iatf
    assert all("IATF 16949" in n.certifications for n in everything.data if n.ref in iatf)
    adm = organization_id(demo, "ADM Jizzakh")
    tier1 = refs(client.get("/needs", params={"tier": 1, "limit": 500}).text)
    assert tier1 and "N01" not in tier1 and "N02" not in tier1  # OEMs have no tier
    uz = refs(client.get("/needs", params={"country": "uz", "buyer_id": adm, "limit": 500}).text)
    assert "N02" in uz and "N01" not in uz
    first, second = (client.get("/needs", params={"limit": 5, "offset": o}).text for o in (0, 5))
    assert len(refs(first)) == 5 and not refs(first) & refs(second)
    assert 'rel="next"' in first
    bad = client.get("/needs", params={"tier": "9", "lang": "en"})
    assert bad.status_code == 200 and "alert-warn" in bad.text and refs(bad.text)  # dropped, said


def test_marks_are_posted_with_the_token_and_shown_back(signed_in: Any, client: Any, demo: Session) -> None:
    need = service.need_detail(session=demo, actor=SYSTEM, key="N01")
    url = f"/needs/{need.id}"
    visitor, client = client, signed_in("analyst")
    form = parse(client.get(url, params={"lang": "ru"}).text).find("form", class_="mark-form")
    assert form.attrs["action"] == f"{url}/feedback"
    supplier = int(form.find("input", name="supplier_id").attrs["value"])
    count = select(func.count()).select_from(models.MatchFeedback)
    refused = client.post(f"{url}/feedback", data={"supplier_id": supplier, "judgement": "relevant"})
    assert refused.status_code == 403 and demo.scalar(count) == 0
    token = csrf_of(client, url)
    bad = client.post(
        f"{url}/feedback", data={"supplier_id": supplier, "judgement": "maybe", "csrf_token": token}
    )
    assert bad.status_code == 422 and demo.scalar(count) == 0
    for judgement in ("relevant", "not_relevant"):
        posted = client.post(
            f"{url}/feedback", data={"supplier_id": supplier, "judgement": judgement, "csrf_token": token}
        )
        assert posted.status_code == 303 and posted.headers["location"].startswith(url)
    demo.expire_all()
    assert demo.scalar(count) == 2
    row = supplier_row(client.get(url, params={"lang": "ru"}).text, supplier)
    assert row.find("span", class_="mark-not_relevant").text == "не подходит"
    assert row.find("button", **{"aria-pressed": "true"}).attrs["value"] == "not_relevant"
    # another reader sees no mark of theirs, and a visitor no buttons
    other = supplier_row(signed_in("member").get(url).text, supplier)
    assert not other.find_all("span", class_="mark-not_relevant")
    assert "mark-form" not in visitor.get(url).text


def test_a_need_ranking_takes_the_filters_of_the_api(signed_in: Any, demo: Session) -> None:
    need = service.need_detail(session=demo, actor=SYSTEM, key="N01")
    client = signed_in("member")
    every = service.need_matches(session=demo, actor=SYSTEM, key=need.id)
    tier1 = service.need_matches(session=demo, actor=SYSTEM, key=need.id, filters=MatchFilter(tier=[1]))
    page = parse(client.get(f"/needs/{need.id}", params={"tier": "1", "lang": "en"}).text)
    rows = page.find("table", class_="ranking").find("tbody").find_all("tr")
    assert [r.find_all("td")[1].find("a").text for r in rows] == [m.supplier for m in tier1.data]
    assert tier1.data and len(tier1.data) <= len(every.data)
    none = client.get(f"/needs/{need.id}", params={"country": "KZ", "lang": "ru"}).text
    assert "ни один не проходит фильтры" in none and "ranking" not in parse(none).find("main").text


def test_a_suppliers_opportunities_are_linked_from_its_page(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    austem = organization_id(demo, "O'zAuto-Austem")
    for lang, title in (("ru", "Возможности сбыта"), ("en", "Opportunities")):
        org = client.get(f"/organizations/{austem}", params={"lang": lang})
        assert f"/organizations/{austem}/opportunities" in org.text
        page = client.get(f"/organizations/{austem}/opportunities", params={"lang": lang})
        assert page.status_code == 200 and title in page.text
        ranked = parse(page.text).find("table", class_="ranking").find("tbody").find_all("tr")
        assert ranked and any(r.find("a").text == "N01" for r in ranked)
    avtovaz = organization_id(demo, "AVTOVAZ")
    assert f"/organizations/{avtovaz}/opportunities" not in client.get(f"/organizations/{avtovaz}").text
    empty = client.get(f"/organizations/{avtovaz}/opportunities", params={"lang": "en"})
    assert empty.status_code == 200 and "no capability of this supplier" in empty.text
    assert client.get("/organizations/999999/opportunities").status_code == 404


def test_who_can_make_a_line_of_the_bill(signed_in: Any, demo: Session) -> None:
    load_catalog_demo(session=demo, actor=SYSTEM)
    demo.commit()
    client = signed_in("member")
    level = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "ru"}).text
    assert f"/vehicles/{DEMO_CODE}/suppliers?part=WHEEL" in level and "Кто может сделать деталь" in level
    before = demo.scalar(select(func.count()).select_from(models.Need))
    answer = service.part_matches(session=demo, actor=SYSTEM, code=DEMO_CODE, part_number="WHEEL")
    assert answer.hs_code == "870870" and answer.annual_volume and answer.annual_volume % 5 == 0
    for lang, reason in (("ru", "ТН ВЭД 8708.70, точно"), ("en", "HS 8708.70, exact")):
        page = client.get(f"/vehicles/{DEMO_CODE}/suppliers", params={"part": "WHEEL", "lang": lang})
        assert page.status_code == 200 and reason in page.text
        assert page.text.count("<tr") - 1 == len(answer.data) > 0
        assert "<dd>8708.70</dd>" in page.text
    assert demo.scalar(select(func.count()).select_from(models.Need)) == before  # nothing stored
    assert client.get(f"/vehicles/{DEMO_CODE}/suppliers", params={"part": "NOPE"}).status_code == 404
    assert client.get(f"/vehicles/{DEMO_CODE}/suppliers").status_code == 422
    api = client.get(
        f"/api/v1/vehicles/{DEMO_CODE}/suppliers",
        params={"part": "WHEEL"},
        headers={"Accept": "application/json"},
    )
    assert api.status_code == 200 and api.json()["part_number"] == "WHEEL" and api.json()["data"]


def test_the_needs_list_exports_what_the_reader_sees_in_the_import_columns(
    signed_in: Any, demo: Session
) -> None:
    from cooplab.core.spreadsheets import read_workbook
    from cooplab.matching.workbook import NEED_COLUMNS

    def exported(client: Any, fmt: str, **params: Any) -> dict[str, dict[str, Any]]:
        answer = client.get("/needs/export", params={"format": fmt, **params})
        assert answer.status_code == 200, answer.text
        assert f'filename="cooplab-needs.{fmt}"' in answer.headers["content-disposition"]
        sheet = read_workbook({f"needs.{fmt}": answer.content})["needs"]
        assert set(NEED_COLUMNS) <= set(sheet.header)  # the import reads it back
        return {str(cells["ref"]): cells for _row, cells in sheet.rows}

    member, admin = signed_in("member"), signed_in("admin")
    listed = refs(member.get("/needs", params={"limit": 500}).text)
    mine = exported(member, "xlsx")
    assert set(mine) == listed
    assert set(exported(admin, "csv")) == refs(admin.get("/needs", params={"limit": 500}).text)
    tier1 = exported(member, "xlsx", tier=1)
    assert set(tier1) == refs(member.get("/needs", params={"tier": 1, "limit": 500}).text) != listed
    page = parse(member.get("/needs", params={"tier": 1, "offset": 5}).text)
    links = [
        a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href", "").startswith("/needs/export")
    ]
    assert links == ["/needs/export?tier=1&format=xlsx", "/needs/export?tier=1&format=csv"]
    n01 = mine.get("N01") or next(iter(mine.values()))
    assert n01["buyer"] and n01["visibility"]
