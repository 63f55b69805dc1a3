"""The one error handler: every error a request meets becomes the one JSON error shape for the
API, and a page in the layout for the web (a sign-in first for a page that needs one).

What cannot be the user's fault (an unexpected exception) is logged with its traceback and
answered as an internal error; a database connection lost in use, or a wait for another
transaction's lock given up, is 503 with Retry-After.
Routes of both kinds (`ApiRoute`, `WebRoute`) answer their own errors through it, so the
request's database session closes as usual and the server never sees an exception; the
application hands it what happens outside any route (an unknown address, a wrong method).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from cooplab.core.http import PAGING, unknown_query_error
from cooplab.core.web.access import login_url
from cooplab.core.web.render import error_page
from cooplab.errors import (
    BadRequestError,
    CooplabError,
    DatabaseUnavailableError,
    InvalidInputError,
    NotFoundError,
    UnauthorizedError,
)

logger = logging.getLogger("cooplab")
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    429: "too_many_attempts",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
}
INTERNAL = "internal error; the administrator can find it in the server log"


class ApiRoute(APIRoute):
    """An API route: its errors become the one JSON error shape in the route itself."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, answering its errors; a query parameter the route does not take
        is refused (422) before the route runs."""
        handler = super().get_route_handler()
        known = self.query_names()

        async def answered(request: Request) -> Response:
            try:
                unknown = sorted(set(request.query_params) - known) if known is not None else []
                if unknown:
                    raise unknown_query_error(unknown)
                return await handler(request)
            except Exception as exc:  # noqa: BLE001  (every error gets its answer here)
                return error_response(request, exc)

        return answered

    def query_names(self) -> frozenset[str] | None:
        """The query parameters this route takes: those it declares and the fields of its query
        filter (with paging); None for a page, whose links may carry more."""
        names: set[str] = set()
        stack = [self.dependant]
        while stack:
            dependant = stack.pop()
            names |= {p.alias or p.name for p in dependant.query_params}
            model = getattr(dependant.call, "query_model", None)
            if model is not None:
                names |= set(model.model_fields) | PAGING
            stack += dependant.dependencies
        return frozenset(names)


class WebRoute(ApiRoute):
    """A route that answers a page: its errors become pages in the layout whatever the Accept
    header says, and a page that needs a signed-in user sends an anonymous visitor to the
    sign-in page and back."""

    def query_names(self) -> frozenset[str] | None:
        """Pages take any query parameter (a language, a filter of a list's links)."""
        return None


def is_page(request: Request) -> bool:
    """Whether an error of this request is answered with a page: it came to a web route, or to
    no route at all from a browser (not the API)."""
    route = request.scope.get("route")
    if route is not None:
        return isinstance(route, WebRoute)
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


class _HttpError(CooplabError):
    """An error Starlette raised itself (no such route, a method not allowed)."""


def as_error(request: Request, exc: Exception) -> CooplabError:
    """Any exception of a request as one of cooplab's errors."""
    if isinstance(exc, CooplabError):
        return exc
    if isinstance(exc, RequestValidationError):
        unreadable = [err for err in exc.errors() if err.get("type") == "json_invalid"]
        if unreadable:
            where = unreadable[0].get("ctx", {}).get("error", "")
            return BadRequestError(
                f"the body is not valid JSON ({where})" if where else "the body is not valid JSON",
                details=[{"loc": ["body"], "msg": "not valid JSON", "code": "json_invalid"}],
            )
        if is_page(request):  # only path parameters are declared on web routes: a missing page
            logger.info("bad path parameter on %s: %s", request.url.path, exc.errors())
            return NotFoundError("Not Found")
        details = [{"loc": [str(p) for p in err["loc"]], "msg": err["msg"]} for err in exc.errors()]
        fields = ", ".join(".".join(d["loc"][1:]) or d["loc"][0] for d in details)
        return InvalidInputError(f"invalid {fields}", details=details)
    if isinstance(exc, StarletteHTTPException) and isinstance(exc.__cause__, CooplabError):
        return exc.__cause__  # the body's reader refused it (too large): its own answer
    if isinstance(exc, StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        error = _HttpError(str(exc.detail), reason=code)
        error.status, error.code = exc.status_code, code
        return error
    if (lost := DatabaseUnavailableError.lost_connection(exc)) is not None:
        logger.warning(
            "database connection lost on %s %s: %s",
            request.method,
            request.url.path,
            getattr(exc, "orig", exc),
        )
        return lost
    if (busy := DatabaseUnavailableError.busy(exc)) is not None:
        logger.warning(
            "database busy on %s %s: %s", request.method, request.url.path, getattr(exc, "orig", exc)
        )
        return busy
    logger.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return CooplabError(INTERNAL)


def error_response(request: Request, exc: Exception) -> Response:
    """The answer to a request that failed with `exc`: JSON for the API, a page for the web."""
    error = as_error(request, exc)
    headers = dict(getattr(exc, "headers", None) or {})
    if isinstance(error, DatabaseUnavailableError):
        headers["Retry-After"] = "1"
    if error.status == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    if is_page(request):
        if isinstance(error, UnauthorizedError) and request.method in ("GET", "HEAD"):
            return RedirectResponse(login_url(request), status_code=303)
        response: Response = error_page(request, error)
    else:
        response = JSONResponse(error.to_dict(), status_code=error.status)
    response.headers.update(headers)
    return response


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None)
        if match != Match.NONE and route_methods:
            methods |= set(route_methods)
        for method in ("POST", "PATCH", "DELETE", "PUT"):
            if route_methods and method in route_methods:
                full, _ = route.matches({**request.scope, "method": method})
                if full == Match.FULL:
                    methods.add(method)
    return sorted(methods)


def install_error_handler(app: FastAPI) -> None:
    """Let the one handler answer every error of `app`."""

    async def handle(request: Request, exc: Any) -> Response:
        return error_response(request, exc)

    for kind in (CooplabError, RequestValidationError, StarletteHTTPException, DBAPIError):
        app.add_exception_handler(kind, handle)
