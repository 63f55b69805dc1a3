"""Who is asking, and may they: the actor and permissions applied to web pages, CSRF on forms.

Who sent a request is decided by the app's resolver (`app.state.resolve_actor`, given by the
accounts domain); the rules by the actor and the services. This module only turns their answers
into pages: a sign-in redirect, a 401 or 403 page, a refused form.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from starlette.datastructures import FormData

from cooplab.core.actor import ANONYMOUS, Actor, Permission
from cooplab.core.http import SessionDep
from cooplab.db.nul import refuse_nul_statements
from cooplab.errors import ForbiddenError, InvalidInputError, UnauthorizedError, field_error

CSRF_FIELD = "csrf_token"
#: The double-submit cookie of the sign-in form (there is no session to hold a token yet).
LOGIN_CSRF_COOKIE = "cooplab_login_csrf"


# ---------------------------------------------------------------- the actor of a page


def web_actor(request: Request, session: SessionDep) -> Actor:
    """The actor of the request (a cookie, a token, or anonymous), as the app's resolver decides;
    it also leaves on the request what the page layout needs of the signed-in user."""
    return request.app.state.resolve_actor(request, session)


def visitor(request: Request, session: SessionDep) -> Actor:
    """The actor for the sign-in and sign-out pages, which anyone may open: anonymous where
    other pages would ask to sign in first."""
    try:
        return web_actor(request, session)
    except UnauthorizedError:
        return ANONYMOUS


VisitorDep = Annotated[Actor, Depends(visitor)]


class WebRequires:
    """A page's access rule, like the API's Requires: anonymous visitors are sent to sign in
    (the route turns the 401 into a redirect for pages), others without the permission get 403."""

    def __init__(self, permission: Permission, *, signed_in: bool = False) -> None:
        self.permission = permission
        self.signed_in = signed_in

    def __call__(self, request: Request, session: SessionDep) -> Actor:
        actor = web_actor(request, session)
        if (self.signed_in or self.permission != Permission.READ) and not actor.signed_in:
            raise UnauthorizedError("sign in first")
        actor.require(self.permission)
        return actor


ReaderDep = Annotated[Actor, Depends(WebRequires(Permission.READ))]
SignedInDep = Annotated[Actor, Depends(WebRequires(Permission.READ, signed_in=True))]
OwnEditorDep = Annotated[Actor, Depends(WebRequires(Permission.EDIT_OWN_ORGANIZATION))]
EditorDep = Annotated[Actor, Depends(WebRequires(Permission.EDIT_REGISTRY))]
NoteWriterDep = Annotated[Actor, Depends(WebRequires(Permission.WRITE_NOTES))]
AdminDep = Annotated[Actor, Depends(WebRequires(Permission.ADMINISTER))]


# ---------------------------------------------------------------- CSRF


def mask_token(token: str) -> str:
    """The CSRF token as it goes into a page: XOR-ed with a fresh random pad, so compressed pages
    never repeat the same secret bytes (BREACH)."""
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True))).decode()


def token_matches(submitted: str | None, token: str | None) -> bool:
    """Whether a submitted (masked) token is the expected one."""
    if not submitted or not token:
        return False
    try:
        data = base64.urlsafe_b64decode(submitted.encode())
    except (ValueError, UnicodeEncodeError):
        return False
    half = len(data) // 2
    if len(data) % 2 or half != len(token.encode()):
        return False
    unmasked = bytes(a ^ b for a, b in zip(data[:half], data[half:], strict=True))
    return hmac.compare_digest(unmasked, token.encode())


def _nul_refused(field: str) -> InvalidInputError:
    return InvalidInputError(
        f"{field}: text must not contain a NUL character (U+0000)",
        details=[field_error([field], "contains a NUL character", "nul_character")],
        reason="nul_character",
        field=field,
    )


def _nul_texts(form: FormData) -> list[str]:
    """The fields whose text holds a NUL character (U+0000); refused at once (422) when a
    field's name or a file's name holds one: no column takes one (PostgreSQL cannot store it)."""
    texts = []
    for name, value in form.multi_items():
        field = name.replace("\x00", "")
        if "\x00" in name or (not isinstance(value, str) and "\x00" in (value.filename or "")):
            raise _nul_refused(field)
        if isinstance(value, str) and "\x00" in value:
            texts.append(field)
    return texts


async def _read_form(request: Request, session: SessionDep) -> FormData:
    """The posted form (URL-encoded or multipart). A NUL in a field's text goes on to the route,
    whose input schema refuses it next to the field, in the reader's language, like any invalid
    value; meanwhile no statement of the request's transaction takes it (cooplab.db.nul)."""
    form = await request.form()
    texts = _nul_texts(form)
    if texts:
        refuse_nul_statements(session, texts[0])
    return form


async def _read_sign_in_form(request: Request) -> FormData:
    """The sign-in form, whose values are looked up before anyone is signed in: a NUL in any of
    them is refused at once, naming the field, in the reader's language."""
    form = await request.form()
    texts = _nul_texts(form)
    if texts:
        raise _nul_refused(texts[0])
    return form


def checked_form(
    request: Request, actor: ReaderDep, form: Annotated[FormData, Depends(_read_form)]
) -> FormData:
    """The posted form, refused (403, nothing written) unless it carries the session's CSRF token."""
    if not token_matches(_field(form, CSRF_FIELD), getattr(request.state, "csrf_token", None)):
        raise ForbiddenError("missing or wrong CSRF token", reason="csrf")
    return form


def logout_form(
    request: Request, actor: VisitorDep, form: Annotated[FormData, Depends(_read_form)]
) -> FormData:
    """The sign-out form: checked like any other while the session lives; a session that has
    already ended has nothing left to protect, and signing out of it just clears the cookie."""
    token = getattr(request.state, "csrf_token", None)
    if token is not None and not token_matches(_field(form, CSRF_FIELD), token):
        raise ForbiddenError("missing or wrong CSRF token", reason="csrf")
    return form


@dataclass(frozen=True)
class LoginForm:
    """The posted sign-in form, and whether its token matched the double-submit cookie."""

    data: FormData
    csrf_ok: bool


def login_form(request: Request, form: Annotated[FormData, Depends(_read_sign_in_form)]) -> LoginForm:
    """The sign-in form: its token must equal the double-submit cookie set with the form (there is
    no session yet to hold a token); the page asks again when it does not."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    submitted = _field(form, CSRF_FIELD)
    ok = bool(cookie and submitted and hmac.compare_digest(cookie.encode(), submitted.encode()))
    return LoginForm(form, ok)


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


#: A posted form whose CSRF token was checked; every state-changing web route reads its form so.
FormDep = Annotated[FormData, Depends(checked_form)]
LogoutFormDep = Annotated[FormData, Depends(logout_form)]
LoginFormDep = Annotated[LoginForm, Depends(login_form)]


# ---------------------------------------------------------------- where to go after signing in


def safe_next(value: Any) -> str:
    """A local path to return to after signing in; anything else (other sites, //host) is "/"."""
    text = str(value or "").strip()
    if (
        not text.startswith("/")
        or text.startswith("//")
        or "\\" in text
        or any(ord(c) < 32 for c in text)
        or text.startswith(("/login", "/logout"))
    ):
        return "/"
    return text[:2000]


def login_url(request: Request) -> str:
    """The sign-in page, returning to the current page afterwards (after a refused form: to the
    page the form was on)."""
    if request.method in ("GET", "HEAD"):
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = referer.netloc == request.url.netloc
        here = referer.path + (f"?{referer.query}" if referer.query else "") if same_site else "/"
    target = safe_next(here)
    return "/login" if target == "/" else f"/login?next={quote(target, safe='/')}"
