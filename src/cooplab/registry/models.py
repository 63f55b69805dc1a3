"""Tables of the registry (SQLAlchemy 2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    or_,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from cooplab.core.confidential import Confidential
from cooplab.core.revision import watch
from cooplab.db.base import Base, TimestampMixin, utcnow
from cooplab.vocab.choices import Visibility


class Source(TimestampMixin, Base):
    """A document a fact comes from: a page, a report, a register extract."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    published: Mapped[date | None] = mapped_column(Date)
    as_of: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Citation(Base):
    """A source backing one fact of a record (`field` names the fact; empty: the whole record)."""

    __tablename__ = "citations"
    __table_args__ = (Index("ix_citations_subject", "subject_type", "subject_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(60))
    source: Mapped[Source] = relationship(lazy="joined")


class Place(TimestampMixin, Base):
    """A city, region or country, pinned by its GeoNames id where known."""

    __tablename__ = "places"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    geonames_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    names: Mapped[list[PlaceName]] = relationship(
        back_populates="place", cascade="all, delete-orphan", order_by="PlaceName.id"
    )
    parent: Mapped[Place | None] = relationship(remote_side=[id])
    __mapper_args__ = {"version_id_col": version}


class PlaceName(Base):
    """One name of a place in one language."""

    __tablename__ = "place_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str | None] = mapped_column(String(2))
    script: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="official")
    key: Mapped[str] = mapped_column(String(300), index=True)
    place: Mapped[Place] = relationship(back_populates="names")


class Organization(TimestampMixin, Base):
    """A company, holding, association, agency, authority or investor of the industry."""

    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint("tier IS NULL OR tier IN (1, 2, 3)", name="tier"),
        # lists show live organizations by name: one index serves the filter and the order
        Index("ix_organizations_listing", "merged_into_id", "name", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    tier: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    head_office_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL"), index=True
    )
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    names: Mapped[list[OrganizationName]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="OrganizationName.id"
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Identifier.id"
    )
    head_office: Mapped[Place | None] = relationship()
    __mapper_args__ = {"version_id_col": version}


class OrganizationName(Base):
    """One name of an organization: its language, script and kind."""

    __tablename__ = "organization_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str | None] = mapped_column(String(2))
    script: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="official")
    key: Mapped[str] = mapped_column(String(300), index=True)
    organization: Mapped[Organization] = relationship(back_populates="names")


class Identifier(Base):
    """A register number of an organization (INN, OGRN, STIR). One set by a member is a claim,
    held unverified until an analyst verifies it; only verified numbers are unique per scheme,
    so a claim never blocks the record that really holds the number."""

    __tablename__ = "identifiers"
    __table_args__ = (
        Index("ix_identifiers_scheme_value", "scheme", "value"),
        Index(
            "uq_identifiers_verified",
            "scheme",
            "value",
            unique=True,
            sqlite_where=text("verified"),
            postgresql_where=text("verified"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(20))
    verified: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    organization: Mapped[Organization] = relationship(back_populates="identifiers")

    @property
    def status(self) -> str:
        return identifier_status(self.verified)


def identifier_status(verified: Any) -> str:
    """'verified' or 'unverified' (a stored flag, also as JSON reads it: 1/0 or true/false)."""
    return "verified" if verified else "unverified"


class Site(Base):
    """A production site of an organization."""

    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    description: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[Place] = relationship(lazy="joined")


class Ownership(Base):
    """owner holds share % of owned, from start to end."""

    __tablename__ = "ownerships"
    __table_args__ = (CheckConstraint("share IS NULL OR (share > 0 AND share <= 100)", name="share"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    owned_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    share: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[Organization] = relationship(foreign_keys=[owner_id])
    owned: Mapped[Organization] = relationship(foreign_keys=[owned_id])


class Membership(Base):
    """member belongs to group (a supplier to the cluster), from start to end."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    member: Mapped[Organization] = relationship(foreign_keys=[member_id])
    group: Mapped[Organization] = relationship(foreign_keys=[group_id])


class Person(TimestampMixin, Base):
    """A person of the industry: a director, an expert, a negotiator."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.id"
    )
    positions: Mapped[list[Position]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Position.id"
    )
    __mapper_args__ = {"version_id_col": version}


class PersonName(Base):
    """One spelling of a person's name."""

    __tablename__ = "person_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(300))
    lang: Mapped[str | None] = mapped_column(String(2))
    script: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(300), index=True)
    person: Mapped[Person] = relationship(back_populates="names")


class Position(Base):
    """A person's title at an organization, from start to end."""

    __tablename__ = "positions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    person: Mapped[Person] = relationship(back_populates="positions")
    organization: Mapped[Organization | None] = relationship()


class Merge(Base):
    """A merge of one organization into another, with what it moved, so it can be undone."""

    __tablename__ = "merges"
    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON)
    survivor_before: Mapped[dict[str, Any]] = mapped_column(JSON)


class OrganizationNote(Confidential, TimestampMixin, Base):
    """A note about an organization, visible as its visibility says (private by default)."""

    __tablename__ = "organization_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    DEFAULT_VISIBILITY = Visibility.ORGANIZATION
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = synonym("author_id")  # the writer always reads their note

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A note's parties: the organization it is about and the organization that wrote it."""
        return or_(cls.organization_id == organization_id, cls.owner_organization_id == organization_id)

    def parties(self) -> set[int]:
        return {i for i in (self.organization_id, self.owner_organization_id) if i is not None}


class Stamp(IntEnum):
    """The registry's revision stamps (cooplab.core.revision): `NAMES` moves with every write to
    a named record or to a name (search and the ingest gazetteer rebuild on it), `RECORDS` with
    every write to any registry table (kept API answers and list orders are renewed on it)."""

    NAMES = 1
    RECORDS = 2


watch(Stamp.NAMES, {"organizations", "organization_names", "people", "person_names", "places", "place_names"})
watch(
    Stamp.RECORDS,
    {
        "sources",
        "citations",
        "places",
        "place_names",
        "organizations",
        "organization_names",
        "identifiers",
        "sites",
        "ownerships",
        "memberships",
        "people",
        "person_names",
        "positions",
        "merges",
    },
)
