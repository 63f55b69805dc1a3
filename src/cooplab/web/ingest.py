"""Ingest pages: paste or upload a document, review what was found in it next to its text, accept
the reviewed records into the registry and a mission."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cooplab.accounts.roles import Actor, Permission
from cooplab.api.deps import SessionDep
from cooplab.errors import ConflictError, InvalidInputError
from cooplab.ingest import service
from cooplab.ingest.models import IngestDocument
from cooplab.ingest.readers import MAX_INPUT_BYTES, read_document
from cooplab.ingest.schemas import IngestResult
from cooplab.registry import service as registry
from cooplab.vocab.choices import OrganizationKind
from cooplab.web.access import EditorDep, FormDep, ReaderDep
from cooplab.web.forms import FormErrors, blank_to_none, translate_message
from cooplab.web.render import format_date, local_name, readable_name, redirect, render, request_language, translate
from cooplab.web.routing import RecordId, WebRoute, page_size, paging

router = APIRouter(route_class=WebRoute)

#: The groups of mentions, their highlight class and the result's list they come from.
MENTION_KINDS = (("organizations", "org"), ("people", "person"), ("places", "place"))
MAX_TITLE = 300


# ---------------------------------------------------------------- the upload page


@router.get("/ingest")
def ingest_home(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Paste a text or upload a file; the recent documents. Others are told who may ingest."""
    return _home(request, session, actor, {}, FormErrors())


def _home(request: Request, session: Session, actor: Actor, values: dict[str, str], errors: FormErrors,
          status: int = 200) -> Response:
    documents, count, offset, limit = [], 0, 0, page_size(request)
    if actor.has(Permission.EDIT_REGISTRY):
        offset, limit = paging(request, limit)
        documents, count = service.list_documents(session=session, actor=actor, offset=offset, limit=limit)
    return render(request, "ingest/home.html", {
        "values": {"text": "", "name": "", "published": "", **values},
        "errors": errors,
        "documents": documents, "count": count, "offset": offset, "limit": limit,
        "max_mb": MAX_INPUT_BYTES // (1024 * 1024),
    }, status=status)


@router.post("/ingest")
def ingest_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Extract the pasted text (or the uploaded file) into a draft and open its review; the same
    text again opens the document it already is."""
    lang = request_language(request)
    values = {"text": str(form.get("text", "") or ""), "name": str(form.get("name", "") or "").strip(),
              "published": str(form.get("published", "") or "").strip()}
    errors = FormErrors()
    published = None
    if values["published"]:
        try:
            published = date.fromisoformat(values["published"])
        except ValueError:
            errors.add("published", translate(lang, "err.date"))
    upload = form.get("file")
    text, name = values["text"], values["name"]
    try:
        if upload is not None and not isinstance(upload, str) and upload.filename:
            name = name or upload.filename
            text = read_document(upload.file.read(MAX_INPUT_BYTES + 1), name=upload.filename)
        elif text.strip():
            text = read_document(text, name=name)
        else:
            errors.add("text", translate(lang, "ingest.err_no_text"))
    except InvalidInputError as exc:
        errors.add("file" if upload is not None and not isinstance(upload, str) and upload.filename else "text",
                   translate_message(lang, exc.message))
    if errors:
        return _home(request, session, actor, values, errors, 422)
    name = (name or _first_line(text))[:MAX_TITLE]
    document, new = service.save_document(session=session, actor=actor, text=text, name=name, published=published)
    session.commit()
    return redirect(f"/ingest/{document.id}", flash=None if new else "ingest_exists")


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


@router.post("/ingest/{document_id}/accept")
def ingest_accept(request: Request, session: SessionDep, actor: EditorDep, document_id: RecordId,
                  form: FormDep) -> Response:
    """Accept the reviewed records: unticked ones are left out, edited names and kinds applied;
    the records and a mission are created, each citing the document."""
    lang = request_language(request)
    document = service.get_document(session=session, actor=actor, document_id=document_id)
    if document.status == "accepted":
        errors = FormErrors()
        errors.add(None, translate(lang, "ingest.err_accepted"))
        return _review(request, session, document, None, errors, 409)
    stored = IngestResult.model_validate(document.result)
    review = read_review(form, stored)
    errors = review.check(lang)
    if not errors:
        try:
            accepted = service.accept_document(session=session, actor=actor, document_id=document_id,
                                               reviewed=review.result, title=review.title or None)
            session.commit()
        except InvalidInputError as exc:
            session.rollback()
            errors = review.service_errors(exc, lang)
        except ValidationError as exc:
            session.rollback()
            errors.add(None, "; ".join(translate_message(lang, e["msg"], e["type"], e.get("ctx"))
                                       for e in exc.errors()))
        except ConflictError as exc:
            session.rollback()
            errors.add(None, translate_message(lang, exc.message))
        else:
            if accepted.mission_id:
                return redirect(f"/missions/{accepted.mission_id}", flash="ingest_accepted")
            return redirect(f"/ingest/{document_id}", flash="ingest_accepted")
    document = service.get_document(session=session, actor=actor, document_id=document_id)
    return _review(request, session, document, review, errors, 422)


@dataclass
class Review:
    """The reviewer's choices: the result to accept, what was kept, the edited values by field."""

    result: IngestResult
    title: str
    kept: dict[str, set[int]]
    values: dict[str, str]
    #: index in the accepted lists -> index on the page, per group
    positions: dict[str, list[int]]

    def check(self, lang: str) -> FormErrors:
        """What the services would refuse, said next to the field: empty names of kept records."""
        errors = FormErrors()
        for group, prefix in (*MENTION_KINDS,):
            for index in self.kept[group]:
                if not self.values.get(f"{prefix}-{index}-name", "x").strip():
                    errors.add(f"{prefix}-{index}-name", translate(lang, "err.required"))
        if len(self.title) > MAX_TITLE:
            errors.add("title", translate(lang, "err.too_long", max=MAX_TITLE))
        return errors

    def service_errors(self, exc: InvalidInputError, lang: str) -> FormErrors:
        """The services' refusal next to the item it concerns (a new place without a country)."""
        errors = FormErrors()
        prefixes = dict(MENTION_KINDS)
        for detail in exc.details:
            loc = [str(part) for part in detail.get("loc", [])]
            msg = str(detail.get("msg", ""))
            if len(loc) >= 3 and loc[0] in prefixes and loc[1].isdigit():
                shown = self.positions[loc[0]]
                page_index = shown[int(loc[1])] if int(loc[1]) < len(shown) else None
                if page_index is not None:
                    field = loc[2] if loc[2] in ("country", "kind", "name") else "name"
                    message = translate(lang, "err.required") if msg == "required" else translate_message(lang, msg)
                    errors.add(f"{prefixes[loc[0]]}-{page_index}-{field}", message)
                    continue
            errors.add(None, translate_message(lang, msg))
        if not exc.details:
            errors.add(None, translate_message(lang, exc.message))
        return errors


def read_review(form: FormData, stored: IngestResult) -> Review:
    """The reviewed result: the stored one (ids are never taken from the form) with unticked items
    dropped and new records' names, kinds and countries as edited; references to a renamed record
    from events, agreements and positions follow the new name."""
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    result = stored.model_copy(deep=True)
    kept: dict[str, set[int]] = {}
    positions: dict[str, list[int]] = {}
    renamed: dict[str, dict[str, str]] = {}
    kinds = {k.value for k in OrganizationKind}
    for group, prefix in MENTION_KINDS:
        items = getattr(result, group)
        kept[group] = {i for i in range(len(items)) if f"{prefix}-{i}-keep" in values}
        positions[group] = sorted(kept[group])
        renamed[group] = {}
        for index in positions[group]:
            item = items[index]
            if item.id is not None:
                continue
            name = values.get(f"{prefix}-{index}-name")
            if name is not None and name and name != item.name:
                renamed[group][item.name] = name
                item.mentions = list(dict.fromkeys([*item.mentions, item.name]))
                item.name = name[:MAX_TITLE]
            if group == "organizations":
                kind = values.get(f"{prefix}-{index}-kind")
                item.kind = kind if kind in kinds else item.kind
            if group == "places":
                item.country = blank_to_none(values.get(f"{prefix}-{index}-country")) or item.country
        setattr(result, group, [items[i] for i in positions[group]])
    orgs, people, places = renamed["organizations"], renamed["people"], renamed["places"]
    for person in result.people:
        for position in person.positions:
            if position.organization:
                position.organization = orgs.get(position.organization, position.organization)
    result.events = [e for i, e in enumerate(result.events) if f"event-{i}-keep" in values]
    for event in result.events:
        event.organizations = [orgs.get(o, o) for o in event.organizations]
        event.people = [people.get(p, p) for p in event.people]
        event.place = places.get(event.place, event.place) if event.place else None
    result.agreements = [a for i, a in enumerate(result.agreements) if f"agreement-{i}-keep" in values]
    for agreement in result.agreements:
        agreement.parties = [orgs.get(p, p) for p in agreement.parties]
    kept["events"] = {i for i in range(len(stored.events)) if f"event-{i}-keep" in values}
    kept["agreements"] = {i for i in range(len(stored.agreements)) if f"agreement-{i}-keep" in values}
    return Review(result=result, title=values.get("title", ""), kept=kept, values=values, positions=positions)


def _review(request: Request, session: Session, document: IngestDocument, review: Review | None,
            errors: FormErrors, status: int = 200) -> Response:
    lang = request_language(request)
    result = IngestResult.model_validate(document.result)
    links = _registry_names(session, result, lang)
    return render(request, "ingest/review.html", {
        "document": document,
        "result": result,
        "marked": mark_mentions(document.text, result),
        "links": links,
        "kept": review.kept if review else None,
        "values": review.values if review else {},
        "title": review.title if review else document.name,
        "errors": errors,
        "kinds": [k.value for k in OrganizationKind],
        "iso_date": lambda value: iso_date(value, lang),
    }, status=status)


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
    """The registry's names of the linked records, as the reader reads them."""
    names: dict[tuple[str, int], str] = {}
    for item in result.organizations:
        if item.id is not None:
            org = registry.get_organization(session=session, organization_id=item.id)
            names["organization", item.id] = readable_name(org.names, org.name, lang)
    for item in result.people:
        if item.id is not None:
            person = registry.get_person(session=session, person_id=item.id)
            names["person", item.id] = readable_name(person.names, person.name, lang)
    for item in result.places:
        if item.id is not None:
            place = registry.get_place(session=session, place_id=item.id)
            names["place", item.id] = local_name(place.names, lang, place.name)
    return names


def mark_mentions(text: str, result: IngestResult) -> Markup:
    """The text, escaped, with every surface form of an organization, person, place or date
    wrapped in <mark> (the longest form wins where two overlap; whole words only)."""
    forms: dict[str, tuple[str, str]] = {}
    for group, prefix in MENTION_KINDS:
        for index, item in enumerate(getattr(result, group)):
            for form in sorted({item.name, *item.mentions}, key=len, reverse=True):
                if form.strip():
                    forms.setdefault(form, (prefix, f"{prefix}-{index}"))
    for found in result.dates:
        if found.text.strip():
            forms.setdefault(found.text, ("date", ""))
    if not forms:
        return Markup(escape(text))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                         + r")(?!\w)")
    out, last = [], 0
    for match in pattern.finditer(text):
        kind, item = forms[match.group(0)]
        out.append(escape(text[last:match.start()]))
        target = Markup(' data-item="{}"').format(item) if item else Markup("")
        out.append(Markup('<mark class="hl hl-{}"{}>{}</mark>').format(kind, target, match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
