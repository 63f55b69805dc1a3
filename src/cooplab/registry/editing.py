"""Registry pages that change records beyond an organization's own fields: the sites, owners and
groups of an organization; the place forms; likely duplicates, their merge and its undoing.
Each page reads and writes through the registry's services; errors come back at their fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.calculators import Reason
from cooplab.core.http import SessionDep
from cooplab.core.i18n import catalog
from cooplab.core.names import display_name
from cooplab.core.routes import WebRoute
from cooplab.core.web.access import EditorDep, FormDep
from cooplab.core.web.forms import FormErrors, error_message, message, service_errors, validation_errors
from cooplab.core.web.render import redirect, render, request_language, translate
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.errors import ConflictError, InvalidInputError, NotFoundError
from cooplab.registry import forms, merge, service
from cooplab.registry.filters import OrganizationFilter, PlaceFilter
from cooplab.registry.schemas import (
    CitationCreate,
    MembershipCreate,
    OrganizationPublic,
    OwnershipCreate,
    PlaceCreate,
    PlaceDetail,
    PlaceUpdate,
    SiteCreate,
)
from cooplab.vocab.choices import Language, NameKind, PlaceKind

router = APIRouter(route_class=WebRoute)

#: How many records a form's choice lists offer.
CHOICES = 500
LINK_KINDS = tuple(forms.LINK_FIELDS)


# ---------------------------------------------------------------- sites, owners and groups


def _link_schema(kind: str, organization_id: int, payload: dict[str, Any]) -> Any:
    if kind == "site":
        return SiteCreate.model_validate(payload)
    if kind == "ownership":
        return OwnershipCreate.model_validate({**payload, "owned_id": organization_id})
    return MembershipCreate.model_validate({**payload, "member_id": organization_id})


def add_link(
    *, session: Session, actor: Actor, organization_id: int, kind: str, data: Any, source_id: int | None
) -> int:
    """Record a site, an owner or a group of an organization and, when given, the source that
    says so; answers the new link's id."""
    if kind == "site":
        link_id = service.add_site(
            session=session, actor=actor, organization_id=organization_id, data=data
        ).id
    elif kind == "ownership":
        link_id = service.add_ownership(session=session, actor=actor, data=data).id
    else:
        link_id = service.add_membership(session=session, actor=actor, data=data).id
    if source_id is not None:
        service.cite(
            session=session,
            actor=actor,
            subject_type=kind,
            subject_id=link_id,
            data=CitationCreate(source_id=source_id),
        )
    return link_id


def _blank_links() -> dict[str, dict[str, str]]:
    return {kind: dict.fromkeys(fields, "") for kind, fields in forms.LINK_FIELDS.items()}


def _links_page(
    request: Request,
    session: Session,
    actor: Actor,
    organization_id: int,
    values: dict[str, dict[str, str]] | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    org = service.organization_detail(
        session=session, actor=actor, organization_id=organization_id, lang=lang
    )
    others = service.list_organizations(
        session=session, actor=actor, filters=OrganizationFilter(), offset=0, limit=CHOICES, lang=lang
    ).data
    places = service.list_places(session=session, actor=actor, filters=PlaceFilter(), offset=0, limit=CHOICES)
    sources = service.list_sources(session=session, actor=actor, offset=0, limit=CHOICES).data
    return render(
        request,
        "registry/organizations/links.html",
        {
            "org": org,
            "title": display_name(org.names, lang, org.name),
            "values": values or _blank_links(),
            "errors": errors or FormErrors(),
            "organizations": sorted(
                ((o.id, o.name) for o in others if o.id != organization_id), key=lambda o: o[1].casefold()
            ),
            "places": sorted(
                ((p.id, f"{display_name(p.names, lang, p.name)} · {p.country}") for p in places.data),
                key=lambda p: p[1].casefold(),
            ),
            "sources": [(s.id, s.title) for s in sources],
        },
        status=status,
    )


@router.get("/organizations/{organization_id}/links")
def link_page(request: Request, session: SessionDep, actor: EditorDep, organization_id: RecordId) -> Response:
    """The production sites, owners (with shares and dates) and groups of an organization, each
    with a button to remove it, and a form to add one of each."""
    return _links_page(request, session, actor, organization_id)


def _link_create(
    request: Request, session: Session, actor: Actor, organization_id: int, kind: str, form: Any
) -> Response:
    lang = request_language(request)
    values, payload, field_of = forms.read_link_form(form, kind)
    errors, status = FormErrors(), 422
    source_field = f"{kind}-source_id"
    try:
        data = _link_schema(kind, organization_id, payload)
        source_id = _source_id(session, actor, values["source_id"], lang, source_field, errors)
        if not errors:
            add_link(
                session=session,
                actor=actor,
                organization_id=organization_id,
                kind=kind,
                data=data,
                source_id=source_id,
            )
            session.commit()
    except ValidationError as exc:
        errors = validation_errors(exc, lang, field_of)
    except (InvalidInputError, ConflictError) as exc:
        errors, status = service_errors(exc, lang, field_of), exc.status
    if not errors:
        return redirect(f"/organizations/{organization_id}/links#{kind}", flash="saved")
    session.rollback()
    return _links_page(
        request, session, actor, organization_id, {**_blank_links(), kind: values}, errors, status
    )


def _source_id(
    session: Session, actor: Actor, typed: str, lang: str, field: str, errors: FormErrors
) -> int | None:
    """The source chosen for a link (None: none), or an error at its field."""
    if not typed:
        return None
    if not typed.isdigit():
        errors.add(field, translate(lang, "err.integer"))
        return None
    try:
        return service.get_source(session=session, actor=actor, source_id=int(typed)).id
    except NotFoundError as exc:
        errors.add(field, message(lang, exc.reason, exc.params, exc.message))
        return None


@router.post("/organizations/{organization_id}/sites")
def site_create(
    request: Request, session: SessionDep, actor: EditorDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Add a production site (a place, what is made there, the source)."""
    return _link_create(request, session, actor, organization_id, "site", form)


@router.post("/organizations/{organization_id}/owners")
def owner_create(
    request: Request, session: SessionDep, actor: EditorDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Add an owner: the owning organization, its share in per cent, from and to, the source."""
    return _link_create(request, session, actor, organization_id, "ownership", form)


@router.post("/organizations/{organization_id}/groups")
def group_create(
    request: Request, session: SessionDep, actor: EditorDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Add a membership of a cluster or an association, from and to, the source."""
    return _link_create(request, session, actor, organization_id, "membership", form)


@router.post("/organizations/{organization_id}/links/{kind}/{link_id}/delete")
def link_delete(
    request: Request,
    session: SessionDep,
    actor: EditorDep,
    organization_id: RecordId,
    kind: str,
    link_id: RecordId,
    form: FormDep,
) -> Response:
    """Remove a site, an owner or a group of the organization, with the sources cited for it."""
    if kind not in LINK_KINDS:
        raise NotFoundError(f"an organization has no links of kind {kind!r}")
    service.remove_link(
        session=session, actor=actor, kind=kind, link_id=link_id, organization_id=organization_id
    )
    session.commit()
    return redirect(f"/organizations/{organization_id}/links#{kind}", flash="deleted")


# ---------------------------------------------------------------- places


def _place_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    errors: FormErrors,
    place: PlaceDetail | None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    found = service.list_places(session=session, actor=actor, filters=PlaceFilter(), offset=0, limit=CHOICES)
    parents = sorted(
        (
            (p.id, f"{display_name(p.names, lang, p.name)} · {p.country}")
            for p in found.data
            if place is None or p.id != place.id
        ),
        key=lambda p: p[1].casefold(),
    )
    names = [*(values.get("names") or []), {"value": "", "lang": "", "kind": "official"}]
    return render(
        request,
        "registry/places/form.html",
        {
            "place": place,
            "title": display_name(place.names, lang, place.name) if place else None,
            "values": {**values, "names": names},
            "errors": errors,
            "parents": parents,
            "kinds": [k.value for k in PlaceKind],
            "name_kinds": [k.value for k in NameKind],
            "languages": [code.value for code in Language],
        },
        status=status,
    )


@router.get("/places/new")
def place_new(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """An empty form for a new place."""
    return _place_form(request, session, actor, forms.place_values(None), FormErrors(), None)


@router.post("/places/new")
def place_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Create a place from the form; errors show next to their fields."""
    lang = request_language(request)
    values, payload, field_of = forms.read_place_form(form)
    payload = {k: v for k, v in payload.items() if v is not None and k != "version"}
    try:
        place = service.create_place(session=session, actor=actor, data=PlaceCreate.model_validate(payload))
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _place_form(request, session, actor, values, validation_errors(exc, lang, field_of), None, 422)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        return _place_form(
            request, session, actor, values, service_errors(exc, lang, field_of), None, exc.status
        )
    return redirect(f"/places/{place.id}", flash="created")


@router.get("/places/{place_id}/edit")
def place_edit(request: Request, session: SessionDep, actor: EditorDep, place_id: RecordId) -> Response:
    """The edit form of a place, filled with the place as it is now."""
    place = service.place_detail(session=session, actor=actor, place_id=place_id)
    return _place_form(request, session, actor, forms.place_values(place), FormErrors(), place)


@router.post("/places/{place_id}/edit")
def place_save(
    request: Request, session: SessionDep, actor: EditorDep, place_id: RecordId, form: FormDep
) -> Response:
    """Save a place; an edit made on an older version is refused (409) with the input kept."""
    lang = request_language(request)
    values, payload, field_of = forms.read_place_form(form)
    try:
        service.update_place(
            session=session, actor=actor, place_id=place_id, data=PlaceUpdate.model_validate(payload)
        )
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors, status = validation_errors(exc, lang, field_of), 422
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        errors, status = service_errors(exc, lang, field_of), exc.status
    else:
        return redirect(f"/places/{place_id}", flash="saved")
    place = service.place_detail(session=session, actor=actor, place_id=place_id)
    if errors.stale:
        values["version"] = place.version
    return _place_form(request, session, actor, values, errors, place, status)


# ---------------------------------------------------------------- duplicates and merges


def reason_text(reason: Reason, lang: str) -> str:
    """A duplicate rule's reason in the reader's words (`reason.<code>`; its English text when
    the catalog has none)."""
    if f"reason.{reason.code}" not in catalog(lang):
        return reason.text
    return translate(lang, f"reason.{reason.code}", **reason.params)


@router.get("/duplicates")
def duplicate_list(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """Pairs of organizations that are likely one, best first, each with its reasons and a link to
    merge them (analysts and admins)."""
    lang = request_language(request)
    offset, limit = paging(request, page_size(request))
    found = merge.list_duplicates(session=session, actor=actor, offset=offset, limit=limit)
    service.readable_refs(session, lang, [ref for pair in found.data for ref in (pair.a, pair.b)])
    pairs = [
        {
            "a": pair.a,
            "b": pair.b,
            "score": pair.score,
            "reasons": [reason_text(r, lang) for r in pair.reasons] or [pair.reason],
        }
        for pair in found.data
    ]
    return render(
        request,
        "registry/duplicates.html",
        {"pairs": pairs, "count": found.count, "offset": offset, "limit": limit},
    )


def _merge_page(
    request: Request,
    session: Session,
    actor: Actor,
    a: int,
    b: int,
    survivor: int | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    lang = request_language(request)
    pair: list[OrganizationPublic] = [
        service.organization_detail(session=session, actor=actor, organization_id=i, lang=lang)
        for i in (a, b)
    ]
    return render(
        request,
        "registry/merge.html",
        {
            "pair": [(org, display_name(org.names, lang, org.name)) for org in pair],
            "survivor": survivor or a,
            "error": error,
        },
        status=status,
    )


def _record_id(request: Request, name: str) -> int:
    """A record id given in the query string, or 404 (as a path's id would)."""
    typed = request.query_params.get(name) or ""
    if not typed.isdigit() or not 0 < int(typed) <= 2_147_483_647:
        raise NotFoundError.record("organization", typed[:20])
    return int(typed)


@router.get("/duplicates/merge")
def merge_confirm(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """Two organizations side by side (?a=&b=): which one stays, and what the other brings."""
    return _merge_page(request, session, actor, _record_id(request, "a"), _record_id(request, "b"))


@router.post("/merges")
def merge_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Merge the pair: the one chosen stays and keeps everything of the other."""
    ids = [str(form.get(name, "") or "") for name in ("a", "b")]
    if not all(i.isdigit() and 0 < int(i) <= 2_147_483_647 for i in ids):
        raise NotFoundError.record("organization", (ids[0] if not ids[0].isdigit() else ids[1])[:20])
    a, b = int(ids[0]), int(ids[1])
    survivor = str(form.get("survivor_id", "") or "")
    survivor_id = a if survivor == str(a) else b if survivor == str(b) else None
    if survivor_id is None:
        lang = request_language(request)
        return _merge_page(request, session, actor, a, b, None, translate(lang, "merge.choose"), 422)
    merged_id = b if survivor_id == a else a
    try:
        merge.merge_organizations(session=session, actor=actor, survivor_id=survivor_id, merged_id=merged_id)
        session.commit()
    except ConflictError as exc:
        session.rollback()
        lang = request_language(request)
        return _merge_page(request, session, actor, a, b, survivor_id, error_message(lang, exc), 409)
    return redirect(f"/organizations/{survivor_id}", flash="saved")
