"""Ingest pages: paste or upload a document, review what was found in it next to its text, accept
the reviewed records into the registry and a mission. The review form is read into the
service's `ReviewIn`, the same shape the API takes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from cooplab.core.actor import Actor, Permission
from cooplab.core.formats import format_date
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.schemas import ListWithHidden
from cooplab.core.spreadsheets import stored_file_name
from cooplab.core.web.access import EditorDep, FormDep, ReaderDep
from cooplab.core.web.forms import FormErrors, error_message, validation_errors
from cooplab.core.web.render import redirect, render, request_language, translate
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.errors import ConflictError, InvalidInputError
from cooplab.ingest import service
from cooplab.ingest.readers import MAX_INPUT_BYTES, read_document
from cooplab.ingest.schemas import DocumentPublic, IngestResult, ReviewIn
from cooplab.registry.service import display_names
from cooplab.vocab.choices import EntityType, OrganizationKind, Visibility

router = APIRouter(route_class=WebRoute)

#: The groups of mentions, their highlight class (and form prefix) and the registry's kind.
MENTION_KINDS = (
    ("organizations", "org", EntityType.ORGANIZATION),
    ("people", "person", EntityType.PERSON),
    ("places", "place", EntityType.PLACE),
)
#: The other groups a reviewer keeps or leaves out, and their form prefix.
OTHER_KINDS = (("events", "event"), ("agreements", "agreement"))
PREFIXES = {group: prefix for group, prefix, *_ in (*MENTION_KINDS, *OTHER_KINDS)}
MAX_TITLE = 300


# ---------------------------------------------------------------- the upload page


@router.get("/ingest")
def ingest_home(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Paste a text or upload a file; the recent documents. Others are told who may ingest."""
    return _home(request, session, actor, {}, FormErrors())


def _home(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    errors: FormErrors,
    status: int = 200,
) -> Response:
    documents, offset, limit = ListWithHidden[Any](data=[], count=0), 0, page_size(request)
    if actor.has(Permission.EDIT_REGISTRY):
        offset, limit = paging(request, limit)
        documents = service.list_documents(session=session, actor=actor, offset=offset, limit=limit)
    return render(
        request,
        "ingest/home.html",
        {
            "values": {"text": "", "name": "", "published": "", **values},
            "errors": errors,
            "documents": documents.data,
            "count": documents.count,
            "hidden": documents.hidden,
            "offset": offset,
            "limit": limit,
            "max_mb": MAX_INPUT_BYTES // (1024 * 1024),
        },
        status=status,
    )


@router.post("/ingest")
def ingest_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Extract the pasted text (or the uploaded file) into a draft and open its review; the same
    text again opens the document it already is."""
    lang = request_language(request)
    values = {
        "text": str(form.get("text", "") or ""),
        "name": str(form.get("name", "") or "").strip(),
        "published": str(form.get("published", "") or "").strip(),
    }
    errors = FormErrors()
    published = None
    if values["published"]:
        try:
            published = date.fromisoformat(values["published"])
        except ValueError:
            errors.add("published", translate(lang, "err.date"))
    upload = form.get("file")
    uploaded = upload is not None and not isinstance(upload, str) and bool(upload.filename)
    text, name = values["text"], values["name"]
    try:
        if uploaded and isinstance(upload, UploadFile) and upload.filename:
            name = name or stored_file_name(upload.filename)
            text = read_document(upload.file.read(MAX_INPUT_BYTES + 1), name=upload.filename)
        elif text.strip():
            text = read_document(text, name=name)
        else:
            errors.add("text", translate(lang, "ingest.err_no_text"))
    except InvalidInputError as exc:
        errors.add("file" if uploaded else "text", error_message(lang, exc))
    if errors:
        return _home(request, session, actor, values, errors, 422)
    name = (name or _first_line(text))[:MAX_TITLE]
    try:
        document, new = service.save_document(
            session=session, actor=actor, text=text, name=name, published=published
        )
    except InvalidInputError as exc:  # a text the pipeline does not read: said on the form, kept
        session.rollback()
        errors.add("file" if uploaded else "text", error_message(lang, exc))
        return _home(request, session, actor, values, errors, 422)
    session.commit()
    reparsed = not new and published is not None and document.published == published
    return redirect(
        f"/ingest/{document.id}", flash=None if new else "ingest_reparsed" if reparsed else "ingest_exists"
    )


def _first_line(text: str) -> str:
    """A name for a pasted text: its first line, shortened at a word."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) <= 90:
        return line
    return line[:90].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------- review


@router.get("/ingest/{document_id}")
def ingest_review(request: Request, session: SessionDep, actor: EditorDep, document_id: RecordId) -> Response:
    """The document's text with every mention marked, and the records proposed from it."""
    document = service.get_document(session=session, actor=actor, document_id=document_id)
    return _review(request, session, document, None, FormErrors())


@router.post("/ingest/{document_id}/parse")
def ingest_reparse(
    request: Request, session: SessionDep, actor: EditorDep, document_id: RecordId, form: FormDep
) -> Response:
    """Extract a draft again with the publication date given: the year of its dates without one."""
    lang = request_language(request)
    value = str(form.get("published", "") or "").strip()
    errors = FormErrors()
    published = None
    if not value:
        errors.add("published", translate(lang, "err.required"))
    else:
        try:
            published = date.fromisoformat(value)
        except ValueError:
            errors.add("published", translate(lang, "err.date"))
    if errors:
        document = service.get_document(session=session, actor=actor, document_id=document_id)
        return _review(request, session, document, None, errors, 422, published=value)
    service.reparse_document(session=session, actor=actor, document_id=document_id, published=published)
    session.commit()
    return redirect(f"/ingest/{document_id}", flash="ingest_reparsed")


@router.post("/ingest/{document_id}/delete")
def ingest_delete(
    request: Request, session: SessionDep, actor: EditorDep, document_id: RecordId, form: FormDep
) -> Response:
    """Delete a draft (the page asks first); an accepted document stays."""
    service.delete_document(session=session, actor=actor, document_id=document_id)
    session.commit()
    return redirect("/ingest", flash="ingest_deleted")


@router.post("/ingest/{document_id}/accept")
def ingest_accept(
    request: Request, session: SessionDep, actor: EditorDep, document_id: RecordId, form: FormDep
) -> Response:
    """Accept the reviewed records: unticked ones are left out, edited names and kinds applied;
    the records and a mission are created, each citing the document."""
    lang = request_language(request)
    document = service.get_document(session=session, actor=actor, document_id=document_id)
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    errors = FormErrors()
    try:
        review = read_review(form, document.result)
        accepted = service.accept_document(
            session=session, actor=actor, document_id=document_id, review=review
        )
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = validation_errors(exc, lang, _field_of)
    except InvalidInputError as exc:
        session.rollback()
        for detail in exc.details or [{}]:
            errors.add(
                _field_of(tuple(str(p) for p in detail.get("loc", [])), ""), error_message(lang, exc, detail)
            )
    except ConflictError as exc:
        session.rollback()
        errors.add(None, error_message(lang, exc))
        document = service.get_document(session=session, actor=actor, document_id=document_id)
        return _review(request, session, document, values, errors, 409)
    else:
        if accepted.mission_id:
            return redirect(f"/missions/{accepted.mission_id}", flash="ingest_accepted")
        return redirect(f"/ingest/{document_id}", flash="ingest_accepted")
    return _review(request, session, document, values, errors, 422)


def read_review(form: FormData, result: IngestResult) -> ReviewIn:
    """The review form as the service's ReviewIn: per proposed record, whether its box is
    ticked and, for a new one, its name, kind and country as edited."""
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    review: dict[str, Any] = {"title": values.get("title", "")}
    if values.get("visibility"):
        review["visibility"] = values["visibility"]
    for group, prefix in PREFIXES.items():
        items = []
        for index in range(len(getattr(result, group))):
            item: dict[str, Any] = {"keep": f"{prefix}-{index}-keep" in values}
            for field in ("name", "kind", "country"):
                if f"{prefix}-{index}-{field}" in values:
                    item[field] = values[f"{prefix}-{index}-{field}"]
            if item.get("kind") not in {k.value for k in OrganizationKind}:
                item.pop("kind", None)
            items.append(item)
        review[group] = items
    return ReviewIn.model_validate(review)


def _field_of(loc: tuple[str, ...], _msg: str) -> str | None:
    """The form field of an error's location: review.<group>.<i>.<field>, result.<group>.<i>..."""
    if loc[:1] in (("review",), ("result",)):
        loc = loc[1:]
    if loc in (("title",), ("visibility",), ("published",)):
        return loc[0]
    if len(loc) >= 2 and loc[0] in PREFIXES and loc[1].isdigit():
        field = loc[2] if len(loc) > 2 and loc[2] in ("country", "kind", "name") else "name"
        return f"{PREFIXES[loc[0]]}-{loc[1]}-{field}"
    return None


def _review(
    request: Request,
    session: Session,
    document: DocumentPublic,
    values: dict[str, str] | None,
    errors: FormErrors,
    status: int = 200,
    published: str | None = None,
) -> Response:
    lang = request_language(request)
    result = document.result
    kept = None
    if values is not None:
        kept = {
            group: {i for i in range(len(getattr(result, group))) if f"{prefix}-{i}-keep" in values}
            for group, prefix in PREFIXES.items()
        }
    return render(
        request,
        "ingest/review.html",
        {
            "document": document,
            "result": result,
            "marked": mark_mentions(document.text, result),
            "links": _registry_names(session, result, lang),
            "kept": kept,
            "values": values or {},
            "title": values.get("title", document.name) if values else document.name,
            "errors": errors,
            "published": published if published is not None else str(document.published or ""),
            "kinds": [k.value for k in OrganizationKind],
            "visibilities": [v.value for v in Visibility],
            "visibility": (values or {}).get("visibility") or service.REVIEW_VISIBILITY.value,
            "iso_date": lambda value: iso_date(value, lang),
        },
        status=status,
    )


def iso_date(value: str, lang: str) -> str:
    """A date of the extraction (YYYY-MM-DD, or --MM-DD without a year) in the page's format."""
    try:
        if value.startswith("--"):
            day = date.fromisoformat("2000" + value[1:])
            return format_date(day, lang)[:-5]  # without the year
        return format_date(date.fromisoformat(value), lang)
    except ValueError:
        return value


def _registry_names(session: Session, result: IngestResult, lang: str) -> dict[tuple[str, int], str]:
    """The registry's names of the linked records, as the reader reads them (a query per kind)."""
    names: dict[tuple[str, int], str] = {}
    for group, _, entity in MENTION_KINDS:
        ids = [item.id for item in getattr(result, group) if item.id is not None]
        for record_id, name in display_names(session, lang, entity, ids).items():
            names[str(entity), record_id] = name
    return names


def mark_mentions(text: str, result: IngestResult) -> Markup:
    """The text, escaped, with every surface form of an organization, person, place or date
    wrapped in <mark> (the longest form wins where two overlap; whole words only)."""
    forms: dict[str, tuple[str, str]] = {}
    for group, prefix, _ in MENTION_KINDS:
        for index, item in enumerate(getattr(result, group)):
            for form in sorted({item.name, *item.mentions}, key=len, reverse=True):
                if form.strip():
                    forms.setdefault(form, (prefix, f"{prefix}-{index}"))
    for found in result.dates:
        if found.text.strip():
            forms.setdefault(found.text, ("date", ""))
    if not forms:
        return Markup(escape(text))
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)"
    )
    out, last = [], 0
    for match in pattern.finditer(text):
        kind, item = forms[match.group(0)]
        out.append(escape(text[last : match.start()]))
        target = Markup(' data-item="{}"').format(item) if item else Markup("")
        out.append(Markup('<mark class="hl hl-{}"{}>{}</mark>').format(kind, target, match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
