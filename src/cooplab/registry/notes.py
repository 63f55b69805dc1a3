"""Notes about organizations: private to the writer's organization by default, or shared (the
one visibility rule, cooplab.core.confidential). Lists name each note's author and the author's
organization, and say whether the reader may delete it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import column, func, select, table
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission, Role
from cooplab.core.confidential import visible_clause, visible_or_404
from cooplab.core.schemas import ListPublic, Strict
from cooplab.db.base import utcnow
from cooplab.errors import ForbiddenError, NotFoundError
from cooplab.registry.models import Organization, OrganizationNote
from cooplab.registry.service import get_organization
from cooplab.vocab.choices import Visibility

#: The users' names, as notes show their authors (the table is the accounts domain's).
_USERS = table("users", column("id"), column("name"))


class NoteCreate(Strict):
    text: str = Field(min_length=1, max_length=20000)
    visibility: Visibility = Visibility.ORGANIZATION


class NoteUpdate(Strict):
    text: str | None = Field(None, min_length=1, max_length=20000)
    visibility: Visibility | None = None


class NotePublic(BaseModel):
    """A note; pages also get who wrote it and whether the reader may delete it."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    organization_id: int
    owner_organization_id: int | None
    author_id: int | None
    visibility: str
    text: str
    author: str | None = Field(None, exclude=True)
    author_organization: str | None = Field(None, exclude=True)
    created_at: datetime | None = Field(None, exclude=True)
    edited: bool = Field(False, exclude=True)
    may_change: bool = Field(False, exclude=True)


def may_change(note: OrganizationNote, actor: Actor) -> bool:
    """The author of a note, or an admin, may change or delete it (not with a read-only token)."""
    if not actor.can_write:
        return False
    return actor.role == Role.ADMIN or (actor.user_id is not None and note.author_id == actor.user_id)


def _public(
    note: OrganizationNote, actor: Actor, author: str | None = None, author_organization: str | None = None
) -> NotePublic:
    edited = bool(
        note.updated_at and note.created_at and (note.updated_at - note.created_at).total_seconds() > 2
    )
    return NotePublic.model_validate(note).model_copy(
        update={
            "author": author,
            "author_organization": author_organization,
            "created_at": note.created_at,
            "edited": edited,
            "may_change": may_change(note, actor),
        }
    )


def list_notes(
    *, session: Session, actor: Actor, organization_id: int, offset: int = 0, limit: int = 100
) -> ListPublic[NotePublic]:
    """Notes about an organization that the actor may see, newest first, with their authors."""
    actor.require(Permission.READ)
    get_organization(session=session, organization_id=organization_id)
    stmt = select(OrganizationNote).where(
        OrganizationNote.organization_id == organization_id, visible_clause(OrganizationNote, actor)
    )
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(OrganizationNote.id.desc()).offset(offset).limit(limit)))
    authors = (
        dict(
            session.execute(
                select(_USERS.c.id, _USERS.c.name).where(
                    _USERS.c.id.in_({n.author_id for n in rows if n.author_id})
                )
            ).all()
        )
        if rows
        else {}
    )
    organizations = (
        dict(
            session.execute(
                select(Organization.id, Organization.name).where(
                    Organization.id.in_({n.owner_organization_id for n in rows if n.owner_organization_id})
                )
            ).all()
        )
        if rows
        else {}
    )
    return ListPublic(
        data=[
            _public(n, actor, authors.get(n.author_id or 0), organizations.get(n.owner_organization_id or 0))
            for n in rows
        ],
        count=count,
    )


def _note(session: Session, actor: Actor, note_id: int) -> OrganizationNote:
    return visible_or_404(session, OrganizationNote, note_id, actor, "note")


def get_note(*, session: Session, actor: Actor, note_id: int) -> NotePublic:
    """One note the actor may see (else: it does not exist)."""
    actor.require(Permission.READ)
    return _public(_note(session, actor, note_id), actor)


def add_note(*, session: Session, actor: Actor, organization_id: int, data: NoteCreate) -> NotePublic:
    """A note written by the actor, owned by the actor's organization."""
    actor.require(Permission.WRITE_NOTES)
    get_organization(session=session, organization_id=organization_id)
    note = OrganizationNote(
        organization_id=organization_id,
        owner_organization_id=actor.organization_id,
        author_id=actor.user_id,
        visibility=data.visibility.value,
        text=data.text,
    )
    session.add(note)
    session.flush()
    return _public(note, actor)


def update_note(*, session: Session, actor: Actor, note_id: int, data: NoteUpdate) -> NotePublic:
    """Change a note's text or visibility (its author or an admin)."""
    actor.require(Permission.WRITE_NOTES)
    note = _note(session, actor, note_id)
    if not may_change(note, actor):
        raise ForbiddenError("only the author or an admin changes a note", reason="note_author")
    if data.text is not None:
        note.text = data.text
    if data.visibility is not None:
        note.visibility = data.visibility.value
    note.updated_at = utcnow()
    session.flush()
    return _public(note, actor)


def delete_note(*, session: Session, actor: Actor, note_id: int, organization_id: int | None = None) -> None:
    """Delete a note (its author or an admin); with `organization_id`, only a note about it."""
    actor.require(Permission.WRITE_NOTES)
    note = _note(session, actor, note_id)
    if organization_id is not None and note.organization_id != organization_id:
        raise NotFoundError.record("note", note_id)
    if not may_change(note, actor):
        raise ForbiddenError("only the author or an admin deletes a note", reason="note_author")
    session.delete(note)
    session.flush()
