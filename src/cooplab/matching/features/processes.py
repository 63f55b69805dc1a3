"""Process coverage: how many of the processes the need requires the supplier runs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    join_words,
    not_applicable,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed

#: Russian names of the processes, for reasons on Russian pages.
PROCESS_NAMES_RU = {
    "stamping": "штамповка",
    "welding": "сварка",
    "painting": "окраска",
    "injection_moulding": "литьё пластмасс под давлением",
    "blow_moulding": "выдувное формование",
    "extrusion": "экструзия",
    "die_casting": "литьё под давлением",
    "sand_casting": "литьё в песчаные формы",
    "forging": "ковка",
    "machining": "механообработка",
    "heat_treatment": "термообработка",
    "surface_treatment": "обработка поверхности",
    "tube_bending": "гибка труб",
    "spring_making": "навивка пружин",
    "assembly": "сборка",
    "pcb_assembly": "монтаж печатных плат",
    "wire_harness": "жгуты проводов",
    "sewing_and_trim": "пошив и обивка",
    "foaming": "вспенивание",
    "rubber_moulding": "формование резины",
    "glass_forming": "формование стекла",
    "tyre_building": "сборка шин",
    "battery_assembly": "сборка аккумуляторов",
    "testing": "испытания",
}


def process_label(code: str) -> str:
    return code.replace("_", " ")


def process_names(processes: Sequence[str]) -> dict[str, object]:
    """A list of processes for a reason: English, Russian, and the codes (pages translate)."""
    return {
        "processes": join_words([process_label(p) for p in processes]),
        "processes_ru": join_words([PROCESS_NAMES_RU.get(p, p) for p in processes], "и"),
        "process_codes": [str(p) for p in processes],
    }


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
            reasons.append(
                self.reason(
                    "processes_covered",
                    "{processes} ({held} of {required} processes)",
                    **process_names(held),
                    held=len(held),
                    required=len(required),
                )
            )
        if missing:
            reasons.append(
                self.reason(
                    "processes_missing",
                    "no {processes}",
                    **process_names(missing),
                    held=len(held),
                    required=len(required),
                )
            )
        return self.answer(len(held) / len(required), *reasons)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        required = prepared.processes
        if not required:
            return not_applicable(rows)
        held = np.bitwise_count(table.processes[rows] & required)
        return held / int(required).bit_count()
