"""Tables of matchmaking: needs (what a buyer wants localized or sourced), capabilities (what a
supplier can make) and the marks users give on matches.

A need belongs to its buyer and a capability to its supplier: both are confidential records (by
default seen by their organization only) and published by widening their visibility; either
may be published anonymously (its organization is then not named to other readers). Lists the
core's profiles need whole (HS codes, processes, materials, certificates with their expiry,
sites with coordinates) are JSON columns of the row they belong to. Feedback is seen with its
need. Every write the kept capability table depends on is logged in `changelog` (its table is
declared there).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cooplab.core.confidential import Confidential, Versioned
from cooplab.core.revision import watch
from cooplab.db.base import Base, TimestampMixin
from cooplab.matching.changelog import CapabilityChange
from cooplab.vocab.choices import Visibility


class Need(Confidential, Versioned, TimestampMixin, Base):
    """What a buyer (an OEM or a Tier-1) wants made: a request profile, keyed by its ref within
    its buyer."""

    __tablename__ = "needs"
    __table_args__ = (UniqueConstraint("buyer_organization_id", "ref"),)
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.ORGANIZATION
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), index=True)
    buyer_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    hs_code: Mapped[str | None] = mapped_column(String(12), index=True)
    part: Mapped[str | None] = mapped_column(String(300))
    description_ru: Mapped[str | None] = mapped_column(Text)
    description_uz: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    annual_volume: Mapped[int | None] = mapped_column(BigInteger)
    target_price: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
    currency: Mapped[str | None] = mapped_column(String(3))
    processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    delivery_place: Mapped[str | None] = mapped_column(String(300))
    delivery_place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    delivery_latitude: Mapped[float | None] = mapped_column(Float)
    delivery_longitude: Mapped[float | None] = mapped_column(Float)
    deadline: Mapped[date | None] = mapped_column(Date)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A need's party: its buyer."""
        return cls.buyer_organization_id == organization_id

    def parties(self) -> set[int]:
        return {self.buyer_organization_id}


class Capability(Confidential, Versioned, TimestampMixin, Base):
    """What a supplier can make: an offer profile (a supplier may have several)."""

    __tablename__ = "capabilities"
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.ORGANIZATION
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    hs_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    processes: Mapped[list[str]] = mapped_column(JSON, default=list)
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    annual_capacity: Mapped[int | None] = mapped_column(BigInteger)
    #: [{"name", "expires": "YYYY-MM-DD" or null}]
    certifications: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: [{"name", "place_id", "latitude", "longitude"}]
    sites: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    description_ru: Mapped[str | None] = mapped_column(Text)
    description_uz: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(500))
    as_of: Mapped[date | None] = mapped_column(Date)
    #: the offer, when stated: a unit price under an Incoterm at the first site
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    price_currency: Mapped[str | None] = mapped_column(String(3))
    incoterm: Mapped[str | None] = mapped_column(String(3))
    units_per_shipment: Mapped[int | None] = mapped_column(Integer)

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A capability's party: its supplier."""
        return cls.supplier_organization_id == organization_id

    def parties(self) -> set[int]:
        return {self.supplier_organization_id}


class MatchFeedback(TimestampMixin, Base):
    """One user's mark on a supplier shown for a need: relevant or not (the latest counts)."""

    __tablename__ = "match_feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    supplier_organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    capability_id: Mapped[int | None] = mapped_column(ForeignKey("capabilities.id", ondelete="SET NULL"))
    judgement: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Stamp(IntEnum):
    """Matchmaking's revision stamps (cooplab.core.revision; the registry's are 1 and 2, the
    catalog's 3): `CAPABILITIES` moves with every write to a capability or an organization (a
    supplier's tier, country, name or merge), so the capability table and its candidate index
    kept in memory are rebuilt after any of them; `NEEDS` the same for needs."""

    CAPABILITIES = 4
    NEEDS = 5


watch(Stamp.CAPABILITIES, {"capabilities", "organizations"})
watch(Stamp.NEEDS, {"needs", "organizations"})

__all__ = ["Capability", "CapabilityChange", "MatchFeedback", "Need", "Stamp"]
