"""Materials: the need's material (steel wheels, a plastic fuel tank) against the supplier's.

Neighbouring products often share an HS code and most words and differ by what they are made
of: alloy wheels next to steel wheels, a steel fuel tank next to a blow-moulded plastic one. The
need's words (part and descriptions, in any of the three languages) name material families of
`cooplab.matching.materials`; the supplier's list of materials and its description name its
own. The score is the share of the need's families the supplier names; a supplier that names
no material at all scores `unknown`.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    join_words,
    not_applicable,
    unknown_score_field,
)
from cooplab.matching.materials import capability_materials, material_labels, materials_in
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


class MaterialsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unknown: float = unknown_score_field()


def material_names(families: frozenset[str] | set[str], name: str = "materials") -> dict[str, object]:
    """Families for a reason: English and Russian labels, and the keys (pages translate)."""
    return {
        name: join_words(material_labels(families)),
        f"{name}_ru": join_words(material_labels(families, "ru"), "и"),
        f"{name}_codes": sorted(families),
    }


@register
class MaterialMatch(MatchingFeature):
    """The share of the materials the need names that the supplier works in."""

    NAME = "materials"
    Config = MaterialsConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        asked = materials_in(*need.texts)
        if not asked:
            return self.answer(None, self.reason("materials_not_asked", "no material named"))
        held = capability_materials(capability.description.values(), capability.materials)
        if not held:
            return self.answer(self.config.unknown, self.reason("materials_unknown", "material not stated"))
        same = asked & held
        missing = asked - held
        if not same:
            return self.answer(
                0.0,
                self.reason(
                    "materials_other",
                    "{materials}, not {asked}",
                    **material_names(held),
                    **material_names(asked, "asked"),
                ),
            )
        reasons = [self.reason("materials_as_asked", "{materials}, as asked", **material_names(same))]
        if missing:
            reasons.append(self.reason("materials_missing", "no {materials}", **material_names(missing)))
        return self.answer(len(same) / len(asked), *reasons)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        asked = prepared.materials
        if not asked:
            return not_applicable(rows)
        held = table.materials[rows]
        share = np.bitwise_count(held & asked) / int(asked).bit_count()
        return np.where(held == 0, self.config.unknown, share)
