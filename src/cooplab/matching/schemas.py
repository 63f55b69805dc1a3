"""Shapes of matchmaking's surfaces: a need or a capability entered and shown, a match with its
reasons, a mark on a match, what an import stored. The core's profiles
(`cooplab.matching.profiles`) are what the service ranks; these are what readers send and see."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from cooplab.core.schemas import IsoDate, RecordId, Strict
from cooplab.matching.feedback import Judgement
from cooplab.matching.profiles import Certification, Location, Offer, Texts
from cooplab.vocab.choices import Visibility
from cooplab.vocab.processes import Process


class NeedIn(Strict):
    """A need to store: its buyer is a registry organization; its delivery place a registry place."""

    ref: str = Field(min_length=1, max_length=80)
    buyer_id: RecordId
    hs_code: str | None = Field(None, max_length=14)
    part: str | None = Field(None, max_length=300)
    description: Texts = Texts()
    annual_volume: int | None = Field(None, gt=0, le=10**12)
    target_price: Decimal | None = Field(None, gt=0, le=10**12)
    currency: str | None = Field(None, max_length=3)
    processes: list[Process] = Field(default_factory=list, max_length=30)
    certifications: list[str] = Field(default_factory=list, max_length=20)
    delivery_place_id: RecordId | None = None
    deadline: IsoDate | None = None
    visibility: Visibility = Visibility.ORGANIZATION
    anonymous: bool = False
    illustrative: bool = False


class CertificationIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    expires: IsoDate | None = None


class CapabilityIn(Strict):
    """A capability to store: its supplier is a registry organization; sites are registry places."""

    supplier_id: RecordId
    hs_codes: list[str] = Field(default_factory=list, max_length=50)
    processes: list[Process] = Field(default_factory=list, max_length=30)
    materials: list[str] = Field(default_factory=list, max_length=30)
    annual_capacity: int | None = Field(None, gt=0, le=10**12)
    certifications: list[CertificationIn] = Field(default_factory=list, max_length=20)
    site_ids: list[RecordId] = Field(default_factory=list, max_length=20)
    description: Texts = Texts()
    visibility: Visibility = Visibility.ORGANIZATION
    anonymous: bool = False
    illustrative: bool = False
    source: str | None = Field(None, max_length=500)
    as_of: IsoDate | None = None
    offer: Offer | None = Field(None, description="the unit price asked, under an Incoterm")


class NeedPublic(BaseModel):
    """A stored need as the reader may see it (an anonymous need's buyer is named to its own
    organization and to analysts only)."""

    id: int
    ref: str
    buyer_id: int | None
    buyer: str | None
    hs_code: str | None
    part: str | None
    description: Texts
    annual_volume: int | None
    target_price: Decimal | None
    currency: str | None
    processes: list[str]
    certifications: list[str]
    delivery_place: Location | None
    deadline: date | None
    visibility: str
    anonymous: bool
    illustrative: bool


class CapabilityPublic(BaseModel):
    """A stored capability as the reader may see it."""

    id: int
    supplier_id: int | None
    supplier: str | None
    hs_codes: list[str]
    processes: list[str]
    materials: list[str]
    annual_capacity: int | None
    certifications: list[Certification]
    sites: list[Location]
    description: Texts
    visibility: str
    anonymous: bool
    illustrative: bool
    source: str | None
    as_of: date | None
    offer: Offer | None = None


class CostLine(BaseModel):
    """A component of a landed cost, named in the reader's language."""

    name: str
    amount: Decimal
    currency: str
    assumption: bool


class LandedCostSummary(BaseModel):
    """A supplier's offer priced landed at the need's delivery place (feasibility's calculators),
    against the need's target price; or why it could not be priced (`missing`)."""

    total_per_unit: Decimal | None = None
    currency: str
    target_price: Decimal
    difference: float | None = Field(None, description="landed cost / target price - 1")
    assumption: bool = False
    components: list[CostLine] = []
    notes: list[str] = Field([], description="the assumptions and reasons, in the reader's language")
    missing: str | None = Field(None, description="why it was not priced, in the reader's language")


class MatchPublic(BaseModel):
    """A supplier for a need (or a need for a supplier), its score and the reasons in words."""

    need_id: int | None
    need_ref: str | None
    capability_id: int | None
    supplier_id: int | None = Field(description="None when the capability is published anonymously")
    supplier: str | None
    score: float
    reasons: list[str] = Field(description="the reasons, in the reader's language")
    reason_codes: list[str]
    illustrative: bool
    landed_cost: LandedCostSummary | None = Field(
        None, description="when the need has a target price and the capability an offer"
    )


class MatchList(BaseModel):
    """A ranking: the matches best first, or none and why (`empty`, in the reader's language)."""

    data: list[MatchPublic]
    empty: str | None = None
    empty_code: str | None = None


class PartMatches(MatchList):
    """Who can make a line of a vehicle's bill: the unsaved need built from the line, and the
    suppliers ranked for it."""

    vehicle: str
    part_number: str
    part: str
    hs_code: str | None
    buyer_id: int | None
    buyer: str
    annual_volume: int | None
    delivery_place: Location | None
    illustrative: bool


class MatchFilter(Strict):
    """What a ranking is narrowed to: supplier countries, tiers, certificates held."""

    country: list[str] = Field(default_factory=list, max_length=20)
    tier: list[int] = Field(default_factory=list, max_length=3)
    certification: list[str] = Field(default_factory=list, max_length=10)
    top: int = Field(10, ge=1, le=100)

    @field_validator("country", "tier", "certification", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        """A query string gives one value: `UZ,RU` is two countries."""
        if isinstance(value, str):
            return [x.strip() for x in value.split(",") if x.strip()]
        return value


class PartFilter(MatchFilter):
    """The line of a vehicle's bill to rank suppliers for (its part number), and the filters."""

    part: str = Field(min_length=1, max_length=80, description="part number of a line of the bill")


class FeedbackIn(Strict):
    """A mark on a supplier shown for a need."""

    supplier_id: RecordId
    capability_id: RecordId | None = None
    judgement: Judgement
    note: str | None = Field(None, max_length=2000)


class FeedbackPublic(BaseModel):
    id: int
    need_id: int
    supplier_id: int
    capability_id: int | None
    judgement: Judgement
    user_id: int | None
    note: str | None
    created_at: datetime


class MatchingImported(BaseModel):
    """What an import stored."""

    capabilities: int
    needs: int
    needs_replaced: int
    illustrative: bool
