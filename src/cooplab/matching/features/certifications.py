"""Certifications: the ones the need requires, held and valid on the need's date."""

from __future__ import annotations

from datetime import date

import numpy as np

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    not_applicable,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed


def check_day(need: Need, context: MatchContext) -> date:
    """The day a certificate must be valid on: the need's deadline, else the day of the ranking."""
    return need.deadline or context.on


@register
class CertificationsHeld(MatchingFeature):
    """The share of the need's required certifications that the supplier holds, valid on the
    need's deadline (or on the day of the ranking when the need has none)."""

    NAME = "certifications"

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        if not need.certifications:
            return self.answer(None, self.reason("certifications_not_asked", "no certification required"))
        day = check_day(need, context)
        reasons = []
        valid = 0
        for name in need.certifications:
            held = capability.certification(name)
            if held is None:
                reasons.append(self.reason("certification_missing", "no {name}", name=name))
            elif held.expires is None:
                valid += 1
                reasons.append(self.reason("certification_held", "{name} (no expiry stated)", name=name))
            elif held.valid_on(day):
                valid += 1
                reasons.append(
                    self.reason(
                        "certification_valid",
                        "{name} valid to {expires}",
                        name=name,
                        expires=held.expires.isoformat(),
                    )
                )
            else:
                reasons.append(
                    self.reason(
                        "certification_expired",
                        "{name} expires {expires}, before {day}",
                        name=name,
                        expires=held.expires.isoformat(),
                        day=day.isoformat(),
                    )
                )
        return self.answer(valid / len(need.certifications), *reasons)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        required = prepared.cert_ids
        if not required:
            return not_applicable(rows)
        wanted = np.asarray([c for c in required if c is not None], dtype=np.int32)
        if not len(wanted):
            return np.zeros(len(rows))
        day = prepared.day
        valid = table.reduce(
            "cert",
            rows,
            lambda p: np.isin(table.cert_keys[p], wanted) & (table.cert_expiry[p] >= day),
            np.add,
            0.0,
            0.0,
        )
        return valid / len(required)
