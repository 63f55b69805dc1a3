"""The files a user keeps: a landed-cost file and an investment file, in YAML or XLSX, read
into the same validated models (the schemas are in docs/feasibility.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cooplab.core.calculators import Reason
from cooplab.core.spreadsheets import Sheet, read_workbook
from cooplab.errors import ImportFileError, InvalidInputError, invalid_input
from cooplab.feasibility.indicators import Indicators, indicators
from cooplab.feasibility.investment import InvestmentModel, InvestmentResult, RateIn, evaluate_investment
from cooplab.feasibility.landed_cost import PartOffer, landed_cost, side_by_side
from cooplab.feasibility.routes import Place, Route, Tariff, check_chain
from cooplab.feasibility.schemas import CashFlowsFile, Comparison, LandedCostFile, OptionResult
from cooplab.vocab.money import Rate, RateTable

XLSX_MAGIC = b"PK\x03\x04"


# ---------------------------------------------------------------- reading a file


def read_document(path: Path) -> tuple[dict[str, Any] | None, dict[str, Sheet] | None]:
    """A YAML mapping, or the sheets of an XLSX workbook, from a file; anything else is refused."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            f"{path}: cannot be read ({exc.strerror})",
            details=[{"loc": [str(path)], "msg": "cannot be read", "code": "file_unreadable"}],
        ) from None
    return parse_document(content, path.name)


def parse_document(content: bytes, name: str) -> tuple[dict[str, Any] | None, dict[str, Sheet] | None]:
    """A YAML mapping, or the sheets of an XLSX workbook (recognised by its content), from the
    bytes of a file called `name`; anything else is refused naming the file (and the line)."""
    if content[:4] == XLSX_MAGIC:
        if name.lower().endswith(".xlsx"):
            return None, read_workbook({name: content})
        try:  # a workbook under another name (or none) is read all the same
            return None, read_workbook({"file.xlsx": content})
        except ImportFileError:  # another kind of ZIP (a .docx): the user's file is named
            raise _not_a_case(name, []) from None
    try:
        data = yaml.safe_load(content.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise _not_a_case(
            name, [line + 1] if line is not None else [], str(getattr(exc, "problem", exc))
        ) from None
    if not isinstance(data, dict):
        raise ImportFileError(
            f"{name}: a YAML file here must hold a mapping (keys and values)",
            details=[{"loc": [name], "msg": "not a mapping", "code": "not_yaml_mapping"}],
        )
    return data, None


def _not_a_case(name: str, where: list[int], problem: str = "") -> ImportFileError:
    return ImportFileError(
        f"{name}: not a YAML file or an XLSX workbook",
        details=[
            {"loc": [name, *where], "msg": "not YAML", "code": "not_yaml", "params": {"problem": problem}}
        ],
    )


def _validated(model: type[BaseModel], data: dict[str, Any], rows: dict[str, list[int]] | None = None) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = invalid_input(exc)
        if rows:  # a list index of a sheet is reported as the row number a person sees
            for detail in error.details:
                loc = detail["loc"]
                if len(loc) > 1 and loc[0] in rows and str(loc[1]).isdigit():
                    loc[1] = f"row {rows[loc[0]][int(loc[1])]}"
        raise error from None


def _rate_table(rates: list[RateIn]) -> RateTable:
    return RateTable.of([Rate(r.currency, r.day, r.uzs_per_unit) for r in rates])


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _records(sheet: Sheet | None) -> tuple[list[dict[str, Any]], list[int]]:
    if sheet is None:
        return [], []
    return (
        [{k: _cell(v) for k, v in row.items() if v is not None} for _, row in sheet.rows],
        [n for n, _ in sheet.rows],
    )


def _settings(sheet: Sheet | None, name: str) -> dict[str, Any]:
    """A sheet of `key`, `value` rows as a mapping."""
    if sheet is None:
        raise ImportFileError(
            f"the workbook needs a sheet {name!r}",
            details=[
                {"loc": [name], "msg": "missing sheet", "code": "sheet_needed", "params": {"sheet": name}}
            ],
        )
    out: dict[str, Any] = {}
    for number, row in sheet.rows:
        key = row.get("key")
        if not key:
            raise ImportFileError(
                f"{name}, row {number}: no key",
                details=[{"loc": [name, f"row {number}"], "msg": "no key", "code": "missing_key"}],
            )
        if row.get("value") is not None:
            out[str(key).strip()] = _cell(row["value"])
    return out


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in {"yes", "true", "1", "да"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"no", "false", "0", "нет"}:
        return False
    return value


def landed_cost_file_from_workbook(sheets: dict[str, Sheet]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The sheets of a landed-cost workbook as the mapping a YAML file would hold."""
    terms = _settings(sheets.get("terms"), "terms")
    if "vat_recoverable" in terms:
        terms["vat_recoverable"] = _bool(terms["vat_recoverable"])
    duty, duty_rows = _records(sheets.get("duty_rates"))
    if duty:
        terms["duty_rates"] = duty
    rates, rate_rows = _records(sheets.get("rates"))
    places_list, _ = _records(sheets.get("places"))
    tariff_list, _ = _records(sheets.get("tariffs"))
    tariffs: dict[str, Any] = {}
    for t in tariff_list:
        capacity = {k: t.pop(k) for k in ("weight_kg", "volume_m3", "units") if k in t}
        tariffs[str(t.get("key"))] = {**t, "capacity": capacity}
    legs, _ = _records(sheets.get("legs"))
    routes: dict[str, Any] = {}
    for leg in legs:
        route = routes.setdefault(str(leg.pop("route", "")), {"legs": []})
        if "safety_stock_days" in leg:  # a column of the route, given on any of its rows
            route["safety_stock_days"] = leg.pop("safety_stock_days")
        route["legs"].append(leg)
    premiums, _ = _records(sheets.get("risk_premiums"))
    for premium in premiums:
        name = str(premium.pop("route", ""))
        if name in routes:
            routes[name]["risk_premium"] = premium
    option_rows, numbers = _records(sheets.get("options"))
    options = []
    for row in option_rows:
        name, route, local = row.pop("name", None), row.pop("route", None), row.pop("local_production", None)
        options.append(
            {"name": name, "route": route, "offer": row, **({"local_production": local} if local else {})}
        )
    data = {
        "terms": terms,
        "rates": rates,
        "places": {str(p.get("key")): p for p in places_list},
        "tariffs": tariffs,
        "routes": routes,
        "options": options,
    }
    return data, {"options": numbers, "rates": rate_rows, "duty_rates": duty_rows}


def investment_from_workbook(sheets: dict[str, Sheet]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The sheets of an investment workbook as the mapping a YAML file would hold: explicit
    flows (a sheet `cash_flows` of year, amount) or the model."""
    settings = _settings(sheets.get("settings"), "settings")
    if "cash_flows" in sheets:
        flows, flow_rows = _records(sheets["cash_flows"])
        flows.sort(key=lambda r: r.get("year", 0))
        return {**settings, "cash_flows": [r.get("amount") for r in flows]}, {"cash_flows": flow_rows}
    model: dict[str, Any] = {
        k: v
        for k, v in settings.items()
        if not k.startswith(("price_", "replaces_", "loan_"))
        and k not in {"oem_volume", "share_won", "start_year"}
    }
    price: dict[str, Any] = {}
    if "price_per_unit" in settings:
        price["per_unit"] = settings["price_per_unit"]
    if "price_currency" in settings:
        price["currency"] = settings["price_currency"]
    replaces = {k.removeprefix("replaces_"): v for k, v in settings.items() if k.startswith("replaces_")}
    if replaces:
        price["replaces"] = replaces
    model["price"] = price
    loan = {k.removeprefix("loan_"): v for k, v in settings.items() if k.startswith("loan_")}
    if loan:
        model["loan"] = loan
    volume: dict[str, Any] = {
        k: settings[k] for k in ("oem_volume", "share_won", "start_year") if k in settings
    }
    years, _ = _records(sheets.get("volume"))
    if years:
        years.sort(key=lambda r: r.get("production_year", 0))
        if any("oem_volume" in r for r in years):
            volume["oem_volume"] = [r.get("oem_volume") for r in years]
        if any("ramp" in r for r in years):
            volume["ramp"] = [r.get("ramp") for r in years]
    model["volume"] = volume
    rows: dict[str, list[int]] = {}
    for sheet, key in (
        ("capex", "capex"),
        ("variable_costs", "unit_variable_costs"),
        ("fixed_costs", "fixed_costs_per_year"),
        ("rates", "rates"),
    ):
        records, numbers = _records(sheets.get(sheet))
        if records:
            for r in records:
                if "freight" in r:
                    r["freight"] = _bool(r["freight"])
            model[key], rows[key] = records, numbers
    if "scenarios" in sheets:
        scenarios: dict[str, dict[str, Any]] = {}
        for _, row in sheets["scenarios"].rows:  # name, field (a dotted path), value (empty: none)
            changes = scenarios.setdefault(str(row.get("name")), {})
            *path, last = str(row.get("field") or "").split(".")
            for part in path:
                changes = changes.setdefault(part, {})
            changes[last] = _cell(row.get("value"))
        model["scenarios"] = [{"name": k, "changes": v} for k, v in scenarios.items()]
    return model, rows


# ---------------------------------------------------------------- answering a file


def read_invest_file(path: Path) -> CashFlowsFile | InvestmentModel:
    """The validated content of an investment file."""
    return investment_input(*read_document(path))


def investment_input(
    data: dict[str, Any] | None, sheets: dict[str, Sheet] | None = None
) -> CashFlowsFile | InvestmentModel:
    """An investment file's mapping (or workbook) validated: explicit cash flows when it has
    `cash_flows`, else the model of production."""
    rows: dict[str, list[int]] = {}
    if sheets is not None:
        data, rows = investment_from_workbook(sheets)
    assert data is not None
    if "cash_flows" in data:
        return _validated(CashFlowsFile, data, rows)
    return _validated(InvestmentModel, data, rows)


def answer_invest(parsed: CashFlowsFile | InvestmentModel) -> Indicators | InvestmentResult:
    """Indicators of explicit flows, or the full economics of a model."""
    if isinstance(parsed, CashFlowsFile):
        return indicators(
            parsed.cash_flows,
            discount_rate=float(parsed.discount_rate),
            finance_rate=None if parsed.finance_rate is None else float(parsed.finance_rate),
            reinvest_rate=None if parsed.reinvest_rate is None else float(parsed.reinvest_rate),
            currency=parsed.currency,
        )
    return evaluate_investment(parsed)


def read_landed_cost_file(path: Path) -> LandedCostFile:
    """The validated content of a landed-cost file."""
    return landed_cost_input(*read_document(path))


def landed_cost_input(data: dict[str, Any] | None, sheets: dict[str, Sheet] | None = None) -> LandedCostFile:
    """A landed-cost file's mapping (or workbook) validated."""
    rows: dict[str, list[int]] = {}
    if sheets is not None:
        data, rows = landed_cost_file_from_workbook(sheets)
    assert data is not None
    return _validated(LandedCostFile, data, rows)


def _each(
    kind: str, items: dict[str, dict[str, Any]], build: Callable[[str, dict[str, Any]], Any]
) -> dict[str, Any]:
    out = {}
    for key, value in items.items():
        try:
            out[key] = build(key, value)
        except ValidationError as exc:
            raise invalid_input(exc, prefix=(kind, key)) from None
    return out


def answer_landed_cost(parsed: LandedCostFile, *, base: Path | None = None) -> Comparison:
    """Every option's landed cost per unit, side by side."""
    places = _each("places", parsed.places, lambda k, v: Place.model_validate({"key": k, **v}))
    tariffs = _each("tariffs", parsed.tariffs, lambda k, v: Tariff.model_validate({"key": k, **v}))
    routes = _each(
        "routes",
        {k: r.model_dump() for k, r in parsed.routes.items()},
        lambda k, v: Route.model_validate({"name": k, **{x: y for x, y in v.items() if y is not None}}),
    )
    for key, route in routes.items():
        check_chain(route, ["routes", key])
    rates = _rate_table(parsed.rates)
    results = []
    for i, option in enumerate(parsed.options):
        loc: list[str | int] = ["options", i]
        route = None
        if option.route is not None:
            route = routes.get(option.route)
            if route is None:
                raise InvalidInputError(
                    f"options.{i}.route: unknown route {option.route!r}",
                    details=[
                        {
                            "loc": [*loc, "route"],
                            "msg": f"unknown route {option.route!r}",
                            "code": "unknown_route",
                            "params": {"route": option.route, "known": ", ".join(sorted(routes)) or "none"},
                        }
                    ],
                )
        offer_data = dict(option.offer)
        investment = None
        if option.local_production is not None:
            if "price" in offer_data:
                raise InvalidInputError(
                    f"options.{i}.offer.price: give a price or local_production, not both",
                    details=[
                        {
                            "loc": [*loc, "offer", "price"],
                            "msg": "price and local_production",
                            "code": "price_and_local_production",
                            "params": {},
                        }
                    ],
                )
            investment = _local_production(option.local_production, base, [*loc, "local_production"])
            if investment.break_even_price.value is None:
                raise InvalidInputError(
                    f"options.{i}.local_production: {investment.break_even_price.reason}",
                    details=[
                        {
                            "loc": [*loc, "local_production"],
                            "msg": investment.break_even_price.reason or "",
                            "code": "no_break_even_price",
                            "params": {},
                        }
                    ],
                )
            offer_data.update(price=investment.break_even_price.value, currency=investment.currency)
            offer_data.setdefault("origin_country", parsed.terms.import_country)
            offer_data.setdefault("incoterm", "EXW")
        try:
            offer = PartOffer.model_validate({"name": option.name, **offer_data})
        except ValidationError as exc:
            raise invalid_input(exc, prefix=("options", str(i), "offer")) from None
        cost = landed_cost(
            offer,
            route,
            terms=parsed.terms,
            rates=rates,
            places=places,
            tariffs=tariffs,
            name=option.name,
            loc=[*loc, "offer"],
            route_loc=["routes", option.route] if option.route else [],
        )
        if investment is not None:
            price_line = cost.components[0]
            behind = investment.break_even_price.reasons[0]
            price_line.reasons.insert(
                0,
                Reason(
                    code="price.local_production",
                    params=behind.params,
                    text=f"local production: the break-even price of its investment model ({behind.text})",
                ),
            )
        results.append(OptionResult(landed_cost=cost, investment=investment))
    table = side_by_side([r.landed_cost for r in results])
    cheapest = table.options[table.cheapest] if table.cheapest is not None else None
    return Comparison(
        currency=parsed.terms.currency,
        as_of=parsed.terms.as_of,
        options=results,
        cheapest=cheapest,
        side_by_side=table,
    )


def _local_production(ref: str | dict[str, Any], base: Path | None, loc: list[str | int]) -> InvestmentResult:
    if isinstance(ref, str):
        path = Path(ref) if base is None or Path(ref).is_absolute() else base / ref
        parsed = read_invest_file(path)
        if not isinstance(parsed, InvestmentModel):
            raise InvalidInputError(
                f"{'.'.join(map(str, loc))}: {ref} holds cash flows, not a model of production",
                details=[
                    {
                        "loc": loc,
                        "msg": "not an investment model",
                        "code": "not_a_model",
                        "params": {"file": ref},
                    }
                ],
            )
        return evaluate_investment(parsed, with_scenarios=False)
    try:
        model = InvestmentModel.model_validate(ref)
    except ValidationError as exc:
        raise invalid_input(exc, prefix=tuple(str(x) for x in loc)) from None
    return evaluate_investment(model, with_scenarios=False)
