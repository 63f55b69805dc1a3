"""What every domain's API routes share: the database session, paging, strict query filters,
the documented error answers, and each route's access rule (`Requires`).

Who is asking is decided by the accounts domain; the app factory hands its resolver to the
application (`app.state.resolve_actor`), and `Requires` asks it. Permissions themselves are
checked again by the services, which take the actor.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.schemas import MAX_ID
from cooplab.db.session import session_factory
from cooplab.errors import ForbiddenError, InvalidInputError, UnauthorizedError, invalid_input

F = TypeVar("F", bound=BaseModel)
log = logging.getLogger(__name__)

SESSION_COOKIE = "cooplab_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session on the app's database; routes that write commit it themselves. Opening one
    costs no I/O (its connection is taken on first use, in the route's thread), so it is made on
    the event loop rather than with a trip through the thread pool.

    Closing it never raises: it runs after the answer has started, so an error there (the
    database connection dropped) would leave the client with no answer at all; the pool drops
    such a connection and the next request gets a new one."""
    session = session_factory(request.app.state.engine)()
    try:
        yield session
    finally:
        try:
            session.close()
        except DBAPIError as error:
            log.warning("a database connection failed while a request ended: %s", error)


SessionDep = Annotated[Session, Depends(get_session)]
#: A record id in a path: positive and within a 32-bit integer.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


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
            raise unknown_query_error(unknown)
        try:
            return model.model_validate({k: v for k, v in params.items() if k in model.model_fields})
        except ValidationError as exc:
            raise invalid_input(exc, prefix=("query",)) from None

    read.query_model = model  # type: ignore[attr-defined]  # what ApiRoute reads to know the names
    return read


def unknown_query_error(unknown: list[str]) -> InvalidInputError:
    """The error of query parameters a route does not take, each named."""
    return InvalidInputError(
        "unknown query parameter: " + ", ".join(unknown),
        details=[
            {"loc": ["query", name], "msg": "unknown parameter", "code": "unknown_parameter"}
            for name in unknown
        ],
    )


# ---------------------------------------------------------------- who is asking


class ActorResolver(Protocol):
    """Decides who sent a request (a token, a session cookie, or nobody)."""

    def __call__(self, request: Request, session: Session) -> Actor: ...


def has_credentials(request: Request) -> bool:
    """Whether the request carries a token or a session cookie (resolving it reads the database)."""
    return bool(request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE))


class Requires:
    """A route's access rule: the permission it needs. Every API route has one (a test checks)."""

    def __init__(self, permission: Permission, *, signed_in: bool = False, writes: bool = False) -> None:
        self.permission = permission
        self.signed_in = signed_in  # a route about oneself (tokens, "me"): no anonymous reader
        self.writes = writes  # changes something even under READ: not with a read-only token

    async def __call__(self, request: Request, session: SessionDep) -> Actor:
        resolve = request.app.state.resolve_actor
        if has_credentials(request):
            actor = await run_in_threadpool(resolve, request, session)  # reads the database
        else:
            actor = resolve(request, session)
        if (self.signed_in or self.writes) and actor.user_id is None:
            raise UnauthorizedError("sign in first")
        if self.writes and not actor.can_write:
            raise ForbiddenError("this API token is read-only")
        actor.require(self.permission)
        return actor


ReaderDep = Annotated[Actor, Depends(Requires(Permission.READ))]
EditorDep = Annotated[Actor, Depends(Requires(Permission.EDIT_REGISTRY))]
OwnEditorDep = Annotated[Actor, Depends(Requires(Permission.EDIT_OWN_ORGANIZATION))]
NoteWriterDep = Annotated[Actor, Depends(Requires(Permission.WRITE_NOTES))]
AdminDep = Annotated[Actor, Depends(Requires(Permission.ADMINISTER))]
SelfDep = Annotated[Actor, Depends(Requires(Permission.READ, signed_in=True))]
SelfWriterDep = Annotated[Actor, Depends(Requires(Permission.READ, writes=True))]
