"""Benchmark: the investment model of local production with its tornado and break-evens.

    .venv/bin/python benchmarks/feasibility_invest.py [--repeat 50] [--file docs/examples/feasibility/local_production.yaml]

Prints:
  ours      evaluate_investment (without scenarios): cash flows of both views, their indicators
            (numpy-financial), the tornado (the base and ten variants in one numpy pass), the
            break-even volume and price (16 points a round in one pass); median of --repeat runs
  baseline  the same model with every variant evaluated on its own: the tornado's eleven cash-flow
            passes one by one, and the break-evens by plain bisection, one model a step
and checks that both give the same NPVs. Target (issue): the model with its tornado <= 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
import numpy as np  # noqa: E402

from cooplab.feasibility.files import read_invest_file  # noqa: E402
from cooplab.feasibility.indicators import indicators, npv_many  # noqa: E402
from cooplab.feasibility.investment import (  # noqa: E402
    DRIVERS,
    Factors,
    InvestmentModel,
    evaluate_investment,
    flows,
    headline,
    prepare,
)

TARGET_MS = 50.0


def one_by_one(model: InvestmentModel) -> tuple[list[float], float, float]:
    """The baseline: base and tornado variants one model at a time; break-evens by bisection."""
    p = prepare(model)
    rate = float(model.discount_rate)
    size = float(model.sensitivity)

    def npv_of(**factors: float) -> float:
        f = Factors.base(1)
        for name, value in factors.items():
            setattr(f, name, np.array([value]))
        return float(npv_many(rate, headline(p, flows(p, f)))[0])

    fl = flows(p, Factors.base(1))
    indicators(headline(p, fl)[0], discount_rate=rate)
    values = [npv_of()]
    for driver in DRIVERS:
        values += [npv_of(**{driver: 1 - size}), npv_of(**{driver: 1 + size})]

    def bisect(name: str, low: float, high: float) -> float:
        while npv_of(**{name: high}) < 0:
            high *= 2
        for _ in range(40):
            mid = (low + high) / 2
            low, high = (mid, high) if npv_of(**{name: mid}) < 0 else (low, mid)
        return (low + high) / 2

    volume = bisect("volume", 0.0, 1.0) * float(p.volume.max())
    price = bisect(
        "price_override", 0.0, max(p.price_dom + p.price_for + p.price_freight_dom + p.price_freight_for, 1)
    )
    return values, volume, price


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--file",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "docs/examples/feasibility/local_production.yaml",
    )
    args = parser.parse_args()
    print(c.machine())
    model = read_invest_file(args.file)
    assert isinstance(model, InvestmentModel)
    print(
        f"model {args.file.name}: {model.years} years, {len(model.capex)} capex items, loan: {model.loan is not None}"
    )

    def median_ms(job) -> tuple[float, object]:  # type: ignore[no-untyped-def]
        times, out = [], None
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = job()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000, out

    ours, result = median_ms(lambda: evaluate_investment(model, with_scenarios=False))
    base, (values, volume, price) = median_ms(lambda: one_by_one(model))  # type: ignore[misc]
    print(
        f"ours      evaluate_investment with tornado and break-evens  median {ours:7.2f} ms   "
        f"target <= {TARGET_MS:.0f} ms: {'met' if ours <= TARGET_MS else 'NOT met'}"
    )
    print(f"baseline  one variant at a time, bisection                  median {base:7.2f} ms")
    print(f"ratio     baseline / ours = {base / ours:.1f}×")
    bars = {b.driver: b for b in result.tornado}  # type: ignore[attr-defined]
    same = abs(float(result.npv) - values[0]) < 0.01 and all(  # type: ignore[attr-defined]
        abs(float(bars[d].npv_low) - values[1 + 2 * k]) < 0.01
        and abs(float(bars[d].npv_high) - values[2 + 2 * k]) < 0.01
        for k, d in enumerate(DRIVERS)
    )
    close = (
        abs(float(result.break_even_volume.value) - volume) <= 1  # type: ignore[attr-defined]
        and abs(float(result.break_even_price.value) - price) <= 0.0001
    )  # type: ignore[attr-defined]
    print(f"same NPVs: {same}; same break-evens (to the unit and 0.0001): {close}")
    print(
        f"NPV {result.npv} {result.currency}, IRR {result.irr}, break-even volume "  # type: ignore[attr-defined]
        f"{result.break_even_volume.value}, break-even price {result.break_even_price.value}"
    )  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
