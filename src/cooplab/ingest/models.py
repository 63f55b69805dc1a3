"""Ingested documents: the text, what was extracted from it, and what a reviewer accepted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Date, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from cooplab.db.base import Base, utcnow


class IngestDocument(Base):
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
    visibility: Mapped[str] = mapped_column(String(20), default="members")
    owner_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        return false()

    def parties(self) -> set[int]:
        return set()
