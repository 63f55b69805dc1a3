"""Needs and capabilities from a workbook: sheets `capabilities` and `needs` (XLSX, or CSV
files named like the sheets), checked all at once.

All-or-nothing: every row is read and every problem collected; one bad row means nothing is
returned and one `ImportFileError` names each bad row and column. The parser stays pure: the
caller resolves suppliers, buyers and places through callbacks (the service plugs in the
registry's name search). Columns are documented in docs/matching.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ValidationError

from cooplab.core.spreadsheets import Sheet, read_workbook
from cooplab.errors import ImportFileError
from cooplab.feasibility.choices import Incoterm
from cooplab.matching.profiles import Capability, Certification, Location, Need, Offer, Texts, texts_of
from cooplab.matching.schemas import CapabilityPublic, NeedPublic
from cooplab.vocab.choices import Visibility
from cooplab.vocab.hs import normalize_hs_code
from cooplab.vocab.money import validate_currency
from cooplab.vocab.processes import parse_processes

CAPABILITY_COLUMNS = (
    "supplier",
    "hs_codes",
    "processes",
    "materials",
    "annual_capacity",
    "certifications",
    "site",
    "description",
)
NEED_COLUMNS = (
    "ref",
    "buyer",
    "hs_code",
    "part",
    "description",
    "annual_volume",
    "target_price",
    "currency",
    "processes",
    "certifications",
    "delivery_place",
    "deadline",
)
#: Columns read when present: the visibility of a profile, anonymous publication, the source of
#: the facts about a real company, the made-up mark, descriptions by language.
OPTIONAL_COLUMNS = (
    "visibility",
    "anonymous",
    "illustrative",
    "source",
    "as_of",
    "unit_price",
    "price_currency",
    "incoterm",
    "units_per_shipment",
    "description_ru",
    "description_uz",
    "description_en",
)
MAX_REPORTED = 200
#: The codes of the problems a workbook can have (docs/matching.md lists them), each with its
#: words in the domain's catalogs (`err.<code>`).
PROBLEM_CODES = (
    "sheets_missing",
    "column_missing",
    "supplier_missing",
    "supplier_unknown",
    "supplier_ambiguous",
    "buyer_missing",
    "buyer_unknown",
    "buyer_ambiguous",
    "place_unknown",
    "place_ambiguous",
    "hs_code_invalid",
    "process_unknown",
    "capacity_not_positive",
    "volume_not_positive",
    "price_not_positive",
    "unit_price_not_positive",
    "unit_price_currency_missing",
    "incoterm_invalid",
    "units_not_positive",
    "offer_without_price",
    "number_invalid",
    "number_not_whole",
    "currency_missing",
    "currency_invalid",
    "certification_expired",
    "certification_date_invalid",
    "certification_invalid",
    "date_invalid",
    "need_without_product",
    "capability_without_product",
    "ref_missing",
    "ref_duplicate",
    "visibility_invalid",
    "flag_invalid",
    "invalid_value",
)


@dataclass(frozen=True)
class OrganizationRef:
    """An organization of the registry as the parser needs it: id, name, tier, country."""

    id: int
    name: str
    tier: int | None = None
    country: str | None = None


ResolveOrganization = Callable[[str], Sequence[OrganizationRef]]
ResolvePlace = Callable[[str], Sequence[Location]]


class MatchingWorkbook(BaseModel):
    """What a workbook holds, every row valid."""

    capabilities: list[Capability] = []
    needs: list[Need] = []


class _Problems:
    """Every problem of the file, as error details."""

    def __init__(self) -> None:
        self.details: list[dict[str, Any]] = []

    def add(self, sheet: str, row: int, column: str, code: str, msg: str, **params: Any) -> None:
        self.details.append({"loc": [sheet, row, column], "msg": msg, "code": code, "params": params})

    def raise_if_any(self) -> None:
        if not self.details:
            return
        first = self.details[0]
        sheet, row, column = first["loc"]
        more = len(self.details) - 1
        message = f"{sheet} row {row}, {column}: {first['msg']}" + (f" (and {more} more)" if more else "")
        raise ImportFileError(message, details=self.details[:MAX_REPORTED])


def read_matching_workbook(
    files: Mapping[str, bytes],
    *,
    resolve_organization: ResolveOrganization,
    resolve_place: ResolvePlace,
    on: date,
) -> MatchingWorkbook:
    """Needs and capabilities from the files of a workbook (one XLSX, or CSV files named
    `capabilities.csv` and `needs.csv`); `on` is the import day (expired certificates are refused)."""
    return parse_matching_sheets(
        read_workbook(files), resolve_organization=resolve_organization, resolve_place=resolve_place, on=on
    )


def parse_matching_sheets(
    sheets: Mapping[str, Sheet],
    *,
    resolve_organization: ResolveOrganization,
    resolve_place: ResolvePlace,
    on: date,
) -> MatchingWorkbook:
    """Needs and capabilities from sheets already read (see `read_matching_workbook`)."""
    problems = _Problems()
    if "capabilities" not in sheets and "needs" not in sheets:
        problems.add(
            "workbook",
            0,
            "sheets",
            "sheets_missing",
            "the workbook needs a sheet named capabilities or needs",
            found=", ".join(sorted(sheets)) or "none",
        )
        problems.raise_if_any()
    reader = _Reader(problems, resolve_organization, resolve_place, on)
    result = MatchingWorkbook()
    for name, columns, read in (
        ("capabilities", CAPABILITY_COLUMNS, reader.capability),
        ("needs", NEED_COLUMNS, reader.need),
    ):
        sheet = sheets.get(name)
        if sheet is None:
            continue
        missing = [c for c in columns if c not in sheet.header]
        for column in missing:
            problems.add(name, 1, column, "column_missing", f"the column {column} is missing", name=column)
        if missing:
            continue
        for row, cells in sheet.rows:
            item = read(name, row, cells)
            if item is not None:
                (result.capabilities if name == "capabilities" else result.needs).append(item)  # type: ignore[arg-type]
    problems.raise_if_any()
    return result


class _Reader:
    """Reads one row at a time into a need or a capability, adding every problem it finds."""

    def __init__(
        self,
        problems: _Problems,
        resolve_organization: ResolveOrganization,
        resolve_place: ResolvePlace,
        on: date,
    ) -> None:
        self.problems = problems
        self.resolve_organization = resolve_organization
        self.resolve_place = resolve_place
        self.on = on
        self.refs: dict[str, int] = {}

    # -- rows

    def capability(self, sheet: str, row: int, cells: dict[str, Any]) -> Capability | None:
        before = len(self.problems.details)
        supplier = self.organization(sheet, row, "supplier", cells.get("supplier"), required=True)
        hs_codes = [
            c for c in (self.hs_code(sheet, row, "hs_codes", v) for v in _items(cells.get("hs_codes"))) if c
        ]
        processes = self.processes(sheet, row, cells.get("processes"))
        capacity = self.positive(
            sheet,
            row,
            "annual_capacity",
            cells.get("annual_capacity"),
            code="capacity_not_positive",
            what="an annual capacity",
        )
        certifications = self.certifications(sheet, row, cells.get("certifications"))
        sites = [
            s
            for s in (self.place(sheet, row, "site", v) for v in _items(cells.get("site"), commas=False))
            if s
        ]
        description = self.texts(cells)
        if (
            not hs_codes
            and not processes
            and not description.values()
            and len(self.problems.details) == before
        ):
            self.problems.add(
                sheet,
                row,
                "hs_codes",
                "capability_without_product",
                "a capability names what it makes: HS codes, processes or a description",
            )
        offer = self.offer(sheet, row, cells)
        extra = self.extras(sheet, row, cells)
        if len(self.problems.details) > before or supplier is None:
            return None
        return self.build(
            Capability,
            sheet,
            row,
            supplier_id=supplier.id,
            supplier=supplier.name,
            supplier_tier=supplier.tier,
            supplier_country=supplier.country,
            hs_codes=hs_codes,
            processes=processes,
            materials=list(_items(cells.get("materials"))),
            annual_capacity=capacity,
            certifications=certifications,
            sites=sites,
            description=description,
            offer=offer,
            **extra,
        )

    def need(self, sheet: str, row: int, cells: dict[str, Any]) -> Need | None:
        before = len(self.problems.details)
        ref = _text(cells.get("ref"))
        if not ref:
            self.problems.add(sheet, row, "ref", "ref_missing", "a need needs its ref (its own key)")
        elif ref in self.refs:
            self.problems.add(
                sheet,
                row,
                "ref",
                "ref_duplicate",
                f"the ref {ref} is also on row {self.refs[ref]}",
                ref=ref,
                other_row=self.refs[ref],
            )
        else:
            self.refs[ref] = row
        buyer = self.organization(sheet, row, "buyer", cells.get("buyer"), required=True)
        raw_hs = cells.get("hs_code")
        hs_code = self.hs_code(sheet, row, "hs_code", raw_hs) if _text(raw_hs) else None
        part = _text(cells.get("part"))
        description = self.texts(cells)
        if not _text(raw_hs) and not part and not description.values():
            self.problems.add(
                sheet,
                row,
                "hs_code",
                "need_without_product",
                "a need names its product: an HS code, a part or a description",
            )
        volume = self.positive(
            sheet,
            row,
            "annual_volume",
            cells.get("annual_volume"),
            code="volume_not_positive",
            what="an annual volume",
        )
        price = self.price(sheet, row, cells.get("target_price"))
        currency = self.currency(sheet, row, cells.get("currency"), price)
        processes = self.processes(sheet, row, cells.get("processes"))
        certifications = [
            c.name for c in self.certifications(sheet, row, cells.get("certifications"), dates=False)
        ]
        place_text = _text(cells.get("delivery_place"))
        place = self.place(sheet, row, "delivery_place", place_text) if place_text else None
        deadline = self.day(sheet, row, "deadline", cells.get("deadline"))
        extra = self.extras(sheet, row, cells)
        extra.pop("source", None)
        extra.pop("as_of", None)
        if len(self.problems.details) > before or buyer is None:
            return None
        return self.build(
            Need,
            sheet,
            row,
            ref=ref,
            buyer_id=buyer.id,
            buyer=buyer.name,
            buyer_tier=buyer.tier,
            hs_code=hs_code,
            part=part,
            description=description,
            annual_volume=volume,
            target_price=price,
            currency=currency,
            processes=processes,
            certifications=certifications,
            delivery_place=place,
            deadline=deadline,
            **extra,
        )

    def build(self, model: type[BaseModel], sheet: str, row: int, **values: Any) -> Any:
        try:
            return model(**values)
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else "row"
                self.problems.add(sheet, row, column, "invalid_value", err["msg"])
            return None

    # -- cells

    def organization(
        self, sheet: str, row: int, column: str, value: Any, *, required: bool
    ) -> OrganizationRef | None:
        text = _text(value)
        if not text:
            if required:
                self.problems.add(sheet, row, column, f"{column}_missing", f"the {column} is missing")
            return None
        found = list(self.resolve_organization(text))
        if not found:
            self.problems.add(
                sheet,
                row,
                column,
                f"{column}_unknown",
                f"no organization is called {text!r} (give its registry id or a name it has)",
                name=text,
            )
            return None
        if len({o.id for o in found}) > 1:
            names = "; ".join(f"{o.name} (id {o.id})" for o in found[:5])
            self.problems.add(
                sheet,
                row,
                column,
                f"{column}_ambiguous",
                f"{text!r} names several organizations: {names}; give the registry id",
                name=text,
                candidates=names,
            )
            return None
        return found[0]

    def place(self, sheet: str, row: int, column: str, value: Any) -> Location | None:
        text = _text(value)
        if not text:
            return None
        found = list(self.resolve_place(text))
        if not found:
            self.problems.add(
                sheet,
                row,
                column,
                "place_unknown",
                f"no place with coordinates is called {text!r}",
                name=text,
            )
            return None
        if len({(p.latitude, p.longitude) for p in found}) > 1:
            names = "; ".join(p.name for p in found[:5])
            self.problems.add(
                sheet,
                row,
                column,
                "place_ambiguous",
                f"{text!r} names several places: {names}",
                name=text,
                candidates=names,
            )
            return None
        return found[0]

    def hs_code(self, sheet: str, row: int, column: str, value: Any) -> str | None:
        text = _number_text(value)
        try:
            return normalize_hs_code(text)
        except ValueError as exc:
            self.problems.add(sheet, row, column, "hs_code_invalid", str(exc), value=text)
            return None

    def processes(self, sheet: str, row: int, value: Any) -> list[Any]:
        found = []
        for item in _items(value):
            try:
                found.extend(parse_processes(item))
            except ValueError:
                self.problems.add(
                    sheet,
                    row,
                    "processes",
                    "process_unknown",
                    f"unknown process {item!r} (see the list in docs/matching.md)",
                    process=item,
                )
        return list(dict.fromkeys(found))

    def positive(self, sheet: str, row: int, column: str, value: Any, *, code: str, what: str) -> int | None:
        if _text(value) is None:
            return None
        number = _number(value)
        if number is None:
            self.problems.add(
                sheet, row, column, "number_invalid", f"{_text(value)!r} is not a number", value=_text(value)
            )
            return None
        if number <= 0:
            self.problems.add(sheet, row, column, code, f"{what} must be above zero", value=str(number))
            return None
        if number != int(number):
            self.problems.add(
                sheet,
                row,
                column,
                "number_not_whole",
                f"{what} is a whole number of units",
                value=str(number),
            )
            return None
        return int(number)

    def price(
        self,
        sheet: str,
        row: int,
        value: Any,
        column: str = "target_price",
        code: str = "price_not_positive",
    ) -> Decimal | None:
        if _text(value) is None:
            return None
        number = _number(value)
        if number is None:
            self.problems.add(
                sheet, row, column, "number_invalid", f"{_text(value)!r} is not a number", value=_text(value)
            )
            return None
        if number <= 0:
            self.problems.add(sheet, row, column, code, "a price must be above zero", value=str(number))
            return None
        return number

    def currency(
        self,
        sheet: str,
        row: int,
        value: Any,
        price: Decimal | None,
        column: str = "currency",
        code: str = "currency_missing",
    ) -> str | None:
        text = _text(value)
        if not text:
            if price is not None:
                self.problems.add(sheet, row, column, code, "a price needs its currency")
            return None
        try:
            return validate_currency(text)
        except ValueError as exc:
            self.problems.add(sheet, row, column, "currency_invalid", str(exc), value=text)
            return None

    def offer(self, sheet: str, row: int, cells: dict[str, Any]) -> Offer | None:
        """The optional offer of a capability: unit price, its currency, Incoterm, units a truck."""
        price = self.price(sheet, row, cells.get("unit_price"), "unit_price", "unit_price_not_positive")
        currency = self.currency(
            sheet, row, cells.get("price_currency"), price, "price_currency", "unit_price_currency_missing"
        )
        raw_term = _text(cells.get("incoterm"))
        incoterm = None
        if raw_term:
            try:
                incoterm = Incoterm(raw_term.upper())
            except ValueError:
                known = ", ".join(i.value for i in Incoterm)
                self.problems.add(
                    sheet,
                    row,
                    "incoterm",
                    "incoterm_invalid",
                    f"{raw_term!r} is not an Incoterm ({known})",
                    value=raw_term,
                )
        units = self.positive(
            sheet,
            row,
            "units_per_shipment",
            cells.get("units_per_shipment"),
            code="units_not_positive",
            what="the units one truck carries",
        )
        if _text(cells.get("unit_price")) is None:
            if raw_term or units is not None:
                column = "incoterm" if raw_term else "units_per_shipment"
                self.problems.add(
                    sheet, row, column, "offer_without_price", "an offer's terms need its unit price"
                )
            return None
        if price is None or currency is None:
            return None
        return Offer(
            unit_price=price,
            currency=currency,
            incoterm=incoterm or Incoterm.FCA,
            units_per_shipment=units,
        )

    def certifications(self, sheet: str, row: int, value: Any, *, dates: bool = True) -> list[Certification]:
        found = []
        for item in _items(value):
            name, _, expiry = item.partition(":")
            expires = None
            if dates and expiry.strip() and not _is_standard_year(expiry):
                expires = _parse_day(expiry.strip())
                if expires is None:
                    self.problems.add(
                        sheet,
                        row,
                        "certifications",
                        "certification_date_invalid",
                        f"{item!r}: the expiry must be a date YYYY-MM-DD",
                        certification=item,
                    )
                    continue
                if expires < self.on:
                    self.problems.add(
                        sheet,
                        row,
                        "certifications",
                        "certification_expired",
                        f"{name.strip()} expired on {expires.isoformat()}; renew it or leave it out",
                        certification=name.strip(),
                        expires=expires.isoformat(),
                    )
                    continue
            try:
                found.append(Certification(name=name.strip() if dates else item.strip(), expires=expires))
            except ValidationError:
                self.problems.add(
                    sheet,
                    row,
                    "certifications",
                    "certification_invalid",
                    f"{item!r} is not a certification name",
                    certification=item,
                )
        return found

    def day(self, sheet: str, row: int, column: str, value: Any) -> date | None:
        if _text(value) is None:
            return None
        parsed = _parse_day(value)
        if parsed is None:
            self.problems.add(
                sheet,
                row,
                column,
                "date_invalid",
                f"{_text(value)!r} is not a date YYYY-MM-DD",
                value=_text(value),
            )
        return parsed

    def texts(self, cells: dict[str, Any]) -> Texts:
        base = texts_of(_text(cells.get("description")))
        by_lang = {lang: _text(cells.get(f"description_{lang}")) for lang in ("ru", "uz", "en")}
        merged = {lang: by_lang[lang] or getattr(base, lang) for lang in ("ru", "uz", "en")}
        return Texts(**merged)

    def extras(self, sheet: str, row: int, cells: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        visibility = _text(cells.get("visibility"))
        if visibility:
            try:
                out["visibility"] = Visibility(visibility.lower())
            except ValueError:
                known = ", ".join(v.value for v in Visibility)
                self.problems.add(
                    sheet,
                    row,
                    "visibility",
                    "visibility_invalid",
                    f"{visibility!r} is not a visibility ({known})",
                    value=visibility,
                )
        for flag in ("anonymous", "illustrative"):
            raw = _text(cells.get(flag))
            if raw:
                value = _flag(raw)
                if value is None:
                    self.problems.add(
                        sheet, row, flag, "flag_invalid", f"{raw!r} is not yes or no", value=raw
                    )
                else:
                    out[flag] = value
        if _text(cells.get("source")):
            out["source"] = _text(cells.get("source"))
        if _text(cells.get("as_of")):
            out["as_of"] = self.day(sheet, row, "as_of", cells.get("as_of"))
        return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number_text(value: Any) -> str:
    return _text(value) or ""


def _items(value: Any, *, commas: bool = True) -> list[str]:
    """The items of a list cell: separated by `;` (and by `,` where an item cannot hold one)."""
    text = _text(value)
    if not text:
        return []
    if commas:
        text = text.replace(",", ";")
    return [part.strip() for part in text.split(";") if part.strip()]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,200,000 or 1,200.50
        text = text.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}(,\d+)?", text):  # 1.200.000 or 1.200.000,50
        text = text.replace(".", "").replace(",", ".")
    else:  # 38,5 (a decimal comma)
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _parse_day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)  # 01.03.2027, as Russian files write it
    try:
        if dotted:
            return date(int(dotted.group(3)), int(dotted.group(2)), int(dotted.group(1)))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _is_standard_year(suffix: str) -> bool:
    """ "ISO 9001:2015" names the edition of the standard, not an expiry date."""
    return suffix.strip().isdigit() and len(suffix.strip()) == 4


def _flag(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in {"yes", "true", "1", "да", "ha", "x"}:
        return True
    if lowered in {"no", "false", "0", "нет", "yo'q", "yoq"}:
        return False
    return None


# ---------------------------------------------------------------- export in the import's columns

#: The needs sheet as an export writes it: the import's columns and the optional ones a need has,
#: so that a file exported, corrected and imported again updates the same needs.
NEED_EXPORT_COLUMNS = (
    *NEED_COLUMNS,
    "visibility",
    "anonymous",
    "illustrative",
    "description_ru",
    "description_uz",
    "description_en",
)


#: The capabilities sheet as an export writes it: the import's columns and the optional ones a
#: capability has. A capability has no key of its own: a file imported again adds its rows anew.
CAPABILITY_EXPORT_COLUMNS = (
    *CAPABILITY_COLUMNS,
    "unit_price",
    "price_currency",
    "incoterm",
    "units_per_shipment",
    "visibility",
    "anonymous",
    "illustrative",
    "source",
    "as_of",
    "description_ru",
    "description_uz",
    "description_en",
)


def capability_sheet(capabilities: Iterable[CapabilityPublic]) -> list[list[Any]]:
    """The rows of a capabilities sheet (the header first) for the capabilities given, as the reader
    sees them: an anonymous capability whose supplier is not named to the reader has that cell
    empty. A certificate with an expiry is written as the import reads it (`IATF 16949:2027-05-01`)."""
    rows: list[list[Any]] = [list(CAPABILITY_EXPORT_COLUMNS)]
    for cap in capabilities:
        offer = cap.offer
        rows.append(
            [
                cap.supplier or "",
                ", ".join(cap.hs_codes),
                ", ".join(cap.processes),
                ", ".join(cap.materials),
                cap.annual_capacity,
                ", ".join(
                    f"{c.name}:{c.expires.isoformat()}" if c.expires else c.name for c in cap.certifications
                ),
                "; ".join(site.name for site in cap.sites),
                "",
                offer.unit_price if offer else None,
                offer.currency if offer else "",
                offer.incoterm.value if offer else "",
                offer.units_per_shipment if offer else None,
                cap.visibility,
                "yes" if cap.anonymous else "no",
                "yes" if cap.illustrative else "no",
                cap.source or "",
                cap.as_of,
                cap.description.ru or "",
                cap.description.uz or "",
                cap.description.en or "",
            ]
        )
    return rows


def need_sheet(needs: Iterable[NeedPublic]) -> list[list[Any]]:
    """The rows of a needs sheet (the header first) for the needs given, as the reader sees them: an
    anonymous need whose buyer is not named to the reader has its buyer cell empty."""
    rows: list[list[Any]] = [list(NEED_EXPORT_COLUMNS)]
    for need in needs:
        rows.append(
            [
                need.ref,
                need.buyer or "",
                need.hs_code or "",
                need.part or "",
                "",
                need.annual_volume,
                need.target_price,
                need.currency or "",
                ", ".join(need.processes),
                ", ".join(need.certifications),
                need.delivery_place.name if need.delivery_place else "",
                need.deadline,
                need.visibility,
                "yes" if need.anonymous else "no",
                "yes" if need.illustrative else "no",
                need.description.ru or "",
                need.description.uz or "",
                need.description.en or "",
            ]
        )
    return rows
