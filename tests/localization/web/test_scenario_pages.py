"""Scenario pages in both languages: the demo's scenarios listed for its OEM's member and hidden
from a competitor, one saved through the form, bad input named next to its field in the
reader's language with nothing saved, the waterfall with its thresholds, edit on a version,
delete, scenarios side by side, the link from the vehicle page."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo
from cooplab.core.actor import SYSTEM
from cooplab.localization import service
from cooplab.localization.models import SavedScenario
from tests.html import parse
from tests.webkit import csrf_of

LIST = f"/vehicles/{DEMO_CODE}/scenarios"
SEATS = "Seat covers and foam made in Uzbekistan"
SUSPENSION = "Front suspension from O'zAuto-Austem"


@pytest.fixture
def demo(reference: Session) -> Session:
    load_demo(session=reference, actor=SYSTEM)
    service.load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(SavedScenario)) or 0


def move_form(client: Any, **row: str) -> dict[str, str]:
    data = {"csrf_token": csrf_of(client, LIST), "name": "Belts local", "description": "", "changes_text": ""}
    fields = {
        "part_number": "",
        "supplier": "",
        "production_country": "",
        "unit_price": "",
        "currency": "UZS",
    }
    data.update({f"move-0-{k}": v for k, v in {**fields, **row}.items()})
    return data


BELTS = {
    "part_number": "BELT-F",
    "supplier": "Uz-Tong Hong Co",
    "production_country": "UZ",
    "unit_price": "21",
    "currency": "USD",
    "volume_share": "50",
}


def test_the_pages_answer_in_both_languages_with_the_illustrative_mark(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    words = {
        "ru": ("Сценарии", "Иллюстративные данные", "Доля местных затрат по шагам"),
        "en": ("Scenarios", "Illustrative data", "Uzbek cost share, change by change"),
    }
    for lang, (title, mark, fall) in words.items():
        listed = client.get(LIST, params={"lang": lang})
        assert listed.status_code == 200 and title in listed.text and mark in listed.text
        assert (
            SEATS in listed.text
            and len(parse(listed.text).find_all("input", type="checkbox", name="name")) == 3
        )
        detail = client.get(f"{LIST}/{SUSPENSION}", params={"lang": lang})
        assert detail.status_code == 200 and fall in detail.text and mark in detail.text
        chart = parse(detail.text).find("svg", class_="chart-waterfall")
        assert chart is not None
        assert [t.text for t in chart.find_all("text", class_="chart-mark-label")] == [
            "30%",
            "36%",
            "45%",
            "50%",
        ]
        assert len(chart.find_all("rect")) == 4 + 2  # one step per change, now and after
        compared = client.get(
            f"{LIST}/compare", params=[("lang", lang), ("name", SEATS), ("name", SUSPENSION)]
        )
        assert (
            compared.status_code == 200
            and mark in compared.text
            and SUSPENSION.replace("'", "&#39;") in compared.text
        )
    vehicle = client.get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"}).text
    assert f'href="{LIST}"' in vehicle


def test_a_competitor_sees_none_of_them(signed_in: Any, demo: Session) -> None:
    rival = signed_in("member_other")
    listed = rival.get(LIST, params={"lang": "en"})
    assert listed.status_code == 200 and SEATS not in listed.text and "No scenarios saved yet" in listed.text
    assert rival.get(f"{LIST}/{SEATS}", params={"lang": "en"}).status_code == 404
    assert rival.get(f"{LIST}/compare", params={"name": SEATS}).status_code == 404
    assert SEATS in signed_in("analyst").get(LIST).text


def test_a_scenario_saved_through_the_form(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    saved = client.post(LIST, data=move_form(client, **BELTS))
    assert saved.status_code == 303 and saved.headers["location"] == f"{LIST}/Belts%20local"
    answer = client.get(saved.headers["location"], params={"lang": "en"})
    assert answer.status_code == 200, answer.text[-3000:]
    page = answer.text
    assert "BELT-F → Uz-Tong Hong Co (UZ) at 21 USD, 50% of volume" in page
    stored = service.get_scenario(session=demo, actor=SYSTEM, code=DEMO_CODE, name="Belts local")
    assert (
        str(stored.changes[0].volume_share) == "0.5"
        and stored.owner is not None
        and stored.owner.name == "UzAuto Motors"
    )
    # any change as text, next to the rows
    data = move_form(client)
    data.update(name="Text", changes_text="- {kind: add_operation, operation: body_stamping}\n")
    assert client.post(LIST, data=data).status_code == 303
    assert count(demo) == 5


def test_bad_input_is_named_next_to_its_field_and_nothing_is_saved(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    before = count(demo)
    cases = [
        ({**BELTS, "part_number": "NOPE"}, "", "move-0-part_number", "Такой детали нет в спецификации."),
        ({**BELTS, "currency": "XYZ"}, "", "move-0-currency", "XYZ — неизвестная валюта"),
        ({**BELTS, "volume_share": "150"}, "", "move-0-volume_share", ""),
        ({**BELTS, "supplier": ""}, "", "move-0-supplier", "Заполните это поле."),
        ({}, "- {kind: teleport}", "changes_text", "Изменение 1 (kind): Неизвестный вид изменения"),
        ({}, "- [unclosed", "changes_text", "не читается как YAML или JSON"),
        (
            {},
            "- {kind: localize_input, supplier: Uz-Tong Hong Co, input: Moon dust, origin_country: UZ}",
            "changes_text",
            "нет входящего компонента «Moon dust»",
        ),
    ]
    for row, text, field, words in cases:
        data = move_form(client, **row)
        data["changes_text"] = text
        answer = client.post(LIST, data=data, params={"lang": "ru"})
        assert answer.status_code == 422, (field, answer.status_code)
        errors = parse(answer.text).find_all("p", class_="field-error", id=f"{field}-error")
        assert errors and words in errors[0].text, (field, [e.text for e in errors])
        assert "Traceback" not in answer.text
    taken = client.post(LIST, data={**move_form(client, **BELTS), "name": SEATS}, params={"lang": "ru"})
    assert taken.status_code == 409 and "уже сохранён" in parse(taken.text).find("p", id="name-error").text
    reserved = client.post(
        LIST, data={**move_form(client, **BELTS), "name": "compare"}, params={"lang": "en"}
    )
    assert reserved.status_code == 422
    assert "taken by a page's address" in parse(reserved.text).find("p", id="name-error").text
    assert count(demo) == before


def test_edit_on_a_version_and_delete(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    url = f"{LIST}/{SEATS}"
    html = client.get(url).text
    form = parse(html).find("form", class_="form")
    data = {
        el.attrs["name"]: el.attrs.get("value", "") for el in form.find_all("input") if el.attrs.get("name")
    }
    found = re.search(r'<textarea[^>]*name="changes_text"[^>]*>(.*?)</textarea>', html, re.S)
    assert found is not None
    data["changes_text"] = unescape(found.group(1))  # as a browser sends it, lines kept
    assert "Cover fabric" in data["changes_text"] and data["version"] == "1"
    renamed = client.post(url, data={**data, "name": "Seats local"})
    assert renamed.status_code == 303 and renamed.headers["location"] == f"{LIST}/Seats%20local"
    stale = client.post(f"{LIST}/Seats local", data={**data, "description": "late"}, params={"lang": "ru"})
    assert stale.status_code == 409
    assert "запись сохранил кто-то другой" in parse(stale.text).find("div", class_="alert-error").text
    token = csrf_of(client, LIST)
    assert client.post(f"{LIST}/Seats local/delete", data={}).status_code == 403  # no token: nothing deleted
    assert client.post(f"{LIST}/Seats local/delete", data={"csrf_token": token}).status_code == 303
    assert client.get(f"{LIST}/Seats local").status_code == 404
    assert (
        signed_in("viewer").post(f"{LIST}/{SUSPENSION}/delete", data={"csrf_token": token}).status_code == 403
    )


def test_compare_without_a_name_asks_for_one(signed_in: Any, demo: Session) -> None:
    answer = signed_in("member").get(f"{LIST}/compare", params={"lang": "en"})
    assert answer.status_code == 422 and "Tick one to 10 scenarios to compare" in answer.text


def test_a_scenario_the_bill_no_longer_takes_says_where_and_can_be_edited(
    signed_in: Any, demo: Session
) -> None:
    record = demo.scalar(select(SavedScenario).where(SavedScenario.name == SUSPENSION))
    assert record is not None
    record.changes = [{**record.changes[0], "part_number": "GONE-1"}]  # as if the bill changed since
    demo.commit()
    answer = signed_in("member").get(f"{LIST}/{SUSPENSION}", params={"lang": "ru"})
    assert answer.status_code == 200
    alert = parse(answer.text).find("div", class_="alert-error").text
    assert "не подходит к нынешней спецификации" in alert and "Изменение 1 (part_number)" in alert
    assert "Такой детали нет в спецификации." in alert
    assert "GONE-1" in parse(answer.text).find("textarea").text
