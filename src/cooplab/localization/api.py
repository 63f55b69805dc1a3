"""REST routes of localization: a stored vehicle's level by method, scenarios, opportunities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from cooplab.core.http import ERROR_RESPONSES, ReaderDep, SessionDep, query_filter
from cooplab.core.routes import ApiRoute
from cooplab.localization import service
from cooplab.localization.filters import LevelFilter, OpportunityFilter
from cooplab.localization.scenarios import Scenario, ScenarioResult
from cooplab.localization.schemas import Opportunities

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)

VehicleCode = Annotated[str, Path(min_length=1, max_length=60)]


@router.get("/vehicles/{code}/level", tags=["localization"])
def read_level(
    actor: ReaderDep,
    session: SessionDep,
    code: VehicleCode,
    filters: Annotated[LevelFilter, Depends(query_filter(LevelFilter))],
    lang: str | None = None,
) -> dict[str, Any]:
    """The vehicle's localization level under a method (`uz_cost_share`, `cis_origin`,
    `ru_719_points`): `level`, every part with its reasons, and what is missing."""
    result = service.level(session=session, actor=actor, code=code, method=filters.method)
    return service.level_answer(result, lang if lang in ("ru", "en") else None)


@router.post("/vehicles/{code}/scenario", tags=["localization"], response_model=ScenarioResult)
def evaluate_scenario(
    actor: ReaderDep, session: SessionDep, code: VehicleCode, data: Scenario
) -> ScenarioResult:
    """A scenario's effect on the vehicle (nothing is stored)."""
    return service.scenario(session=session, actor=actor, code=code, data=data)


@router.get("/vehicles/{code}/opportunities", tags=["localization"], response_model=Opportunities)
def read_opportunities(
    actor: ReaderDep,
    session: SessionDep,
    code: VehicleCode,
    filters: Annotated[OpportunityFilter, Depends(query_filter(OpportunityFilter))],
) -> Opportunities:
    """The parts worth localizing first, and the cheapest set to reach the target."""
    return service.opportunities(
        session=session, actor=actor, code=code, target=filters.target, limit=filters.limit
    )
