"""Mission pages: the list, a mission with its programme, agreements and next steps, its report."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.domain import PageSection
from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import EditorDep, FormDep, OwnEditorDep, ReaderDep
from cooplab.core.web.forms import FormErrors, blank_to_none, service_errors, validation_errors
from cooplab.core.web.render import LANGUAGES, redirect, render, request_language
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter
from cooplab.engagements.report import mission_report
from cooplab.engagements.schemas import ActionItemCreate, ActionItemUpdate
from cooplab.errors import CooplabError

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
            "offset": offset,
            "limit": limit,
        },
    )


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
    data = ActionItemUpdate.model_validate(changes)
    item = service.update_action_item(session=session, actor=actor, item_id=item_id, data=data)
    session.commit()
    if not back.startswith("/") or back.startswith("//"):
        back = f"/missions/{item.mission_id}" if item.mission_id else "/steps"
    return redirect(back, flash="saved")


@router.get("/steps")
def step_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """My next steps: the open ones of my organization (all I may see, without one), overdue first."""
    everything = request.query_params.get("all") == "1"
    mine = actor.organization_id is not None and not everything
    filters = ActionItemFilter(
        status=None if request.query_params.get("done") == "1" else "open",
        organization_id=actor.organization_id if mine else None,
    )
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
        {"steps": found.data, "count": found.count, "offset": offset, "limit": limit, "mine": mine},
    )


@router.get("/missions/{mission_id}/report")
def mission_report_page(
    request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId
) -> Response:
    """The mission's report in the page's language, with downloads of the Markdown."""
    lang = request_language(request)
    mission = service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    text = mission_report(session=session, actor=actor, mission_id=mission_id, lang=lang)  # type: ignore[arg-type]
    return render(
        request,
        "engagements/missions/report.html",
        {
            "mission": mission,
            "report": markdown_html(text),
            "languages": LANGUAGES,
        },
    )


@router.get("/missions/{mission_id}/report.md")
def mission_report_download(
    request: Request, session: SessionDep, actor: ReaderDep, mission_id: RecordId
) -> Response:
    """The report as a Markdown file (?lang=ru|en; the page's language otherwise)."""
    asked = request.query_params.get("lang")
    lang = asked if asked in LANGUAGES else request_language(request)
    text = mission_report(session=session, actor=actor, mission_id=mission_id, lang=lang)  # type: ignore[arg-type]
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="mission-{mission_id}-{lang}.md"',
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
