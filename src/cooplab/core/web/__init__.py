"""What every domain's pages share: rendering in the reader's language, routes whose errors are
pages, forms, access; static files cached long and pages compressed for slow lines."""

from __future__ import annotations

from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send


class CachedStaticFiles(StaticFiles):
    """Static files; versioned URLs (?v=<hash>) are cached by browsers for a year."""

    def file_response(self, *args: Any, **kwargs: Any) -> Any:
        """A static file with caching headers for slow lines."""
        response = super().file_response(*args, **kwargs)
        scope = args[2] if len(args) > 2 else kwargs.get("scope")
        if scope is not None and b"v=" in scope.get("query_string", b""):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "public, max-age=3600"
        return response


class WebGZip:
    """Compress web pages and static files (not the API, whose clients choose for themselves)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=800)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(("/api", "/docs")):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
