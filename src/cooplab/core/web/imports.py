"""Spreadsheet imports on the web, in two steps, for every domain's import page: the upload is
checked by running the import and rolling it back (what it would store, or every bad row and
field in the reader's language; nothing written), and held for its uploader; the confirmation
runs the import again on exactly the held file, in the name of whoever confirms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from cooplab.core import uploads
from cooplab.core.actor import Actor
from cooplab.core.spreadsheets import read_upload
from cooplab.core.web.forms import Problem, problems_of
from cooplab.core.web.render import redirect, render, request_language, translate
from cooplab.errors import InvalidInputError

#: An import page: `page(status, **context)` renders it with `file`, `problems`, `report`, `token`.
ImportPage = Callable[..., Response]
#: The import itself: `run(name, content)` stores the file's records and answers its report.
RunImport = Callable[[str, bytes], Any]
#: The problems of a refused file as the page lists them.
ProblemsOf = Callable[[InvalidInputError, str], list[Problem]]


def preview(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    *,
    kind: str,
    run: RunImport,
    page: ImportPage,
    problems: ProblemsOf = problems_of,
) -> Response:
    """Check the uploaded file as the import would and show its report, or every problem; nothing
    is written. An accepted file is held (under `kind`) for the confirmation."""
    lang = request_language(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return page(422, problems=[Problem(None, None, translate(lang, "sheets.no_file"))])
    name = upload.filename
    try:
        content = read_upload(upload.file, name=name, limit=request.app.state.settings.max_upload_bytes)
        report = run(name, content)
    except InvalidInputError as exc:
        return page(exc.status, file=name, problems=problems(exc, lang))
    finally:
        session.rollback()  # a preview writes nothing
    held = uploads.hold(name=name, kind=kind, content=content, owner=actor.user_id)
    return page(200, file=name, report=report, token=held.token)


def confirm(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    *,
    kind: str,
    run: RunImport,
    page: ImportPage,
    done: str,
    problems: ProblemsOf = problems_of,
) -> Response:
    """Import the held file, all rows or none, then go to `done`; a file the records changed
    under since its preview is shown with its problems, nothing written."""
    held = uploads.held(str(form.get("token", "")), kind=kind, owner=actor.user_id)
    try:
        run(held.name, held.content)
    except InvalidInputError as exc:
        session.rollback()
        return page(exc.status, file=held.name, problems=problems(exc, request_language(request)))
    session.commit()
    uploads.release(held.token)
    return redirect(done, flash="imported")


def render_page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """An import page: the upload form (with the size limit in MB), and the problems of a refused
    file or the report of an accepted one with its token, as `preview` and `confirm` pass them."""
    limit = request.app.state.settings.max_upload_bytes
    defaults = {"problems": [], "report": None, "file": None, "token": None, "max_mb": limit // (1024 * 1024)}
    return render(request, template, {**defaults, **context}, status=status)
