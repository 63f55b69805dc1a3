"""Vehicle pages: the list, a vehicle with its bill of materials as a tree with sourcing, their
downloads, and the import of a vehicle workbook (preview, then confirm)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cooplab.catalog import service
from cooplab.catalog.workbook import SHEETS
from cooplab.core.actor import Actor
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES
from cooplab.core.web import imports
from cooplab.core.web.access import FormDep, OwnEditorDep, ReaderDep
from cooplab.core.web.forms import Problem, problems_of
from cooplab.core.web.render import render, translate
from cooplab.core.web.routing import page_size, paging
from cooplab.errors import InvalidInputError

router = APIRouter(route_class=WebRoute)

#: The kind under which a previewed vehicle workbook is held for its confirmation.
IMPORT_KIND = "vehicle"


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


@router.get("/vehicles/import")
def import_form(request: Request, actor: OwnEditorDep) -> Response:
    """The upload form of a vehicle workbook, with the sheets and columns it reads."""
    return _import_page(request)


@router.post("/vehicles/import")
def import_preview(request: Request, session: SessionDep, actor: OwnEditorDep, form: FormDep) -> Response:
    """Check the uploaded workbook as the import would and show what it would store (and whether
    it replaces a vehicle of the same code), or every bad row and field; nothing is written."""
    return imports.preview(
        request, session, actor, form, kind=IMPORT_KIND, run=_importer(session, actor), **_steps(request)
    )


@router.post("/vehicles/import/confirm")
def import_confirm(request: Request, session: SessionDep, actor: OwnEditorDep, form: FormDep) -> Response:
    """Store the previewed workbook, the whole vehicle or nothing, in the name of whoever confirms."""
    return imports.confirm(
        request,
        session,
        actor,
        form,
        kind=IMPORT_KIND,
        run=_importer(session, actor),
        done="/vehicles",
        **_steps(request),
    )


def _importer(session: Session, actor: Actor) -> imports.RunImport:
    return lambda name, content: service.import_vehicle(session=session, actor=actor, files={name: content})


def _steps(request: Request) -> dict[str, Any]:
    return {"page": lambda status, **context: _import_page(request, status, **context), "problems": _problems}


def _problems(exc: InvalidInputError, lang: str) -> list[Problem]:
    """The problems of a refused workbook, each naming the part it is about."""
    found = problems_of(exc, lang)
    if len(found) != len(exc.details):
        return found
    return [
        Problem(p.row, p.column, f"{p.text} {translate(lang, 'catalog.of_part', part=part)}", p.sheet)
        if (part := (d.get("params") or {}).get("part_number"))
        else p
        for p, d in zip(found, exc.details, strict=True)
    ]


def _import_page(request: Request, status: int = 200, **context: Any) -> Response:
    return imports.render_page(request, "catalog/vehicles/import.html", status, sheets=SHEETS, **context)


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
