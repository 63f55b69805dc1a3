"""Saved scenarios from the command line, as a user runs them (a subprocess on a real database):
the demo's scenarios listed, one saved from a file with --save, compared as a table and as JSON,
deleted; a bad change refused with its place named and nothing saved."""

from __future__ import annotations

import json

from tests.test_cli import cooplab  # noqa: F401  (the fixture)

CODE = "DEMO-B-SEDAN"
SEATS = "Seat covers and foam made in Uzbekistan"


def test_scenarios_are_saved_listed_compared_and_deleted(cooplab, tmp_path):  # noqa: F811
    cooplab("demo")
    listed = json.loads(cooplab("localization", "scenarios", CODE, "--format", "json").stdout)
    assert len(listed) == 3 and all(s["illustrative"] for s in listed)
    assert {s["owner"]["name"] for s in listed} == {"UzAuto Motors"}
    assert SEATS in cooplab("localization", "scenarios", CODE).stdout
    belts = tmp_path / "belts.yaml"
    belts.write_text(
        "name: ignored, --save names it\n"
        "changes:\n"
        "  - {kind: move_part, part_number: BELT-F, supplier: Uz-Tong Hong Co, production_country: UZ,\n"
        "     unit_price: 21, currency: USD, imported_share: 0.5}\n",
        encoding="utf-8",
    )
    saved = json.loads(cooplab("localization", "scenario", CODE, str(belts), "--save", "Belts local").stdout)
    assert saved["scenario"]["name"] == "Belts local" and saved["scenario"]["version"] == 1
    fall = saved["waterfall"]
    assert len(fall["steps"]) == 1 and fall["steps"][0]["change"] == fall["change"]
    again = cooplab("localization", "scenario", CODE, str(belts), "--save", "Belts local", ok=False)
    assert again.returncode == 1 and "already saved" in again.stderr
    table = cooplab("localization", "compare", CODE, SEATS, "Belts local").stdout
    assert "uz_cost_share (now 36.0%)" in table and "Belts local" in table and "(illustrative)" in table
    compared = json.loads(cooplab("localization", "compare", CODE, SEATS, "Belts local", "-f", "json").stdout)
    assert [s["scenario"]["name"] for s in compared["scenarios"]] == [SEATS, "Belts local"]
    assert compared["illustrative"] is True and set(compared["baseline"]) == {
        "uz_cost_share",
        "cis_origin",
        "ru_719_points",
    }
    assert "deleted" in cooplab("localization", "scenario-delete", CODE, "Belts local").stdout
    gone = cooplab("localization", "compare", CODE, "Belts local", ok=False)
    assert gone.returncode == 1 and "does not exist" in gone.stderr
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("changes: [{kind: move_part, part_number: NOPE, supplier: S, production_country: UZ}]\n")
    refused = cooplab("localization", "scenario", CODE, str(wrong), "--save", "Wrong", ok=False)
    assert refused.returncode == 1 and "changes / 0 / part_number" in refused.stderr
    assert len(json.loads(cooplab("localization", "scenarios", CODE, "-f", "json").stdout)) == 3
