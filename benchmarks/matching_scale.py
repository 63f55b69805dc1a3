"""Benchmark: ranking suppliers for needs over a synthetic national supplier base.

    .venv/bin/python benchmarks/matching_scale.py [--suppliers 100000] [--capabilities 1000000]
        [--needs 10000] [--seed 14] [--latency 1000] [--brute 20] [--pairs 2000]

Generates the base with `cooplab.matching.synthetic` (fixed seed; every record illustrative):
suppliers specialised in a few product families, skewed product popularity, descriptions in
Russian, Uzbek and English. Builds the capability table and the candidate index, then prints:

  ours       top-10 suppliers for one need with reasons (index, then exact scoring of the best
             thousand candidates, then explanations): latency p50/p95/mean over `--latency` needs;
             all needs: total time with explanations, and scores only
  baseline   brute force in the same run: every row scored (the same vectorised features, no
             index) for `--brute` needs, with the agreement of our top-10 with its top-10;
             and per-pair scoring with reasons (Scorer.match) timed on `--pairs` pairs, scaled
             to every pair of one need
  memory     the table's and the index's arrays, and the process's peak RSS

Targets (issue 14): top-10 p95 <= 50 ms; all 10,000 needs <= 60 s. The pg_trgm baseline
comes with the database step.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, peak_rss_mb, pct  # noqa: E402

from cooplab.matching.index import CandidateIndex  # noqa: E402
from cooplab.matching.ranking import rank_suppliers  # noqa: E402
from cooplab.matching.scoring import Scorer  # noqa: E402
from cooplab.matching.synthetic import SupplierBase, synthetic_table  # noqa: E402

ON = date(2026, 11, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--capabilities", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--latency", type=int, default=1000, help="needs timed one by one")
    parser.add_argument("--brute", type=int, default=20, help="needs ranked by brute force")
    parser.add_argument("--pairs", type=int, default=2000, help="pairs scored one by one")
    args = parser.parse_args()

    print(machine())
    base = SupplierBase(suppliers=args.suppliers, capabilities=args.capabilities, needs=args.needs, seed=args.seed)
    print(f"base: {args.suppliers:,} suppliers, {args.capabilities:,} capability rows, {args.needs:,} needs, "
          f"seed {args.seed}")
    started = time.perf_counter()
    table = synthetic_table(base, progress=True)
    built = time.perf_counter()
    index = CandidateIndex(table)
    indexed = time.perf_counter()
    needs = base.needs_list()
    scorer = Scorer()
    print(f"build: table {built - started:.1f} s ({table.nbytes() / 2**20:.0f} MiB of arrays, "
          f"{len(table.text_vocabulary):,} text features, {len(table.text_features):,} entries); "
          f"index {indexed - built:.1f} s ({index.nbytes() / 2**20:.0f} MiB); peak RSS {peak_rss_mb():.0f} MiB")

    for need in needs[:20]:  # warm the per-place distance columns and the caches
        rank_suppliers(need, table, on=ON, scorer=scorer, index=index)

    latencies = []
    empty = 0
    for need in needs[: args.latency]:
        t0 = time.perf_counter()
        ranking = rank_suppliers(need, table, on=ON, scorer=scorer, index=index)
        latencies.append((time.perf_counter() - t0) * 1000)
        empty += not ranking.matches
    print(f"ours, top-10 with reasons, {len(latencies)} needs: p50 {pct(latencies, 50):.1f} ms, "
          f"p95 {pct(latencies, 95):.1f} ms, mean {statistics.fmean(latencies):.1f} ms "
          f"({empty} honest empty answers)")

    t0 = time.perf_counter()
    for need in needs:
        rank_suppliers(need, table, on=ON, scorer=scorer, index=index)
    explained = time.perf_counter() - t0
    t0 = time.perf_counter()
    for need in needs:
        rank_suppliers(need, table, on=ON, scorer=scorer, index=index, explain=False)
    scores_only = time.perf_counter() - t0
    print(f"ours, all {len(needs):,} needs: {explained:.1f} s with reasons, {scores_only:.1f} s scores only")

    brute_ms = []
    agreement = []
    gaps = []
    for need in needs[: args.brute]:
        t0 = time.perf_counter()
        exact = rank_suppliers(need, table, on=ON, scorer=scorer, explain=False)
        brute_ms.append((time.perf_counter() - t0) * 1000)
        ours = rank_suppliers(need, table, on=ON, scorer=scorer, index=index, explain=False)
        want = {m.supplier_id for m in exact.matches}
        agreement.append(len(want & {m.supplier_id for m in ours.matches}) / len(want) if want else 1.0)
        if exact.matches and ours.matches:
            gaps.append(exact.matches[-1].score - ours.matches[-1].score)
    mean_brute = statistics.fmean(brute_ms)
    print(f"baseline, brute force over every row, {len(brute_ms)} needs: mean {mean_brute:.0f} ms a need, "
          f"p95 {pct(brute_ms, 95):.0f} ms; all {len(needs):,} needs would take {mean_brute * len(needs) / 1000:.0f} s")
    print(f"agreement of our top-10 suppliers with brute force: {statistics.fmean(agreement):.3f} "
          f"(10th score short by {max(gaps, default=0):.4f} at most)")

    pairs = [(needs[i % len(needs)], base.capability((i * 7_919) % args.capabilities)) for i in range(args.pairs)]
    t0 = time.perf_counter()
    for need, capability in pairs:
        scorer.match(need, capability, on=ON)
    per_pair = (time.perf_counter() - t0) / len(pairs)
    print(f"baseline, every pair scored with reasons: {per_pair * 1e6:.0f} µs a pair, so "
          f"{per_pair * args.capabilities:.0f} s for one need over {args.capabilities:,} rows")
    print(f"memory: table {table.nbytes() / 2**20:.0f} MiB + index {index.nbytes() / 2**20:.0f} MiB of arrays; "
          f"peak RSS {peak_rss_mb():.0f} MiB")


if __name__ == "__main__":
    main()
