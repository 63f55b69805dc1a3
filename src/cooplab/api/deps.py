"""Dependencies shared by API and web routes: the database session, paging, strict filters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Awaitable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from cooplab.accounts.audit import use_actor
from cooplab.accounts.roles import ANONYMOUS, Actor, Permission
from cooplab.db.base import utcnow
from cooplab.db.session import session_factory
from cooplab.errors import ForbiddenError, InvalidInputError, UnauthorizedError, invalid_input

F = TypeVar("F", bound=BaseModel)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session on the app's database; routes that write commit it themselves. Opening one
    costs no I/O (its connection is taken on first use, in the route's thread), so it is made on
    the event loop rather than with a trip through the thread pool."""
    with session_factory(request.app.state.engine)() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


#: A record id in a path: positive and within a 32-bit integer.
PathId = Annotated[int, Path(ge=1, le=2_147_483_647)]


class ErrorContent(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]]


class ErrorBody(BaseModel):
    """The one shape of every error."""

    error: ErrorContent


#: Error answers every API route may give, documented in the OpenAPI description.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "the request body cannot be parsed",
        401: "not signed in, or a wrong, expired or revoked token",
        403: "the role or the token's scope does not allow this",
        404: "no such record (or not visible to you)",
        409: "conflict: a duplicate, or an edit based on an old version",
        413: "the upload is too large",
        415: "the upload is not a spreadsheet",
        422: "invalid input; details name each bad field",
        429: "too many attempts",
        503: "the database did not answer; try again in a moment",
    }.items()
}


class Page(BaseModel):
    offset: int
    limit: int


async def page(
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Page:
    return Page(offset=offset, limit=limit)


PageDep = Annotated[Page, Depends(page)]
PAGING = {"offset", "limit", "lang", "format"}


def query_filter(model: type[F]) -> Callable[[Request], Awaitable[F]]:
    """A dependency reading `model` from the query string; unknown parameters are refused."""

    async def read(request: Request) -> F:
        params: dict[str, Any] = dict(request.query_params)
        unknown = sorted(set(params) - set(model.model_fields) - PAGING)
        if unknown:
            raise InvalidInputError(
                "unknown query parameter: " + ", ".join(unknown),
                details=[{"loc": ["query", name], "msg": "unknown parameter"} for name in unknown],
            )
        try:
            return model.model_validate({k: v for k, v in params.items() if k in model.model_fields})
        except ValidationError as exc:
            raise invalid_input(exc, prefix=("query",)) from None

    return read


# ---------------------------------------------------------------- who is asking

SESSION_COOKIE = "cooplab_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def resolve_actor(request: Request, session: Session) -> Actor:
    """The actor of a request: a bearer token, else a browser session cookie, else anonymous.
    A token or cookie that is wrong, expired or revoked is refused, not taken as anonymous."""
    from cooplab.accounts import service as accounts

    cached = getattr(request.state, "actor", None)
    if cached is not None:
        use_actor(session, cached)
        return cached
    settings = request.app.state.settings
    header = request.headers.get("authorization", "")
    actor = ANONYMOUS
    if header:
        scheme, _, raw = header.partition(" ")
        token = accounts.resolve_token(session=session, raw=raw.strip(), settings=settings) if scheme.lower() == "bearer" else None
        if token is None:
            raise UnauthorizedError("the API token is wrong, expired or revoked")
        token.last_used_at = utcnow()
        actor = accounts.actor_of(token.user, can_write=token.scope == "write")
    elif request.cookies.get(SESSION_COOKIE):
        web = accounts.resolve_web_session(session=session, raw=request.cookies[SESSION_COOKIE], settings=settings)
        if web is not None:
            request.state.web_session = web
            actor = accounts.actor_of(web.user)
            if request.url.path.startswith("/api") and request.method not in SAFE_METHODS:
                if request.headers.get(CSRF_HEADER) != web.csrf_token:
                    raise ForbiddenError("missing or wrong CSRF token (send the X-CSRF-Token header)")
    if not actor.signed_in and not settings.public_read:
        raise UnauthorizedError("sign in first")
    request.state.actor = actor
    use_actor(session, actor)
    return actor


class Requires:
    """A route's access rule: the permission it needs. Every API route has one (a test checks)."""

    def __init__(self, permission: Permission, *, signed_in: bool = False, writes: bool = False) -> None:
        self.permission = permission
        self.signed_in = signed_in  # a route about oneself (tokens, "me"): no anonymous reader
        self.writes = writes  # changes something even under READ: not with a read-only token

    async def __call__(self, request: Request, session: SessionDep) -> Actor:
        if request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE):
            actor = await run_in_threadpool(resolve_actor, request, session)  # reads the database
        else:
            actor = resolve_actor(request, session)
        if (self.signed_in or self.writes) and actor.user_id is None:
            raise UnauthorizedError("sign in first")
        if self.writes and not actor.can_write:
            raise ForbiddenError("this API token is read-only")
        if not actor.has(self.permission):
            if not actor.signed_in:
                raise UnauthorizedError("sign in first")
            if not actor.can_write:
                raise ForbiddenError("this API token is read-only")
            raise ForbiddenError(f"your role ({actor.role}) does not allow this")
        return actor


ReaderDep = Annotated[Actor, Depends(Requires(Permission.READ))]
EditorDep = Annotated[Actor, Depends(Requires(Permission.EDIT_REGISTRY))]
OwnEditorDep = Annotated[Actor, Depends(Requires(Permission.EDIT_OWN_ORGANIZATION))]
NoteWriterDep = Annotated[Actor, Depends(Requires(Permission.WRITE_NOTES))]
AdminDep = Annotated[Actor, Depends(Requires(Permission.ADMINISTER))]
SelfDep = Annotated[Actor, Depends(Requires(Permission.READ, signed_in=True))]
SelfWriterDep = Annotated[Actor, Depends(Requires(Permission.READ, writes=True))]
