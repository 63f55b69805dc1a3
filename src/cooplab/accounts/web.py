"""Accounts pages: signing in and out, one's own account and API tokens (each shown once), and
the administration (admins only): the audit log with filters and a CSV export, and the users."""

from __future__ import annotations

import json
import math
import re
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import Float, Numeric
from sqlalchemy.orm import Session

from cooplab.accounts import audit
from cooplab.accounts import service as accounts
from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.schemas import TokenCreate, UserCreate
from cooplab.core.actor import Actor, Role
from cooplab.core.domain import domains
from cooplab.core.http import SESSION_COOKIE, SessionDep
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import (
    LOGIN_CSRF_COOKIE,
    AdminDep,
    FormDep,
    LoginFormDep,
    LogoutFormDep,
    SignedInDep,
    VisitorDep,
    safe_next,
)
from cooplab.core.web.forms import FormErrors, Loc, service_errors, validation_errors
from cooplab.core.web.listing import read_filter
from cooplab.core.web.render import (
    catalog,
    country_label,
    format_date,
    format_datetime,
    format_number,
    redirect,
    render,
    request_language,
    translate,
)
from cooplab.core.web.routing import RecordId, paging
from cooplab.db.base import Base
from cooplab.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    TooManyAttemptsError,
    UnauthorizedError,
)
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.vocab.choices import EntityType

router = APIRouter(route_class=WebRoute)


# ---------------------------------------------------------------- from account.py
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
    values = {
        "email": str(form.data.get("email", "") or "").strip()[:254],
        "next": safe_next(form.data.get("next")),
    }
    if not form.csrf_ok:
        return _login_form(request, values, "login.expired", 403)
    password = str(form.data.get("password", "") or "")
    if not values["email"] or not password:
        return _login_form(request, values, "login.missing", 422)
    address = request.client.host if request.client else ""
    settings = request.app.state.settings
    try:
        user = accounts.authenticate(
            session=session,
            email=values["email"],
            password=password[:200],
            address=address,
            settings=settings,
        )
    except UnauthorizedError:  # the attempt was counted on its own, before the check
        session.rollback()
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
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=settings.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


def _login_form(
    request: Request, values: dict[str, str], problem: str | None = None, status: int = 200
) -> Response:
    """The sign-in form with its double-submit token (kept while the browser keeps the cookie)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    fresh = len(token) < 32 or problem == "login.expired"
    if fresh:
        token = secrets.token_urlsafe(32)
    settings = request.app.state.settings
    minutes = math.ceil(settings.login_window_seconds / 60)
    response = render(
        request,
        "accounts/login.html",
        {
            "values": values,
            "problem": problem,
            "login_token": token,
            "minutes": minutes,
            "public_read": settings.public_read,
        },
        status=status,
    )
    if fresh:
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            path="/login",
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
        )
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
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.cookie_secure
    )
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
    values = {
        "name": str(form.get("name", "") or "").strip(),
        "scope": str(form.get("scope", "") or "read"),
        "days": str(form.get("days", "") or "").strip(),
    }
    try:
        # the form offers lifetimes only; a token that never expires is made with the CLI or the API
        data = TokenCreate.model_validate(
            {"name": values["name"], "scope": values["scope"], "days": values["days"]}
        )
        raw, token = accounts.create_token(
            session=session, actor=actor, data=data, settings=request.app.state.settings
        )
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = validation_errors(exc, lang, lambda loc, _msg: loc[0] if loc else None)
        return _account(request, session, actor, values, errors, status=422)
    return _account(request, session, actor, created={"token": raw, "name": token.name, "id": token.id})


@router.post("/account/tokens/{token_id}/revoke")
def token_revoke(
    request: Request, session: SessionDep, actor: SignedInDep, token_id: RecordId, form: FormDep
) -> Response:
    """Revoke one of one's tokens: it stops working at once."""
    accounts.revoke_token(session=session, token_id=token_id, actor=actor)
    session.commit()
    return redirect("/account#tokens", flash="token_revoked")


def _account(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    user = accounts.get_user(session=session, actor=actor, user_id=actor.user_id)  # type: ignore[arg-type]
    organization = None
    if user.organization_id is not None:
        try:
            organization = service.organization_detail(
                session=session, actor=actor, organization_id=user.organization_id, lang=lang
            )
        except NotFoundError:
            organization = None
    tokens: list[dict[str, Any]] = [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "scope": t.scope,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
            "expired": accounts.expired(t.expires_at),
            "new": created is not None and t.id == created["id"],
        }
        for t in accounts.list_tokens(session=session, actor=actor, user_id=user.id)
    ]
    tokens.sort(key=lambda t: (t["revoked_at"] is not None or t["expired"], -t["id"]))
    return render(
        request,
        "accounts/account.html",
        {
            "user": user,
            "organization": organization,
            "tokens": tokens,
            "values": values or {"name": "", "scope": "read", "days": "90"},
            "errors": errors or FormErrors(),
            "created": created,
            "token_days": [(str(d), translate(lang, "account.days", d)) for d in TOKEN_DAYS],
        },
        status=status,
        secret=created is not None,
    )


# ---------------------------------------------------------------- from admin.py
AUDIT_PAGE = 50
CSV_LIMIT = 100_000
AUDIT_ACTIONS = ("create", "update", "delete", "import", "merge")
#: Bookkeeping and derived columns (a name's search key): left out of the page, kept in the CSV.
AUDIT_HIDDEN = {"key", "version"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
#: Records with a page of their own.
RECORD_PAGES = {"organizations": "/organizations/{}", "people": "/people/{}", "places": "/places/{}"}
VALUE_LIMIT = 200
FIELD_LIMIT = 12


def audit_types() -> list[str]:
    """Tables whose writes the audit log records, as the filter offers them: every domain's."""
    return [table for d in domains() for table in d.tables]


def _audit_values() -> dict[tuple[str, str | None], str]:
    """(column, table or None) -> catalog prefix of the column's values, as the domains declare."""
    return {key: prefix for d in domains() for key, prefix in d.audit_values.items()}


# ---------------------------------------------------------------- audit log


@router.get("/admin/audit")
def audit_page(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """Every user action, newest first: who, when, what, and its writes folded in, each changed
    field before and after."""
    lang = request_language(request)
    filters, problems = read_filter(request, AuditFilter, lang)
    offset, limit = paging(request, AUDIT_PAGE)
    found = audit.list_changes(session=session, actor=actor, filters=filters, offset=offset, limit=limit)
    wanted = {k: v for k, v in filters.model_dump(mode="json").items() if v not in (None, "")}
    values = _audit_values()
    names = _referenced_names(session, lang, found.data)
    return render(
        request,
        "accounts/admin/audit.html",
        {
            "changes": [_change(change, lang, values, names) for change in found.data],
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "problems": problems,
            "filtered": bool(wanted),
            "csv_url": "/admin/audit.csv" + (f"?{urlencode(wanted)}" if wanted else ""),
            "types": audit_types(),
            "actions": AUDIT_ACTIONS,
            "actors": [u.email for u in accounts.list_users(session=session, actor=actor)],
        },
    )


@router.get("/admin/audit.csv")
def audit_csv(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """The audit log with the page's filters as CSV (newest first, at most CSV_LIMIT entries)."""
    filters, _ = read_filter(request, AuditFilter, request_language(request))
    data = audit.export_csv(session=session, actor=actor, filters=filters, limit=CSV_LIMIT)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="cooplab-audit-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


#: Tables of the records an entry can point to by id, as the registry names them.
NAMED_TABLES = {
    "organizations": EntityType.ORGANIZATION,
    "people": EntityType.PERSON,
    "places": EntityType.PLACE,
}
Names = dict[tuple[str, int], str]


@cache
def _references() -> dict[tuple[str, str], str]:
    """(table, column) -> the named table its id points to (an ownership's owner_id: organizations)."""
    return {
        (table.name, column.name): key.column.table.name
        for table in Base.metadata.tables.values()
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name in NAMED_TABLES
    }


def _referenced_names(session: Session, lang: str, changes: list[Any]) -> Names:
    """(table, id) -> name of every organization, person and place the entries point to (one
    lookup per table), so the log reads "owner: UzAuto Motors", not "owner_id: 27"."""
    wanted: dict[str, set[int]] = {table: set() for table in NAMED_TABLES}
    for change in changes:
        for row in change.entries:
            for values in (row.before or {}, row.after or {}):
                for name, value in values.items():
                    target = _references().get((row.entity_type, name))
                    if target and isinstance(value, int):
                        wanted[target].add(value)
    return {
        (table, i): name
        for table, ids in wanted.items()
        for i, name in service.display_names(session, lang, NAMED_TABLES[table], ids).items()
    }


def _change(
    change: Any, lang: str, values: dict[tuple[str, str | None], str], names: Names
) -> dict[str, Any]:
    """A user action for the page: named as a whole when it was (an import, a merge...), its
    writes counted by table in the line and folded in below it; an unnamed action is led by its
    first write, the others counted."""
    entries = [_entry(row, lang, values, names) for row in change.entries]
    activity = next((row.activity for row in change.entries if row.activity), None)
    # an import's own entry (its file and counts) names the file; it is no write of a record
    files = [row.after["file"] for row in change.entries if row.action == "import" and row.after]
    tally: dict[str, int] = {}
    for row in change.entries if activity else change.entries[1:]:
        if row.action != "import":
            tally[row.entity_type] = tally.get(row.entity_type, 0) + 1
    return {
        "id": change.change_id,
        "at": change.at,
        "actor": change.actor,
        "activity": activity,
        "file": files[0] if files else None,
        "lead": entries[0],
        "parts": [{"type": table, "n": n} for table, n in tally.items()],
        "entries": entries,
    }


def _entry(row: Any, lang: str, values: dict[tuple[str, str | None], str], called: Names) -> dict[str, Any]:
    """An audit entry for the page: the fields that changed, each before and after, readable; a
    link between records (an ownership, a site) is called by the records it links."""
    before, after = row.before or {}, row.after or {}
    if row.action == "update":
        names = [k for k in after if before.get(k) != after.get(k)] or list(after)
    else:
        # a new or deleted record: its filled-in fields
        names = [k for k, v in (after or before).items() if v not in (None, "", [], {}) and k != "id"]

    def show(name: str, value: Any) -> str | None:
        prefix = values.get((name, row.entity_type)) or values.get((name, None))
        if prefix and isinstance(value, str) and f"{prefix}{value}" in catalog(lang):
            return translate(lang, f"{prefix}{value}")
        if name == "country" and isinstance(value, str):
            return country_label(value, lang)
        target = _references().get((row.entity_type, name))
        if target and isinstance(value, int):  # a record named, or its number when it is gone
            return called.get((target, value)) or translate(lang, "audit.number", id=value)
        if (row.entity_type, name) in _decimal_columns() and isinstance(value, str):
            try:
                return format_number(Decimal(value), lang)
            except InvalidOperation:
                pass
        return _show(value, lang)

    fields = [
        {
            "name": name,
            "label": _label(name, lang),
            "before": show(name, before.get(name)) if row.action != "create" else None,
            "after": show(name, after.get(name)) if row.action != "delete" else None,
        }
        for name in names
        if name not in AUDIT_HIDDEN
    ]
    url = RECORD_PAGES.get(row.entity_type)
    written = after if row.action != "delete" else before
    linked = [
        called[target, value]
        for name, value in written.items()
        if (target := _references().get((row.entity_type, name)))
        and (target, value) in called
        and name != "owner_organization_id"  # whose record it is, not what it links
    ]
    return {
        "name": _record_name(written) or (" — ".join(linked) if len(linked) == 2 else None),
        "id": row.id,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "url": url.format(row.entity_id) if url and row.entity_id and row.action != "delete" else None,
        "fields": fields[:FIELD_LIMIT],
        "more": max(len(fields) - FIELD_LIMIT, 0),
    }


#: The fields that name a record, in the order one is looked for: what the log calls it by.
NAMING_FIELDS = ("name", "title", "ref", "email", "value", "code")


def _record_name(values: dict[str, Any]) -> str | None:
    """What a written record is called, as it was written (its name, title, ref...), shortened
    for a line; None for a record named by nothing of its own (a link, a citation)."""
    for field in NAMING_FIELDS:
        value = values.get(field)
        if isinstance(value, str) and value.strip():
            value = " ".join(value.split())
            return value if len(value) <= 80 else value[:79] + "…"
    return None


@cache
def _decimal_columns() -> frozenset[tuple[str, str]]:
    """(table, column) of every fixed-point column: its values, kept as text ("50.00"), are
    shown as the numbers they are (50)."""
    return frozenset(
        (table.name, column.name)
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, Numeric) and not isinstance(column.type, Float)
    )


def _label(name: str, lang: str) -> str | None:
    """A column's name in words (None: the catalogs have none, the page shows the column's own)."""
    key = f"audit.field.{name}"
    return translate(lang, key) if key in catalog(lang) else None


def _show(value: Any, lang: str) -> str | None:
    """A stored value as short text (None: no value); dates and times in the page's format."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return translate(lang, "audit.yes") if value else translate(lang, "audit.no")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        try:
            return format_datetime(datetime.fromisoformat(value), lang)
        except ValueError:
            pass
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(date.fromisoformat(value), lang)
        except ValueError:
            pass
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


# ---------------------------------------------------------------- users


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """Everyone who may sign in, and the form to add someone."""
    return _users(request, session, actor)


@router.post("/admin/users")
def user_create(request: Request, session: SessionDep, actor: AdminDep, form: FormDep) -> Response:
    """Add a user; a password left empty is generated and shown once on the answer page."""
    lang = request_language(request)
    values = {
        name: str(form.get(name, "") or "").strip() for name in ("email", "name", "role", "organization_id")
    }
    password = str(form.get("password", "") or "")
    generated = not password
    if generated:
        password = accounts.generate_password()
    payload = {**values, "password": password, "organization_id": values["organization_id"] or None}

    def field_of(loc: Loc, _msg: str) -> str | None:
        return loc[0] if loc and loc[0] in (*values, "password") else None

    try:
        user = accounts.create_user(session=session, actor=actor, data=UserCreate.model_validate(payload))
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _users(request, session, actor, values, validation_errors(exc, lang, field_of), status=422)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        return _users(request, session, actor, values, service_errors(exc, lang, field_of), status=exc.status)
    created = {"id": user.id, "email": user.email, "password": password if generated else None}
    return _users(request, session, actor, created=created)


@router.post("/admin/users/{user_id}/disable")
def user_disable(
    request: Request, session: SessionDep, actor: AdminDep, user_id: RecordId, form: FormDep
) -> Response:
    """Disable a user: their sessions and tokens stop working at once."""
    accounts.disable_user(session=session, actor=actor, user_id=user_id)
    session.commit()
    return redirect("/admin/users", flash="user_disabled")


def _users(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    organizations = service.list_organizations(
        session=session, actor=actor, filters=OrganizationFilter(), limit=500
    ).data
    names = {o.id: o.name for o in organizations}
    users = [
        {
            "id": u.id,
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "active": u.is_active,
            "organization": (
                u.organization_id,
                names.get(u.organization_id) or translate(lang, "audit.number", id=u.organization_id),
            )
            if u.organization_id
            else None,
            "last_login_at": u.last_login_at,
            "self": u.id == actor.user_id,
            "new": created is not None and u.id == created["id"],
        }
        for u in accounts.list_users(session=session, actor=actor)
    ]
    users.sort(key=lambda u: (not u["active"], u["email"]))
    return render(
        request,
        "accounts/admin/users.html",
        {
            "users": users,
            "values": values or {"email": "", "name": "", "role": Role.MEMBER.value, "organization_id": ""},
            "errors": errors or FormErrors(),
            "created": created,
            "roles": [(r.value, translate(lang, f"role.{r.value}")) for r in Role],
            "organizations": sorted(names.items(), key=lambda item: item[1].casefold()),
        },
        status=status,
        secret=bool(created and created["password"]),
    )
