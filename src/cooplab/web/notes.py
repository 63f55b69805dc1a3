"""Notes about an organization on its page: only those the reader may see, each with who wrote it
and who else sees it; the form to add one. Which notes are visible is decided by
cooplab.accounts.notes (and visibility); nothing here filters or counts on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cooplab.accounts import notes
from cooplab.accounts import service as accounts
from cooplab.accounts.roles import Actor, Permission, Visibility
from cooplab.errors import NotFoundError
from cooplab.registry import service
from cooplab.web.forms import FormErrors

#: Visibilities in the order the form offers them, the default first.
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PARTIES, Visibility.MEMBERS, Visibility.PUBLIC)


@dataclass
class NoteItem:
    """One note as the page shows it."""

    id: int
    text: str
    visibility: str
    author: str | None
    author_organization: str | None
    created_at: datetime | None
    edited: bool
    may_delete: bool


@dataclass
class NoteSection:
    """The notes section of an organization page: the visible notes and the form's state."""

    items: list[NoteItem]
    count: int
    may_write: bool
    values: dict[str, str] = field(default_factory=lambda: {"text": "", "visibility": Visibility.ORGANIZATION.value})
    errors: FormErrors = field(default_factory=FormErrors)
    visibilities: tuple[str, ...] = tuple(v.value for v in VISIBILITIES)


def note_section(session: Session, actor: Actor, organization_id: int,
                 values: dict[str, str] | None = None, errors: FormErrors | None = None) -> NoteSection:
    """The notes about an organization that `actor` may see (newest first), and the form."""
    rows, count = notes.list_notes(session=session, actor=actor, organization_id=organization_id, limit=200)
    authors: dict[int, str | None] = {}
    organizations: dict[int, str | None] = {}
    items = []
    for note in rows:
        items.append(NoteItem(
            id=note.id, text=note.text, visibility=note.visibility,
            author=_cached(authors, note.author_id, lambda i: accounts.get_user(session=session, user_id=i).name),
            author_organization=_cached(organizations, note.owner_organization_id,
                                        lambda i: service.get_organization(session=session, organization_id=i).name),
            created_at=note.created_at,
            edited=bool(note.updated_at and note.created_at and (note.updated_at - note.created_at).total_seconds() > 2),
            # the service's own rule (the author or an admin), so the button shows only when it works
            may_delete=actor.can_write and notes.may_change(note, actor),
        ))
    section = NoteSection(items=items, count=count, may_write=actor.has(Permission.WRITE_NOTES))
    if values is not None:
        section.values = values
    if errors is not None:
        section.errors = errors
    return section


def _cached(cache: dict[int, str | None], key: int | None, load: Any) -> str | None:
    if key is None:
        return None
    if key not in cache:
        try:
            cache[key] = load(key)
        except NotFoundError:
            cache[key] = None
    return cache[key]
