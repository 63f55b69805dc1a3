"""Benchmark: the REST API under load, served as `cooplab serve` serves it (uvicorn).

    .venv/bin/python benchmarks/api_load.py [--extra 10000] [--workers 1,2] [--backends sqlite,postgresql]
                                            [--duration 20] [--warmup 3] [--connections 50] [--client auto]

For each backend: a fresh database (SQLite file in a temp dir, or a new PostgreSQL schema dropped
afterwards) with the demo data (`cooplab demo`) plus --extra synthetic organizations. For each
worker count: `python -m uvicorn cooplab.app.asgi:app --host 127.0.0.1 --port P --workers W` in a
subprocess with COOPLAB_DATABASE_URL set, then --connections concurrent keep-alive clients on
loopback for --warmup s (not counted) and --duration s (counted), against
    list:    GET /api/v1/organizations?limit=25&offset=<random>
    detail:  GET /api/v1/organizations/<random live id>
Baselines in the same run, started the same way: a bare ASGI app (uvicorn alone) and a FastAPI
app with one sync route and no database (the framework ceiling on this machine).

With several workers, each line also shows how the 50 connections were spread over them (read
with `ss` halfway through): the worker that wakes first may accept them all, and then the run
measures one process.

Load generator: `wrk` (Debian package; install with `apt-get install -y wrk`) with a Lua script
choosing random offsets/ids, else (or with --client python) a minimal asyncio HTTP/1.1 keep-alive
client in this process. Which one ran is printed. Target (issue): >= 500 requests/s, p99 <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

TARGET_RPS, TARGET_P99_MS = 500.0, 100.0
PYTHON = sys.executable

WRK_LUA = r"""
local paths = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time())
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn in a subprocess on 127.0.0.1, stopped (its process group) on exit."""

    def __init__(self, app: str, workers: int, env: dict[str, str], probe: str, opts: list[str]) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "uvicorn",
                app,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--no-access-log",
                *opts,
            ],
            env=env,
            cwd=str(c.HERE),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{probe}", timeout=5) as r:
                    r.read()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.log.seek(0)
                    raise RuntimeError(f"server did not start: {self.log.read().decode()[-2000:]}") from None
                time.sleep(0.2)
        if workers > 1:  # every worker must have imported the app before we measure
            time.sleep(3)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if os.environ.get("BENCH_DEBUG"):
            self.log.seek(0)
            print(self.log.read().decode(errors="replace")[-3000:])
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# ---------------------------------------------------------------- load generators


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(
    port: int, paths: list[str], connections: int, warmup: float, duration: float
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        lua, listing = Path(folder, "paths.lua"), Path(folder, "paths.txt")
        lua.write_text(WRK_LUA)
        listing.write_text("\n".join(paths) + "\n")
        base = ["wrk", "-t1", f"-c{connections}", "--latency", "-s", str(lua), f"http://127.0.0.1:{port}"]
        if warmup:
            subprocess.run(
                [*base[:-1], f"-d{max(1, round(warmup))}s", base[-1], "--", str(listing)],
                check=True,
                capture_output=True,
            )
        out = subprocess.run(
            [*base[:-1], f"-d{round(duration)}s", "--timeout", "10s", base[-1], "--", str(listing)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    if os.environ.get("BENCH_DEBUG"):
        print(out)
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(lat["50"]),
        "p99_ms": _ms(lat["99"]),
        "requests": total,
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


async def _client(
    port: int, paths: list[str], rng: random.Random, stop: list[float], record: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while True:
        start = time.perf_counter()
        if start >= stop[0]:
            break
        writer.write(f"GET {rng.choice(paths)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
        await reader.readexactly(length)
        end = time.perf_counter()
        if stop[1] <= start and end <= stop[0]:
            record.append(end - start)
            if status >= 400:
                errors[0] += 1
    writer.close()


def run_python(
    port: int, paths: list[str], connections: int, warmup: float, duration: float
) -> dict[str, float]:
    async def go() -> tuple[list[float], int, float]:
        now = time.perf_counter()
        stop = [now + warmup + duration, now + warmup]  # [end, start of counting]
        record: list[float] = []
        errors = [0]
        rng = random.Random(7)
        await asyncio.gather(*[_client(port, paths, rng, stop, record, errors) for _ in range(connections)])
        return record, errors[0], duration

    record, errors, seconds = asyncio.run(go())
    ms = [r * 1000 for r in record]
    return {
        "rps": len(record) / seconds,
        "p50_ms": c.pct(ms, 50),
        "p99_ms": c.pct(ms, 99),
        "requests": len(record),
        "errors": errors,
    }


# ---------------------------------------------------------------- data


def prepare(url: str, extra: int, seed: int) -> tuple[list[int], int]:
    """Demo data plus `extra` synthetic organizations; the live ids and their count."""
    from sqlalchemy import select

    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry.models import Organization
    from cooplab.registry.reference import load_reference

    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        load_reference(session=session)
        session.commit()
    c.bulk_insert(url, c.generate_orgs(extra, seed))
    if engine.dialect.name == "postgresql":
        # planner statistics and the visibility map (index-only scans), as autovacuum would make
        # them within a minute of a bulk load; VACUUM cannot run inside a transaction
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    with session_factory(engine)() as session:
        ids = list(session.scalars(select(Organization.id).where(Organization.merged_into_id.is_(None))))
    engine.dispose()
    return ids, len(ids)


def connections_by_worker(port: int) -> list[int]:
    """How the client's connections are spread over the server's processes (`ss`, iproute2):
    each worker accepts what it can, and a worker that wakes first may take them all."""
    try:
        out = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    counts: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


def measured(port: int, paths: list[str], args: argparse.Namespace, load) -> dict[str, object]:
    """One load run; with the spread of its connections over the workers, read halfway through."""

    def halfway() -> list[int]:
        time.sleep(args.warmup + args.duration / 2)
        return connections_by_worker(port)

    with ThreadPoolExecutor(1) as pool:
        spread = pool.submit(halfway)
        r: dict[str, object] = load(port, paths, args.connections, args.warmup, args.duration)
        r["connections_by_worker"] = spread.result()
    return r


def line(label: str, r: dict[str, float], target: bool = False) -> str:
    verdict = ""
    if target:
        ok = r["rps"] >= TARGET_RPS and r["p99_ms"] <= TARGET_P99_MS
        verdict = "  meets target" if ok else "  MISSES target"
    workers = int(r.get("workers", 1))
    spread = [*(r.get("connections_by_worker") or []), *[0] * workers][:workers]
    split = f", connections by worker {'/'.join(map(str, spread))}" if workers > 1 and sum(spread) else ""
    return (
        f"    {label:<34} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms"
        f"   ({r['requests']} requests, {r['errors']} errors{split}){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--extra", "--n", type=int, default=10_000, help="synthetic organizations beside the demo data"
    )
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--uvicorn",
        default="",
        metavar="OPTIONS",
        help='more uvicorn options, e.g. "--loop asyncio --http h11" or "--loop uvloop --http httptools"',
    )
    parser.add_argument(
        "--with-sql",
        action="append",
        default=[],
        metavar="STATEMENT",
        help="run this SQL after loading the data (to try a schema change such as an index)",
    )
    parser.add_argument("--skip-baselines", action="store_true")
    args = parser.parse_args()
    opts = args.uvicorn.split()

    client = args.client
    if client in ("auto", "wrk") and shutil.which("wrk") is None:
        if client == "wrk":
            sys.exit("wrk is not installed: apt-get install -y wrk (Debian), or use --client python")
        print("  wrk not found (install it with `apt-get install -y wrk`); using the asyncio client")
        client = "python"
    elif client == "auto":
        client = "wrk"
    load = run_wrk if client == "wrk" else run_python
    workers = [int(w) for w in args.workers.split(",")]
    print(
        f"api_load: demo data + {args.extra} organizations, {args.connections} connections, "
        f"{args.warmup:g} s warm-up + {args.duration:g} s measured, load generator: "
        f"{'wrk (1 thread, Lua script for random paths)' if client == 'wrk' else 'asyncio raw-socket HTTP/1.1 client'}"
        f"\n  machine: {c.machine()}"
    )
    results: dict[str, object] = {"client": client, "connections": args.connections}

    pythonpath = [
        str(c.HERE),
        *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)),
        str(c.ROOT / "src"),
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath))
    import importlib.util

    have = [m for m in ("uvloop", "httptools") if importlib.util.find_spec(m)]
    print(
        f"  uvicorn options: {args.uvicorn or '(defaults)'}; installed speedups: {', '.join(have) or 'none'}"
    )
    if not args.skip_baselines:
        print("  baselines (no database):")
    for w in [] if args.skip_baselines else workers:
        for label, app, probe in (
            ("bare ASGI app", "_hello:raw", "/"),
            ("FastAPI sync route", "_hello:fastapi", "/hello"),
        ):
            with Server(app, w, env, probe, opts) as server:
                r = measured(server.port, [probe], args, load) | {"workers": w}
            results[f"baseline {label} w{w}"] = r
            print(line(f"{label}, workers={w}", r))

    for backend in args.backends.split(","):
        if backend == "postgresql" and not c.postgres_available():
            continue
        with c.fresh_database(backend) as url:
            with c.timed(f"[{backend}] demo data + {args.extra} organizations"):
                ids, count = prepare(url, args.extra, args.seed)
                if args.with_sql:
                    from sqlalchemy import create_engine

                    engine = create_engine(url)
                    with engine.begin() as conn:
                        for statement in args.with_sql:
                            print(f"    running: {statement}")
                            conn.exec_driver_sql(statement)
                    engine.dispose()
            rng = random.Random(args.seed)
            list_paths = [
                f"/api/v1/organizations?limit=25&offset={rng.randrange(max(count - 25, 1))}"
                for _ in range(5000)
            ]
            detail_paths = [f"/api/v1/organizations/{rng.choice(ids)}" for _ in range(5000)]
            server_env = dict(env, COOPLAB_DATABASE_URL=url)
            print(f"  cooplab on {backend} ({count} organizations):")
            for w in workers:
                with Server(
                    "cooplab.app.asgi:app", w, server_env, "/api/v1/organizations?limit=1", opts
                ) as server:
                    for label, paths in (
                        ("list ?limit=25&offset=random", list_paths),
                        ("detail /organizations/{id}", detail_paths),
                    ):
                        r = measured(server.port, paths, args, load) | {"workers": w}
                        results[f"{backend} {label} w{w}"] = r
                        print(line(f"{label}, workers={w}", r, target=True))
    c.OUT.mkdir(exist_ok=True)
    (c.OUT / "api_load.json").write_text(json.dumps(results, indent=2))
    print(f"  target: >= {TARGET_RPS:.0f} req/s with p99 <= {TARGET_P99_MS:.0f} ms")


if __name__ == "__main__":
    main()
