"""Benchmark: import an XLSX of N organizations (3 names each) into a fresh database.

    .venv/bin/python benchmarks/import_xlsx.py [--n 100000] [--backends sqlite,postgresql] [--profile]

Prints, for the same generated file:
  baseline  openpyxl alone reading it (read_only, values_only, every row)
  ours      cooplab.registry.exchange.import_file into a fresh migrated database, commit included
  re-import the same file again (idempotent: 0 created)
with the peak memory (ru_maxrss) of each step. Every step runs in its own child process, so its
peak memory is its own. Target (issue): import <= 60 s on SQLite for 100,000 organizations.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

TARGET_S = 60.0


def write_xlsx(path: Path, n: int, seed: int) -> None:
    from openpyxl import Workbook

    from cooplab.registry.exchange import COLUMNS

    orgs = c.generate_orgs(n, seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("org")
    sheet.append(COLUMNS["org"])
    for org in orgs:
        sheet.append(c.org_row(org))
    book.save(path)


# ---------------------------------------------------------------- child steps


def step_read(path: Path) -> dict[str, object]:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    rows = cells = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        rows += 1
        cells += sum(v is not None for v in row)
    book.close()
    return {"seconds": time.perf_counter() - start, "rows": rows - 1, "cells": cells}


def step_import(path: Path, url: str, migrate: bool, profile: bool) -> dict[str, object]:
    from sqlalchemy import func, select

    from cooplab.core.audit import use_actor
    from cooplab.core.cli import actor
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry.exchange import import_file
    from cooplab.registry.models import OrganizationName

    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    content = path.read_bytes()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    with session_factory(engine)() as session:
        use_actor(session, actor())  # as `cooplab import` does: its changes are audited
        report = import_file(session=session, actor=actor(), kind="org", name=path.name, content=content)
        before_commit = time.perf_counter()
        session.commit()
    elapsed = time.perf_counter() - start
    if profiler is not None:
        import pstats

        profiler.disable()
        out = c.OUT / f"import_{'pg' if 'postgresql' in url else 'sqlite'}_{int(time.time())}.prof"
        profiler.dump_stats(out)
        print(f"    profile written to {out}; top functions by cumulative time:", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    with session_factory(engine)() as session:
        names = session.scalar(select(func.count()).select_from(OrganizationName))
    return {
        "seconds": elapsed,
        "commit_seconds": elapsed - (before_commit - start),
        "report": report.model_dump(),
        "names_in_db": names,
    }


def child(args: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run one step in a child process; a failure comes back as {"error": its last words}."""
    proc = subprocess.run(
        [sys.executable, __file__, "--step", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if args[-1] == "profile" or proc.returncode:
        sys.stderr.write(proc.stderr[-6000:] if proc.returncode else proc.stderr)
    if proc.returncode:
        lines = proc.stderr.splitlines()
        last = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception): ", ln)] or [
            ln for ln in lines if ln and not ln.startswith((" ", "[", "("))
        ]
        return {"error": (last[-1] if last else f"exit status {proc.returncode}")[:400]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="organizations in the file")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (skipped if not reachable)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the first import")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:  # a child process: one measured step, a JSON line on stdout
        kind, *rest = args.step
        if kind == "read":
            result = step_read(Path(rest[0]))
        else:
            result = step_import(Path(rest[0]), rest[1], rest[2] == "migrate", rest[3] == "profile")
        result["peak_rss_mb"] = c.peak_rss_mb()
        print(json.dumps(result, ensure_ascii=False))
        return

    print(f"import_xlsx: {args.n} organizations, seed {args.seed}\n  machine: {c.machine()}")
    c.OUT.mkdir(exist_ok=True)
    path = c.OUT / f"orgs_{args.n}_{args.seed}.xlsx"
    with c.timed("generate data + write XLSX (openpyxl write_only)"):
        write_xlsx(path, args.n, args.seed)
    size = path.stat().st_size
    print(f"  file: {path} ({size / 1e6:.1f} MB)")

    env = dict(os.environ)
    from cooplab.settings import Settings

    limit = Settings().max_upload_bytes
    if size > limit:
        print(
            f"  NOTE: the file is larger than max_upload_bytes ({limit / 1e6:.1f} MB): "
            f"COOPLAB_MAX_UPLOAD_BYTES raised for this run"
        )
        env["COOPLAB_MAX_UPLOAD_BYTES"] = str(size + 1024)

    base = child(["read", str(path)], env)
    print(
        f"  baseline: openpyxl read_only, all rows        {base['seconds']:9.2f} s   "
        f"peak RSS {base['peak_rss_mb']:7.0f} MB   ({base['rows']} rows)"
    )

    results: dict[str, object] = {"n": args.n, "file_mb": size / 1e6, "baseline_read": base}
    for backend in args.backends.split(","):
        if backend == "postgresql" and not c.postgres_available():
            continue
        with c.fresh_database(backend) as url:
            first = child(["import", str(path), url, "migrate", "profile" if args.profile else "-"], env)
            again = child(["import", str(path), url, "-", "-"], env)
        results[backend] = {"import": first, "reimport": again}
        if "error" in first:
            print(f"  ours [{backend}]: import FAILED: {first['error']}")
        else:
            r1 = first["report"]
            print(
                f"  ours [{backend}]: import_file + commit        {first['seconds']:9.2f} s   "
                f"peak RSS {first['peak_rss_mb']:7.0f} MB   created {r1['created']}, "
                f"names {first['names_in_db']}  (commit {first['commit_seconds']:.2f} s)"
            )
        if "error" in again:
            print(f"  ours [{backend}]: re-import FAILED: {again['error']}")
        else:
            r2 = again["report"]
            print(
                f"  ours [{backend}]: re-import same file         {again['seconds']:9.2f} s   "
                f"peak RSS {again['peak_rss_mb']:7.0f} MB   created {r2['created']}, "
                f"updated {r2['updated']}, unchanged {r2['unchanged']}, names {again['names_in_db']}"
            )
        if "error" not in first:
            verdict = "meets" if first["seconds"] <= TARGET_S else "MISSES"
            print(
                f"  -> {backend}: {first['seconds']:.1f} s vs baseline read {base['seconds']:.1f} s "
                f"(x{first['seconds'] / base['seconds']:.1f}); target <= {TARGET_S:.0f} s: {verdict}"
            )
    out = c.OUT / "import_xlsx.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"  results: {out}")


if __name__ == "__main__":
    main()
