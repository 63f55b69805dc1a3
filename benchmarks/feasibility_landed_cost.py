"""Benchmark: landed cost of many part × route options, vectorised, against the per-row loop.

    .venv/bin/python benchmarks/feasibility_landed_cost.py [--parts 1000] [--routes 100] [--repeat 7]
                                                          [--baseline-rows N]

Builds P synthetic part offers (prices in USD, RUB or EUR; origins RU, KR, KZ, UZ with or without
ST-1; Incoterms EXW, FCA, CPT, CIP, DAP, DDP; freight shared by weight, volume or units) and R
synthetic road/rail routes of 2 or 3 legs to Asaka, and evaluates every pair (P × R options).

Prints:
  ours      evaluate_options: each part and each route (per Incoterm) prepared once in Python,
            then every option by the component formulas on numpy arrays; median of --repeat runs,
            end to end, and its numeric core alone
  baseline  loop_landed_costs: the same options one by one, prepared per row and run through
            the same calculators with their explanations (all rows, or --baseline-rows of them)
and checks that both give the same float64 numbers. Target (issue): 100,000 options <= 100 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
import numpy as np  # noqa: E402

from cooplab.feasibility.batch import evaluate_options, loop_landed_costs  # noqa: E402
from cooplab.feasibility.components import ORDER, evaluate  # noqa: E402
from cooplab.feasibility.landed_cost import LandedTerms, PartOffer  # noqa: E402
from cooplab.feasibility.routes import Route  # noqa: E402
from cooplab.vocab.money import Rate, RateTable  # noqa: E402

TARGET_MS = 100.0
ORIGINS = ["togliatti", "samara", "ulyanovsk", "izhevsk", "naberezhnye_chelny", "nizhny_novgorod", "moscow"]


def build(
    parts: int, routes: int, seed: int = 13
) -> tuple[list[PartOffer], list[Route], LandedTerms, RateTable]:
    rnd = random.Random(seed)
    offers = []
    for i in range(parts):
        term = rnd.choice(["EXW", "CPT", "CIP", "DAP", "DDP"])
        origin = rnd.choice(["RU", "RU", "KR", "KZ", "UZ"])
        offers.append(
            PartOffer.model_validate(
                {
                    "name": f"part {i}",
                    "hs_code": rnd.choice(["8708.10", "8708.29", "8512.20", "9401.90"]),
                    "price": Decimal(rnd.randint(100, 500000)) / 100,
                    "currency": rnd.choice(["USD", "RUB", "EUR"]),
                    "incoterm": term,
                    "named_place": {
                        "EXW": None,
                        "CPT": "tashkent",
                        "CIP": "tashkent",
                        "DAP": "tashkent",
                        "DDP": None,
                    }[term],
                    "origin_country": origin,
                    "certificate": rnd.choice(["st1", "none"]),
                    "duty_rate": None if rnd.random() < 0.5 else Decimal(rnd.randint(0, 20)) / 100,
                    "weight_kg": Decimal(rnd.randint(1, 50000)) / 100,
                    "volume_m3": Decimal(rnd.randint(1, 2000)) / 10000,
                    "allocation": rnd.choice(["weight", "volume", "units"]),
                    "units_per_shipment": rnd.choice([None, 200, 800]),
                    "excise_rate": 0,
                }
            )
        )
    # routes start at different cities, so the terms are those whose named place every route has
    built = []
    for j in range(routes):
        start = rnd.choice(ORIGINS)
        mode = rnd.choice(["road", "rail"])

        def tariff(mode: str = mode) -> dict[str, object]:
            return {
                "amount": rnd.randint(500, 6000),
                "currency": rnd.choice(["USD", "RUB"]) if mode == "road" else "USD",
                "as_of": "2026-06-01",
                "capacity": {"weight_kg": 20000, "volume_m3": 82, "units": 1000},
            }

        legs = [
            {
                "from": start,
                "to": "tashkent",
                "mode": mode,
                "distance_km": rnd.randint(2000, 3800),
                "transit_days": rnd.randint(4, 14),
                "tariff": tariff(),
            },
            {
                "from": "tashkent",
                "to": "asaka",
                "mode": "road",
                "distance_km": 330,
                "transit_days": 1,
                "tariff": {
                    "basis": "per_km",
                    "amount": 1.2,
                    "currency": "USD",
                    "as_of": "2026-06-01",
                    "capacity": {"weight_kg": 20000, "volume_m3": 82, "units": 1000},
                },
            },
        ]
        built.append(
            Route.model_validate(
                {
                    "name": f"route {j}",
                    "legs": legs,
                    "safety_stock_days": rnd.randint(5, 30),
                    "risk_premium": {"rate": rnd.randint(0, 3) / 100},
                }
            )
        )
    terms = LandedTerms.model_validate(
        {
            "currency": "USD",
            "as_of": date(2026, 11, 15),
            "insurance_rate": "0.003",
            "carrying_rate": "0.14",
            "safety_stock_days": 10,
            "fx_spread": "0.005",
            "duty_rates": [
                {"hs": "8708", "rate": "0.05"},
                {"hs": "8512", "rate": "0.1"},
                {"hs": "9401", "rate": "0.07"},
            ],
        }
    )
    rates = RateTable.of(
        [
            Rate("USD", date(2026, 1, 1), Decimal(12050)),
            Rate("RUB", date(2026, 1, 1), Decimal(150)),
            Rate("EUR", date(2026, 1, 1), Decimal(13900)),
        ]
    )
    return offers, built, terms, rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", type=int, default=1000)
    parser.add_argument("--routes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--baseline-rows", type=int, default=0, help="0: every option")
    args = parser.parse_args()
    print(c.machine())
    offers, routes, terms, rates = build(args.parts, args.routes)
    n = len(offers) * len(routes)
    print(f"{len(offers)} offers × {len(routes)} routes = {n:,} options")

    runs, cores = [], []
    table = None
    for _ in range(args.repeat):
        start = time.perf_counter()
        table = evaluate_options(offers, routes, terms=terms, rates=rates)
        runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        evaluate(table.numbers, table.components)
        cores.append(time.perf_counter() - start)
    assert table is not None and len(table) == n
    ours = statistics.median(runs) * 1000
    core = statistics.median(cores) * 1000
    print(
        f"ours      evaluate_options, end to end   median {ours:8.1f} ms  (min {min(runs) * 1000:.1f}, "
        f"max {max(runs) * 1000:.1f}; {args.repeat} runs)   target <= {TARGET_MS:.0f} ms: "
        f"{'met' if ours <= TARGET_MS else 'NOT met'}"
    )
    print(f"          its numeric core alone          median {core:8.1f} ms")

    rows = n if args.baseline_rows <= 0 else min(args.baseline_rows, n)
    sample = table
    if rows < n:
        pick = np.sort(np.random.default_rng(7).choice(n, rows, replace=False))
        pairs = np.stack([table.offer_index[pick], table.route_index[pick]], axis=1)
        sample = evaluate_options(offers, routes, pairs, terms=terms, rates=rates)
    start = time.perf_counter()
    totals, results = loop_landed_costs(sample)
    loop_s = time.perf_counter() - start
    per_row_us = loop_s / rows * 1e6
    baseline_ms = per_row_us * n / 1000
    same = np.array_equal(totals, sample.total) and all(
        np.array_equal(np.array([r[k].amount for r in results]), sample.amounts[name])
        for k, name in enumerate(ORDER)
    )
    print(
        f"baseline  loop_landed_costs over {rows:,} rows  {loop_s * 1000:8.1f} ms  ({per_row_us:.1f} µs a row"
        + ("" if rows == n else f"; {baseline_ms:,.0f} ms for all {n:,}")
        + ")"
    )
    print(f"ratio     baseline / ours = {baseline_ms / ours:,.0f}×   same numbers: {same}")
    print(f"peak memory {c.peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
