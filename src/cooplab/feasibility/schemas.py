"""What feasibility takes and answers, the same for the files a user keeps, the API and the
pages: a landed-cost file (the options to compare under the buyer's terms), an investment file of
explicit cash flows, and the comparison answered (docs/feasibility.md). The investment model
itself is `cooplab.feasibility.investment.InvestmentModel`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.feasibility.investment import InvestmentResult, RateIn
from cooplab.feasibility.landed_cost import LandedCost, LandedTerms, SideBySide
from cooplab.feasibility.problems import MAX_FIGURE
from cooplab.vocab.money import validate_currency


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RouteIn(_Strict):
    """A route of the file; its name is its key."""

    legs: list[dict[str, Any]] = Field(min_length=1)
    risk_premium: dict[str, Any] | None = None
    safety_stock_days: Decimal | None = None


class OptionIn(_Strict):
    """One option of the comparison: an offer along a route, or local production (whose price
    is the break-even price of an investment model)."""

    name: str
    route: str | None = None
    offer: dict[str, Any]
    local_production: str | dict[str, Any] | None = Field(
        None, description="An investment file (path relative to this one) or an inline model."
    )


class LandedCostFile(_Strict):
    """A landed-cost file: the terms, dated rates, the user's places, tariffs and routes, and
    the options to compare."""

    terms: LandedTerms
    rates: list[RateIn] = []
    places: dict[str, dict[str, Any]] = {}
    tariffs: dict[str, dict[str, Any]] = {}
    routes: dict[str, RouteIn] = {}
    options: list[OptionIn] = Field(min_length=1, max_length=100)


class CashFlowsFile(_Strict):
    """An investment file of explicit yearly cash flows (year 0 first)."""

    cash_flows: list[Annotated[float, Field(ge=-MAX_FIGURE, le=MAX_FIGURE, allow_inf_nan=False)]] = Field(
        min_length=2, max_length=201
    )
    discount_rate: Annotated[Decimal, Field(gt=-1, le=5)]
    finance_rate: Annotated[Decimal, Field(gt=-1, le=5)] | None = None
    reinvest_rate: Annotated[Decimal, Field(gt=-1, le=5)] | None = None
    currency: str | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else validate_currency(value)


class OptionResult(BaseModel):
    """A landed-cost option as answered: its landed cost and, for local production, the
    investment behind its price."""

    landed_cost: LandedCost
    investment: InvestmentResult | None = None


class Comparison(BaseModel):
    """Options side by side, in the file's order, and the cheapest one."""

    currency: str
    as_of: date
    options: list[OptionResult]
    cheapest: str | None
    side_by_side: SideBySide
