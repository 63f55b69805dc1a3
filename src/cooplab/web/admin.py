"""Administration (admins only): the audit log with filters and a CSV export, and the users."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from cooplab.accounts import audit
from cooplab.accounts import service as accounts
from cooplab.accounts.roles import Actor, Role
from cooplab.accounts.schemas import UserCreate
from cooplab.api.deps import SessionDep
from cooplab.errors import ConflictError, InvalidInputError
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.web.access import AdminDep, FormDep
from cooplab.web.forms import FormErrors, Loc, service_errors, validation_errors
from cooplab.web.listing import read_filter
from cooplab.web.render import (
    catalog,
    country_label,
    format_date,
    format_datetime,
    redirect,
    render,
    request_language,
    translate,
)
from cooplab.web.routing import RecordId, WebRoute, paging

router = APIRouter(route_class=WebRoute)

AUDIT_PAGE = 50
CSV_LIMIT = 100_000
#: Tables whose writes the audit log records, as the filter offers them (others still show).
AUDIT_TYPES = ("organizations", "organization_names", "identifiers", "sites", "ownerships", "memberships",
               "merges", "people", "person_names", "positions", "places", "place_names", "sources",
               "citations", "organization_notes", "users", "api_tokens")
AUDIT_ACTIONS = ("create", "update", "delete", "import", "merge")
#: Columns the log names in words; others show as they are called in the database.
AUDIT_FIELDS = ("name", "value", "kind", "tier", "country", "description", "website", "illustrative", "lang",
                "script", "scheme", "title", "title_en", "start", "end", "share", "organization_id",
                "person_id", "place_id", "head_office_id", "owner_id", "owned_id", "group_id", "member_id",
                "merged_into_id", "author_id", "owner_organization_id", "user_id", "visibility", "text",
                "email", "role", "is_active", "last_login_at", "scope", "prefix", "expires_at", "revoked_at",
                "last_used_at", "url", "published", "as_of", "latitude", "longitude", "parent_id",
                "source_id", "subject_type", "subject_id", "field")
#: Values from closed sets shown in words: (column, table or None for any) -> catalog key prefix.
AUDIT_VALUES = {("visibility", None): "visibility.", ("role", None): "role.", ("scope", None): "scope.",
                ("lang", None): "lang.", ("script", None): "script.", ("kind", "organizations"): "kind.",
                ("kind", "organization_names"): "namekind.", ("kind", "places"): "placekind."}
#: Bookkeeping and derived columns (a name's search key): left out of the page, kept in the CSV.
AUDIT_HIDDEN = {"key", "version"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
#: Records with a page of their own.
RECORD_PAGES = {"organizations": "/organizations/{}", "people": "/people/{}", "places": "/places/{}"}
VALUE_LIMIT = 200
FIELD_LIMIT = 12


class AuditFilter(BaseModel):
    """The audit page's filters, read from the query string like the registry lists'."""

    model_config = ConfigDict(str_strip_whitespace=True)
    entity_type: str | None = Field(None, max_length=40)
    entity_id: int | None = Field(None, ge=1, le=2_147_483_647)
    actor: str | None = Field(None, max_length=300)
    action: str | None = Field(None, max_length=20)
    since: date | None = None

    def query(self) -> dict[str, Any]:
        """The filters for audit.list_entries."""
        since = datetime.combine(self.since, datetime.min.time()) if self.since else None
        return {"entity_type": self.entity_type or None, "entity_id": self.entity_id,
                "actor": self.actor or None, "action": self.action or None, "since": since}


# ---------------------------------------------------------------- audit log


@router.get("/admin/audit")
def audit_page(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """Every write, newest first: who, when, what, and each changed field before and after."""
    lang = request_language(request)
    filters, problems = read_filter(request, AuditFilter, lang)
    offset, limit = paging(request, AUDIT_PAGE)
    rows, count = audit.list_entries(session=session, **filters.query(), offset=offset, limit=limit)
    wanted = {k: v for k, v in filters.model_dump().items() if v not in (None, "")}
    return render(request, "admin/audit.html", {
        "entries": [_entry(row, lang) for row in rows],
        "count": count, "offset": offset, "limit": limit,
        "filters": filters, "problems": problems, "filtered": bool(wanted),
        "csv_url": "/admin/audit.csv" + (f"?{urlencode(wanted)}" if wanted else ""),
        "types": AUDIT_TYPES, "actions": AUDIT_ACTIONS,
        "actors": [u.email for u in accounts.list_users(session=session)],
    })


@router.get("/admin/audit.csv")
def audit_csv(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """The audit log with the page's filters as CSV (newest first, at most CSV_LIMIT entries)."""
    filters, _ = read_filter(request, AuditFilter, request_language(request))
    rows, _ = audit.list_entries(session=session, **filters.query(), limit=CSV_LIMIT)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(audit.export_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="cooplab-audit-{stamp}.csv"',
        "Cache-Control": "no-store",
    })


def _entry(row: Any, lang: str) -> dict[str, Any]:
    """An audit entry for the page: the fields that changed, each before and after, readable."""
    before, after = row.before or {}, row.after or {}
    if row.action == "update":
        names = [k for k in after if before.get(k) != after.get(k)] or list(after)
    else:
        # a new or deleted record: its filled-in fields
        names = [k for k, v in (after or before).items() if v not in (None, "", [], {}) and k != "id"]
    def show(name: str, value: Any) -> str | None:
        prefix = AUDIT_VALUES.get((name, row.entity_type)) or AUDIT_VALUES.get((name, None))
        if prefix and isinstance(value, str) and f"{prefix}{value}" in catalog(lang):
            return translate(lang, f"{prefix}{value}")
        if name == "country" and isinstance(value, str):
            return country_label(value, lang)
        return _show(value, lang)

    fields = [{"name": name, "label": _label(name, lang),
               "before": show(name, before.get(name)) if row.action != "create" else None,
               "after": show(name, after.get(name)) if row.action != "delete" else None}
              for name in names if name not in AUDIT_HIDDEN]
    url = RECORD_PAGES.get(row.entity_type)
    return {"id": row.id, "at": row.at, "actor": row.actor, "action": row.action,
            "entity_type": row.entity_type, "entity_id": row.entity_id,
            "url": url.format(row.entity_id) if url and row.entity_id and row.action != "delete" else None,
            "fields": fields[:FIELD_LIMIT], "more": max(len(fields) - FIELD_LIMIT, 0)}


def _label(name: str, lang: str) -> str | None:
    """A column's name in words (None: it has none, the page shows the column's own name)."""
    return translate(lang, f"audit.field.{name}") if name in AUDIT_FIELDS else None


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
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT - 1] + "…"


# ---------------------------------------------------------------- users


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, actor: AdminDep) -> Response:
    """Everyone who may sign in, and the form to add someone."""
    return _users(request, session, actor)


@router.post("/admin/users")
def user_create(request: Request, session: SessionDep, actor: AdminDep, form: FormDep) -> Response:
    """Add a user; a password left empty is generated and shown once on the answer page."""
    lang = request_language(request)
    values = {name: str(form.get(name, "") or "").strip() for name in ("email", "name", "role", "organization_id")}
    password = str(form.get("password", "") or "")
    generated = not password
    if generated:
        password = accounts.generate_password()
    payload = {**values, "password": password, "organization_id": values["organization_id"] or None}

    def field_of(loc: Loc, _msg: str) -> str | None:
        return loc[0] if loc and loc[0] in (*values, "password") else None

    try:
        user = accounts.create_user(session=session, data=UserCreate.model_validate(payload))
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
def user_disable(request: Request, session: SessionDep, actor: AdminDep, user_id: RecordId,
                 form: FormDep) -> Response:
    """Disable a user: their sessions and tokens stop working at once."""
    accounts.disable_user(session=session, user_id=user_id)
    session.commit()
    return redirect("/admin/users", flash="user_disabled")


def _users(request: Request, session: Session, actor: Actor, values: dict[str, str] | None = None,
           errors: FormErrors | None = None, created: dict[str, Any] | None = None,
           status: int = 200) -> Response:
    lang = request_language(request)
    organizations, _ = service.list_organizations(session=session, filters=OrganizationFilter(), limit=500)
    names = {o.id: o.name for o in organizations}
    users = [
        {"id": u.id, "email": u.email, "name": u.name, "role": u.role, "active": u.is_active,
         "organization": (u.organization_id,
                          names.get(u.organization_id) or translate(lang, "audit.number", id=u.organization_id))
         if u.organization_id else None,
         "last_login_at": u.last_login_at, "self": u.id == actor.user_id,
         "new": created is not None and u.id == created["id"]}
        for u in accounts.list_users(session=session)
    ]
    users.sort(key=lambda u: (not u["active"], u["email"]))
    return render(request, "admin/users.html", {
        "users": users,
        "values": values or {"email": "", "name": "", "role": Role.MEMBER.value, "organization_id": ""},
        "errors": errors or FormErrors(),
        "created": created,
        "roles": [(r.value, translate(lang, f"role.{r.value}")) for r in Role],
        "organizations": sorted(names.items(), key=lambda item: item[1].casefold()),
    }, status=status, secret=bool(created and created["password"]))
