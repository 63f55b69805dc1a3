"""docs/feasibility.md documents the commands, the components and shows the example files as they are."""

from pathlib import Path

import pytest

from cooplab.core.calculators import calculators
from cooplab.feasibility.cli import app
from cooplab.feasibility.components import KIND

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "feasibility.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["landed_cost.yaml", "cash_flows.yaml", "local_production.yaml"])
def test_the_examples_are_shown_as_they_are(name):
    assert (ROOT / "docs" / "examples" / "feasibility" / name).read_text(encoding="utf-8").strip() in DOC


def test_commands_and_components_are_documented():
    commands = {c.name for c in app.registered_commands}
    assert commands == {"landed-cost", "invest"}
    for command in commands:
        assert f"`cooplab {command} FILE" in DOC
    for component in calculators(KIND):
        assert f"`{component.NAME}`" in DOC and f"`{component.BASIS}`" in DOC


def test_every_xlsx_example_has_its_yaml_twin():
    folder = ROOT / "docs" / "examples" / "feasibility"
    assert {p.stem for p in folder.glob("*.xlsx")} == {p.stem for p in folder.glob("*.yaml")}
    assert "BENCHMARKS" not in DOC
