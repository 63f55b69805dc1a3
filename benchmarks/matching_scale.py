"""Benchmark: ranking suppliers for needs over a synthetic national supplier base.

    .venv/bin/python benchmarks/matching_scale.py [--suppliers 100000] [--capabilities 1000000]
        [--needs 10000] [--seed 14] [--latency 1000] [--brute 20] [--pairs 2000]
        [--database none|sqlite|postgresql|both] [--db-latency 300] [--db-trgm 200] [--memory-only]
        [--database-only] [--writes 10]

Generates the base with `cooplab.matching.synthetic` (fixed seed; every record illustrative):
suppliers specialised in a few product families, skewed product popularity, descriptions in
Russian, Uzbek and English. Builds the capability table (rows ordered by product) and the
candidate index, then prints:

  ours       top-10 suppliers for one need with reasons (index, then exact scoring of the best
             thousand candidates, then explanations): latency p50/p95/mean over `--latency` needs;
             all needs: total time with explanations, and scores only, one need at a time and
             all at once (`rank_many`), with how many answers are the same both ways
  baseline   brute force in the same run: every row scored (the same vectorised features, no
             index) for `--brute` needs, with the agreement of our top-10 with its top-10;
             and per-pair scoring with reasons (Scorer.match) timed on `--pairs` pairs, scaled
             to every pair of one need
  memory     the table's and the index's arrays, and the process's peak RSS

Times are wall clock and CPU time of this process (the machine is shared: under load the wall
clock counts other processes' turns, CPU time does not).

With `--database`, the same base is written into a fresh SQLite file and/or PostgreSQL schema
(`cooplab.matching.synthetic_store`: suppliers as registry organizations, bulk Core inserts; one
capability in ten its organization's only, one in ten anonymous), and measured through the
service (`matching.service.need_matches`, a new session a request, as the API does), for an
administrator and for a member of a buyer (who sees nine rows in ten):

  database   the load; the cold build (the first request: one Core select of the columns, the
             table, the index); the member's first request (its visibility mask); top-10 with
             reasons p50/p95 over `--db-latency` needs warm, each actor; all needs scored
             (scores only, from the kept table and index, one at a time and all at once) and, with
             `--db-explain-all`, through
             the service with reasons; brute force over every visible row of the kept table for
             `--brute` needs, with the agreement of our top-10; the kept table updated after a
             few writes (`--writes` capabilities edited, 1 deleted, 1 added, a supplier's tier)
             from the change log, against the fingerprint update and a cold build of the same
             rows in the same run (CPU seconds); peak RSS
  pg_trgm    (PostgreSQL) a GIN trigram index on the descriptions and the top-10 suppliers by
             `similarity()` for `--db-trgm` needs: its p50/p95 and its agreement with ours

`--database-only` skips the in-memory measures when a database is given.

Targets (issue 14): top-10 p95 <= 50 ms; all 10,000 needs <= 60 s.
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
from cooplab.matching.ranking import NeedIndex, rank_many, rank_needs, rank_suppliers  # noqa: E402
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
    parser.add_argument("--database", choices=["none", "sqlite", "postgresql", "both"], default="none")
    parser.add_argument("--db-latency", type=int, default=300, help="needs timed through the service")
    parser.add_argument("--db-trgm", type=int, default=200, help="needs ranked by pg_trgm similarity")
    parser.add_argument("--db-explain-all", action="store_true", help="every need through the service")
    parser.add_argument("--database-only", action="store_true", help="skip the in-memory measures")
    parser.add_argument("--writes", type=int, default=10, help="capabilities edited before the update")
    args = parser.parse_args()
    if args.database_only and args.database != "none":
        print(machine())
        base = SupplierBase(
            suppliers=args.suppliers, capabilities=args.capabilities, needs=args.needs, seed=args.seed
        )
        for backend in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
            database_step(base, backend, args)
        return

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

    t0, c0 = time.perf_counter(), time.process_time()
    together = rank_many(needs, table, on=ON, scorer=scorer, index=index)
    wall, used = time.perf_counter() - t0, time.process_time() - c0
    alone = [
        rank_suppliers(need, table, on=ON, scorer=scorer, index=index, explain=False) for need in needs[:500]
    ]
    print(
        f"ours, all {len(needs):,} needs at once (rank_many, scores only): wall {wall:.1f} s, CPU {used:.1f} s; "
        f"the same answers as one need at a time: {_same(together, alone)} of {len(alone)} needs checked"
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
    del table, index
    gc.unfreeze()
    gc.collect()
    if args.database != "none":
        for backend in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
            database_step(base, backend, args)


def database_step(base: SupplierBase, backend: str, args: argparse.Namespace) -> None:
    """Write the base into a fresh database, then measure the stored path through the service."""
    import _common as c

    from cooplab.core.actor import SYSTEM, Actor, Role
    from cooplab.core.domain import load_models
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.matching import service
    from cooplab.matching.models import Need as StoredNeed
    from cooplab.matching.stored import stored_capabilities
    from cooplab.matching.synthetic_store import write_base

    if backend == "postgresql" and not c.postgres_available():
        return
    load_models()  # every table: the needs refer to users
    service.today = lambda: ON  # certificates are checked on the day the in-memory step uses
    with c.fresh_database(backend) as url:
        engine = make_engine(url)
        upgrade(engine)
        Session = session_factory(engine)
        t0 = time.perf_counter()
        with Session() as session:
            stored_base = write_base(
                session, base, progress=lambda text: print(f"  wrote {text}", flush=True)
            )
            session.commit()
        print(
            f"database {backend}: {base.suppliers:,} suppliers, {base.capabilities:,} capability rows, "
            f"{base.needs:,} needs written in {time.perf_counter() - t0:.0f} s (bulk Core inserts); "
            f"peak RSS {peak_rss_mb():.0f} MiB"
        )
        member = Actor(
            user_id=None,
            label="member@buyer",
            role=Role.MEMBER,
            organization_id=stored_base.buyer_ids[("UzAuto Motors", None)],
        )
        need_ids = stored_base.need_ids

        def matches(actor: Actor, need_id: int) -> object:
            with Session() as session:
                return service.need_matches(session=session, actor=actor, key=need_id)

        t0, c0 = time.perf_counter(), time.process_time()
        matches(SYSTEM, need_ids[0])
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        with Session() as session:
            kept = stored_capabilities(session)
        t0 = time.perf_counter()
        matches(member, need_ids[0])
        member_cold = time.perf_counter() - t0
        print(
            f"ours {backend}, cold: the first request {cold:.1f} s (CPU {cold_cpu:.1f} s: one Core select, the "
            f"table of {len(kept.table):,} rows, the index; {kept.nbytes() / 2**20:.0f} MiB of arrays); a member's "
            f"first request {member_cold * 1000:.0f} ms (its visibility mask); peak RSS {peak_rss_mb():.0f} MiB"
        )
        for label, actor in (("admin", SYSTEM), ("member", member)):
            for need_id in need_ids[1:21]:  # warm the per-place distance columns
                matches(actor, need_id)
            wall, cpu = [], []
            for need_id in need_ids[: args.db_latency]:
                t0, c0 = time.perf_counter(), time.process_time()
                matches(actor, need_id)
                wall.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
            print(
                f"ours {backend}, need_matches top-10 with reasons as {label}, {len(wall)} needs warm: wall p50 "
                f"{pct(wall, 50):.1f} ms, p95 {pct(wall, 95):.1f} ms; CPU p50 {pct(cpu, 50):.1f} ms, "
                f"p95 {pct(cpu, 95):.1f} ms (find the need, its profile, rank, read the 10 records, reasons)"
            )

        with Session() as session:
            rows = session.execute(service._need_rows(session, SYSTEM).order_by(StoredNeed.id)).all()
            needs = [service.need_profile(n, o, SYSTEM) for n, o in rows]
            visible = kept.visible(session, member)
        scorer = Scorer()
        for label, allowed in (("admin", None), ("member", visible)):
            t0, c0 = time.perf_counter(), time.process_time()
            for need in needs:
                rank_suppliers(
                    need, kept.table, on=ON, scorer=scorer, index=kept.index, allowed=allowed, explain=False
                )
            print(
                f"ours {backend}, all {len(needs):,} needs scores only as {label} (kept table and index): "
                f"wall {time.perf_counter() - t0:.1f} s, CPU {time.process_time() - c0:.1f} s"
            )
        for label, allowed in (("admin", None), ("member", visible)):
            t0, c0 = time.perf_counter(), time.process_time()
            together = rank_many(needs, kept.table, on=ON, scorer=scorer, index=kept.index, allowed=allowed)
            wall, used = time.perf_counter() - t0, time.process_time() - c0
            alone = [
                rank_suppliers(
                    need, kept.table, on=ON, scorer=scorer, index=kept.index, allowed=allowed, explain=False
                )
                for need in needs[:500]
            ]
            print(
                f"ours {backend}, all {len(needs):,} needs at once as {label} (rank_many, scores only): wall "
                f"{wall:.1f} s, CPU {used:.1f} s; the same answers as one need at a time: "
                f"{_same(together, alone)} of {len(alone)} needs checked"
            )
        if args.db_explain_all:
            t0, c0 = time.perf_counter(), time.process_time()
            for need_id in need_ids:
                matches(SYSTEM, need_id)
            print(
                f"ours {backend}, all {len(need_ids):,} needs through the service with reasons: "
                f"wall {time.perf_counter() - t0:.1f} s, CPU {time.process_time() - c0:.1f} s"
            )

        agreement, brute_ms = [], []
        ours_top: dict[int, set[int]] = {}
        for need in needs[: max(args.brute, args.db_trgm)]:
            ours = rank_suppliers(need, kept.table, on=ON, scorer=scorer, index=kept.index, explain=False)
            ours_top[need.id or 0] = {m.supplier_id or 0 for m in ours.matches}
        for need in needs[: args.brute]:
            t0 = time.perf_counter()
            exact = rank_suppliers(need, kept.table, on=ON, scorer=scorer, explain=False)
            brute_ms.append((time.perf_counter() - t0) * 1000)
            want = {m.supplier_id for m in exact.matches}
            agreement.append(len(want & ours_top[need.id or 0]) / len(want) if want else 1.0)
        print(
            f"baseline {backend}, brute force over every row of the kept table, {len(brute_ms)} needs: mean "
            f"{statistics.fmean(brute_ms):.0f} ms, p95 {pct(brute_ms, 95):.0f} ms a need; all {len(needs):,} "
            f"would take {statistics.fmean(brute_ms) * len(needs) / 1000:.0f} s; agreement of our top-10 "
            f"suppliers with it {statistics.fmean(agreement):.3f}"
        )
        if backend == "postgresql":
            trigram_baseline(Session, needs[: args.db_trgm], ours_top)
        incremental_update(Session, kept, args.writes)
        print(f"memory {backend}: peak RSS {peak_rss_mb():.0f} MiB")
        del kept
        engine.dispose()


def _same(together, alone) -> int:  # type: ignore[no-untyped-def]
    """How many needs answer the same (capabilities, suppliers, scores) both ways."""
    return sum(
        [(m.capability_id, m.supplier_id, m.score) for m in one.matches]
        == [(m.capability_id, m.supplier_id, m.score) for m in two.matches]
        for one, two in zip(together, alone, strict=False)
    )


def incremental_update(Session, kept, writes: int) -> None:  # type: ignore[no-untyped-def]
    """A few writes through the session (`writes` capabilities edited, 1 deleted, 1 added, a
    supplier's tier changed), then the kept table brought up to date three ways in the same
    run, in CPU seconds: from the change log (what the next request does), by a fingerprint
    of every row (the fallback, and the way before the log), and built cold."""
    from sqlalchemy import select

    from cooplab.matching import stored
    from cooplab.matching.models import Capability
    from cooplab.registry.models import Organization

    with Session() as session:
        rows = session.execute(
            select(Capability.id, Capability.supplier_organization_id)
            .order_by(Capability.id)
            .limit(writes + 2)
        ).all()
        ids = [r[0] for r in rows]
        for capability in session.scalars(select(Capability).where(Capability.id.in_(ids[:writes]))):
            capability.description_en = (capability.description_en or "") + " and aluminium radiators"
        session.add(
            Capability(
                supplier_organization_id=rows[writes][1],
                hs_codes=["870891"],
                processes=["assembly"],
                description_en="Radiators for passenger cars",
                visibility="members",
                illustrative=True,
            )
        )
        session.delete(session.get(Capability, ids[writes]))
        session.get(Organization, rows[writes + 1][1]).tier = 3
        session.commit()
    figures = []
    for label, bring in (
        ("from the change log", stored.stored_capabilities),
        ("by fingerprints of every row", lambda session: stored.refreshed_by_fingerprints(session, kept)),
        ("built cold", stored._build),
    ):
        with Session() as session:
            t0, c0 = time.perf_counter(), time.process_time()
            updated = bring(session)
            wall, used = time.perf_counter() - t0, time.process_time() - c0
        figures.append((label, used, wall, len(updated.table)))
    sizes = {f[3] for f in figures}
    assert len(sizes) == 1, figures  # the three tables hold the same rows
    print(
        f"ours, the kept table of {len(kept.table):,} rows after {writes} capabilities edited, 1 deleted, 1 added "
        f"and a supplier's tier changed: "
        + "; ".join(f"{label} CPU {used:.2f} s (wall {wall:.2f} s)" for label, used, wall, _ in figures)
        + f"; {figures[1][1] / max(figures[0][1], 1e-6):.0f}x less CPU than the fingerprint update"
    )


def trigram_baseline(Session, needs, ours_top) -> None:  # type: ignore[no-untyped-def]
    """Top-10 suppliers by pg_trgm similarity of the descriptions, through a GIN index."""
    from sqlalchemy import text

    text_of = "(coalesce(description_ru, '') || ' ' || coalesce(description_uz, '') || ' ' || coalesce(description_en, ''))"
    with Session() as session:
        schema = session.scalar(text("select current_schema()"))
        session.execute(text(f'CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA "{schema}"'))
        where = session.scalar(
            text(
                "select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'"
            )
        )
        session.commit()
    path = f'SET search_path TO "{schema}", "{where}"'
    t0 = time.perf_counter()
    with Session() as session:
        session.execute(text(path))
        session.execute(
            text(f"CREATE INDEX capabilities_text_trgm ON capabilities USING gin ({text_of} gin_trgm_ops)")
        )
        session.execute(text("ANALYZE capabilities"))
        session.commit()
    print(
        f"baseline postgresql, pg_trgm (extension in schema {where}): GIN trigram index built in {time.perf_counter() - t0:.0f} s"
    )
    query = text(
        f"SELECT supplier_organization_id, similarity({text_of}, :q) AS s FROM capabilities "
        f"WHERE {text_of} % :q ORDER BY s DESC LIMIT 100"
    )
    latencies, agreement, empty = [], [], 0
    with Session() as session:
        session.execute(text(path))
        for need in needs:
            q = " ".join(need.texts)
            t0 = time.perf_counter()
            found = session.execute(query, {"q": q}).all()
            latencies.append((time.perf_counter() - t0) * 1000)
            top: list[int] = []
            for supplier, _score in found:
                if supplier not in top:
                    top.append(supplier)
                if len(top) == 10:
                    break
            empty += not top
            ours = ours_top.get(need.id or 0, set())
            if ours:
                agreement.append(len(ours & set(top)) / len(ours))
    print(
        f"baseline postgresql, pg_trgm top-10 suppliers by similarity() of the description, {len(latencies)} "
        f"needs: p50 {pct(latencies, 50):.0f} ms, p95 {pct(latencies, 95):.0f} ms ({empty} answered nothing "
        f"above the 0.3 threshold); agreement with our top-10 {statistics.fmean(agreement or [0.0]):.3f}"
    )


if __name__ == "__main__":
    main()
