"""Feedback records and weights tuned on them."""

from datetime import datetime

from cooplab.matching.feedback import (
    Candidate,
    Example,
    Feedback,
    Judgement,
    cross_validate,
    examples_from_feedback,
    feedback_precision,
    rerank,
    tune_weights,
)
from cooplab.matching.scoring import Weights


def candidates():
    # supplier 1 makes the product but is far; supplier 2 is near and makes something else
    return [
        Candidate(1, [{"text": 1.0, "hs_code": 1.0, "distance": 0.2}]),
        Candidate(2, [{"text": 0.1, "hs_code": 0.0, "distance": 1.0}]),
    ]


def test_rerank_under_weights():
    assert rerank(candidates(), Weights()) == [1, 2]
    assert rerank(candidates(), Weights(text=0.1, hs_code=0.1, distance=5)) == [2, 1]


def test_the_latest_mark_counts():
    marks = [
        Feedback(need_ref="N1", supplier_id=2, judgement=Judgement.RELEVANT, at=datetime(2026, 1, 1)),
        Feedback(need_ref="N1", supplier_id=2, judgement=Judgement.NOT_RELEVANT, at=datetime(2026, 2, 1)),
        Feedback(need_ref="N1", supplier_id=1, judgement=Judgement.RELEVANT, at=datetime(2026, 2, 1)),
        Feedback(need_ref="gone", supplier_id=1, judgement=Judgement.RELEVANT),
    ]
    [example] = examples_from_feedback({"N1": candidates()}, marks)
    assert example.relevant == {1} and example.not_relevant == {2}


def test_tuning_recovers_from_a_poor_start():
    poor = Weights(text=0.25, hs_code=0.25, distance=5.0)
    examples = [Example(f"N{i}", candidates(), {1}, {2}) for i in range(3)]
    assert feedback_precision(examples, poor, k=1) == 0.0
    tuned = tune_weights(examples, start=poor, k=1)
    assert feedback_precision(examples, tuned, k=1) == 1.0


def test_cross_validation_measures_on_needs_it_did_not_tune_on():
    pool = {f"N{i}": candidates() for i in range(10)}
    relevant = {ref: {1} for ref in pool}
    report = cross_validate(pool, relevant, start=Weights(text=0.25, hs_code=0.25, distance=5.0), k=1)
    assert sum(len(f.held_out) for f in report.folds) == 10
    assert all(
        not set(f.held_out) & {r for g in report.folds if g is not f for r in g.held_out}
        for f in report.folds
    )
    assert report.before == 0.0 and report.after == 1.0
