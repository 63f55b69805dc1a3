"""The feasibility pages: the documented examples computed at once, a file uploaded or its text
edited, refusals in the reader's language naming the field, the workbook of every table."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from cooplab.feasibility import service
from tests.html import parse
from tests.webkit import csrf_of

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "feasibility"


def post(client: Any, url: str, page: str, **data: Any) -> Any:
    files = data.pop("files", None)
    return client.post(url, data={"csrf_token": csrf_of(client, page), **data}, files=files)


def errors(response: Any) -> str:
    return parse(response.text).find("div", class_="alert").text


def test_the_landed_cost_page_shows_the_example_side_by_side(signed_in: Any) -> None:
    client = signed_in("viewer")
    response = client.get("/feasibility?lang=en")
    assert response.status_code == 200
    doc = parse(response.text)
    assert "Import from Korea" in response.text and "Local production" in response.text
    assert doc.find("textarea", name="text").text == " ".join(service.example("landed_cost").split())
    assert "illustrative" in doc.find("div", class_="note").text
    assert len(doc.find_all("svg")) >= 3  # a chart of the components of each option
    assert "assumed" in response.text and "Total per unit" in response.text
    assert doc.find("a", class_="active", href="/feasibility") is not None


def test_the_pages_speak_russian(signed_in: Any) -> None:
    client = signed_in("viewer")
    landed = client.get("/feasibility?lang=ru").text
    assert "Итого за единицу" in landed and "Ввозная пошлина" in landed and "допущение" in landed
    invest = client.get("/feasibility/invest?lang=ru").text
    assert "ЧДД" in invest and "Чувствительность ЧДД" in invest and "Цена" in invest


def test_an_uploaded_workbook_answers_as_its_yaml_text(signed_in: Any) -> None:
    client = signed_in("viewer")
    flows = EXAMPLES / "cash_flows.xlsx"
    uploaded = post(
        client,
        "/feasibility/invest?lang=en",
        "/feasibility/invest",
        text="",
        files={"file": ("cash_flows.xlsx", flows.read_bytes(), "application/octet-stream")},
    )
    typed = post(
        client, "/feasibility/invest?lang=en", "/feasibility/invest", text=service.example("cash_flows")
    )
    assert uploaded.status_code == typed.status_code == 200
    for response in (uploaded, typed):
        assert "247.04" in response.text and "23.32%" in response.text and "2.88" in response.text


def test_the_investment_page_shows_the_model(signed_in: Any) -> None:
    client = signed_in("viewer")
    response = client.get("/feasibility/invest?lang=en")
    assert response.status_code == 200
    doc = parse(response.text)
    tornado = [svg for svg in doc.find_all("svg") if "tornado" in svg.attrs.get("class", "")]
    assert tornado and "Sensitivity of NPV" in response.text
    assert "Exchange rate" in response.text or "exchange rate" in response.text
    assert "Break-even price" in response.text or "break-even price" in response.text.lower()


def test_no_irr_is_said_in_words(signed_in: Any) -> None:
    client = signed_in("viewer")
    for lang, words in (("en", "never change sign"), ("ru", "не меняют знак")):
        response = post(
            client,
            f"/feasibility/invest?lang={lang}",
            "/feasibility/invest",
            text="cash_flows: [100, 200, 300]\ndiscount_rate: 0.1\n",
        )
        assert response.status_code == 200
        stats = parse(response.text).find("div", class_="stats").text
        assert words in stats, stats


def landed(change: Any) -> str:
    data = yaml.safe_load(service.example("landed_cost"))
    change(data)
    return yaml.safe_dump(data, allow_unicode=True)


def _negative_price(d: dict) -> None:
    d["options"][0]["offer"]["price"] = -5


def _unknown_currency(d: dict) -> None:
    d["options"][1]["offer"]["currency"] = "XYZ"


def _missing_rate(d: dict) -> None:
    d["rates"] = [r for r in d["rates"] if r["currency"] != "RUB"]


@pytest.mark.parametrize(
    ("text", "field", "english", "russian"),
    [
        ("terms: [1, 2\n  broken", "", "not a YAML", "не файл YAML"),
        (landed(_negative_price), "options / 0 / offer / price", "", ""),
        (landed(_unknown_currency), "options / 1 / offer / currency", "", ""),
        (landed(_missing_rate), "RUB", "no exchange rate", ""),
    ],
)
def test_bad_input_is_said_on_the_page_naming_the_field(
    signed_in: Any, text: str, field: str, english: str, russian: str
) -> None:
    client = signed_in("viewer")
    for lang, words in (("en", english), ("ru", russian)):
        response = post(client, f"/feasibility?lang={lang}", "/feasibility", text=text)
        assert response.status_code == 422
        said = errors(response)
        assert field in said and words in said, said
        assert parse(response.text).find("textarea", name="text").text == " ".join(text.split())


def test_every_table_downloads_as_a_workbook(signed_in: Any) -> None:
    client = signed_in("viewer")
    page = parse(client.get("/feasibility?lang=en").text)
    form = page.find("form", action="/feasibility/landed-cost.xlsx")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in form.find_all("input")}
    response = client.post("/feasibility/landed-cost.xlsx?lang=en", data=data)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/vnd")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["side by side", "components"]
    rows = list(book["components"].iter_rows(values_only=True))
    assert rows[0] == ("Option", "Component", "Amount", "Currency", "Basis", "assumed")
    assert {r[0] for r in rows[1:]} == {"Import from Korea", "Supply from Russia", "Local production"}
    page = parse(client.get("/feasibility/invest?lang=ru").text)
    form = page.find("form", action="/feasibility/invest.xlsx")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in form.find_all("input")}
    book = load_workbook(io.BytesIO(client.post("/feasibility/invest.xlsx?lang=ru", data=data).content))
    assert book.sheetnames == ["показатели", "годы", "чувствительность", "сценарии"]


def test_exported_text_cannot_run_as_a_formula(signed_in: Any) -> None:
    client = signed_in("viewer")
    text = landed(lambda d: d["options"][0].update(name='=HYPERLINK("http://x")'))
    page = parse(post(client, "/feasibility?lang=en", "/feasibility", text=text).text)
    form = page.find("form", action="/feasibility/landed-cost.xlsx")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in form.find_all("input")}
    book = load_workbook(io.BytesIO(client.post("/feasibility/landed-cost.xlsx", data=data).content))
    names = [row[0] for row in book["components"].iter_rows(min_row=2, values_only=True)]
    assert names[0].startswith("'=")


def test_a_visitor_is_asked_to_sign_in(client: Any) -> None:
    for path in ("/feasibility", "/feasibility/invest"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
