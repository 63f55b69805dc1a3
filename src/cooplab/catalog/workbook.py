"""The vehicle workbook: one XLSX file (or CSV files named like its sheets) holding a vehicle,
its bill of materials, sourcing, supplier inputs and rates; read all-or-nothing, written back.

`read_vehicle_workbook` checks every sheet, row and cell before it answers, and raises one
`ImportFileError` listing every problem (`loc` = [sheet, row, column], a stable `code`, the
part in `params`). Suppliers are resolved by a function the caller passes, so this module
stays pure. `write_vehicle_workbook` writes the same sheets; reading them back gives the same
bill. The columns are documented in docs/catalog.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cooplab.catalog.commodity_codes import CommodityCatalog, commodity_catalog
from cooplab.catalog.schemas import (
    UNIT_ALIASES,
    BomLine,
    Incoterm,
    Source,
    SupplierInput,
    SupplierRef,
    Unit,
    Vehicle,
    VehicleBill,
    supplier_key,
)
from cooplab.core.spreadsheets import Sheet, read_workbook, write_csv, write_xlsx
from cooplab.errors import ImportFileError
from cooplab.vocab.countries import validate_country
from cooplab.vocab.hs import format_hs_code, normalize_hs_code
from cooplab.vocab.money import MissingRateError, Rate, RateTable, validate_currency
from cooplab.vocab.operations import operation_codes

#: Sheets with their required and optional columns, in the order they are written.
SHEETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vehicle": (
        ("code", "name", "oem", "annual_volume", "own_cost", "own_cost_currency", "price_date"),
        (
            "brand",
            "hs_code",
            "production_country",
            "volume_year",
            "volume_source",
            "exw_price",
            "exw_currency",
            "operations",
            "illustrative",
        ),
    ),
    "bom": (("part_number", "name", "quantity"), ("parent", "hs_code", "unit")),
    "sourcing": (
        ("part_number", "supplier", "production_country", "unit_price", "currency", "price_date"),
        ("incoterm", "volume_share", "imported_share", "operations", "illustrative"),
    ),
    "supplier_inputs": (
        ("supplier", "part_number", "input", "quantity", "unit_cost", "currency", "origin_country"),
        ("hs_code", "input_supplier", "price_date", "illustrative"),
    ),
    "rates": (("currency", "date"), ("uzs_per_unit", "units_per_uzs")),
}
REQUIRED_SHEETS = ("vehicle", "bom", "sourcing")
#: Column order of the written workbook.
COLUMNS = {
    "vehicle": (
        "code",
        "name",
        "oem",
        "brand",
        "hs_code",
        "production_country",
        "annual_volume",
        "volume_year",
        "volume_source",
        "own_cost",
        "own_cost_currency",
        "exw_price",
        "exw_currency",
        "price_date",
        "operations",
        "illustrative",
    ),
    "bom": ("part_number", "parent", "name", "hs_code", "quantity", "unit"),
    "sourcing": (
        "part_number",
        "supplier",
        "production_country",
        "unit_price",
        "currency",
        "price_date",
        "incoterm",
        "volume_share",
        "imported_share",
        "operations",
        "illustrative",
    ),
    "supplier_inputs": (
        "supplier",
        "part_number",
        "input",
        "hs_code",
        "quantity",
        "unit_cost",
        "currency",
        "origin_country",
        "input_supplier",
        "price_date",
        "illustrative",
    ),
    "rates": ("currency", "date", "uzs_per_unit"),
}
SHARE_TOLERANCE = Decimal("0.0001")
#: The codes of the problems a workbook can have (each worded as `err.<code>` in the catalogs).
PROBLEM_CODES = (
    "bad_boolean",
    "bad_country",
    "bad_date",
    "bad_hs_code",
    "bad_incoterm",
    "bad_integer",
    "bad_number",
    "bad_rate",
    "bad_unit",
    "bom_cycle",
    "duplicate_part",
    "duplicate_source",
    "input_cycle",
    "missing_column",
    "missing_sheet",
    "negative_amount",
    "no_rate",
    "no_sourcing",
    "one_vehicle",
    "quantity_not_positive",
    "required",
    "share_below_0",
    "share_over_100",
    "shares_not_100",
    "unknown_column",
    "unknown_currency",
    "unknown_hs_code",
    "unknown_operation",
    "unknown_parent",
    "unknown_part",
    "unknown_sheet",
    "unknown_supplier",
)

SupplierResolver = Callable[[str], SupplierRef | None]


class _Bad(ValueError):
    """A cell that cannot be read: its stable code, English text and parameters."""

    def __init__(self, code: str, msg: str, **params: Any) -> None:
        super().__init__(msg)
        self.code, self.msg, self.params = code, msg, params


@dataclass
class _Problems:
    """Every problem found, in the shape of ImportFileError details."""

    details: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self, sheet: str, row: int | None, column: str | None, code: str, msg: str, **params: Any
    ) -> None:
        loc: list[str | int] = [sheet]
        if row is not None:
            loc.append(row)
        if column is not None:
            loc.append(column)
        self.details.append({"loc": loc, "msg": msg, "code": code, "params": params})

    def raise_if_any(self) -> None:
        if not self.details:
            return
        shown = "; ".join(f"{', '.join(str(x) for x in d['loc'])}: {d['msg']}" for d in self.details[:5])
        more = f" (and {len(self.details) - 5} more)" if len(self.details) > 5 else ""
        raise ImportFileError(
            f"the workbook has {len(self.details)} problem(s), nothing was imported: {shown}{more}",
            details=self.details,
        )


# ---------------------------------------------------------------- cell readers


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _Bad("bad_number", f"{value!r} is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = _SPACES.sub("", str(value))
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad("bad_number", f"{value!r} is not a number", value=str(value)) from None
    if not number.is_finite():
        raise _Bad("bad_number", f"{value!r} is not a number", value=str(value))
    return number


def _quantity(value: Any) -> Decimal:
    number = _decimal(value)
    if number <= 0:
        raise _Bad(
            "quantity_not_positive", f"the quantity must be above zero, not {number}", value=str(number)
        )
    return number


def _amount(value: Any) -> Decimal:
    number = _decimal(value)
    if number < 0:
        raise _Bad("negative_amount", f"an amount cannot be below zero ({number})", value=str(number))
    return number


def _share(value: Any) -> Decimal:
    """A fraction 0-1, or a percentage written with a % sign ("60%")."""
    text = str(value).strip() if isinstance(value, str) else None
    if text and text.endswith("%"):
        number = _decimal(text[:-1]) / 100
    else:
        number = _decimal(value)
    if number > 1:
        raise _Bad(
            "share_over_100", f"a share cannot be over 100% ({value}); write 0.6 or 60%", value=str(value)
        )
    if number < 0:
        raise _Bad("share_below_0", f"a share cannot be below 0 ({value})", value=str(value))
    return number


def _integer(value: Any) -> int:
    number = _decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise _Bad("bad_integer", f"{value!r} is not a whole number of zero or more", value=str(value))
    return int(number)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Bad("bad_date", f"{value!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)", value=text)


def _currency(value: Any) -> str:
    try:
        return validate_currency(str(value))
    except ValueError:
        raise _Bad(
            "unknown_currency",
            f"{value!r} is not a known currency (ISO 4217: UZS, USD, RUB...)",
            value=str(value),
        ) from None


def _country(value: Any) -> str:
    try:
        return validate_country(str(value))
    except ValueError:
        raise _Bad(
            "bad_country", f"{value!r} is not a country code (ISO 3166: UZ, RU, KR...)", value=str(value)
        ) from None


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "y", "true", "1", "x", "да", "ha"}:
        return True
    if text in {"no", "n", "false", "0", "нет", "yo'q"}:
        return False
    raise _Bad("bad_boolean", f"{value!r} is not yes or no", value=str(value))


def _unit(value: Any) -> Unit:
    text = str(value).strip().lower()
    unit = UNIT_ALIASES.get(text)
    if unit is not None:
        return unit
    try:
        return Unit(text)
    except ValueError:
        known = ", ".join(u.value for u in Unit)
        raise _Bad("bad_unit", f"{value!r} is not a unit ({known})", value=str(value)) from None


def _incoterm(value: Any) -> Incoterm:
    try:
        return Incoterm(str(value).strip().upper())
    except ValueError:
        raise _Bad(
            "bad_incoterm", f"{value!r} is not an Incoterms 2020 term (EXW, FCA, DAP...)", value=str(value)
        ) from None


def _operations(value: Any) -> tuple[str, ...]:
    items = operation_codes()
    found = []
    for part in str(value).replace(",", ";").split(";"):
        code = part.strip().lower().replace(" ", "_").replace("-", "_")
        if not code:
            continue
        if code not in items:
            raise _Bad(
                "unknown_operation",
                f"{part.strip()!r} is not an operation of the Decree 719 table ({', '.join(sorted(items))})",
                value=part.strip(),
            )
        if code not in found:
            found.append(code)
    return tuple(found)


def _hs_reader(catalog: CommodityCatalog) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = _text(value) or ""
        try:
            code = normalize_hs_code(text)
        except ValueError as exc:
            raise _Bad("bad_hs_code", str(exc), value=text) from None
        if not catalog.is_known(code):
            raise _Bad(
                "unknown_hs_code",
                f"{format_hs_code(code)} is not a code of the catalog ({catalog.edition})",
                value=text,
            )
        return code

    return read


# ---------------------------------------------------------------- rows


class _RowReader:
    """Reads the cells of one row, recording each problem with its sheet, row and column."""

    def __init__(
        self, problems: _Problems, sheet: str, row: int, cells: Mapping[str, Any], part: str | None = None
    ) -> None:
        self.problems, self.sheet, self.row, self.cells, self.part = problems, sheet, row, cells, part
        self.ok = True

    def get(
        self, column: str, read: Callable[[Any], Any], *, required: bool = False, default: Any = None
    ) -> Any:
        value = self.cells.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(column, "required", f"{column} is required")
            return default
        try:
            return read(value)
        except _Bad as bad:
            self.fail(column, bad.code, bad.msg, **bad.params)
            return default

    def fail(self, column: str | None, code: str, msg: str, **params: Any) -> None:
        self.ok = False
        if self.part is not None:
            params = {"part_number": self.part, **params}
            msg = f"{msg} (part {self.part})"
        self.problems.add(self.sheet, self.row, column, code, msg, **params)


def _check_columns(problems: _Problems, sheets: Mapping[str, Sheet]) -> None:
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            problems.add(name, None, None, "missing_sheet", f"the sheet {name} is missing")
    for name, sheet in sheets.items():
        if name not in SHEETS:
            problems.add(
                name, None, None, "unknown_sheet", f"unknown sheet {name!r}; sheets are {', '.join(SHEETS)}"
            )
            continue
        required, optional = SHEETS[name]
        for column in required:
            if column not in sheet.header:
                problems.add(name, 1, column, "missing_column", f"the column {column} is missing")
        for column in sheet.header:
            if column and column not in required and column not in optional:
                problems.add(name, 1, column, "unknown_column", f"unknown column {column!r}")
        if name == "rates" and not {"uzs_per_unit", "units_per_uzs"} & set(sheet.header):
            problems.add(
                name,
                1,
                "uzs_per_unit",
                "missing_column",
                "the column uzs_per_unit (or units_per_uzs) is missing",
            )


def read_vehicle_workbook(
    files: Mapping[str, bytes],
    *,
    resolve_supplier: SupplierResolver | None = None,
    catalog: CommodityCatalog | None = None,
) -> VehicleBill:
    """The bill of a vehicle workbook (an XLSX file, or CSV files named like its sheets);
    one ImportFileError lists every problem, and nothing is returned then."""
    return parse_vehicle_sheets(read_workbook(files), resolve_supplier=resolve_supplier, catalog=catalog)


def parse_vehicle_sheets(
    sheets: Mapping[str, Sheet],
    *,
    resolve_supplier: SupplierResolver | None = None,
    catalog: CommodityCatalog | None = None,
) -> VehicleBill:
    """The bill of already-read sheets (see `read_vehicle_workbook`)."""
    problems = _Problems()
    _check_columns(problems, sheets)
    problems.raise_if_any()
    hs = _hs_reader(catalog or commodity_catalog())
    empty = Sheet("", [])
    rates = _rates(problems, sheets.get("rates", empty))
    vehicle = _vehicle(problems, sheets["vehicle"], hs)
    bom, bom_rows, parents = _bom(problems, sheets["bom"], hs)
    sourcing, sourced = _sourcing(problems, sheets["sourcing"], bom_rows, resolve_supplier)
    inputs = _inputs(problems, sheets.get("supplier_inputs", empty), hs)
    table = RateTable.of(rates)
    _check_rates(problems, table, vehicle, sourcing, inputs)
    _check_bill(problems, bom_rows, parents, sourced)
    _check_input_cycles(problems, inputs)
    problems.raise_if_any()
    assert vehicle is not None
    return VehicleBill(
        vehicle=vehicle,
        bom=tuple(bom),
        sourcing=tuple(s for s, _ in sourcing),
        inputs=tuple(i for i, _ in inputs),
        rates=tuple(rates),
    )


def _rates(problems: _Problems, sheet: Sheet) -> list[Rate]:
    rates = []
    for number, cells in sheet.rows:
        r = _RowReader(problems, "rates", number, cells)
        currency = r.get("currency", _currency, required=True)
        day = r.get("date", _date, required=True)
        per_unit = r.get("uzs_per_unit", _decimal)
        units_per = r.get("units_per_uzs", _decimal)
        if per_unit is None and units_per is not None and units_per > 0:
            per_unit = 1 / units_per
        if per_unit is None or per_unit <= 0:
            if r.ok:
                r.fail("uzs_per_unit", "bad_rate", "the rate must be a number above zero")
            continue
        if r.ok:
            rates.append(Rate(currency, day, per_unit))
    return rates


def _vehicle(problems: _Problems, sheet: Sheet, hs: Callable[[Any], str]) -> Vehicle | None:
    if len(sheet.rows) != 1:
        problems.add(
            "vehicle",
            None,
            None,
            "one_vehicle",
            f"the vehicle sheet must hold exactly one row, not {len(sheet.rows)}",
        )
        return None
    number, cells = sheet.rows[0]
    r = _RowReader(problems, "vehicle", number, cells)
    data = {
        "code": r.get("code", _text, required=True),
        "name": r.get("name", _text, required=True),
        "oem": r.get("oem", _text, required=True),
        "brand": r.get("brand", _text),
        "hs_code": r.get("hs_code", hs, default="8703"),
        "production_country": r.get("production_country", _country, default="UZ"),
        "annual_volume": r.get("annual_volume", _integer, required=True),
        "volume_year": r.get("volume_year", _integer),
        "volume_source": r.get("volume_source", _text),
        "own_cost": r.get("own_cost", _amount, required=True),
        "own_cost_currency": r.get("own_cost_currency", _currency, required=True),
        "exw_price": r.get("exw_price", _amount),
        "exw_currency": r.get("exw_currency", _currency),
        "price_date": r.get("price_date", _date, required=True),
        "operations": r.get("operations", _operations, default=()),
        "illustrative": r.get("illustrative", _bool, default=False),
    }
    if data["exw_price"] is not None and data["exw_currency"] is None:
        data["exw_currency"] = data["own_cost_currency"]
    if data["exw_price"] is not None and data["exw_price"] == 0:
        r.fail("exw_price", "quantity_not_positive", "the ex-works price must be above zero")
    if not r.ok:
        return None
    return Vehicle(**data)


def _bom(
    problems: _Problems, sheet: Sheet, hs: Callable[[Any], str]
) -> tuple[list[BomLine], dict[str, int], dict[str, str | None]]:
    """The valid lines, and for every row (valid or not) its part's row number and parent, so a
    bad cell is one problem and not also a missing part elsewhere."""
    lines: list[BomLine] = []
    rows: dict[str, int] = {}
    parents: dict[str, str | None] = {}
    for number, cells in sheet.rows:
        part = _text(cells.get("part_number"))
        r = _RowReader(problems, "bom", number, cells, part)
        if part is None:
            r.fail("part_number", "required", "part_number is required")
            continue
        if part in rows:
            r.fail(
                "part_number",
                "duplicate_part",
                f"listed twice (first on row {rows[part]})",
                first_row=rows[part],
            )
            continue
        rows[part] = number
        parents[part] = _text(cells.get("parent"))
        line = {
            "part_number": part,
            "parent": parents[part],
            "name": r.get("name", _text, required=True),
            "hs_code": r.get("hs_code", hs),
            "quantity": r.get("quantity", _quantity, required=True),
            "unit": r.get("unit", _unit, default=Unit.PIECE),
        }
        if r.ok:
            lines.append(BomLine(**line))
    known = set(rows)
    for part, up in parents.items():
        if up is not None and up not in known:
            problems.add(
                "bom",
                rows[part],
                "parent",
                "unknown_parent",
                f"the parent {up!r} is not a part of the BOM (part {part})",
                part_number=part,
                parent=up,
            )
    parent = {p: up for p, up in parents.items() if up in known}
    reported: set[str] = set()
    for start in parent:
        seen: list[str] = []
        at: str | None = start
        while at is not None and at not in seen and at not in reported:
            seen.append(at)
            at = parent.get(at)
        if at is not None and at in seen:
            cycle = seen[seen.index(at) :]
            reported.update(cycle)
            problems.add(
                "bom",
                rows[at],
                "parent",
                "bom_cycle",
                f"the BOM has a cycle: {' -> '.join([*cycle, at])} (part {at})",
                part_number=at,
                cycle=cycle,
            )
        reported.update(seen)
    return lines, rows, parents


def _sourcing(
    problems: _Problems, sheet: Sheet, bom_rows: dict[str, int], resolve: SupplierResolver | None
) -> tuple[list[tuple[Source, int]], set[str]]:
    """The valid sources, and the parts every row names (valid or not)."""
    out: list[tuple[Source, int]] = []
    named: set[str] = set()
    shares: dict[str, list[tuple[Decimal | None, int]]] = {}
    seen: dict[tuple[str, str], int] = {}
    resolved: dict[str, SupplierRef | None] = {}
    for number, cells in sheet.rows:
        part = _text(cells.get("part_number"))
        r = _RowReader(problems, "sourcing", number, cells, part)
        if part is None:
            r.fail("part_number", "required", "part_number is required")
            continue
        named.add(part)
        if part not in bom_rows:
            r.fail("part_number", "unknown_part", "not a part of the BOM")
        supplier = r.get("supplier", _text, required=True)
        supplier_id = None
        if supplier is not None:
            key = (part, supplier_key(supplier))
            if key in seen:
                r.fail(
                    "supplier",
                    "duplicate_source",
                    f"{supplier} is listed twice for the part (first on row {seen[key]})",
                    first_row=seen[key],
                )
            seen.setdefault(key, number)
            if resolve is not None:
                if supplier not in resolved:
                    resolved[supplier] = resolve(supplier)
                supplier_id = resolved[supplier]
                if supplier_id is None:
                    r.fail(
                        "supplier",
                        "unknown_supplier",
                        f"{supplier!r} is not an organization of the registry",
                        supplier=supplier,
                    )
        data = {
            "part_number": part,
            "supplier": supplier,
            "supplier_id": supplier_id,
            "production_country": r.get("production_country", _country, required=True),
            "unit_price": r.get("unit_price", _amount, required=True),
            "currency": r.get("currency", _currency, required=True),
            "price_date": r.get("price_date", _date, required=True),
            "incoterm": r.get("incoterm", _incoterm),
            "volume_share": r.get("volume_share", _share, default=None),
            "imported_share": r.get("imported_share", _share),
            "operations": r.get("operations", _operations, default=()),
            "illustrative": r.get("illustrative", _bool, default=False),
        }
        if data["volume_share"] is None and cells.get("volume_share") in (None, ""):
            data["volume_share"] = Decimal(1)
        shares.setdefault(part, []).append((data["volume_share"], number))
        if r.ok:
            out.append((Source(**data), number))
    for part, given in shares.items():
        if any(share is None for share, _ in given):
            continue  # a share that could not be read is already a problem
        total = sum((share for share, _ in given if share is not None), Decimal(0))
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.add(
                "sourcing",
                given[0][1],
                "volume_share",
                "shares_not_100",
                f"the volume shares of part {part} add up to {total:.4f}, not 1 (100%)",
                part_number=part,
                total=str(total),
            )
    return out, named


def _inputs(problems: _Problems, sheet: Sheet, hs: Callable[[Any], str]) -> list[tuple[SupplierInput, int]]:
    out = []
    for number, cells in sheet.rows:
        part = _text(cells.get("part_number"))
        r = _RowReader(problems, "supplier_inputs", number, cells, part)
        data = {
            "supplier": r.get("supplier", _text, required=True),
            "part_number": part,
            "input": r.get("input", _text, required=True),
            "hs_code": r.get("hs_code", hs),
            "quantity": r.get("quantity", _quantity, required=True),
            "unit_cost": r.get("unit_cost", _amount, required=True),
            "currency": r.get("currency", _currency, required=True),
            "origin_country": r.get("origin_country", _country, required=True),
            "input_supplier": r.get("input_supplier", _text),
            "price_date": r.get("price_date", _date),
            "illustrative": r.get("illustrative", _bool, default=False),
        }
        if part is None:
            r.fail("part_number", "required", "part_number is required")
        if r.ok:
            out.append((SupplierInput(**data), number))
    return out


def _check_rates(
    problems: _Problems,
    table: RateTable,
    vehicle: Vehicle | None,
    sourcing: list[tuple[Source, int]],
    inputs: list[tuple[SupplierInput, int]],
) -> None:
    def check(sheet: str, row: int, column: str, currency: str, day: date, part: str | None) -> None:
        try:
            table.uzs_per_unit(currency, day)
        except MissingRateError:
            params = {"currency": currency, "date": day.isoformat()}
            if part:
                params["part_number"] = part
            problems.add(
                sheet,
                row,
                column,
                "no_rate",
                f"no rate of {currency} on or before {day.isoformat()} in the rates sheet"
                + (f" (part {part})" if part else ""),
                **params,
            )

    if vehicle is not None:
        check("vehicle", 2, "own_cost_currency", vehicle.own_cost_currency, vehicle.price_date, None)
        if vehicle.exw_currency:
            check("vehicle", 2, "exw_currency", vehicle.exw_currency, vehicle.price_date, None)
    for source, row in sourcing:
        check("sourcing", row, "currency", source.currency, source.price_date, source.part_number)
    fallback = vehicle.price_date if vehicle else None
    for item, row in inputs:
        day = item.price_date or fallback
        if day is not None:
            check("supplier_inputs", row, "currency", item.currency, day, item.part_number)


def _check_bill(
    problems: _Problems, rows: dict[str, int], parents: dict[str, str | None], sourced: set[str]
) -> None:
    """Every line's cost is somewhere: it has a source, a bought assembly above it, or parts below."""
    with_children = {up for up in parents.values() if up}
    for part, row in rows.items():
        if part in sourced or part in with_children:
            continue
        at, hops = parents.get(part), 0
        while at is not None and at not in sourced and hops <= len(rows):
            at, hops = parents.get(at), hops + 1
        if at is None or hops > len(rows):
            problems.add(
                "bom",
                row,
                "part_number",
                "no_sourcing",
                f"part {part} has no sourcing (and no bought assembly above it)",
                part_number=part,
            )


def _check_input_cycles(problems: _Problems, inputs: list[tuple[SupplierInput, int]]) -> None:
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], int]]] = {}
    for item, row in inputs:
        owner = (supplier_key(item.supplier), item.part_number)
        edges.setdefault(owner, [])
        if item.input_supplier:
            edges[owner].append(((supplier_key(item.input_supplier), item.input), row))
    state: dict[tuple[str, str], int] = {}

    def visit(node: tuple[str, str]) -> bool:
        state[node] = 1
        for child, row in edges.get(node, []):
            if child not in edges:
                continue
            if state.get(child) == 1:
                problems.add(
                    "supplier_inputs",
                    row,
                    "input",
                    "input_cycle",
                    f"supplier inputs have a cycle through part {child[1]}",
                    part_number=child[1],
                )
                return True
            if child not in state and visit(child):
                return True
        state[node] = 2
        return False

    for node in list(edges):
        if node not in state:
            visit(node)


# ---------------------------------------------------------------- writing


def _cell(value: Any, *, text: bool) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ";".join(value) or None
    if isinstance(value, Unit | Incoterm):
        return value.value
    if text and isinstance(value, date):
        return value.isoformat()
    if text and isinstance(value, Decimal):
        return format(value, "f")
    return value


def vehicle_sheets(bill: VehicleBill, *, text: bool = False) -> dict[str, list[list[Any]]]:
    """The bill as sheets of rows (header first), in the columns of `COLUMNS`."""
    v = bill.vehicle
    records: dict[str, list[dict[str, Any]]] = {
        "vehicle": [v.model_dump()],
        "bom": [x.model_dump() for x in bill.bom],
        "sourcing": [x.model_dump() for x in bill.sourcing],
        "supplier_inputs": [x.model_dump() for x in bill.inputs],
        "rates": [
            {"currency": r.currency, "date": r.day, "uzs_per_unit": r.uzs_per_unit} for r in bill.rates
        ],
    }
    sheets = {}
    for name, columns in COLUMNS.items():
        rows: list[list[Any]] = [list(columns)]
        for record in records[name]:
            if record.get("hs_code"):
                record["hs_code"] = format_hs_code(record["hs_code"])
            rows.append([_cell(record.get(c), text=text) for c in columns])
        sheets[name] = rows
    return sheets


def write_vehicle_workbook(bill: VehicleBill) -> bytes:
    """The bill as an XLSX workbook that `read_vehicle_workbook` reads back to the same bill."""
    return write_xlsx(vehicle_sheets(bill))


def write_vehicle_csv(bill: VehicleBill) -> dict[str, bytes]:
    """The bill as CSV files named like the sheets (`bom.csv`, ...)."""
    return {f"{name}.csv": write_csv(rows) for name, rows in vehicle_sheets(bill, text=True).items()}
