"""Notes about organizations: private to the writer's organization by default, or shared."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.accounts.models import OrganizationNote
from cooplab.accounts.roles import Actor, Permission, Role, Visibility
from cooplab.accounts.visibility import can_see, visible_clause
from cooplab.db.base import utcnow
from cooplab.errors import ForbiddenError, NotFoundError
from cooplab.registry.service import get_organization


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    text: str = Field(min_length=1, max_length=20000)
    visibility: Visibility = Visibility.ORGANIZATION


class NoteUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    text: str | None = Field(None, min_length=1, max_length=20000)
    visibility: Visibility | None = None


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    organization_id: int
    owner_organization_id: int | None
    author_id: int | None
    visibility: str
    text: str


def list_notes(*, session: Session, actor: Actor, organization_id: int,
               offset: int = 0, limit: int = 100) -> tuple[list[OrganizationNote], int]:
    """Notes about an organization that the actor may see."""
    get_organization(session=session, organization_id=organization_id)
    stmt = select(OrganizationNote).where(OrganizationNote.organization_id == organization_id,
                                          visible_clause(OrganizationNote, actor))
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return list(session.scalars(stmt.order_by(OrganizationNote.id.desc()).offset(offset).limit(limit))), count


def get_note(*, session: Session, actor: Actor, note_id: int) -> OrganizationNote:
    note = session.get(OrganizationNote, note_id)
    if note is None or not can_see(note, actor):
        raise NotFoundError(f"note {note_id} does not exist")
    return note


def add_note(*, session: Session, actor: Actor, organization_id: int, data: NoteCreate) -> OrganizationNote:
    """A note written by the actor, owned by the actor's organization."""
    if not actor.has(Permission.WRITE_NOTES):
        raise ForbiddenError("your role cannot write notes")
    get_organization(session=session, organization_id=organization_id)
    note = OrganizationNote(organization_id=organization_id, owner_organization_id=actor.organization_id,
                            author_id=actor.user_id, visibility=data.visibility.value, text=data.text)
    session.add(note)
    session.flush()
    return note


def may_change(note: OrganizationNote, actor: Actor) -> bool:
    """The author of a note, or an admin, may change or delete it."""
    return actor.role == Role.ADMIN or (actor.user_id is not None and note.author_id == actor.user_id)


def update_note(*, session: Session, actor: Actor, note_id: int, data: NoteUpdate) -> OrganizationNote:
    note = get_note(session=session, actor=actor, note_id=note_id)
    if not may_change(note, actor) or not actor.can_write:
        raise ForbiddenError("only the author or an admin changes a note")
    if data.text is not None:
        note.text = data.text
    if data.visibility is not None:
        note.visibility = data.visibility.value
    note.updated_at = utcnow()
    session.flush()
    return note


def delete_note(*, session: Session, actor: Actor, note_id: int) -> None:
    note = get_note(session=session, actor=actor, note_id=note_id)
    if not may_change(note, actor) or not actor.can_write:
        raise ForbiddenError("only the author or an admin deletes a note")
    session.delete(note)
    session.flush()
