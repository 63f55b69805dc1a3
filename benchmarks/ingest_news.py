"""Benchmark: the ingest pipeline on news of the genre, scored record by record, against bare natasha.

    .venv/bin/python benchmarks/ingest_news.py [--news DIR] [--own DIR] [--verbose] [--keep DIR]

Sets (each scored with the evaluation set's own scorer, ../shared/tools/ingest-score):
  shared   ../shared/samples/news/newsNN.txt with newsNN.gold.json; each text's publication date from
           its sources.json (null stays unknown)
  sample   ../shared/samples/mission-report-uzbekistan.ru.txt, published in 2024 (the year only is
           known: 2024-12-31 is passed, so a day without a year takes 2024), against our own gold
           tests/ingest/news/mission-report.gold.json
  own      tests/ingest/news/*.txt with *.gold.json and sources.json: texts of our own wording

Every text is ingested with a registry (the reference data in a fresh SQLite database), as a user
would. Printed, measured in the same run:
  - the scorer's table for our pipeline and for bare natasha (NER spans grouped by their normal
    form, people's names, natasha's DatesExtractor; a day without a year takes the publication
    year, a month alone becomes YYYY-MM); natasha has no positions, events or agreements;
  - wrong links: a record linked to an entity whose registry names name no gold entity of its kind
    that its mentions name (e.g. "Самаркандская область" linked to Samara region). Target 0;
  - documents per second of the whole pipeline over all the texts, and peak memory.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402
from sqlalchemy import select  # noqa: E402


def _shared() -> Path:
    """The evaluation material beside the checkout (../shared), or beside its parent for a worktree."""
    for folder in (c.ROOT.parent / "shared", c.ROOT.parent.parent / "shared"):
        if folder.is_dir():
            return folder
    return c.ROOT.parent / "shared"


SHARED = _shared()
NEWS = SHARED / "samples" / "news"
SAMPLE = SHARED / "samples" / "mission-report-uzbekistan.ru.txt"
SAMPLE_PUBLISHED = date(2024, 12, 31)
OWN = c.ROOT / "tests" / "ingest" / "news"
SCORER = SHARED / "tools" / "ingest-score"
CATEGORY_OF = {"organizations": "organization", "people": "person", "places": "place"}


def load_scorer(path: Path) -> ModuleType:
    """The evaluation set's scorer as a module (it is a script without a .py suffix)."""
    loader = importlib.machinery.SourceFileLoader("ingest_score", str(path))
    spec = importlib.util.spec_from_loader("ingest_score", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def texts_of(folder: Path) -> list[tuple[str, str, date | None]]:
    """(key, text, published) of every text with a gold file in a folder."""
    sources = (
        json.loads((folder / "sources.json").read_text(encoding="utf-8"))
        if (folder / "sources.json").exists()
        else {}
    )
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        key = gold.name[: -len(".gold.json")]
        path = folder / f"{key}.txt"
        if not path.exists():
            continue
        published = (sources.get(key) or {}).get("published")
        out.append(
            (key, path.read_text(encoding="utf-8"), date.fromisoformat(published) if published else None)
        )
    return out


# ------------------------------------------------------------------------- bare natasha


class BareNatasha:
    """natasha 1.6.0 as its README shows it: NER, names, dates; our prediction shape around it."""

    def __init__(self) -> None:
        from natasha import (
            DatesExtractor,
            MorphVocab,
            NamesExtractor,
            NewsEmbedding,
            NewsMorphTagger,
            NewsNERTagger,
            Segmenter,
        )

        embedding = NewsEmbedding()
        self.segmenter, self.morph_vocab = Segmenter(), MorphVocab()
        self.morph_tagger, self.ner_tagger = NewsMorphTagger(embedding), NewsNERTagger(embedding)
        self.names, self.dates = NamesExtractor(self.morph_vocab), DatesExtractor(self.morph_vocab)

    def predict(self, key: str, text: str, published: date | None) -> dict[str, Any]:
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        doc.tag_morph(self.morph_tagger)
        doc.tag_ner(self.ner_tagger)
        groups: dict[tuple[str, str], list[str]] = {}
        for span in doc.spans:
            span.normalize(self.morph_vocab)
            name = span.normal or span.text
            if span.type == "PER":
                span.extract_fact(self.names)
                if span.fact is not None:
                    parts = span.fact.as_dict
                    name = " ".join(parts[k] for k in ("first", "middle", "last") if parts.get(k)) or name
            groups.setdefault((span.type, name), []).append(span.text)
        out: dict[str, Any] = {
            "source": f"{key}.txt",
            "organizations": [],
            "people": [],
            "places": [],
            "dates": [],
            "events": [],
            "agreements": [],
        }
        bucket = {"ORG": "organizations", "PER": "people", "LOC": "places"}
        for (kind, name), mentions in groups.items():
            out[bucket[kind]].append(
                {"name": name, "mentions": list(dict.fromkeys(mentions)), "positions": []}
            )
        for match in self.dates(text):
            fact = match.fact
            year = fact.year or (published.year if published else None)
            if not fact.month:
                continue
            if fact.day:
                start = (
                    f"{year:04d}-{fact.month:02d}-{fact.day:02d}"
                    if year
                    else f"--{fact.month:02d}-{fact.day:02d}"
                )
            elif year:
                start = f"{year:04d}-{fact.month:02d}"
            else:
                continue
            out["dates"].append({"text": text[match.start : match.stop], "start": start, "end": None})
        return out


# ------------------------------------------------------------------------- ours


def registry_session(url: str):
    """A session on a fresh database holding the reference data."""
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry.reference import load_reference

    engine = make_engine(url)
    upgrade(engine)
    session = session_factory(engine)()
    load_reference(session=session)
    session.commit()
    return session


def registry_names(session, record_type: str, record_id: int) -> list[str]:
    """Every name the registry holds for a record."""
    from cooplab.registry.models import OrganizationName, PersonName, PlaceName

    table, column = {
        "organization": (OrganizationName, OrganizationName.organization_id),
        "person": (PersonName, PersonName.person_id),
        "place": (PlaceName, PlaceName.place_id),
    }[record_type]
    return list(session.scalars(select(table.value).where(column == record_id)))


def wrong_links(scorer: ModuleType, session, gold: dict[str, Any], pred: dict[str, Any]) -> list[str]:
    """Linked entities whose record is not the gold entity their mentions name."""
    wrong = []
    for category, record_type in CATEGORY_OF.items():
        golds = gold.get(category) or []
        org, place = category == "organizations", category == "places"
        for item in pred.get(category) or []:
            if item.get("id") is None:
                continue
            names = registry_names(session, record_type, item["id"])
            said = [m for m in item.get("mentions") or [] if m] or [item["name"]]
            right = any(
                any(scorer.entity_score(m, g, org, place) is not None for m in said)
                and any(scorer.entity_score(n, g, org, place) is not None for n in names)
                for g in golds
            )
            if not right:
                wrong.append(f"{category}: {said} -> {record_type} {item['id']} {names[:3]}")
    return wrong


def score_set(
    scorer: ModuleType, title: str, predictions: dict[str, dict], golds: dict[str, dict], verbose: bool
) -> float:
    """Print the scorer's per-document rows and pooled table; return its macro F1 (pooled counts)."""
    print(f"\n--- {title}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cooplab-news-") as folder:
        gold_dir, pred_dir = Path(folder, "gold"), Path(folder, "pred")
        gold_dir.mkdir()
        pred_dir.mkdir()
        for key, gold in golds.items():
            (gold_dir / f"{key}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
            (pred_dir / f"{key}.json").write_text(
                json.dumps(predictions[key], ensure_ascii=False), encoding="utf-8"
            )
        scorer.run_all(
            str(pred_dir), argparse.Namespace(gold_dir=str(gold_dir), include_seed=True, verbose=verbose)
        )
    sys.stdout.flush()
    pooled = {category: scorer.Counts() for category in scorer.CATEGORIES}
    for key, gold in golds.items():
        counts, _ = scorer.score_document(gold, predictions[key])
        for category in scorer.CATEGORIES:
            pooled[category].add(counts[category])
    return scorer.macro(pooled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--own", type=Path, default=OWN)
    parser.add_argument("--scorer", type=Path, default=SCORER)
    parser.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    parser.add_argument("--keep", type=Path, help="write our predictions (one JSON per text) here")
    parser.add_argument("--only", choices=["shared", "sample", "own"], action="append")
    args = parser.parse_args()
    if not args.scorer.exists():
        sys.exit(f"the scorer is not at {args.scorer}")
    scorer = load_scorer(args.scorer)

    from cooplab.ingest import extract, load_models

    sets: dict[str, list[tuple[str, str, date | None]]] = {}
    gold_of: dict[str, dict[str, dict]] = {}
    wanted = args.only or ["shared", "sample", "own"]
    if "shared" in wanted and args.news.is_dir():
        sets["shared"] = texts_of(args.news)
        gold_of["shared"] = {
            k: json.loads((args.news / f"{k}.gold.json").read_text()) for k, _, _ in sets["shared"]
        }
    sample_gold = args.own / "mission-report.gold.json"
    if "sample" in wanted and SAMPLE.exists() and sample_gold.exists():
        sets["sample"] = [("mission-report", SAMPLE.read_text(encoding="utf-8"), SAMPLE_PUBLISHED)]
        gold_of["sample"] = {"mission-report": json.loads(sample_gold.read_text())}
    if "own" in wanted and args.own.is_dir():
        sets["own"] = [t for t in texts_of(args.own) if t[0] != "mission-report"]
        gold_of["own"] = {k: json.loads((args.own / f"{k}.gold.json").read_text()) for k, _, _ in sets["own"]}

    print(c.machine())
    t0 = time.perf_counter()
    models = load_models()
    bare = BareNatasha()
    print(f"models loaded in {time.perf_counter() - t0:.2f} s")
    summary: dict[str, Any] = {}
    total_docs, total_s, total_wrong, bare_s = 0, 0.0, 0, 0.0
    with c.fresh_database("sqlite") as url:
        session = registry_session(url)
        extract(
            "Прогрев: 1 марта в Ташкенте прошли переговоры.",
            published=date(2024, 3, 2),
            session=session,
            models=models,
        )
        for name, items in sets.items():
            ours, baseline, wrong = {}, {}, []
            for key, text, published in items:
                t = time.perf_counter()
                result = extract(
                    text, published=published, source=f"{key}.txt", session=session, models=models
                )
                total_s += time.perf_counter() - t
                total_docs += 1
                ours[key] = result.model_dump(mode="json")
                t = time.perf_counter()
                baseline[key] = bare.predict(key, text, published)
                bare_s += time.perf_counter() - t
                wrong += [f"{key}: {w}" for w in wrong_links(scorer, session, gold_of[name][key], ours[key])]
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"{key}.json").write_text(
                        json.dumps(ours[key], ensure_ascii=False, indent=1)
                    )
            ours_f1 = score_set(
                scorer, f"{name}: ours ({len(items)} texts)", ours, gold_of[name], args.verbose
            )
            bare_f1 = score_set(
                scorer, f"{name}: bare natasha (NER + names + dates)", baseline, gold_of[name], False
            )
            print(f"\nwrong links ({name}): {len(wrong)}")
            for line in wrong:
                print(f"  {line}")
            total_wrong += len(wrong)
            summary[name] = {
                "texts": len(items),
                "ours_macro_f1": ours_f1,
                "natasha_macro_f1": bare_f1,
                "wrong_links": len(wrong),
            }
        session.close()
    print("\nsummary")
    for name, row in summary.items():
        print(
            f"  {name:<7} {row['texts']:>3} texts   ours macro F1 {row['ours_macro_f1']:.4f}   "
            f"bare natasha {row['natasha_macro_f1']:.4f}   wrong links {row['wrong_links']}"
        )
    print(
        f"  speed: {total_docs / total_s:.1f} documents/s over {total_docs} texts (whole pipeline, with a "
        f"registry, one process); bare natasha (morph + NER + names + dates) {total_docs / bare_s:.1f} "
        f"documents/s in the same run; peak memory {c.peak_rss_mb():.0f} MB (ru_maxrss)"
    )
    print(f"  wrong links, all sets: {total_wrong} (target 0)")
    c.OUT.mkdir(exist_ok=True)
    (c.OUT / "ingest_news.json").write_text(
        json.dumps(
            summary
            | {
                "docs_per_s": total_docs / total_s,
                "natasha_docs_per_s": total_docs / bare_s,
                "peak_rss_mb": c.peak_rss_mb(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
