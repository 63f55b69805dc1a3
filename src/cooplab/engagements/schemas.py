"""Shapes of engagement records at the boundary."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.schemas import IsoDate, Period, RecordId, Strict
from cooplab.registry.schemas import OrganizationRef, PersonRef, PlaceRef
from cooplab.vocab.choices import ActionStatus, AgreementKind, EventKind, Visibility


class ParticipantIn(Strict):
    person_id: RecordId
    organization_id: RecordId | None = None
    title: str | None = Field(None, max_length=300)


class EventIn(Period):
    kind: EventKind
    start: IsoDate | None = None
    end: IsoDate | None = None
    place_id: RecordId | None = None
    summary: str = Field(min_length=1, max_length=5000)
    organization_ids: list[RecordId] = []
    person_ids: list[RecordId] = []


class MissionCreate(Period):
    """A mission with its organizations, participants and events."""

    title: str = Field(min_length=1, max_length=300)
    start: IsoDate | None = None
    end: IsoDate | None = None
    description: str | None = Field(None, max_length=20000)
    visibility: Visibility = Visibility.MEMBERS
    organizer_ids: list[RecordId] = []
    organization_ids: list[RecordId] = []
    participants: list[ParticipantIn] = []
    events: list[EventIn] = []
    source_id: RecordId | None = None


class MissionUpdate(Period):
    version: int
    title: str | None = Field(None, min_length=1, max_length=300)
    start: IsoDate | None = None
    end: IsoDate | None = None
    description: str | None = Field(None, max_length=20000)
    visibility: Visibility | None = None
    organizer_ids: list[RecordId] | None = Field(
        None,
        description="The organizers from now on (left out: kept as they are); an organizer no longer "
        "named stays as a participant unless `organization_ids` is given too.",
    )
    organization_ids: list[RecordId] | None = Field(
        None,
        description="The other organizations taking part from now on (left out: kept as they are); "
        "they are the parties of a parties-only mission, so who may read it changes with them.",
    )


class EventUpdate(EventIn):
    """An event as a whole, made on `version`: every field replaced."""

    version: int


class EventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    mission_id: int | None
    kind: str
    start: date | None
    end: date | None
    place: PlaceRef | None
    summary: str
    organizations: list[OrganizationRef]
    people: list[PersonRef]
    visibility: str
    version: int = 1


class ParticipantPublic(BaseModel):
    id: int | None = None
    person: PersonRef
    organization: OrganizationRef | None
    title: str | None


class MissionOrganizationPublic(BaseModel):
    organization: OrganizationRef
    role: str


class MissionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    start: date | None
    end: date | None
    visibility: str
    version: int


class MissionPublic(MissionSummary):
    description: str | None
    source_id: int | None
    organizations: list[MissionOrganizationPublic]
    participants: list[ParticipantPublic]
    events: list[EventPublic]
    agreements: list[AgreementPublic] = []
    action_items: list[ActionItemPublic] = []
    hidden: dict[str, int] = Field(
        default_factory=dict,
        description="How many events, agreements and action_items of the mission the reader may "
        "not see (told to signed-in readers, so they know the list is not complete).",
    )


class AgreementCreate(Strict):
    kind: AgreementKind
    subject: str = Field(min_length=1, max_length=5000)
    signed_on: IsoDate | None = None
    party_ids: list[RecordId] = Field(min_length=1)
    mission_id: RecordId | None = None
    event_id: RecordId | None = None
    visibility: Visibility = Visibility.PARTIES
    source_id: RecordId | None = None


class AgreementUpdate(Strict):
    """An agreement as a whole, made on `version`: kind, subject, date and parties replaced."""

    version: int
    kind: AgreementKind
    subject: str = Field(min_length=1, max_length=5000)
    signed_on: IsoDate | None = None
    party_ids: list[RecordId] = Field(min_length=1)
    visibility: Visibility | None = None


class AgreementPublic(BaseModel):
    id: int
    kind: str
    subject: str
    signed_on: date | None
    parties: list[OrganizationRef]
    mission_id: int | None
    event_id: int | None
    visibility: str
    version: int


class ActionItemCreate(Strict):
    title: str = Field(min_length=1, max_length=500)
    due: IsoDate | None = None
    responsible_person_id: RecordId | None = None
    responsible_organization_id: RecordId | None = None
    mission_id: RecordId | None = None
    agreement_id: RecordId | None = None
    visibility: Visibility = Visibility.PARTIES


class ActionItemUpdate(Strict):
    version: int
    title: str | None = Field(None, min_length=1, max_length=500)
    due: IsoDate | None = None
    status: ActionStatus | None = None
    responsible_person_id: RecordId | None = None
    responsible_organization_id: RecordId | None = None


class ActionItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    due: date | None
    status: str
    responsible_person: PersonRef | None
    responsible_organization: OrganizationRef | None
    mission_id: int | None
    agreement_id: int | None
    visibility: str
    version: int
    overdue: bool = False


MissionPublic.model_rebuild()
