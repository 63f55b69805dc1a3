"""The application: REST API under /api/v1, the web UI at /, one error handler for both."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from cooplab import __version__
from cooplab.api.answers import Answers
from cooplab.api.limits import BodyLimit, NoNulText
from cooplab.db.session import make_engine
from cooplab.errors import CooplabError, DatabaseUnavailableError
from cooplab.accounts.api import router as accounts_router
from cooplab.engagements.api import router as engagements_router
from cooplab.ingest.api import router as ingest_router
from cooplab.registry.api import router as registry_router
from cooplab.settings import Settings, get_settings

logger = logging.getLogger("cooplab")
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 429: "too_many_attempts", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large",
               415: "unsupported_media_type", 422: "invalid_input"}


def _error(status: int, code: str, message: str, details: list[dict[str, Any]] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details or []}}, status_code=status)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        route_methods = getattr(route, "methods", None)
        if match != Match.NONE and route_methods:
            methods |= set(route_methods)
        for method in ("POST", "PATCH", "DELETE", "PUT"):
            if route_methods and method in route_methods:
                m, _ = route.matches({**request.scope, "method": method})
                if m == Match.FULL:
                    methods.add(method)
    return sorted(methods)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The cooplab web application on the database of `settings`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.server_threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="cooplab",
        version=__version__,
        description="Registry of the automotive localization and cooperation platform.",
        docs_url="/docs",
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    # uploads may be as large as the import limit; a little more for the multipart envelope
    app.add_middleware(NoNulText)  # added first, so it runs inside BodyLimit
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + 64 * 1024)
    app.state.engine = make_engine(settings.database_url, settings.sql_echo)
    app.state.answers = Answers(max_bytes=settings.answer_cache_mb * 1024 * 1024)
    app.include_router(registry_router)
    app.include_router(accounts_router)
    app.include_router(engagements_router)
    app.include_router(ingest_router)

    from cooplab.web import install as install_web

    install_web(app)

    @app.exception_handler(CooplabError)
    async def _cooplab_error(request: Request, exc: CooplabError) -> Response:
        if _wants_html(request):
            from cooplab.web.render import error_page

            return error_page(request, exc.status, exc.message)
        return JSONResponse(exc.to_dict(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [{"loc": [str(p) for p in err["loc"]], "msg": err["msg"]} for err in exc.errors()]
        fields = ", ".join(".".join(d["loc"][1:]) or d["loc"][0] for d in details)
        return _error(422, "invalid_input", f"invalid {fields}", details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            from cooplab.web.render import error_page

            return error_page(request, exc.status_code, str(exc.detail))
        response = _error(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> Response:
        if (lost := DatabaseUnavailableError.lost_connection(exc)) is None:
            return await _unexpected(request, exc)
        logger.warning("database connection lost on %s %s: %s", request.method, request.url.path, exc.orig)
        response = await _cooplab_error(request, lost)
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        message = "internal error; the administrator can find it in the server log"
        if _wants_html(request):
            from cooplab.web.render import error_page

            return error_page(request, 500, message)
        return _error(500, "internal", message)

    return app
