"""Signing in and out, and one's own account: details and API tokens (each shown once)."""

from __future__ import annotations

import math
import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.accounts import service as accounts
from cooplab.accounts.roles import Actor
from cooplab.accounts.schemas import TokenCreate
from cooplab.api.deps import SESSION_COOKIE, SessionDep
from cooplab.errors import NotFoundError, TooManyAttemptsError, UnauthorizedError
from cooplab.registry import service
from cooplab.web.access import (
    LOGIN_CSRF_COOKIE,
    FormDep,
    LoginFormDep,
    LogoutFormDep,
    SignedInDep,
    VisitorDep,
    safe_next,
)
from cooplab.web.forms import FormErrors, validation_errors
from cooplab.web.render import redirect, render, request_language, translate
from cooplab.web.routing import RecordId, WebRoute

router = APIRouter(route_class=WebRoute)

#: Lifetimes a new token may be given in the form, in days (90 is preselected).
TOKEN_DAYS = (30, 90, 180, 365)
#: What the sign-in form can say went wrong (catalog keys).
LOGIN_PROBLEMS = ("login.wrong", "login.too_many", "login.expired", "login.missing")


# ---------------------------------------------------------------- sign in and out


@router.get("/login")
def login_page(request: Request, actor: VisitorDep) -> Response:
    """The sign-in form; a signed-in reader goes straight on to where they were going."""
    target = safe_next(request.query_params.get("next"))
    if actor.signed_in:
        return redirect(target)
    return _login_form(request, {"email": "", "next": target})


@router.post("/login")
def login(request: Request, session: SessionDep, actor: VisitorDep, form: LoginFormDep) -> Response:
    """Check the e-mail and password and start a server-side session (the cookie holds its id)."""
    values = {"email": str(form.data.get("email", "") or "").strip()[:254],
              "next": safe_next(form.data.get("next"))}
    if not form.csrf_ok:
        return _login_form(request, values, "login.expired", 403)
    password = str(form.data.get("password", "") or "")
    if not values["email"] or not password:
        return _login_form(request, values, "login.missing", 422)
    address = request.client.host if request.client else ""
    settings = request.app.state.settings
    try:
        user = accounts.authenticate(session=session, email=values["email"], password=password[:200],
                                     address=address, settings=settings)
    except UnauthorizedError:
        session.commit()  # the failure counts towards the pause
        return _login_form(request, values, "login.wrong", 401)
    except TooManyAttemptsError:
        session.rollback()
        return _login_form(request, values, "login.too_many", 429)
    old = request.cookies.get(SESSION_COOKIE)
    if old:  # a new sign-in never continues an old session (fixation)
        accounts.end_web_session(session=session, raw=old, settings=settings)
    raw, _ = accounts.start_web_session(session=session, user=user, settings=settings)
    session.commit()
    response = redirect(values["next"], flash="signed_in")
    response.set_cookie(SESSION_COOKIE, raw, max_age=settings.session_hours * 3600, path="/",
                        httponly=True, samesite="lax", secure=settings.cookie_secure)
    return response


def _login_form(request: Request, values: dict[str, str], problem: str | None = None,
                status: int = 200) -> Response:
    """The sign-in form with its double-submit token (kept while the browser keeps the cookie)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    fresh = not token or len(token) < 32 or problem == "login.expired"
    if fresh:
        token = secrets.token_urlsafe(32)
    settings = request.app.state.settings
    minutes = math.ceil(settings.login_window_seconds / 60)
    response = render(request, "login.html", {
        "values": values, "problem": problem, "login_token": token, "minutes": minutes,
        "public_read": settings.public_read,
    }, status=status)
    if fresh:
        response.set_cookie(LOGIN_CSRF_COOKIE, token, path="/login", httponly=True, samesite="lax",
                            secure=settings.cookie_secure)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, actor: VisitorDep, form: LogoutFormDep) -> Response:
    """End the session at once: the cookie stops working on the server, whatever the browser keeps."""
    raw = request.cookies.get(SESSION_COOKIE)
    settings = request.app.state.settings
    if raw:
        accounts.end_web_session(session=session, raw=raw, settings=settings)
        session.commit()
    response = redirect("/", flash="signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=settings.cookie_secure)
    return response


# ---------------------------------------------------------------- one's account and tokens


@router.get("/account")
def account_page(request: Request, session: SessionDep, actor: SignedInDep) -> Response:
    """The signed-in user's details and API tokens."""
    return _account(request, session, actor)


@router.post("/account/tokens")
def token_create(request: Request, session: SessionDep, actor: SignedInDep, form: FormDep) -> Response:
    """A new API token, shown on the answer page once and never again."""
    lang = request_language(request)
    values = {"name": str(form.get("name", "") or "").strip(), "scope": str(form.get("scope", "") or "read"),
              "days": str(form.get("days", "") or "").strip()}
    try:
        # the form offers lifetimes only; a token that never expires is made with the CLI or the API
        data = TokenCreate.model_validate({"name": values["name"], "scope": values["scope"], "days": values["days"]})
        user = accounts.get_user(session=session, user_id=actor.user_id)  # type: ignore[arg-type]
        raw, token = accounts.create_token(session=session, user=user, data=data,
                                           settings=request.app.state.settings)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = validation_errors(exc, lang, lambda loc, _msg: loc[0] if loc else None)
        return _account(request, session, actor, values, errors, status=422)
    return _account(request, session, actor, created={"token": raw, "name": token.name, "id": token.id})


@router.post("/account/tokens/{token_id}/revoke")
def token_revoke(request: Request, session: SessionDep, actor: SignedInDep, token_id: RecordId,
                 form: FormDep) -> Response:
    """Revoke one of one's tokens: it stops working at once."""
    accounts.revoke_token(session=session, token_id=token_id, actor=actor)
    session.commit()
    return redirect("/account#tokens", flash="token_revoked")


def _account(request: Request, session: Session, actor: Actor, values: dict[str, str] | None = None,
             errors: FormErrors | None = None, created: dict[str, Any] | None = None,
             status: int = 200) -> Response:
    user = accounts.get_user(session=session, user_id=actor.user_id)  # type: ignore[arg-type]
    organization = None
    if user.organization_id is not None:
        try:
            organization = service.get_organization(session=session, organization_id=user.organization_id)
        except NotFoundError:
            organization = None
    tokens = [
        {"id": t.id, "name": t.name, "prefix": t.prefix, "scope": t.scope, "created_at": t.created_at,
         "expires_at": t.expires_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at,
         "expired": accounts.expired(t.expires_at), "new": created is not None and t.id == created["id"]}
        for t in accounts.list_tokens(session=session, user_id=user.id)
    ]
    tokens.sort(key=lambda t: (t["revoked_at"] is not None or t["expired"], -t["id"]))
    lang = request_language(request)
    return render(request, "account.html", {
        "user": user,
        "organization": organization,
        "tokens": tokens,
        "values": values or {"name": "", "scope": "read", "days": "90"},
        "errors": errors or FormErrors(),
        "created": created,
        "token_days": [(str(d), translate(lang, "account.days", d)) for d in TOKEN_DAYS],
    }, status=status, secret=created is not None)
