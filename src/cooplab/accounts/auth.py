"""Who sent a request: a bearer token, else a browser session cookie, else an anonymous
visitor. The app factory gives `resolve_actor` to the application; API and web routes ask it
through `cooplab.core.http.Requires` and `cooplab.core.web.access`."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from cooplab.accounts import service as accounts
from cooplab.core.actor import ANONYMOUS, Actor
from cooplab.core.audit import use_actor
from cooplab.core.http import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE
from cooplab.core.web.access import token_matches
from cooplab.errors import ForbiddenError, UnauthorizedError


def resolve_actor(request: Request, session: Session) -> Actor:
    """The actor of a request, decided once and kept on the request; the session's writes are
    attributed to it. A token or cookie that is wrong, expired or revoked is refused, not taken
    as anonymous; an API write from a browser needs the session's CSRF token in a header."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        use_actor(session, cached)
        return cached
    settings = request.app.state.settings
    header = request.headers.get("authorization", "")
    actor = ANONYMOUS
    if header:
        scheme, _, raw = header.partition(" ")
        token = (
            accounts.resolve_token(session=session, raw=raw.strip(), settings=settings)
            if scheme.lower() == "bearer"
            else None
        )
        if token is None:
            raise UnauthorizedError("the API token is wrong, expired or revoked")
        accounts.record_token_use(session=session, token=token)
        actor = accounts.actor_of(token.user, can_write=token.scope == "write")
    elif request.cookies.get(SESSION_COOKIE):
        web = accounts.resolve_web_session(
            session=session, raw=request.cookies[SESSION_COOKIE], settings=settings
        )
        if web is not None:
            request.state.web_session = web
            # what the page layout needs of the signed-in user, copied so it outlives the session
            request.state.web_user = {
                "id": web.user.id,
                "name": web.user.name,
                "email": web.user.email,
                "role": web.user.role,
                "organization_id": web.user.organization_id,
            }
            request.state.csrf_token = web.csrf_token
            actor = accounts.actor_of(web.user)
            if request.url.path.startswith("/api") and request.method not in SAFE_METHODS:
                if not token_matches(request.headers.get(CSRF_HEADER), web.csrf_token):
                    raise ForbiddenError(
                        "missing or wrong CSRF token (send the X-CSRF-Token header)", reason="csrf"
                    )
    if not actor.signed_in and not settings.public_read:
        raise UnauthorizedError("sign in first")
    request.state.actor = actor
    use_actor(session, actor)
    return actor
