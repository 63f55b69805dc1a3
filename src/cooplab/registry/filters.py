"""Filters of registry lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.vocab.choices import OrganizationKind, PlaceKind
from cooplab.vocab.countries import validate_country


def _blank_to_none(value: object) -> object:
    return None if value == "" else value


class Filter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    q: str | None = Field(None, max_length=200, description="Any name, in any script.")

    _blank = field_validator("*", mode="before")(_blank_to_none)


class OrganizationFilter(Filter):
    """Organizations by name, kind, country, tier, and whether their data is illustrative."""

    kind: OrganizationKind | None = None
    country: str | None = None
    tier: int | None = Field(None, ge=1, le=3)
    illustrative: bool | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return validate_country(value) if value else None


class PersonFilter(Filter):
    """People by name and by the organization they hold a position at."""

    organization_id: int | None = None


class PlaceFilter(Filter):
    """Places by name, kind and country."""

    kind: PlaceKind | None = None
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return validate_country(value) if value else None
