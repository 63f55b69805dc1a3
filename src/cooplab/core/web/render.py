"""Rendering of web pages in the reader's language: catalogs, `t`, formats, pages and error pages."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import date as Day
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from cooplab import __version__
from cooplab.core.actor import ANONYMOUS, Actor, Permission
from cooplab.core.domain import NavEntry, navigation
from cooplab.core.formats import (
    country_choices,
    country_label,
    format_date,
    format_datetime,
    format_number,
    language_name,
)
from cooplab.core.http import SESSION_COOKIE
from cooplab.core.i18n import LANGUAGES, catalog, translate
from cooplab.core.names import display_name, readable
from cooplab.db.session import session_factory
from cooplab.errors import CooplabError
from cooplab.vocab.choices import OrganizationKind
from cooplab.vocab.hs import format_hs_code

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
PACKAGE = HERE.parent.parent
LANG_COOKIE = "lang"
FLASH_COOKIE = "flash"
FLASHES = {
    "saved",
    "created",
    "signed_in",
    "signed_out",
    "note_added",
    "note_deleted",
    "identifier_verified",
    "identifier_rejected",
    "token_revoked",
    "user_disabled",
    "ingest_exists",
    "ingest_accepted",
    "ingest_reparsed",
    "ingest_deleted",
    "step_added",
    "deleted",
    "imported",
}
log = logging.getLogger(__name__)

#: Groups of the navigation bar in the order they are shown (others follow, as domains list them).
NAV_GROUPS = ("registry", "cooperation", "admin")
# Sections of the platform announced in the navigation, not built yet.
COMING_SECTIONS = ("matching", "pipeline")


# ---------------------------------------------------------------- catalogs (cooplab.core.i18n)


# ---------------------------------------------------------------- language of a request


def request_language(request: Request) -> str:
    """?lang= first, then the `lang` cookie, then the configured default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    settings = getattr(request.app.state, "settings", None)
    return getattr(settings, "default_language", "ru")


# ---------------------------------------------------------------- names and formats (cooplab.core)


@lru_cache(maxsize=8)
def asset_version(name: str) -> str:
    """A short hash of a static file, so its URL changes when it does (long browser caching)."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


# ---------------------------------------------------------------- templates


def template_loader() -> jinja2.BaseLoader:
    """The shared templates by their own names ("base.html"), and each domain's templates under
    its folder's name ("registry/organizations/list.html" is in cooplab/registry/templates/)."""
    domains = {
        folder.parent.name: jinja2.FileSystemLoader(folder)
        for folder in sorted(PACKAGE.glob("*/templates"))
        if folder.is_dir()
    }
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), jinja2.PrefixLoader(domains)])


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=template_loader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        version=__version__,
        coming_sections=COMING_SECTIONS,
        organization_kinds=[k.value for k in OrganizationKind],
        asset_version=asset_version,
    )
    env.filters["hs_code"] = format_hs_code  # "8708.70", as the nomenclature prints a code
    return env


templates = Jinja2Templates(env=_environment())


class Page:
    """What every template can use: the language, `t`, formatters, the request's URLs, and who
    is reading (the actor, the signed-in user, the CSRF token for forms)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.lang = request_language(request)
        flash = request.cookies.get(FLASH_COOKIE)
        self.flash = flash if flash in FLASHES else None
        self.actor: Actor = getattr(request.state, "actor", None) or ANONYMOUS
        self.user: dict[str, Any] | None = (
            getattr(request.state, "web_user", None) if self.actor.signed_in else None
        )
        self._csrf: str | None = None

    @property
    def csrf(self) -> str:
        """The CSRF token for this page's forms (masked afresh for every page)."""
        from cooplab.core.web.access import mask_token

        if self._csrf is None:
            token = getattr(self.request.state, "csrf_token", None)
            self._csrf = mask_token(token) if token else ""
        return self._csrf

    def may(self, permission: str) -> bool:
        """Whether the reader has a permission (to show a button only to those who may use it)."""
        return self.actor.has(Permission(permission))

    def navigation(self) -> list[tuple[str, list[NavEntry]]]:
        """The sections the reader may open, by group, in the order the domains declare them."""
        groups: dict[str, list[NavEntry]] = {group: [] for group in NAV_GROUPS}
        for entry in navigation():
            if self.actor.has(entry.permission):
                groups.setdefault(entry.group, []).append(entry)
        return [(group, entries) for group, entries in groups.items() if entries]

    def may_edit_organization(self, organization_id: int) -> bool:
        """Whether the reader may edit this organization."""
        return self.actor.may_edit_organization(organization_id)

    def login_url(self) -> str:
        """The sign-in page, coming back here afterwards."""
        from cooplab.core.web.access import login_url

        return login_url(self.request)

    def t(self, key: str, n: int | None = None, **params: Any) -> str:
        """The message `key` in the page language."""
        return translate(self.lang, key, n, **params)

    def t_or(self, key: str, default: str) -> str:
        """The message `key`, or `default` when the catalog has no such message."""
        return self.t(key) if key in catalog(self.lang) else default

    def tm(self, key: str, **params: Any) -> Markup:
        """A message whose {params} are HTML (escaped by the caller); the text itself is escaped."""
        text = Markup.escape(translate(self.lang, key))
        return Markup(str(text).format(**{k: Markup.escape(v) for k, v in params.items()}))

    languages = LANGUAGES

    @staticmethod
    def language_name(lang: str) -> str:
        """A language's name in itself: Русский, English, Oʻzbekcha (for the switcher)."""
        return translate(lang, "lang.self")

    def lang_url(self, lang: str) -> str:
        """The current page in another language."""
        url = self.request.url.include_query_params(lang=lang)
        return f"{url.path}?{url.query}"

    def url_with(self, **params: Any) -> str:
        """The current URL with some query parameters replaced (None removes one)."""
        query = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        for key, value in params.items():
            if value is None or value == "":
                query.pop(key, None)
            else:
                query[key] = str(value)
        encoded = urlencode(query)
        return self.request.url.path + (f"?{encoded}" if encoded else "")

    def active(self, prefix: str) -> bool:
        """Whether the page is under the navigation entry `prefix`."""
        path = self.request.url.path
        return path == prefix or path.startswith(prefix + "/")

    def number(self, value: Any, places: int | None = None, fixed: bool = False) -> str:
        """A number in the page language's format (rounded to `places` when given; with `fixed`,
        always that many decimals, for columns of amounts)."""
        return format_number(value, self.lang, places, fixed=fixed)

    def date(self, value: Any) -> str:
        """A date in the page language's format."""
        return format_date(value, self.lang)

    def datetime(self, value: Any) -> str:
        """A date and time in the page language's format."""
        return format_datetime(value, self.lang)

    def country(self, code: str | None) -> str:
        """A country's name in the page language."""
        return country_label(code, self.lang)

    def countries(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """Countries for a select: the main ones, then all others."""
        return country_choices(self.lang)

    def name(self, names: Any, display: str) -> str:
        """A record's name as the reader reads it (cooplab.core.names)."""
        return display_name(names, self.lang, display)

    def position_title(self, position: Any) -> str:
        """A position's title in the page language when there is one: the English title for a
        reader of Latin script only (English, Uzbek) when the title is Cyrillic."""
        title_en = getattr(position, "title_en", None)
        if title_en and (self.lang == "en" or not readable(position.title, self.lang)):
            return str(title_en)
        return position.title

    def period(self, start: Day | None, end: Day | None) -> str:
        """ "since ...", "until ...", or "... — ..." for a start and an end date."""
        if start and end:
            return self.t("period.from_to", start=self.date(start), end=self.date(end))
        if start:
            return self.t("period.since", start=self.date(start))
        if end:
            return self.t("period.until", end=self.date(end))
        return ""


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status: int = 200,
    *,
    secret: bool = False,
) -> HTMLResponse:
    """A page in the reader's language; remembers ?lang= in a cookie and consumes a flash.

    Pages of a signed-in reader are private to the browser; a page showing a secret once
    (a new token, a generated password) is not stored at all."""
    page = Page(request)
    response = templates.TemplateResponse(
        request, template, {"page": page, "t": page.t, **(context or {})}, status_code=status
    )
    remember_language(request, response, page.lang)
    if page.flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    if secret:
        response.headers["Cache-Control"] = "no-store"
    elif page.actor.signed_in:
        response.headers["Cache-Control"] = "private, no-cache"
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


def remember_language(request: Request, response: Any, lang: str) -> None:
    """Set the `lang` cookie when the reader chose a language with ?lang=."""
    if request.query_params.get("lang") in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/", samesite="lax")


def redirect(url: str, flash: str | None = None) -> RedirectResponse:
    """303 See Other after a successful form, with a one-time confirmation message."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, flash, max_age=120, path="/", samesite="lax", httponly=True)
    return response


_ERROR_TITLES = {
    400: "error.400",
    401: "error.401",
    403: "error.403",
    404: "error.404",
    405: "error.405",
    409: "error.409",
    413: "error.413",
    422: "error.422",
    429: "error.429",
    500: "error.500",
    503: "error.503",
}
#: Reasons the page's title and hint already say (a signed-in reader is also told their role).
_SAID_BY_THE_PAGE = {
    "not_found",
    "method_not_allowed",
    "internal",
    "unauthorized",
    "role_refused",
    "unavailable",
    "http_error",
}


# pydantic's own error types that the catalog says in other words (the others are `err.<type>`)
_TYPE_KEYS = {
    "missing": "err.required",
    "string_too_short": "err.required",
    "string_too_long": "err.too_long",
    "string_type": "err.required",
    "int_parsing": "err.integer",
    "int_type": "err.integer",
    "float_parsing": "err.number",
    "float_type": "err.number",
    "decimal_parsing": "err.number",
    "decimal_type": "err.number",
    "decimal_max_places": "err.decimal_places",
    "less_than": "err.too_large",
    "greater_than_equal": "err.too_small",
    "greater_than": "err.too_small",
    "less_than_equal": "err.too_large",
    "enum": "err.choice",
    "literal_error": "err.choice",
    "date_parsing": "err.date",
    "date_from_datetime_parsing": "err.date",
    "date_type": "err.date",
    "datetime": "err.datetime",
    "datetime_parsing": "err.datetime",
    "datetime_from_date_parsing": "err.datetime",
    "bool_parsing": "err.choice",
    "too_short": "err.list_too_short",
    "extra_forbidden": "err.unknown_field",
}


def message(lang: str, code: str | None, params: dict[str, Any] | None = None, fallback: str = "") -> str:
    """A problem in the reader's words, by its code (`err.<code>` in the catalogs, with its
    parameters); the English text when the catalog has no words for it yet."""
    params = dict(params or {})
    if isinstance(params.get("what"), str):
        params["what"] = translate(lang, f"entity.{params['what'].replace(' ', '_')}")
    if isinstance(params.get("language"), str):
        params["language"] = language_name(params["language"], lang)
    if code == "string_too_short" and int(params.get("min_length", 1) or 1) > 1:
        return translate(lang, "err.too_short", min=params["min_length"])
    key = _TYPE_KEYS.get(code or "") or f"err.{code}"
    if code and key in catalog(lang):
        bounds = {
            "max": params.get("max_length", params.get("le", params.get("lt", ""))),
            "min": params.get("min_length", params.get("ge", params.get("gt", ""))),
        }
        return translate(lang, key, **{**bounds, **params})
    return fallback.removeprefix("Value error, ").strip()


def error_detail(lang: str, error: CooplabError) -> str:
    """What went wrong, in the reader's words: the catalog's text for the error's reason
    (`error.<reason>`, with its parameters), nothing when the page's title says it all, the
    technical message when the catalog has no text for it yet."""
    key = f"error.{error.reason}"
    if key in catalog(lang):
        params = dict(error.params)
        if isinstance(params.get("what"), str):
            params["what"] = translate(lang, f"entity.{params['what'].replace(' ', '_')}")
        if isinstance(params.get("role"), str):
            params["role"] = translate(lang, f"role.{params['role']}")
        return translate(lang, key, **params)
    if error.details and error.details[0].get("code"):  # a refused value: the rule's own words
        detail = error.details[0]
        text = message(lang, detail["code"], detail.get("params"))
        if text:
            return text
    return "" if error.reason in _SAID_BY_THE_PAGE else error.message


def error_page(request: Request, error: CooplabError) -> HTMLResponse:
    """An error in the page layout: a translated title and hint, the reason in the reader's words."""
    lang = request_language(request)
    _resolve_reader(request)
    detail = error_detail(lang, error)
    if error.reason == "role_refused" and getattr(request.state, "actor", None) is not None:
        detail = ""  # the page names the signed-in reader and their role under the hint
    try:
        return render(
            request,
            "error.html",
            {
                "status": error.status,
                "title_key": _ERROR_TITLES.get(error.status, "error.other"),
                "detail": detail,
            },
            status=error.status,
        )
    except Exception:  # the error page must never fail itself
        log.exception("error page failed")
        return HTMLResponse(f"<h1>{error.status}</h1>", status_code=error.status)


def _resolve_reader(request: Request) -> None:
    """Who is reading, for the layout of an error page that no web route answered (an unknown
    address): without it a signed-in reader would see "sign in" in the top bar."""
    if getattr(request.state, "actor", None) is not None or not request.cookies.get(SESSION_COOKIE):
        return
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return
    try:
        with session_factory(engine)() as session:
            request.app.state.resolve_actor(request, session)
    except Exception:  # a refused or broken session: the page is shown as to a visitor
        log.debug("reader of an error page not resolved", exc_info=True)
