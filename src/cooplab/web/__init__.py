"""Server-rendered web UI in Russian and English."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Mount the web UI's static files and pages on the app."""
    from fastapi.staticfiles import StaticFiles

    from cooplab.web.pages import router
    from cooplab.web.render import STATIC

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(router)
