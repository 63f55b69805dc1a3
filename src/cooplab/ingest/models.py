"""Ingested documents: the text, what was extracted from it, and what a reviewer accepted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cooplab.core.confidential import Confidential
from cooplab.db.base import Base, utcnow
from cooplab.engagements.models import Mission
from cooplab.vocab.choices import Visibility


class IngestDocument(Confidential, Base):
    """A report or news text as ingested: a draft until a reviewer accepts its records."""

    __tablename__ = "ingest_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    published: Mapped[date | None] = mapped_column(Date)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    #: A draft is for the editors who ingest documents (analysts) and its creator.
    DEFAULT_VISIBILITY = Visibility.ORGANIZATION

    @classmethod
    def follows(cls) -> tuple[Any, Any]:
        """Once accepted into a mission, a document is as visible as that mission."""
        return cls.mission_id, Mission
