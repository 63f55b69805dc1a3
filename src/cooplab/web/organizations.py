"""Organization pages: the list with filters, the record with its sources and notes, the edit and
new forms, adding and deleting notes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.accounts import notes
from cooplab.accounts.roles import Actor
from cooplab.api.deps import SessionDep
from cooplab.errors import ConflictError, InvalidInputError, NotFoundError
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter, PlaceFilter
from cooplab.registry.schemas import OrganizationCreate, OrganizationPublic, OrganizationUpdate
from cooplab.vocab.choices import IdentifierScheme, Language, NameKind, OrganizationKind
from cooplab.web.access import EditorDep, FormDep, NoteWriterDep, OwnEditorDep, ReaderDep, may_edit_organization
from cooplab.web.forms import (
    FormErrors,
    Loc,
    blank_to_none,
    form_rows,
    service_errors,
    split_values,
    validation_errors,
)
from cooplab.web.listing import read_filter
from cooplab.web.render import (
    Page,
    local_name,
    readable_name,
    redirect,
    render,
    request_language,
    translate,
    two_names,
)
from cooplab.web.notes import note_section
from cooplab.web.routing import RecordId, WebRoute, page_size, paging
from cooplab.web.sources import SourceList, collect_sources

router = APIRouter(route_class=WebRoute)

SCALAR_FIELDS = ("kind", "tier", "country", "head_office_id", "website", "description", "illustrative")
SCHEMES = tuple(s.value for s in IdentifierScheme)
NAME_FIELDS = ("value", "lang", "kind")


# ---------------------------------------------------------------- list


@router.get("/organizations")
def organization_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Organizations matching the search box and the filters, a page at a time."""
    lang = request_language(request)
    filters, problems = read_filter(request, OrganizationFilter, lang)
    offset, limit = paging(request, page_size(request))
    rows, count = service.list_organizations(session=session, filters=filters, offset=offset, limit=limit)
    items = [
        {
            "id": org.id,
            **dict(zip(("name", "other_name"), two_names(org.names, org.name, lang), strict=True)),
            "kind": org.kind,
            "tier": org.tier,
            "country": org.country,
            "head_office": _place_ref(org.head_office, lang),
            "illustrative": org.illustrative,
        }
        for org in rows
    ]
    return render(request, "organizations/list.html", {
        "items": items, "count": count, "offset": offset, "limit": limit,
        "filters": filters, "problems": problems,
        "filtered": any(v is not None for v in filters.model_dump().values()),
    })


def _place_ref(place: Any, lang: str) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"id": place.id, "name": local_name(place.names, lang, place.name), "country": place.country}


# ---------------------------------------------------------------- one organization


@router.get("/organizations/new")
def organization_new(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """An empty form for a new organization."""
    values = {"kind": "", "tier": "", "country": "", "head_office_id": "", "website": "",
              "description": "", "illustrative": False, "names": [], **{s: "" for s in SCHEMES}}
    return _form(request, session, values, FormErrors(), organization=None)


@router.post("/organizations/new")
def organization_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Create an organization from the form; errors show next to their fields."""
    lang = request_language(request)
    values, payload, field_of = _read_form(form)
    payload = {k: v for k, v in payload.items() if v is not None and k != "version"}
    try:
        data = OrganizationCreate.model_validate(payload)
        org = service.create_organization(session=session, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _form(request, session, values, _all_errors(exc, payload, lang, field_of), None, 422)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        return _form(request, session, values, service_errors(exc, lang, field_of), None, exc.status)
    return redirect(f"/organizations/{org.id}", flash="created")


@router.get("/organizations/{organization_id}")
def organization_page(request: Request, session: SessionDep, actor: ReaderDep, organization_id: RecordId) -> Response:
    """Everything known about an organization, each fact with its sources; the notes one may see."""
    try:
        detail = service.organization_detail(session=session, organization_id=organization_id)
    except NotFoundError as exc:
        survivor = _merged_into(session, exc)
        if survivor is None:
            raise
        return render(request, "organizations/merged.html",
                      {"merged_id": organization_id, "survivor": survivor})
    return _detail_page(request, session, actor, detail)


def _detail_page(request: Request, session: Session, actor: Actor, detail: OrganizationPublic,
                 note_values: dict[str, str] | None = None, note_errors: FormErrors | None = None,
                 status: int = 200) -> Response:
    """The organization page; with the note form's input and errors when adding a note failed."""
    lang = request_language(request)
    page = Page(request)
    label = _readable_refs(session, detail, lang)
    sources = _sources(session, detail, page, label)
    title = readable_name(detail.names, detail.name, lang)
    aka = [detail.name] if title != detail.name else []
    aka += [n.value for n in detail.names if n.kind in ("official", "short") and n.value not in (detail.name, title)]
    return render(request, "organizations/detail.html", {
        "org": detail,
        "title": title,
        "names": _names_by_kind(detail),
        "aka": aka[:3],
        "label": label,
        "head_office": _place_label(session, detail.head_office.id, lang) if detail.head_office else None,
        "sites": [{"id": s.id, "place": _place_label(session, s.place.id, lang), "description": s.description}
                  for s in detail.sites],
        "sources": sources,
        "notes": note_section(session, actor, detail.id, note_values, note_errors),
    }, status=status)


def _merged_into(session: Session, exc: NotFoundError) -> Any:
    """The organization a merged one now lives in (following a chain of merges), or None."""
    target = next((d.get("merged_into_id") for d in exc.details if d.get("msg") == "merged"), None)
    for _ in range(10):
        if target is None:
            return None
        try:
            return service.get_organization(session=session, organization_id=target)
        except NotFoundError as again:
            target = next((d.get("merged_into_id") for d in again.details if d.get("msg") == "merged"), None)
    return None


def _readable_refs(session: Session, detail: OrganizationPublic, lang: str) -> dict[tuple[str, int], str]:
    """Names of the linked organizations and people fit for the reader (Latin ones in English)."""
    if lang != "en":
        return {}
    labels: dict[tuple[str, int], str] = {}
    refs = [o.owner for o in detail.owners] + [o.owned for o in detail.holdings]
    refs += [m.group for m in detail.groups] + [m.member for m in detail.members]
    for ref in refs:
        if ("organization", ref.id) not in labels:
            org = service.get_organization(session=session, organization_id=ref.id)
            labels["organization", ref.id] = readable_name(org.names, org.name, lang)
    for held in detail.people:
        if ("person", held.person.id) not in labels:
            person = service.get_person(session=session, person_id=held.person.id)
            labels["person", held.person.id] = readable_name(person.names, person.name, lang)
    return labels


def _place_label(session: Session, place_id: int, lang: str) -> dict[str, Any]:
    place = service.get_place(session=session, place_id=place_id)
    return {"id": place.id, "name": local_name(place.names, lang, place.name), "country": place.country}


def _names_by_kind(detail: OrganizationPublic) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for name in detail.names:
        groups.setdefault(name.kind, []).append(name)
    order = [k.value for k in NameKind]
    return sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


def _sources(session: Session, detail: OrganizationPublic, page: Page,
             label: dict[tuple[str, int], str]) -> SourceList:
    """Sources of the record and of its links (sites, owners, groups, people, identifiers)."""
    t = page.t
    owners = {o.id: o for o in detail.owners}
    holdings = {o.id: o for o in detail.holdings}
    groups = {m.id: m for m in detail.groups}
    members = {m.id: m for m in detail.members}
    sites = {s.id: s for s in detail.sites}
    people = {p.position.id: p for p in detail.people}
    identifiers = {i.id: i for i in detail.identifiers}

    def org(ref: Any) -> str:
        return label.get(("organization", ref.id), ref.name)

    def describe(subject_type: str, subject_id: int, field: str | None) -> str:
        if subject_type == "organization":
            return page.t_or(f"field.{field}", field) if field else t("fact.record")
        if subject_type == "ownership" and subject_id in owners:
            return t("fact.owner", name=org(owners[subject_id].owner))
        if subject_type == "ownership" and subject_id in holdings:
            return t("fact.holding", name=org(holdings[subject_id].owned))
        if subject_type == "membership" and subject_id in groups:
            return t("fact.group", name=org(groups[subject_id].group))
        if subject_type == "membership" and subject_id in members:
            return t("fact.member", name=org(members[subject_id].member))
        if subject_type == "site" and subject_id in sites:
            return t("fact.site", name=sites[subject_id].place.name)
        if subject_type == "position" and subject_id in people:
            held = people[subject_id]
            return t("fact.position", name=label.get(("person", held.person.id), held.person.name), title=page.position_title(held.position))
        if subject_type == "identifier" and subject_id in identifiers:
            ident = identifiers[subject_id]
            return f"{t('scheme.' + ident.scheme)} {ident.value}"
        return t("fact.record")

    return collect_sources(session, [
        ("organization", [detail.id]),
        ("identifier", list(identifiers)),
        ("site", list(sites)),
        ("ownership", [*owners, *holdings]),
        ("membership", [*groups, *members]),
        ("position", list(people)),
    ], describe)


# ---------------------------------------------------------------- notes


@router.post("/organizations/{organization_id}/notes")
def note_create(request: Request, session: SessionDep, actor: NoteWriterDep, organization_id: RecordId,
                form: FormDep) -> Response:
    """Add a note; private to the writer's organization unless another visibility is chosen."""
    lang = request_language(request)
    values = {"text": str(form.get("text", "") or ""), "visibility": str(form.get("visibility", "") or "")}
    try:
        data = notes.NoteCreate.model_validate({"text": values["text"],
                                                "visibility": values["visibility"] or "organization"})
        notes.add_note(session=session, actor=actor, organization_id=organization_id, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = validation_errors(exc, lang, lambda loc, _msg: f"note-{loc[0]}" if loc else None)
        detail = service.organization_detail(session=session, organization_id=organization_id)
        return _detail_page(request, session, actor, detail, values, errors, 422)
    return redirect(f"/organizations/{organization_id}#notes", flash="note_added")


@router.post("/organizations/{organization_id}/notes/{note_id}/delete")
def note_delete(request: Request, session: SessionDep, actor: NoteWriterDep, organization_id: RecordId,
                note_id: RecordId, form: FormDep) -> Response:
    """Delete a note (its author or an admin); a note one may not see does not exist."""
    note = notes.get_note(session=session, actor=actor, note_id=note_id)
    if note.organization_id != organization_id:
        raise NotFoundError(f"note {note_id} does not exist")
    notes.delete_note(session=session, actor=actor, note_id=note_id)
    session.commit()
    return redirect(f"/organizations/{organization_id}#notes", flash="note_deleted")


# ---------------------------------------------------------------- edit


@router.get("/organizations/{organization_id}/edit")
def organization_edit(request: Request, session: SessionDep, actor: OwnEditorDep, organization_id: RecordId) -> Response:
    """The edit form, filled with the organization as it is now (for those who may edit it)."""
    may_edit_organization(actor, organization_id)
    org = service.get_organization(session=session, organization_id=organization_id)
    return _form(request, session, _values_of(org), FormErrors(), org)


@router.post("/organizations/{organization_id}/edit")
def organization_save(request: Request, session: SessionDep, actor: OwnEditorDep, organization_id: RecordId,
                      form: FormDep) -> Response:
    """Save the edit; on errors show the form again with the input and each message at its field."""
    may_edit_organization(actor, organization_id)
    lang = request_language(request)
    org = service.get_organization(session=session, organization_id=organization_id)
    values, payload, field_of = _read_form(form)
    # names and numbers left as they were are not rewritten: their rows, ids and sources stay,
    # and the audit log records only what the reader changed
    if _same_names(payload["names"], org.names):
        del payload["names"]
    if _same_identifiers(payload["identifiers"], org.identifiers):
        del payload["identifiers"]
    try:
        data = OrganizationUpdate.model_validate(payload)
        service.update_organization(session=session, organization_id=organization_id, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        return _form(request, session, values, _all_errors(exc, payload, lang, field_of), org, 422)
    except (InvalidInputError, ConflictError) as exc:
        session.rollback()
        errors = service_errors(exc, lang, field_of)
        org = service.get_organization(session=session, organization_id=organization_id)
        if errors.stale:
            values["version"] = org.version
        return _form(request, session, values, errors, org, exc.status)
    return redirect(f"/organizations/{organization_id}", flash="saved")


def _same_names(submitted: list[dict[str, Any]], current: Any) -> bool:
    """Whether the form's names are the stored ones, in the same order (the first is the display name)."""
    return [(n["value"], n["lang"], n["kind"]) for n in submitted] == [
        (n.value, n.lang, n.kind) for n in current]


def _same_identifiers(submitted: list[dict[str, Any]], current: Any) -> bool:
    """Whether the form's registration numbers are the stored ones."""
    return sorted((i["scheme"], i["value"]) for i in submitted) == sorted((i.scheme, i.value) for i in current)


def _all_errors(exc: ValidationError, payload: dict[str, Any], lang: str, field_of: Any) -> FormErrors:
    """The schema's errors plus the rule the services check later (tier for suppliers only),
    so the reader sees every problem of the form at once."""
    errors = validation_errors(exc, lang, field_of)
    if payload.get("tier") and payload.get("kind") and payload["kind"] != OrganizationKind.SUPPLIER.value:
        errors.add("tier", translate(lang, "err.tier_supplier"))
    return errors


def _values_of(org: Any) -> dict[str, Any]:
    """The form's fields for an organization as stored."""
    values: dict[str, Any] = {
        "version": org.version, "kind": org.kind, "tier": org.tier or "", "country": org.country or "",
        "head_office_id": org.head_office_id or "", "website": org.website or "",
        "description": org.description or "", "illustrative": org.illustrative,
        "names": [{"value": n.value, "lang": n.lang or "", "kind": n.kind} for n in org.names],
    }
    for scheme in SCHEMES:
        values[scheme] = ", ".join(i.value for i in org.identifiers if i.scheme == scheme)
    return values


def _read_form(form: Any) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(values to show again, payload for the schema, field_of: error location -> form field)."""
    values: dict[str, Any] = {name: str(form.get(name, "") or "").strip() for name in SCALAR_FIELDS}
    values["illustrative"] = form.get("illustrative") in {"on", "true", "1"}
    values["version"] = str(form.get("version", "") or "").strip()
    # rows left empty are dropped here, so error locations match the rows shown again
    values["names"] = [row for row in form_rows(form, "names", NAME_FIELDS) if row["value"]]
    payload: dict[str, Any] = {name: blank_to_none(values[name]) for name in SCALAR_FIELDS}
    payload["illustrative"] = values["illustrative"]
    payload["version"] = values["version"] or None

    payload["names"] = [{"value": row["value"], "lang": row["lang"] or None, "kind": row["kind"] or "official"}
                        for row in values["names"]]

    identifiers, ident_fields = [], []
    for scheme in SCHEMES:
        values[scheme] = str(form.get(scheme, "") or "").strip()
        for value in split_values(values[scheme]):
            identifiers.append({"scheme": scheme, "value": value})
            ident_fields.append(scheme)
    payload["identifiers"] = identifiers

    def field_of(loc: Loc, msg: str) -> str | None:
        if not loc:
            return "tier" if "tier" in msg else None
        head = loc[0]
        if head == "names":
            if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(values["names"]):
                return "names"
            sub = loc[2] if len(loc) > 2 and loc[2] in NAME_FIELDS else "value"
            return f"names-{loc[1]}-{sub}"
        if head == "identifiers":
            if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(ident_fields):
                return "inn"
            return ident_fields[int(loc[1])]
        return head if head in SCALAR_FIELDS else None

    return values, payload, field_of


def _form(request: Request, session: Session, values: dict[str, Any], errors: FormErrors,
          organization: Any, status: int = 200) -> Response:
    lang = request_language(request)
    places, _ = service.list_places(session=session, filters=PlaceFilter(), offset=0, limit=500)
    place_choices = sorted(
        ((p.id, local_name(p.names, lang, p.name), p.country) for p in places
         if p.kind != "country" or str(p.id) == str(values.get("head_office_id"))),
        key=lambda c: c[1].casefold(),
    )
    names = list(values.get("names") or [])
    names.append({"value": "", "lang": "", "kind": "official"})
    return render(request, "organizations/form.html", {
        "organization": organization,
        "values": {**values, "names": names},
        "errors": errors,
        "places": place_choices,
        "kinds": [k.value for k in OrganizationKind],
        "name_kinds": [k.value for k in NameKind],
        "languages": [lang_.value for lang_ in Language],
        "schemes": SCHEMES,
    }, status=status)
