"""Benchmark: ranking suppliers for needs over a synthetic national supplier base.

    .venv/bin/python benchmarks/matching_scale.py [--suppliers 100000] [--capabilities 1000000]
        [--needs 10000] [--seed 14] [--latency 1000] [--brute 20] [--pairs 2000]

Generates the base with `cooplab.matching.synthetic` (fixed seed; every record illustrative):
suppliers specialised in a few product families, skewed product popularity, descriptions in
Russian, Uzbek and English. Builds the capability table (rows ordered by product) and the
candidate index, then prints:

  ours       top-10 suppliers for one need with reasons (index, then exact scoring of the best
             thousand candidates, then explanations): latency p50/p95/mean over `--latency` needs;
             all needs: total time with explanations, and scores only
  baseline   brute force in the same run: every row scored (the same vectorised features, no
             index) for `--brute` needs, with the agreement of our top-10 with its top-10;
             and per-pair scoring with reasons (Scorer.match) timed on `--pairs` pairs, scaled
             to every pair of one need
  memory     the table's and the index's arrays, and the process's peak RSS

Times are wall clock and CPU time of this process (the machine is shared: under load the wall
clock counts other processes' turns, CPU time does not).

Targets (issue 14): top-10 p95 <= 50 ms; all 10,000 needs <= 60 s. The pg_trgm baseline
comes with the database step.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, pct, peak_rss_mb  # noqa: E402

from cooplab.matching.index import CandidateIndex  # noqa: E402
from cooplab.matching.ranking import NeedIndex, rank_needs, rank_suppliers  # noqa: E402
from cooplab.matching.scoring import Scorer  # noqa: E402
from cooplab.matching.synthetic import SupplierBase, synthetic_table  # noqa: E402

ON = date(2026, 11, 1)


def _timed_load(table):  # type: ignore[no-untyped-def]
    """Wrap the table's record loader to add up the time spent in it (seconds, in [0])."""
    spent = [0.0]
    load = table.load

    def timed(rows):  # type: ignore[no-untyped-def]
        c0 = time.process_time()
        try:
            return load(rows)
        finally:
            spent[0] += time.process_time() - c0

    table.load = timed
    return spent


def _cached_table(base: SupplierBase, path: Path | None):  # type: ignore[no-untyped-def]
    key = (base.suppliers, base.capabilities, base.seed)
    if path is not None and path.exists():
        with path.open("rb") as file:
            saved_key, table = pickle.load(file)
        if saved_key == key:
            print(f"table read from {path}")
            table.load = lambda rows: [base.capability(int(r)) for r in rows]
            return table
    table = synthetic_table(base, progress=True)
    if path is not None:
        load, table.load = table.load, None
        with path.open("wb") as file:
            pickle.dump((key, table), file, protocol=pickle.HIGHEST_PROTOCOL)
        table.load = load
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--capabilities", type=int, default=1_000_000)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--latency", type=int, default=1000, help="needs timed one by one")
    parser.add_argument("--brute", type=int, default=20, help="needs ranked by brute force")
    parser.add_argument("--pairs", type=int, default=2000, help="pairs scored one by one")
    parser.add_argument(
        "--table-cache",
        type=Path,
        default=None,
        help="keep the built table in this file and reuse it (same sizes and seed)",
    )
    args = parser.parse_args()

    print(machine())
    base = SupplierBase(
        suppliers=args.suppliers, capabilities=args.capabilities, needs=args.needs, seed=args.seed
    )
    print(
        f"base: {args.suppliers:,} suppliers, {args.capabilities:,} capability rows, {args.needs:,} needs, "
        f"seed {args.seed}"
    )
    started = time.perf_counter()
    table = _cached_table(base, args.table_cache)
    table = table.by_product()  # rows of a product together in memory
    built = time.perf_counter()
    gc.collect()
    gc.freeze()  # the table and caches stay: collections need not walk them again
    index = CandidateIndex(table)
    indexed = time.perf_counter()
    needs = base.needs_list()
    scorer = Scorer()
    print(
        f"build: table {built - started:.1f} s ({table.nbytes() / 2**20:.0f} MiB of arrays, "
        f"{len(table.text_vocabulary):,} text features, {len(table.text_features):,} entries); "
        f"index {indexed - built:.1f} s ({index.nbytes() / 2**20:.0f} MiB); peak RSS {peak_rss_mb():.0f} MiB"
    )

    loading = _timed_load(table)
    for need in needs[:20]:  # warm the per-place distance columns and the caches
        rank_suppliers(need, table, on=ON, scorer=scorer, index=index)

    latencies, cpu, loads = [], [], []
    empty = 0
    for need in needs[: args.latency]:
        loading[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        ranking = rank_suppliers(need, table, on=ON, scorer=scorer, index=index)
        loads.append(loading[0] * 1000)
        latencies.append((time.perf_counter() - t0) * 1000 - loads[-1])
        cpu.append((time.process_time() - c0) * 1000 - loads[-1])
        empty += not ranking.matches
    print(
        f"ours, top-10 with reasons, {len(latencies)} needs: wall p50 {pct(latencies, 50):.1f} ms, "
        f"p95 {pct(latencies, 95):.1f} ms, mean {statistics.fmean(latencies):.1f} ms; CPU p50 "
        f"{pct(cpu, 50):.1f} ms, p95 {pct(cpu, 95):.1f} ms ({empty} honest empty answers); not counted: "
        f"rebuilding the 10 synthetic records to explain, {statistics.fmean(loads):.1f} ms a need "
        f"(a read by id from the database in the service)"
    )

    for explain in (True, False):
        loading[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        for need in needs:
            rank_suppliers(need, table, on=ON, scorer=scorer, index=index, explain=explain)
        wall, used = time.perf_counter() - t0 - loading[0], time.process_time() - c0 - loading[0]
        print(
            f"ours, all {len(needs):,} needs {'with reasons' if explain else 'scores only'}: "
            f"wall {wall:.1f} s, CPU {used:.1f} s"
            + (f" (+ {loading[0]:.1f} s rebuilding records)" if explain else "")
        )

    need_index = NeedIndex(needs)
    supplier_ms = []
    for supplier in range(0, args.suppliers, max(1, args.suppliers // 50))[:50]:
        rows = list(
            range(
                supplier * args.capabilities // args.suppliers,
                (supplier + 1) * args.capabilities // args.suppliers,
            )
        )
        capabilities = [base.capability(r) for r in rows]
        c0 = time.process_time()
        rank_needs(capabilities, need_index, on=ON, scorer=scorer)
        supplier_ms.append((time.process_time() - c0) * 1000)
    print(
        f"ours, best needs for a supplier ({len(supplier_ms)} suppliers, about "
        f"{args.capabilities // args.suppliers} capabilities each, over {len(needs):,} needs): "
        f"CPU p50 {pct(supplier_ms, 50):.0f} ms, p95 {pct(supplier_ms, 95):.0f} ms"
    )

    brute_ms = []
    agreement = []
    gaps = []
    brute_cpu = []
    for need in needs[: args.brute]:
        t0, c0 = time.perf_counter(), time.process_time()
        exact = rank_suppliers(need, table, on=ON, scorer=scorer, explain=False)
        brute_ms.append((time.perf_counter() - t0) * 1000)
        brute_cpu.append((time.process_time() - c0) * 1000)
        ours = rank_suppliers(need, table, on=ON, scorer=scorer, index=index, explain=False)
        want = {m.supplier_id for m in exact.matches}
        agreement.append(len(want & {m.supplier_id for m in ours.matches}) / len(want) if want else 1.0)
        if exact.matches and ours.matches:
            gaps.append(exact.matches[-1].score - ours.matches[-1].score)
    mean_brute = statistics.fmean(brute_ms)
    print(
        f"baseline, brute force over every row, {len(brute_ms)} needs: wall mean {mean_brute:.0f} ms a need, "
        f"p95 {pct(brute_ms, 95):.0f} ms; CPU mean {statistics.fmean(brute_cpu):.0f} ms; all {len(needs):,} "
        f"needs would take {statistics.fmean(brute_cpu) * len(needs) / 1000:.0f} s of CPU"
    )
    print(
        f"agreement of our top-10 suppliers with brute force: {statistics.fmean(agreement):.3f} "
        f"(10th score short by {max(gaps, default=0):.4f} at most)"
    )

    pairs = [
        (needs[i % len(needs)], base.capability((i * 7_919) % args.capabilities)) for i in range(args.pairs)
    ]
    c0 = time.process_time()
    for need, capability in pairs:
        scorer.match(need, capability, on=ON)
    per_pair = (time.process_time() - c0) / len(pairs)
    print(
        f"baseline, every pair scored with reasons: {per_pair * 1e6:.0f} µs a pair, so "
        f"{per_pair * args.capabilities:.0f} s for one need over {args.capabilities:,} rows"
    )
    print(
        f"memory: table {table.nbytes() / 2**20:.0f} MiB + index {index.nbytes() / 2**20:.0f} MiB of arrays; "
        f"peak RSS {peak_rss_mb():.0f} MiB"
    )


if __name__ == "__main__":
    main()
