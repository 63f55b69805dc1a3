"""Benchmark: the localization level of a 10,000-line, 4-level bill under all three methods.

    .venv/bin/python benchmarks/localization_level.py [--lines 10000] [--repeat 15]

Prints, on the same synthetic bill (sourcing, dual sources, Tier-2 and Tier-3 inputs):
  ours      the bill's rows (as three SELECTs answer them) -> columns -> flat arrays -> the three
            methods (uz_cost_share, cis_origin, ru_719_points), results with thresholds and missing
  methods   the three methods alone on an already flat bill (what a cached bill costs)
  parts     the per-part explanations of one method, built when asked (JSON path)
  baseline  a per-row Python loop over the bill's objects (Decimal arithmetic, dict lookups,
            memoised recursion through supplier inputs): the Uzbek level and the CIS share
  database  the bill stored (imported as a workbook) in a fresh SQLite file and PostgreSQL schema,
            then the three levels as the service answers them: the visible bill read with three
            SELECTs, flattened, the three methods (the target of issue 12: <= 50 ms)
  baseline  the same stored bill read as ORM objects row by row (lines, their sources and the
            supplier inputs through relationships), then the per-row loop above
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from _bill import as_rows, columns_from_rows, synthetic_bill

from cooplab.catalog.schemas import VehicleBill, supplier_key
from cooplab.localization.flat import flatten_bill
from cooplab.localization.methods import all_levels, localization_level
from cooplab.localization.rules import origin_rules
from cooplab.vocab.money import RateTable


def per_row_levels(bill: VehicleBill) -> tuple[Decimal, Decimal]:
    """The baseline: the Uzbek level and the CIS non-originating share, row by row."""
    rates = RateTable.of(bill.rates)
    v = bill.vehicle
    lines = {x.part_number: x for x in bill.bom}
    sources: dict[str, list] = {}
    for s in bill.sourcing:
        sources.setdefault(s.part_number, []).append(s)
    inputs: dict[tuple[str, str], list] = {}
    for i in bill.inputs:
        inputs.setdefault((supplier_key(i.supplier), i.part_number), []).append(i)
    parties = origin_rules().parties
    memo: dict[tuple, Decimal] = {}

    def outside(node: tuple[str, str], home: frozenset[str]) -> Decimal:
        key = (node, home)
        if key not in memo:
            total = Decimal(0)
            for i in inputs.get(node, []):
                value = i.quantity * rates.convert(
                    i.unit_cost, i.currency, "UZS", i.price_date or v.price_date
                )
                if i.origin_country not in home:
                    total += value
                elif i.input_supplier and (supplier_key(i.input_supplier), i.input) in inputs:
                    total += min(i.quantity * outside((supplier_key(i.input_supplier), i.input), home), value)
            memo[key] = total
        return memo[key]

    cost = rates.convert(v.own_cost, v.own_cost_currency, "UZS", v.price_date)
    imported = non_originating = Decimal(0)
    uz = frozenset({"UZ"})
    for line in bill.bom:
        qty, up, bought_above = line.quantity, line.parent, False
        while up is not None:
            parent = lines[up]
            bought_above = bought_above or up in sources
            qty *= parent.quantity
            up = parent.parent
        if line.part_number not in sources or bought_above:
            continue
        for s in sources[line.part_number]:
            price = rates.convert(s.unit_price, s.currency, "UZS", s.price_date)
            cost += qty * s.volume_share * price
            for home, acc in ((uz, "uz"), (parties, "cis")):
                node = (supplier_key(s.supplier), s.part_number)
                if s.production_country not in home:
                    part = price
                elif node in inputs:
                    part = min(outside(node, home), price)
                elif s.imported_share is not None:
                    part = price * s.imported_share
                else:
                    part = price
                if acc == "uz":
                    imported += qty * s.volume_share * part
                else:
                    non_originating += qty * s.volume_share * part
    exw = rates.convert(v.exw_price, v.exw_currency, "UZS", v.price_date)
    return 1 - imported / cost, non_originating / exw


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), result


def database_step(bill: VehicleBill, backend: str, repeat: int) -> None:
    """Store the bill in a fresh database, then time the levels read from it."""
    from sqlalchemy import select

    from cooplab.catalog.models import BomLine, Sourcing, SupplierInput
    from cooplab.catalog.models import Vehicle as StoredVehicle
    from cooplab.catalog.service import bill_columns, import_vehicle
    from cooplab.catalog.workbook import write_vehicle_csv
    from cooplab.core.audit import use_actor
    from cooplab.core.cli import actor
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.localization import service
    from cooplab.localization.filters import Method
    from cooplab.registry.schemas import NameIn, OrganizationCreate
    from cooplab.registry.service import create_organization
    from cooplab.vocab.choices import OrganizationKind

    with c.fresh_database(backend) as url:
        engine = make_engine(url)
        upgrade(engine)
        Session = session_factory(engine)
        who = actor()
        with Session() as session:
            use_actor(session, who)
            parties = {bill.vehicle.oem: ("UZ", OrganizationKind.OEM)}
            for s in bill.sourcing:
                parties.setdefault(s.supplier, (s.production_country, OrganizationKind.SUPPLIER))
            for name, (country, kind) in parties.items():
                create_organization(
                    session=session,
                    actor=who,
                    data=OrganizationCreate(kind=kind, names=[NameIn(value=name)], country=country),
                )
            start = time.perf_counter()
            import_vehicle(session=session, actor=who, files=write_vehicle_csv(bill))
            session.commit()
            stored = time.perf_counter() - start

        def levels():
            with Session() as session:
                flat = service.flat_bill(session=session, actor=who, code=bill.vehicle.code)
                return all_levels(flat)

        def cold():
            with Session() as session:
                flat = flatten_bill(bill_columns(session=session, actor=who, code=bill.vehicle.code))
                return all_levels(flat)

        def orm_rows():
            with Session() as session:
                vehicle = session.scalar(select(StoredVehicle).where(StoredVehicle.code == bill.vehicle.code))
                total = 0
                for line in session.scalars(select(BomLine).where(BomLine.vehicle_id == vehicle.id)):
                    total += len(session.scalars(select(Sourcing).where(Sourcing.line_id == line.id)).all())
                total += len(
                    session.scalars(select(SupplierInput).where(SupplierInput.vehicle_id == vehicle.id)).all()
                )
                return per_row_levels(bill), total

        levels()
        med, best, results = timed(levels, repeat)
        c_med, c_best, _ = timed(cold, repeat)
        b_med, b_best, _ = timed(orm_rows, 3)
        print(f"database  {backend}: bill stored in {stored:.1f} s")
        print(
            f"  ours      first read after a change (3 SELECTs + flat + 3 methods): median {c_med:.1f} ms (best {c_best:.1f})"
        )
        print(
            f"  ours      the bill kept flat (stamp read + 3 methods):                 median {med:.1f} ms (best {best:.1f})"
        )
        print("            target <= 50 ms")
        print(f"  baseline  per-row ORM reads + per-row loop: median {b_med:.0f} ms (best {b_best:.0f})")
        print(f"  check     uz level {results[Method.UZ_COST_SHARE.value].level:.6f}")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(c.machine())
    bill = synthetic_bill(args.lines)
    rows = as_rows(bill)
    rates = RateTable.of(bill.rates)
    print(
        f"bill: {len(bill.bom)} lines (4 levels), {len(bill.sourcing)} sources, "
        f"{len(bill.inputs)} supplier inputs"
    )

    def ours():
        flat = flatten_bill(columns_from_rows(bill.vehicle, rates, rows))
        return all_levels(flat)

    all_levels(flatten_bill(bill))  # load the rules once, as a running service has
    med, best, results = timed(ours, args.repeat)
    flat = flatten_bill(bill)
    m_med, m_best, _ = timed(lambda: all_levels(flat.evolve()), args.repeat)
    p_med, _, _ = timed(lambda: localization_level(flat, "uz_cost_share").parts, 3)
    b_med, b_best, (uz, cis) = timed(lambda: per_row_levels(bill), max(3, args.repeat // 5))
    print(f"ours      rows -> columns -> flat -> 3 methods: median {med:.1f} ms (best {best:.1f})")
    print(f"methods   3 methods on a flat bill:            median {m_med:.2f} ms (best {m_best:.2f})")
    print(f"parts     per-part explanations, one method:   median {p_med:.0f} ms ({flat.lines} rows)")
    print(f"baseline  per-row Python loop (uz + cis only):  median {b_med:.1f} ms (best {b_best:.1f})")
    got = results["uz_cost_share"].level, results["cis_origin"].non_originating_share
    print(f"check     uz level {got[0]:.6f} vs {float(uz):.6f}; cis share {got[1]:.6f} vs {float(cis):.6f}")
    print(f"speed-up  {b_med / med:.1f}x over the per-row loop, all three methods against two")
    for backend in args.backends.split(","):
        if backend == "postgresql" and not c.postgres_available():
            continue
        database_step(bill, backend, args.repeat)


if __name__ == "__main__":
    main()
