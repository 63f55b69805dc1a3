"""Filters of the accounts domain's lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.schemas import MAX_ID, IsoDate, IsoDateTime


class AuditFilter(BaseModel):
    """Audit entries by table and record, by who, by action, and since when."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    entity_type: str | None = Field(None, max_length=40)
    entity_id: int | None = Field(None, ge=1, le=MAX_ID)
    actor: str | None = Field(None, max_length=300)
    action: str | None = Field(None, max_length=20)
    since: IsoDateTime | IsoDate | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: object) -> object:
        return None if value == "" else value

    def since_moment(self) -> datetime | None:
        """The start of `since` as a moment (a day starts at midnight UTC)."""
        if self.since is None or isinstance(self.since, datetime):
            return self.since
        return datetime.combine(self.since, datetime.min.time())
