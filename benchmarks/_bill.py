"""A synthetic vehicle bill for the localization benchmarks: N BOM lines over four levels,
sourcing (some dual-sourced) and Tier-2/Tier-3 supplier inputs; deterministic for a seed.

The bill is given as `BillColumns` (plain lists per column), the form a service reads from the
database with one query per table, and as a `VehicleBill` for the per-row baseline.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common  # noqa: F401  (puts src/ on the path)

from cooplab.catalog.schemas import BillColumns, BomLine, Source, SupplierInput, Vehicle, VehicleBill
from cooplab.vocab.money import Rate, RateTable

DAY = date(2025, 6, 1)
RATES = (
    Rate("USD", date(2025, 1, 1), Decimal(12700)),
    Rate("RUB", date(2025, 1, 1), Decimal(150)),
    Rate("KRW", date(2025, 1, 1), Decimal("9.1")),
    Rate("CNY", date(2025, 1, 1), Decimal(1760)),
)
HS = [
    "870829",
    "870810",
    "870830",
    "870840",
    "870880",
    "940120",
    "851220",
    "854430",
    "392690",
    "401699",
    "731815",
    "8487",
    "848790",
    "870870",
]


def synthetic_bill(lines: int = 10_000, seed: int = 12) -> VehicleBill:
    """A 4-level bill of `lines` lines: 20 systems, 10 assemblies each, sub-assemblies, parts."""
    rng = random.Random(seed)
    bom: list[BomLine] = []
    sourcing: list[Source] = []
    inputs: list[SupplierInput] = []
    systems = [f"SYS{s:02d}" for s in range(20)]
    for s in systems:
        bom.append(BomLine(part_number=s, name=f"System {s}", quantity=Decimal(1)))
    assemblies = []
    for s in systems:
        for a in range(10):
            pn = f"{s}-A{a}"
            assemblies.append(pn)
            bom.append(BomLine(part_number=pn, parent=s, name=f"Assembly {pn}", quantity=Decimal(1)))
    remaining = lines - len(bom)
    subs: list[str] = []
    per_assembly = remaining // len(assemblies)
    level3 = []
    for pn in assemblies:
        for k in range(per_assembly):
            child = f"{pn}-{k:03d}"
            if k % 5 == 0:  # a sub-assembly made in house, with parts of its own below
                subs.append(child)
                bom.append(
                    BomLine(
                        part_number=child,
                        parent=pn,
                        name=f"Sub-assembly {child}",
                        quantity=Decimal(rng.choice([1, 2])),
                    )
                )
            elif subs and subs[-1].startswith(pn) and k % 5 in (1, 2, 3):
                level3.append(child)
                bom.append(
                    BomLine(
                        part_number=child,
                        parent=subs[-1],
                        name=f"Part {child}",
                        hs_code=rng.choice(HS),
                        quantity=Decimal(rng.choice([1, 2, 4])),
                    )
                )
            else:
                level3.append(child)
                bom.append(
                    BomLine(
                        part_number=child,
                        parent=pn,
                        name=f"Part {child}",
                        hs_code=rng.choice(HS),
                        quantity=Decimal(rng.choice([1, 2, 4])),
                    )
                )
    while len(bom) < lines:
        child = f"EXTRA-{len(bom)}"
        level3.append(child)
        bom.append(
            BomLine(part_number=child, parent=subs[0], name=child, hs_code="870829", quantity=Decimal(1))
        )
    for n, pn in enumerate(level3):
        country = rng.choice(["UZ", "UZ", "UZ", "KR", "CN", "RU"])
        currency = {"UZ": "UZS", "KR": "USD", "CN": "CNY", "RU": "RUB"}[country]
        price = Decimal(rng.randint(5, 400)) if currency != "UZS" else Decimal(rng.randint(50, 5000) * 1000)
        supplier = f"Supplier {country}-{n % 150}"
        dual = rng.random() < 0.2
        share = Decimal("0.7") if dual else Decimal(1)
        imported = (
            None if country == "UZ" and rng.random() < 0.4 else Decimal(str(rng.choice([0.2, 0.5, 0.7])))
        )
        sourcing.append(
            Source(
                part_number=pn,
                supplier=supplier,
                production_country=country,
                unit_price=price,
                currency=currency,
                price_date=DAY,
                volume_share=share,
                imported_share=imported,
                illustrative=True,
            )
        )
        if dual:
            sourcing.append(
                Source(
                    part_number=pn,
                    supplier=f"Importer KR-{n % 40}",
                    production_country="KR",
                    unit_price=Decimal(rng.randint(5, 400)),
                    currency="USD",
                    price_date=DAY,
                    volume_share=Decimal("0.3"),
                    illustrative=True,
                )
            )
        if imported is None:  # the supplier's own inputs, sometimes from a Tier-2 with inputs of its own
            uzs = price
            for m in range(3):
                origin = rng.choice(["UZ", "RU", "KR", "CN"])
                by = f"Tier2 {n % 300}" if origin in ("UZ", "RU") and m == 0 else None
                item = f"input-{pn}-{m}"
                inputs.append(
                    SupplierInput(
                        supplier=supplier,
                        part_number=pn,
                        input=item,
                        quantity=Decimal(1),
                        unit_cost=(uzs * Decimal("0.2")).quantize(Decimal(1)),
                        currency="UZS",
                        origin_country=origin,
                        input_supplier=by,
                        illustrative=True,
                    )
                )
                if by:
                    inputs.append(
                        SupplierInput(
                            supplier=by,
                            part_number=item,
                            input="raw material",
                            quantity=Decimal(1),
                            unit_cost=(uzs * Decimal("0.1")).quantize(Decimal(1)),
                            currency="UZS",
                            origin_country=rng.choice(["KR", "RU", "UZ"]),
                            illustrative=True,
                        )
                    )
    vehicle = Vehicle(
        code="BENCH",
        name="Benchmark sedan",
        oem="UzAuto Motors",
        annual_volume=100_000,
        own_cost=Decimal(40_000_000),
        own_cost_currency="UZS",
        exw_price=Decimal(60_000_000_000),
        exw_currency="UZS",
        price_date=DAY,
        illustrative=True,
    )
    return VehicleBill(
        vehicle=vehicle, bom=tuple(bom), sourcing=tuple(sourcing), inputs=tuple(inputs), rates=RATES
    )


def as_rows(bill: VehicleBill, *, floats: bool = True) -> dict[str, list[tuple]]:
    """The bill as the rows three SELECTs would answer (tuples of plain values); with `floats`,
    amounts come as floats, as a query that casts its numeric columns answers them."""
    n = float if floats else (lambda x: x)
    m = (lambda x: None if x is None else float(x)) if floats else (lambda x: x)
    return {
        "bom": [(x.part_number, x.parent, x.name, x.hs_code, n(x.quantity)) for x in bill.bom],
        "sourcing": [
            (
                x.part_number,
                x.supplier,
                x.supplier_id,
                x.production_country,
                n(x.unit_price),
                x.currency,
                x.price_date,
                n(x.volume_share),
                m(x.imported_share),
                x.operations,
                x.illustrative,
            )
            for x in bill.sourcing
        ],
        "inputs": [
            (
                x.supplier,
                x.part_number,
                x.input,
                x.hs_code,
                n(x.quantity),
                n(x.unit_cost),
                x.currency,
                x.price_date,
                x.origin_country,
                x.input_supplier,
                x.illustrative,
            )
            for x in bill.inputs
        ],
    }


def columns_from_rows(vehicle: Vehicle, rates: RateTable, rows: dict[str, list[tuple]]) -> BillColumns:
    """`BillColumns` from query rows, as a service would build them: one transpose per table."""
    b = list(zip(*rows["bom"], strict=True))
    s = list(zip(*rows["sourcing"], strict=True))
    i = list(zip(*rows["inputs"], strict=True)) if rows["inputs"] else [()] * 11
    return BillColumns(
        vehicle=vehicle,
        rates=rates,
        part_number=list(b[0]),
        parent=list(b[1]),
        name=list(b[2]),
        hs_code=list(b[3]),
        quantity=b[4],
        s_part=list(s[0]),
        s_supplier=list(s[1]),
        s_supplier_id=list(s[2]),
        s_country=list(s[3]),
        s_price=s[4],
        s_currency=list(s[5]),
        s_date=list(s[6]),
        s_share=s[7],
        s_imported_share=list(s[8]),
        s_operations=list(s[9]),
        s_illustrative=list(s[10]),
        i_supplier=list(i[0]),
        i_part=list(i[1]),
        i_input=list(i[2]),
        i_hs_code=list(i[3]),
        i_quantity=i[4],
        i_cost=i[5],
        i_currency=list(i[6]),
        i_date=list(i[7]),
        i_origin=list(i[8]),
        i_input_supplier=list(i[9]),
        i_illustrative=list(i[10]),
    )
