"""The pages in Uzbek (Latin script), the third language of the interface: chosen by ?lang=uz
and remembered, headings and menus from the Uzbek catalogs, numbers and dates as CLDR writes
them for uz, and a record's Latin name for a reader who reads Latin only."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient

from cooplab.core.formats import country_label, format_date, format_number, format_period
from cooplab.core.names import display_name
from cooplab.settings import Settings
from tests.html import parse


def test_the_home_page_is_in_uzbek_with_lang_uz_and_stays_so(client: TestClient) -> None:
    answer = client.get("/?lang=uz")
    assert answer.status_code == 200
    html = parse(answer.text)
    assert html.find("html").attrs["lang"] == "uz"
    assert html.find("h1").text.strip() == "Kooperatsiya reyestri"
    assert "Tashkilotlar" in [a.text.strip() for a in html.find_all("a")]
    assert answer.cookies.get("lang") == "uz"
    again = parse(client.get("/").text)  # the cookie keeps the choice
    assert again.find("h1").text.strip() == "Kooperatsiya reyestri"


def test_the_language_switch_offers_uzbek_beside_russian_and_english(client: TestClient) -> None:
    html = parse(client.get("/?lang=ru").text)
    switch = html.find("nav", class_="langs")
    offered = {a.attrs.get("hreflang"): a for a in switch.find_all("a")}
    assert set(offered) == {"en", "uz"}
    assert offered["uz"].attrs["title"] == "Oʻzbekcha"
    assert offered["uz"].text.strip() == "UZ"
    assert "lang=uz" in offered["uz"].attrs["href"]
    assert offered["en"].attrs["title"] == "English"
    current = parse(client.get("/?lang=uz").text).find("nav", class_="langs").find("span", class_="current")
    assert current.text.strip() == "UZ" and current.attrs["title"] == "Oʻzbekcha"


def test_lists_and_errors_are_in_uzbek(client: TestClient) -> None:
    organizations = parse(client.get("/organizations?lang=uz").text)
    assert organizations.find("h1").text.split()[0] == "Tashkilotlar"
    missing = client.get("/organizations/999999?lang=uz")
    assert missing.status_code == 404
    assert "Sahifa topilmadi" in missing.text or "Bunday yozuv yoʻq" in missing.text


def test_numbers_dates_and_countries_as_cldr_writes_them_for_uzbek() -> None:
    assert format_number(1234567.5, "uz") == "1\u00a0234\u00a0567,5"
    assert format_date(date(2021, 8, 23), "uz") == "23.08.2021"
    assert format_date(date(2021, 8, 23), "uz", long=True) == "23-avgust, 2021"
    assert format_period(date(2024, 2, 27), date(2024, 3, 2), "uz", long=True) == "27-fevral – 2-mart, 2024"
    assert format_period(date(2024, 2, 27), date(2024, 2, 29), "uz", long=True) == "27–29-fevral, 2024"
    assert country_label("RU", "uz") == "Rossiya"
    assert country_label("KR", "uz") == "Janubiy Koreya"
    assert country_label("KG", "uz") == "Qirgʻiziston"
    assert country_label("US", "uz") == "AQSH"


def name(value: str, lang: str, kind: str = "official") -> Any:
    return SimpleNamespace(value=value, lang=lang, kind=kind)


def test_an_uzbek_reader_gets_the_uzbek_name_else_a_latin_one() -> None:
    names = [name("Андижан", "ru"), name("Andijan", "en"), name("Andijon", "uz")]
    assert display_name(names, "uz", "Андижан") == "Andijon"
    assert display_name(names[:2], "uz", "Андижан") == "Andijan"
    assert display_name(names[:1], "uz", "Андижан") == "Andizhan"


def test_uzbek_may_be_the_default_language(monkeypatch: Any) -> None:
    monkeypatch.setenv("COOPLAB_DEFAULT_LANGUAGE", "uz")
    assert Settings().default_language == "uz"


def test_an_uzbek_reader_reads_a_cyrillic_position_in_english() -> None:
    from cooplab.core.web.render import Page

    page = Page.__new__(Page)
    position = SimpleNamespace(title="генеральный директор", title_en="General Director")
    for lang, expected in (
        ("ru", "генеральный директор"),
        ("en", "General Director"),
        ("uz", "General Director"),
    ):
        page.lang = lang
        assert page.position_title(position) == expected, lang
    page.lang = "uz"
    assert page.position_title(SimpleNamespace(title="Bosh direktor", title_en="CEO")) == "Bosh direktor"
