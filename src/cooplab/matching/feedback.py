"""Feedback on matches, and weights tuned on it offline.

A user marks a match relevant or not; each mark is a `Feedback` record (the service stores
them). Tuning re-ranks the judged needs' candidates under other weights, keeps the weights
that put the most matches marked relevant in the top k, and is measured on needs it did not
see (`cross_validate`), so a gain is a gain on new needs, not a memory of old marks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from cooplab.matching.features import FEATURE_ORDER
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.scoring import Scorer, ScoringConfig, Weights


class Judgement(StrEnum):
    """What a user said of a match."""

    RELEVANT = "relevant"
    NOT_RELEVANT = "not_relevant"


class Feedback(BaseModel):
    """One user's mark on one match: the need, the supplier (and capability) shown, the verdict."""

    need_ref: str = Field(description="the need's key (its ref, or #id)")
    supplier_id: int
    capability_id: int | None = None
    judgement: Judgement
    user_id: int | None = None
    at: datetime | None = None
    note: str | None = None


@dataclass
class Candidate:
    """A supplier's best capability for a need, as feature scores (to re-rank under weights)."""

    supplier_id: int
    rows: list[dict[str, float | None]]  # one per capability of the supplier with product evidence


@dataclass
class Example:
    """A need's candidates and the suppliers marked relevant and not relevant for it."""

    need_ref: str
    candidates: list[Candidate]
    relevant: set[int]
    not_relevant: set[int]


def feature_rows(
    needs: Sequence[Need], capabilities: Sequence[Capability], *, scorer: Scorer, on: date
) -> dict[str, list[Candidate]]:
    """Every need's candidates (suppliers with evidence of the product) as feature scores."""
    out: dict[str, list[Candidate]] = {}
    for need in needs:
        by_supplier: dict[int, Candidate] = {}
        for cap in capabilities:
            if cap.supplier_id is None:
                continue
            match = scorer.match(need, cap, on=on)
            if scorer.config.require_product and not match.product:
                continue
            scores = {f.calculator: f.score for f in match.features}
            by_supplier.setdefault(cap.supplier_id, Candidate(cap.supplier_id, [])).rows.append(scores)
        out[need.key] = list(by_supplier.values())
    return out


def rerank(candidates: Sequence[Candidate], weights: Weights) -> list[int]:
    """Supplier ids by their best capability's combined score under `weights`."""
    scorer = _Combiner(weights)
    scored = [(max(scorer.combine(r) for r in c.rows), c.supplier_id) for c in candidates]
    return [s for _, s in sorted(scored, key=lambda x: (-x[0], x[1]))]


class _Combiner:
    def __init__(self, weights: Weights) -> None:
        self.weights = {name: weights.of(name) for name in FEATURE_ORDER}

    def combine(self, scores: Mapping[str, float | None]) -> float:
        total = weight = 0.0
        for name, score in scores.items():
            w = self.weights[name]
            if score is not None and w:
                total += w * score
                weight += w
        return total / weight if weight else 0.0


def examples_from_feedback(
    candidates: Mapping[str, list[Candidate]], feedback: Iterable[Feedback]
) -> list[Example]:
    """The judged needs, each with its candidates and its marks (the latest mark counts)."""
    marks: dict[str, dict[int, Judgement]] = {}
    for item in sorted(feedback, key=lambda f: f.at or datetime.min):
        marks.setdefault(item.need_ref, {})[item.supplier_id] = item.judgement
    return [
        Example(
            ref,
            list(candidates.get(ref, [])),
            {s for s, j in judged.items() if j == Judgement.RELEVANT},
            {s for s, j in judged.items() if j == Judgement.NOT_RELEVANT},
        )
        for ref, judged in marks.items()
        if ref in candidates
    ]


def feedback_precision(examples: Sequence[Example], weights: Weights, k: int) -> float:
    """Mean share of the top k marked relevant, over the judged needs (unjudged count as not
    relevant: tuning cannot claim what nobody confirmed)."""
    if not examples:
        return 0.0
    total = 0.0
    for example in examples:
        top = rerank(example.candidates, weights)[:k]
        total += sum(1 for s in top if s in example.relevant) / min(k, max(1, len(example.relevant)))
    return total / len(examples)


GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


def tune_weights(
    examples: Sequence[Example], *, start: Weights | None = None, k: int = 5, rounds: int = 3
) -> Weights:
    """Weights that rank the marked-relevant suppliers highest on the examples: coordinate
    ascent over a grid of weights, one feature at a time; ties keep the current weight."""
    best = (start or Weights()).model_copy()
    best_score = feedback_precision(examples, best, k)
    for _ in range(rounds):
        improved = False
        for name in FEATURE_ORDER:
            for value in GRID:
                trial = best.model_copy(update={name: value})
                if all(trial.of(n) == 0 for n in FEATURE_ORDER):
                    continue
                score = feedback_precision(examples, trial, k)
                if score > best_score + 1e-9:
                    best, best_score, improved = trial, score, True
        if not improved:
            break
    return best


def simulated_feedback(
    candidates: Mapping[str, list[Candidate]],
    relevant: Mapping[str, set[int]],
    *,
    weights: Weights,
    shown: int = 10,
) -> list[Feedback]:
    """The marks users would give on the first `shown` suppliers each need shows under
    `weights`, read from labels (for offline evaluation only: marks on shown matches only)."""
    out = []
    for ref, cands in candidates.items():
        for supplier in rerank(cands, weights)[:shown]:
            verdict = Judgement.RELEVANT if supplier in relevant.get(ref, set()) else Judgement.NOT_RELEVANT
            out.append(Feedback(need_ref=ref, supplier_id=supplier, judgement=verdict))
    return out


class FoldResult(BaseModel):
    """One held-out fold: precision@k of the needs it holds, before and after tuning."""

    held_out: list[str]
    before: float
    after: float
    weights: Weights


class TuningReport(BaseModel):
    """Cross-validated effect of tuning on feedback."""

    k: int
    folds: list[FoldResult]

    @property
    def before(self) -> float:
        return _weighted(self.folds, "before")

    @property
    def after(self) -> float:
        return _weighted(self.folds, "after")


def _weighted(folds: Sequence[FoldResult], field: str) -> float:
    total = sum(len(f.held_out) for f in folds)
    return sum(getattr(f, field) * len(f.held_out) for f in folds) / total if total else 0.0


def fold_of(ref: str, folds: int) -> int:
    """A need's fold, stable across runs (a hash of its key)."""
    return int(hashlib.sha256(ref.encode()).hexdigest(), 16) % folds


def cross_validate(
    candidates: Mapping[str, list[Candidate]],
    relevant: Mapping[str, set[int]],
    *,
    start: Weights | None = None,
    folds: int = 5,
    k: int = 5,
) -> TuningReport:
    """Tune on simulated feedback of all folds but one, measure on the held-out fold's labels."""
    start = start or Weights()
    results = []
    for fold in range(folds):
        held = sorted(r for r in candidates if fold_of(r, folds) == fold and r in relevant)
        train = {r: c for r, c in candidates.items() if fold_of(r, folds) != fold}
        marks = simulated_feedback(train, relevant, weights=start)
        tuned = tune_weights(examples_from_feedback(train, marks), start=start, k=k)
        truth = [Example(r, candidates[r], relevant[r], set()) for r in held]
        results.append(
            FoldResult(
                held_out=held,
                before=feedback_precision(truth, start, k),
                after=feedback_precision(truth, tuned, k),
                weights=tuned,
            )
        )
    return TuningReport(k=k, folds=results)


def tuned_scorer(weights: Weights, base: ScoringConfig | None = None) -> Scorer:
    """A scorer with tuned weights and otherwise the same settings."""
    config = (base or ScoringConfig()).model_copy(update={"weights": weights})
    return Scorer(config)
