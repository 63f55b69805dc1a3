"""The vehicle workbook: read all-or-nothing with every problem named, and written back."""

from __future__ import annotations

import pytest

from cooplab.catalog.demo import demo_vehicle_files, load_demo_vehicle
from cooplab.catalog.workbook import (
    read_vehicle_workbook,
    write_vehicle_csv,
    write_vehicle_workbook,
)
from cooplab.errors import ImportFileError

VEHICLE = """code,name,oem,annual_volume,volume_year,own_cost,own_cost_currency,exw_price,exw_currency,price_date
T-1,Test sedan,UzAuto Motors,1000,2025,"1 000 000,5",UZS,150000000,UZS,2025-01-01
"""
BOM = """part_number,parent,name,hs_code,quantity,unit
BODY,,Body,,1,pcs
PANEL,BODY,Side panel,8708.29,2,шт
SEAT,,Front seat,9401.20,1,pcs
"""
SOURCING = """part_number,supplier,production_country,unit_price,currency,price_date,incoterm,volume_share,imported_share
PANEL,Uz-Saemyung Co,UZ,100000,UZS,2025-01-01,DAP,60%,0.5
PANEL,UzSungwoo,UZ,104000,UZS,2025-01-01,DAP,0.4,
SEAT,Uz-Tong Hong Co,UZ,250,USD,2025-01-01,DAP,,
"""
INPUTS = """supplier,part_number,input,hs_code,quantity,unit_cost,currency,origin_country,input_supplier
Uz-Tong Hong Co,SEAT,Seat frame,9401.99,1,80,USD,UZ,Uz-Tong Hong Co
Uz-Tong Hong Co,Seat frame,Steel tube,7306.30,1,40,USD,KR,
"""
RATES = """currency,date,uzs_per_unit
USD,2024-12-01,12800
"""


def files(**replace: str) -> dict[str, bytes]:
    sheets = {"vehicle": VEHICLE, "bom": BOM, "sourcing": SOURCING, "supplier_inputs": INPUTS, "rates": RATES}
    sheets.update(replace)
    return {f"{name}.csv": text.encode() for name, text in sheets.items() if text is not None}


def problems(**replace: str) -> list[dict]:
    with pytest.raises(ImportFileError) as caught:
        read_vehicle_workbook(files(**replace))
    assert "nothing was imported" in caught.value.message
    return caught.value.details


def codes(details: list[dict]) -> list[str]:
    return [d["code"] for d in details]


def test_a_good_workbook_reads_into_a_bill():
    bill = read_vehicle_workbook(files())
    assert bill.vehicle.own_cost == 1_000_000.5 and bill.vehicle.exw_price == 150_000_000
    assert [x.part_number for x in bill.bom] == ["BODY", "PANEL", "SEAT"]
    panel = [s for s in bill.sourcing if s.part_number == "PANEL"]
    assert [str(s.volume_share) for s in panel] == ["0.6", "0.4"] and panel[0].imported_share == 0.5
    assert bill.bom[1].unit.value == "pcs" and bill.bom[1].hs_code == "870829"
    assert bill.inputs[0].input_supplier == "Uz-Tong Hong Co"


def test_export_then_import_is_identity_in_xlsx_and_csv():
    bill = read_vehicle_workbook(files())
    assert read_vehicle_workbook({"vehicle.xlsx": write_vehicle_workbook(bill)}) == bill
    assert read_vehicle_workbook(write_vehicle_csv(bill)) == bill
    demo = load_demo_vehicle()
    assert read_vehicle_workbook({"demo.xlsx": write_vehicle_workbook(demo)}) == demo


def test_a_cycle_in_the_bom_is_named():
    bom = BOM + "A,B,Part A,8708.29,1,pcs\nB,A,Part B,8708.29,1,pcs\n"
    found = [d for d in problems(bom=bom) if d["code"] == "bom_cycle"]
    assert len(found) == 1 and found[0]["loc"][0] == "bom" and found[0]["loc"][2] == "parent"
    assert set(found[0]["params"]["cycle"]) == {"A", "B"}


def test_a_part_with_no_sourcing_is_named_with_its_row():
    details = problems(bom=BOM + "MIRROR,,Mirror,7009.10,2,pcs\n")
    assert {"loc": ["bom", 5, "part_number"], "code": "no_sourcing"}.items() <= details[0].items()
    assert details[0]["params"]["part_number"] == "MIRROR"


def test_volume_shares_must_add_up_to_100_percent():
    sourcing = SOURCING.replace("DAP,0.4,", "DAP,0.3,")
    [detail] = problems(sourcing=sourcing)
    assert detail["code"] == "shares_not_100" and detail["loc"] == ["sourcing", 2, "volume_share"]
    assert detail["params"]["part_number"] == "PANEL"


def test_a_share_over_100_percent_is_refused():
    details = problems(sourcing=SOURCING.replace("60%,0.5", "60,0.5"))
    assert "share_over_100" in codes(details)
    over = details[codes(details).index("share_over_100")]
    assert over["loc"] == ["sourcing", 2, "volume_share"] and over["params"]["part_number"] == "PANEL"
    assert "share_over_100" in codes(problems(sourcing=SOURCING.replace("60%,0.5", "60%,1.5")))


def test_an_unknown_currency_and_a_missing_rate_are_refused():
    details = problems(sourcing=SOURCING.replace("250,USD", "250,XYZ"))
    assert codes(details) == ["unknown_currency"]
    assert details[0]["loc"] == ["sourcing", 4, "currency"] and details[0]["params"]["part_number"] == "SEAT"
    early = problems(rates="currency,date,uzs_per_unit\nUSD,2025-02-01,12800\n")
    assert "no_rate" in codes(early)
    assert {"currency": "USD", "date": "2025-01-01", "part_number": "SEAT"}.items() <= early[0][
        "params"
    ].items()
    assert "no_rate" in codes(problems(rates=None))


def test_a_quantity_of_zero_or_below_is_refused():
    for bad in ("0", "-1"):
        details = problems(bom=BOM.replace("Side panel,8708.29,2", f"Side panel,8708.29,{bad}"))
        assert codes(details) == ["quantity_not_positive"]
        assert details[0]["loc"] == ["bom", 3, "quantity"]
    details = problems(supplier_inputs=INPUTS.replace("Steel tube,7306.30,1", "Steel tube,7306.30,0"))
    assert codes(details) == ["quantity_not_positive"]


def test_an_hs_code_that_does_not_exist_is_refused():
    details = problems(bom=BOM.replace("8708.29", "8708.77"))
    assert codes(details) == ["unknown_hs_code"] and details[0]["loc"] == ["bom", 3, "hs_code"]
    assert codes(problems(bom=BOM.replace("8708.29", "87-08x"))) == ["bad_hs_code"]


def test_every_problem_is_reported_at_once():
    details = problems(
        bom=BOM.replace("8708.29,2", "8708.77,0"),
        sourcing=SOURCING.replace("250,USD", "250,XYZ").replace(",UZ,100000", ",ZZ,100000"),
    )
    assert sorted(codes(details)) == [
        "bad_country",
        "quantity_not_positive",
        "unknown_currency",
        "unknown_hs_code",
    ]


def test_other_mistakes_are_named_too():
    assert codes(problems(vehicle=VEHICLE + VEHICLE.splitlines()[1] + "\n")) == ["one_vehicle"]
    assert codes(problems(bom=BOM + "PANEL,,Again,8708.29,1,pcs\n")) == ["duplicate_part"]
    assert "unknown_parent" in codes(problems(bom=BOM + "X,NOPE,X,8708.29,1,pcs\n"))
    assert "unknown_part" in codes(problems(sourcing=SOURCING + "NOPE,A,UZ,1,UZS,2025-01-01,,,\n"))
    assert "duplicate_source" in codes(
        problems(sourcing=SOURCING + "SEAT,uz-tong hong co,UZ,1,UZS,2025-01-01,,,\n")
    )
    assert codes(problems(bom="part_number,name\nA,B\n")) == ["missing_column"]
    assert "unknown_column" in codes(
        problems(rates="currency,date,uzs_per_unit,colour\nUSD,2025-01-01,1,red\n")
    )
    assert "missing_sheet" in codes(problems(sourcing=None))
    assert "bad_unit" in codes(problems(bom=BOM.replace("шт", "bucket")))
    assert "bad_date" in codes(problems(sourcing=SOURCING.replace("2025-01-01,DAP,60%", "yesterday,DAP,60%")))
    assert "bad_incoterm" in codes(problems(sourcing=SOURCING.replace("DAP,60%", "XYZ,60%")))
    assert "unknown_operation" in codes(
        problems(
            vehicle=VEHICLE.replace("price_date\n", "price_date,operations\n").replace(
                "2025-01-01\n", "2025-01-01,welding\n"
            )
        )
    )


def test_a_cycle_among_supplier_inputs_is_refused():
    inputs = INPUTS + "Uz-Tong Hong Co,Steel tube,Seat frame,9401.99,1,1,USD,UZ,Uz-Tong Hong Co\n"
    inputs = inputs.replace(
        "Steel tube,7306.30,1,40,USD,KR,", "Steel tube,7306.30,1,40,USD,UZ,Uz-Tong Hong Co"
    )
    assert "input_cycle" in codes(problems(supplier_inputs=inputs))


def test_suppliers_are_resolved_by_the_callers_function():
    known = {"Uz-Saemyung Co": 11, "UzSungwoo": 12, "Uz-Tong Hong Co": 13}
    bill = read_vehicle_workbook(files(), resolve_supplier=known.get)
    assert [s.supplier_id for s in bill.sourcing] == [11, 12, 13]
    with pytest.raises(ImportFileError) as caught:
        read_vehicle_workbook(files(), resolve_supplier={"UzSungwoo": 12}.get)
    assert [d["params"]["supplier"] for d in caught.value.details] == ["Uz-Saemyung Co", "Uz-Tong Hong Co"]


def test_rates_may_be_given_as_units_per_uzs():
    bill = read_vehicle_workbook(files(rates="currency,date,units_per_uzs\nUSD,2024-12-01,0.0000781250\n"))
    assert bill.rates[0].uzs_per_unit == 12800


def test_the_demo_files_are_a_workbook_marked_illustrative():
    assert set(demo_vehicle_files()) == {
        "vehicle.csv",
        "bom.csv",
        "sourcing.csv",
        "supplier_inputs.csv",
        "rates.csv",
    }
    demo = load_demo_vehicle()
    assert demo.illustrative and all(s.illustrative for s in demo.sourcing)
    assert len(demo.bom) >= 200


def test_every_problem_code_the_reader_gives_is_listed_for_the_catalogs():
    import re
    from pathlib import Path

    from cooplab.catalog import workbook

    text = Path(workbook.__file__).read_text(encoding="utf-8")
    given = set(re.findall(r'_Bad\(\s*"([a-z_0-9]+)"', text))
    given |= set(re.findall(r'\.add\(\s*[^,]+,\s*[^,]+,\s*[^,]+,\s*"([a-z_0-9]+)"', text, re.S))
    given |= set(re.findall(r'\.fail\(\s*"[a-z_]+",\s*"([a-z_0-9]+)"', text))
    assert len(given) > 20 and given <= set(workbook.PROBLEM_CODES)
