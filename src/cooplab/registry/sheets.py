"""Spreadsheet pages of the registry: import organizations, people or places from XLSX or CSV
in two steps (upload and preview what the import will do, every bad row and field listed in the
reader's language; then confirm, which applies exactly the previewed file), and export them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES
from cooplab.core.web import imports
from cooplab.core.web.access import EditorDep, FormDep, ReaderDep
from cooplab.core.web.forms import Problem, problems_of
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
    return imports.render_page(
        request,
        "registry/sheets/import.html",
        status,
        kind=kind,
        kinds=KINDS,
        columns=exchange.COLUMNS[kind],
        required=exchange.REQUIRED[kind],
        **context,
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
    limit = request.app.state.settings.max_upload_bytes

    def run(name: str, content: bytes) -> Any:
        return exchange.import_file(
            session=session, actor=actor, kind=kind, name=name, content=content, limit=limit, dry_run=True
        )

    return imports.preview(request, session, actor, form, kind=kind, run=run, **_steps(request, kind))


@router.post("/import/{kind}/confirm")
def confirm_upload(
    request: Request, session: SessionDep, actor: EditorDep, form: FormDep, kind: exchange.RecordKind
) -> Response:
    """Import the previewed file, all rows or none, in the name of whoever confirms."""

    def run(name: str, content: bytes) -> Any:
        return exchange.import_file(session=session, actor=actor, kind=kind, name=name, content=content)

    return imports.confirm(
        request, session, actor, form, kind=kind, run=run, done=LISTS[kind], **_steps(request, kind)
    )


def _steps(request: Request, kind: str) -> dict[str, Any]:
    """The page of a kind's import, and its problems with the Russian headings named."""
    return {
        "page": lambda status, **context: _page(request, kind, status, **context),
        "problems": lambda exc, lang: _named(problems_of(exc, lang), kind, lang),
    }


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
