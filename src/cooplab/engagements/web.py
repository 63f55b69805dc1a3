"""Mission pages: the list, a mission with its programme, agreements and next steps, its report."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import ReaderDep
from cooplab.core.web.render import LANGUAGES, render, request_language
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.engagements import service
from cooplab.engagements.report import mission_report

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
        },
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
