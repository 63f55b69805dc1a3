"""Pages of localization: a stored vehicle's level under a method, part by part, with the
contributions of its systems; its opportunities with the Pareto chart and the cheapest path."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.core.formats import format_number
from cooplab.core.http import SessionDep
from cooplab.core.i18n import translate
from cooplab.core.routes import WebRoute
from cooplab.core.web import charts
from cooplab.core.web.access import ReaderDep
from cooplab.core.web.render import render, request_language
from cooplab.core.web.routing import paging
from cooplab.localization import service
from cooplab.localization.filters import Method
from cooplab.localization.wording import TARGETS, parse_target, path_answer, percent
from cooplab.vocab.hs import format_hs_code

router = APIRouter(route_class=WebRoute)

#: Rows of the level page's part table per page (the demo vehicle's 349 lines fit on one).
PART_PAGE = 400
#: Opportunities listed and drawn on their page.
OPPORTUNITIES = 20


@router.get("/vehicles/{code}/level")
def level_page(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """The level under the method asked for (the Uzbek cost share by default), the systems'
    contributions, and the parts a page at a time."""
    asked = request.query_params.get("method", Method.UZ_COST_SHARE.value)
    method = Method(asked) if asked in {m.value for m in Method} else Method.UZ_COST_SHARE
    lang = request_language(request)
    result, systems, total = service.level_with_systems(
        session=session, actor=actor, code=code[:60], method=method
    )
    offset, _ = paging(request, PART_PAGE)
    offset = min(offset, max(total - 1, 0) // PART_PAGE * PART_PAGE)
    answer = service.level_answer(result, lang, parts=slice(offset, offset + PART_PAGE))
    chart = charts.bars(
        [charts.Bar(f"{s.part_number} {s.name}", float(s.imported)) for s in systems],
        title=translate(lang, "level.systems_chart"),
        fmt=lambda v: format_number(v, lang, 0),
    )
    return render(
        request,
        "localization/level.html",
        {
            "code": code,
            "result": answer,
            "methods": [m.value for m in Method],
            "method": method.value,
            "systems": systems,
            "systems_chart": chart,
            "parts_total": total,
            "parts_offset": offset,
            "parts_page": PART_PAGE,
        },
    )


@router.get("/vehicles/{code}/opportunities")
def opportunities_page(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """The parts with the most imported value a year (Pareto chart and table) with their
    signals, and the cheapest path to the target asked for (45% by default)."""
    lang = request_language(request)
    asked = request.query_params.get("target")
    error = None
    target = 0.45
    if asked is not None and asked.strip():
        try:
            target = parse_target(asked)
        except ValueError:
            error = translate(lang, "opportunities.bad_target", value=asked[:40])
    found = service.opportunities(
        session=session, actor=actor, code=code[:60], target=target, limit=OPPORTUNITIES
    )
    ranked = found.opportunities
    chart = charts.pareto(
        [charts.Bar(f"{o.part_number} {o.name}", float(o.annual_imported)) for o in ranked.items],
        title=translate(lang, "opportunities.chart_title"),
        fmt=lambda v: f"{format_number(v, lang, 0)} {ranked.currency}",
        total=float(ranked.total_annual_imported),
    )
    return render(
        request,
        "localization/opportunities.html",
        {
            "code": code,
            "found": found,
            "ranked": ranked,
            "path": None if error else found.path,
            "answer": None if error else path_answer(found.path, lang),
            "error": error,
            "asked": asked if error else format_number(round(target * 100, 4), lang),
            "targets": [(t, percent(t, lang, 0)) for t in TARGETS],
            "chart": chart,
            "percent": lambda v, places=1: percent(v, lang, places),
            "hs": lambda code: format_hs_code(code) if code else "",
        },
        status=422 if error else 200,
    )
