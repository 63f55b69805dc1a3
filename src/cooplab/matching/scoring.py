"""A match's score: the features combined by weights, with the reasons a person reads.

The combined score is the weighted mean of the features that apply to the pair (a feature the
need asks nothing of, or one weighted 0, is left out), so it stays in [0, 1]. A pair is a
product match only with evidence that the supplier makes that kind of thing: at least the
same HS subheading (a heading such as 8708, all parts of cars, proves little), or a text
similarity past a threshold; a nearby certified plant that makes something else is no match.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import Reason, get_calculator
from cooplab.matching.features import FEATURE_ORDER, FeatureScore, MatchContext, MatchingFeature
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed
from cooplab.matching.text import TextProfile


class Weights(BaseModel):
    """How much each feature counts in the combined score (0 leaves a feature out)."""

    model_config = ConfigDict(extra="forbid")
    text: float = Field(3.0, ge=0, description="text similarity across languages")
    hs_code: float = Field(3.0, ge=0, description="HS code hierarchy")
    materials: float = Field(2.0, ge=0, description="materials named by the need")
    processes: float = Field(1.5, ge=0, description="required processes run")
    capacity: float = Field(1.0, ge=0, description="capacity against volume")
    certifications: float = Field(1.0, ge=0, description="required certifications valid")
    distance: float = Field(0.75, ge=0, description="distance to the delivery place")
    landed_cost: float = Field(1.0, ge=0, description="landed cost against target price")
    tier_fit: float = Field(0.5, ge=0, description="supplier one tier below the buyer")

    def of(self, name: str) -> float:
        return float(getattr(self, name))


class ScoringConfig(BaseModel):
    """Weights, each feature's settings, and what counts as evidence of the product."""

    model_config = ConfigDict(extra="forbid")
    weights: Weights = Weights()
    features: dict[str, dict[str, Any]] = Field(default_factory=dict, description="settings by feature name")
    product_hs_digits: Literal[2, 4, 6, 8, 10] = Field(
        6, description="HS digits in common that prove the product"
    )
    product_text: float = Field(0.25, ge=0, le=1, description="text score that proves the product")
    require_product: bool = Field(True, description="pairs without product evidence are no match")


class Match(BaseModel):
    """A need and a capability scored: the combined score, each feature's answer, the reasons."""

    need_ref: str | None = None
    need_id: int | None = None
    capability_id: int | None = None
    supplier_id: int | None = None
    supplier: str | None = Field(None, description="None when the capability is published anonymously")
    supplier_country: str | None = None
    supplier_tier: int | None = None
    illustrative: bool = False
    score: float
    product: bool = Field(description="evidence that the supplier makes this kind of product")
    features: list[FeatureScore]
    reasons: list[Reason]

    def explain(self) -> str:
        """The reasons as one English line: "makes steel wheel, HS 8708.70, exact, ..."."""
        return ", ".join(r.text for r in self.reasons)


class Scorer:
    """The features of a scoring configuration, made once, used for every pair and row."""

    def __init__(self, config: ScoringConfig | Mapping[str, Any] | None = None) -> None:
        self.config = (
            config if isinstance(config, ScoringConfig) else ScoringConfig.model_validate(config or {})
        )
        self.features: dict[str, MatchingFeature] = {
            name: get_calculator("matching_feature", name, self.config.features.get(name))
            for name in FEATURE_ORDER
        }
        self.weights = {name: self.config.weights.of(name) for name in FEATURE_ORDER}

    def combine(self, scores: Mapping[str, float | None]) -> float:
        """The weighted mean of the scores that apply (0 when none does)."""
        total = weight = 0.0
        for name, score in scores.items():
            w = self.weights.get(name, 0.0)
            if score is None or w == 0:
                continue
            total += w * score
            weight += w
        return total / weight if weight else 0.0

    def is_product(self, need: Need, capability: Capability, scores: Mapping[str, float | None]) -> bool:
        """Evidence that the supplier makes this kind of product (HS heading or text)."""
        from cooplab.vocab.hs import shared_digits

        if need.hs_code:
            digits = min(self.config.product_hs_digits, len(need.hs_code))
            if any(shared_digits(need.hs_code, c) >= digits for c in capability.hs_codes):
                return True
        text = scores.get("text")
        return text is not None and text >= self.config.product_text

    def match(
        self,
        need: Need,
        capability: Capability,
        *,
        on: date,
        landed_cost: Decimal | None = None,
        capability_text: TextProfile | None = None,
    ) -> Match:
        """One pair scored and explained (`capability_text`: the capability's text features,
        when a table already has them)."""
        context = MatchContext(on=on, landed_cost=landed_cost, capability_text=capability_text)
        answers = [self.features[name].compute(need, capability, context) for name in FEATURE_ORDER]
        scores = {a.calculator: a.score for a in answers}
        reasons = [
            r for a in answers if a.score is not None and self.weights[a.calculator] > 0 for r in a.reasons
        ]
        return Match.model_construct(
            need_ref=need.ref,
            need_id=need.id,
            capability_id=capability.id,
            supplier_id=None if capability.anonymous else capability.supplier_id,
            supplier=None if capability.anonymous else capability.supplier,
            supplier_country=capability.supplier_country,
            supplier_tier=capability.supplier_tier,
            illustrative=capability.illustrative or need.illustrative,
            score=round(self.combine(scores), 6),
            product=self.is_product(need, capability, scores),
            features=answers,
            reasons=reasons,
        )

    def score_rows(
        self,
        prepared: PreparedNeed,
        table: CapabilityTable,
        rows: np.ndarray,
        context: MatchContext,
        *,
        known: Mapping[str, np.ndarray] | None = None,
        hs_digits: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Combined scores and product evidence of many rows at once (the same numbers as
        `match`, without reasons). `known` gives some features' scores already (estimates,
        when ranking narrows thousands of candidates); `hs_digits` the HS digits shared."""
        total = np.zeros(len(rows))
        weight = np.zeros(len(rows))
        text = None
        known = known or {}
        for name in FEATURE_ORDER:
            w = self.weights[name]
            if w == 0 and name != "text":
                continue
            values = (
                known[name] if name in known else self.features[name].scores(prepared, table, rows, context)
            )
            if values is None:
                continue
            if name == "text":
                text = values
                if w == 0:
                    continue
            applies = ~np.isnan(values)
            if applies.all():
                total += w * values
                weight += w
            else:
                total += np.where(applies, w * values, 0.0)
                weight += np.where(applies, w, 0.0)
        combined = np.divide(total, weight, out=np.zeros(len(rows)), where=weight > 0)
        product = np.zeros(len(rows), dtype=bool)
        if prepared.hs is not None:
            if hs_digits is not None:
                product |= hs_digits >= min(self.config.product_hs_digits, prepared.hs_length)
            else:
                product |= self.hs_evidence(prepared, table, rows)
        if text is not None:
            product |= np.where(np.isnan(text), 0.0, text) >= self.config.product_text
        return combined, product

    def hs_evidence(self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray) -> np.ndarray:
        """Rows with a code sharing the need's first `product_hs_digits` digits (or all of a
        shorter need code)."""
        from cooplab.vocab.hs import LEVELS

        assert prepared.hs is not None
        level = LEVELS.index(min(self.config.product_hs_digits, prepared.hs_length))
        prefix = prepared.hs[level]
        hits = table.reduce("hs", rows, lambda p: table.hs[p, level] == prefix, np.maximum, 0.0, 0.0)
        return hits > 0
