"""Rendering of web pages in the reader's language: catalogs, `t`, formats, pages and error pages."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
import pycountry
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from cooplab import __version__
from cooplab.accounts.roles import ANONYMOUS, Actor, Permission
from cooplab.errors import DatabaseUnavailableError
from cooplab.vocab.choices import OrganizationKind

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
I18N = HERE / "i18n"
LANGUAGES = ("ru", "en")
LANG_COOKIE = "lang"
FLASH_COOKIE = "flash"
FLASHES = {"saved", "created", "signed_in", "signed_out", "note_added", "note_deleted", "token_revoked",
           "user_disabled", "ingest_exists", "ingest_accepted"}
log = logging.getLogger(__name__)

# Sections of the platform; the registry is live, the others are announced in the navigation.
REGISTRY_SECTIONS = (("organizations", "/organizations"), ("people", "/people"), ("places", "/places"))
COMING_SECTIONS = ("catalog", "localization", "feasibility", "matching", "pipeline")

# Countries of the cooperation first in country lists; short common names instead of formal ones.
MAIN_COUNTRIES = ("UZ", "RU", "KR", "KZ", "CN", "BY", "TR", "DE", "JP", "IN")
SHORT_COUNTRY_NAMES = {
    "ru": {"RU": "Россия", "KR": "Южная Корея", "KP": "КНДР", "US": "США", "GB": "Великобритания",
           "IR": "Иран", "MD": "Молдова", "TW": "Тайвань", "VN": "Вьетнам", "SY": "Сирия"},
    "en": {"RU": "Russia", "KR": "South Korea", "KP": "North Korea", "IR": "Iran", "MD": "Moldova",
           "TW": "Taiwan", "VN": "Vietnam", "SY": "Syria", "BO": "Bolivia", "VE": "Venezuela",
           "TZ": "Tanzania", "LA": "Laos"},
}
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------- catalogs


@lru_cache
def catalog(lang: str) -> dict[str, Any]:
    """The message catalog of a language: message id -> text (or plural forms)."""
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def _plural_form(lang: str, n: int) -> str:
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def translate(lang: str, key: str, n: int | None = None, **params: Any) -> str:
    """The text of message `key` in `lang` (plural form chosen by `n`), with {params} filled in.

    A key missing from the catalog shows as itself, so a gap is visible, never a crash."""
    text = catalog(lang).get(key, key)
    if isinstance(text, dict):
        text = text.get(_plural_form(lang, n or 0)) or text.get("many") or text.get("other") or key
    if n is not None:
        params.setdefault("n", format_number(n, lang))
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


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


# ---------------------------------------------------------------- formats


def format_number(value: int | float | Decimal | None, lang: str) -> str:
    """1 234 / 1,234; decimals with a comma in Russian."""
    if value is None:
        return ""
    if isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", "\u00a0") if lang == "ru" else text
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",") if lang == "ru" else text


def format_date(value: date | datetime | None, lang: str) -> str:
    """23.08.2021 in Russian, 23 Aug 2021 in English."""
    if value is None:
        return ""
    if lang == "ru":
        return value.strftime("%d.%m.%Y")
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, lang: str) -> str:
    """Date and time (UTC) of a change."""
    if value is None:
        return ""
    return f"{format_date(value, lang)} {value:%H:%M}"


@lru_cache(maxsize=4)
def _country_translations(lang: str) -> Any:
    import gettext

    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_label(code: str | None, lang: str) -> str:
    """A country's name in the reader's language (the code itself when unknown)."""
    if not code:
        return ""
    short = SHORT_COUNTRY_NAMES.get(lang, {}).get(code)
    if short:
        return short
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) if lang == "en" else None
    return name or _country_translations(lang).gettext(country.name)


@lru_cache(maxsize=4)
def country_choices(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(main countries, all other countries) as (code, name), the others sorted by name."""
    main = [(code, country_label(code, lang)) for code in MAIN_COUNTRIES]
    others = sorted(
        ((c.alpha_2, country_label(c.alpha_2, lang)) for c in pycountry.countries
         if c.alpha_2 not in MAIN_COUNTRIES),
        key=lambda pair: pair[1].casefold(),
    )
    return main, others


def local_name(names: Any, lang: str, default: str) -> str:
    """The first official name in the reader's language, else `default` (the display name)."""
    for name in names or ():
        if name.lang == lang and getattr(name, "kind", "official") == "official":
            return name.value
    return default


def readable_name(names: Any, display: str, lang: str) -> str:
    """The display name; for English readers a Latin spelling when the display name is Cyrillic."""
    if lang != "en" or not _CYRILLIC.search(display):
        return display
    latin = [n for n in names or () if n.script == "latin" and getattr(n, "kind", "official") != "former"]
    latin.sort(key=lambda n: (n.lang != "en", getattr(n, "kind", "official") != "official"))
    return latin[0].value if latin else display


def two_names(names: Any, display: str, lang: str) -> tuple[str, str | None]:
    """(the name to show, the name in the other script to show under it)."""
    shown = readable_name(names, display, lang)
    return shown, (display if shown != display else other_script_name(names, display))


def other_script_name(names: Any, display: str) -> str | None:
    """The first name written in another script than the display name (Латиница <-> Cyrillic)."""
    cyrillic = bool(_CYRILLIC.search(display))
    for name in names or ():
        if (name.script == "cyrillic") != cyrillic and getattr(name, "kind", "official") != "former":
            return name.value
    return None


@lru_cache(maxsize=8)
def asset_version(name: str) -> str:
    """A short hash of a static file, so its URL changes when it does (long browser caching)."""
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


# ---------------------------------------------------------------- templates


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        version=__version__,
        registry_sections=REGISTRY_SECTIONS,
        coming_sections=COMING_SECTIONS,
        organization_kinds=[k.value for k in OrganizationKind],
        asset_version=asset_version,
    )
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
        self.user: dict[str, Any] | None = getattr(request.state, "web_user", None) if self.actor.signed_in else None
        self._csrf: str | None = None

    @property
    def csrf(self) -> str:
        """The CSRF token for this page's forms (masked afresh for every page)."""
        from cooplab.web.access import mask_token

        if self._csrf is None:
            token = getattr(self.request.state, "csrf_token", None)
            self._csrf = mask_token(token) if token else ""
        return self._csrf

    def may(self, permission: str) -> bool:
        """Whether the reader has a permission (to show a button only to those who may use it)."""
        return self.actor.has(Permission(permission))

    def may_edit_organization(self, organization_id: int) -> bool:
        """Whether the reader may edit this organization."""
        return self.actor.may_edit_organization(organization_id)

    def login_url(self) -> str:
        """The sign-in page, coming back here afterwards."""
        from cooplab.web.access import login_url

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

    def number(self, value: Any) -> str:
        """A number in the page language's format."""
        return format_number(value, self.lang)

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

    def name_in_lang(self, names: Any, default: str) -> str:
        """A place's name in the page language."""
        return local_name(names, self.lang, default)

    def readable(self, names: Any, display: str) -> str:
        """A record's name the reader can read (Latin in English)."""
        return readable_name(names, display, self.lang)

    def position_title(self, position: Any) -> str:
        """A position's title in the page language when there is one."""
        if self.lang == "en" and getattr(position, "title_en", None):
            return position.title_en
        return position.title

    def period(self, start: date | None, end: date | None) -> str:
        """"since ...", "until ...", or "... — ..." for a start and an end date."""
        if start and end:
            return self.t("period.from_to", start=self.date(start), end=self.date(end))
        if start:
            return self.t("period.since", start=self.date(start))
        if end:
            return self.t("period.until", end=self.date(end))
        return ""


def render(
    request: Request, template: str, context: Mapping[str, Any] | None = None, status: int = 200,
    *, secret: bool = False,
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


_ERROR_TITLES = {400: "error.400", 401: "error.401", 403: "error.403", 404: "error.404",
                 405: "error.405", 409: "error.409", 422: "error.422", 429: "error.429", 500: "error.500",
                 503: "error.503"}
_NOT_FOUND = re.compile(r"^(organization|person|place|source|citation) (\d+) does not exist$")
#: Messages of the access rules, as catalog keys: the page says why in the reader's words.
_ACCESS_DETAILS = {
    "members edit their own organization only": "access.own_organization",
    "missing or wrong CSRF token": "access.csrf",
    "only the author or an admin deletes a note": "access.note_author",
    "only the author or an admin changes a note": "access.note_author",
}
#: Messages the page's title and hint already say (a signed-in reader is also told their role).
_SAID_BY_THE_PAGE = {"Not Found", "Method Not Allowed", "Internal Server Error", "sign in first",
                     DatabaseUnavailableError.MESSAGE}
_ROLE_REFUSED = re.compile(r"^your role \(\w+\) does not allow this$")


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error in the page layout: a translated title and hint, the technical message below."""
    lang = request_language(request)
    _resolve_reader(request)
    detail = message
    found = _NOT_FOUND.match(message or "")
    refused = _ROLE_REFUSED.match(message or "")
    if found:
        detail = translate(lang, "error.record_missing",
                           what=translate(lang, f"entity.{found.group(1)}"), id=found.group(2))
    elif message in _ACCESS_DETAILS:
        detail = translate(lang, _ACCESS_DETAILS[message])
    elif refused or message in _SAID_BY_THE_PAGE:
        detail = ""
    try:
        return render(request, "error.html", {
            "status": status,
            "title_key": _ERROR_TITLES.get(status, "error.other"),
            "detail": detail,
        }, status=status)
    except Exception:  # the error page must never fail itself
        log.exception("error page failed")
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)


def _resolve_reader(request: Request) -> None:
    """Who is reading, for the layout of an error page that no web route answered (an unknown
    address): without it a signed-in reader would see "sign in" in the top bar."""
    from cooplab.api.deps import SESSION_COOKIE

    if getattr(request.state, "actor", None) is not None or not request.cookies.get(SESSION_COOKIE):
        return
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        return
    from cooplab.db.session import session_factory
    from cooplab.web.access import web_actor

    try:
        with session_factory(engine)() as session:
            web_actor(request, session)
    except Exception:  # a refused or broken session: the page is shown as to a visitor
        log.debug("reader of an error page not resolved", exc_info=True)
