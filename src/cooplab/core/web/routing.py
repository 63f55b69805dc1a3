"""What every web route shares: paging from the query string, record ids in paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from cooplab.core.schemas import MAX_ID

MAX_LIMIT = 100

# A record id in a URL: a positive 32-bit integer (ids are INTEGER columns on both databases);
# anything else is a page that does not exist.
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


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
