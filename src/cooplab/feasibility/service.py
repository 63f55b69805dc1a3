"""Feasibility for an actor: the landed cost of a file's options side by side, and the indicators
or full economics of an investment file. The commands, the API and the pages all call these.

Nothing is read from or written to the database, so the functions take the actor alone. A
landed-cost file may name its local production's investment file by a path beside it; only the
command line reads such a path (`base`, the file's folder): the API and the pages take the model
inline and refuse a path, which would read a file on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

from cooplab.core.actor import Actor, Permission
from cooplab.errors import InvalidInputError, UnauthorizedError
from cooplab.feasibility.files import (
    answer_invest,
    answer_landed_cost,
    investment_input,
    landed_cost_input,
    parse_document,
)
from cooplab.feasibility.indicators import Indicators
from cooplab.feasibility.investment import InvestmentModel, InvestmentResult
from cooplab.feasibility.schemas import CashFlowsFile, Comparison, LandedCostFile

#: The worked examples of docs/examples/feasibility as the pages prefill them (the local
#: production's model inline in the landed-cost file).
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "feasibility"
T = TypeVar("T")
#: The largest file the pages and the API take.
MAX_FILE_BYTES = 2 * 1024 * 1024


def _require(actor: Actor) -> None:
    """Any signed-in reader (the command line included) may compute."""
    if not actor.signed_in:
        raise UnauthorizedError("sign in first")
    actor.require(Permission.READ)


@cache
def example(name: str) -> str:
    """The text of a shipped example: `landed_cost`, `local_production` or `cash_flows`."""
    return (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------- reading what a user gives


def read_landed_cost(content: bytes, name: str) -> LandedCostFile:
    """A landed-cost file from its bytes (YAML or an XLSX workbook), validated."""
    return landed_cost_input(*parse_document(content, name))


def read_invest(content: bytes, name: str) -> CashFlowsFile | InvestmentModel:
    """An investment file from its bytes (YAML or an XLSX workbook), validated."""
    return investment_input(*parse_document(content, name))


def invest_input(data: dict[str, Any]) -> CashFlowsFile | InvestmentModel:
    """An investment file's mapping (the API's JSON body), validated."""
    return investment_input(data)


# ---------------------------------------------------------------- computing


def landed_cost(*, actor: Actor, data: LandedCostFile, base: Path | None = None) -> Comparison:
    """Every option's landed cost per unit with its components, side by side (`compare`, for a
    reader)."""
    _require(actor)
    return compare(data, base=base)


def compare(data: LandedCostFile, *, base: Path | None = None) -> Comparison:
    """Every option's landed cost per unit, side by side; also what a localization scenario
    prices a moved part with. `base` is the folder of the file (the command line), where a
    `local_production` path is looked for; without it a path is refused."""
    if base is None:
        for i, option in enumerate(data.options):
            if isinstance(option.local_production, str):
                raise InvalidInputError(
                    f"options.{i}.local_production: give the investment model inline",
                    details=[
                        {
                            "loc": ["options", i, "local_production"],
                            "msg": "give the investment model inline, not a file name",
                            "code": "local_production_inline",
                            "params": {"file": option.local_production},
                        }
                    ],
                )
    return _in_range(lambda: answer_landed_cost(data, base=base))


def invest(*, actor: Actor, data: CashFlowsFile | InvestmentModel) -> Indicators | InvestmentResult:
    """The indicators of explicit cash flows, or the full economics of a model of production
    (with its tornado, break-evens and scenarios)."""
    _require(actor)
    return _in_range(lambda: answer_invest(data))


def _in_range(compute: Callable[[], T]) -> T:
    """`compute()`; figures each within its bounds may still combine beyond what float64 and the
    rounding of the answers hold (a huge amount at a tiny rate): that is refused, never a crash."""
    try:
        return compute()
    except (ArithmeticError, np.linalg.LinAlgError):
        raise InvalidInputError(
            "the figures are out of range: a result is too large to compute",
            details=[
                {
                    "loc": ["input"],
                    "msg": "a result is too large to compute: check the amounts, volumes and rates",
                    "code": "figures_out_of_range",
                }
            ],
        ) from None


class FlowRow(BaseModel):
    """One year of explicit cash flows as the page and the workbook show it."""

    year: int
    cash_flow: Decimal
    cumulative: Decimal
    discounted: Decimal
    discounted_cumulative: Decimal


def flow_rows(data: CashFlowsFile) -> list[FlowRow]:
    """The years of explicit flows: each flow, its running sum, discounted (year 0 undiscounted)
    and the running sum of those, rounded to the cent."""
    rate = float(data.discount_rate)
    rows, total, discounted_total = [], 0.0, 0.0
    for year, flow in enumerate(data.cash_flows):
        discounted = flow / (1 + rate) ** year
        total += flow
        discounted_total += discounted
        rows.append(
            FlowRow(
                year=year,
                cash_flow=_cents(flow),
                cumulative=_cents(total),
                discounted=_cents(discounted),
                discounted_cumulative=_cents(discounted_total),
            )
        )
    return rows


def _cents(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- answers as JSON


def as_json(value: Any) -> Any:
    """A result as the commands and the API answer it: Decimals as numbers, dates as ISO text."""
    if isinstance(value, BaseModel):
        return as_json(value.model_dump())
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
