"""The service: who may compute, what the pages and the API may not read, the shipped examples,
the JSON answer and the table of explicit flows."""

from pathlib import Path

import pytest
import yaml

from cooplab.core.actor import ANONYMOUS, Actor, Role
from cooplab.errors import ImportFileError, InvalidInputError, UnauthorizedError
from cooplab.feasibility import service
from cooplab.feasibility.files import read_invest_file, read_landed_cost_file

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "feasibility"
VIEWER = Actor(user_id=1, label="viewer", role=Role.VIEWER)


def test_a_signed_in_reader_computes_and_an_anonymous_one_is_asked_to_sign_in():
    flows = read_invest_file(EXAMPLES / "cash_flows.yaml")
    assert service.invest(actor=VIEWER, data=flows).npv > 0
    with pytest.raises(UnauthorizedError):
        service.invest(actor=ANONYMOUS, data=flows)
    with pytest.raises(UnauthorizedError):
        service.landed_cost(actor=ANONYMOUS, data=read_landed_cost_file(EXAMPLES / "landed_cost.yaml"))


def test_a_path_to_an_investment_file_is_read_only_beside_a_file():
    data = read_landed_cost_file(EXAMPLES / "landed_cost.yaml")
    with pytest.raises(InvalidInputError) as refused:
        service.landed_cost(actor=VIEWER, data=data)
    detail = refused.value.details[0]
    assert detail["loc"] == ["options", 2, "local_production"] and detail["code"] == "local_production_inline"
    assert service.landed_cost(actor=VIEWER, data=data, base=EXAMPLES).cheapest


@pytest.mark.parametrize("name", ["cash_flows", "local_production"])
def test_the_shipped_examples_are_the_documented_ones(name):
    assert service.example(name) == (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


def test_the_shipped_landed_cost_example_is_the_documented_one_with_its_model_inline():
    shipped = yaml.safe_load(service.example("landed_cost"))
    documented = yaml.safe_load((EXAMPLES / "landed_cost.yaml").read_text(encoding="utf-8"))
    model = yaml.safe_load((EXAMPLES / "local_production.yaml").read_text(encoding="utf-8"))
    model.pop("scenarios")
    assert shipped["options"][2].pop("local_production") == model
    documented["options"][2].pop("local_production")
    assert shipped == documented
    inline = service.read_landed_cost(service.example("landed_cost").encode(), "example.yaml")
    beside = read_landed_cost_file(EXAMPLES / "landed_cost.yaml")
    assert service.as_json(service.landed_cost(actor=VIEWER, data=inline)) == service.as_json(
        service.landed_cost(actor=VIEWER, data=beside, base=EXAMPLES)
    )


def test_the_json_answer_has_numbers_and_iso_dates():
    data = service.read_invest(service.example("cash_flows").encode(), "flows.yaml")
    answer = service.as_json(service.invest(actor=VIEWER, data=data))
    assert answer["npv"] == 247.04 and answer["irr"] == 0.233154 and answer["currency"] == "USD"
    comparison = service.as_json(
        service.landed_cost(
            actor=VIEWER, data=service.read_landed_cost(service.example("landed_cost").encode(), "x.yaml")
        )
    )
    assert comparison["as_of"] == "2026-11-15" and isinstance(
        comparison["options"][0]["landed_cost"]["total_per_unit"], float
    )


def test_the_flow_table_agrees_with_the_indicators():
    data = service.read_invest(service.example("cash_flows").encode(), "flows.yaml")
    rows = service.flow_rows(data)
    result = service.invest(actor=VIEWER, data=data)
    assert [r.year for r in rows] == list(range(6)) and rows[0].discounted == rows[0].cash_flow
    assert rows[-1].discounted_cumulative == result.npv
    assert rows[-1].cumulative == sum(r.cash_flow for r in rows) == 850


def test_bad_bytes_are_refused_naming_the_file():
    with pytest.raises(InvalidInputError) as refused:
        service.read_invest(b"cash_flows: [1, 2\n  - x", "mine.yaml")
    assert (
        refused.value.details[0]["code"] == "not_yaml" and refused.value.details[0]["loc"][0] == "mine.yaml"
    )


def test_a_zip_that_is_no_workbook_is_refused_under_its_own_name():
    with pytest.raises((InvalidInputError, ImportFileError)) as refused:
        service.read_invest(b"PK\x03\x04 a document, not a workbook", "report.docx")
    assert refused.value.details[0]["code"] == "not_yaml"
    assert refused.value.details[0]["loc"][0] == "report.docx"


def test_figures_beyond_their_bounds_are_refused_never_a_crash():
    landed = yaml.safe_load(service.example("landed_cost"))
    landed["options"][0]["offer"]["price"] = 1e308
    data = service.read_landed_cost(yaml.safe_dump(landed).encode(), "x.yaml")
    with pytest.raises(InvalidInputError) as refused:
        service.landed_cost(actor=VIEWER, data=data)
    assert refused.value.details[0]["loc"] == ["options", "0", "offer", "price"]
    with pytest.raises(InvalidInputError) as refused:
        service.read_invest(b"cash_flows: [-.inf, 1, 2]\ndiscount_rate: 0.1\n", "x.yaml")
    assert refused.value.details[0]["loc"] == ["cash_flows", "0"]
    model = yaml.safe_load(service.example("local_production"))
    model["capex"][0]["amount"] = 10**12
    model["volume"]["oem_volume"] = 10**12
    model["rates"] = [
        {"currency": "USD", "day": "2026-11-01", "uzs_per_unit": "0.000001"},
        {"currency": "EUR", "day": "2026-11-01", "uzs_per_unit": 10**9},
    ]
    data = service.read_invest(yaml.safe_dump(model).encode(), "x.yaml")
    with pytest.raises(InvalidInputError) as refused:
        service.invest(actor=VIEWER, data=data)
    assert refused.value.details[0]["code"] == "figures_out_of_range"
    with pytest.raises(InvalidInputError) as refused:
        service.read_invest(b"a: " + b"[" * 500 + b"]" * 500, "deep.yaml")
    assert refused.value.details[0]["code"] == "not_yaml"
