"""The shipped labelled set imports through the parser, is honest about its data, and ranks well."""

import csv
import io
from importlib import resources

import pytest

from cooplab.matching.evaluation import (
    capped_precision_at,
    evaluate,
    load_labelled_set,
    precision_at,
    reciprocal_rank,
)


@pytest.fixture(scope="module")
def labelled():
    return load_labelled_set()


def test_metrics():
    assert precision_at([1, 2, 3, 4, 5], {1, 3}, 5) == 0.4
    assert capped_precision_at([1, 2, 3, 4, 5], {1, 3}, 5) == 1.0
    assert capped_precision_at([2, 4, 1], {1, 3}, 5) == 0.5
    assert reciprocal_rank([4, 1], {1}) == 0.5 and reciprocal_rank([4], {1}) == 0.0


def test_the_set_imports_and_every_label_names_a_candidate(labelled):
    suppliers = {c.supplier_id for c in labelled.workbook.capabilities}
    assert len(labelled.workbook.needs) >= 30 and len(suppliers) >= 40
    assert all(ids <= suppliers for ids in labelled.relevant.values())
    assert {n.key for n in labelled.workbook.needs} == set(labelled.relevant)


def test_real_companies_carry_a_source_and_made_up_ones_are_marked(labelled):
    for cap in labelled.workbook.capabilities:
        assert cap.illustrative or (cap.source and cap.as_of), cap.supplier
    assert all(n.illustrative for n in labelled.workbook.needs)
    text = resources.files("cooplab.data").joinpath("matching/evaluation/suppliers.csv").read_text("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        assert row["illustrative"] == "yes" or (row["source"] and row["as_of"]), row["key"]


def test_needs_are_written_in_the_three_languages(labelled):
    composition = evaluate(labelled).composition
    assert set(composition["needs_by_language"]) == {"ru", "uz", "en"}
    assert composition["suppliers_real"] >= 15 and composition["suppliers_illustrative"] >= 1


def test_precision_at_5_and_mrr(labelled):
    report = evaluate(labelled)
    assert report.capped_precision >= 0.9 and report.mrr >= 0.9
    cross = [o for o in report.outcomes if o.cross_script]
    assert len(cross) >= len(report.outcomes) / 2
    assert sum(o.capped_precision for o in cross) / len(cross) >= 0.9
