"""Write the XLSX examples of docs/examples/feasibility from the same figures as the YAML ones
(the tests check that both give the same answers). Run: python scripts/feasibility_examples.py"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cooplab.core.spreadsheets import write_xlsx  # noqa: E402

OUT = ROOT / "docs" / "examples" / "feasibility"
RATES = [
    ["currency", "day", "uzs_per_unit"],
    ["USD", date(2026, 11, 1), 12050],
    ["RUB", date(2026, 11, 1), 150],
    ["EUR", date(2026, 11, 1), 13900],
]


def cash_flows() -> dict[str, list[list[object]]]:
    return {
        "settings": [
            ["key", "value"],
            ["discount_rate", 0.14],
            ["finance_rate", 0.16],
            ["reinvest_rate", 0.14],
            ["currency", "USD"],
        ],
        "cash_flows": [["year", "amount"], [0, -1000], [1, 300], [2, 350], [3, 400], [4, 400], [5, 400]],
    }


def local_production() -> dict[str, list[list[object]]]:
    return {
        "settings": [
            ["key", "value"],
            ["name", "Bumper beam, Andijan"],
            ["currency", "USD"],
            ["as_of", date(2026, 11, 15)],
            ["years", 10],
            ["discount_rate", 0.14],
            ["depreciation_years", 8],
            ["working_capital_share", 0.1],
            ["tax_rate", 0.15],
            ["oem_volume", 250000],
            ["share_won", 0.5],
            ["replaces_total_per_unit", 29.69],
            ["replaces_freight_per_unit", 8.83],
            ["loan_amount", 1000000],
            ["loan_rate", 0.03],
            ["loan_years", 5],
            ["loan_grace_years", 1],
        ],
        "capex": [
            ["name", "year", "amount", "currency"],
            ["press line and tooling", 0, 1800000, "EUR"],
            ["building works", 1, 400000, None],
        ],
        "variable_costs": [
            ["name", "amount", "currency", "freight"],
            ["steel", 6.5, "EUR", None],
            ["labour", 2.1, None, None],
            ["energy", 0.6, None, None],
            ["delivery to the OEM", 0.15, None, "yes"],
        ],
        "fixed_costs": [["name", "amount", "currency"], ["staff and upkeep", 350000, None]],
        "volume": [["production_year", "ramp"], [1, 0.4], [2, 0.8], [3, 1.0]],
        "rates": [RATES[0], RATES[1], RATES[3]],
        "scenarios": [
            ["name", "field", "value"],
            ["share won 30 %", "volume.share_won", 0.3],
            ["no loan", "loan", None],
        ],
    }


def landed_cost() -> dict[str, list[list[object]]]:
    return {
        "terms": [
            ["key", "value"],
            ["currency", "USD"],
            ["as_of", date(2026, 11, 15)],
            ["import_country", "UZ"],
            ["vat_recoverable", "yes"],
            ["insurance_rate", 0.003],
            ["carrying_rate", 0.14],
            ["safety_stock_days", 10],
        ],
        "duty_rates": [["hs", "rate", "source"], ["8708", 0.05, "illustrative"]],
        "rates": RATES,
        "places": [
            ["key", "name", "country", "lat", "lon"],
            ["vladivostok", "Vladivostok", "RU", None, None],
            ["andijan_plant", "Supplier's plant, Andijan", "UZ", 40.78338, 72.35067],
        ],
        "tariffs": [
            ["key", "mode", "basis", "unit", "amount", "currency", "as_of", "assumption"],
            [
                "sea_busan_vladivostok",
                "sea",
                "per_shipment",
                "container_40ft",
                1500,
                "USD",
                date(2026, 10, 1),
                True,
            ],
            ["truck_tashkent_asaka", "road", "per_km", "truck", 1.2, "USD", date(2026, 10, 1), False],
            ["van_andijan_asaka", "road", "per_shipment", "truck", 60, "USD", date(2026, 10, 1), True],
        ],
        "legs": [
            ["route", "safety_stock_days", "from", "to", "mode", "transit_days", "tariff"],
            ["korea_sea_rail", 30, "busan", "vladivostok", "sea", 3, "sea_busan_vladivostok"],
            [
                "korea_sea_rail",
                None,
                "vladivostok",
                "tashkent",
                "rail",
                None,
                "rail_vladivostok_tashkent_40ft_2022_01",
            ],
            ["korea_sea_rail", None, "tashkent", "asaka", "road", None, "truck_tashkent_asaka"],
            ["russia_road", 15, "togliatti", "tashkent", "road", None, "truck_moscow_tashkent_2025_11"],
            ["russia_road", None, "tashkent", "asaka", "road", None, "truck_tashkent_asaka"],
            ["andijan_asaka", 3, "andijan_plant", "asaka", "road", 0.5, "van_andijan_asaka"],
        ],
        "risk_premiums": [["route", "rate"], ["korea_sea_rail", 0.02]],
        "options": [
            [
                "name",
                "route",
                "hs_code",
                "price",
                "currency",
                "incoterm",
                "named_place",
                "origin_country",
                "certificate",
                "units_per_shipment",
                "allocation",
                "local_production",
            ],
            [
                "Import from Korea",
                "korea_sea_rail",
                "8708.10",
                18.4,
                "USD",
                "FOB",
                "busan",
                "KR",
                None,
                1800,
                "units",
                None,
            ],
            [
                "Supply from Russia",
                "russia_road",
                "8708.10",
                1350,
                "RUB",
                "FCA",
                "togliatti",
                "RU",
                "st1",
                1100,
                "units",
                None,
            ],
            [
                "Local production",
                "andijan_asaka",
                "8708.10",
                None,
                None,
                "FCA",
                "andijan_plant",
                None,
                None,
                400,
                "units",
                "local_production.xlsx",
            ],
        ],
    }


if __name__ == "__main__":
    for name, build in (
        ("cash_flows", cash_flows),
        ("local_production", local_production),
        ("landed_cost", landed_cost),
    ):
        (OUT / f"{name}.xlsx").write_bytes(write_xlsx(build()))
        print(f"wrote {OUT / name}.xlsx")
