"""REST routes of accounts: who am I, API tokens, users (admin), the audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from cooplab.accounts import audit
from cooplab.accounts import service as accounts
from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.schemas import (
    AuditEntryPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from cooplab.core.http import (
    ERROR_RESPONSES,
    AdminDep,
    PageDep,
    PathId,
    SelfDep,
    SelfWriterDep,
    SessionDep,
)
from cooplab.core.routes import ApiRoute
from cooplab.core.schemas import IsoDateTime, ListPublic

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, route_class=ApiRoute)


@router.get("/me", tags=["accounts"], response_model=UserPublic)
def read_me(actor: SelfDep, session: SessionDep) -> UserPublic:
    """The signed-in user."""
    return accounts.get_user(session=session, actor=actor, user_id=actor.user_id)  # type: ignore[arg-type]


@router.get("/tokens", tags=["accounts"], response_model=ListPublic[TokenPublic])
def read_tokens(actor: SelfDep, session: SessionDep) -> ListPublic[TokenPublic]:
    """One's own API tokens (never the tokens themselves)."""
    rows = accounts.list_tokens(session=session, actor=actor, user_id=actor.user_id)
    return ListPublic(data=rows, count=len(rows))


@router.post("/tokens", tags=["accounts"], status_code=201, response_model=TokenCreated)
def create_token(
    actor: SelfWriterDep, session: SessionDep, data: TokenCreate, request: Request
) -> TokenCreated:
    """A new API token for oneself; the answer holds the token, shown this once."""
    raw, token = accounts.create_token(
        session=session, actor=actor, data=data, settings=request.app.state.settings
    )
    session.commit()
    return TokenCreated.model_validate({**token.model_dump(), "token": raw})


@router.delete("/tokens/{token_id}", tags=["accounts"], status_code=204)
def revoke_token(actor: SelfWriterDep, session: SessionDep, token_id: PathId) -> Response:
    """Revoke a token: it stops working at once."""
    accounts.revoke_token(session=session, token_id=token_id, actor=actor)
    session.commit()
    return Response(status_code=204)


@router.get("/users", tags=["accounts"], response_model=ListPublic[UserPublic])
def read_users(actor: AdminDep, session: SessionDep) -> ListPublic[UserPublic]:
    rows = accounts.list_users(session=session, actor=actor)
    return ListPublic(data=rows, count=len(rows))


@router.post("/users", tags=["accounts"], status_code=201, response_model=UserPublic)
def create_user(actor: AdminDep, session: SessionDep, data: UserCreate) -> UserPublic:
    user = accounts.create_user(session=session, actor=actor, data=data)
    session.commit()
    return user


@router.post("/users/{user_id}/disable", tags=["accounts"], response_model=UserPublic)
def disable_user(actor: AdminDep, session: SessionDep, user_id: PathId) -> UserPublic:
    """Disable a user: their sessions and tokens stop working at once."""
    user = accounts.disable_user(session=session, actor=actor, user_id=user_id)
    session.commit()
    return user


@router.get("/audit", tags=["audit"], response_model=ListPublic[AuditEntryPublic])
def read_audit(
    actor: AdminDep,
    session: SessionDep,
    paging: PageDep,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    who: Annotated[str | None, Query(alias="actor", max_length=300)] = None,
    action: Annotated[str | None, Query(max_length=20)] = None,
    since: IsoDateTime | None = None,
) -> ListPublic[AuditEntryPublic]:
    """Every write, newest first: who, when, what, before and after."""
    filters = AuditFilter(entity_type=entity_type, entity_id=entity_id, actor=who, action=action, since=since)
    return audit.list_entries(
        session=session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )


@router.get(
    "/audit/export",
    tags=["audit"],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "the audit log as CSV"}},
)
def export_audit(
    actor: AdminDep,
    session: SessionDep,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    since: IsoDateTime | None = None,
) -> Response:
    """The audit log as CSV (at most 100,000 entries, newest first)."""
    data = audit.export_csv(
        session=session, actor=actor, filters=AuditFilter(entity_type=entity_type, since=since)
    )
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="cooplab-audit.csv"'},
    )
