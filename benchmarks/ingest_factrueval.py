"""Benchmark: the ingest pipeline on factRuEval-2016 (NER and Occupation facts) and its speed.

    .venv/bin/python benchmarks/ingest_factrueval.py [--set testset|devset] [--data DIR] [--limit N]

Data: ../shared/data/factRuEval-2016 (MIT; format in shared/research/russian-ie.md section 3.1).
Our pipeline runs WITHOUT a registry (an empty gazetteer, no session): only natasha plus our rules.
Nothing here was tuned on the test set.

factRuEval marks a name without the territory after it ("Министерство сельского хозяйства" and
"Германии" apart); our pipeline keeps a body's full name ("... Германии") with the places inside it
as mentions of their own. The NER scores read our names the way factRuEval marks them
(name_spans), and Occupation facts take our title's own words (job) and its organization or,
for a state title, its territory as the place of work.

Prints, measured in the same run:
  NER       exact-span precision / recall / F1 per PER, LOC, ORG, for our pipeline and for bare natasha
            NER (NewsNERTagger). Gold mapping as naeval's: a Person object is one span from its first to
            its last span; each org_name span of an Org is ORG; each loc_name span of a Location or
            LocOrg is LOC; overlapping gold spans are dropped.
  Facts     Occupation (who, position, where) against the gold Occupation facts, easy mode (facts marked
            "Сложность повышенная" are left out, as the official easy mode does). In factRuEval's schema
            an Occupation fact has a Where (an Org or LocOrg; 179 of the 180 dev set facts have one), so
            a position we find with neither an organization, a territory nor a unit is not submitted as
            one; the figure over every position we find is printed beside it. A founder or an owner
            ("основатель MySQL", "совладелец агентства") is an Ownership fact in that schema (Owner,
            Property), not an Occupation: it is not submitted as one either. Facts are submitted as the
            result lists positions: once per person (the document's entity), title and place of work. Values are compared
            lower-cased with ё as е and a Levenshtein distance of at most 2 against every gold variant
            (the names of the entity, its mentions, the job span), and a pair scores the share of
            arguments matched (matched / (matched + unmatched gold + unmatched ours)), one-to-one per
            document: our re-implementation of the official scorer's idea, not that script. Baseline:
            best official Occupation F1 of the evaluation, 0.6624 (russian-ie.md section 3.1).
  Speed     documents per second of the whole pipeline and of bare natasha NER over the same texts,
            one process, models loaded beforehand, each document timed for both in turn; their ratio in
            wall-clock and in CPU time (the figure that moves least when other work shares the machine);
            peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from cooplab.ingest.adapters import adapt_ner, adapt_sentences  # noqa: E402
from cooplab.ingest.document import Doc  # noqa: E402
from cooplab.ingest.gazetteer import Gazetteer  # noqa: E402
from cooplab.ingest.pipeline import run_pipeline  # noqa: E402
from cooplab.ingest.resources import load_models  # noqa: E402

DATA = next(
    (
        p / "shared" / "data" / "factRuEval-2016"
        for p in (c.ROOT.parent, c.ROOT.parent.parent)
        if (p / "shared" / "data" / "factRuEval-2016").is_dir()
    ),
    c.ROOT.parent / "shared" / "data" / "factRuEval-2016",
)
TYPES = ("PER", "LOC", "ORG")
BEST_OFFICIAL_OCCUPATION_F1 = 0.6624
NATASHA_PUBLISHED_DOCS_PER_S = 25.3
TARGET_DOCS_PER_S = 20.0
#: Titles of owners: factRuEval keeps who founded or owns an organization as an Ownership fact (Owner,
#: Property), not as an Occupation ("основатель MySQL", "совладелец агентства").
#: Heads of a territory: an adjective of a place before them names the territory they govern.
TERRITORY_HEADS = frozenset(
    {"губернатор", "вице-губернатор", "мэр", "вице-мэр", "аким", "хоким", "градоначальник"}
)
OWNERS = frozenset({"основатель", "сооснователь", "учредитель", "соучредитель", "владелец", "совладелец"})


# ------------------------------------------------------------------------- gold


@dataclass
class GoldDoc:
    name: str
    text: str
    spans: set[tuple[int, int, str]]
    occupations: list[dict[str, set[str]]] = field(default_factory=list)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig") if path.exists() else ""


def _norm(value: str) -> str:
    value = value.lower().strip().replace("ё", "е")
    for q in "«»“”„":
        value = value.replace(q, '"')
    return " ".join(value.split())


def load_doc(folder: Path, name: str) -> GoldDoc:
    text = _read(folder / f"{name}.txt")
    spans: dict[str, tuple[str, int, int, str]] = {}
    for line in _read(folder / f"{name}.spans").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            spans[parts[0]] = (parts[1], int(parts[2]), int(parts[2]) + int(parts[3]), line.split("#", 1)[-1])
    objects: dict[str, tuple[str, list[str]]] = {}
    gold: list[tuple[int, int, str]] = []
    for line in _read(folder / f"{name}.objects").splitlines():
        head = line.split("#", 1)[0].split()
        if len(head) < 3:
            continue
        oid, otype, span_ids = head[0], head[1], [s for s in head[2:] if s in spans]
        objects[oid] = (otype, span_ids)
        if otype == "Person" and span_ids:
            gold.append((min(spans[s][1] for s in span_ids), max(spans[s][2] for s in span_ids), "PER"))
        elif otype == "Org":
            gold += [(spans[s][1], spans[s][2], "ORG") for s in span_ids if spans[s][0] == "org_name"]
        elif otype in ("Location", "LocOrg"):
            gold += [(spans[s][1], spans[s][2], "LOC") for s in span_ids if spans[s][0] == "loc_name"]
    kept = set()
    for span in sorted(set(gold)):
        if not any(o != span and o[0] < span[1] and span[0] < o[1] for o in kept):
            kept.add(span)
    doc = GoldDoc(name, text, kept)
    doc.occupations = _occupations(folder, name, text, spans, objects)
    return doc


def _entity_variants(folder: Path, name: str, text: str, spans: dict, objects: dict) -> dict[str, set[str]]:
    variants: dict[str, set[str]] = {}
    for record in _read(folder / f"{name}.coref").split("\n\n"):
        lines = [ln for ln in record.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        head = lines[0].split()
        values: set[str] = set()
        attrs: dict[str, list[str]] = defaultdict(list)
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            attrs[key].append(value.strip())
            if key in ("name", "descriptor"):
                values.add(value.strip())
        first, last, middle = (
            attrs.get("firstname", []),
            attrs.get("lastname", []),
            attrs.get("patronymic", []),
        )
        for f in first or [""]:
            for l_ in last or [""]:
                for p in middle or [""]:
                    for combo in (
                        f"{l_} {f} {p}",
                        f"{f} {p} {l_}",
                        f"{f} {l_}",
                        f"{l_} {f}",
                        f"{f} {p}",
                        l_,
                        f,
                    ):
                        if combo.strip():
                            values.add(combo)
        for mention in head[1:]:
            if mention in objects:
                ids = objects[mention][1]
                values.update(spans[s][3].split(None, len(spans[s][3].split()) // 2)[-1] for s in ids)
                if ids:
                    values.add(text[min(spans[s][1] for s in ids) : max(spans[s][2] for s in ids)])
        variants[head[0]] = {_norm(v) for v in values if v.strip()}
    return variants


def _occupations(folder: Path, name: str, text: str, spans: dict, objects: dict) -> list[dict[str, set[str]]]:
    raw = _read(folder / f"{name}.facts")
    if not raw:
        return []
    variants = _entity_variants(folder, name, text, spans, objects)
    facts = []
    for record in raw.split("\n\n"):
        lines = [ln for ln in record.strip().splitlines() if ln.strip()]
        if not lines or not lines[0].endswith("Occupation"):
            continue
        if any(ln.lower().startswith("сложность") and "повышенная" in ln.lower() for ln in lines):
            continue
        fact: dict[str, set[str]] = {}
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            key = {"who": "who", "where": "where", "job": "position", "position": "position"}.get(key.lower())
            if key is None:
                continue
            options: set[str] = set()
            for alternative in value.split("|"):
                alternative = alternative.strip()
                ident = alternative.split(" ", 1)[0]
                if ident.startswith("obj"):
                    options |= variants.get(ident[3:], set())
                    options.add(_norm(alternative.split(" ", 1)[1] if " " in alternative else ""))
                elif ident.startswith("span") and ident[4:] in spans:
                    s = spans[ident[4:]]
                    options.add(_norm(text[s[1] : s[2]]))
                else:
                    options.add(_norm(alternative))
            fact[key] = {o for o in options if o}
        if "who" in fact:
            facts.append(fact)
    return facts


# ------------------------------------------------------------------------- scoring


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _matches(value: str, options: set[str]) -> bool:
    value = _norm(value)
    return bool(value) and any(Levenshtein.distance(value, o, score_cutoff=2) <= 2 for o in options)


def _quality(gold: dict[str, set[str]], ours: dict[str, str]) -> float:
    if not _matches(ours.get("who", ""), gold["who"]):
        return 0.0
    matched = sum(1 for k in gold if k in ours and ours[k] and _matches(ours[k], gold[k]))
    unmatched_gold = len(gold) - matched
    unmatched_ours = sum(1 for k, v in ours.items() if v) - matched
    return matched / (matched + unmatched_gold + unmatched_ours)


def score_occupations(
    gold: list[dict[str, set[str]]], ours: list[dict[str, str]]
) -> tuple[float, int, int, int]:
    """Summed quality of a one-to-one matching (greedy, best pairs first), exact matches, counts."""
    pairs = sorted(
        ((_quality(g, o), i, j) for i, g in enumerate(gold) for j, o in enumerate(ours)), reverse=True
    )
    used_g, used_o, total, exact = set(), set(), 0.0, 0
    for q, i, j in pairs:
        if q <= 0 or i in used_g or j in used_o:
            continue
        used_g.add(i)
        used_o.add(j)
        total += q
        exact += q == 1.0
    return total, exact, len(gold), len(ours)


# ------------------------------------------------------------------------- runs


def _where(fact) -> str:
    """The place of work of a position: its organization, else the territory of a state title, else
    the unit its title describes ("синодального отдела"), else the state a state title's adjective
    names ("российский президент"). Other adjectives before a title ("немецкий режиссёр") name no
    organization: they are not a Where."""
    if (
        fact.place_word
        and fact.organization is None
        and fact.territory is None
        and (set(fact.title.lower().replace("ё", "е").split()) & TERRITORY_HEADS)
    ):
        return fact.place_word  # "подмосковного губернатора": the adjective names the governed territory
    if fact.organization_name:
        return fact.organization_name  # "внешнеполитическое ведомство России", its adjectives kept
    place = fact.organization or fact.territory
    return (place.normal or place.text) if place is not None else fact.unit_text or fact.state or ""


def submitted(positions: list, wheres) -> list[tuple[str, str, str]]:
    """(who, job, where) of each position as the result reports it: once per person, title and place of
    work, a person's mentions being one ("Реджеп Тайип Эрдоган, премьер-министр Турции" and "премьер-
    министром Турции Реджепом Эрдоганом" are one fact), the first mention's words. A founder's or an
    owner's title is left out (an Ownership fact)."""
    seen: dict[tuple, tuple[str, str, str]] = {}
    for fact, where in zip(positions, wheres, strict=True):
        if OWNERS & set(fact.title.lower().replace("ё", "е").split()):
            continue
        person = (
            fact.person.cluster if fact.person.cluster is not None else fact.person.normal or fact.person.text
        )
        key = (person, _norm(fact.title), _norm(where))
        seen.setdefault(key, (fact.person.normal or fact.person.text, fact.job_text, where))
    return list(dict.fromkeys(seen.values()))


def name_spans(doc: Doc) -> set[tuple[int, int, str]]:
    """Our mentions as factRuEval marks names: a body's name without the territory that ends it
    ("Министерство сельского хозяйства" of "... Германии", the country a mention of its own), and the
    places and organizations named inside names as mentions too."""
    spans = set()
    for mention in doc.mentions + doc.nested:
        if mention.derived or mention.bare:
            continue  # "правительство Китая": factRuEval marks the country alone (its LocOrg)
        stop = mention.stop
        for part in sorted(mention.parts, key=lambda p: -p.start):
            if part.stop == stop or not doc.text[part.stop : stop].strip():
                stop = part.start
                while stop > mention.start and doc.text[stop - 1] in " ,":
                    stop -= 1
        if stop > mention.start:
            spans.add((mention.start, stop, mention.type))
    return spans


def run(folder: Path, limit: int | None) -> dict:
    names = sorted(p.stem for p in folder.glob("*.txt") if p.stem.startswith("book_"))[: limit or None]
    docs = [load_doc(folder, n) for n in names]
    load_at_start = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    t0 = time.perf_counter()
    models = load_models()
    load_s = time.perf_counter() - t0
    empty = Gazetteer()
    # warm-up (caches, first-call costs), not timed
    for gold in docs[:3]:
        run_pipeline(Doc(text=gold.text), models=models, gazetteer=empty, session=None)
        adapt_ner(gold.text, adapt_sentences(gold.text, models.segmenter), models.ner_tagger)

    counts = {sys_: {t: [0, 0, 0] for t in TYPES} for sys_ in ("ours", "natasha")}
    occupation = [0.0, 0, 0, 0]
    occupation_any = [0.0, 0, 0, 0]  # every position we find, with a place of work or without
    natasha_s = ours_s = natasha_cpu = ours_cpu = 0.0
    for gold in docs:
        t, cpu = time.perf_counter(), time.process_time()
        sentences = adapt_sentences(gold.text, models.segmenter)
        bare = adapt_ner(gold.text, sentences, models.ner_tagger)
        natasha_s += time.perf_counter() - t
        natasha_cpu += time.process_time() - cpu

        t, cpu = time.perf_counter(), time.process_time()
        doc = Doc(text=gold.text)
        run_pipeline(doc, models=models, gazetteer=empty, session=None)
        ours_s += time.perf_counter() - t
        ours_cpu += time.process_time() - cpu

        for system, spans in (
            ("natasha", {(m.start, m.stop, m.type) for m in bare}),
            ("ours", name_spans(doc)),
        ):
            predicted = spans
            for kind in TYPES:
                p = {s for s in predicted if s[2] == kind}
                g = {s for s in gold.spans if s[2] == kind}
                counts[system][kind][0] += len(p & g)
                counts[system][kind][1] += len(p)
                counts[system][kind][2] += len(g)
        wheres = [_where(f) for f in doc.positions]
        every = [{"who": w, "position": p, "where": o} for w, p, o in submitted(doc.positions, wheres)]
        facts = [f for f in every if f["where"]]  # an Occupation fact has a Where (Org or LocOrg)
        for k, v in enumerate(score_occupations(gold.occupations, facts)):
            occupation[k] += v
        for k, v in enumerate(score_occupations(gold.occupations, every)):
            occupation_any[k] += v

    ner = {
        system: {
            kind: dict(zip(("p", "r", "f1"), prf(*counts[system][kind]), strict=True))
            | {"gold": counts[system][kind][2]}
            for kind in TYPES
        }
        for system in counts
    }
    occ_p, occ_r, occ_f = prf(occupation[0], occupation[3], occupation[2])
    strict = prf(occupation[1], occupation[3], occupation[2])
    any_p, any_r, any_f = prf(occupation_any[0], occupation_any[3], occupation_any[2])
    return {
        "set": folder.name,
        "documents": len(docs),
        "models_load_s": round(load_s, 2),
        "ner": ner,
        "occupation": {
            "p": occ_p,
            "r": occ_r,
            "f1": occ_f,
            "gold_facts": occupation[2],
            "our_facts": occupation[3],
            "strict_f1": strict[2],
            "without_where": {"p": any_p, "r": any_r, "f1": any_f, "our_facts": occupation_any[3]},
            "baseline_best_official_f1": BEST_OFFICIAL_OCCUPATION_F1,
        },
        "speed": {
            "ours_docs_per_s": len(docs) / ours_s,
            "natasha_ner_docs_per_s": len(docs) / natasha_s,
            "ours_ms_per_doc": 1000 * ours_s / len(docs),
            "natasha_ms_per_doc": 1000 * natasha_s / len(docs),
            "ours_cpu_ms_per_doc": 1000 * ours_cpu / len(docs),
            "natasha_cpu_ms_per_doc": 1000 * natasha_cpu / len(docs),
            "ratio_to_natasha": ours_s / natasha_s,
            "cpu_ratio_to_natasha": ours_cpu / natasha_cpu,
            "chars_per_doc": sum(len(d.text) for d in docs) / len(docs),
            "peak_rss_mb": c.peak_rss_mb(),
            "target_docs_per_s": TARGET_DOCS_PER_S,
            "load_average_at_start": load_at_start,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="testset", choices=["testset", "devset"])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = parser.parse_args()
    folder = args.data / args.set
    if not folder.is_dir():
        sys.exit(f"factRuEval-2016 not found at {folder}")
    result = run(folder, args.limit)
    print(c.machine())
    print(
        f"\nfactRuEval-2016 {result['set']}: {result['documents']} documents "
        f"(models loaded in {result['models_load_s']} s)\n"
    )
    print("NER, exact span        ours P / R / F1           natasha NER P / R / F1    gold")
    for kind in TYPES:
        o, n = result["ner"]["ours"][kind], result["ner"]["natasha"][kind]
        print(
            f"  {kind:4}                 {o['p']:.3f} / {o['r']:.3f} / {o['f1']:.3f}     "
            f"{n['p']:.3f} / {n['r']:.3f} / {n['f1']:.3f}     {o['gold']}"
        )
    occ = result["occupation"]
    print(
        f"\nOccupation facts (easy mode): P {occ['p']:.3f}  R {occ['r']:.3f}  F1 {occ['f1']:.3f}  "
        f"(all three arguments right: F1 {occ['strict_f1']:.3f}); gold {occ['gold_facts']}, ours {occ['our_facts']}"
    )
    w = occ["without_where"]
    print(
        f"  every position we find, those without a place of work too: P {w['p']:.3f}  R {w['r']:.3f}  "
        f"F1 {w['f1']:.3f} (ours {w['our_facts']})"
    )
    print(f"  baseline: best official Occupation F1 of factRuEval-2016 = {BEST_OFFICIAL_OCCUPATION_F1}")
    sp = result["speed"]
    print(
        f"\nSpeed (one process, {sp['chars_per_doc']:.0f} chars per document; "
        f"load average {sp['load_average_at_start']} at the start, on {os.cpu_count()} cores):"
    )
    print(
        f"  ours (whole pipeline)  {sp['ours_docs_per_s']:.1f} docs/s  ({sp['ours_ms_per_doc']:.1f} ms/doc); "
        f"target >= {TARGET_DOCS_PER_S}"
    )
    print(
        f"  natasha NER alone      {sp['natasha_ner_docs_per_s']:.1f} docs/s  ({sp['natasha_ms_per_doc']:.1f} ms/doc); "
        f"published: {NATASHA_PUBLISHED_DOCS_PER_S} news articles/s"
    )
    print(
        f"  ours / natasha NER     {sp['ratio_to_natasha']:.2f}x wall clock, {sp['cpu_ratio_to_natasha']:.2f}x CPU time "
        f"({sp['ours_cpu_ms_per_doc']:.1f} / {sp['natasha_cpu_ms_per_doc']:.1f} ms/doc of CPU)"
    )
    print(
        f"  CPU time per document  ours {sp['ours_cpu_ms_per_doc']:.1f} ms "
        f"({1000 / sp['ours_cpu_ms_per_doc']:.1f} docs/s of CPU time), natasha NER "
        f"{sp['natasha_cpu_ms_per_doc']:.1f} ms ({1000 / sp['natasha_cpu_ms_per_doc']:.1f} docs/s of CPU time); "
        "process_time, the figure that other work on the machine moves least"
    )
    print(f"  peak memory            {sp['peak_rss_mb']:.0f} MB (ru_maxrss)")
    c.OUT.mkdir(exist_ok=True)
    (c.OUT / f"ingest_factrueval_{result['set']}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
