"""Reading spreadsheets: CSV cells keep their quotes whatever the delimiter guessed."""

from __future__ import annotations

import pytest

from cooplab.catalog.demo import demo_vehicle_files
from cooplab.core.spreadsheets import read_workbook


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_doubled_quote_in_a_quoted_cell_is_one_quote(sep: str) -> None:
    text = sep.join(["code", "name", "hs_code"]) + "\n"
    text += sep.join(["WHEEL", '"Steel wheel 15"""', "870870"]) + "\n"
    text += sep.join(["SEAT", '"Seat, front ""comfort"""', "940120"]) + "\n"
    sheet = read_workbook({"bom.csv": text.encode()})["bom"]
    names = [row["name"] for _, row in sheet.rows]
    assert names == ['Steel wheel 15"', 'Seat, front "comfort"']


def test_the_demo_bill_reads_its_inch_marks() -> None:
    sheet = read_workbook(demo_vehicle_files())["bom"]
    names = {row["name"] for _, row in sheet.rows}
    assert 'Steel wheel 15"' in names and not any('""' in str(n) for n in names)
