"""Shapes of registry records at the boundary (API, CLI, import): Create / Update / Public."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from cooplab.core.calculators import Reason
from cooplab.core.schemas import IsoDate, Period, RecordId, Strict
from cooplab.errors import CodedValueError
from cooplab.vocab.choices import (
    IdentifierScheme,
    Language,
    NameKind,
    OrganizationKind,
    PlaceKind,
)
from cooplab.vocab.countries import validate_country
from cooplab.vocab.identifiers import validate_identifier
from cooplab.vocab.names import clean_name

NameText = Annotated[str, Field(min_length=1, max_length=300)]


def _clean(value: str) -> str:
    value = clean_name(value)
    if not value:
        raise CodedValueError("required", "must not be empty")
    return value


def check_tier(kind: str | None, tier: int | None) -> None:
    """A tier (1-3 in the supply chain) is for suppliers only."""
    if tier is not None and kind is not None and kind != OrganizationKind.SUPPLIER:
        raise CodedValueError("tier_supplier", "tier applies to suppliers only")


def _tier_of(tier: int | None, info: ValidationInfo) -> int | None:
    """The tier checked against the kind given before it (reported with the form's other errors)."""
    check_tier(info.data.get("kind"), tier)
    return tier


def _country(value: str | None) -> str | None:
    return validate_country(value) if value else None


# ---------------------------------------------------------------- names, identifiers, sources


def name_spec(text: str) -> dict[str, Any]:
    """A name written as "[lang:][kind:]value" ("en:short:UzAuto") as NameIn's fields."""
    parts = text.strip().split(":")
    entry: dict[str, Any] = {}
    while len(parts) > 1 and not entry.get("kind"):
        head = parts[0].strip().lower()
        if head in Language.__members__.values() and "lang" not in entry:
            entry["lang"] = head
        elif head in NameKind.__members__.values():
            entry["kind"] = head
        else:
            break
        parts = parts[1:]
    entry["value"] = ":".join(parts).strip()
    return entry


class NameIn(Strict):
    """A name with its language and kind; the script is detected from the text."""

    value: NameText
    lang: Language | None = None
    kind: NameKind = NameKind.OFFICIAL

    _value = field_validator("value")(_clean)


class NamePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    value: str
    lang: str | None
    script: str
    kind: str = NameKind.OFFICIAL.value


class IdentifierIn(Strict):
    """A register number; checked against its scheme's rules (check digits, length)."""

    scheme: IdentifierScheme
    value: str = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _valid(self) -> IdentifierIn:
        self.value = validate_identifier(self.scheme, self.value)
        return self


class IdentifierPublic(BaseModel):
    """A register number as read: `status` is `verified`, or `unverified` for a member's claim
    an analyst has yet to confirm."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    scheme: str
    value: str
    status: Literal["verified", "unverified"] = "verified"


class SourceCreate(Strict):
    """A document facts come from."""

    title: str = Field(min_length=1, max_length=500)
    url: str | None = Field(None, max_length=1000)
    published: IsoDate | None = None
    as_of: IsoDate | None = None
    note: str | None = None


class SourcePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    url: str | None
    published: date | None
    as_of: date | None


class CitationCreate(Strict):
    """Cite a source for a record or one of its facts (`field`)."""

    source_id: RecordId
    field: str | None = Field(None, max_length=60)


class CitationPublic(BaseModel):
    """A source backing a fact: the record (`subject_type`, `subject_id`) and the field."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    subject_type: str
    subject_id: int
    field: str | None
    source: SourcePublic


# ---------------------------------------------------------------- places


class PlaceBase(Strict):
    kind: PlaceKind = PlaceKind.CITY
    country: str = Field(min_length=2, max_length=2)
    parent_id: RecordId | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geonames_id: int | None = Field(None, ge=1, le=2_147_483_647)
    illustrative: bool = False

    _country = field_validator("country")(validate_country)


class PlaceCreate(PlaceBase):
    names: list[NameIn] = Field(min_length=1)


class PlaceUpdate(Strict):
    version: int
    kind: PlaceKind | None = None
    country: str | None = None
    parent_id: RecordId | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geonames_id: int | None = Field(None, ge=1, le=2_147_483_647)
    illustrative: bool | None = None
    names: list[NameIn] | None = Field(None, min_length=1)

    _country = field_validator("country")(_country)


class PlaceRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    country: str


class PlacePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    name: str
    country: str
    parent_id: int | None
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    illustrative: bool
    version: int
    names: list[NamePublic]


# ---------------------------------------------------------------- organizations


class OrganizationBase(Strict):
    kind: OrganizationKind
    tier: int | None = Field(None, ge=1, le=3)
    country: str | None = None
    head_office_id: RecordId | None = None
    website: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=20000)
    illustrative: bool = False

    _country = field_validator("country")(_country)
    _tier = field_validator("tier")(lambda tier, info: _tier_of(tier, info))


class OrganizationCreate(OrganizationBase):
    """A new organization; the first name is its display name."""

    names: list[NameIn] = Field(min_length=1)
    identifiers: list[IdentifierIn] = []


class OrganizationUpdate(Strict):
    """A change to an organization; `version` is the one the edit was based on."""

    version: int
    kind: OrganizationKind | None = None
    tier: int | None = Field(None, ge=1, le=3)
    country: str | None = None
    head_office_id: RecordId | None = None
    website: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=20000)
    illustrative: bool | None = None
    names: list[NameIn] | None = Field(None, min_length=1)
    identifiers: list[IdentifierIn] | None = None

    _country = field_validator("country")(_country)

    # when both are given; the service checks a tier against the stored kind
    _tier = field_validator("tier")(lambda tier, info: _tier_of(tier, info))


class OrganizationRef(BaseModel):
    """An organization named by another record; `name` is as the reader reads it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str
    country: str | None
    tier: int | None = Field(None, exclude=True)
    illustrative: bool = Field(False, exclude=True)


class OrganizationSummary(BaseModel):
    """An organization as it appears in lists."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    kind: str
    tier: int | None
    country: str | None
    head_office: PlaceRef | None
    illustrative: bool
    version: int


class OrganizationListed(OrganizationSummary):
    """An organization in a list a page shows: with its names, to show the one the reader reads."""

    names: list[NamePublic] = Field(default_factory=list, exclude=True)


class OwnershipChange(Period):
    """What may change of an ownership once recorded: the share, from and to."""

    share: Decimal | None = Field(None, gt=0, le=100, decimal_places=2)
    start: IsoDate | None = None
    end: IsoDate | None = None

    @field_validator("share")
    @classmethod
    def _to_hundredths(cls, share: Decimal | None) -> Decimal | None:
        """As it is stored (Numeric(5, 2)), so the answer to the write reads like every later read."""
        return None if share is None else share.quantize(Decimal("0.01"))


class OwnershipCreate(OwnershipChange):
    owner_id: RecordId
    owned_id: RecordId


class OwnershipPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    owner: OrganizationRef
    owned: OrganizationRef
    share: Decimal | None
    start: date | None
    end: date | None


class MembershipChange(Period):
    """What may change of a membership once recorded: from and to."""

    start: IsoDate | None = None
    end: IsoDate | None = None


class MembershipCreate(MembershipChange):
    member_id: RecordId
    group_id: RecordId


class MembershipPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    member: OrganizationRef
    group: OrganizationRef
    start: date | None
    end: date | None


class SiteChange(Strict):
    """What may change of a production site once recorded: what is made there."""

    description: str | None = Field(None, max_length=500)


class SiteCreate(SiteChange):
    place_id: RecordId


class SitePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    place: PlaceRef
    description: str | None


# ---------------------------------------------------------------- people


class PositionIn(Period):
    title: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(None, max_length=300)
    organization_id: RecordId | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None


class PositionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    title_en: str | None
    organization: OrganizationRef | None
    start: date | None
    end: date | None


class PersonCreate(Strict):
    names: list[NameIn] = Field(min_length=1)
    positions: list[PositionIn] = []
    illustrative: bool = False


class PersonUpdate(Strict):
    version: int
    names: list[NameIn] | None = Field(None, min_length=1)
    positions: list[PositionIn] | None = None
    illustrative: bool | None = None


class PersonSummary(BaseModel):
    """A person as lists show them (with names and positions when a page asks for them)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    illustrative: bool
    version: int
    names: list[NamePublic] = Field(default_factory=list, exclude=True)
    positions: list[PositionPublic] = Field(default_factory=list, exclude=True)


class PersonPublic(PersonSummary):
    """A person with names, positions and the sources of those facts."""

    names: list[NamePublic]
    positions: list[PositionPublic]
    citations: list[CitationPublic] = []


class PersonRef(BaseModel):
    id: int
    name: str


class PersonAtOrganization(BaseModel):
    person: PersonRef
    position: PositionPublic


class OrganizationPublic(OrganizationSummary):
    """An organization with everything known about it."""

    website: str | None
    description: str | None
    merged_into_id: int | None
    names: list[NamePublic]
    identifiers: list[IdentifierPublic]
    sites: list[SitePublic] = []
    owners: list[OwnershipPublic] = []
    holdings: list[OwnershipPublic] = []
    groups: list[MembershipPublic] = []
    members: list[MembershipPublic] = []
    people: list[PersonAtOrganization] = []
    citations: list[CitationPublic] = []


class PlaceDetail(PlacePublic):
    """A place with the organizations there and the sources of its facts."""

    citations: list[CitationPublic] = []
    organizations: list[OrganizationRef] = []
    parent: PlaceRef | None = Field(None, exclude=True)
    head_office_of: list[int] = Field(default_factory=list, exclude=True)


# ---------------------------------------------------------------- search, dedupe, merge


class SearchHit(BaseModel):
    """One search result: what it is, its name, the name that matched and how well (0-100)."""

    type: str
    id: int
    name: str
    matched: str
    score: float
    country: str | None = None
    illustrative: bool = False
    #: where to read a record that is not the registry's (a mission, an event, an agreement)
    url: str | None = None


class MergeResult(BaseModel):
    """A merge done: its id (to undo it) and the two organizations."""

    id: int
    survivor_id: int
    merged_id: int


class DuplicatePair(BaseModel):
    """Two organizations that are likely one, and why."""

    a: OrganizationRef
    b: OrganizationRef
    score: float
    reason: str
    #: the same reasons by code and parameters, for pages in the reader's language
    reasons: list[Reason] = []
