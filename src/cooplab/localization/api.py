"""REST routes of localization: a stored vehicle's level by method, scenarios (evaluated once, or
saved, listed, evaluated, compared, changed and deleted), opportunities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import Field

from cooplab.core.http import ERROR_RESPONSES, OwnEditorDep, ReaderDep, SessionDep, query_filter
from cooplab.core.i18n import LANGUAGES
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import ListPublic, RecordId
from cooplab.localization import service
from cooplab.localization.filters import LevelFilter, OpportunityFilter
from cooplab.localization.scenarios import Scenario, ScenarioResult
from cooplab.localization.schemas import (
    Opportunities,
    SavedScenarioPublic,
    SavedScenarioResult,
    ScenarioComparison,
    ScenarioCreate,
    ScenarioUpdate,
)

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)

VehicleCode = Annotated[str, Path(min_length=1, max_length=60)]
ScenarioName = Annotated[str, Path(min_length=1, max_length=200)]
Owner = Annotated[
    RecordId | None,
    Query(description="the owner organization's id, when several scenarios you see share the name"),
]


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
    return service.level_answer(result, lang if lang in LANGUAGES else None)


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


@router.get(
    "/vehicles/{code}/scenarios", tags=["localization"], response_model=ListPublic[SavedScenarioPublic]
)
def read_scenarios(
    actor: ReaderDep, session: SessionDep, code: VehicleCode
) -> ListPublic[SavedScenarioPublic]:
    """The scenarios saved for the vehicle that you may see (your organization's; analysts and
    admins see every organization's), by name."""
    return service.list_scenarios(session=session, actor=actor, code=code)


@router.post(
    "/vehicles/{code}/scenarios", tags=["localization"], status_code=201, response_model=SavedScenarioPublic
)
def create_scenario(
    actor: OwnEditorDep, session: SessionDep, code: VehicleCode, data: ScenarioCreate
) -> SavedScenarioPublic:
    """Save a scenario for the vehicle, private to your organization; its name is unique for the
    vehicle within your organization (409 when taken), its changes must fit the bill (422)."""
    saved = service.create_scenario(session=session, actor=actor, code=code, data=data)
    session.commit()
    return saved


@router.get("/vehicles/{code}/scenarios/compare", tags=["localization"], response_model=ScenarioComparison)
def compare_scenarios(
    actor: ReaderDep,
    session: SessionDep,
    code: VehicleCode,
    name: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]],
        Query(min_length=1, max_length=10, description="a saved scenario's name; repeat for each"),
    ],
    owner: Owner = None,
) -> ScenarioComparison:
    """Saved scenarios side by side against the same current bill: `?name=a&name=b`."""
    return service.compare_saved(session=session, actor=actor, code=code, names=name, owner=owner)


@router.get("/vehicles/{code}/scenarios/{name}", tags=["localization"], response_model=SavedScenarioResult)
def read_scenario(
    actor: ReaderDep, session: SessionDep, code: VehicleCode, name: ScenarioName, owner: Owner = None
) -> SavedScenarioResult:
    """A saved scenario evaluated on the vehicle's current bill: each method before and after,
    the cost per vehicle and per year, the thresholds crossed, the Uzbek cost share change by
    change (`waterfall`)."""
    return service.evaluate_saved(session=session, actor=actor, code=code, name=name, owner=owner)


@router.put("/vehicles/{code}/scenarios/{name}", tags=["localization"], response_model=SavedScenarioPublic)
def update_scenario(
    actor: OwnEditorDep,
    session: SessionDep,
    code: VehicleCode,
    name: ScenarioName,
    data: ScenarioUpdate,
    owner: Owner = None,
) -> SavedScenarioPublic:
    """Rename a saved scenario or replace its description or changes, on the `version` you read
    (409 `stale_version` when someone saved in between)."""
    saved = service.update_scenario(
        session=session, actor=actor, code=code, name=name, data=data, owner=owner
    )
    session.commit()
    return saved


@router.delete("/vehicles/{code}/scenarios/{name}", tags=["localization"], status_code=204)
def delete_scenario(
    actor: OwnEditorDep, session: SessionDep, code: VehicleCode, name: ScenarioName, owner: Owner = None
) -> Response:
    """Delete a saved scenario."""
    service.delete_scenario(session=session, actor=actor, code=code, name=name, owner=owner)
    session.commit()
    return Response(status_code=204)
