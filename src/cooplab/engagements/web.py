"""Mission pages: the list, a mission with its programme, agreements and next steps, its report."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.domain import PageSection
from cooplab.core.http import SessionDep
from cooplab.core.names import display_name
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES
from cooplab.core.web.access import EditorDep, FormDep, OwnEditorDep, ReaderDep
from cooplab.core.web.forms import FormErrors, blank_to_none, save_form, service_errors, validation_errors
from cooplab.core.web.render import redirect, render, request_language
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter
from cooplab.engagements.report import mission_report, report_docx
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    AgreementCreate,
    AgreementUpdate,
    EventIn,
    EventUpdate,
    MissionUpdate,
    ParticipantIn,
)
from cooplab.errors import CooplabError, NotFoundError, invalid_input
from cooplab.registry import service as registry
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.vocab.choices import AgreementKind, EventKind, Visibility

#: The languages a mission report is written in; a reader of another language reads it in Russian.
REPORT_LANGUAGES = ("ru", "en")


def report_language(lang: str) -> str:
    """The language of the report for a reader of `lang` (Uzbek readers get the Russian one)."""
    return lang if lang in REPORT_LANGUAGES else "ru"


router = APIRouter(route_class=WebRoute)


_BOLD = re.compile(r"\*\*(.+?)\*\*")


@router.get("/missions")
def mission_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Missions the reader may see, newest first."""
    offset, limit = paging(request, page_size(request))
    found = service.list_missions(session=session, actor=actor, offset=offset, limit=limit)
    return render(
        request,
        "engagements/missions/list.html",
        {
            "missions": found.data,
            "count": found.count,
            "hidden": found.hidden,
            "offset": offset,
            "limit": limit,
        },
    )


@router.get("/missions/export")
def mission_export(
    session: SessionDep, actor: ReaderDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The missions of the list as XLSX or CSV."""
    data = service.export_missions(session=session, actor=actor, fmt=format)
    return _attachment(data, MEDIA_TYPES[format], f"cooplab-missions.{format}")


@router.get("/missions/{mission_id}")
def mission_detail(request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId) -> Response:
    """A mission: organizations, participants, the programme by day, agreements, next steps."""
    return _mission_page(request, session, actor, mission_id, {}, FormErrors())


def _mission_page(
    request: Request,
    session: Session,
    actor: Actor,
    mission_id: int,
    values: dict[str, str],
    errors: FormErrors,
    status: int = 200,
) -> Response:
    public = service.mission_detail(
        session=session, actor=actor, mission_id=mission_id, lang=request_language(request)
    )
    days: dict[Any, list[Any]] = defaultdict(list)
    for event in sorted(public.events, key=lambda e: (e.start is None, e.start or 0, e.id)):
        days[event.start].append(event)
    return render(
        request,
        "engagements/missions/detail.html",
        {
            "mission": public,
            "days": list(days.items()),
            "sides": delegation_sides(public.participants),
            "values": values,
            "errors": errors,
        },
        status=status,
    )


# ---------------------------------------------------------------- next steps


def _step_field(loc: tuple[str, ...], _msg: str) -> str | None:
    fields = {"title", "due", "responsible_person_id", "responsible_organization_id"}
    return f"step-{loc[0]}" if loc and loc[0] in fields else None


@router.post("/missions/{mission_id}/steps")
def step_create(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Add a next step to a mission: what, who (a person, an organization), by when; as visible
    as the mission."""
    lang = request_language(request)
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str) and k.startswith("step-")}
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    try:
        data = ActionItemCreate.model_validate(
            {
                **{key[5:]: blank_to_none(value) for key, value in values.items()},
                "mission_id": mission_id,
                "visibility": mission.visibility,
            }
        )
        service.create_action_item(session=session, actor=actor, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _mission_page(
            request, session, actor, mission_id, values, validation_errors(exc, lang, _step_field), 422
        )
    except CooplabError as exc:
        session.rollback()
        errors = service_errors(exc, lang, _step_field)
        return _mission_page(request, session, actor, mission_id, values, errors, exc.status)
    return redirect(f"/missions/{mission_id}#actions-title", flash="step_added")


@router.post("/steps/{item_id}")
def step_update(
    request: Request, session: SessionDep, actor: OwnEditorDep, item_id: RecordId, form: FormDep
) -> Response:
    """Mark a next step done or open again, or change its due date and who is responsible (the
    fields the form sends); members may do so for the steps of their organization."""
    changes: dict[str, Any] = {"version": form.get("version")}
    for name in ("status", "due", "responsible_person_id", "responsible_organization_id"):
        if name in form:
            changes[name] = blank_to_none(form.get(name))
    back = str(form.get("back", "") or "")
    try:
        data = ActionItemUpdate.model_validate(changes)
    except ValidationError as exc:  # a value no button sends: said on the error page, nothing changes
        raise invalid_input(exc) from None
    item = service.update_action_item(session=session, actor=actor, item_id=item_id, data=data)
    session.commit()
    if not back.startswith("/") or back.startswith("//"):
        back = f"/missions/{item.mission_id}" if item.mission_id else "/steps"
    return redirect(back, flash="saved")


def _step_filter(request: Request, actor: Actor) -> ActionItemFilter:
    """The next steps a list asks for: mine unless ?all=1, the open ones unless ?done=1."""
    mine = actor.signed_in and request.query_params.get("all") != "1"
    return ActionItemFilter(status=None if request.query_params.get("done") == "1" else "open", mine=mine)


@router.get("/steps/export")
def step_export(
    request: Request, session: SessionDep, actor: ReaderDep, format: Literal["xlsx", "csv"] = "xlsx"
) -> Response:
    """The next steps of the list (?all, ?done kept) as XLSX or CSV."""
    data = service.export_action_items(
        session=session,
        actor=actor,
        filters=_step_filter(request, actor),
        lang=request_language(request),
        fmt=format,
    )
    return _attachment(data, MEDIA_TYPES[format], f"cooplab-steps.{format}")


@router.get("/steps")
def step_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """My next steps: the open ones I created or my organization is responsible for, overdue
    first (?all=1: every one I may see; ?done=1: the done ones too)."""
    filters = _step_filter(request, actor)
    mine = bool(filters.mine)
    offset, limit = paging(request, page_size(request))
    found = service.list_action_items(
        session=session,
        actor=actor,
        filters=filters,
        offset=offset,
        limit=limit,
        lang=request_language(request),
    )
    return render(
        request,
        "engagements/steps.html",
        {
            "steps": found.data,
            "count": found.count,
            "hidden": found.hidden,
            "offset": offset,
            "limit": limit,
            "mine": mine,
            "export_query": urlencode(
                [(k, v) for k, v in request.query_params.multi_items() if k in ("all", "done")]
            ),
        },
    )


@router.get("/missions/{mission_id}/report")
def mission_report_page(
    request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId
) -> Response:
    """The mission's report in the page's language, with downloads of the Markdown."""
    lang = report_language(request_language(request))
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    text = mission_report(session=session, actor=actor, mission_id=mission_id, lang=lang)  # type: ignore[arg-type]
    return render(
        request,
        "engagements/missions/report.html",
        {
            "mission": mission,
            "report": markdown_html(text),
            "languages": REPORT_LANGUAGES,
        },
    )


@router.get("/missions/{mission_id}/report.md")
def mission_report_download(
    request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId
) -> Response:
    """The report as a Markdown file (?lang=ru|en; the page's language otherwise)."""
    lang = _report_language(request)
    text = mission_report(session=session, actor=actor, mission_id=mission_id, lang=lang)  # type: ignore[arg-type]
    return _attachment(
        text.encode("utf-8"), "text/markdown; charset=utf-8", f"mission-{mission_id}-{lang}.md"
    )


@router.get("/missions/{mission_id}/report.docx")
def mission_report_docx(
    request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId
) -> Response:
    """The report as a Word document (?lang=ru|en; the page's language otherwise)."""
    lang = _report_language(request)
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    text = mission_report(session=session, actor=actor, mission_id=mission_id, lang=lang)  # type: ignore[arg-type]
    return _attachment(
        report_docx(text, title=mission.title, lang=lang),  # type: ignore[arg-type]
        DOCX_TYPE,
        f"mission-{mission_id}-{lang}.docx",
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report_language(request: Request) -> str:
    """The language asked by `?lang=` (ru or en), else the reader's (an Uzbek reader's is Russian)."""
    asked = request.query_params.get("lang")
    return report_language(asked if asked in REPORT_LANGUAGES else request_language(request))


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-cache",
        },
    )


def _inline(text: str) -> Markup:
    """A line of the report, escaped, with **bold** kept."""
    escaped = str(escape(text))
    return Markup(_BOLD.sub(r"<strong>\1</strong>", escaped))


def markdown_html(text: str) -> Markup:
    """The little Markdown of a report as HTML: headings, bullet lists, bold, paragraphs."""
    out: list[str] = []
    in_list = False
    for raw in text.splitlines():
        line = raw.rstrip()
        bullet = re.match(r"^\s*[-*]\s+(.*)$", line)
        if in_list and not bullet:
            out.append("</ul>")
            in_list = False
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level = min(len(heading.group(1)) + 1, 4)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(bullet.group(1))}</li>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if in_list:
        out.append("</ul>")
    return Markup("\n".join(out))


#: Catalog prefix of what a timeline entry says more of itself, by its kind.
TIMELINE_DETAILS = {
    "mission": "missions.role.",
    "event": "event.",
    "agreement": "agreement.",
    "step": "action.status.",
}


def organization_timeline(*, session: Session, actor: Actor, organization_id: int, lang: str) -> PageSection:
    """The organization page's section of this domain: its missions, events, agreements and
    next steps the reader may see, newest first."""
    entries = service.organization_timeline(session=session, actor=actor, organization_id=organization_id)
    return PageSection(
        "engagements/_organization_timeline.html", {"timeline": entries, "details": TIMELINE_DETAILS}
    )


# ---------------------------------------------------------------- editing a mission

#: The countries whose sides of a delegation the mission page shows apart, in this order.
DELEGATION_SIDES = ("RU", "UZ")


def delegation_sides(participants: list[Any]) -> list[tuple[str, list[Any]]]:
    """The participants by the country of the organization they came for: Russia, Uzbekistan,
    then everyone else ("other"); sides nobody is on are left out."""
    sides: dict[str, list[Any]] = {code: [] for code in (*DELEGATION_SIDES, "other")}
    for p in participants:
        country = p.organization.country if p.organization else None
        sides[country if country in DELEGATION_SIDES else "other"].append(p)
    return [(code, people) for code, people in sides.items() if people]


def _text(form: Any, name: str) -> str:
    return str(form.get(name, "") or "").strip()


def _ids(form: Any, name: str) -> list[str]:
    return [str(v).strip() for v in form.getlist(name) if isinstance(v, str) and str(v).strip()]


def _choices(session: Session, actor: Actor, lang: str) -> dict[str, Any]:
    """What the edit forms offer to pick from: organizations, people and places, by name."""
    orgs = registry.list_organizations(
        session=session, actor=actor, filters=OrganizationFilter(), offset=0, limit=500, lang=lang
    ).data
    people = registry.list_people(
        session=session, actor=actor, filters=PersonFilter(), offset=0, limit=500, lang=lang
    ).data
    places = registry.list_places(
        session=session, actor=actor, filters=PlaceFilter(), offset=0, limit=500
    ).data
    return {
        "organizations": sorted(((o.id, o.name) for o in orgs), key=lambda c: c[1].casefold()),
        "people": sorted(((p.id, p.name) for p in people), key=lambda c: c[1].casefold()),
        "places": sorted(
            ((p.id, display_name(p.names, lang, p.name)) for p in places if p.kind != "country"),
            key=lambda c: c[1].casefold(),
        ),
        "visibilities": [v.value for v in Visibility],
        "event_kinds": [k.value for k in EventKind],
        "agreement_kinds": [k.value for k in AgreementKind],
    }


def _field_of(fields: set[str]) -> Callable[[tuple[str, ...], str], str | None]:
    """Error locations to the form's fields; a period's end when the message is of the end."""

    def field_of(loc: tuple[str, ...], msg: str) -> str | None:
        if loc and loc[0] in fields:
            return loc[0]
        if not loc and "end" in msg and "end" in fields:
            return "end"
        return None

    return field_of


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    values: dict[str, Any],
    errors: FormErrors,
) -> Response:
    """A form of this domain: 200 when blank, 409 re-shown on an edit made on an old version, 422
    with its errors."""
    lang = request_language(request)
    return render(
        request,
        f"engagements/missions/{template}",
        {**_choices(session, actor, lang), **context, "values": values, "errors": errors},
        status=(409 if errors.stale else 422) if errors else 200,
    )


MISSION_FIELDS = {"title", "start", "end", "description", "visibility", "organizer_ids"}


def _mission_values(mission: Any) -> dict[str, Any]:
    return {
        "version": str(mission.version),
        "title": mission.title,
        "start": mission.start.isoformat() if mission.start else "",
        "end": mission.end.isoformat() if mission.end else "",
        "description": mission.description or "",
        "visibility": mission.visibility,
        "organizer_ids": [str(o.organization.id) for o in mission.organizations if o.role == "organizer"],
    }


@router.get("/missions/{mission_id}/edit")
def mission_edit(request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId) -> Response:
    """The edit form of a mission: title, dates, organizers, description, visibility."""
    mission = service.mission_detail(
        session=session, actor=actor, mission_id=mission_id, lang=request_language(request)
    )
    return _form_page(
        request, session, actor, "form.html", {"mission": mission}, _mission_values(mission), FormErrors()
    )


@router.post("/missions/{mission_id}/edit")
def mission_save(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Save a mission's edit; errors come back next to their fields with what was typed."""
    values: dict[str, Any] = {name: _text(form, name) for name in MISSION_FIELDS - {"organizer_ids"}}
    values["version"] = _text(form, "version")
    values["organizer_ids"] = _ids(form, "organizer_ids")
    payload = {
        **{
            name: blank_to_none(values[name])
            for name in ("title", "start", "end", "description", "visibility")
        },
        "title": values["title"],
        "version": values["version"] or None,
        "organizer_ids": values["organizer_ids"],
    }
    errors = save_form(
        session,
        request_language(request),
        lambda: service.update_mission(
            session=session, actor=actor, mission_id=mission_id, data=MissionUpdate.model_validate(payload)
        ),
        _field_of(MISSION_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission_id}", flash="saved")
    mission = service.mission_detail(
        session=session, actor=actor, mission_id=mission_id, lang=request_language(request)
    )
    if errors.stale:
        values["version"] = str(mission.version)
    return _form_page(
        request,
        session,
        actor,
        "form.html",
        {"mission": mission},
        values,
        errors,
    )


@router.get("/missions/{mission_id}/delete")
def mission_delete_confirm(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId
) -> Response:
    """Ask before deleting a mission: what goes with it (its programme and participants)."""
    mission = service.mission_detail(
        session=session, actor=actor, mission_id=mission_id, lang=request_language(request)
    )
    return render(request, "engagements/missions/delete.html", {"mission": mission})


@router.post("/missions/{mission_id}/delete")
def mission_delete(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Delete a mission with its events and participants; its agreements and next steps stay."""
    service.delete_mission(session=session, actor=actor, mission_id=mission_id)
    session.commit()
    return redirect("/missions", flash="deleted")


# ---------------------------------------------------------------- events

EVENT_FIELDS = {"kind", "start", "end", "place_id", "summary", "organization_ids", "person_ids"}


def _event_values(event: Any | None) -> dict[str, Any]:
    if event is None:
        return {
            "kind": "meeting",
            "start": "",
            "end": "",
            "place_id": "",
            "summary": "",
            "organization_ids": [],
            "person_ids": [],
            "version": "",
        }
    return {
        "version": str(event.version),
        "kind": event.kind,
        "start": event.start.isoformat() if event.start else "",
        "end": event.end.isoformat() if event.end else "",
        "place_id": str(event.place.id) if event.place else "",
        "summary": event.summary,
        "organization_ids": [str(o.id) for o in event.organizations],
        "person_ids": [str(p.id) for p in event.people],
    }


def _read_event(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {
        name: _text(form, name) for name in ("kind", "start", "end", "place_id", "summary")
    }
    values["version"] = _text(form, "version")
    values["organization_ids"] = _ids(form, "organization_ids")
    values["person_ids"] = _ids(form, "person_ids")
    payload = {
        **{name: blank_to_none(values[name]) for name in ("kind", "start", "end", "place_id")},
        "summary": values["summary"],
        "organization_ids": values["organization_ids"],
        "person_ids": values["person_ids"],
    }
    return values, payload


@router.get("/missions/{mission_id}/events/new")
def event_new(request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId) -> Response:
    """The form of a new event of the mission's programme."""
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    values = {**_event_values(None), "start": mission.start.isoformat() if mission.start else ""}
    return _form_page(
        request, session, actor, "event.html", {"mission": mission, "event": None}, values, FormErrors()
    )


@router.post("/missions/{mission_id}/events")
def event_create(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Add an event to the mission's programme, as visible as the mission."""
    values, payload = _read_event(form)
    errors = save_form(
        session,
        request_language(request),
        lambda: service.add_event(
            session=session, actor=actor, mission_id=mission_id, data=EventIn.model_validate(payload)
        ),
        _field_of(EVENT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission_id}#programme-title", flash="created")
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    return _form_page(
        request, session, actor, "event.html", {"mission": mission, "event": None}, values, errors
    )


def _event_and_mission(request: Request, session: Session, actor: Actor, event_id: int) -> tuple[Any, Any]:
    event = service.get_event(session=session, actor=actor, event_id=event_id)
    if event.mission_id is None:  # the web UI edits events of missions; others through the API
        raise NotFoundError.record("event", event_id)
    mission = service.mission_detail(session=session, actor=actor, mission_id=event.mission_id)
    return event, mission


@router.get("/events/{event_id}/edit")
def event_edit(request: Request, session: SessionDep, actor: EditorDep, event_id: RecordId) -> Response:
    """The edit form of an event of a mission."""
    event, mission = _event_and_mission(request, session, actor, event_id)
    return _form_page(
        request,
        session,
        actor,
        "event.html",
        {"mission": mission, "event": event},
        _event_values(event),
        FormErrors(),
    )


@router.post("/events/{event_id}/edit")
def event_save(
    request: Request, session: SessionDep, actor: EditorDep, event_id: RecordId, form: FormDep
) -> Response:
    """Save an event; errors come back next to their fields with what was typed."""
    event, mission = _event_and_mission(request, session, actor, event_id)
    values, payload = _read_event(form)
    payload["version"] = values["version"] or None
    errors = save_form(
        session,
        request_language(request),
        lambda: service.update_event(
            session=session, actor=actor, event_id=event_id, data=EventUpdate.model_validate(payload)
        ),
        _field_of(EVENT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission.id}#programme-title", flash="saved")
    event, mission = _event_and_mission(request, session, actor, event_id)
    if errors.stale:
        values["version"] = str(event.version)
    return _form_page(
        request,
        session,
        actor,
        "event.html",
        {"mission": mission, "event": event},
        values,
        errors,
    )


@router.post("/events/{event_id}/delete")
def event_delete(
    request: Request, session: SessionDep, actor: EditorDep, event_id: RecordId, form: FormDep
) -> Response:
    """Delete an event of a mission's programme."""
    event, mission = _event_and_mission(request, session, actor, event_id)
    service.delete_event(session=session, actor=actor, event_id=event_id)
    session.commit()
    return redirect(f"/missions/{mission.id}#programme-title", flash="deleted")


# ---------------------------------------------------------------- agreements

AGREEMENT_FIELDS = {"kind", "subject", "signed_on", "party_ids", "visibility"}


def _agreement_values(agreement: Any | None) -> dict[str, Any]:
    if agreement is None:
        return {
            "kind": "memorandum",
            "subject": "",
            "signed_on": "",
            "party_ids": [],
            "visibility": Visibility.PARTIES.value,
            "version": "",
        }
    return {
        "version": str(agreement.version),
        "kind": agreement.kind,
        "subject": agreement.subject,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
        "party_ids": [str(o.id) for o in agreement.parties],
        "visibility": agreement.visibility,
    }


def _read_agreement(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {
        name: _text(form, name) for name in ("kind", "subject", "signed_on", "visibility")
    }
    values["version"] = _text(form, "version")
    values["party_ids"] = _ids(form, "party_ids")
    payload = {
        **{name: blank_to_none(values[name]) for name in ("kind", "signed_on", "visibility")},
        "subject": values["subject"],
        "party_ids": values["party_ids"],
    }
    return values, payload


def _agreement_and_mission(
    request: Request, session: Session, actor: Actor, agreement_id: int
) -> tuple[Any, Any]:
    agreement = service.get_agreement(session=session, actor=actor, agreement_id=agreement_id)
    if agreement.mission_id is None:  # the web UI edits agreements of missions; others through the API
        raise NotFoundError.record("agreement", agreement_id)
    mission = service.mission_detail(session=session, actor=actor, mission_id=agreement.mission_id)
    return agreement, mission


@router.get("/missions/{mission_id}/agreements/new")
def agreement_new(request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId) -> Response:
    """The form of a new agreement reached on the mission: its kind, subject, parties and date."""
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    values = {
        **_agreement_values(None),
        "party_ids": [str(o.organization.id) for o in mission.organizations],
        "visibility": mission.visibility,  # as the mission, so whoever sees the mission sees it
    }
    return _form_page(
        request,
        session,
        actor,
        "agreement.html",
        {"mission": mission, "agreement": None},
        values,
        FormErrors(),
    )


@router.post("/missions/{mission_id}/agreements")
def agreement_create(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Record an agreement reached on the mission (visible to its parties unless chosen otherwise)."""
    values, payload = _read_agreement(form)
    payload["mission_id"] = mission_id
    errors = save_form(
        session,
        request_language(request),
        lambda: service.create_agreement(
            session=session, actor=actor, data=AgreementCreate.model_validate(payload)
        ),
        _field_of(AGREEMENT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission_id}#agreements-title", flash="created")
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    return _form_page(
        request,
        session,
        actor,
        "agreement.html",
        {"mission": mission, "agreement": None},
        values,
        errors,
    )


@router.get("/agreements/{agreement_id}/edit")
def agreement_edit(
    request: Request, session: SessionDep, actor: EditorDep, agreement_id: RecordId
) -> Response:
    """The edit form of an agreement of a mission."""
    agreement, mission = _agreement_and_mission(request, session, actor, agreement_id)
    return _form_page(
        request,
        session,
        actor,
        "agreement.html",
        {"mission": mission, "agreement": agreement},
        _agreement_values(agreement),
        FormErrors(),
    )


@router.post("/agreements/{agreement_id}/edit")
def agreement_save(
    request: Request, session: SessionDep, actor: EditorDep, agreement_id: RecordId, form: FormDep
) -> Response:
    """Save an agreement; errors come back next to their fields with what was typed."""
    agreement, mission = _agreement_and_mission(request, session, actor, agreement_id)
    values, payload = _read_agreement(form)
    payload["version"] = values["version"] or None
    errors = save_form(
        session,
        request_language(request),
        lambda: service.update_agreement(
            session=session,
            actor=actor,
            agreement_id=agreement_id,
            data=AgreementUpdate.model_validate(payload),
        ),
        _field_of(AGREEMENT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission.id}#agreements-title", flash="saved")
    agreement, mission = _agreement_and_mission(request, session, actor, agreement_id)
    if errors.stale:
        values["version"] = str(agreement.version)
    return _form_page(
        request,
        session,
        actor,
        "agreement.html",
        {"mission": mission, "agreement": agreement},
        values,
        errors,
    )


@router.post("/agreements/{agreement_id}/delete")
def agreement_delete(
    request: Request, session: SessionDep, actor: EditorDep, agreement_id: RecordId, form: FormDep
) -> Response:
    """Delete an agreement of a mission."""
    _agreement, mission = _agreement_and_mission(request, session, actor, agreement_id)
    service.delete_agreement(session=session, actor=actor, agreement_id=agreement_id)
    session.commit()
    return redirect(f"/missions/{mission.id}#agreements-title", flash="deleted")


# ---------------------------------------------------------------- participants

PARTICIPANT_FIELDS = {"person_id", "organization_id", "title"}


def _read_participant(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {name: _text(form, name) for name in PARTICIPANT_FIELDS}
    return values, {name: blank_to_none(value) for name, value in values.items()}


def _mission_participant(
    session: Session, actor: Actor, mission_id: int, participant_id: int
) -> tuple[Any, Any]:
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    for p in mission.participants:
        if p.id == participant_id:
            return mission, p
    raise NotFoundError.record("participant", participant_id)


@router.get("/missions/{mission_id}/participants/new")
def participant_new(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId
) -> Response:
    """The form of a new participant of the mission: who, for which organization, as what."""
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    values = {"person_id": "", "organization_id": "", "title": ""}
    return _form_page(
        request,
        session,
        actor,
        "participant.html",
        {"mission": mission, "participant": None},
        values,
        FormErrors(),
    )


@router.post("/missions/{mission_id}/participants")
def participant_create(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, form: FormDep
) -> Response:
    """Add a person to the mission's delegation."""
    values, payload = _read_participant(form)
    errors = save_form(
        session,
        request_language(request),
        lambda: service.add_participant(
            session=session, actor=actor, mission_id=mission_id, data=ParticipantIn.model_validate(payload)
        ),
        _field_of(PARTICIPANT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission_id}#participants-title", flash="created")
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    return _form_page(
        request,
        session,
        actor,
        "participant.html",
        {"mission": mission, "participant": None},
        values,
        errors,
    )


@router.get("/missions/{mission_id}/participants/{participant_id}/edit")
def participant_edit(
    request: Request, session: SessionDep, actor: EditorDep, mission_id: RecordId, participant_id: RecordId
) -> Response:
    """The edit form of a mission's participant."""
    mission, p = _mission_participant(session, actor, mission_id, participant_id)
    values = {
        "person_id": str(p.person.id),
        "organization_id": str(p.organization.id) if p.organization else "",
        "title": p.title or "",
    }
    return _form_page(
        request,
        session,
        actor,
        "participant.html",
        {"mission": mission, "participant": p},
        values,
        FormErrors(),
    )


@router.post("/missions/{mission_id}/participants/{participant_id}/edit")
def participant_save(
    request: Request,
    session: SessionDep,
    actor: EditorDep,
    mission_id: RecordId,
    participant_id: RecordId,
    form: FormDep,
) -> Response:
    """Save a participant; errors come back next to their fields with what was typed."""
    mission, p = _mission_participant(session, actor, mission_id, participant_id)
    values, payload = _read_participant(form)
    errors = save_form(
        session,
        request_language(request),
        lambda: service.update_participant(
            session=session,
            actor=actor,
            mission_id=mission_id,
            participant_id=participant_id,
            data=ParticipantIn.model_validate(payload),
        ),
        _field_of(PARTICIPANT_FIELDS),
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/missions/{mission_id}#participants-title", flash="saved")
    mission, p = _mission_participant(session, actor, mission_id, participant_id)
    return _form_page(
        request,
        session,
        actor,
        "participant.html",
        {"mission": mission, "participant": p},
        values,
        errors,
    )


@router.post("/missions/{mission_id}/participants/{participant_id}/delete")
def participant_delete(
    request: Request,
    session: SessionDep,
    actor: EditorDep,
    mission_id: RecordId,
    participant_id: RecordId,
    form: FormDep,
) -> Response:
    """Take a person off the mission's delegation (the person stays in the registry)."""
    service.delete_participant(
        session=session, actor=actor, mission_id=mission_id, participant_id=participant_id
    )
    session.commit()
    return redirect(f"/missions/{mission_id}#participants-title", flash="deleted")
