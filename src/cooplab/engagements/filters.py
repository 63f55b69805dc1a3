"""Filters of engagement lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import MAX_ID
from cooplab.vocab.choices import ActionStatus


class _Filter(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: object) -> object:
        return None if value == "" else value


class AgreementFilter(_Filter):
    """Agreements an organization is a party to."""

    organization_id: int | None = Field(None, ge=1, le=MAX_ID)


class ActionItemFilter(_Filter):
    """Next steps by status, by the organization responsible, and whether they are overdue."""

    status: ActionStatus | None = None
    organization_id: int | None = Field(None, ge=1, le=MAX_ID)
    overdue: bool = False
    mine: bool = Field(
        False, description="Only those the reader created or their organization is responsible for."
    )
