"""Benchmark: a what-if scenario re-evaluated on a 10,000-line bill under all three methods.

    .venv/bin/python benchmarks/localization_scenario.py [--lines 10000] [--repeat 30]

Prints, on the same synthetic bill as benchmarks/localization_level.py:
  ours      apply the changes to the flat arrays (5 parts move, one supplier localizes an input
            with its cost passed up the tiers) and compute the three methods, with the cost
            change per vehicle and per year and the thresholds crossed; the current results are
            given, as a page comparing scenarios has them
  baseline  the same changes made to the bill's objects, flattened again and computed again
Target (issue 12): a scenario re-evaluated in <= 5 ms.
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
from _bill import synthetic_bill

from cooplab.catalog.schemas import Source
from cooplab.localization.flat import flatten_bill
from cooplab.localization.methods import all_levels
from cooplab.localization.scenarios import LocalizeInput, MovePart, Scenario, evaluate_scenario


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(c.machine())
    bill = synthetic_bill(args.lines)
    flat = flatten_bill(bill)
    baseline = all_levels(flat)
    bought = [p for i, p in enumerate(flat.part_number) if flat.counted[i]]
    moved = bought[:: len(bought) // 5][:5]
    item = bill.inputs[0]
    changes = [
        MovePart(
            part_number=p,
            supplier="Local maker (illustrative)",
            production_country="UZ",
            imported_share=Decimal("0.3"),
        )
        for p in moved
    ]
    changes.append(
        LocalizeInput(
            supplier=item.supplier,
            input=item.input,
            origin_country="UZ",
            unit_cost=item.unit_cost * Decimal("1.1"),
        )
    )
    scenario = Scenario(name="five parts local, one input local", changes=changes)
    print(
        f"bill: {flat.lines} lines, {len(flat.s_line)} sources, {len(flat.r_owner)} inputs; "
        f"{len(changes)} changes"
    )

    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = evaluate_scenario(flat, scenario, baseline=baseline)
        times.append((time.perf_counter() - start) * 1000)

    def naive():
        keep = [s for s in bill.sourcing if s.part_number not in moved]
        added = [
            Source(
                part_number=p,
                supplier="Local maker (illustrative)",
                production_country="UZ",
                unit_price=Decimal(1),
                currency="UZS",
                price_date=bill.vehicle.price_date,
                imported_share=Decimal("0.3"),
            )
            for p in moved
        ]
        changed = bill.model_copy(update={"sourcing": tuple(keep + added)})
        return all_levels(flatten_bill(changed))

    base_times = []
    for _ in range(max(3, args.repeat // 6)):
        start = time.perf_counter()
        naive()
        base_times.append((time.perf_counter() - start) * 1000)
    uz = result.methods["uz_cost_share"]
    print(
        f"ours      patch arrays + 3 methods: median {statistics.median(times):.2f} ms "
        f"(best {min(times):.2f}); uz {uz.before:.4f} -> {uz.after:.4f}, "
        f"{result.cost_change_per_year} UZS a year"
    )
    print(
        f"baseline  rebuild + re-flatten + 3 methods: median {statistics.median(base_times):.1f} ms "
        f"(best {min(base_times):.1f})"
    )


if __name__ == "__main__":
    main()
