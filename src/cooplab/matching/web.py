"""Pages of matchmaking: a need with the suppliers ranked for it and their reasons."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import ReaderDep
from cooplab.core.web.render import render, request_language
from cooplab.core.web.routing import RecordId
from cooplab.matching import service
from cooplab.matching.features.processes import PROCESS_NAMES_RU, process_label

router = APIRouter(route_class=WebRoute)


@router.get("/needs/{need_id}")
def need_page(request: Request, session: SessionDep, actor: ReaderDep, need_id: RecordId) -> Response:
    """A need the reader may see, and the best suppliers among the capabilities they may see."""
    lang = request_language(request)
    need = service.need_detail(session=session, actor=actor, key=need_id)
    matches = service.need_matches(session=session, actor=actor, key=need_id, lang=lang)
    processes = [PROCESS_NAMES_RU.get(x, x) if lang == "ru" else process_label(x) for x in need.processes]
    return render(
        request, "matching/needs/detail.html", {"need": need, "matches": matches, "processes": processes}
    )
