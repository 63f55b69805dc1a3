"""The reviewable JSON an ingested document becomes: one IngestResult per document."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PositionOut(BaseModel):
    """A title a person holds at an organization (the organization's canonical name, if known)."""

    title: str
    organization: str | None = None
    organization_id: int | None = None
    text: str = Field("", description="The title as written in the text.")


class OrganizationOut(BaseModel):
    """An organization the text names: registry id when linked, canonical name, surface forms."""

    id: int | None = None
    name: str
    mentions: list[str]
    kind: str | None = None


class PersonOut(BaseModel):
    """A person the text names, with the positions it gives them."""

    id: int | None = None
    name: str
    mentions: list[str]
    positions: list[PositionOut] = Field(default_factory=list)


class PlaceOut(BaseModel):
    """A place the text names, with its country and GeoNames id when linked."""

    id: int | None = None
    name: str
    mentions: list[str]
    country: str | None = None
    geonames_id: int | None = None


class DateOut(BaseModel):
    """A date or a range as written; start/end as YYYY-MM-DD, or --MM-DD without a known year."""

    text: str
    start: str
    end: str | None = None
    granularity: str = Field("day", description="day, or month: a month written alone, as its first and last days.")
    relative: bool = Field(False, description="Read against the publication date (вчера, в среду).")


class EventOut(BaseModel):
    """A visit, meeting, signing or presentation, with its date, place and participants."""

    kind: str
    start: str | None = None
    end: str | None = None
    date_inferred: bool = Field(False, description="The date comes from an earlier sentence.")
    place: str | None = None
    organizations: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    summary: str = ""


class AgreementOut(BaseModel):
    """A memorandum, agreement or contract, its parties and what it is about."""

    kind: str
    date: str | None = None
    parties: list[str] = Field(default_factory=list)
    subject: str = ""


class IngestResult(BaseModel):
    """Everything extracted from one document, for a person to review before it enters the registry."""

    source: str = ""
    language: str = "ru"
    content_hash: str = Field(..., description="sha256 of the normalised text.")
    published: str | None = None
    organizations: list[OrganizationOut] = Field(default_factory=list)
    people: list[PersonOut] = Field(default_factory=list)
    places: list[PlaceOut] = Field(default_factory=list)
    dates: list[DateOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)
    agreements: list[AgreementOut] = Field(default_factory=list)
