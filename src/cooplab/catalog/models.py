"""Tables of the catalog: vehicles, their multi-level bills of materials, who supplies each part
from where at what price (sourcing), the suppliers' own inputs (Tier-2 and deeper) and the rate
table.

A vehicle, its BOM lines and its own cost belong to its OEM: the vehicle is a confidential
record (by default seen by its organization only), and its lines go with it. Sourcing rows and
supplier inputs carry prices and shares: each is confidential on its own, seen by its parties
(the OEM and the supplier), so a competitor never sees nor counts them. Rates are shared.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cooplab.core.confidential import Confidential, Versioned
from cooplab.core.revision import watch
from cooplab.db.base import Base, TimestampMixin
from cooplab.registry.models import Organization
from cooplab.vocab.choices import Visibility

MONEY = Numeric(20, 6)
SHARE = Numeric(9, 6)
QUANTITY = Numeric(20, 6)


class Vehicle(Confidential, Versioned, TimestampMixin, Base):
    """A vehicle model of an OEM, with its volume and the OEM's own cost and ex-works price."""

    __tablename__ = "vehicles"
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.ORGANIZATION
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    oem: Mapped[str] = mapped_column(String(200))
    oem_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    brand: Mapped[str | None] = mapped_column(String(200))
    hs_code: Mapped[str] = mapped_column(String(12))
    production_country: Mapped[str] = mapped_column(String(2))
    annual_volume: Mapped[int] = mapped_column(Integer)
    volume_year: Mapped[int | None] = mapped_column(Integer)
    volume_source: Mapped[str | None] = mapped_column(String(500))
    own_cost: Mapped[Decimal] = mapped_column(MONEY)
    own_cost_currency: Mapped[str] = mapped_column(String(3))
    exw_price: Mapped[Decimal | None] = mapped_column(MONEY)
    exw_currency: Mapped[str | None] = mapped_column(String(3))
    price_date: Mapped[date] = mapped_column(Date)
    operations: Mapped[list[str]] = mapped_column(JSON, default=list)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    oem_organization: Mapped[Organization | None] = relationship(
        lazy="joined", foreign_keys=[oem_organization_id]
    )
    lines: Mapped[list[BomLine]] = relationship(
        back_populates="vehicle", cascade="all, delete-orphan", order_by="BomLine.position"
    )

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A vehicle's party: its OEM."""
        return cls.oem_organization_id == organization_id

    def parties(self) -> set[int]:
        return {self.oem_organization_id} if self.oem_organization_id is not None else set()


class BomLine(Base):
    """One line of the bill: a part, its parent line (none at the top) and how many go into it."""

    __tablename__ = "bom_lines"
    __table_args__ = (UniqueConstraint("vehicle_id", "part_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    part_number: Mapped[str] = mapped_column(String(80))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bom_lines.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    hs_code: Mapped[str | None] = mapped_column(String(12))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(10))
    vehicle: Mapped[Vehicle] = relationship(back_populates="lines")
    parent: Mapped[BomLine | None] = relationship(remote_side=[id])


class Sourcing(Confidential, TimestampMixin, Base):
    """Who supplies a part (a registry organization), from which country, at what price, with
    which share of the volume and of imported inputs. Seen by its parties: the OEM and the
    supplier."""

    __tablename__ = "sourcing"
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.PARTIES
    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("bom_lines.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(String(200))
    supplier_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    production_country: Mapped[str] = mapped_column(String(2))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    price_date: Mapped[date] = mapped_column(Date)
    incoterm: Mapped[str | None] = mapped_column(String(3))
    volume_share: Mapped[Decimal] = mapped_column(SHARE)
    imported_share: Mapped[Decimal | None] = mapped_column(SHARE)
    operations: Mapped[list[str]] = mapped_column(JSON, default=list)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    line: Mapped[BomLine] = relationship()

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A source's parties: its supplier and the vehicle's OEM (the owner)."""
        return or_(
            cls.supplier_organization_id == organization_id, cls.owner_organization_id == organization_id
        )

    def parties(self) -> set[int]:
        found = (self.supplier_organization_id, self.owner_organization_id)
        return {i for i in found if i is not None}


class SupplierInput(Confidential, TimestampMixin, Base):
    """A supplier's own input to one unit of a part it makes (Tier-2 and deeper), with its cost
    and origin. Seen by its parties: the supplier whose bill it is and the vehicle's OEM."""

    __tablename__ = "supplier_inputs"
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.PARTIES
    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    supplier: Mapped[str] = mapped_column(String(200))
    supplier_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    part_number: Mapped[str] = mapped_column(String(80))
    input: Mapped[str] = mapped_column(String(120))
    hs_code: Mapped[str | None] = mapped_column(String(12))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_cost: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    origin_country: Mapped[str] = mapped_column(String(2))
    input_supplier: Mapped[str | None] = mapped_column(String(200))
    price_date: Mapped[date | None] = mapped_column(Date)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """An input's parties: the supplier whose input it is and the vehicle's OEM (the owner)."""
        return or_(
            cls.supplier_organization_id == organization_id, cls.owner_organization_id == organization_id
        )

    def parties(self) -> set[int]:
        found = (self.supplier_organization_id, self.owner_organization_id)
        return {i for i in found if i is not None}


class CurrencyRate(TimestampMixin, Base):
    """How many sum one unit of a currency was worth from a date on (the rate table users edit;
    no live rates)."""

    __tablename__ = "currency_rates"
    __table_args__ = (UniqueConstraint("currency", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    uzs_per_unit: Mapped[Decimal] = mapped_column(Numeric(24, 10))


class Stamp(IntEnum):
    """The catalog's revision stamp (cooplab.core.revision; the registry's are 1 and 2): `BILLS`
    moves with every write to a vehicle, its bill, sourcing, supplier inputs or the rates, so a
    bill kept flat for the localization methods is rebuilt after any of them."""

    BILLS = 3


# organizations too: deleting one changes, through the database alone, whose rows a bill shows
watch(
    Stamp.BILLS, {"vehicles", "bom_lines", "sourcing", "supplier_inputs", "currency_rates", "organizations"}
)
