"""The application, assembled from the domain registry: every domain's API routes under
/api/v1 and its pages at /, the static files, the limits on requests, and one error handler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from cooplab import __version__
from cooplab.accounts.auth import resolve_actor
from cooplab.app.apidocs import ASSETS_URL, install_api_docs
from cooplab.app.headers import SecurityHeaders
from cooplab.app.limits import BodyLimit, NoNulText
from cooplab.core.answers import Answers
from cooplab.core.domain import domains
from cooplab.core.routes import WebRoute, install_error_handler
from cooplab.core.web import CachedStaticFiles, WebGZip
from cooplab.core.web.access import ReaderDep, VisitorDep
from cooplab.core.web.render import COMING_SECTIONS, STATIC, asset_version, render
from cooplab.db.session import make_engine
from cooplab.settings import Settings, get_settings

OPENAPI_URL = "/api/v1/openapi.json"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The cooplab web application on the database of `settings`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.server_threads
        yield
        app.state.engine.dispose()  # the server stops: its database connections close now

    app = FastAPI(
        lifespan=lifespan,
        title="cooplab",
        version=__version__,
        description="Registry of the automotive localization and cooperation platform.",
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL,
    )
    install_api_docs(app, OPENAPI_URL)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, settings.sql_echo)
    app.state.answers = Answers(max_bytes=settings.answer_cache_mb * 1024 * 1024)
    app.state.resolve_actor = resolve_actor
    # uploads may be as large as the import limit; a little more for the multipart envelope
    app.add_middleware(NoNulText)  # added first, so it runs inside BodyLimit
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + 64 * 1024)
    for domain in domains():
        app.include_router(domain.module("api").router)
    app.mount("/static", CachedStaticFiles(directory=STATIC), name="static")
    for domain in domains():
        app.include_router(domain.module("web").router, include_in_schema=False)
    app.include_router(_announced, include_in_schema=False)
    app.add_middleware(WebGZip)
    app.add_middleware(SecurityHeaders, production=settings.env == "production")
    install_error_handler(app)
    return app


_announced = APIRouter(route_class=WebRoute)


@_announced.get("/docs")
def api_docs(actor: VisitorDep) -> HTMLResponse:
    """The OpenAPI explorer (Swagger UI), started by a static file rather than inline script."""
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html><head><meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="icon" href="{ASSETS_URL}/favicon.png">
<title>cooplab API</title></head>
<body><div id="swagger-ui" data-openapi="{OPENAPI_URL}"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js?v={asset_version("docs.js")}"></script>
</body></html>"""
    )


@_announced.get("/soon/{section}")
def coming_soon(request: Request, actor: ReaderDep, section: str) -> Response:
    """A section of the platform that is announced but not built yet."""
    if section not in COMING_SECTIONS:
        raise HTTPException(404, "Not Found")
    return render(request, "soon.html", {"section": section})
