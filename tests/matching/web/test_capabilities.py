"""The capabilities list (filtered, paged, in both languages) and its export: the file holds what
the list shows, in the columns the import reads, and reads back as the same capabilities."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.core.spreadsheets import read_workbook
from cooplab.matching import service
from cooplab.matching.filters import CapabilityFilter
from cooplab.matching.schemas import CapabilityIn, CertificationIn
from cooplab.matching.workbook import parse_matching_sheets
from tests.engagements.web.test_exports import _links, _rows
from tests.html import parse
from tests.matching.web.test_lists import demo  # noqa: F401  (the fixture)
from tests.webkit import organization_id


@pytest.fixture
def certified(demo: Session) -> Session:  # noqa: F811
    """The demo's capabilities and one more, certified to IATF 16949 until 2031."""
    service.create_capability(
        session=demo,
        actor=SYSTEM,
        data=CapabilityIn(
            supplier_id=organization_id(demo, "Uz-Tong Hong Co"),
            hs_codes=["9401.20"],
            certifications=[CertificationIn(name="iatf 16949", expires="2031-05-01")],
            description={"ru": "Чехлы сидений из ткани", "en": "Fabric seat covers"},
            visibility="members",
        ),
    )
    demo.commit()
    return demo


def suppliers(html: str) -> list[str]:
    """The supplier cell of each row listed on a page."""
    tables = parse(html).find_all("tbody")
    cells = [row.find_all("td")[0] for row in tables[0].find_all("tr")] if tables else []
    return [(cell.find_all("a") or cell.find_all("span"))[0].text for cell in cells]


def test_the_capabilities_list_filters_and_pages_in_both_languages(
    signed_in: Any, certified: Session
) -> None:
    db = certified
    client = signed_in("member")
    for lang, title in (("ru", "Возможности поставщиков"), ("en", "Supplier capabilities")):
        page = client.get("/capabilities", params={"lang": lang})
        assert page.status_code == 200 and title in page.text
        assert 'href="/capabilities"' in page.text  # the menu entry
    everything = service.list_capabilities(session=db, actor=SYSTEM, limit=500)
    assert everything.count > 5
    assert len(suppliers(client.get("/capabilities", params={"limit": 500}).text)) == everything.count
    iatf = service.list_capabilities(
        session=db, actor=SYSTEM, filters=CapabilityFilter(certification="iatf 16949"), limit=500
    )
    assert iatf.count == 1 and iatf.data[0].certifications[0].expires.year == 2031
    assert all(any(c.name == "IATF 16949" for c in cap.certifications) for cap in iatf.data)
    listed = client.get("/capabilities", params={"certification": "iatf 16949", "lang": "ru"}).text
    assert suppliers(listed) == ["Uz-Tong Hong Co"] and "до 01.05.2031" in listed
    fabric = client.get("/capabilities", params={"q": "fabric", "lang": "en"}).text
    assert suppliers(fabric) == ["Uz-Tong Hong Co"] and "Fabric seat covers" in fabric
    seats = service.list_capabilities(
        session=db, actor=SYSTEM, filters=CapabilityFilter(hs_code="9401.20"), limit=500
    )
    assert all(any(code.startswith("940120") for code in cap.hs_codes) for cap in seats.data)
    assert seats.count < everything.count
    uz = service.list_capabilities(
        session=db, actor=SYSTEM, filters=CapabilityFilter(country="uz"), limit=500
    )
    ru = service.list_capabilities(
        session=db, actor=SYSTEM, filters=CapabilityFilter(country="RU"), limit=500
    )
    assert uz.count and ru.count and uz.count + ru.count <= everything.count
    first, second = (client.get("/capabilities", params={"limit": 3, "offset": o}).text for o in (0, 3))
    assert len(suppliers(first)) == 3 and 'rel="next"' in first
    bad = client.get("/capabilities", params={"tier": "9", "lang": "ru"})
    assert bad.status_code == 200 and "alert-warn" in bad.text and suppliers(bad.text)  # dropped, said
    none = client.get("/capabilities", params={"hs_code": "0101", "lang": "ru"}).text
    assert "Нет возможностей поставщиков" in none and "/capabilities/export" not in none


def test_the_export_holds_the_filtered_list_and_reads_back_as_an_import(
    signed_in: Any, certified: Session
) -> None:
    db = certified
    client = signed_in("member")
    page = client.get("/capabilities", params={"certification": "IATF 16949", "lang": "en"}).text
    assert _links(page, "/capabilities/export") == [
        "/capabilities/export?certification=IATF+16949&format=xlsx",
        "/capabilities/export?certification=IATF+16949&format=csv",
    ]
    iatf = service.list_capabilities(
        session=db, actor=SYSTEM, filters=CapabilityFilter(certification="IATF 16949"), limit=500
    )
    for fmt in ("xlsx", "csv"):
        rows = _rows(client, "/capabilities/export", fmt, certification="IATF 16949")
        assert len(rows) == iatf.count
        assert [r["supplier"] or None for r in rows] == [c.supplier for c in iatf.data]
        assert [r["certifications"] for r in rows] == ["IATF 16949:2031-05-01"]
    answer = client.get("/capabilities/export", params={"format": "xlsx"})
    book = parse_matching_sheets(
        read_workbook({"capabilities.xlsx": answer.content}),
        resolve_organization=service.organization_refs(db),
        resolve_place=service.place_locations(db),
        on=service.today(),
    )
    everything = service.list_capabilities(session=db, actor=SYSTEM, limit=500)
    assert len(book.capabilities) == everything.count
    stored = sorted((c.supplier, tuple(c.hs_codes), len(c.sites)) for c in everything.data)
    assert sorted((c.supplier, tuple(c.hs_codes), len(c.sites)) for c in book.capabilities) == stored
