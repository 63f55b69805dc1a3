"""Template rendering with the page language (placeholder; the web UI fills it in)."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse

STATIC = Path(__file__).parent / "static"


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return HTMLResponse(f"<h1>{status}</h1><p>{message}</p>", status_code=status)
