"""The level page: a stored vehicle's localization level under a method, part by part."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.core.http import SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import ReaderDep
from cooplab.core.web.render import render, request_language
from cooplab.localization import service
from cooplab.localization.filters import Method

router = APIRouter(route_class=WebRoute)


@router.get("/vehicles/{code}/level")
def level_page(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """The level under the method asked for (the Uzbek cost share by default)."""
    asked = request.query_params.get("method", Method.UZ_COST_SHARE.value)
    method = Method(asked) if asked in {m.value for m in Method} else Method.UZ_COST_SHARE
    result = service.level(session=session, actor=actor, code=code[:60], method=method)
    answer = service.level_answer(result, request_language(request))
    return render(
        request,
        "localization/level.html",
        {"code": code, "result": answer, "methods": [m.value for m in Method], "method": method.value},
    )
