"""Investment indicators of yearly cash flows: NPV, IRR, MIRR, simple and discounted payback.

Conventions: the flow of year 0 is not discounted (numpy-financial's `npv`; Excel's `NPV`
discounts its first argument by a year, so Excel users write `=NPV(r, year1:yearN) + year0`,
see `excel_npv`); payback is interpolated within the year it is reached, assuming flows spread
evenly over the year, and counted from the first year after which the cumulative flow stays at
or above zero; a missing IRR or MIRR is None with a reason in words, never NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
import numpy_financial as npf
from pydantic import BaseModel

from cooplab.core.calculators import Reason
from cooplab.feasibility.problems import reason

MONEY = Decimal("0.01")
RATE = Decimal("0.000001")
YEARS = Decimal("0.0001")


def rounded(value: float | None, places: Decimal) -> Decimal | None:
    """A float as Decimal rounded half-even, None kept."""
    if value is None:
        return None
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_EVEN)


def npv(rate: float, flows: Sequence[float] | np.ndarray) -> float:
    """Net present value, the flow of year 0 undiscounted."""
    return float(npf.npv(rate, np.asarray(flows, dtype=np.float64)))


def npv_many(rate: float, flows: np.ndarray) -> np.ndarray:
    """Net present values of many rows of yearly flows (shape variants × years)."""
    factors = (1.0 + rate) ** -np.arange(flows.shape[-1], dtype=np.float64)
    return flows @ factors


def excel_npv(rate: float, flows: Sequence[float]) -> float:
    """What Excel's `=NPV(rate, flows)` gives: every flow, the first too, discounted a year
    more than here."""
    return float(npf.npv(rate, [0.0, *flows]))


def sign_changes(flows: Sequence[float] | np.ndarray) -> int:
    """How many times the non-zero flows change sign."""
    signs = np.sign(np.asarray(flows, dtype=np.float64))
    signs = signs[signs != 0]
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def irr(flows: Sequence[float] | np.ndarray) -> tuple[float | None, list[Reason]]:
    """The internal rate of return, or None with the reason there is none."""
    changes = sign_changes(flows)
    if changes == 0:
        return None, [
            reason(
                "irr.no_sign_change",
                "no IRR: the cash flows never change sign, so no discount rate makes their NPV zero",
            )
        ]
    value = float(npf.irr(np.asarray(flows, dtype=np.float64)))
    if not np.isfinite(value):
        return None, [reason("irr.not_found", "no IRR: no real discount rate makes the NPV zero")]
    notes = []
    if changes > 1:
        notes.append(
            reason(
                "irr.several",
                "the cash flows change sign {changes} times, so there may "
                "be several IRRs; this is the one nearest zero: judge by the NPV",
                changes=changes,
            )
        )
    return value, notes


def mirr(
    flows: Sequence[float] | np.ndarray, finance_rate: float, reinvest_rate: float
) -> tuple[float | None, list[Reason]]:
    """The modified IRR (outflows financed at `finance_rate`, inflows reinvested at
    `reinvest_rate`), or None with the reason there is none."""
    values = np.asarray(flows, dtype=np.float64)
    if not (values > 0).any() or not (values < 0).any():
        return None, [reason("mirr.one_sign", "no MIRR: it needs both an outflow and an inflow")]
    value = float(npf.mirr(values, finance_rate, reinvest_rate))
    if not np.isfinite(value):
        return None, [reason("mirr.not_found", "no MIRR could be computed from these flows")]
    return value, []


def payback(flows: Sequence[float] | np.ndarray) -> tuple[float | None, list[Reason]]:
    """Years until the cumulative flow turns non-negative for good, interpolated within the
    year; None with a reason when it never does within the horizon."""
    values = np.asarray(flows, dtype=np.float64)
    cumulative = np.cumsum(values)
    below = np.flatnonzero(cumulative < 0)
    if below.size == 0:
        return 0.0, [
            reason(
                "payback.nothing_to_recover", "nothing to pay back: the cumulative flow is never below zero"
            )
        ]
    last = int(below[-1])
    if last == len(values) - 1:
        return None, [
            reason(
                "payback.not_reached",
                "not paid back within the {years} years of the horizon",
                years=len(values) - 1,
            )
        ]
    year = last + 1
    return last + float(-cumulative[last] / values[year]), []


#: The reasons of the discounted payback, by those of the simple one.
DISCOUNTED_CODES = {
    "payback.nothing_to_recover": "discounted_payback.nothing_to_recover",
    "payback.not_reached": "discounted_payback.not_reached",
}


def discounted_payback(flows: Sequence[float] | np.ndarray, rate: float) -> tuple[float | None, list[Reason]]:
    """Payback of the flows discounted at `rate` (year 0 undiscounted)."""
    values = np.asarray(flows, dtype=np.float64)
    discounted = values * (1.0 + rate) ** -np.arange(len(values), dtype=np.float64)
    years, why = payback(discounted)
    return years, [
        r.model_copy(update={"code": DISCOUNTED_CODES[r.code], "text": "discounted: " + r.text}) for r in why
    ]


class Indicators(BaseModel):
    """The indicators of one series of yearly flows, rounded, each missing one with its reason."""

    currency: str | None = None
    discount_rate: Decimal
    npv: Decimal
    npv_excel_convention: Decimal
    irr: Decimal | None
    mirr: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    irr_reason: str | None = None
    mirr_reason: str | None = None
    payback_reason: str | None = None
    discounted_payback_reason: str | None = None
    reasons: list[Reason] = []

    def explain(self) -> str:
        """The reasons as one English paragraph."""
        return " ".join(r.text for r in self.reasons)


def indicators(
    flows: Sequence[float] | np.ndarray,
    *,
    discount_rate: float,
    finance_rate: float | None = None,
    reinvest_rate: float | None = None,
    currency: str | None = None,
) -> Indicators:
    """Every indicator of `flows` (year 0 first); MIRR finances and reinvests at the discount
    rate unless told otherwise."""
    values = np.asarray(flows, dtype=np.float64)
    rate_irr, why_irr = irr(values)
    rate_mirr, why_mirr = mirr(
        values,
        discount_rate if finance_rate is None else finance_rate,
        discount_rate if reinvest_rate is None else reinvest_rate,
    )
    simple, why_simple = payback(values)
    discounted, why_discounted = discounted_payback(values, discount_rate)
    return Indicators(
        currency=currency,
        discount_rate=rounded(discount_rate, RATE),
        npv=rounded(npv(discount_rate, values), MONEY),
        npv_excel_convention=rounded(excel_npv(discount_rate, list(values)), MONEY),
        irr=rounded(rate_irr, RATE),
        mirr=rounded(rate_mirr, RATE),
        payback_years=rounded(simple, YEARS),
        discounted_payback_years=rounded(discounted, YEARS),
        irr_reason=_text(why_irr),
        mirr_reason=_text(why_mirr),
        payback_reason=_text(why_simple),
        discounted_payback_reason=_text(why_discounted),
        reasons=[*why_irr, *why_mirr, *why_simple, *why_discounted],
    )


def _text(reasons: list[Reason]) -> str | None:
    return " ".join(r.text for r in reasons) or None


def as_answer(result: Indicators) -> dict[str, Any]:
    """The indicators as the plain answer of `cooplab invest` (rates as fractions)."""
    return result.model_dump(mode="json")
