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
  Facts     Occupation (who, position, where) against the gold Occupation facts, scored by the rules of the
            official fact scorer of factRuEval-2016 in easy mode (repository dialogue-evaluation/factRuEval-2016,
            scripts/t3_eval.py without -m: scripts/dialent/task3/eval.py, objects/fact.py, objects/argument.py,
            objects/entity.py, objects/attribute.py, common/util.py, common/metrics.py, config.py), in our own
            code: a gold fact marked "Сложность повышенная" is ignored (neither gold nor, if a fact of ours is
            paired with it, submitted); a fact of ours may be paired with a gold fact when its Who or its Where
            matches; several of ours may go to one gold fact; a pair scores matched / (matched + unmatched gold
            + unmatched ours) over the arguments, a position weighing 0.5; of the pairings of a document the one
            of the best F1 is kept; P and R are summed over the documents (micro), each with its own true
            positives. Values match at a Levenshtein distance of at most 2, lower-cased, ё as е, against the
            values the official scorer gives an argument (an entity's names and mentions, a person's name
            parts, a position's span). In factRuEval's schema an Occupation fact has a Where (an Org or LocOrg;
            179 of the 180 dev set facts have one), so a position we find with neither an organization, a
            territory nor a unit is not submitted as one; the figure over every position we find is printed
            beside it. A founder or an owner ("основатель MySQL", "совладелец агентства") is an Ownership fact in
            that schema (Owner, Property), not an Occupation: it is not submitted as one either. Facts are
            submitted as the result lists positions: once per person (the document's entity), title and place
            of work. Baseline: best official Occupation F1 of the evaluation, 0.6624 (violet_3; the official
            report reports/run_2/violet_3.test.t3: TP1 189.71, TP2 194.71, 336 gold, 243 submitted).
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
from itertools import product
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
class GoldFact:
    """A gold Occupation fact: its arguments (who, position, where) in the order the file gives them,
    each with every value that matches it, and whether easy mode leaves it out ("Сложность
    повышенная": counted neither as gold nor, if a submitted fact is matched to it, as submitted)."""

    args: dict[str, set[str]]
    ignored: bool = False


@dataclass
class GoldDoc:
    name: str
    text: str
    spans: set[tuple[int, int, str]]
    occupations: list[GoldFact] = field(default_factory=list)
    has_facts: bool = False  # the official script compares only documents with a .facts file


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig") if path.exists() else ""


def _norm(value: str) -> str:
    value = value.lower().strip().replace("ё", "е")
    for q in "«»“”„":
        value = value.replace(q, '"')
    for q in "’`":
        value = value.replace(q, "'")
    return " ".join(value.split())


def load_doc(folder: Path, name: str) -> GoldDoc:
    text = _read(folder / f"{name}.txt")
    spans: dict[str, tuple[str, int, int, str]] = {}
    for line in _read(folder / f"{name}.spans").splitlines():
        parts = line.split()
        if len(parts) >= 4:
            right = line.split("#", 1)[-1].split()  # the token ids, then their texts
            tokens = tuple(zip(map(int, right[: len(right) // 2]), right[len(right) // 2 :], strict=True))
            spans[parts[0]] = (parts[1], int(parts[2]), int(parts[2]) + int(parts[3]), tokens)
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
    doc.has_facts = (folder / f"{name}.facts").exists()
    doc.occupations = _occupations(folder, name, text, spans, objects)
    return doc


#: The orders in which a person's name parts make a value (f first name, l last name, p patronymic,
#: n nickname), as the official scorer builds them (dialent/objects/argument.py, EntityValue).
PERSON_ORDERS = ("lfp", "fpl", "fp", "fl", "lf", "n", "f", "p", "l", "fn")
PERSON_PARTS = {"f": "firstname", "l": "lastname", "p": "patronymic", "n": "nickname"}


def _entity_values(folder: Path, name: str, text: str, spans: dict, objects: dict) -> dict[str, set[str]]:
    """Every value that names each entity of the .coref layer, by the official scorer's rules
    (dialent/objects/entity.py, attribute.py, mention.py, argument.py): each mention's tokens and the
    text from its first to its last token; for a person the name parts in the orders above; for an
    organization or a place its names. A descriptor is no value of its own: it makes alternatives of
    the other attributes ("штат" and "Аризона": "штат аризона", "аризона штат")."""
    values: dict[str, set[str]] = {}
    for record in _read(folder / f"{name}.coref").split("\n\n"):
        lines = [ln for ln in record.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        head = lines[0].split()
        attrs: dict[str, set[str]] = defaultdict(set)
        descriptors: set[str] = set()
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            key, value = key.strip().lower(), _norm(value)
            if key.endswith(("descr", "descriptor")):
                descriptors.add(value)
            elif key != "wikidata":
                attrs[key.rstrip("0123456789")].add(value)  # "firstname1" is a first name too
        if descriptors:
            for key, found in attrs.items():
                attrs[key] = found | {
                    f"{a} {b}" if first else f"{b} {a}"
                    for a in found
                    for b in descriptors
                    if f" {b} " not in f" {a} "
                    for first in (True, False)
                }
        mentions = [objects[m] for m in head[1:] if m in objects]
        found: set[str] = set()
        for _, ids in mentions:
            if ids:
                tokens = dict(token for s in ids for token in spans[s][3])  # each token once, in order
                found.add(" ".join(tokens[t] for t in sorted(tokens)))
                found.add(text[min(spans[s][1] for s in ids) : max(spans[s][2] for s in ids)])
        kinds = {t for t, _ in mentions}
        if kinds == {"Person"}:
            for order in PERSON_ORDERS:
                found |= {
                    " ".join(parts) for parts in product(*(sorted(attrs[PERSON_PARTS[c]]) for c in order))
                }
        elif kinds & {"Org", "Location", "LocOrg"}:
            found |= attrs["name"]
        values[head[0]] = {_norm(v) for v in found if v.strip()}
    return values


def _occupations(folder: Path, name: str, text: str, spans: dict, objects: dict) -> list[GoldFact]:
    """The document's gold Occupation facts, read as the official scorer reads them
    (dialent/objects/fact.py, argument.py): "Job" is "position"; a position's value is each span's
    text; a who's or a where's value is its entity's, plus the words the fact line gives after the
    object's id; "Модальность" is no argument and easy mode drops "Фаза" too; a fact with "Сложность
    повышенная" is kept, as ignored."""
    raw = _read(folder / f"{name}.facts")
    if not raw:
        return []
    entities = _entity_values(folder, name, text, spans, objects)
    facts = []
    for record in raw.split("\n\n"):
        lines = [ln.strip() for ln in record.strip().splitlines() if ln.strip()]
        if not lines or lines[0].split()[-1].lower() != "occupation":
            continue
        fact = GoldFact({})
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            key = key.lower()
            if key == "сложность":
                fact.ignored = _norm(value) == "повышенная"
                continue
            key = {"job": "position"}.get(key, key)
            if key not in ("who", "where", "position"):
                continue  # "модальность", "фаза"
            first = value.split(" ", 1)[0]
            if first.startswith("span"):
                ids = [a.split()[0][4:] for a in value.split("|") if a.split()]
                options = {_norm(" ".join(t for _, t in spans[i][3])) for i in ids if i in spans}
            elif first.startswith("obj"):
                options = entities.get(first[3:], set()) | {
                    _norm(value.split(" ", 1)[1] if " " in value else "")
                }
            else:
                options = {_norm(a) for a in value.split("|")}
            fact.args[key] = {o for o in options if o}
        facts.append(fact)
    return facts


# ------------------------------------------------------------------------- scoring


#: Weights of the arguments in a fact's quality: a position counts half (dialent/config.py, ARG_WEIGHTS).
ARG_WEIGHTS = {"position": 0.5}


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def micro(tp_gold: float, tp_ours: float, n_gold: int, n_ours: int) -> tuple[float, float, float]:
    """P = true positives of precision / our facts, R = true positives of recall / gold facts, summed
    over the documents (dialent/common/metrics.py, Metrics)."""
    p = tp_ours / n_ours if n_ours else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _matches(value: str, options: set[str]) -> bool:
    """A value matches an argument when it is within a Levenshtein distance of 2 of any of the
    argument's values, both normalized (dialent/common/util.py, compareStrings and normalize)."""
    value = _norm(value)
    return bool(value) and any(Levenshtein.distance(value, o, score_cutoff=2) <= 2 for o in options)


def _compatible(gold: GoldFact, ours: dict[str, str]) -> bool:
    """A submitted fact may be paired with a gold fact when one argument other than the position
    matches (dialent/objects/fact.py, Fact.canMatch): the right Where with another person may be."""
    return any(k != "position" and k in gold.args and _matches(v, gold.args[k]) for k, v in ours.items() if v)


def _cluster_quality(gold: GoldFact, ours: list[dict[str, str]]) -> float:
    """The quality of a gold fact and the submitted facts paired with it (dialent/task3/eval.py,
    Cluster): each submitted argument matches the first gold argument of its name whose values it
    matches; argument quality = matched gold weight / (matched + unmatched gold + unmatched
    submitted weight); identification quality (several submitted facts only) = the share of pairs of
    gold arguments whose matches come from one submitted fact; quality = argument quality x (1 +
    identification quality) / 2."""
    if gold.ignored or not ours:
        return 0.0
    names = list(gold.args)
    by_gold: dict[str, set[int]] = {k: set() for k in names}
    unmatched_ours = 0.0
    for j, fact in enumerate(ours):
        for k, v in fact.items():
            if not v:
                continue
            if k in gold.args and _matches(v, gold.args[k]):
                by_gold[k].add(j)
            else:
                unmatched_ours += ARG_WEIGHTS.get(k, 1.0)
    matched = [k for k in names if by_gold[k]]
    n = sum(ARG_WEIGHTS.get(k, 1.0) for k in matched)
    unmatched_gold = sum(ARG_WEIGHTS.get(k, 1.0) for k in names if not by_gold[k])
    arg_quality = n / (n + unmatched_gold + unmatched_ours) if n else 0.0
    identification = 1.0
    if len(ours) > 1 and len(matched) > 1:
        # The official loop takes the pairs among the first len(matched) gold arguments in their
        # order (not among the matched ones); we follow it, so that our figure is the official one.
        first = names[: len(matched)]
        pairs = [(x, y) for a, x in enumerate(first) for y in first[a + 1 :]]
        identification = sum(1 for x, y in pairs if by_gold[x] & by_gold[y]) / len(pairs)
    return arg_quality * (1 + identification) / 2


def _document_f1(tp_gold: float, tp_ours: float, n_gold: int, n_ours: int) -> float:
    """A document's F1 as the official Metrics computes it (dialent/common/metrics.py): P and R are 1
    with nothing to count."""
    if n_gold + n_ours == 0:
        return 1.0
    p = tp_ours / n_ours if n_ours else 1.0
    r = tp_gold / n_gold if n_gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


#: Beyond this many pairings of one document, the search is greedy (no document of either set comes
#: near it with our submissions; the figure printed says when it happened).
MAX_PAIRINGS = 2_000_000


def score_occupations(gold: list[GoldFact], ours: list[dict[str, str]]) -> tuple[float, float, int, int, int]:
    """Our implementation of the official fact scorer, easy mode (dialent/task3/eval.py, Optimizer):
    each submitted fact goes to one gold fact it is compatible with, or to none, several submitted
    facts may go to one gold fact (a cluster), and of every such pairing of the document the one of
    the best F1 is kept (the first found, in the official order, when two tie). A gold fact easy
    mode ignores counts as no gold, and a submitted fact paired with it as no submission.
    Returns (true positives of recall, true positives of precision, gold facts counted, submitted
    facts counted, gold facts of quality 1)."""
    options = [[i for i, g in enumerate(gold) if _compatible(g, o)] + [None] for o in ours]
    cache: dict[tuple[int, tuple[int, ...]], float] = {}

    def evaluate(choice: tuple[int | None, ...]) -> tuple[float, float, int, int, int]:
        tp_gold = tp_ours = 0.0
        n_ours = sum(1 for c in choice if c is None)
        exact = 0
        for i, g in enumerate(gold):
            members = tuple(j for j, c in enumerate(choice) if c == i)
            if not members:
                continue
            if (i, members) not in cache:
                cache[i, members] = _cluster_quality(g, [ours[j] for j in members])
            q = cache[i, members]
            if not g.ignored:
                tp_gold += q
                tp_ours += q * len(members)
                n_ours += len(members)
                exact += q == 1.0
        return tp_gold, tp_ours, sum(1 for g in gold if not g.ignored), n_ours, exact

    count = 1
    for o in options:
        count *= len(o)
    if count <= MAX_PAIRINGS:
        best, best_f1 = None, -1.0
        for choice in product(*options):
            result = evaluate(choice)
            f1 = _document_f1(*result[:4])
            if f1 > best_f1:
                best, best_f1 = result, f1
        assert best is not None
        return best
    # greedy: each submitted fact in turn to the option that makes the best F1 so far
    choice: list[int | None] = [None] * len(ours)
    for j, opts in enumerate(options):
        choice[j] = max(
            opts, key=lambda c: _document_f1(*evaluate(tuple(choice[:j] + [c] + choice[j + 1 :]))[:4])
        )
    return evaluate(tuple(choice))


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
    # (true positives of recall, of precision, gold facts, our facts, gold facts of quality 1), summed
    # over the documents as the official Metrics.add does (micro)
    occupation = [0.0, 0.0, 0, 0, 0]
    occupation_any = [0.0, 0.0, 0, 0, 0]  # every position we find, with a place of work or without
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
        if not gold.has_facts:
            continue  # the official scorer compares only the documents with a .facts file
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
    occ_p, occ_r, occ_f = micro(*occupation[:4])
    strict = prf(occupation[4], occupation[3], occupation[2])
    any_p, any_r, any_f = micro(*occupation_any[:4])
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
        f"\nOccupation facts (official easy mode): P {occ['p']:.3f}  R {occ['r']:.3f}  F1 {occ['f1']:.3f}  "
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
