"""The landed-cost and invest commands on the example files and on bad ones."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cooplab.feasibility.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "feasibility"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def answer(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_invest_cash_flows_answers_the_worked_values():
    data = answer("invest", EXAMPLES / "cash_flows.yaml")
    assert {"npv", "irr", "mirr", "payback_years", "discounted_payback_years", "currency"} <= data.keys()
    assert data["npv"] == 247.04 and data["irr"] == 0.233154 and data["payback_years"] == 2.875
    assert data["mirr"] == pytest.approx(0.1915, abs=0.00005) and data["currency"] == "USD"


def test_invest_model_answers_the_full_economics():
    data = answer("invest", EXAMPLES / "local_production.yaml")
    assert {"npv", "irr", "mirr", "payback_years", "discounted_payback_years", "currency"} <= data.keys()
    assert data["basis"] == "equity" and len(data["tornado"]) == 5 and len(data["years"]) == 11
    assert [s["name"] for s in data["scenarios"]] == ["share won 30 %", "no loan"]
    assert data["break_even_price"]["value"] > 0


def test_landed_cost_answers_each_options_components():
    data = answer("landed-cost", EXAMPLES / "landed_cost.yaml")
    names = [o["landed_cost"]["option"] for o in data["options"]]
    assert names == ["Import from Korea", "Supply from Russia", "Local production"]
    for option in data["options"]:
        cost = option["landed_cost"]
        for component in cost["components"]:
            assert {"name", "amount", "currency", "basis", "assumption"} <= component.keys()
        assert cost["total_per_unit"] == pytest.approx(sum(c["amount"] for c in cost["components"]), abs=1e-9)
    local = data["options"][2]
    assert local["landed_cost"]["components"][0]["amount"] == local["investment"]["break_even_price"]["value"]
    assert data["cheapest"] in names


@pytest.mark.parametrize(
    ("command", "name"),
    [("landed-cost", "landed_cost"), ("invest", "local_production"), ("invest", "cash_flows")],
)
def test_xlsx_examples_answer_as_the_yaml_ones(command, name):
    assert answer(command, EXAMPLES / f"{name}.xlsx") == answer(command, EXAMPLES / f"{name}.yaml")


def test_tables_print():
    result = run("landed-cost", EXAMPLES / "landed_cost.yaml")
    assert result.exit_code == 0 and "total" in result.stdout and "cheapest" in result.stdout
    result = run("invest", EXAMPLES / "local_production.yaml")
    assert result.exit_code == 0 and "tornado" in result.stdout and "Scenarios" in result.stdout


def test_no_irr_is_said_in_words(tmp_path):
    path = tmp_path / "flat.yaml"
    path.write_text("cash_flows: [100, 200, 300]\ndiscount_rate: 0.1\n")
    data = answer("invest", path)
    assert data["irr"] is None and "never change sign" in data["irr_reason"]
    assert "none: no IRR" in run("invest", path).stdout


def edited(tmp_path, change):
    data = yaml.safe_load((EXAMPLES / "landed_cost.yaml").read_text())
    change(data)
    data["options"][2]["local_production"] = str(EXAMPLES / "local_production.yaml")
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def _set(path, value):
    def change(data):
        *head, last = path
        for key in head:
            data = data[key]
        data[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        (
            _set(["options", 0, "offer", "price"], -5),
            "options / 0 / offer / price",
            "greater than or equal to 0",
        ),
        (
            _set(["options", 1, "offer", "units_per_shipment"], -1),
            "options / 1 / offer / units_per_shipment",
            "greater than 0",
        ),
        (_set(["options", 0, "offer", "currency"], "XXY"), "options / 0 / offer / currency", "ISO 4217"),
        (
            _set(["options", 0, "offer", "currency"], "KRW"),
            "options / 0 / offer / currency",
            "no exchange rate of KRW",
        ),
        (
            _set(["terms", "as_of"], "2025-01-01"),
            "options / 1 / offer / currency",
            "no exchange rate of RUB on or before 2025-01-01",
        ),
        (
            _set(["routes", "russia_road", "legs", 1, "from"], "samara"),
            "routes / russia_road / legs / 1 / from",
            "gap",
        ),
        (_set(["options", 1, "offer", "incoterm"], "FOB"), "options / 1 / offer / incoterm", "sea"),
        (
            _set(["options", 0, "offer", "named_place"], "tashkent"),
            "options / 0 / offer / incoterm",
            "contradicts",
        ),
        (_set(["options", 0, "route"], "nowhere"), "options / 0 / route", "unknown route"),
    ],
)
def test_bad_input_names_the_field(tmp_path, change, field, text):
    result = run("landed-cost", edited(tmp_path, change))
    assert result.exit_code == 1
    assert field in result.stderr and text in result.stderr, result.stderr


def test_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("terms: [unclosed\n  - : :\n")
    result = run("landed-cost", path)
    assert result.exit_code == 1 and "not a YAML file" in result.stderr
    path.write_text("- just\n- a list\n")
    assert "must hold a mapping" in run("invest", path).stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not a zip")
    assert "not a readable XLSX" in run("invest", fake).stderr
    assert "cannot be read" in run("invest", tmp_path / "missing.yaml").stderr


def test_bad_invest_input(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("cash_flows: [-100, 50]\ndiscount_rate: -2\n")
    result = run("invest", path)
    assert result.exit_code == 1 and "discount_rate" in result.stderr
    data = yaml.safe_load((EXAMPLES / "local_production.yaml").read_text())
    data["volume"]["oem_volume"] = -1
    path.write_text(yaml.safe_dump(data))
    assert "volume / oem_volume" in run("invest", path).stderr
