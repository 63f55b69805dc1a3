"""Process coverage: how many of the processes the need requires the supplier runs."""

from __future__ import annotations

import numpy as np

from cooplab.core.calculators import register
from cooplab.matching.features.base import FeatureScore, MatchContext, MatchingFeature, join_words, not_applicable
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


def process_label(code: str) -> str:
    return code.replace("_", " ")


@register
class ProcessCoverage(MatchingFeature):
    """The share of the need's required processes that the supplier runs."""

    NAME = "processes"

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        required = list(need.processes)
        if not required:
            return self.answer(None, self.reason("processes_not_asked", "no process required"))
        held = [p for p in required if p in capability.processes]
        missing = [p for p in required if p not in capability.processes]
        reasons = []
        if held:
            reasons.append(self.reason("processes_covered", "{processes} ({held} of {required} processes)",
                                       processes=join_words([process_label(p) for p in held]),
                                       held=len(held), required=len(required)))
        if missing:
            reasons.append(self.reason("processes_missing", "no {missing}",
                                       missing=join_words([process_label(p) for p in missing]),
                                       held=len(held), required=len(required)))
        return self.answer(len(held) / len(required), *reasons)

    def scores(self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray,
               context: MatchContext) -> np.ndarray | None:
        required = prepared.processes
        if not required:
            return not_applicable(rows)
        held = np.bitwise_count(table.processes[rows] & required)
        return held / int(required).bit_count()
