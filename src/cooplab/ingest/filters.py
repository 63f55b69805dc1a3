"""Filters of ingest lists, defined once for the API, the web UI and the CLI."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DocumentStatus(StrEnum):
    """Where an ingested document stands."""

    DRAFT = "draft"
    ACCEPTED = "accepted"


class DocumentFilter(BaseModel):
    """Documents by whether they wait for review or were accepted."""

    model_config = ConfigDict(extra="forbid")
    status: DocumentStatus | None = None
