"""HS code hierarchy: the same subheading, heading or chapter as the need's code."""

from __future__ import annotations

from typing import Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    not_applicable,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed
from cooplab.vocab.hs import LEVELS, format_hs_code, shared_digits


class HsCodeConfig(BaseModel):
    """Scores by how many leading digits the nearest of the supplier's codes shares."""

    model_config = ConfigDict(extra="forbid")
    exact: float = Field(1.0, ge=0, le=1, description="the need's whole code (or a code within it)")
    subheading: float = Field(0.85, ge=0, le=1, description="the same 6-digit subheading")
    heading_stated: float = Field(
        0.7, ge=0, le=1, description="the supplier states only the 4-digit heading the need's code is in"
    )
    heading: float = Field(0.5, ge=0, le=1, description="the same 4-digit heading, another subheading")
    chapter: float = Field(0.15, ge=0, le=1, description="the same 2-digit chapter")
    unknown: float = Field(
        0.5, ge=0, le=1, description="no HS code stated (the text must then show the product)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.exact >= self.subheading >= self.heading_stated >= self.heading >= self.chapter:
            raise ValueError(
                "a nearer code must never score lower: "
                "exact >= subheading >= heading_stated >= heading >= chapter"
            )
        return self

    def by_shared(self, shared: int, need_length: int, code_length: int = 10) -> float:
        """The score of `shared` digits in common with a need code of `need_length` digits,
        the supplier's code having `code_length`: the heading alone, which the need's code lies
        in, scores `heading_stated`; a code of another subheading of it `heading`."""
        if shared and shared >= need_length:
            return self.exact
        if shared == 4 and code_length == 4:
            return self.heading_stated
        return {0: 0.0, 2: self.chapter, 4: self.heading}.get(shared, self.subheading)


@register
class HsCodeFeature(MatchingFeature):
    """How near the supplier's HS codes come to the need's: exact, subheading, heading, chapter."""

    NAME = "hs_code"
    Config = HsCodeConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        if not need.hs_code:
            return self.answer(None, self.reason("hs_not_asked", "the need gives no HS code"))
        if not capability.hs_codes:
            return self.answer(self.config.unknown, self.reason("hs_not_stated", "no HS codes stated"))
        code = need.hs_code
        best = max(
            capability.hs_codes,
            key=lambda c: (self.config.by_shared(shared_digits(code, c), len(code), len(c)), -len(c)),
        )
        shared = shared_digits(code, best)
        score = self.config.by_shared(shared, len(code), len(best))
        params = {"hs": format_hs_code(best), "need_hs": format_hs_code(code)}
        if shared and shared >= len(code):
            reason = self.reason("hs_exact", "HS {hs}, exact", **params)
        elif shared >= 6:
            reason = self.reason(
                "hs_subheading",
                "HS {hs}, same subheading as {need_hs}",
                shared=format_hs_code(code[:6]),
                **params,
            )
        elif shared == 4 and len(best) == 4:
            reason = self.reason(
                "hs_heading_stated", "HS {hs}, the heading of {need_hs}", heading=code[:4], **params
            )
        elif shared == 4:
            reason = self.reason(
                "hs_heading", "HS {hs}, same heading {heading} as {need_hs}", heading=code[:4], **params
            )
        elif shared == 2:
            reason = self.reason(
                "hs_chapter", "HS {hs}, only the chapter {chapter} of {need_hs}", chapter=code[:2], **params
            )
        else:
            reason = self.reason("hs_other", "HS {hs}, unlike {need_hs}", **params)
        return self.answer(score, reason)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        if prepared.hs is None:
            return not_applicable(rows)
        return self.of_rows(prepared, table, rows)

    def of_rows(self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray) -> np.ndarray:
        """Scores of rows for a need with an HS code."""
        assert prepared.hs is not None
        need = prepared.hs

        def shared(positions: np.ndarray) -> np.ndarray:
            codes = table.hs[positions]
            digits = np.zeros(positions.shape, dtype=np.int64)
            for level, n in enumerate(LEVELS):
                if need[level] < 0:
                    break
                digits = np.where(codes[..., level] == need[level], n, digits)  # prefixes nest
            # 5 stands for the heading shared as the whole of the row's code (no 6-digit prefix):
            # it ranks above a code of another subheading of that heading
            return np.where((digits == 4) & (codes[..., 2] < 0), 5, digits)

        best = table.reduce("hs", rows, shared, np.maximum, 0.0, -1.0)  # -1: no code stated
        return self.from_digits(best, prepared.hs_length)

    def from_lists(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, digits: np.ndarray
    ) -> np.ndarray:
        """Scores of gathered rows from the digits the index's lists found them to share (2, 4 or
        6): what the lists cannot tell (a row stating no code, a heading stated alone) is looked
        up for those rows only."""
        out = self.from_digits(digits, prepared.hs_length)
        out[table.hs_ptr[rows + 1] == table.hs_ptr[rows]] = self.config.unknown
        heading = np.flatnonzero((digits == 4) & (prepared.hs_length > 4))
        if len(heading):
            out[heading] = self.of_rows(prepared, table, rows[heading])
        return out

    def from_digits(self, best: np.ndarray, need_length: int) -> np.ndarray:
        """Scores of rows sharing `best` leading digits with a need code of `need_length`
        (5: the heading, stated alone; -1: the row states no code)."""
        config = self.config
        out = np.where(
            best >= 6,
            config.subheading,
            np.where(
                best == 5,
                config.heading_stated,
                np.where(best == 4, config.heading, np.where(best == 2, config.chapter, 0.0)),
            ),
        )
        out = np.where(best < 0, config.unknown, out)
        return np.where((best > 0) & (best >= need_length), config.exact, out)
