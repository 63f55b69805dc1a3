"""Tier fit: a Tier-1 supplier for an OEM's parts, a Tier-2 supplier for a Tier-1's inputs."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    unknown_score_field,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


def buyer_label(tier: int | None) -> str:
    return "an OEM" if tier is None else f"a Tier-{tier}"


def buyer_label_ru(tier: int | None) -> str:
    return "автозавода" if tier is None else f"поставщика Tier {tier}"


class TierFitConfig(BaseModel):
    """Full score one tier below the buyer; less one tier off; least further off."""

    model_config = ConfigDict(extra="forbid")
    adjacent: float = Field(0.5, ge=0, le=1, description="one tier off the one expected")
    far: float = Field(0.2, ge=0, le=1, description="two or more tiers off")
    unknown: float = unknown_score_field()


@register
class TierFit(MatchingFeature):
    """Whether the supplier sits one tier below the buyer (Tier-2 suppliers for a Tier-1)."""

    NAME = "tier_fit"
    Config = TierFitConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        expected = (need.buyer_tier or 0) + 1
        tier = capability.supplier_tier
        params = {
            "buyer": buyer_label(need.buyer_tier),
            "buyer_ru": buyer_label_ru(need.buyer_tier),
            "expected": expected,
        }
        if tier is None:
            return self.answer(self.config.unknown, self.reason("tier_unknown", "tier not stated", **params))
        off = abs(tier - expected)
        if off == 0:
            return self.answer(
                1.0, self.reason("tier_fits", "Tier {tier} supplier for {buyer}", tier=tier, **params)
            )
        score = self.config.adjacent if off == 1 else self.config.far
        return self.answer(
            score,
            self.reason(
                "tier_off", "Tier {tier} where {buyer} buys (Tier {expected} expected)", tier=tier, **params
            ),
        )

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        expected = (prepared.need.buyer_tier or 0) + 1
        tiers = table.tiers[rows].astype(np.int64)
        off = np.abs(tiers - expected)
        out = np.where(off == 0, 1.0, np.where(off == 1, self.config.adjacent, self.config.far))
        return np.where(tiers == 0, self.config.unknown, out)
