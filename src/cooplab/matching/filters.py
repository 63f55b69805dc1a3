"""Filters of matchmaking lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import MAX_ID


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: object) -> object:
        return None if value == "" else value


class _ProfileFilter(_Filter):
    """What needs and capabilities are filtered by alike: their organization's country or tier, a
    certification, an HS code prefix, words."""

    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    tier: int | None = Field(None, ge=1, le=3)
    certification: str | None = Field(None, min_length=2, max_length=100)
    hs_code: str | None = Field(None, pattern=r"^\d{2,10}$")
    q: str | None = Field(None, max_length=200)

    @field_validator("country", mode="after")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @field_validator("hs_code", mode="before")
    @classmethod
    def _digits(cls, value: object) -> object:
        """A prefix as people write a code: "8708.70" and "8708 70" are 870870."""
        return value.replace(".", "").replace(" ", "") if isinstance(value, str) else value


class NeedFilter(_ProfileFilter):
    """Needs by buyer (a registry organization), the buyer's country or tier, a certification
    the need asks for, HS code prefix, or words of ref or part."""

    buyer_id: int | None = Field(None, ge=1, le=MAX_ID)


class CapabilityFilter(_ProfileFilter):
    """Capabilities by supplier (a registry organization), the supplier's country or tier, a
    certification held, a prefix of one of its HS codes, or words of its description."""

    supplier_id: int | None = Field(None, ge=1, le=MAX_ID)
