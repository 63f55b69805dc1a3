"""Web pages: the dashboard, global search and announced sections; the registry's routers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from cooplab.api.deps import SessionDep
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.search import search_names
from cooplab.vocab.choices import EntityType, OrganizationKind
from cooplab.web import organizations, people, places
from cooplab.web.render import COMING_SECTIONS, local_name, readable_name, render, request_language
from cooplab.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
RECENT = 8
RECENT_SCAN = 500  # records per kind looked at for "recent changes" (see recent_changes)
SEARCH_LIMIT = 60
SEARCH_TYPES = (EntityType.ORGANIZATION, EntityType.PERSON, EntityType.PLACE)
LINKS = {EntityType.ORGANIZATION: "/organizations/{}", EntityType.PERSON: "/people/{}",
         EntityType.PLACE: "/places/{}"}


@router.get("/")
def dashboard(request: Request, session: SessionDep) -> Response:
    """The start page: what the registry holds, what changed lately, where to go next."""
    def count_organizations(**fields: Any) -> int:
        return service.list_organizations(session=session, filters=OrganizationFilter(**fields), limit=1)[1]

    by_kind = [(kind.value, count_organizations(kind=kind)) for kind in OrganizationKind]
    counts = {
        "organizations": count_organizations(),
        "illustrative": count_organizations(illustrative=True),
        "people": service.list_people(session=session, filters=PersonFilter(), limit=1)[1],
        "places": service.list_places(session=session, filters=PlaceFilter(), limit=1)[1],
        "sources": service.list_sources(session=session, limit=1)[1],
    }
    return render(request, "dashboard.html", {
        "counts": counts,
        "by_kind": [(kind, n) for kind, n in by_kind if n],
        "recent": recent_changes(session, request_language(request)),
    })


def recent_changes(session: Any, lang: str, limit: int = RECENT) -> list[dict[str, Any]]:
    """The latest added or changed organizations, people and places, newest first.

    The registry has no service for this yet; it looks at the first RECENT_SCAN records of each kind."""
    found: list[dict[str, Any]] = []
    kinds = (
        (EntityType.ORGANIZATION, service.list_organizations(session=session, filters=OrganizationFilter(),
                                                            limit=RECENT_SCAN)[0]),
        (EntityType.PERSON, service.list_people(session=session, filters=PersonFilter(), limit=RECENT_SCAN)[0]),
        (EntityType.PLACE, service.list_places(session=session, filters=PlaceFilter(), limit=RECENT_SCAN)[0]),
    )
    for etype, rows in kinds:
        for row in rows:
            name = (local_name(row.names, lang, row.name) if etype == EntityType.PLACE
                    else readable_name(row.names, row.name, lang))
            changed = row.updated_at is not None and row.created_at is not None and (
                row.updated_at - row.created_at > timedelta(seconds=2))
            found.append({"type": etype.value, "id": row.id, "name": name, "when": row.updated_at,
                          "changed": changed, "url": LINKS[etype].format(row.id),
                          "kind": getattr(row, "kind", None) if etype == EntityType.ORGANIZATION else None})
    found.sort(key=lambda r: (r["when"] is not None, r["when"], r["id"]), reverse=True)
    return found[:limit]


@router.get("/search")
def search(request: Request, session: SessionDep) -> Response:
    """Organizations, people and places by any of their names, grouped by type, best first."""
    query = (request.query_params.get("q") or "").strip()[:200]
    wanted = request.query_params.get("type")
    types = {wanted} if wanted in {t.value for t in SEARCH_TYPES} else None
    hits = search_names(session=session, query=query, types=types, limit=SEARCH_LIMIT) if query else []
    groups = []
    for etype in SEARCH_TYPES:
        rows = [
            {"id": h.id, "name": h.name, "matched": h.matched if h.matched != h.name else None,
             "score": round(h.score), "country": h.country, "illustrative": h.illustrative,
             "url": LINKS[etype].format(h.id)}
            for h in hits if h.type == etype.value
        ]
        groups.append({"type": etype.value, "rows": rows})
    return render(request, "search.html", {
        "query": query, "groups": groups, "total": len(hits), "type": wanted if types else None,
    })


@router.get("/soon/{section}")
def coming_soon(request: Request, section: str) -> Response:
    """A section of the platform that is announced but not built yet."""
    if section not in COMING_SECTIONS:
        raise HTTPException(404, "Not Found")
    return render(request, "soon.html", {"section": section})


router.include_router(organizations.router)
router.include_router(people.router)
router.include_router(places.router)
