"""Pages of localization: a stored vehicle's level under a method, part by part, with the
contributions of its systems; its opportunities with the Pareto chart and the cheapest path; its
saved scenarios (listed with a form to save one), a scenario with its waterfall, and scenarios
side by side."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cooplab.catalog.service import vehicle_bill
from cooplab.core.actor import Actor
from cooplab.core.formats import format_number
from cooplab.core.http import SessionDep
from cooplab.core.i18n import translate
from cooplab.core.routes import WebRoute
from cooplab.core.web import charts
from cooplab.core.web.access import FormDep, OwnEditorDep, ReaderDep
from cooplab.core.web.charts import Bar, Mark, bars, waterfall
from cooplab.core.web.forms import (
    FormErrors,
    blank_to_none,
    error_message,
    form_rows,
    service_errors,
)
from cooplab.core.web.render import message, redirect, render, request_language
from cooplab.core.web.routing import paging
from cooplab.errors import CooplabError, InvalidInputError, error_code
from cooplab.localization import service
from cooplab.localization.filters import Method
from cooplab.localization.rules import thresholds
from cooplab.localization.scenarios import AddOperation, LocalizeInput, MovePart
from cooplab.localization.schemas import SavedScenarioResult, ScenarioCreate, ScenarioUpdate
from cooplab.localization.wording import TARGETS, parse_target, path_answer, percent
from cooplab.vocab.hs import format_hs_code

router = APIRouter(route_class=WebRoute)

#: Rows of the level page's part table per page (the demo vehicle's 349 lines fit on one).
PART_PAGE = 400
#: Opportunities listed and drawn on their page.
OPPORTUNITIES = 20
#: The fields of a "move this part" row of the form.
MOVE_FIELDS = ("part_number", "supplier", "production_country", "unit_price", "currency", "volume_share")
MOVE_ROWS = 3
#: pydantic's error types and plain ValueErrors of the scenario's fields, as the catalogs' codes.
_CODES = {"decimal_parsing": "number", "decimal_type": "number"}
_KINDS = {"union_tag_invalid", "union_tag_not_found"}
_CODES_BY_FIELD = {"currency": "unknown_currency", "origin_country": "country"}


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


# ---------------------------------------------------------------- words for changes


def describe(change: MovePart | LocalizeInput | AddOperation, lang: str) -> str:
    """A change in the reader's words."""
    if isinstance(change, MovePart):
        params: dict[str, Any] = {
            "part": change.part_number,
            "supplier": change.supplier,
            "country": change.production_country,
            "share": f"{(change.volume_share * 100).normalize():f}%",
        }
        if change.unit_price is None:
            return translate(lang, "scenarios.change.move_part_same_price", **params)
        price = f"{change.unit_price.normalize():f} {change.currency}"
        return translate(lang, "scenarios.change.move_part", price=price, **params)
    if isinstance(change, LocalizeInput):
        return translate(
            lang,
            "scenarios.change.localize_input",
            supplier=change.supplier,
            input=change.input,
            country=change.origin_country,
            part=change.part_number or "",
        )
    return translate(lang, "scenarios.change.add_operation", operation=change.operation)


def label(change: MovePart | LocalizeInput | AddOperation) -> str:
    """A change in a few words, for a chart's row (the table beside it says it whole)."""
    if isinstance(change, MovePart):
        return f"{change.part_number} → {change.supplier}"
    if isinstance(change, LocalizeInput):
        return f"{change.input} → {change.origin_country}"
    return f"+ {change.operation}"


def changes_yaml(changes: list[Any]) -> str:
    """Changes as the YAML one edits in the form: each with its kind and the fields it sets."""
    if not changes:
        return ""
    rows = [{"kind": c.kind, **c.model_dump(mode="json", exclude_defaults=True)} for c in changes]
    return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, default_flow_style=False)


# ---------------------------------------------------------------- reading the form


@dataclass
class _Form:
    """What the scenario form sent: its values as typed, the changes read from them, and where
    each change came from (a row of the form, or the text)."""

    values: dict[str, Any]
    changes: list[Any]
    rows: dict[int, int]  # change index -> row index
    errors: FormErrors


def _share(text: str) -> str:
    """A share typed in percent ("60", "60%", "60,5") as a fraction ("0.6"); other text as it is,
    for the schema to refuse."""
    value = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        return str(Decimal(value) / 100)
    except InvalidOperation:
        return text


def _read_form(form: FormData, lang: str, *, with_rows: bool) -> _Form:
    values: dict[str, Any] = {
        name: str(form.get(name, "") or "").strip() for name in ("name", "description", "changes_text")
    }
    errors = FormErrors()
    changes: list[Any] = []
    rows: dict[int, int] = {}
    if with_rows:
        typed = form_rows(form, "move", MOVE_FIELDS)
        values["moves"] = typed
        for i, row in enumerate(typed):
            if not any(row[f] for f in ("part_number", "supplier", "production_country", "unit_price")):
                continue
            rows[len(changes)] = i
            changes.append(
                {
                    "kind": "move_part",
                    "part_number": row["part_number"],
                    "supplier": row["supplier"],
                    "production_country": row["production_country"],
                    "unit_price": blank_to_none(row["unit_price"].replace(",", ".").replace(" ", "")),
                    "currency": row["currency"] or "UZS",
                    "volume_share": _share(row["volume_share"]) if row["volume_share"] else "1",
                }
            )
    text = values["changes_text"]
    if text:
        try:
            parsed = yaml.safe_load(text)
        except (yaml.YAMLError, ValueError) as exc:  # a ValueError: a date that does not exist
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            errors.add("changes_text", translate(lang, "err.scenario_text", line=line))
            parsed = []
        if isinstance(parsed, dict):
            parsed = parsed.get("changes", [parsed]) if "kind" not in parsed else [parsed]
        if not isinstance(parsed, list) or not all(isinstance(c, dict) for c in parsed):
            errors.add("changes_text", translate(lang, "err.scenario_text_shape"))
            parsed = []
        changes.extend(parsed)
    return _Form(values=values, changes=changes, rows=rows, errors=errors)


def _field_of(read: _Form, lang: str, loc: tuple[Any, ...], text: str) -> tuple[str | None, str]:
    """The form field a problem at `loc` belongs to, and its message with the change named when
    it sits in the text of changes."""
    if not loc or loc[0] != "changes" or len(loc) < 2 or not str(loc[1]).isdigit():
        name = str(loc[0]) if loc and loc[0] in ("name", "description") else None
        return name, text
    k = int(loc[1])
    rest = [str(x) for x in loc[2:] if str(x) not in ("move_part", "localize_input", "add_operation")]
    field = rest[0] if rest else ""
    if k in read.rows and field in MOVE_FIELDS:
        return f"move-{read.rows[k]}-{field}", text
    number = k + 1 - len(read.rows)
    where = translate(lang, "scenarios.change_at", n=number, field=field or "kind")
    return ("changes_text" if k not in read.rows else f"move-{read.rows[k]}-part_number"), f"{where}: {text}"


def _validation(read: _Form, lang: str, exc: ValidationError) -> FormErrors:
    errors = read.errors
    for err in exc.errors():
        code, params = error_code(err)
        loc = tuple(err["loc"])
        field = str(loc[-1]) if loc else ""
        code = _CODES.get(code, code)
        if code == "value_error" and field in _CODES_BY_FIELD:
            code, params = _CODES_BY_FIELD[field], {"value": err.get("input", "")}
        if code in _KINDS:
            text = translate(lang, "err.change_kind")
        else:
            text = message(lang, code, params, err["msg"])
        name, text = _field_of(read, lang, loc, text)
        errors.add(name, text)
    return errors


def _service(read: _Form, lang: str, exc: CooplabError) -> FormErrors:
    errors = service_errors(exc, lang, lambda _loc, _msg: None)
    if errors.stale or not exc.details:
        return errors
    found = FormErrors()
    for detail in exc.details:
        text = message(lang, detail.get("code"), detail.get("params"), str(detail.get("msg", "")))
        name, text = _field_of(read, lang, tuple(detail.get("loc", [])), text)
        found.add(name, text)
    return found


# ---------------------------------------------------------------- the list and the form


def _blank_moves() -> list[dict[str, str]]:
    return [{f: ("UZS" if f == "currency" else "") for f in MOVE_FIELDS} for _ in range(MOVE_ROWS)]


def _list_page(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    found = service.list_scenarios(session=session, actor=actor, code=code)
    bill = vehicle_bill(session=session, actor=actor, code=code)
    values = values or {"name": "", "description": "", "changes_text": "", "moves": _blank_moves()}
    moves = list(values.get("moves") or [])
    values["moves"] = moves + _blank_moves()[len(moves) :]
    return render(
        request,
        "localization/scenarios.html",
        {
            "code": code,
            "vehicle": bill.vehicle,
            "scenarios": found.data,
            "parts": [(line.part_number, line.name) for line in bill.bom],
            "values": values,
            "errors": errors or FormErrors(),
        },
        status=status,
    )


@router.get("/vehicles/{code}/scenarios")
def scenario_list(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """The vehicle's saved scenarios (to open or compare), and the form to save one."""
    return _list_page(request, session, actor, code[:60])


def _url(code: str, name: str | None = None) -> str:
    base = f"/vehicles/{quote(code, safe='')}/scenarios"
    return base if name is None else f"{base}/{quote(name, safe='')}"


@router.post("/vehicles/{code}/scenarios")
def scenario_create(
    request: Request, session: SessionDep, actor: OwnEditorDep, code: str, form: FormDep
) -> Response:
    """Save a scenario from the form: rows moving parts, and any changes as YAML or JSON; a bad
    value is named next to its field and nothing is saved."""
    code, lang = code[:60], request_language(request)
    read = _read_form(form, lang, with_rows=True)
    read.values["illustrative"] = form.get("illustrative") == "on"
    try:
        data = ScenarioCreate.model_validate(
            {
                "name": read.values["name"],
                "description": read.values["description"] or None,
                "changes": read.changes,
                "illustrative": read.values["illustrative"],
            }
        )
    except ValidationError as exc:
        return _list_page(request, session, actor, code, read.values, _validation(read, lang, exc), 422)
    if read.errors:
        return _list_page(request, session, actor, code, read.values, read.errors, 422)
    try:
        service.create_scenario(session=session, actor=actor, code=code, data=data)
        session.commit()
    except CooplabError as exc:
        session.rollback()
        if exc.status not in (409, 422):
            raise
        return _list_page(request, session, actor, code, read.values, _service(read, lang, exc), exc.status)
    return redirect(_url(code, data.name), flash="created")


# ---------------------------------------------------------------- one scenario


def _chart(answer: SavedScenarioResult, lang: str) -> Any:
    fall = answer.waterfall
    if fall.before is None or fall.after is None:
        return None
    steps = [
        Bar(f"{s.index + 1}. {label(answer.scenario.changes[s.index])}", float(s.change or 0) * 100)
        for s in fall.steps
    ]
    marks = [Mark(f"{t.level:.0%}", t.level * 100) for t in thresholds()["uz_cost_share"]]
    return waterfall(
        Bar(translate(lang, "scenarios.now"), float(fall.before) * 100),
        steps,
        translate(lang, "scenarios.after"),
        title=translate(lang, "scenarios.waterfall_title", name=answer.scenario.name),
        fmt=lambda v: f"{v:.1f}%",
        delta_fmt=lambda v: f"{v:+.2f}",
        marks=marks,
    )


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    name: str,
    owner: int | None,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    problem = None
    answer: SavedScenarioResult | None = None
    try:
        answer = service.evaluate_saved(session=session, actor=actor, code=code, name=name, owner=owner)
        saved = answer.scenario
    except InvalidInputError as exc:  # the bill changed since it was saved: say where, offer the edit
        saved = service.get_scenario(session=session, actor=actor, code=code, name=name, owner=owner)
        detail = exc.details[0] if exc.details else {}
        loc = detail.get("loc", [])
        where = (
            translate(lang, "scenarios.change_at", n=int(loc[1]) + 1, field=loc[2]) + ": "
            if len(loc) >= 3 and str(loc[1]).isdigit()
            else ""
        )
        problem = where + error_message(lang, exc)
    values = values or {
        "name": saved.name,
        "description": saved.description or "",
        "changes_text": changes_yaml(saved.changes),
    }
    crossed = {}
    if answer is not None:
        crossed = {
            method: (
                [service.crossed_threshold_name(method, t, lang) for t in m.reached],
                [service.crossed_threshold_name(method, t, lang) for t in m.lost],
            )
            for method, m in answer.result.methods.items()
        }
    return render(
        request,
        "localization/scenario.html",
        {
            "code": code,
            "answer": answer,
            "saved": saved,
            "result": answer.result if answer else None,
            "chart": _chart(answer, lang) if answer else None,
            "problem": problem,
            "described": [describe(c, lang) for c in saved.changes],
            "crossed": crossed,
            "values": values,
            "errors": errors or FormErrors(),
            "owner_query": f"?owner={owner}" if owner else "",
        },
        status=status,
    )


def _owner(request: Request) -> int | None:
    text = request.query_params.get("owner", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@router.get("/vehicles/{code}/scenarios/compare")
def scenario_compare(request: Request, session: SessionDep, actor: ReaderDep, code: str) -> Response:
    """Saved scenarios side by side (the names ticked on the list)."""
    code, lang = code[:60], request_language(request)
    names = [n[:200] for n in request.query_params.getlist("name")]
    try:
        compared = service.compare_saved(
            session=session, actor=actor, code=code, names=names, owner=_owner(request)
        )
    except InvalidInputError as exc:
        errors = FormErrors()
        errors.add(None, message(lang, "compare_count", exc.details[0].get("params") if exc.details else {}))
        return _list_page(request, session, actor, code, None, errors, 422)
    uz = [
        Bar(s.scenario.name, (s.result.methods["uz_cost_share"].after or 0) * 100) for s in compared.scenarios
    ]
    base = compared.baseline.get("uz_cost_share")
    chart = bars(
        ([Bar(translate(lang, "scenarios.now"), base * 100)] if base is not None else []) + uz,
        title=translate(lang, "scenarios.compare_chart"),
        fmt=lambda v: f"{v:.1f}%",
    )
    crossed = [
        {
            method: (
                [service.crossed_threshold_name(method, t, lang) for t in m.reached],
                [service.crossed_threshold_name(method, t, lang) for t in m.lost],
            )
            for method, m in s.result.methods.items()
        }
        for s in compared.scenarios
    ]
    return render(
        request,
        "localization/compare.html",
        {
            "code": code,
            "compared": compared,
            "chart": chart,
            "crossed": crossed,
            "methods": [m.value for m in Method],
        },
    )


@router.get("/vehicles/{code}/scenarios/{name}")
def scenario_detail(
    request: Request, session: SessionDep, actor: ReaderDep, code: str, name: str
) -> Response:
    """A saved scenario: its waterfall, each method before and after, the cost, the thresholds
    crossed, its changes; the forms to edit and delete it."""
    return _detail_page(request, session, actor, code[:60], name[:200], _owner(request))


@router.post("/vehicles/{code}/scenarios/{name}")
def scenario_update(
    request: Request, session: SessionDep, actor: OwnEditorDep, code: str, name: str, form: FormDep
) -> Response:
    """Rename a saved scenario or change its description or changes, on the version shown."""
    code, name, lang, owner = code[:60], name[:200], request_language(request), _owner(request)
    read = _read_form(form, lang, with_rows=False)
    try:
        data = ScenarioUpdate.model_validate(
            {
                "version": form.get("version"),
                "name": read.values["name"],
                "description": read.values["description"] or None,
                "changes": read.changes,
            }
        )
    except ValidationError as exc:
        errors = _validation(read, lang, exc)
        return _detail_page(request, session, actor, code, name, owner, read.values, errors, 422)
    if read.errors:
        return _detail_page(request, session, actor, code, name, owner, read.values, read.errors, 422)
    try:
        saved = service.update_scenario(
            session=session, actor=actor, code=code, name=name, data=data, owner=owner
        )
        session.commit()
    except CooplabError as exc:
        session.rollback()
        if exc.status not in (409, 422):
            raise
        errors = _service(read, lang, exc)
        return _detail_page(request, session, actor, code, name, owner, read.values, errors, exc.status)
    query = f"?owner={owner}" if owner else ""
    return redirect(_url(code, saved.name) + query, flash="saved")


@router.post("/vehicles/{code}/scenarios/{name}/delete")
def scenario_delete(
    request: Request, session: SessionDep, actor: OwnEditorDep, code: str, name: str, form: FormDep
) -> Response:
    """Delete a saved scenario."""
    code = code[:60]
    service.delete_scenario(session=session, actor=actor, code=code, name=name[:200], owner=_owner(request))
    session.commit()
    return redirect(_url(code), flash="deleted")
