"""Benchmark: the cheapest path to 45% over 2,000 candidate parts.

    .venv/bin/python benchmarks/localization_path.py [--lines 10000] [--candidates 2000] [--target 0.45]

Prints, on the synthetic bill of benchmarks/localization_level.py with one or two options per
candidate part (a local maker's price 0.9-1.4x the current one, 0-60% imported, some with a
one-off tooling cost):
  ours      the integer program solved by HiGHS (scipy.optimize.milp): status, time, cost, the
            level reached (recomputed by the Uzbek method on the changed bill)
  baseline  the greedy heuristic (cheapest cost per unit of benefit first) in the same run: its
            time, cost and gap to the optimum
Target (issue 12): <= 1 s over 2,000 candidates.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c
from _bill import synthetic_bill

from cooplab.localization.flat import UZ, flatten_bill
from cooplab.localization.opportunities import (
    LocalizationOption,
    _model,
    cheapest_path,
    greedy_path,
)


def options_for(flat, candidates: int, seed: int = 7) -> list[LocalizationOption]:
    rng = random.Random(seed)
    content = flat.content(UZ)
    lines = [i for i in range(flat.lines) if flat.counted[i] and content.line_outside[i] > 0]
    lines = sorted(lines, key=lambda i: -flat.qty[i] * content.line_outside[i])[:candidates]
    out = []
    for i in lines:
        for k in range(1 if rng.random() < 0.6 else 2):
            price = content.line_price[i] * rng.uniform(0.9, 1.4)
            out.append(
                LocalizationOption(
                    part_number=flat.part_number[i],
                    supplier=f"Local maker {k}",
                    unit_price=Decimal(str(round(price, 2))),
                    imported_share=Decimal(str(round(rng.uniform(0, 0.6), 3))),
                    one_off_cost=Decimal(rng.choice([0, 0, 0, 50_000_000, 200_000_000])),
                    illustrative=True,
                )
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--candidates", type=int, default=2_000)
    parser.add_argument("--target", type=float, default=0.45)
    parser.add_argument("--time-limit", type=float, default=1.0)
    args = parser.parse_args()
    print(c.machine())
    flat = flatten_bill(synthetic_bill(args.lines))
    options = options_for(flat, args.candidates)
    print(
        f"bill: {flat.lines} lines; {args.candidates} candidate parts, {len(options)} options; "
        f"target {args.target:.0%}"
    )
    start = time.perf_counter()
    result = cheapest_path(flat, options, target=args.target, time_limit=args.time_limit, with_greedy=False)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    m = _model(flat, options, args.target)
    taken = greedy_path(flat, options, target=args.target)
    greedy = time.perf_counter() - start
    greedy_cost = float(m.cost[taken].sum())
    print(
        f"ours      HiGHS: {result.status.value}, gap {result.gap}, {ours * 1000:.0f} ms, "
        f"{len(result.chosen)} parts, {float(result.annual_cost or 0):,.0f} UZS a year, "
        f"level {result.level_before:.4f} -> {result.level_after}"
    )
    if result.annual_cost:
        gap = (greedy_cost - float(result.annual_cost)) / abs(float(result.annual_cost))
        print(
            f"baseline  greedy: {greedy * 1000:.0f} ms, {len(taken)} parts, {greedy_cost:,.0f} UZS a year, "
            f"{gap:+.3%} against the optimum"
        )


if __name__ == "__main__":
    main()
