"""Filters of catalog lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import MAX_ID


class VehicleFilter(BaseModel):
    """Vehicles by OEM (a registry organization) or by words of their code or name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    oem_id: int | None = Field(None, ge=1, le=MAX_ID)
    q: str | None = Field(None, max_length=200)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: object) -> object:
        return None if value == "" else value
