"""Localization pages of the demo vehicle in both languages: the opportunities with their Pareto
chart, signals and cheapest path (a bad target answered on the page), and the level page's
contributions by system."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo
from cooplab.core.actor import SYSTEM
from tests.html import parse


@pytest.fixture
def demo(reference: Session) -> Session:
    load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def test_the_opportunities_page_draws_ranks_and_solves_in_both_languages(
    signed_in: Any, demo: Session
) -> None:
    client = signed_in("member")
    ru = client.get(f"/vehicles/{DEMO_CODE}/opportunities", params={"lang": "ru"})
    assert ru.status_code == 200
    page = parse(ru.text)
    page.find("svg", class_="chart-pareto")
    rows = page.find_all("table")[0].find("tbody").find_all("tr")
    assert len(rows) == 20 and rows[0].find("td").text == "1"
    assert "8708.40" in rows[0].text  # the gearbox heading, as the nomenclature prints it
    links = [
        a.attrs["href"]
        for a in page.find_all("a")
        if re.match(r"/organizations/\d+$", a.attrs.get("href", ""))
    ]
    assert links  # the organizations behind the signals are linked
    text = page.text
    assert "Иллюстративные данные" in text and "Предполагаемые варианты" in text
    assert "Оптимально: ни один более дешёвый набор деталей не достигает 45%" in text
    assert re.search(r"Уровень 36(,\d)?% → 45(,\d)?%", text)
    assert "9\u00a0216\u00a0822\u00a0780\u00a0000 UZS" in ru.text  # grouped the Russian way
    en = client.get(f"/vehicles/{DEMO_CODE}/opportunities", params={"lang": "en", "target": "30"}).text
    assert "already reaches 30%: nothing to localize" in en and "Localization opportunities" in en
    detail = client.get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"}).text
    level = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "en"}).text
    assert (
        f"/vehicles/{DEMO_CODE}/opportunities" in detail and f"/vehicles/{DEMO_CODE}/opportunities" in level
    )


def test_a_bad_target_is_answered_on_the_page_in_the_readers_language(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    for lang, value, said in (
        ("ru", "abc", "Целевой уровень: «abc» — не уровень от 0 до 100%"),
        ("en", "150", "Target level: “150” is not a level between 0 and 100%"),
        ("en", "0", "Target level: “0” is not a level"),
    ):
        answer = client.get(f"/vehicles/{DEMO_CODE}/opportunities", params={"lang": lang, "target": value})
        assert answer.status_code == 422 and said in answer.text, value
        parse(answer.text).find("svg", class_="chart-pareto")  # the ranking stays


def test_the_level_page_shows_contributions_by_system(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    ru = parse(client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "ru"}).text)
    assert ru.find(id="systems").text == "Вклад систем в долю местных затрат"
    ru.find("svg", class_="chart-bars")
    systems = ru.find_all("table")[0].find("tbody").find_all("tr")
    assert 10 <= len(systems) < 30 and "Powertrain" in systems[0].text  # most imported first
    parts = ru.find_all("table")[1].find("tbody").find_all("tr")
    assert len(parts) == 349  # the demo's bill fits one page
    rival = parse(signed_in("member_other").get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "en"}).text)
    rival.find("svg", class_="chart-bars")  # systems at zero: no price seen
    assert "27,584,510" not in rival.text


def test_a_big_bill_is_shown_a_page_of_parts_at_a_time(
    signed_in: Any, demo: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cooplab.localization import web

    monkeypatch.setattr(web, "PART_PAGE", 100)
    client = signed_in("member")
    first = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "ru"}).text
    page = parse(first)
    assert len(page.find_all("table")[1].find("tbody").find_all("tr")) == 100
    assert "Детали 1–100 из 349" in page.text and "offset=100" in first
    last = parse(client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "en", "offset": "300"}).text)
    assert len(last.find_all("table")[1].find("tbody").find_all("tr")) == 49
    assert "Parts 301–349 of 349" in last.text
    assert len(last.find_all("table")[0].find("tbody").find_all("tr")) >= 10  # every system still counted
