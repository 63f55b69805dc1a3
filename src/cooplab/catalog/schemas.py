"""The vehicle model in memory: a vehicle, its multi-level bill of materials, who supplies each
part from where at what price, the suppliers' own inputs (any depth) and the rates.

Plain pydantic values, never ORM objects: the workbook reader builds them, a service can build
them from the database, and the localization methods read them (through `flatten_bill`).
Money is `Decimal` with its currency and date; shares are fractions 0-1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from cooplab.core.schemas import IsoDate
from cooplab.vocab.countries import validate_country
from cooplab.vocab.hs import normalize_hs_code
from cooplab.vocab.money import Rate, RateTable, validate_currency


class Unit(StrEnum):
    """Unit a quantity is counted in."""

    PIECE = "pcs"
    SET = "set"
    KILOGRAM = "kg"
    GRAM = "g"
    METRE = "m"
    SQUARE_METRE = "m2"
    LITRE = "l"


#: Spellings of units accepted in files, besides the codes themselves.
UNIT_ALIASES = {
    "шт": Unit.PIECE,
    "шт.": Unit.PIECE,
    "pc": Unit.PIECE,
    "piece": Unit.PIECE,
    "ea": Unit.PIECE,
    "компл": Unit.SET,
    "компл.": Unit.SET,
    "кг": Unit.KILOGRAM,
    "г": Unit.GRAM,
    "м": Unit.METRE,
    "м2": Unit.SQUARE_METRE,
    "м²": Unit.SQUARE_METRE,
    "л": Unit.LITRE,
}


class Incoterm(StrEnum):
    """Delivery term of a price (Incoterms 2020)."""

    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CFR = "CFR"
    CIF = "CIF"
    CPT = "CPT"
    CIP = "CIP"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"


Currency = Annotated[str, AfterValidator(validate_currency)]
Country = Annotated[str, AfterValidator(validate_country)]
HsCode = Annotated[str, AfterValidator(normalize_hs_code)]
Share = Annotated[Decimal, Field(ge=0, le=1)]
SupplierRef = int | str


def supplier_key(name: str | None, supplier_id: SupplierRef | None = None) -> str:
    """The key suppliers are matched by: the registry id when known, else the name folded."""
    if supplier_id is not None:
        return f"#{supplier_id}"
    return " ".join((name or "").split()).casefold()


class Strict(BaseModel):
    """Base of the catalog values: unknown fields are refused, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Vehicle(Strict):
    """A vehicle model of an OEM with the figures the localization methods need."""

    code: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    oem: str = Field(min_length=1, max_length=200, description="the OEM as named in the file")
    oem_id: SupplierRef | None = None
    brand: str | None = None
    hs_code: HsCode = "8703"
    production_country: Country = "UZ"
    annual_volume: int = Field(ge=0)
    volume_year: int | None = Field(None, ge=1900, le=2100)
    volume_source: str | None = None
    own_cost: Decimal = Field(ge=0, description="the OEM's own conversion cost per vehicle")
    own_cost_currency: Currency
    exw_price: Decimal | None = Field(None, gt=0, description="ex-works price of the vehicle")
    exw_currency: Currency | None = None
    price_date: date
    operations: tuple[str, ...] = Field((), description="Decree 719 operations done at the plant")
    illustrative: bool = False

    @model_validator(mode="after")
    def _exw_currency(self) -> Vehicle:
        """An ex-works price without a currency is in the own cost's currency."""
        if self.exw_price is not None and self.exw_currency is None:
            object.__setattr__(self, "exw_currency", self.own_cost_currency)
        return self


class BomLine(Strict):
    """One line of a multi-level bill of materials: a part and how many go into its parent."""

    part_number: str = Field(min_length=1, max_length=80)
    parent: str | None = None
    name: str = Field(min_length=1, max_length=300)
    hs_code: HsCode | None = None
    quantity: Decimal = Field(gt=0)
    unit: Unit = Unit.PIECE


class Source(Strict):
    """Who supplies a part, from which country, at what price and for which share of volume."""

    part_number: str
    supplier: str = Field(min_length=1, max_length=200, description="the supplier as named")
    supplier_id: SupplierRef | None = None
    production_country: Country
    unit_price: Decimal = Field(ge=0)
    currency: Currency
    price_date: date
    incoterm: Incoterm | None = None
    volume_share: Share = Decimal(1)
    imported_share: Share | None = Field(
        None, description="share of the price that is imported inputs, when no inputs are given"
    )
    operations: tuple[str, ...] = Field((), description="Decree 719 operations the supplier does")
    illustrative: bool = False


class SupplierInput(Strict):
    """A supplier's own input to one unit of a part (Tier-2 and deeper): what, how much, at what
    cost, from where, and who supplies it (whose own inputs may be listed in turn)."""

    supplier: str
    part_number: str
    input: str = Field(min_length=1, max_length=120)
    hs_code: HsCode | None = None
    quantity: Decimal = Field(gt=0)
    unit_cost: Decimal = Field(ge=0)
    currency: Currency
    origin_country: Country
    input_supplier: str | None = None
    price_date: date | None = Field(None, description="date of the cost; the part's price date when empty")
    illustrative: bool = False


class VehicleBill(Strict):
    """Everything about one vehicle that its localization level is computed from."""

    vehicle: Vehicle
    bom: tuple[BomLine, ...]
    sourcing: tuple[Source, ...]
    inputs: tuple[SupplierInput, ...] = ()
    rates: tuple[Rate, ...] = ()

    @property
    def illustrative(self) -> bool:
        """Whether any figure of the bill is illustrative (the mark every result carries)."""
        return (
            self.vehicle.illustrative
            or any(s.illustrative for s in self.sourcing)
            or any(i.illustrative for i in self.inputs)
        )


# ---------------------------------------------------------------- stored vehicles, as answered


@dataclass
class BillColumns:
    """A bill as plain columns (lists of equal length per table), the form a service reads from
    the database without building objects; `from_bill` makes one from a `VehicleBill`."""

    vehicle: Vehicle
    rates: RateTable
    part_number: list[str]
    parent: list[str | None]
    name: list[str]
    hs_code: list[str | None]
    quantity: Sequence[Any]
    s_part: list[str]
    s_supplier: list[str]
    s_supplier_id: list[Any]
    s_country: list[str]
    s_price: Sequence[Any]
    s_currency: list[str]
    s_date: list[date]
    s_share: Sequence[Any]
    s_imported_share: list[Any]
    s_operations: list[tuple[str, ...]]
    s_illustrative: list[bool]
    i_supplier: list[str] = field(default_factory=list)
    i_part: list[str] = field(default_factory=list)
    i_input: list[str] = field(default_factory=list)
    i_hs_code: list[str | None] = field(default_factory=list)
    i_quantity: Sequence[Any] = field(default_factory=list)
    i_cost: Sequence[Any] = field(default_factory=list)
    i_currency: list[str] = field(default_factory=list)
    i_date: list[date | None] = field(default_factory=list)
    i_origin: list[str] = field(default_factory=list)
    i_input_supplier: list[str | None] = field(default_factory=list)
    i_illustrative: list[bool] = field(default_factory=list)

    @classmethod
    def from_bill(cls, bill: VehicleBill) -> BillColumns:
        """The columns of a bill."""
        b, s, i = bill.bom, bill.sourcing, bill.inputs
        return cls(
            vehicle=bill.vehicle,
            rates=RateTable.of(bill.rates),
            part_number=[x.part_number for x in b],
            parent=[x.parent for x in b],
            name=[x.name for x in b],
            hs_code=[x.hs_code for x in b],
            quantity=[x.quantity for x in b],
            s_part=[x.part_number for x in s],
            s_supplier=[x.supplier for x in s],
            s_supplier_id=[x.supplier_id for x in s],
            s_country=[x.production_country for x in s],
            s_price=[x.unit_price for x in s],
            s_currency=[x.currency for x in s],
            s_date=[x.price_date for x in s],
            s_share=[x.volume_share for x in s],
            s_imported_share=[x.imported_share for x in s],
            s_operations=[x.operations for x in s],
            s_illustrative=[x.illustrative for x in s],
            i_supplier=[x.supplier for x in i],
            i_part=[x.part_number for x in i],
            i_input=[x.input for x in i],
            i_hs_code=[x.hs_code for x in i],
            i_quantity=[x.quantity for x in i],
            i_cost=[x.unit_cost for x in i],
            i_currency=[x.currency for x in i],
            i_date=[x.price_date for x in i],
            i_origin=[x.origin_country for x in i],
            i_input_supplier=[x.input_supplier for x in i],
            i_illustrative=[x.illustrative for x in i],
        )


class StoredSource(BaseModel):
    """A source of a part as the reader may see it."""

    supplier: str
    supplier_id: int | None
    production_country: str
    unit_price: Decimal
    currency: str
    price_date: date
    incoterm: str | None
    volume_share: Decimal
    imported_share: Decimal | None
    illustrative: bool


class StoredLine(BaseModel):
    """A BOM line with its depth in the tree and the sources the reader may see."""

    part_number: str
    parent: str | None
    depth: int
    name: str
    hs_code: str | None
    quantity: Decimal
    unit: str
    sources: list[StoredSource] = []


class VehicleSummary(BaseModel):
    """A stored vehicle in a list."""

    id: int
    code: str
    name: str
    oem: str
    oem_id: int | None
    brand: str | None
    annual_volume: int
    volume_year: int | None
    lines: int
    illustrative: bool
    visibility: str


class VehicleDetail(VehicleSummary):
    """A stored vehicle with its figures and its bill as a tree (parents before children)."""

    hs_code: str
    production_country: str
    volume_source: str | None
    own_cost: Decimal
    own_cost_currency: str
    exw_price: Decimal | None
    exw_currency: str | None
    price_date: date
    operations: list[str]
    bom: list[StoredLine]


class VehicleImported(BaseModel):
    """What an import stored."""

    id: int
    code: str
    replaced: bool
    lines: int
    sources: int
    inputs: int
    rates: int
    illustrative: bool


class RateIn(Strict):
    """A rate entered by hand: how many sum one unit of `currency` is worth from `day` on."""

    currency: Currency
    day: IsoDate
    uzs_per_unit: Decimal = Field(gt=0)


class RatePublic(BaseModel):
    """A rate of the table."""

    currency: str
    day: date
    uzs_per_unit: Decimal
