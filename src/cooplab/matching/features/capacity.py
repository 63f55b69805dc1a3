"""Capacity against volume: can the supplier make the need's annual volume?"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    not_applicable,
    unknown_score_field,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


class CapacityConfig(BaseModel):
    """Full score when the capacity covers the volume, else the share it covers."""

    model_config = ConfigDict(extra="forbid")
    unknown: float = unknown_score_field()


@register
class CapacityFit(MatchingFeature):
    """The share of the need's annual volume that the supplier's annual capacity covers."""

    NAME = "capacity"
    Config = CapacityConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        volume = need.annual_volume
        if not volume:
            return self.answer(None, self.reason("capacity_not_asked", "no annual volume given"))
        capacity = capability.annual_capacity
        if not capacity:
            return self.answer(self.config.unknown, self.reason("capacity_unknown", "capacity not stated"))
        params = {"capacity": capacity, "volume": volume}
        if capacity >= volume:
            return self.answer(
                1.0, self.reason("capacity_enough", "capacity {capacity} ≥ {volume} a year", **params)
            )
        share = capacity / volume
        return self.answer(
            share,
            self.reason(
                "capacity_short",
                "capacity {capacity} covers {percent}% of {volume} a year",
                percent=round(share * 100, 1),
                **params,
            ),
        )

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        volume = prepared.need.annual_volume
        if not volume:
            return not_applicable(rows)
        capacity = table.capacity[rows]
        return np.where(np.isnan(capacity), self.config.unknown, np.minimum(1.0, capacity / volume))
