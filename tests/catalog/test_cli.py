"""The catalog and localization commands end to end, as a user runs them (a subprocess on a real
database): the demo vehicle, its level by method as JSON, a bad workbook refused in Russian with
its sheet, row and part named, and the export read back."""

from __future__ import annotations

import json

from tests.catalog.test_workbook import SOURCING, files
from tests.test_cli import cooplab  # noqa: F401  (the fixture)


def write(folder, sheets: dict[str, bytes]):
    folder.mkdir()
    for name, content in sheets.items():
        (folder / name).write_bytes(content)
    return folder


def test_the_demo_vehicle_has_a_level_under_every_method(cooplab, tmp_path):  # noqa: F811
    assert "DEMO-B-SEDAN" in cooplab("demo").stdout
    listed = json.loads(cooplab("catalog", "list", "--format", "json").stdout)
    assert [v["code"] for v in listed] == ["DEMO-B-SEDAN"] and listed[0]["illustrative"]
    for method in ("uz_cost_share", "cis_origin", "ru_719_points"):
        out = cooplab("localization", "level", "DEMO-B-SEDAN", "--method", method, "--format", "json").stdout
        answer = json.loads(out)
        assert answer["method"] == method and answer["illustrative"] is True
        assert {"level", "parts", "missing"} <= set(answer) and len(answer["parts"]) > 100
    found = json.loads(
        cooplab(
            "localization", "opportunities", "DEMO-B-SEDAN", "--target", "0.45", "--format", "json"
        ).stdout
    )
    assert found["path"]["status"] == "optimal" and found["opportunities"]["items"]
    assert found["opportunities"]["items"][1]["signal_organizations"]  # the registry's makers
    table = cooplab("localization", "opportunities", "DEMO-B-SEDAN", "--limit", "5", "--lang", "ru").stdout
    assert "Возможности локализации (иллюстративно)" in table and "Накопленная" in table
    assert "812\u00a0800\u00a0000\u00a0000" in table  # the gearbox's imports a year, grouped in Russian
    assert "Оптимально: ни один более дешёвый набор деталей не достигает 45%" in table
    english = cooplab("localization", "opportunities", "DEMO-B-SEDAN", "--limit", "5", "--lang", "en").stdout
    assert "812,800,000,000" in english and "Assumed options, not quotes" in english
    refused = cooplab("localization", "opportunities", "DEMO-B-SEDAN", "--target", "1.5", ok=False)
    assert refused.returncode == 1 and "target" in refused.stderr
    assert "(illustrative)" in cooplab("localization", "level", "DEMO-B-SEDAN", "--lang", "en").stdout
    assert "(иллюстративно)" in cooplab("localization", "level", "DEMO-B-SEDAN", "--lang", "ru").stdout
    nothing = tmp_path / "nothing.yaml"
    nothing.write_text("name: nothing changes\nchanges: []\n", encoding="utf-8")
    same = json.loads(cooplab("localization", "scenario", "DEMO-B-SEDAN", str(nothing)).stdout)
    assert all(m["change"] in (0, None) for m in same["methods"].values()) and len(same["methods"]) == 3
    assert float(same["cost_change_per_year"]) == 0
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        "name: x\nchanges: [{kind: move_part, part_number: NOPE, supplier: S, production_country: UZ}]\n"
    )
    refused = cooplab("localization", "scenario", "DEMO-B-SEDAN", str(wrong), ok=False)
    assert refused.returncode == 1 and "NOPE" in refused.stderr


def test_a_bad_workbook_is_refused_in_the_users_language(cooplab, tmp_path):  # noqa: F811
    cooplab("db", "upgrade")
    bad = SOURCING.replace("60%,0.5", "70%,0.5")
    folder = write(tmp_path / "bad", files(sourcing=bad))
    ru = cooplab("catalog", "import", str(folder), "--lang", "ru", ok=False)
    assert ru.returncode == 1 and "ничего не импортировано" in ru.stderr
    assert "лист sourcing, строка 2, столбец volume_share" in ru.stderr and "(деталь PANEL)" in ru.stderr
    assert "Доли объёма детали в сумме дают 1.1, а не 1 (100%)" in ru.stderr
    en = cooplab("catalog", "import", str(folder), "--lang", "en", ok=False)
    assert "sheet sourcing, row 2, column volume_share" in en.stderr and "(part PANEL)" in en.stderr
    assert json.loads(cooplab("catalog", "list", "--format", "json").stdout) == []


def test_an_import_exports_back_and_imports_again(cooplab, tmp_path):  # noqa: F811
    cooplab("demo")
    exported = tmp_path / "demo.xlsx"
    cooplab("catalog", "export", "DEMO-B-SEDAN", "-o", str(exported))
    again = cooplab("catalog", "import", str(exported), "--visibility", "members", "--lang", "en")
    assert "Replaced vehicle DEMO-B-SEDAN" in again.stdout and "illustrative" in again.stdout
    shown = json.loads(cooplab("catalog", "show", "DEMO-B-SEDAN").stdout)
    assert shown["bom"][0]["depth"] == 0 and shown["illustrative"]
