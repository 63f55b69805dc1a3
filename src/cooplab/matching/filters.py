"""Filters of matchmaking lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import MAX_ID
from cooplab.errors import CodedValueError
from cooplab.vocab.countries import validate_country


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: object) -> object:
        return None if value == "" else value


class _ProfileFilter(_Filter):
    """What needs and capabilities are filtered by alike: their organization's country or tier, a
    certification, an HS code prefix, words."""

    country: str | None = None
    tier: int | None = Field(None, ge=1, le=3)
    certification: str | None = Field(None, min_length=2, max_length=100)
    hs_code: str | None = Field(None, description="The first 2 to 10 digits of HS codes.")
    q: str | None = Field(None, max_length=200)

    @field_validator("country", mode="after")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return validate_country(value) if value else value

    @field_validator("hs_code", mode="after")
    @classmethod
    def _digits(cls, value: str | None) -> str | None:
        """A prefix as people write a code: "8708.70" and "8708 70" are 870870."""
        if value is None:
            return None
        digits = value.replace(".", "").replace(" ", "")
        if not (digits.isdigit() and 2 <= len(digits) <= 10):
            raise CodedValueError("hs_prefix", f"{value!r} is not the first 2 to 10 digits of an HS code")
        return digits


class NeedFilter(_ProfileFilter):
    """Needs by buyer (a registry organization), the buyer's country or tier, a certification
    the need asks for, HS code prefix, or words of ref or part."""

    buyer_id: int | None = Field(None, ge=1, le=MAX_ID)


class CapabilityFilter(_ProfileFilter):
    """Capabilities by supplier (a registry organization), the supplier's country or tier, a
    certification held, a prefix of one of its HS codes, or words of its description."""

    supplier_id: int | None = Field(None, ge=1, le=MAX_ID)
