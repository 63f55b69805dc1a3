"""Pages of matchmaking: the needs the reader may see (filtered, a page at a time), a need with
the suppliers ranked for it, their reasons and the reader's marks on them; the needs a supplier's
capabilities serve best; who can make a line of a vehicle's bill (ranked, nothing stored)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.domain import PageSection
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES
from cooplab.core.web import imports
from cooplab.core.web.access import FormDep, OwnEditorDep, ReaderDep, SignedInDep
from cooplab.core.web.listing import list_query, read_filter
from cooplab.core.web.render import redirect, render, request_language
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.errors import InvalidInputError, field_error, invalid_input
from cooplab.matching import service
from cooplab.matching.features.processes import PROCESS_NAMES_RU, process_label
from cooplab.matching.filters import CapabilityFilter, NeedFilter
from cooplab.matching.schemas import FeedbackIn, MatchFilter
from cooplab.matching.workbook import CAPABILITY_COLUMNS, NEED_COLUMNS, OPTIONAL_COLUMNS

router = APIRouter(route_class=WebRoute)

#: The kind under which a previewed matching workbook is held for its confirmation.
IMPORT_KIND = "matching"


@router.get("/needs")
def need_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """The needs the reader may see, by ref, filtered like the API's list, a page at a time."""
    lang = request_language(request)
    filters, problems = read_filter(request, NeedFilter, lang)
    offset, limit = paging(request, page_size(request))
    found = service.list_needs(session=session, actor=actor, filters=filters, offset=offset, limit=limit)
    return render(
        request,
        "matching/needs/list.html",
        {
            "needs": found.data,
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "filtered": any(v is not None for v in filters.model_dump().values()),
            "problems": problems,
            "export_query": list_query(request),
        },
    )


@router.get("/needs/export")
def need_export(
    request: Request, session: SessionDep, actor: ReaderDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The needs of the list (its filters kept) as XLSX or CSV, in the columns the import reads."""
    filters, _problems = read_filter(request, NeedFilter, request_language(request))
    data = service.export_needs(session=session, actor=actor, filters=filters, fmt=format)
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="cooplab-needs.{format}"'},
    )


@router.get("/capabilities")
def capability_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """The capabilities the reader may see, by supplier, filtered like the API's list, a page at a
    time: what each supplier makes, how much a year, where, and its certificates."""
    lang = request_language(request)
    filters, problems = read_filter(request, CapabilityFilter, lang)
    offset, limit = paging(request, page_size(request))
    found = service.list_capabilities(
        session=session, actor=actor, filters=filters, offset=offset, limit=limit
    )
    return render(
        request,
        "matching/capabilities/list.html",
        {
            "capabilities": found.data,
            "processes": {c.id: _process_names(c.processes, lang) for c in found.data},
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "filtered": any(v is not None for v in filters.model_dump().values()),
            "problems": problems,
            "export_query": list_query(request),
        },
    )


@router.get("/capabilities/export")
def capability_export(
    request: Request, session: SessionDep, actor: ReaderDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The capabilities of the list (its filters kept) as XLSX or CSV, in the columns the import
    reads."""
    filters, _problems = read_filter(request, CapabilityFilter, request_language(request))
    data = service.export_capabilities(session=session, actor=actor, filters=filters, fmt=format)
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="cooplab-capabilities.{format}"'},
    )


def _process_names(codes: list[str], lang: str) -> list[str]:
    return [PROCESS_NAMES_RU.get(x, x) if lang == "ru" else process_label(x) for x in codes]


@router.get("/needs/import")
def import_form(request: Request, actor: OwnEditorDep) -> Response:
    """The upload form of the matching workbook: needs and capabilities, with the columns read."""
    return _import_page(request)


@router.post("/needs/import")
def import_preview(request: Request, session: SessionDep, actor: OwnEditorDep, form: FormDep) -> Response:
    """Check the uploaded workbook as the import would and show what it would store, or every bad
    row and field; nothing is written. The file is held for the confirmation."""
    return imports.preview(
        request, session, actor, form, kind=IMPORT_KIND, run=_importer(session, actor), page=_step(request)
    )


@router.post("/needs/import/confirm")
def import_confirm(request: Request, session: SessionDep, actor: OwnEditorDep, form: FormDep) -> Response:
    """Store the previewed workbook, all rows or none, in the name of whoever confirms."""
    return imports.confirm(
        request,
        session,
        actor,
        form,
        kind=IMPORT_KIND,
        run=_importer(session, actor),
        page=_step(request),
        done="/needs",
    )


def _importer(session: Session, actor: Actor) -> imports.RunImport:
    return lambda name, content: service.import_workbook(session=session, actor=actor, files={name: content})


def _step(request: Request) -> imports.ImportPage:
    return lambda status, **context: _import_page(request, status, **context)


def _import_page(request: Request, status: int = 200, **context: Any) -> Response:
    return imports.render_page(
        request,
        "matching/needs/import.html",
        status,
        sheets={"needs": NEED_COLUMNS, "capabilities": CAPABILITY_COLUMNS},
        optional=OPTIONAL_COLUMNS,
        **context,
    )


@router.get("/needs/{need_id}")
def need_page(request: Request, session: SessionDep, actor: ReaderDep, need_id: RecordId) -> Response:
    """A need the reader may see, the best suppliers among the capabilities they may see, and
    the reader's own mark on each (signed-in readers mark them relevant or not)."""
    lang = request_language(request)
    need = service.need_detail(session=session, actor=actor, key=need_id)
    filters, problems = read_filter(request, MatchFilter, lang)
    matches = service.need_matches(session=session, actor=actor, key=need_id, filters=filters, lang=lang)
    marks = service.my_marks(session=session, actor=actor, need_id=need.id)
    processes = _process_names(need.processes, lang)
    return render(
        request,
        "matching/needs/detail.html",
        {
            "need": need,
            "matches": matches,
            "processes": processes,
            "marks": {k: v.value for k, v in marks.items()},
            "filters": filters,
            "problems": problems,
        },
    )


@router.post("/needs/{need_id}/feedback")
def need_feedback(
    request: Request, session: SessionDep, actor: SignedInDep, need_id: RecordId, form: FormDep
) -> Response:
    """Keep the reader's mark on a supplier shown for a need, then show the need again."""
    fields = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    try:
        data = FeedbackIn.model_validate(
            {
                "supplier_id": fields.get("supplier_id"),
                "capability_id": fields.get("capability_id") or None,
                "judgement": fields.get("judgement"),
            }
        )
    except ValidationError as exc:
        raise invalid_input(exc) from None
    service.add_feedback(session=session, actor=actor, need_id=need_id, data=data)
    session.commit()
    return redirect(f"/needs/{need_id}#supplier-{data.supplier_id}", flash="match_marked")


@router.get("/organizations/{organization_id}/opportunities")
def opportunities_page(
    request: Request, session: SessionDep, actor: ReaderDep, organization_id: RecordId
) -> Response:
    """The needs the reader may see that an organization's capabilities (those the reader may
    see) serve best, with the reasons."""
    lang = request_language(request)
    supplier = service.supplier_name(session=session, actor=actor, organization_id=organization_id)
    matches = service.supplier_opportunities(
        session=session, actor=actor, organization_id=organization_id, lang=lang
    )
    return render(
        request,
        "matching/opportunities.html",
        {"organization_id": organization_id, "supplier": supplier, "matches": matches},
    )


@router.get("/vehicles/{code}/suppliers")
def part_suppliers(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """Who can make a line of a vehicle's bill (`?part=` its part number): the suppliers ranked
    for a need built from the line, which is not stored."""
    lang = request_language(request)
    part = request.query_params.get("part", "").strip()[:80]
    if not part:
        raise InvalidInputError(
            "part: give the part number of a line of the bill",
            details=[field_error(["part"], "give the part number of a line of the bill", "part_missing")],
            reason="part_missing",
        )
    filters, problems = read_filter(request, MatchFilter, lang)
    answer = service.part_matches(
        session=session, actor=actor, code=code[:60], part_number=part, filters=filters, lang=lang
    )
    return render(request, "matching/part.html", {"answer": answer, "filters": filters, "problems": problems})


def organization_opportunities(
    *, session: Session, actor: Actor, organization_id: int, lang: str
) -> PageSection | None:
    """The organization page's section of this domain: a link to the needs its capabilities
    serve, when the reader may see any of its capabilities."""
    stated = service.list_capabilities(
        session=session, actor=actor, filters=CapabilityFilter(supplier_id=organization_id), limit=1
    )
    if not stated.count:
        return None
    return PageSection(
        "matching/_organization_opportunities.html",
        {"organization_id": organization_id, "capabilities": stated.count},
    )
