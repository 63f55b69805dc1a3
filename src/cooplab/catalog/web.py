"""Vehicle pages: the list, and a vehicle with its bill of materials as a tree with sourcing."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.catalog import service
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES
from cooplab.core.web.access import ReaderDep
from cooplab.core.web.render import render
from cooplab.core.web.routing import page_size, paging

router = APIRouter(route_class=WebRoute)


@router.get("/vehicles")
def vehicle_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Vehicles the reader may see, by code."""
    offset, limit = paging(request, page_size(request))
    found = service.list_vehicles(session=session, actor=actor, offset=offset, limit=limit)
    return render(
        request,
        "catalog/vehicles/list.html",
        {"vehicles": found.data, "count": found.count, "offset": offset, "limit": limit},
    )


@router.get("/vehicles/export")
def vehicle_export(
    request: Request, session: SessionDep, actor: ReaderDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The vehicles of the list, a row each, as XLSX or CSV."""
    data = service.export_vehicles(session=session, actor=actor, fmt=format)
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="cooplab-vehicles.{format}"'},
    )


@router.get("/vehicles/{code}/workbook")
def vehicle_workbook(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """The vehicle as the workbook `cooplab catalog import` reads: its figures, bill, sourcing,
    supplier inputs and rates, as the reader may see them."""
    data = service.export_vehicle(session=session, actor=actor, code=code[:60])
    assert isinstance(data, bytes)
    name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in code[:60])
    return Response(
        data,
        media_type=MEDIA_TYPES["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="cooplab-vehicle-{name}.xlsx"'},
    )


@router.get("/vehicles/{code}")
def vehicle_detail(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """A vehicle: its figures and its BOM tree, each line with the sources the reader may see."""
    detail = service.vehicle_detail(session=session, actor=actor, code=code[:60])
    return render(request, "catalog/vehicles/detail.html", {"vehicle": detail})
