"""The family of matching features: each scores one aspect of a need against a capability.

A feature is a calculator (`cooplab.core.calculators`, family `matching_feature`) with two
ways to answer, which must agree:

- `compute(need, capability, context)`: one pair, with the reasons a person reads;
- `scores(prepared, table, rows, context)`: many rows of a `CapabilityTable` at once, numbers
  only, for ranking at scale (NaN where the feature does not apply).

A score is in [0, 1]; `None` (NaN in arrays) means the feature does not apply to the pair
(the need asks nothing of it) and leaves the combined score alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import numpy as np

from cooplab.core.calculators import Calculator, Reason, Result
from cooplab.matching.messages import fill
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed
from cooplab.matching.text import TextProfile


@dataclass(frozen=True)
class MatchContext:
    """What a ranking knows beyond the two profiles: the day it runs (certificates are checked
    on the need's deadline, else on this day) and landed costs from feasibility, in the need's
    currency per unit: by capability id in rankings, or for one pair (`landed_cost`)."""

    on: date
    landed_cost: Decimal | None = None
    landed_costs: dict[int, float] = field(default_factory=dict)
    capability_text: TextProfile | None = None  # the capability's text features, when known


class FeatureScore(Result):
    """A feature's answer for one pair: a score in [0, 1], or None when it does not apply."""

    score: float | None


class MatchingFeature(Calculator[Any]):
    """Base of the matching features."""

    KIND: ClassVar[str] = "matching_feature"

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        raise NotImplementedError

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        """Scores of many rows; None when the feature applies to none of them."""
        raise NotImplementedError

    def reason(self, code: str, text: str, **params: Any) -> Reason:
        """A reason of this feature's: numbers stay numbers in `params` (each language writes
        them its own way, `messages.fill`); the English text writes 900,000."""
        return Reason(code=code, params=params, text=fill(text, params, "en"))

    def answer(self, score: float | None, *reasons: Any) -> FeatureScore:
        """This feature's result (the score clipped to [0, 1])."""
        value = None if score is None else float(min(1.0, max(0.0, score)))
        return FeatureScore.model_construct(calculator=self.NAME, score=value, reasons=list(reasons))


def not_applicable(rows: np.ndarray) -> np.ndarray | None:
    """What `scores` answers for a feature that applies to no row."""
    return None


def unknown_score_field(default: float = 0.5) -> Any:
    from pydantic import Field

    return Field(default, ge=0, le=1, description="score when the need asks but the capability does not say")


def join_words(items: list[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c" (or another conjunction: "и")."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
