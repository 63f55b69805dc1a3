"""Evaluation: rankings of a labelled set of needs, precision@5 and MRR, and tuning on feedback.

    .venv/bin/python benchmarks/matching_eval.py [--folder DIR] [--k 5]

Reads the labelled set (by default the one shipped in src/cooplab/data/matching/evaluation/:
needs of a B-segment sedan and of Tier-1 suppliers, candidates from the registry's demo
suppliers, further real Uzbek suppliers with their source, and illustrative ones) through the
import parser, ranks every need by brute force over all capabilities, and prints:

  the set's composition (needs by language and buyer, suppliers real and illustrative);
  precision@k two ways (k in the denominator, and over min(k, relevant suppliers)) and MRR,
  overall, by the need's language, and for needs whose right suppliers write in another language;
  the same with the needs' HS codes removed (text alone must find the supplier);
  tuning on feedback: 5-fold cross-validation, weights tuned on the marks users would give on
  the shown top 10 of the other folds' needs, measured on the held-out needs' labels; from the
  default weights, from equal weights, and from weights skewed towards distance, tier and
  capacity (to show what tuning recovers when the start is poor).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine  # noqa: E402

from cooplab.matching.evaluation import (  # noqa: E402
    EVALUATION_DAY,
    EvaluationReport,
    LabelledSet,
    evaluate,
    load_labelled_set,
    relevant_names,
)
from cooplab.matching.feedback import cross_validate, feature_rows  # noqa: E402
from cooplab.matching.scoring import Scorer, Weights  # noqa: E402
from cooplab.matching.workbook import MatchingWorkbook  # noqa: E402


def figures(report: EvaluationReport) -> str:
    return (
        f"P@{report.k} {report.precision:.3f}, P@{report.k} over min({report.k}, relevant) "
        f"{report.capped_precision:.3f}, MRR {report.mrr:.3f} ({len(report.outcomes)} needs)"
    )


def breakdown(report: EvaluationReport) -> None:
    groups: dict[str, list] = defaultdict(list)
    for outcome in report.outcomes:
        groups[f"need in {outcome.language}"].append(outcome)
        if outcome.cross_script:
            groups["right supplier writes in another language"].append(outcome)
    for name, outcomes in sorted(groups.items()):
        capped = statistics.fmean(o.capped_precision for o in outcomes)
        mrr = statistics.fmean(o.reciprocal_rank for o in outcomes)
        print(f"    {name:45s} {len(outcomes):3d} needs: P@{report.k} capped {capped:.3f}, MRR {mrr:.3f}")


def misses(report: EvaluationReport, labelled: LabelledSet) -> None:
    names = relevant_names(labelled)
    for o in report.outcomes:
        if o.capped_precision < 1 or o.reciprocal_rank < 1:
            shown = ", ".join(
                names.get(s, str(s)) + ("*" if s in o.relevant else "") for s in o.ranked[: report.k]
            )
            print(f"    miss {o.ref} ({o.language}): top {report.k} = {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=None, help="a folder with the set's CSV files")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    labelled = load_labelled_set(args.folder)
    print(f"labelled set, evaluated on {EVALUATION_DAY}:")
    report = evaluate(labelled, k=args.k)
    for key, value in report.composition.items():
        print(f"  {key}: {value}")
    print(f"ranking with HS codes and text: {figures(report)}")
    breakdown(report)
    misses(report, labelled)

    without_hs = LabelledSet(
        MatchingWorkbook(
            capabilities=labelled.workbook.capabilities,
            needs=[
                n.model_copy(update={"hs_code": None})
                for n in labelled.workbook.needs
                if n.part or n.description.values()
            ],
        ),
        labelled.relevant,
        labelled.directory,
    )
    text_report = evaluate(without_hs, k=args.k)
    print(f"ranking with the needs' HS codes removed (text alone): {figures(text_report)}")
    breakdown(text_report)
    misses(text_report, labelled)

    for title, data in (("with HS codes", labelled), ("HS codes removed", without_hs)):
        candidates = feature_rows(
            data.workbook.needs, data.workbook.capabilities, scorer=Scorer(), on=EVALUATION_DAY
        )
        skewed = Weights(**dict.fromkeys(Weights.model_fields, 0.25)).model_copy(
            update={"distance": 5.0, "tier_fit": 3.0, "capacity": 3.0}
        )
        for start_name, start in (
            ("default weights", Weights()),
            ("equal weights", Weights(**dict.fromkeys(Weights.model_fields, 1.0))),
            ("skewed weights (distance, tier, capacity first)", skewed),
        ):
            tuning = cross_validate(candidates, data.relevant, start=start, k=args.k)
            print(
                f"tuning on feedback, {title}, from {start_name}: held-out P@{args.k} capped "
                f"{tuning.before:.3f} -> {tuning.after:.3f} (5 folds)"
            )


if __name__ == "__main__":
    main()
