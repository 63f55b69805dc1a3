"""The missions and next-steps lists download as XLSX or CSV, holding what the reader sees."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests.engagements.web.test_hidden_in_lists import _records
from tests.html import parse


def _rows(client: Any, url: str, fmt: str, **params: str) -> list[dict[str, Any]]:
    answer = client.get(url, params={"format": fmt, **params})
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, r, strict=True)) for r in body]


def _links(page: str, prefix: str) -> list[str]:
    return [a.attrs["href"] for a in parse(page).find_all("a") if a.attrs.get("href", "").startswith(prefix)]


def test_the_missions_list_exports_the_missions_the_reader_sees(signed_in: Any, reference: Session) -> None:
    _records(reference)
    member, party = signed_in("member"), signed_in("member_other")
    for fmt in ("xlsx", "csv"):
        assert [r["title"] for r in _rows(member, "/missions/export", fmt)] == ["Визит в Ташкент"]
        assert {r["title"] for r in _rows(party, "/missions/export", fmt)} == {
            "Визит в Ташкент",
            "Переговоры о фарах",
            "Переговоры о бамперах",
        }
    assert _links(member.get("/missions").text, "/missions/export") == [
        "/missions/export?format=xlsx",
        "/missions/export?format=csv",
    ]


def test_the_steps_list_exports_its_steps_with_its_choice_kept(signed_in: Any, reference: Session) -> None:
    _records(reference)
    member, admin = signed_in("member"), signed_in("admin")
    everyone = _rows(admin, "/steps/export", "xlsx", all="1")
    assert [r["title"] for r in everyone] == [
        r["title"] for r in _rows(admin, "/steps/export", "csv", all="1")
    ]
    assert {r["title"] for r in everyone} == {
        "Выслать чертежи",
        "Выслать образцы",
        "Согласовать цены",
        "Подготовить отчёт",
    }
    avtovaz = next(r for r in everyone if r["title"] == "Выслать чертежи")
    assert avtovaz["responsible_organization"] and avtovaz["status"] == "open" and avtovaz["overdue"] == "no"
    # a member of another organization sees the one step every member reads, and none is theirs
    assert [r["title"] for r in _rows(member, "/steps/export", "csv", all="1")] == ["Подготовить отчёт"]
    assert _rows(member, "/steps/export", "csv") == []
    assert _links(member.get("/steps").text, "/steps/export") == []  # nothing to download
    assert _links(member.get("/steps", params={"all": "1"}).text, "/steps/export") == [
        "/steps/export?all=1&format=xlsx",
        "/steps/export?all=1&format=csv",
    ]
