"""REST routes of the catalog: the stored vehicles and their bills."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from cooplab.catalog import service
from cooplab.catalog.filters import VehicleFilter
from cooplab.catalog.schemas import VehicleDetail, VehicleSummary
from cooplab.core.http import ERROR_RESPONSES, PageDep, ReaderDep, SessionDep, query_filter
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import ListPublic

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)

VehicleCode = Annotated[str, Path(min_length=1, max_length=60)]


@router.get("/vehicles", tags=["catalog"], response_model=ListPublic[VehicleSummary])
def read_vehicles(
    actor: ReaderDep,
    session: SessionDep,
    paging: PageDep,
    filters: Annotated[VehicleFilter, Depends(query_filter(VehicleFilter))],
) -> ListPublic[VehicleSummary]:
    """Vehicles you may see, by code."""
    return service.list_vehicles(
        session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )


@router.get("/vehicles/{code}", tags=["catalog"], response_model=VehicleDetail)
def read_vehicle(actor: ReaderDep, session: SessionDep, code: VehicleCode) -> VehicleDetail:
    """A vehicle with its figures and its bill of materials as a tree, each line with the
    sources you may see."""
    return service.vehicle_detail(session=session, actor=actor, code=code)
