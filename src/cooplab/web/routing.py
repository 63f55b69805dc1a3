"""What every web route shares: errors shown as pages (a sign-in first for pages that need it),
paging from the query string."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from cooplab.errors import CooplabError, DatabaseUnavailableError, UnauthorizedError
from cooplab.web.access import login_url
from cooplab.web.render import error_page

log = logging.getLogger(__name__)
MAX_LIMIT = 100

# A record id in a URL: a positive 32-bit integer (ids are INTEGER columns on both databases);
# anything else is a page that does not exist.
MAX_ID = 2_147_483_647
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


class WebRoute(APIRoute):
    """A route whose errors become pages in the layout, whatever the Accept header says; a page
    that needs a signed-in user sends an anonymous visitor to the sign-in page and back."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped so errors render as pages."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except UnauthorizedError as exc:
                if request.method in ("GET", "HEAD"):
                    return RedirectResponse(login_url(request), status_code=303)
                return error_page(request, exc.status, exc.message)
            except CooplabError as exc:
                return error_page(request, exc.status, exc.message)
            except RequestValidationError as exc:
                # only path parameters are declared on web routes: a malformed id is a missing page
                log.info("bad path parameter on %s: %s", request.url.path, exc.errors())
                return error_page(request, 404, "Not Found")
            except HTTPException as exc:
                return error_page(request, exc.status_code, str(exc.detail))
            except Exception as exc:
                if (lost := DatabaseUnavailableError.lost_connection(exc)) is not None:
                    log.warning("database connection lost on %s: %s", request.url.path, exc)
                    return error_page(request, lost.status, lost.message)
                log.exception("web page %s failed", request.url.path)
                return error_page(request, 500, "Internal Server Error")

        return guarded


def paging(request: Request, default_limit: int) -> tuple[int, int]:
    """offset and limit from the query string; nonsense falls back to the first page."""

    def number(name: str, default: int, low: int, high: int) -> int:
        try:
            value = int(request.query_params.get(name, default))
        except ValueError:
            return default
        return min(max(value, low), high)

    return number("offset", 0, 0, 10_000_000), number("limit", default_limit, 1, MAX_LIMIT)


def page_size(request: Request) -> int:
    """Rows per page from the settings."""
    settings = getattr(request.app.state, "settings", None)
    return min(getattr(settings, "page_size", 25), MAX_LIMIT)
