"""This domain's part of a signed-in reader's home page: the drafts waiting for review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.domain import PageSection
from cooplab.ingest import service
from cooplab.ingest.filters import DocumentFilter, DocumentStatus

#: The most drafts the home page lists (the ingest page lists them all).
HOME_LIMIT = 8


def home_section(*, session: Session, actor: Actor, lang: str) -> PageSection | None:
    """The drafts the reader may review, newest first (nothing for those whose role cannot ingest)."""
    if not actor.has(Permission.EDIT_REGISTRY):
        return None
    drafts = service.list_documents(
        session=session, actor=actor, filters=DocumentFilter(status=DocumentStatus.DRAFT), limit=HOME_LIMIT
    )
    return PageSection("ingest/_home_drafts.html", {"drafts": drafts.data, "count": drafts.count})
