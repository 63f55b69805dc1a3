"""Spreadsheet pages of the registry: import organizations, people or places from XLSX or CSV
in two steps (upload and preview what the import will do, every bad row and field listed in the
reader's language; then confirm, which applies exactly the previewed file), and export them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from cooplab.core import uploads
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES, read_upload
from cooplab.core.web.access import EditorDep, FormDep, ReaderDep
from cooplab.core.web.forms import Problem, problems_of
from cooplab.core.web.render import redirect, render, request_language, translate
from cooplab.errors import ImportFileError, InvalidInputError
from cooplab.registry import exchange

router = APIRouter(route_class=WebRoute)

#: The list page of each kind, where a confirmed import returns.
LISTS = {"org": "/organizations", "person": "/people", "place": "/places"}
KINDS = tuple(LISTS)


def _named(problems: list[Problem], kind: str, lang: str) -> list[Problem]:
    """The problems with each column also under its Russian heading for a reader of Russian or
    Uzbek, as a file written with Russian headings names it («ИНН (inn)»)."""
    if lang == "en":
        return problems
    return [
        Problem(p.row, f"{heading} ({p.column})", p.text, p.sheet)
        if p.column and (heading := exchange.russian_heading(kind, p.column))
        else p
        for p in problems
    ]


def _page(request: Request, kind: str, status: int = 200, **context: Any) -> Response:
    limit = request.app.state.settings.max_upload_bytes
    context = {"problems": [], "report": None, "file": None, "token": None, **context}
    return render(
        request,
        "registry/sheets/import.html",
        {
            "kind": kind,
            "kinds": KINDS,
            "columns": exchange.COLUMNS[kind],
            "required": exchange.REQUIRED[kind],
            "max_mb": limit // (1024 * 1024),
            **context,
        },
        status=status,
    )


@router.get("/import/{kind}")
def upload_form(request: Request, actor: EditorDep, kind: exchange.RecordKind) -> Response:
    """The upload form of one kind of import, with the columns it reads."""
    return _page(request, kind)


@router.post("/import/{kind}")
def preview_upload(
    request: Request, session: SessionDep, actor: EditorDep, form: FormDep, kind: exchange.RecordKind
) -> Response:
    """Check the uploaded file as the import would and show what it would create, update and
    leave unchanged, or every bad row and field; nothing is written. The file is held for the
    confirmation."""
    lang = request_language(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, kind, 422, problems=[Problem(None, None, translate(lang, "sheets.no_file"))])
    name = upload.filename
    limit = request.app.state.settings.max_upload_bytes
    try:
        content = read_upload(upload.file, name=name, limit=limit)
        report = exchange.import_file(
            session=session, actor=actor, kind=kind, name=name, content=content, limit=limit, dry_run=True
        )
    except InvalidInputError as exc:
        session.rollback()
        status = exc.status if isinstance(exc, ImportFileError) else 422
        return _page(request, kind, status, file=name, problems=_named(problems_of(exc, lang), kind, lang))
    session.rollback()
    held = uploads.hold(name=name, kind=kind, content=content, owner=actor.user_id)
    return _page(request, kind, file=name, report=report, token=held.token)


@router.post("/import/{kind}/confirm")
def confirm_upload(
    request: Request, session: SessionDep, actor: EditorDep, form: FormDep, kind: exchange.RecordKind
) -> Response:
    """Import the previewed file, all rows or none, in the name of whoever confirms."""
    lang = request_language(request)
    held = uploads.held(str(form.get("token", "")), kind=kind, owner=actor.user_id)
    try:
        exchange.import_file(session=session, actor=actor, kind=kind, name=held.name, content=held.content)
    except InvalidInputError as exc:  # the registry changed since the preview
        session.rollback()
        return _page(
            request, kind, exc.status, file=held.name, problems=_named(problems_of(exc, lang), kind, lang)
        )
    session.commit()
    uploads.release(held.token)
    return redirect(LISTS[kind], flash="imported")


@router.get("/export/{kind}")
def export(
    session: SessionDep, actor: ReaderDep, kind: exchange.RecordKind, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The records of a kind as XLSX or CSV, in the import's columns."""
    data = exchange.export_records(session=session, actor=actor, kind=kind, fmt=format)
    return Response(
        data,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="cooplab-{kind}.{format}"'},
    )
