"""The news sets scored record by record with the evaluation set's own scorer: the shared set
(read from shared/samples/news, never copied), our own texts (tests/ingest/news) and the sample
report against our gold. Every set also counts links to the wrong registry record: none allowed."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from cooplab.ingest import extract
from cooplab.registry.models import OrganizationName, PersonName, PlaceName
from tests.ingest.conftest import SAMPLES

OWN = Path(__file__).parent / "news"
SHARED_NEWS = SAMPLES / "news"
SCORER = SAMPLES.parent / "tools" / "ingest-score"
CATEGORIES = ("organizations", "people", "positions", "places", "dates", "events", "agreements")


@pytest.fixture(scope="module")
def scorer():
    if not SCORER.is_file():
        pytest.skip(f"the scorer is not at {SCORER} (shared/ missing)")
    loader = importlib.machinery.SourceFileLoader("ingest_score", str(SCORER))
    spec = importlib.util.spec_from_loader("ingest_score", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _texts(folder: Path) -> list[tuple[str, str, date | None]]:
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    out = []
    for gold in sorted(folder.glob("*.gold.json")):
        key = gold.name[: -len(".gold.json")]
        if (folder / f"{key}.txt").exists():
            published = (sources.get(key) or {}).get("published")
            out.append(
                (
                    key,
                    (folder / f"{key}.txt").read_text(encoding="utf-8"),
                    date.fromisoformat(published) if published else None,
                )
            )
    return out


def _wrong_links(scorer, session, gold: dict, result: dict) -> list[str]:
    tables = {
        "organizations": (OrganizationName, "organization_id"),
        "people": (PersonName, "person_id"),
        "places": (PlaceName, "place_id"),
    }
    wrong = []
    for category, (table, column) in tables.items():
        org, place = category == "organizations", category == "places"
        for item in result[category]:
            if item["id"] is None:
                continue
            names = [n.value for n in session.query(table).filter(getattr(table, column) == item["id"])]
            said = item["mentions"] or [item["name"]]
            if not any(
                any(scorer.entity_score(m, g, org, place) for m in said)
                and any(scorer.entity_score(n, g, org, place) for n in names)
                for g in gold[category]
            ):
                wrong.append(f"{category}: {said} -> {names[:2]}")
    return wrong


def _score(scorer, session, models, items, golds) -> tuple[dict, float, list[str]]:
    pooled = {c: scorer.Counts() for c in CATEGORIES}
    wrong: list[str] = []
    for key, text, published in items:
        result = extract(text, published=published, source=f"{key}.txt", session=session, models=models)
        produced = result.model_dump(mode="json")
        counts, _ = scorer.score_document(golds[key], produced)
        for c in CATEGORIES:
            pooled[c].add(counts[c])
        wrong += [f"{key}: {w}" for w in _wrong_links(scorer, session, golds[key], produced)]
    f1 = {c: pooled[c].prf()[2] for c in CATEGORIES if pooled[c].applicable}
    return f1, scorer.macro(pooled), wrong


def test_shared_news_set(scorer, registry_session, models):
    if not SHARED_NEWS.is_dir():
        pytest.skip(f"the shared news set is not at {SHARED_NEWS}")
    items = _texts(SHARED_NEWS)
    golds = {k: json.loads((SHARED_NEWS / f"{k}.gold.json").read_text(encoding="utf-8")) for k, _, _ in items}
    f1, macro, wrong = _score(scorer, registry_session, models, items, golds)
    assert macro >= 0.90, f1
    assert min(f1.values()) >= 0.80, f1
    assert wrong == []


def test_own_news_set(scorer, registry_session, models):
    items = [t for t in _texts(OWN) if t[0] != "mission-report"]
    assert len(items) >= 10
    golds = {k: json.loads((OWN / f"{k}.gold.json").read_text(encoding="utf-8")) for k, _, _ in items}
    f1, macro, wrong = _score(scorer, registry_session, models, items, golds)
    assert macro >= 0.90, f1
    assert min(f1.values()) >= 0.80, f1
    assert wrong == []


def test_sample_report_against_our_gold(scorer, registry_session, models, mission_report):
    gold = json.loads((OWN / "mission-report.gold.json").read_text(encoding="utf-8"))
    f1, macro, wrong = _score(
        scorer,
        registry_session,
        models,
        [("mission-report", mission_report, date(2024, 12, 31))],
        {"mission-report": gold},
    )
    assert macro >= 0.95, f1
    assert wrong == []


def test_our_texts_are_our_own_and_say_where_their_facts_come_from():
    sources = json.loads((OWN / "sources.json").read_text(encoding="utf-8"))
    for key, _, _ in _texts(OWN):
        if key != "mission-report":
            assert sources[key]["url"].startswith("http") and sources[key]["note"]
    if SHARED_NEWS.is_dir():
        shared = {p.read_text(encoding="utf-8")[:200] for p in SHARED_NEWS.glob("*.txt")}
        assert not shared & {p.read_text(encoding="utf-8")[:200] for p in OWN.glob("*.txt")}
