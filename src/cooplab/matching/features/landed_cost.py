"""Landed cost against the target price: the figure comes from feasibility, as a number."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    not_applicable,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


class LandedCostConfig(BaseModel):
    """Full score at or under the target; falls to 0 at `tolerance` over it."""

    model_config = ConfigDict(extra="forbid")
    tolerance: float = Field(0.3, gt=0, description="share over the target price that scores 0")


@register
class LandedCostFit(MatchingFeature):
    """How the landed cost of the supplier's part (computed by feasibility, in the need's
    currency) compares with the need's target price."""

    NAME = "landed_cost"
    Config = LandedCostConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        if need.target_price is None:
            return self.answer(None, self.reason("cost_not_asked", "no target price given"))
        if context.landed_cost is None:
            return self.answer(None, self.reason("cost_unknown", "no landed cost computed"))
        ratio = float(context.landed_cost / need.target_price)
        return self.answer(self.score_of(ratio), self.reason_of(ratio))

    def score_of(self, ratio: float) -> float:
        return 1.0 if ratio <= 1.0 else max(0.0, 1.0 - (ratio - 1.0) / self.config.tolerance)

    def reason_of(self, ratio: float):
        percent = round(abs(ratio - 1.0) * 100, 1)
        if percent == 0:
            return self.reason("cost_at_target", "landed cost at target", percent=0)
        if ratio < 1:
            return self.reason("cost_under", "landed cost {percent}% under target", percent=percent)
        return self.reason("cost_over", "landed cost {percent}% over target", percent=percent)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        target = prepared.need.target_price
        if target is None or not context.landed_costs:
            return not_applicable(rows)
        known_ids = np.fromiter(context.landed_costs, dtype=np.int64, count=len(context.landed_costs))
        known_costs = np.fromiter(context.landed_costs.values(), dtype=np.float64, count=len(known_ids))
        order = np.argsort(known_ids)
        known_ids, known_costs = known_ids[order], known_costs[order]
        ids = table.ids[rows]
        at = np.minimum(np.searchsorted(known_ids, ids), len(known_ids) - 1)
        costs = np.where(known_ids[at] == ids, known_costs[at], np.nan)
        ratio = costs / float(target)
        return np.where(ratio <= 1.0, 1.0, np.maximum(0.0, 1.0 - (ratio - 1.0) / self.config.tolerance))
