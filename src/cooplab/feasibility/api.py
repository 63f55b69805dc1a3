"""REST routes of feasibility: the landed cost of options side by side, and the economics of an
investment. The body is a file of docs/feasibility.md as JSON; the answer is what
`cooplab landed-cost FILE --format json` and `cooplab invest FILE --format json` print."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body

from cooplab.core.http import ERROR_RESPONSES, SelfDep
from cooplab.core.routes import ApiRoute
from cooplab.errors import InvalidInputError
from cooplab.feasibility import service
from cooplab.feasibility.schemas import LandedCostFile

# Both routes are for any signed-in reader (SelfDep: READ, no visitor), a read-only token too, as
# nothing is stored; the service checks the same.
router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)
T = TypeVar("T")

INVEST_BODY = Body(
    description=(
        "Either explicit yearly flows (`cash_flows`, year 0 first, `discount_rate`, optional "
        "`finance_rate`, `reinvest_rate`, `currency`) or the full model of local production "
        "(docs/feasibility.md, Investment file)."
    ),
    openapi_examples={
        "cash_flows": {
            "summary": "explicit cash flows",
            "value": {
                "cash_flows": [-1000, 300, 350, 400, 400, 400],
                "discount_rate": 0.14,
                "currency": "USD",
            },
        }
    },
)


def in_body(compute: Callable[[], T]) -> T:
    """`compute()`, its refusals naming their field under `body` as the API's other errors do."""
    try:
        return compute()
    except InvalidInputError as exc:
        details = [{**d, "loc": ["body", *d.get("loc", [])]} for d in exc.details]
        raise type(exc)(exc.message, details=details, reason=exc.reason) from None


@router.post("/feasibility/landed-cost", tags=["feasibility"])
def compute_landed_cost(actor: SelfDep, data: LandedCostFile) -> dict[str, Any]:
    """Each option's landed cost per unit with its components (name, amount, currency, basis,
    assumption flag, reasons), side by side, and the cheapest. Local production's model is given
    inline (`local_production`: the model); nothing is stored."""
    return service.as_json(in_body(lambda: service.landed_cost(actor=actor, data=data)))


@router.post("/feasibility/invest", tags=["feasibility"])
def compute_investment(actor: SelfDep, data: Annotated[dict[str, Any], INVEST_BODY]) -> dict[str, Any]:
    """NPV (year 0 undiscounted), IRR (null with the reason in words when there is none), MIRR,
    simple and discounted payback; for a model also both views, the years, break-evens, the
    tornado of NPV and the scenarios. Nothing is stored."""
    return service.as_json(in_body(lambda: service.invest(actor=actor, data=service.invest_input(data))))
