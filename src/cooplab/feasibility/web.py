"""Feasibility pages, for any signed-in reader: the landed cost of a file's options side by side,
and the economics of an investment file. A reader uploads a file (YAML or XLSX) or edits the text
of one, prefilled with the documented example; the answer is shown under the form, printable, and
every table of it downloads as an XLSX workbook. Nothing is stored: the download posts the same
file again."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from cooplab.core.actor import Actor
from cooplab.core.formats import format_number
from cooplab.core.routes import WebRoute
from cooplab.core.spreadsheets import MEDIA_TYPES, stored_file_name, too_large, write_xlsx
from cooplab.core.web import charts
from cooplab.core.web.access import FormDep, SignedInDep
from cooplab.core.web.forms import FormErrors
from cooplab.core.web.render import message, render, request_language, translate
from cooplab.errors import CooplabError, InvalidInputError
from cooplab.feasibility import service
from cooplab.feasibility.indicators import Indicators
from cooplab.feasibility.investment import InvestmentResult
from cooplab.feasibility.schemas import CashFlowsFile, Comparison

router = APIRouter(route_class=WebRoute)

LANDED = "landed_cost"
INVEST = "invest"
#: What each page computes: its address, template, the example it is prefilled with.
PAGES = {
    LANDED: ("/feasibility", "feasibility/landed_cost.html", "landed_cost"),
    INVEST: ("/feasibility/invest", "feasibility/invest.html", "local_production"),
}


# ---------------------------------------------------------------- the input of a page


class Given:
    """What the reader gave: the text of the file (shown in the textarea) or an uploaded file's
    bytes, and the name its problems are located by."""

    def __init__(self, content: bytes, name: str, text: str) -> None:
        self.content, self.name, self.text = content, name, text

    @property
    def encoded(self) -> str:
        """The bytes as the download form posts them back."""
        return base64.b64encode(self.content).decode()

    @property
    def illustrative(self) -> bool:
        """The documented examples say ILLUSTRATIVE of their figures; so does the answer."""
        return b"ILLUSTRATIVE" in self.content


def _given(form: FormData, lang: str) -> Given:
    """The uploaded file if there is one, else the text of the textarea, else (the download
    form) the bytes posted back."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        name = stored_file_name(upload.filename)
        content = upload.file.read(service.MAX_FILE_BYTES + 1)
        if len(content) > service.MAX_FILE_BYTES:
            raise too_large(name, service.MAX_FILE_BYTES)
        text = "" if content[:4] == b"PK\x03\x04" else content.decode("utf-8-sig", errors="replace")
        return Given(content, name, text)
    encoded = form.get("content")
    if isinstance(encoded, str) and encoded:
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            content = b""
        name = str(form.get("name") or "file")[:300]
        text = "" if content[:4] == b"PK\x03\x04" else content.decode("utf-8-sig", errors="replace")
        return Given(content, name, text)
    text = str(form.get("text") or "")
    content = text.encode("utf-8")
    if len(content) > service.MAX_FILE_BYTES:
        raise too_large(translate(lang, "feasibility.the_text"), service.MAX_FILE_BYTES)
    return Given(content, translate(lang, "feasibility.the_text"), text)


def problems(exc: CooplabError, lang: str) -> FormErrors:
    """A refusal in the reader's words, each problem naming its field (`options / 0 / offer /
    price: ...`)."""
    errors = FormErrors()
    for detail in exc.details or [{}]:
        code = detail.get("code")
        params = dict(detail.get("params") or {})
        if code == "incoterm_contradicts_legs" and params.get("rule"):
            code = f"{code}.{params['rule']}"
        text = message(lang, code, params, str(detail.get("msg") or exc.message)) or exc.message
        where = " / ".join(str(part) for part in detail.get("loc", []))
        errors.add(None, f"{where}: {text}" if where else text)
    return errors


# ---------------------------------------------------------------- words of the answers


def said(lang: str, key: str, params: dict[str, Any], english: str) -> str:
    """A reason or a name in the reader's language from its key, the English text when the
    catalog cannot fill it in."""
    if lang == "en":
        return english
    template = translate(lang, key)
    if template == key:
        return english
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return english


def _reasons(lang: str, reasons: Sequence[Any]) -> list[str]:
    return [said(lang, f"reason.{r.code}", r.params, r.text) for r in reasons if r.text]


def _number(lang: str, places: int) -> Callable[[float], str]:
    return lambda value: format_number(value, lang, places)


# ---------------------------------------------------------------- landed cost


def landed_view(result: Comparison, lang: str) -> dict[str, Any]:
    """The comparison as the page shows it: per option its components (named, with basis and the
    assumption flag), its chart and its reasons; the side-by-side rows."""
    options = []
    for n, option in enumerate(result.options):
        cost = option.landed_cost
        lines: list[dict[str, Any]] = [
            {
                "name": translate(lang, f"component.{line.name}"),
                "amount": line.amount,
                "currency": line.currency,
                "basis": translate(lang, f"basis.{line.basis}"),
                "assumption": line.assumption,
                "reasons": _reasons(lang, line.reasons),
            }
            for line in cost.components
        ]
        chart = charts.bars(
            [charts.Bar(line["name"], float(line["amount"])) for line in lines if line["amount"]],
            title=translate(lang, "feasibility.chart_components", option=cost.option or str(n + 1)),
            fmt=_number(lang, 2),
        )
        options.append(
            {
                "name": cost.option or str(n + 1),
                "route": cost.route,
                "incoterm": cost.incoterm,
                "regime": cost.regime,
                "lines": lines,
                "total": cost.total_per_unit,
                "vat_paid": cost.import_vat_paid_per_unit,
                "vat_recoverable": cost.import_vat_recoverable,
                "assumption": cost.assumption,
                "chart": chart,
                "reasons": _reasons(lang, cost.reasons),
                "cheapest": result.cheapest is not None and cost.option == result.cheapest,
                "above": result.side_by_side.above_cheapest[n] if result.side_by_side.above_cheapest else 0,
            }
        )
    rows = [
        {
            "name": translate(lang, f"component.{row.name}"),
            "amounts": row.amounts,
            "assumptions": row.assumptions,
        }
        for row in result.side_by_side.rows
    ]
    return {"options": options, "rows": rows, "totals": result.side_by_side.totals}


def landed_sheets(result: Comparison, lang: str) -> dict[str, list[list[Any]]]:
    """Every table of the landed-cost page as a sheet."""
    view = landed_view(result, lang)
    t = partial(translate, lang)
    names = [o["name"] for o in view["options"]]
    side = [[t("feasibility.component"), *names]]
    side += [[row["name"], *[float(a) for a in row["amounts"]]] for row in view["rows"]]
    side.append([t("feasibility.total_per_unit"), *[float(x) for x in view["totals"]]])
    side.append([t("feasibility.vat_paid"), *[float(o["vat_paid"]) for o in view["options"]]])
    components: list[list[Any]] = [
        [t("feasibility.option"), t("feasibility.component"), t("feasibility.amount")]
        + [t("feasibility.currency"), t("feasibility.basis"), t("feasibility.assumed")]
    ]
    for option in view["options"]:
        for line in option["lines"]:
            components.append(
                [
                    option["name"],
                    line["name"],
                    float(line["amount"]),
                    line["currency"],
                    line["basis"],
                    t("feasibility.assumed") if line["assumption"] else "",
                ]
            )
    return {t("feasibility.sheet_side_by_side"): side, t("feasibility.sheet_components"): components}


# ---------------------------------------------------------------- investment


def invest_view(result: Indicators | InvestmentResult, data: Any, lang: str) -> dict[str, Any]:
    """The indicators, the cash-flow table, the tornado and the scenarios as the page shows them."""
    model = isinstance(result, InvestmentResult)
    view: dict[str, Any] = {
        "model": model,
        "result": result,
        "irr_reason": _indicator_reason(lang, result, "irr"),
        "mirr_reason": _indicator_reason(lang, result, "mirr"),
        "payback_reason": _indicator_reason(lang, result, "payback"),
        "discounted_payback_reason": _indicator_reason(lang, result, "discounted_payback"),
        "reasons": _reasons(lang, result.reasons),
        "flows": service.flow_rows(data) if isinstance(data, CashFlowsFile) else [],
        "tornado": None,
        "bars": [],
    }
    if isinstance(result, InvestmentResult):
        base = float(result.npv)
        view["tornado"] = charts.tornado(
            charts.Mark(translate(lang, "feasibility.npv_base"), base),
            [
                charts.Swing(translate(lang, f"driver.{bar.driver}"), float(bar.npv_low), float(bar.npv_high))
                for bar in result.tornado
            ],
            title=translate(lang, "feasibility.tornado_title", change=format_number(_pct(result), lang, 0)),
            fmt=_number(lang, 0),
            low_label=translate(lang, "feasibility.low"),
            high_label=translate(lang, "feasibility.high"),
        )
        view["bars"] = [
            {
                "driver": translate(lang, f"driver.{bar.driver}"),
                "low": bar.npv_low,
                "high": bar.npv_high,
                "swing": bar.swing,
                "reasons": _reasons(lang, bar.reasons),
            }
            for bar in result.tornado
        ]
    return view


def _pct(result: InvestmentResult) -> float:
    return float(result.tornado[0].change * 100) if result.tornado else 20.0


def _indicator_reason(lang: str, result: Indicators | InvestmentResult, name: str) -> str | None:
    """Why an indicator has no value, in the reader's words."""
    indicators = result if isinstance(result, Indicators) else (result.equity or result.project)
    english = getattr(indicators, f"{name}_reason", None)
    if not english:
        return None
    codes = [r for r in indicators.reasons if r.code.startswith(f"{name}.")]
    return " ".join(_reasons(lang, codes)) or english


YEAR_COLUMNS = (
    "year",
    "volume",
    "revenue",
    "variable_costs",
    "fixed_costs",
    "ebitda",
    "depreciation",
    "tax",
    "capex",
    "working_capital_change",
    "loan_drawn",
    "interest",
    "principal",
    "project_cash_flow",
    "equity_cash_flow",
)
FLOW_COLUMNS = ("year", "cash_flow", "cumulative", "discounted", "discounted_cumulative")


def invest_sheets(result: Indicators | InvestmentResult, data: Any, lang: str) -> dict[str, list[list[Any]]]:
    """Every table of the investment page as a sheet."""
    t = partial(translate, lang)
    view = invest_view(result, data, lang)

    def value(v: Any) -> Any:
        return None if v is None else float(v)

    head = [[t("feasibility.indicator"), t("feasibility.value"), t("feasibility.why_none")]]
    head.append([translate(lang, "indicator.npv"), value(result.npv), ""])
    for name, key in (
        ("irr", "irr"),
        ("mirr", "mirr"),
        ("payback_years", "payback"),
        ("discounted_payback_years", "discounted_payback"),
    ):
        head.append(
            [translate(lang, f"indicator.{name}"), value(getattr(result, name)), view[f"{key}_reason"] or ""]
        )
    sheets: dict[str, list[list[Any]]] = {t("feasibility.sheet_indicators"): head}
    if isinstance(result, InvestmentResult):
        for name in ("break_even_volume", "break_even_price"):
            found = getattr(result, name)
            head.append([translate(lang, f"indicator.{name}"), value(found.value), found.reason or ""])
        sheets[t("feasibility.sheet_years")] = _table(YEAR_COLUMNS, result.years, t)
        tornado = [t("feasibility.driver"), t("feasibility.npv_low"), t("feasibility.npv_high")]
        sheets[t("feasibility.sheet_tornado")] = [[*tornado, t("feasibility.swing")]] + [
            [b["driver"], value(b["low"]), value(b["high"]), value(b["swing"])] for b in view["bars"]
        ]
        if result.scenarios:
            npv, irr = translate(lang, "indicator.npv"), translate(lang, "indicator.irr")
            sheets[t("feasibility.sheet_scenarios")] = [
                [t("feasibility.scenario"), npv, irr, t("feasibility.payback")]
            ]
            sheets[t("feasibility.sheet_scenarios")] += [
                [s.name, value(s.npv), value(s.irr), value(s.payback_years)] for s in result.scenarios
            ]
    else:
        sheets[t("feasibility.sheet_cash_flows")] = _table(FLOW_COLUMNS, view["flows"], t)
    return sheets


def _table(columns: Sequence[str], rows: Sequence[Any], t: Callable[..., str]) -> list[list[Any]]:
    """Rows of a table under their column names; the year as it is, amounts as numbers."""
    return [[t(f"feasibility.col_{c}") for c in columns]] + [
        [row.year if c == "year" else float(getattr(row, c)) for c in columns] for row in rows
    ]


# ---------------------------------------------------------------- the routes


def _compute(kind: str, actor: Actor, given: Given) -> tuple[Any, Any]:
    if kind == LANDED:
        data: Any = service.read_landed_cost(given.content, given.name)
        return data, service.landed_cost(actor=actor, data=data)
    data = service.read_invest(given.content, given.name)
    return data, service.invest(actor=actor, data=data)


def _refused(request: Request, kind: str, given: Given, exc: CooplabError) -> Response:
    """The page again with the reader's input and what is wrong with it, in the reader's words."""
    path, template, _ = PAGES[kind]
    context = {"given": given, "errors": problems(exc, request_language(request)), "view": None, "path": path}
    return render(request, template, context, status=422)


def _page(request: Request, actor: Actor, kind: str, given: Given) -> Response:
    lang = request_language(request)
    path, template, _ = PAGES[kind]
    try:
        data, result = _compute(kind, actor, given)
    except InvalidInputError as exc:
        return _refused(request, kind, given, exc)
    view = landed_view(result, lang) if kind == LANDED else invest_view(result, data, lang)
    context = {"given": given, "errors": FormErrors(), "view": view, "path": path}
    return render(request, template, context)


def _example(kind: str, lang: str) -> Given:
    text = service.example(PAGES[kind][2])
    return Given(text.encode("utf-8"), translate(lang, "feasibility.the_text"), text)


def _download(request: Request, actor: Actor, kind: str, form: FormData) -> Response:
    lang = request_language(request)
    try:
        given = _given(form, lang)
    except InvalidInputError as exc:
        return _refused(request, kind, _example(kind, lang), exc)
    try:
        data, result = _compute(kind, actor, given)
    except InvalidInputError as exc:
        return _refused(request, kind, given, exc)
    sheets = landed_sheets(result, lang) if kind == LANDED else invest_sheets(result, data, lang)
    name = "landed-cost.xlsx" if kind == LANDED else "investment.xlsx"
    return Response(
        write_xlsx(sheets),
        media_type=MEDIA_TYPES["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _posted(request: Request, actor: Actor, kind: str, form: FormData) -> Response:
    lang = request_language(request)
    try:
        given = _given(form, lang)
    except InvalidInputError as exc:
        return _refused(request, kind, _example(kind, lang), exc)
    return _page(request, actor, kind, given)


@router.get("/feasibility")
def landed_cost_page(request: Request, actor: SignedInDep) -> Response:
    """The landed cost of the documented example's options, with the form to give one's own."""
    return _page(request, actor, LANDED, _example(LANDED, request_language(request)))


@router.post("/feasibility")
def landed_cost_compute(request: Request, actor: SignedInDep, form: FormDep) -> Response:
    """The landed cost of the uploaded file's (or the edited text's) options, side by side."""
    return _posted(request, actor, LANDED, form)


@router.post("/feasibility/landed-cost.xlsx")
def landed_cost_download(request: Request, actor: SignedInDep, form: FormDep) -> Response:
    """Every table of the landed-cost answer as an XLSX workbook."""
    return _download(request, actor, LANDED, form)


@router.get("/feasibility/invest")
def invest_page(request: Request, actor: SignedInDep) -> Response:
    """The economics of the documented model of local production, with the form to give one's own."""
    return _page(request, actor, INVEST, _example(INVEST, request_language(request)))


@router.post("/feasibility/invest")
def invest_compute(request: Request, actor: SignedInDep, form: FormDep) -> Response:
    """The indicators of the uploaded (or edited) investment file: flows or a model."""
    return _posted(request, actor, INVEST, form)


@router.post("/feasibility/invest.xlsx")
def invest_download(request: Request, actor: SignedInDep, form: FormDep) -> Response:
    """Every table of the investment answer as an XLSX workbook."""
    return _download(request, actor, INVEST, form)
