"""Place pages: the list and a place with its names, map links, organizations and sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cooplab.api.deps import SessionDep
from cooplab.registry import service
from cooplab.registry.filters import PlaceFilter
from cooplab.vocab.choices import PlaceKind
from cooplab.web.access import ReaderDep
from cooplab.web.listing import read_filter
from cooplab.web.render import Page, local_name, render, request_language
from cooplab.web.routing import RecordId, WebRoute, page_size, paging
from cooplab.web.sources import collect_sources

router = APIRouter(route_class=WebRoute)
NAME_LANGUAGES = ("ru", "en", "uz")


@router.get("/places")
def place_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Places matching the search box and the filters, a page at a time."""
    lang = request_language(request)
    filters, problems = read_filter(request, PlaceFilter, lang)
    offset, limit = paging(request, page_size(request))
    rows, count = service.list_places(session=session, filters=filters, offset=offset, limit=limit)
    items = [
        {"id": p.id, "name": local_name(p.names, lang, p.name), "names": _by_language(p.names),
         "kind": p.kind, "country": p.country, "latitude": p.latitude, "longitude": p.longitude,
         "illustrative": p.illustrative}
        for p in rows
    ]
    return render(request, "places/list.html", {
        "items": items, "count": count, "offset": offset, "limit": limit, "filters": filters,
        "problems": problems, "kinds": [k.value for k in PlaceKind],
        "filtered": any(v is not None for v in filters.model_dump().values()),
    })


def _by_language(names: Any) -> dict[str, str]:
    """The first official name per language."""
    found: dict[str, str] = {}
    for name in names:
        if name.lang and name.kind == "official":
            found.setdefault(name.lang, name.value)
    return found


@router.get("/places/{place_id}")
def place_page(request: Request, session: SessionDep, actor: ReaderDep, place_id: RecordId) -> Response:
    """A place: names in Russian, English and Uzbek, coordinates, organizations there, sources."""
    place = service.get_place(session=session, place_id=place_id)
    page = Page(request)
    parent = place.parent
    organizations = service.organizations_at(session=session, place_id=place.id)
    sources = collect_sources(
        session, [("place", [place.id])],
        lambda _type, _id, field: page.t_or(f"field.{field}", field) if field else page.t("fact.place"),
    )
    by_language = _by_language(place.names)
    other_names = [n for n in place.names if n.value not in by_language.values()]
    return render(request, "places/detail.html", {
        "place": place,
        "title": local_name(place.names, page.lang, place.name),
        "by_language": [(code, by_language.get(code)) for code in NAME_LANGUAGES],
        "other_names": other_names,
        "parent": {"id": parent.id, "name": local_name(parent.names, page.lang, parent.name)} if parent else None,
        "organizations": [
            {"id": o.id, "name": o.name, "kind": o.kind, "tier": o.tier,
             "head_office": o.head_office_id == place.id, "illustrative": o.illustrative}
            for o in organizations
        ],
        "sources": sources,
    })
