"""Feasibility over the API: the same files as JSON, the same answers as the commands, refusals
naming their field under `body`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cooplab.feasibility import service
from cooplab.feasibility.cli import app as commands

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "feasibility"


def body(name: str) -> dict:
    """A shipped example as a JSON body (dates as ISO text, as JSON has them)."""
    return json.loads(json.dumps(yaml.safe_load(service.example(name)), default=str))


def command(*args: str) -> dict:
    result = CliRunner().invoke(commands, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_invest_answers_what_the_command_answers(client):
    for name in ("cash_flows", "local_production"):
        response = client.post("/api/v1/feasibility/invest", json=body(name))
        assert response.status_code == 200, response.text
        assert response.json() == command("invest", str(EXAMPLES / f"{name}.yaml"))
    flows = client.post("/api/v1/feasibility/invest", json=body("cash_flows")).json()
    assert flows["npv"] == 247.04 and flows["irr"] == 0.233154 and flows["payback_years"] == 2.875


def test_landed_cost_answers_what_the_command_answers(client):
    response = client.post("/api/v1/feasibility/landed-cost", json=body("landed_cost"))
    assert response.status_code == 200, response.text
    assert response.json() == command("landed-cost", str(EXAMPLES / "landed_cost.yaml"))
    option = response.json()["options"][0]["landed_cost"]
    assert {"name", "amount", "currency", "basis", "assumption"} <= option["components"][0].keys()


def test_no_irr_is_null_with_its_reason(client):
    answer = client.post(
        "/api/v1/feasibility/invest", json={"cash_flows": [100, 200, 300], "discount_rate": 0.1}
    ).json()
    assert answer["irr"] is None and "never change sign" in answer["irr_reason"]


def refusal(response) -> dict:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] in ("invalid_input", "invalid_file")
    return error["details"][0]


def test_bad_input_is_refused_naming_the_field(client):
    data = body("landed_cost")
    data["options"][0]["offer"]["price"] = -1
    detail = refusal(client.post("/api/v1/feasibility/landed-cost", json=data))
    assert detail["loc"] == ["body", "options", "0", "offer", "price"]
    data = body("landed_cost")
    data["options"][1]["offer"]["currency"] = "XYZ"
    assert refusal(client.post("/api/v1/feasibility/landed-cost", json=data))["loc"][-1] == "currency"
    data = body("landed_cost")
    data["rates"] = [r for r in data["rates"] if r["currency"] != "RUB"]
    detail = refusal(client.post("/api/v1/feasibility/landed-cost", json=data))
    assert detail["loc"][0] == "body" and "no exchange rate of RUB" in detail["msg"]
    data = body("landed_cost")
    data["options"][2]["local_production"] = "../../etc/passwd"
    detail = refusal(client.post("/api/v1/feasibility/landed-cost", json=data))
    assert "inline" in detail["msg"] and detail["loc"] == ["body", "options", 2, "local_production"]
    detail = refusal(client.post("/api/v1/feasibility/invest", json={"cash_flows": [-1, 2]}))
    assert detail["loc"] == ["body", "discount_rate"]
    detail = refusal(client.post("/api/v1/feasibility/invest", json={"discount_rate": 0.1}))
    assert detail["loc"][0] == "body"


def test_a_visitor_is_asked_to_sign_in(anonymous):
    response = anonymous.post("/api/v1/feasibility/invest", json=body("cash_flows"))
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
