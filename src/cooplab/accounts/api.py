"""REST routes of accounts: who am I, API tokens, users (admin), the audit log (admin), notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict

from cooplab.accounts import audit, notes
from cooplab.accounts import service as accounts
from cooplab.accounts.schemas import UtcDateTime, TokenCreate, TokenCreated, TokenPublic, UserCreate, UserPublic
from cooplab.api.deps import ERROR_RESPONSES, PathId, SelfDep, SelfWriterDep, AdminDep, NoteWriterDep, PageDep, ReaderDep, SessionDep
from cooplab.registry.schemas import ListPublic

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


@router.get("/me", tags=["accounts"], response_model=UserPublic)
def read_me(actor: SelfDep, session: SessionDep) -> UserPublic:
    """The signed-in user."""
    return UserPublic.model_validate(accounts.get_user(session=session, user_id=actor.user_id))  # type: ignore[arg-type]


@router.get("/tokens", tags=["accounts"], response_model=ListPublic[TokenPublic])
def read_tokens(actor: SelfDep, session: SessionDep) -> ListPublic[TokenPublic]:
    """One's own API tokens (never the tokens themselves)."""
    rows = accounts.list_tokens(session=session, user_id=actor.user_id)
    return ListPublic(data=[TokenPublic.model_validate(t) for t in rows], count=len(rows))


@router.post("/tokens", tags=["accounts"], status_code=201, response_model=TokenCreated)
def create_token(actor: SelfWriterDep, session: SessionDep, data: TokenCreate, request: Request) -> TokenCreated:
    """A new API token for oneself; the answer holds the token, shown this once."""
    user = accounts.get_user(session=session, user_id=actor.user_id)  # type: ignore[arg-type]
    raw, token = accounts.create_token(session=session, user=user, data=data, settings=request.app.state.settings)
    session.commit()
    return TokenCreated.model_validate({**TokenPublic.model_validate(token).model_dump(), "token": raw})


@router.delete("/tokens/{token_id}", tags=["accounts"], status_code=204)
def revoke_token(actor: SelfWriterDep, session: SessionDep, token_id: PathId) -> Response:
    """Revoke a token: it stops working at once."""
    accounts.revoke_token(session=session, token_id=token_id, actor=actor)
    session.commit()
    return Response(status_code=204)


@router.get("/users", tags=["accounts"], response_model=ListPublic[UserPublic])
def read_users(actor: AdminDep, session: SessionDep) -> ListPublic[UserPublic]:
    rows = accounts.list_users(session=session)
    return ListPublic(data=[UserPublic.model_validate(u) for u in rows], count=len(rows))


@router.post("/users", tags=["accounts"], status_code=201, response_model=UserPublic)
def create_user(actor: AdminDep, session: SessionDep, data: UserCreate) -> UserPublic:
    user = accounts.create_user(session=session, data=data)
    session.commit()
    return UserPublic.model_validate(user)


@router.post("/users/{user_id}/disable", tags=["accounts"], response_model=UserPublic)
def disable_user(actor: AdminDep, session: SessionDep, user_id: PathId) -> UserPublic:
    """Disable a user: their sessions and tokens stop working at once."""
    user = accounts.disable_user(session=session, user_id=user_id)
    session.commit()
    return UserPublic.model_validate(user)


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    at: UtcDateTime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    before: dict | None  # type: ignore[type-arg]
    after: dict | None  # type: ignore[type-arg]


class AuditFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity_type: str | None = None
    entity_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None


@router.get("/audit", tags=["audit"], response_model=ListPublic[AuditEntryPublic])
def read_audit(
    actor: AdminDep, session: SessionDep, paging: PageDep,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    who: Annotated[str | None, Query(alias="actor", max_length=300)] = None,
    action: Annotated[str | None, Query(max_length=20)] = None,
    since: datetime | None = None,
) -> ListPublic[AuditEntryPublic]:
    """Every write, newest first: who, when, what, before and after."""
    rows, count = audit.list_entries(session=session, entity_type=entity_type, entity_id=entity_id,
                                     actor=who, action=action, since=since,
                                     offset=paging.offset, limit=paging.limit)
    return ListPublic(data=[AuditEntryPublic.model_validate(r) for r in rows], count=count)


@router.get("/audit/export", tags=["audit"], response_class=Response,
            responses={200: {"content": {"text/csv": {}}, "description": "the audit log as CSV"}})
def export_audit(
    actor: AdminDep, session: SessionDep,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    since: datetime | None = None,
) -> Response:
    """The audit log as CSV (at most 100,000 entries, newest first)."""
    rows, _ = audit.list_entries(session=session, entity_type=entity_type, since=since, limit=100_000)
    return Response(audit.export_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cooplab-audit.csv"'})


@router.get("/organizations/{organization_id}/notes", tags=["notes"], response_model=ListPublic[notes.NotePublic])
def read_notes(actor: ReaderDep, session: SessionDep, organization_id: PathId, paging: PageDep) -> ListPublic[notes.NotePublic]:
    """Notes about an organization that you may see."""
    rows, count = notes.list_notes(session=session, actor=actor, organization_id=organization_id,
                                   offset=paging.offset, limit=paging.limit)
    return ListPublic(data=[notes.NotePublic.model_validate(n) for n in rows], count=count)


@router.post("/organizations/{organization_id}/notes", tags=["notes"], status_code=201, response_model=notes.NotePublic)
def create_note(actor: NoteWriterDep, session: SessionDep, organization_id: PathId, data: notes.NoteCreate) -> notes.NotePublic:
    """Write a note; private to your organization unless you choose another visibility."""
    note = notes.add_note(session=session, actor=actor, organization_id=organization_id, data=data)
    session.commit()
    return notes.NotePublic.model_validate(note)


@router.get("/notes/{note_id}", tags=["notes"], response_model=notes.NotePublic)
def read_note(actor: ReaderDep, session: SessionDep, note_id: PathId) -> notes.NotePublic:
    return notes.NotePublic.model_validate(notes.get_note(session=session, actor=actor, note_id=note_id))


@router.patch("/notes/{note_id}", tags=["notes"], response_model=notes.NotePublic)
def update_note(actor: NoteWriterDep, session: SessionDep, note_id: PathId, data: notes.NoteUpdate) -> notes.NotePublic:
    note = notes.update_note(session=session, actor=actor, note_id=note_id, data=data)
    session.commit()
    return notes.NotePublic.model_validate(note)


@router.delete("/notes/{note_id}", tags=["notes"], status_code=204)
def delete_note(actor: NoteWriterDep, session: SessionDep, note_id: PathId) -> Response:
    notes.delete_note(session=session, actor=actor, note_id=note_id)
    session.commit()
    return Response(status_code=204)
