"""Tables of engagements. Missions, events, agreements and action items are confidential
records: each has a visibility, an owner organization and parties (see cooplab/core/confidential.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, DateTime, ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cooplab.core.confidential import Confidential, Versioned
from cooplab.db.base import Base, TimestampMixin
from cooplab.registry.models import Organization, Person, Place


class _Engagement(Confidential, Versioned):
    """What every engagement record has: visibility, owner, version, and the source it came from."""

    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))


class Mission(_Engagement, TimestampMixin, Base):
    """A business trip or programme: who went where, when, to meet whom."""

    __tablename__ = "missions"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    organizations: Mapped[list[MissionOrganization]] = relationship(
        cascade="all, delete-orphan", order_by="MissionOrganization.id"
    )
    participants: Mapped[list[MissionParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="MissionParticipant.id"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="mission", cascade="all, delete-orphan", order_by="(Event.start, Event.id)"
    )

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """A mission's parties: the organizations taking part in it."""
        return cls.id.in_(
            select(MissionOrganization.mission_id).where(
                MissionOrganization.organization_id == organization_id
            )
        )

    def parties(self) -> set[int]:
        return {o.organization_id for o in self.organizations}


class MissionOrganization(Base):
    """An organization in a mission, and its role there (organizer, host, participant)."""

    __tablename__ = "mission_organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="participant")
    organization: Mapped[Organization] = relationship(lazy="joined")


class MissionParticipant(Base):
    """A person on a mission, with the position they held there."""

    __tablename__ = "mission_participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(300))
    person: Mapped[Person] = relationship(lazy="joined")
    organization: Mapped[Organization | None] = relationship(lazy="joined")


class Event(_Engagement, TimestampMixin, Base):
    """A visit, meeting, signing or presentation, on a date, at a place, with whom."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(Text)
    mission: Mapped[Mission | None] = relationship(back_populates="events")
    place: Mapped[Place | None] = relationship(lazy="joined")
    organizations: Mapped[list[EventOrganization]] = relationship(
        cascade="all, delete-orphan", order_by="EventOrganization.id", lazy="selectin"
    )
    people: Mapped[list[EventPerson]] = relationship(
        cascade="all, delete-orphan", order_by="EventPerson.id", lazy="selectin"
    )

    @classmethod
    def follows(cls) -> tuple[Any, Any]:
        """An event of a mission is as visible as the mission, whatever it was created with."""
        return cls.mission_id, Mission

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        return cls.id.in_(
            select(EventOrganization.event_id).where(EventOrganization.organization_id == organization_id)
        )

    def parties(self) -> set[int]:
        return {o.organization_id for o in self.organizations}


class EventOrganization(Base):
    __tablename__ = "event_organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    organization: Mapped[Organization] = relationship(lazy="joined")


class EventPerson(Base):
    __tablename__ = "event_people"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    person: Mapped[Person] = relationship(lazy="joined")


class Agreement(_Engagement, TimestampMixin, Base):
    """A memorandum, agreement or contract between organizations."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column(Date)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    parties_: Mapped[list[AgreementParty]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementParty.id", lazy="selectin"
    )

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        return cls.id.in_(
            select(AgreementParty.agreement_id).where(AgreementParty.organization_id == organization_id)
        )

    def parties(self) -> set[int]:
        return {p.organization_id for p in self.parties_}


class AgreementParty(Base):
    __tablename__ = "agreement_parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    organization: Mapped[Organization] = relationship(lazy="joined")


class ActionItem(_Engagement, TimestampMixin, Base):
    """A next step: what, who is responsible, by when, and whether it is done."""

    __tablename__ = "action_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    due: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    responsible_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    responsible_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreements.id", ondelete="SET NULL"), index=True
    )
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    responsible_person: Mapped[Person | None] = relationship(lazy="joined")
    responsible_organization: Mapped[Organization | None] = relationship(
        lazy="joined", foreign_keys=[responsible_organization_id]
    )

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """An action item's parties: the organization responsible for it and the one that owns it."""
        return or_(
            cls.responsible_organization_id == organization_id, cls.owner_organization_id == organization_id
        )

    def parties(self) -> set[int]:
        return {i for i in (self.responsible_organization_id, self.owner_organization_id) if i is not None}
