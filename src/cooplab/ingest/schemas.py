"""The reviewable JSON an ingested document becomes: one IngestResult per document.

Every field added after the first release has a default, so results stored before still validate.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import IsoDate
from cooplab.ingest.readers import MAX_INPUT_BYTES
from cooplab.vocab.choices import OrganizationKind, Visibility


class CandidateOut(BaseModel):
    """A registry record close to an unlinked name, shown to the reviewer; never linked by itself."""

    id: int
    name: str
    score: float = Field(..., description="Similarity of the names, 0-100.")
    reason: str = Field("", description="Why it is only a candidate (another word, a spelling apart).")


class PositionOut(BaseModel):
    """A title a person holds at an organization (the organization's canonical name, if known)."""

    title: str
    organization: str | None = None
    organization_id: int | None = None
    text: str = Field("", description="The title as written in the text.")
    territory: str | None = Field(
        None,
        description="The state or place of a state title with no body named (it is kept in the title too).",
    )


class OrganizationOut(BaseModel):
    """An organization the text names: registry id when linked, canonical name, surface forms."""

    id: int | None = None
    name: str
    mentions: list[str]
    kind: str | None = None
    country: str | None = None
    derived: bool = Field(
        False,
        description="Not written in the text: the body a signing official stands for "
        '("аким Костаная" signed -> "акимат Костаная").',
    )
    candidates: list[CandidateOut] = Field(default_factory=list)


class PersonOut(BaseModel):
    """A person the text names, with the positions it gives them."""

    id: int | None = None
    name: str
    mentions: list[str]
    positions: list[PositionOut] = Field(default_factory=list)
    candidates: list[CandidateOut] = Field(default_factory=list)


class PlaceOut(BaseModel):
    """A place the text names, with its country and GeoNames id when linked."""

    id: int | None = None
    name: str
    mentions: list[str]
    country: str | None = None
    geonames_id: int | None = None
    kind: str | None = Field(None, description="city, region or country, where known.")
    candidates: list[CandidateOut] = Field(default_factory=list)


class DateOut(BaseModel):
    """A date or a range as written; start/end as YYYY-MM-DD, or --MM-DD without a known year."""

    text: str
    start: str
    end: str | None = None
    granularity: str = Field(
        "day", description="day, or month: a month written alone, as its first and last days."
    )
    relative: bool = Field(False, description="Read against the publication date (вчера, в среду).")


class EventOut(BaseModel):
    """A visit, meeting, signing, presentation or other happening, with its date, place and participants."""

    kind: str
    start: str | None = None
    end: str | None = None
    date_inferred: bool = Field(False, description="The date comes from an earlier sentence or the dateline.")
    place: str | None = None
    organizations: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    organizer: str | None = Field(None, description="The organization the text names as the organizer.")
    agreement: int | None = Field(
        None, description="For a signing: the index of the agreement signed in `agreements`."
    )
    summary: str = ""


class AgreementOut(BaseModel):
    """A memorandum, agreement or contract reported as signed, its parties and what it is about."""

    kind: str
    date: str | None = Field(
        None, description="The signing date, YYYY-MM-DD (or --MM-DD), when the text gives it."
    )
    parties: list[str] = Field(default_factory=list)
    subject: str = ""
    document: str = Field("", description="The document as the text calls it: меморандум, дорожная карта ...")
    signatories: list[str] = Field(default_factory=list, description="People who signed it, where named.")


class ActionItemOut(BaseModel):
    """A next step the text records, proposed as an action item."""

    text: str
    owners: list[str] = Field(
        default_factory=list, description="Organizations of the sentence that records it."
    )
    due: str | None = Field(None, description="YYYY-MM-DD, when the text gives a date for it.")
    source: str = Field("", description="The sentence it comes from.")


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
    action_items: list[ActionItemOut] = Field(default_factory=list)


# ---------------------------------------------------------------- a reviewer's choices


class ItemReview(BaseModel):
    """What a reviewer did with one proposed record: kept it or not, and, for a record that is
    new to the registry, its name, kind (organizations) or country (places) as edited."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    keep: bool = True
    name: str | None = Field(None, max_length=300)
    kind: OrganizationKind | None = None
    country: str | None = None

    _blank = field_validator("name", "country", mode="before")(lambda v: None if v == "" else v)


class ReviewIn(BaseModel):
    """A review of an ingested document, in the shape the review page posts: one entry per
    proposed record, in the order of the document's result (records left out are kept as
    they are). The title names the mission the document becomes."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str | None = Field(None, max_length=300)
    visibility: Visibility | None = Field(
        None, description="Who sees the mission, events, agreements and next steps created."
    )
    organizations: list[ItemReview] = Field(default_factory=list, max_length=2000)
    people: list[ItemReview] = Field(default_factory=list, max_length=2000)
    places: list[ItemReview] = Field(default_factory=list, max_length=2000)
    events: list[ItemReview] = Field(default_factory=list, max_length=2000)
    agreements: list[ItemReview] = Field(default_factory=list, max_length=2000)
    action_items: list[ItemReview] = Field(default_factory=list, max_length=2000)

    def of(self, group: str, index: int) -> ItemReview:
        """The reviewer's choice for one record (kept as it is when the review does not say)."""
        items: list[ItemReview] = getattr(self, group)
        return items[index] if index < len(items) else ItemReview()


# ---------------------------------------------------------------- documents


class TextIn(BaseModel):
    """A text to ingest, with its name and publication date (the year of dates without one)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_INPUT_BYTES)
    name: str = Field("text", min_length=1, max_length=300)
    published: IsoDate | None = None


class DocumentSummary(BaseModel):
    """An ingested document as lists show it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    language: str
    published: date | None
    status: str
    mission_id: int | None
    source_id: int | None
    created_at: datetime | None = Field(None, exclude=True)
    accepted_at: datetime | None = Field(None, exclude=True)


class DocumentPublic(DocumentSummary):
    """An ingested document with its text and what was extracted from it."""

    text: str
    result: IngestResult
    new: bool = Field(False, description="False when this text had been ingested before.")
    needs_year: bool = Field(
        False,
        description="A date of the text has no year and no publication date was given: "
        "parse it again with one (POST /documents/{id}/parse).",
    )


class ReparseIn(BaseModel):
    """Extract a draft again with a publication date: the year of the dates written without one."""

    model_config = ConfigDict(extra="forbid")
    published: IsoDate | None = None


class AcceptIn(BaseModel):
    """Accept a document: with the reviewer's choices (`review`, the review page's shape), or an
    edited result, or neither (the result as extracted)."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(None, max_length=300)
    visibility: Visibility | None = Field(
        None,
        description="Who sees the mission, events, agreements and next steps created "
        "(the review's, if it gives one); each record's own default if absent.",
    )
    result: IngestResult | None = Field(None, description="The reviewed result; the stored one if absent.")
    review: ReviewIn | None = Field(None, description="The reviewer's choices, record by record.")


class Accepted(BaseModel):
    """What accepting a document created or linked."""

    document_id: int
    source_id: int
    mission_id: int | None
    organizations: dict[str, int]
    people: dict[str, int]
    places: dict[str, int]
    created: int
