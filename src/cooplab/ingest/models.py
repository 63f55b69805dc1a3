"""Ingested documents: the text, what was extracted from it, and what a reviewer accepted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Date, DateTime, ForeignKey, Integer, String, Text, exists, or_
from sqlalchemy.orm import Mapped, mapped_column

from cooplab.core.actor import Actor
from cooplab.core.confidential import Confidential, restrict, visible_clause
from cooplab.core.revision import watch
from cooplab.db.base import Base, utcnow
from cooplab.engagements.models import Mission
from cooplab.registry.models import Source, Stamp
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


def _sources_of_documents(actor: Actor) -> ColumnElement[bool]:
    """A source an acceptance created is seen by those who may read its document (and so the
    mission it was accepted into): its title is the mission's."""
    of_source = IngestDocument.source_id == Source.id
    return or_(
        ~exists().where(of_source),
        exists().where(of_source, visible_clause(IngestDocument, actor)),
    )


restrict(Source, _sources_of_documents)
# what decides who sees such a source moves the registry's kept answers (citations show sources)
watch(Stamp.RECORDS, {"ingest_documents", "missions", "mission_organizations"})
