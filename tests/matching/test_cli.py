"""The matchmaking commands end to end, as a user runs them (a subprocess on a real database):
a workbook imported, the suppliers for a need by ref as JSON, the needs for a supplier, a bad
workbook refused in Russian with each row named and nothing stored."""

from __future__ import annotations

import json

import pytest

from tests.matching.test_service import CAPABILITIES, NEEDS
from tests.matching.test_service import orgs as orgs  # noqa: F401  (the fixture)
from tests.test_cli import command_on
from tests.webkit import reference  # noqa: F401  (the fixture: the registry's reference data)


@pytest.fixture
def cooplab(database_url, tmp_path):
    """The command on the test's migrated database, the one `session` and `orgs` write to."""
    return command_on(database_url, tmp_path)


def write(folder, capabilities=CAPABILITIES, needs=NEEDS):
    folder.mkdir()
    (folder / "capabilities.csv").write_text(capabilities, encoding="utf-8")
    (folder / "needs.csv").write_text(needs, encoding="utf-8")
    return folder


def test_import_then_match_both_ways(cooplab, session, orgs, tmp_path):  # noqa: F811
    session.commit()
    done = cooplab("matching", "import", str(write(tmp_path / "book")), "--lang", "en").stdout
    assert "Imported 3 capabilities and 2 needs" in done
    found = json.loads(cooplab("match", "need", "W-1", "--top", "10", "--format", "json").stdout)
    assert [m["supplier"] for m in found["data"]] == ["Uz-Dong Won", "Volga Wheels"]
    first = found["data"][0]
    assert first["supplier_id"] == orgs["Uz-Dong Won"] and 0 < first["score"] <= 1 and first["reasons"]
    by_id = json.loads(cooplab("match", "need", str(first["need_id"]), "--format", "json").stdout)
    assert by_id["data"] == found["data"]
    narrowed = json.loads(cooplab("match", "need", "W-1", "--country", "RU", "--format", "json").stdout)
    assert [m["supplier"] for m in narrowed["data"]] == ["Volga Wheels"]
    table = cooplab("match", "need", "W-1", "--lang", "ru").stdout
    assert "Uz-Dong Won" in table and "ТН ВЭД" in table
    needs = json.loads(cooplab("match", "supplier", str(orgs["Seat Maker"]), "--format", "json").stdout)
    assert [m["need_ref"] for m in needs["data"]] == ["S-1"]
    listed = json.loads(cooplab("matching", "needs", "--format", "json").stdout)
    assert sorted(n["ref"] for n in listed) == ["S-1", "W-1"]
    assert len(json.loads(cooplab("matching", "capabilities", "--format", "json").stdout)) == 3
    missing = cooplab("match", "need", "NOPE", ok=False)
    assert missing.returncode == 1 and "NOPE" in missing.stderr


def test_a_bad_workbook_is_refused_in_russian_row_by_row(cooplab, session, orgs, tmp_path):  # noqa: F811
    session.commit()
    bad = CAPABILITIES.replace("Volga Wheels,870870", "Nobody Ltd,870870").replace("500000", "0")
    refused = cooplab(
        "matching", "import", str(write(tmp_path / "bad", capabilities=bad)), "--lang", "ru", ok=False
    )
    assert refused.returncode == 1
    assert "ничего не импортировано" in refused.stderr
    assert "лист capabilities, строка 3, столбец supplier" in refused.stderr
    assert "нет организации с названием «Nobody Ltd»" in refused.stderr
    assert "годовая мощность должна быть больше нуля" in refused.stderr
    assert json.loads(cooplab("matching", "needs", "--format", "json").stdout) == []


def test_who_can_make_a_line_of_the_bill(cooplab, reference):  # noqa: F811
    from cooplab.catalog.demo import DEMO_CODE
    from cooplab.catalog.service import load_demo as load_catalog_demo
    from cooplab.core.actor import SYSTEM
    from cooplab.matching import service

    service.load_demo(session=reference, actor=SYSTEM)
    load_catalog_demo(session=reference, actor=SYSTEM)
    reference.commit()
    found = json.loads(cooplab("match", "part", DEMO_CODE, "WHEEL", "--format", "json").stdout)
    assert found["part_number"] == "WHEEL" and found["hs_code"] == "870870" and found["data"]
    assert found["data"][0]["supplier"] == "O'zAuto-Austem"
    table = cooplab("match", "part", DEMO_CODE, "WHEEL", "--lang", "ru").stdout
    assert "ТН ВЭД 8708.70, точно" in table
    missing = cooplab("match", "part", DEMO_CODE, "NOPE", ok=False)
    assert missing.returncode == 1 and "NOPE" in missing.stderr


def test_the_needs_list_takes_the_filters_of_the_web_list(cooplab, session, orgs, tmp_path):  # noqa: F811
    session.commit()
    tier_1 = "B-1,Seat Maker,5903.20,Seat fabric,Seat cover fabric,100000,,,,,Andijan,,members\n"
    cooplab("matching", "import", str(write(tmp_path / "book", needs=NEEDS + tier_1)))

    def refs(*options: str) -> list[str]:
        found = json.loads(cooplab("matching", "needs", *options, "--format", "json").stdout)
        return sorted(n["ref"] for n in found)

    assert refs() == ["B-1", "S-1", "W-1"]
    assert refs("--hs-code", "8708.70", "--certification", "iatf16949", "--country", "uz") == ["W-1"]
    assert refs("--tier", "1") == ["B-1"]
    assert refs("--country", "RU") == []
    bad = cooplab("matching", "needs", "--tier", "9", ok=False)
    assert bad.returncode != 0 and "tier" in bad.stderr
