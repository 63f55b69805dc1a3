"""Web pages: the dashboard, global search and announced sections; the registry's, the account's
and the administration's routers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from cooplab.api.deps import SessionDep
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.registry.search import search_names
from cooplab.vocab.choices import EntityType, OrganizationKind
from cooplab.web import account, admin, ingest, missions, organizations, people, places
from cooplab.web.access import ReaderDep
from cooplab.web.render import COMING_SECTIONS, local_name, readable_name, render, request_language
from cooplab.web.routing import WebRoute

router = APIRouter(route_class=WebRoute)
RECENT = 8
SEARCH_LIMIT = 60
SEARCH_TYPES = (EntityType.ORGANIZATION, EntityType.PERSON, EntityType.PLACE)
LINKS = {EntityType.ORGANIZATION: "/organizations/{}", EntityType.PERSON: "/people/{}",
         EntityType.PLACE: "/places/{}"}
TABLES = {EntityType.ORGANIZATION: "organizations", EntityType.PERSON: "people", EntityType.PLACE: "places"}


@router.get("/")
def dashboard(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """The start page: what the registry holds, what changed lately, where to go next."""
    summary = service.registry_summary(session=session)
    illustrative = service.list_organizations(
        session=session, filters=OrganizationFilter(illustrative=True), limit=1)[1]
    return render(request, "dashboard.html", {
        "counts": {"organizations": summary.organizations, "illustrative": illustrative,
                   "people": summary.people, "places": summary.places, "sources": summary.sources},
        "by_kind": [(kind.value, summary.organizations_by_kind[kind.value]) for kind in OrganizationKind
                    if summary.organizations_by_kind.get(kind.value)],
        "recent": recent_changes(session, request_language(request)),
    })


def recent_changes(session: Session, lang: str, limit: int = RECENT) -> list[dict[str, Any]]:
    """The organizations, people and places written most recently (the registry's own list, from
    the audit log), named so the reader can read them: Latin names for English readers."""
    items = []
    for change in service.recent_changes(session=session, limit=limit):
        name = change.name
        if lang == "en" and change.type == EntityType.ORGANIZATION:
            org = service.get_organization(session=session, organization_id=change.id)
            name = readable_name(org.names, org.name, lang)
        elif lang == "en" and change.type == EntityType.PERSON:
            person = service.get_person(session=session, person_id=change.id)
            name = readable_name(person.names, person.name, lang)
        elif change.type == EntityType.PLACE:
            place = service.get_place(session=session, place_id=change.id)
            name = local_name(place.names, lang, place.name)
        items.append({"type": str(change.type), "id": change.id, "name": name, "when": change.at,
                      "changed": change.action != "create", "actor": change.actor,
                      "url": LINKS[EntityType(change.type)].format(change.id),
                      "history": f"/admin/audit?entity_type={TABLES[EntityType(change.type)]}&entity_id={change.id}"})
    return items


@router.get("/search")
def search(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
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
def coming_soon(request: Request, actor: ReaderDep, section: str) -> Response:
    """A section of the platform that is announced but not built yet."""
    if section not in COMING_SECTIONS:
        raise HTTPException(404, "Not Found")
    return render(request, "soon.html", {"section": section})


router.include_router(organizations.router)
router.include_router(people.router)
router.include_router(places.router)
router.include_router(account.router)
router.include_router(admin.router)
router.include_router(missions.router)
router.include_router(ingest.router)
