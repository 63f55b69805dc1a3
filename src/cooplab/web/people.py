"""People pages: the list, a person with positions and sources, the edit form."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.api.deps import SessionDep
from cooplab.errors import ConflictError, InvalidInputError, NotFoundError
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter, PersonFilter
from cooplab.registry.schemas import PersonUpdate
from cooplab.vocab.choices import Language
from cooplab.web.access import EditorDep, FormDep, ReaderDep
from cooplab.web.forms import FormErrors, Loc, blank_to_none, form_rows, service_errors, validation_errors
from cooplab.web.listing import read_filter
from cooplab.web.render import Page, readable_name, redirect, render, request_language, translate, two_names
from cooplab.web.routing import MAX_ID, RecordId, WebRoute, page_size, paging
from cooplab.web.sources import collect_sources

router = APIRouter(route_class=WebRoute)

NAME_FIELDS = ("value", "lang")
POSITION_FIELDS = ("title", "title_en", "organization_id", "start", "end")


@router.get("/people")
def person_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """People matching the search box, a page at a time, with their positions."""
    lang = request_language(request)
    filters, problems = read_filter(request, PersonFilter, lang)
    organization = None
    if filters.organization_id:
        try:
            if not 0 < filters.organization_id <= MAX_ID:
                raise NotFoundError("out of range")
            organization = service.get_organization(session=session, organization_id=filters.organization_id)
        except NotFoundError:
            problems.append(translate(lang, "filter.invalid", field=translate(lang, "field.organization_id"),
                                      value=str(filters.organization_id), reason=translate(lang, "err.org_missing")))
            filters = filters.model_copy(update={"organization_id": None})
    offset, limit = paging(request, page_size(request))
    rows, count = service.list_people(session=session, filters=filters, offset=offset, limit=limit)
    items = [
        {"id": p.id, **dict(zip(("name", "other_name"), two_names(p.names, p.name, lang), strict=True)),
         "illustrative": p.illustrative, "positions": _current_first(p.positions)}
        for p in rows
    ]
    return render(request, "people/list.html", {
        "items": items, "count": count, "offset": offset, "limit": limit, "filters": filters,
        "problems": problems, "organization": organization,
        "filtered": any(v is not None for v in filters.model_dump().values()),
    })


def _current_first(positions: list[Any]) -> list[Any]:
    """Positions held now (no end) first, then by latest start."""
    return sorted(positions, key=lambda p: (p.end is not None, -(p.start or date.min).toordinal(), p.id))


@router.get("/people/{person_id}")
def person_page(request: Request, session: SessionDep, actor: ReaderDep, person_id: RecordId) -> Response:
    """A person: names, positions with links to the organizations, sources."""
    person = service.get_person(session=session, person_id=person_id)
    page = Page(request)
    positions = {p.id: p for p in person.positions}

    def describe(subject_type: str, subject_id: int, field: str | None) -> str:
        if subject_type == "position" and subject_id in positions:
            held = positions[subject_id]
            where = held.organization.name if held.organization else ""
            return page.t("fact.title_at", title=page.position_title(held), organization=where).rstrip(", ")
        return page.t_or(f"field.{field}", field) if field else page.t("fact.person")

    sources = collect_sources(session, [("person", [person.id]), ("position", list(positions))], describe)
    title = readable_name(person.names, person.name, page.lang)
    return render(request, "people/detail.html", {
        "person": person,
        "title": title,
        "aka": [n.value for n in person.names if n.value != title][:3], "positions": _current_first(person.positions), "sources": sources,
    })


@router.get("/people/{person_id}/edit")
def person_edit(request: Request, session: SessionDep, actor: EditorDep, person_id: RecordId) -> Response:
    """The edit form of a person: names and positions."""
    person = service.get_person(session=session, person_id=person_id)
    return _form(request, session, _values_of(person), FormErrors(), person)


@router.post("/people/{person_id}/edit")
def person_save(request: Request, session: SessionDep, actor: EditorDep, person_id: RecordId, form: FormDep) -> Response:
    """Save a person; errors come back next to their fields."""
    lang = request_language(request)
    person = service.get_person(session=session, person_id=person_id)
    values, payload, field_of = _read_form(form)
    if _same_positions(payload["positions"], person.positions):
        # unchanged positions are not rewritten, so the sources cited for them stay attached
        del payload["positions"]
    try:
        data = PersonUpdate.model_validate(payload)
        service.update_person(session=session, person_id=person_id, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _form(request, session, values, validation_errors(exc, lang, field_of), person, 422)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        errors = service_errors(exc, lang, field_of)
        person = service.get_person(session=session, person_id=person_id)
        if errors.stale:
            values["version"] = person.version
        return _form(request, session, values, errors, person, exc.status)
    return redirect(f"/people/{person_id}", flash="saved")


def _values_of(person: Any) -> dict[str, Any]:
    return {
        "version": person.version,
        "illustrative": person.illustrative,
        "names": [{"value": n.value, "lang": n.lang or ""} for n in person.names],
        "positions": [
            {"title": p.title, "title_en": p.title_en or "", "organization_id": p.organization_id or "",
             "start": p.start.isoformat() if p.start else "", "end": p.end.isoformat() if p.end else ""}
            for p in person.positions
        ],
    }


def _same_positions(submitted: list[dict[str, Any]], current: list[Any]) -> bool:
    def key(title: Any, title_en: Any, organization_id: Any, start: Any, end: Any) -> tuple[str, ...]:
        return tuple(str(v or "") for v in (title, title_en, organization_id, start, end))

    mine = sorted(key(**p) for p in submitted)
    theirs = sorted(
        key(p.title, p.title_en, p.organization_id, p.start.isoformat() if p.start else None,
            p.end.isoformat() if p.end else None)
        for p in current
    )
    return mine == theirs


def _read_form(form: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    values: dict[str, Any] = {
        "version": str(form.get("version", "") or "").strip(),
        "illustrative": form.get("illustrative") in {"on", "true", "1"},
        # rows left empty are dropped here, so error locations match the rows shown again
        "names": [row for row in form_rows(form, "names", NAME_FIELDS) if row["value"]],
        "positions": [row for row in form_rows(form, "positions", POSITION_FIELDS) if any(row.values())],
    }
    payload = {
        "version": values["version"] or None, "illustrative": values["illustrative"],
        "names": [{"value": row["value"], "lang": row["lang"] or None} for row in values["names"]],
        "positions": [{k: blank_to_none(v) for k, v in row.items()} for row in values["positions"]],
    }

    def field_of(loc: Loc, msg: str) -> str | None:
        if not loc or loc[0] not in ("names", "positions"):
            return None
        if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(values[loc[0]]):
            return loc[0]
        fields, default = (NAME_FIELDS, "value") if loc[0] == "names" else (POSITION_FIELDS, "title")
        sub = loc[2] if len(loc) > 2 and loc[2] in fields else ("end" if "end" in msg else default)
        return f"{loc[0]}-{loc[1]}-{sub}"

    return values, payload, field_of


def _form(request: Request, session: Session, values: dict[str, Any], errors: FormErrors,
          person: Any, status: int = 200) -> Response:
    organizations, _ = service.list_organizations(
        session=session, filters=OrganizationFilter(), offset=0, limit=500)
    names = [*values.get("names", []), {"value": "", "lang": ""}]
    positions = [*values.get("positions", []),
                 {"title": "", "title_en": "", "organization_id": "", "start": "", "end": ""}]
    return render(request, "people/form.html", {
        "person": person,
        "values": {**values, "names": names, "positions": positions},
        "errors": errors,
        "organizations": sorted(((o.id, o.name) for o in organizations), key=lambda o: o[1].casefold()),
        "languages": [lang.value for lang in Language],
    }, status=status)
