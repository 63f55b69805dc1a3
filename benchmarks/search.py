"""Benchmark: name search over a registry of N organizations (3 names each).

    .venv/bin/python benchmarks/search.py [--n 100000] [--queries 300] [--profile]

Builds a fresh SQLite registry of N synthetic organizations (bulk insert, names keyed with the
registry's own name_key), then runs queries drawn from the data with realistic distortions:
a Cyrillic name typed in Latin (another transliteration than the stored one) and a Latin name
typed in Cyrillic, 1-2 typos, the legal form dropped, other spacing / case / apostrophes, and
only the first two words of the name. For each query it knows the organization meant.

Prints:
  ours      search_names (index built beforehand; its build time is printed separately):
            latency p50/p95/p99 per query and recall@10 (the organization meant among the top 10)
  baseline  SELECT DISTINCT organization_id FROM organization_names WHERE value LIKE '%query%'
            LIMIT 10 (SQLite's LIKE: case-insensitive for ASCII letters only), same figures
overall and per kind of distortion. Target (issue): p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

TARGET_P95_MS = 50.0
LEGAL = re.compile(r"^(ООО|АО|ПАО|ЗАО|OOO|AO|PAO|ZAO|СП|ЧП)\s+|\s+(MChJ|AJ|QK|XK|Co\., Ltd\.|Corp\.|Inc\.)$")
CYR = "абвгдежзийклмнопрстуфхцчшщыэюя"
LAT = "abcdefghijklmnopqrstuvwxyz"
CATEGORIES = [
    "cyrillic_as_latin",
    "latin_as_cyrillic",
    "typos",
    "no_legal_form",
    "spacing_case_apostrophe",
    "first_two_words",
]


def strip_legal(name: str) -> str:
    return LEGAL.sub("", name).replace('"', "").strip()


def typo(rng: random.Random, text: str, edits: int) -> str:
    chars = list(text)
    for _ in range(edits):
        letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
        i = rng.choice(letters)
        alphabet = CYR if chars[i].lower() in CYR else LAT
        op = rng.choice(["substitute", "delete", "insert", "transpose"])
        if op == "substitute":
            chars[i] = rng.choice(alphabet)
        elif op == "delete":
            del chars[i]
        elif op == "insert":
            chars.insert(i, rng.choice(alphabet))
        elif i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice(alphabet)
    return "".join(chars)


def spacing_case(rng: random.Random, text: str) -> str:
    """Another way of writing the same name: apostrophes, case, spaces, hyphens."""
    options = []
    if "‘" in text:
        options.append(lambda t: t.replace("‘", rng.choice(["'", "ʻ", "`", "’", ""])))
    if "-" in text:
        options.append(lambda t: t.replace("-", rng.choice([" ", ""])))
    if re.search(r"[a-zа-я][A-ZА-Я]", text):
        options.append(lambda t: re.sub(r"([a-zа-я])([A-ZА-Я])", r"\1 \2", t))
    options.append(
        lambda t: re.sub(r"(?<=[A-Za-zА-Яа-я]) (?=\d)", "", t)
    )  # "Donmetall 644" -> "Donmetall644"
    options.append(str.upper)
    options.append(str.lower)
    options.append(lambda t: "  ".join(t.split()))
    out = rng.choice(options)(text)
    if out == text:
        out = text.lower() if text != text.lower() else text.upper()
    return out


def make_queries(orgs: list[c.Org], count: int, seed: int) -> list[tuple[str, str, int]]:
    """(category, query, index of the organization meant), `count` in all, evenly by category."""
    rng = random.Random(seed)
    per = max(1, count // len(CATEGORIES))
    queries: list[tuple[str, str, int]] = []
    for category in CATEGORIES:
        made = 0
        while made < per:
            i = rng.randrange(len(orgs))
            org = orgs[i]
            cyr = [v for v, _, _ in org.names if c.detect_script_is_cyrillic(v)]
            lat = [v for v, _, _ in org.names if not c.detect_script_is_cyrillic(v)]
            if category == "cyrillic_as_latin":
                if org.country != "RU":  # the others' Cyrillic names are spelled from Latin ones
                    continue
                schema = rng.choice(
                    [
                        c.iuliia.YANDEX_MAPS,
                        c.iuliia.ICAO_DOC_9303,
                        c.iuliia.MOSMETRO,
                        c.iuliia.BGN_PCGN,
                        c.iuliia.SCIENTIFIC,
                    ]
                )
                q = c.translit(strip_legal(cyr[0]), schema)
            elif category == "latin_as_cyrillic":
                source = [
                    v for v, lang, kind in org.names if not c.detect_script_is_cyrillic(v) and kind != "short"
                ] or lat
                q = c.latin_to_cyrillic(strip_legal(source[0]), russian=org.country != "RU")
            elif category == "typos":
                q = typo(rng, strip_legal(rng.choice(org.names)[0]), rng.choice([1, 2]))
            elif category == "no_legal_form":
                q = strip_legal(org.names[0][0])
            elif category == "spacing_case_apostrophe":
                q = spacing_case(rng, strip_legal(rng.choice(org.names[:2])[0]))
            else:
                words = strip_legal(rng.choice(org.names)[0]).split()
                if len(words) < 3:
                    continue
                q = " ".join(words[:2])
            queries.append((category, q, i))
            made += 1
    return queries


def like_search(conn: object, query: str) -> list[int]:
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.exec_driver_sql(  # type: ignore[attr-defined]
        "SELECT DISTINCT organization_id FROM organization_names WHERE value LIKE ? ESCAPE '\\' LIMIT 10",
        (pattern,),
    )
    return [r[0] for r in rows]


def report(label: str, latencies: list[float], hits: list[bool]) -> str:
    return f"{label:<26} {c.summary_ms(latencies)}  recall@10 {sum(hits) / len(hits):6.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="organizations in the registry")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", action="store_true", help="cProfile the search_names calls")
    parser.add_argument("--show", type=int, default=0, help="print N sample queries per category")
    args = parser.parse_args()

    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry import search as search_mod

    print(
        f"search: {args.n} organizations, {args.queries} queries, seed {args.seed}\n  machine: {c.machine()}"
    )
    with c.timed("generate organizations"):
        orgs = c.generate_orgs(args.n, args.seed)
    queries = make_queries(orgs, args.queries, args.seed + 1)
    if args.show:
        for category in CATEGORIES:
            sample = [(q, orgs[i].names[0][0]) for cat, q, i in queries if cat == category][: args.show]
            for q, meant in sample:
                print(f"    {category:<24} {q!r:<55} -> {meant}")

    # how many organizations a "first two words" query fits equally well (a name key starting so)
    import bisect

    from cooplab.vocab.names import name_key

    by_key = sorted((k, i) for i, org in enumerate(orgs) for k in org.keys)
    keys_only = [k for k, _ in by_key]
    fits: dict[int, int] = {}
    for qi, (category, q, _) in enumerate(queries):
        if category == "first_two_words":
            qk = name_key(q)
            lo, hi = bisect.bisect_left(keys_only, qk), bisect.bisect_left(keys_only, qk + "\x7f")
            fits[qi] = len({i for _, i in by_key[lo:hi]})
    ambiguous = {qi for qi, n in fits.items() if n > 10}

    with c.fresh_database("sqlite") as url:
        engine = make_engine(url)
        upgrade(engine)
        with c.timed("bulk insert into fresh SQLite"):
            c.bulk_insert(url, orgs)
        org_id = {i: i + 1 for i in range(len(orgs))}  # bulk_insert numbers ids from 1

        timings: dict[str, float] = {}
        rss_before = c.peak_rss_mb()
        with session_factory(engine)() as session:
            with c.timed("index build (first search_names: get_index)", timings):
                search_mod.get_index(session)
            print(
                f"  peak RSS before index {rss_before:.0f} MB, after {c.peak_rss_mb():.0f} MB; "
                f"{len(search_mod.get_index(session).keys)} names, "
                f"{len(search_mod.get_index(session).vocabulary)} index tokens"
            )

            profiler = None
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
            ours: dict[str, list[tuple[float, bool]]] = defaultdict(list)
            for category, q, i in queries:
                if profiler:
                    profiler.enable()
                start = time.perf_counter()
                hits = search_mod.search_names(session=session, query=q, types={"organization"}, limit=10)
                elapsed = time.perf_counter() - start
                if profiler:
                    profiler.disable()
                ours[category].append((elapsed, org_id[i] in [h.id for h in hits]))
            if profiler:
                import pstats

                out = c.OUT / "search.prof"
                c.OUT.mkdir(exist_ok=True)
                profiler.dump_stats(out)
                print(f"  profile: {out}")
                pstats.Stats(profiler).sort_stats("tottime").print_stats(15)

        base: dict[str, list[tuple[float, bool]]] = defaultdict(list)
        with engine.connect() as conn:
            for category, q, i in queries:
                start = time.perf_counter()
                ids = like_search(conn, q)
                base[category].append((time.perf_counter() - start, org_id[i] in ids))
        engine.dispose()

    def flat(d: dict[str, list[tuple[float, bool]]]) -> tuple[list[float], list[bool]]:
        rows = [r for v in d.values() for r in v]
        return [r[0] for r in rows], [r[1] for r in rows]

    print(f"\n  per query, {len(queries)} queries (index already built):")
    ol, oh = flat(ours)
    bl, bh = flat(base)
    print("  " + report("ours: search_names", ol, oh))
    print("  " + report("baseline: SQL LIKE", bl, bh))
    print("\n  recall@10 and p95 by kind of distortion (ours | baseline):")
    for category in CATEGORIES:
        o, b = ours[category], base[category]
        print(
            f"    {category:<26} ours {sum(h for _, h in o) / len(o):6.1%}  p95 {c.pct([t * 1000 for t, _ in o], 95):7.2f} ms"
            f"  |  baseline {sum(h for _, h in b) / len(b):6.1%}  p95 {c.pct([t * 1000 for t, _ in b], 95):7.2f} ms"
        )
    if fits:

        def clear(d: dict[str, list[tuple[float, bool]]]) -> float:
            rows = [
                r for qi, r in zip(sorted(fits), d["first_two_words"], strict=True) if qi not in ambiguous
            ]
            return sum(h for _, h in rows) / max(len(rows), 1)

        print(
            f"    first_two_words: {len(ambiguous)} of {len(fits)} queries fit more than 10 organizations "
            f"equally (median {c.pct(list(fits.values()), 50):.0f}); on the other {len(fits) - len(ambiguous)}: "
            f"ours {clear(ours):.1%}, baseline {clear(base):.1%}"
        )
    p95 = c.pct([t * 1000 for t in ol], 95)
    print(
        f"\n  -> p95 {p95:.1f} ms vs target <= {TARGET_P95_MS:.0f} ms: "
        f"{'meets' if p95 <= TARGET_P95_MS else 'MISSES'}; index build {timings['index build (first search_names: get_index)']:.1f} s"
    )
    result = {
        "n": args.n,
        "queries": len(queries),
        "index_build_s": timings["index build (first search_names: get_index)"],
        "ours": {
            "p50_ms": c.pct([t * 1000 for t in ol], 50),
            "p95_ms": p95,
            "p99_ms": c.pct([t * 1000 for t in ol], 99),
            "recall10": sum(oh) / len(oh),
        },
        "baseline": {
            "p50_ms": c.pct([t * 1000 for t in bl], 50),
            "p95_ms": c.pct([t * 1000 for t in bl], 95),
            "recall10": sum(bh) / len(bh),
        },
        "by_category": {
            k: {
                "ours_recall10": sum(h for _, h in ours[k]) / len(ours[k]),
                "baseline_recall10": sum(h for _, h in base[k]) / len(base[k]),
            }
            for k in CATEGORIES
        },
    }
    c.OUT.mkdir(exist_ok=True)
    (c.OUT / "search.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
