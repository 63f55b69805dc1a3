"""What a localization method answers: the level, the thresholds with their gaps, what is
missing, and the parts, each explaining itself (built only when asked for)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, PrivateAttr, computed_field

from cooplab.core.calculators import Reason, Result
from cooplab.localization.reasons import MISSING
from cooplab.localization.rules import Threshold


class PartStatus(StrEnum):
    """What a part is for the method."""

    LOCAL = "local"  # nothing of it comes from outside the home countries
    PARTLY_LOCAL = "partly_local"
    IMPORTED = "imported"  # wholly from outside
    UNKNOWN = "unknown"  # made at home, inputs unknown
    ASSEMBLY = "assembly"  # made by the OEM from the lines below
    NOT_COUNTED = "not_counted"  # inside an assembly bought as a whole
    UNSOURCED = "unsourced"


class ThresholdCheck(BaseModel):
    """A threshold against the level: whether it is reached and what is missing."""

    key: str
    name: str
    threshold: float
    valid_from: date | None
    valid_to: date | None
    in_force: bool
    reached: bool
    gap: float
    source: str


class Missing(BaseModel):
    """Something the level needs and does not have, once per kind, with the parts concerned;
    the level's reasons say what it assumed instead."""

    code: str
    part_numbers: list[str] = []
    params: dict[str, Any] = {}
    text: str


def missing(code: str, part_numbers: list[str] | None = None, /, **params: Any) -> Missing:
    """A missing-data entry with its English text (parts named up to ten, then counted)."""
    from cooplab.localization.reasons import fill

    parts = part_numbers or []
    params = {"count": len(parts), "parts": ", ".join(parts[:10]), **params}
    if len(parts) > 10:
        params["more"] = len(parts) - 10
    return Missing(
        code=code, part_numbers=parts, params=params, text=fill(MISSING[f"missing.{code}"], params, "en")
    )


class PartRow(BaseModel):
    """One BOM line under a method: per-vehicle quantity, cost and content from outside (UZS),
    what it is and why."""

    part_number: str
    parent: str | None
    name: str
    hs_code: str | None
    quantity: float
    unit_price: Decimal
    cost: Decimal
    outside: Decimal
    outside_share: float
    status: PartStatus
    origin: bool | None = None
    points: int | None = None
    illustrative: bool
    reasons: list[Reason]


class LocalizationResult(Result):
    """A localization level with its explanation. `level` is a share (0-1) for the cost and
    origin methods and points for Decree 719; `parts` and `missing` are built when read or
    dumped, so a scenario that only compares levels does not pay for them."""

    method: str
    level: float | None
    unit: str
    illustrative: bool
    currency: str = "UZS"
    as_of: date
    totals: dict[str, Decimal] = {}
    thresholds: list[ThresholdCheck] = []
    _build_parts: Callable[..., list[PartRow]] | None = PrivateAttr(None)
    _parts: list[PartRow] | None = PrivateAttr(None)
    _build_missing: Callable[[], list[Missing]] | None = PrivateAttr(None)
    _missing: list[Missing] | None = PrivateAttr(None)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def missing(self) -> list[Missing]:
        """What the level needs and does not have (found once, on first use)."""
        if self._missing is None:
            self._missing = self._build_missing() if self._build_missing else []
        return self._missing

    @computed_field  # type: ignore[prop-decorator]
    @property
    def parts(self) -> list[PartRow]:
        """Every BOM line with its figures and reasons (built once, on first use)."""
        if self._parts is None:
            self._parts = self._build_parts() if self._build_parts else []
        return self._parts

    def parts_between(self, start: int, stop: int) -> list[PartRow]:
        """The rows of the BOM lines start..stop-1 (a page of a big bill), only those built."""
        if self._parts is not None or self._build_parts is None:
            return self.parts[start:stop]
        return self._build_parts(slice(start, stop))

    def part(self, part_number: str) -> PartRow:
        """The row of one part (a KeyError when the BOM has no such part)."""
        for row in self.parts:
            if row.part_number == part_number:
                return row
        raise KeyError(part_number)


def check_thresholds(
    rows: tuple[Threshold, ...], level: float | None, day: date, *, lang: str = "en", points: bool = False
) -> tuple[list[ThresholdCheck], list[Reason]]:
    """Each threshold against the level, with its gap and a reason."""
    from cooplab.localization.reasons import reason

    checks: list[ThresholdCheck] = []
    reasons: list[Reason] = []

    for t in rows:
        value = level or 0.0
        reached = level is not None and value >= t.level - 1e-12
        gap = 0.0 if reached else t.level - value
        gap = round(gap) if points else round(gap, 6)
        in_force = t.in_force(day)
        name = t.names.get(lang) or t.names["en"]
        checks.append(
            ThresholdCheck(
                key=t.key,
                name=name,
                threshold=t.level,
                valid_from=t.valid_from,
                valid_to=t.valid_to,
                in_force=in_force,
                reached=reached,
                gap=gap,
                source=t.source,
            )
        )
        kind = "threshold.points_" if points else "threshold."
        named = {"name": name, "threshold_key": t.key, "threshold": t.level}
        if not in_force:
            reasons.append(reason(kind + "not_in_force", **named, day=day))
        elif reached:
            reasons.append(reason(kind + "reached", **named, level=value))
        else:
            reasons.append(reason(kind + "gap", **named, gap=gap))
    return checks, reasons
