"""Registry pages: the dashboard and search; organizations (list, record with its sources and
notes, edit and new forms, sites, owners and groups); likely duplicates, their merge and its
undoing; people (list, record, edit form); places (list, record, edit and new forms). Each page
reads its record with one service call and renders it in the reader's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.calculators import Reason
from cooplab.core.domain import home_sections, organization_sections
from cooplab.core.formats import format_number
from cooplab.core.http import SessionDep
from cooplab.core.i18n import catalog
from cooplab.core.names import display_name, two_names
from cooplab.core.routes import WebRoute
from cooplab.core.schemas import MAX_ID
from cooplab.core.web.access import EditorDep, FormDep, NoteWriterDep, OwnEditorDep, ReaderDep
from cooplab.core.web.forms import (
    FormErrors,
    error_message,
    message,
    save_form,
    service_errors,
    validation_errors,
)
from cooplab.core.web.listing import read_filter
from cooplab.core.web.render import Page, redirect, render, request_language, translate
from cooplab.core.web.routing import RecordId, page_size, paging
from cooplab.errors import ConflictError, InvalidInputError, MergedError, NotFoundError
from cooplab.registry import claims, forms, merge, notes, service, sheets
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.schemas import (
    CitationPublic,
    MembershipChange,
    MembershipCreate,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationUpdate,
    OwnershipChange,
    OwnershipCreate,
    OwnershipPublic,
    PersonPublic,
    PersonUpdate,
    PlaceCreate,
    PlaceDetail,
    PlaceUpdate,
    PositionPublic,
    SiteChange,
    SiteCreate,
)
from cooplab.vocab.choices import (
    EntityType,
    Language,
    NameKind,
    OrganizationKind,
    PlaceKind,
    SearchType,
    Visibility,
)

router = APIRouter(route_class=WebRoute)

RECENT = 8
SEARCH_LIMIT = 60
SEARCH_TYPES = tuple(SearchType)
LINKS = {
    EntityType.ORGANIZATION: "/organizations/{}",
    EntityType.PERSON: "/people/{}",
    EntityType.PLACE: "/places/{}",
}
TABLES = {EntityType.ORGANIZATION: "organizations", EntityType.PERSON: "people", EntityType.PLACE: "places"}
#: Languages a place's names are shown in, one row each.
NAME_LANGUAGES = ("ru", "en", "uz")
#: How many records a form's choice lists offer.
CHOICES = 500
LINK_KINDS = tuple(forms.LINK_FIELDS)
#: Visibilities in the order the note form offers them, the default first.
VISIBILITIES = (Visibility.ORGANIZATION, Visibility.PARTIES, Visibility.MEMBERS, Visibility.PUBLIC)


# ---------------------------------------------------------------- sources of a record


@dataclass
class SourceItem:
    """One document: its number on the page, what it is, and the facts of the record it backs."""

    number: int
    id: int
    title: str
    url: str | None
    published: date | None
    as_of: date | None
    facts: list[str] = field(default_factory=list)


@dataclass
class SourceList:
    """The numbered sources of a page and, per fact (subject type, id), the numbers backing it."""

    items: list[SourceItem] = field(default_factory=list)
    refs: dict[tuple[str, int], list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(
        cls, citations: Iterable[CitationPublic], describe: Callable[[str, int, str | None], str]
    ) -> SourceList:
        """The record's citations (as its detail holds them), each fact named by `describe`."""
        sources = cls()
        for citation in citations:
            sources.add(citation, describe(citation.subject_type, citation.subject_id, citation.field))
        return sources

    def add(self, citation: CitationPublic, fact: str) -> None:
        """Number a source (once) and note the fact it backs."""
        source = citation.source
        item = next((i for i in self.items if i.id == source.id), None)
        if item is None:
            item = SourceItem(
                number=len(self.items) + 1,
                id=source.id,
                title=source.title,
                url=source.url,
                published=source.published,
                as_of=source.as_of,
            )
            self.items.append(item)
        if fact not in item.facts:
            item.facts.append(fact)
        subject = (citation.subject_type, citation.subject_id)
        if item.number not in self.refs[subject]:
            self.refs[subject].append(item.number)

    def of_fact(self, subject_type: str, subject_id: int) -> list[int]:
        """Numbers of the sources backing one fact (for the small reference marks)."""
        return self.refs.get((subject_type, subject_id), [])

    def __len__(self) -> int:
        return len(self.items)


# ---------------------------------------------------------------- the dashboard and search


@router.get("/")
def dashboard(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """The start page: what the registry holds, what changed lately, where to go next; for a
    signed-in reader also what the domains put on their desk (missions, steps, drafts)."""
    lang = request_language(request)
    summary = service.registry_summary(session=session, actor=actor)
    recent = [
        {
            "type": str(c.type),
            "id": c.id,
            "name": c.name,
            "when": c.at,
            "changed": c.action != "create",
            "actor": c.actor,
            "url": LINKS[EntityType(c.type)].format(c.id),
            "history": f"/admin/audit?entity_type={TABLES[EntityType(c.type)]}&entity_id={c.id}",
        }
        for c in service.recent_changes(session=session, actor=actor, limit=RECENT, lang=lang)
    ]
    return render(
        request,
        "registry/dashboard.html",
        {
            "counts": {
                "organizations": summary.organizations,
                "illustrative": summary.illustrative,
                "people": summary.people,
                "places": summary.places,
                "sources": summary.sources,
            },
            "by_kind": [
                (kind.value, summary.organizations_by_kind[kind.value])
                for kind in OrganizationKind
                if summary.organizations_by_kind.get(kind.value)
            ],
            "recent": recent,
            "sections": home_sections(session, actor, lang),
        },
    )


@router.get("/search")
def search(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Organizations, people and places by any of their names, and the missions, events and
    agreements the reader may see by their titles; grouped by type, best first."""
    query = (request.query_params.get("q") or "").strip()[:200]
    wanted = request.query_params.get("type")
    types = {wanted} if wanted in {t.value for t in SEARCH_TYPES} else None
    hits = (
        service.search_for_reader(
            session=session,
            actor=actor,
            query=query,
            lang=request_language(request),
            types=types,
            limit=SEARCH_LIMIT,
        )
        if query
        else []
    )
    groups = [
        {
            "type": etype.value,
            "rows": [
                {
                    "id": h.id,
                    "name": h.name,
                    "matched": h.matched if h.matched != h.name else None,
                    "score": round(h.score),
                    "country": h.country,
                    "illustrative": h.illustrative,
                    "url": h.url or LINKS[EntityType(etype)].format(h.id),
                }
                for h in hits
                if h.type == etype.value
            ],
        }
        for etype in SEARCH_TYPES
    ]
    return render(
        request,
        "registry/search.html",
        {
            "query": query,
            "groups": groups,
            "total": len(hits),
            "type": wanted if types else None,
        },
    )


# ---------------------------------------------------------------- organizations


@router.get("/organizations")
def organization_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Organizations matching the search box and the filters, a page at a time."""
    lang = request_language(request)
    filters, problems = read_filter(request, OrganizationFilter, lang)
    offset, limit = paging(request, page_size(request))
    found = service.list_organizations(
        session=session, actor=actor, filters=filters, offset=offset, limit=limit, lang=lang
    )
    items = [
        {
            "id": org.id,
            **dict(
                zip(("name", "other_name"), two_names(getattr(org, "names", []), lang, org.name), strict=True)
            ),
            "kind": org.kind,
            "tier": org.tier,
            "country": org.country,
            "head_office": org.head_office,
            "illustrative": org.illustrative,
        }
        for org in found.data
    ]
    return render(
        request,
        "registry/organizations/list.html",
        {
            "items": items,
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "problems": problems,
            "filtered": any(v is not None for v in filters.model_dump().values()),
        },
    )


@router.get("/organizations/new")
def organization_new(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """An empty form for a new organization."""
    return _organization_form(request, session, actor, forms.organization_values(None), FormErrors(), None)


@router.post("/organizations/new")
def organization_create(request: Request, session: SessionDep, actor: EditorDep, form: FormDep) -> Response:
    """Create an organization from the form; errors show next to their fields."""
    lang = request_language(request)
    values, payload, field_of = forms.read_organization_form(form)
    payload = {k: v for k, v in payload.items() if v is not None and k != "version"}
    org = save_form(
        session,
        lang,
        lambda: service.create_organization(
            session=session, actor=actor, data=OrganizationCreate.model_validate(payload)
        ),
        field_of,
    )
    if isinstance(org, FormErrors):
        return _organization_form(request, session, actor, values, org, None, org.status)
    return redirect(f"/organizations/{org.id}", flash="created")


@router.get("/organizations/{organization_id}")
def organization_page(
    request: Request, session: SessionDep, actor: ReaderDep, organization_id: RecordId
) -> Response:
    """Everything known about an organization, each fact with its sources; the notes one may see.
    A merged organization's page says where it went."""
    try:
        return _detail_page(request, session, actor, organization_id)
    except MergedError as exc:
        return _merged_page(request, session, actor, organization_id, exc)


def _merged_page(
    request: Request,
    session: Session,
    actor: Actor,
    organization_id: int,
    exc: MergedError,
    error: str = "",
    status: int = 200,
) -> Response:
    """Where a merged organization went; for analysts and admins, the button that undoes it."""
    survivor = _merged_into(session, actor, exc)
    if survivor is None:
        raise exc
    undo = None
    if actor.has(Permission.EDIT_REGISTRY):
        try:
            undo = merge.merge_of(session=session, actor=actor, organization_id=organization_id)
        except NotFoundError:
            undo = None
    return render(
        request,
        "registry/organizations/merged.html",
        {"merged_id": organization_id, "survivor": survivor, "undo": undo, "error": error},
        status=status,
    )


@router.post("/organizations/{organization_id}/unmerge")
def organization_unmerge(
    request: Request, session: SessionDep, actor: EditorDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Undo the merge that took this organization into another: both are again as they were."""
    done = merge.merge_of(session=session, actor=actor, organization_id=organization_id)
    try:
        merge.unmerge(session=session, actor=actor, merge_id=done.id)
        session.commit()
    except ConflictError as exc:
        session.rollback()
        lang = request_language(request)
        merged = MergedError(organization_id, done.survivor_id)
        return _merged_page(request, session, actor, organization_id, merged, error_message(lang, exc), 409)
    return redirect(f"/organizations/{organization_id}", flash="saved")


def _detail_page(
    request: Request,
    session: Session,
    actor: Actor,
    organization_id: int,
    note_values: dict[str, str] | None = None,
    note_errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    """The organization page; with the note form's input and errors when adding a note failed."""
    page = Page(request)
    detail = service.organization_detail(
        session=session, actor=actor, organization_id=organization_id, lang=page.lang
    )
    found = notes.list_notes(session=session, actor=actor, organization_id=organization_id, limit=200)
    title = display_name(detail.names, page.lang, detail.name)
    aka = [detail.name] if title != detail.name else []
    aka += [
        n.value
        for n in detail.names
        if n.kind in ("official", "short") and n.value not in (detail.name, title)
    ]
    return render(
        request,
        "registry/organizations/detail.html",
        {
            "org": detail,
            "title": title,
            "names": _names_by_kind(detail),
            "aka": aka[:3],
            "head_office": detail.head_office,
            "sites": detail.sites,
            "sources": _organization_sources(detail, page),
            "sections": organization_sections(session, actor, organization_id, page.lang),
            "notes": NoteSection(
                items=found.data,
                count=found.count,
                may_write=actor.has(Permission.WRITE_NOTES),
                values=note_values or NoteSection.blank(),
                errors=note_errors or FormErrors(),
            ),
        },
        status=status,
    )


def _merged_into(session: Session, actor: Actor, exc: MergedError) -> OrganizationPublic | None:
    """The organization a merged one now lives in (following a chain of merges), or None."""
    target: int | None = exc.merged_into_id
    for _ in range(10):
        if target is None:
            return None
        try:
            return service.organization_detail(session=session, actor=actor, organization_id=target)
        except MergedError as again:
            target = again.merged_into_id
        except NotFoundError:
            return None
    return None


def _names_by_kind(detail: OrganizationPublic) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for name in detail.names:
        groups.setdefault(name.kind, []).append(name)
    order = [k.value for k in NameKind]
    return sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


def _organization_sources(detail: OrganizationPublic, page: Page) -> SourceList:
    """Sources of the record and of its links (sites, owners, groups, people, identifiers)."""
    t = page.t
    owners = {o.id: o for o in detail.owners}
    holdings = {o.id: o for o in detail.holdings}
    groups = {m.id: m for m in detail.groups}
    members = {m.id: m for m in detail.members}
    sites = {s.id: s for s in detail.sites}
    people = {p.position.id: p for p in detail.people}
    identifiers = {i.id: i for i in detail.identifiers}

    def describe(subject_type: str, subject_id: int, field: str | None) -> str:
        if subject_type == "organization":
            return page.t_or(f"field.{field}", field) if field else t("fact.record")
        if subject_type == "ownership" and subject_id in owners:
            return t("fact.owner", name=owners[subject_id].owner.name)
        if subject_type == "ownership" and subject_id in holdings:
            return t("fact.holding", name=holdings[subject_id].owned.name)
        if subject_type == "membership" and subject_id in groups:
            return t("fact.group", name=groups[subject_id].group.name)
        if subject_type == "membership" and subject_id in members:
            return t("fact.member", name=members[subject_id].member.name)
        if subject_type == "site" and subject_id in sites:
            return t("fact.site", name=sites[subject_id].place.name)
        if subject_type == "position" and subject_id in people:
            held = people[subject_id]
            return t("fact.position", name=held.person.name, title=page.position_title(held.position))
        if subject_type == "identifier" and subject_id in identifiers:
            ident = identifiers[subject_id]
            return f"{t('scheme.' + ident.scheme)} {ident.value}"
        return t("fact.record")

    return SourceList.of(detail.citations, describe)


@router.get("/organizations/{organization_id}/edit")
def organization_edit(
    request: Request, session: SessionDep, actor: OwnEditorDep, organization_id: RecordId
) -> Response:
    """The edit form, filled with the organization as it is now (for those who may edit it)."""
    actor.require_edit_organization(organization_id)
    org = service.organization_detail(session=session, actor=actor, organization_id=organization_id)
    return _organization_form(request, session, actor, forms.organization_values(org), FormErrors(), org)


@router.post("/organizations/{organization_id}/edit")
def organization_save(
    request: Request, session: SessionDep, actor: OwnEditorDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Save the edit; on errors show the form again with the input and each message at its field."""
    lang = request_language(request)
    values, payload, field_of = forms.read_organization_form(form)
    errors = save_form(
        session,
        lang,
        lambda: service.update_organization(
            session=session,
            actor=actor,
            organization_id=organization_id,
            data=OrganizationUpdate.model_validate(payload),
        ),
        field_of,
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/organizations/{organization_id}", flash="saved")
    org = service.organization_detail(session=session, actor=actor, organization_id=organization_id)
    if errors.stale:
        values["version"] = org.version
    return _organization_form(request, session, actor, values, errors, org, errors.status)


def _organization_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    errors: FormErrors,
    organization: OrganizationPublic | None,
    status: int = 200,
) -> Response:
    lang = request_language(request)
    places = service.list_places(
        session=session, actor=actor, filters=PlaceFilter(), offset=0, limit=500
    ).data
    place_choices = sorted(
        (
            (p.id, display_name(p.names, lang, p.name), p.country)
            for p in places
            if p.kind != "country" or str(p.id) == str(values.get("head_office_id"))
        ),
        key=lambda c: c[1].casefold(),
    )
    names = [*(values.get("names") or []), {"value": "", "lang": "", "kind": "official"}]
    return render(
        request,
        "registry/organizations/form.html",
        {
            "organization": organization,
            "values": {**values, "names": names},
            "errors": errors,
            "places": place_choices,
            "kinds": [k.value for k in OrganizationKind],
            "name_kinds": [k.value for k in NameKind],
            "languages": [lang_.value for lang_ in Language],
            "schemes": forms.SCHEMES,
        },
        status=status,
    )


# ---------------------------------------------------------------- sites, owners and groups


def _link_schema(kind: str, organization_id: int, payload: dict[str, Any]) -> Any:
    if kind == "site":
        return SiteCreate.model_validate(payload)
    if kind == "ownership":
        return OwnershipCreate.model_validate({**payload, "owned_id": organization_id})
    return MembershipCreate.model_validate({**payload, "member_id": organization_id})


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
            service.add_link(
                session=session, actor=actor, organization_id=organization_id, data=data, source_id=source_id
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
        if int(typed) > MAX_ID:  # no record has such a number, and no database column holds it
            raise NotFoundError.record("source", typed)
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


_LINK_CHANGES: dict[str, type[SiteChange | OwnershipChange | MembershipChange]] = {
    "site": SiteChange,
    "ownership": OwnershipChange,
    "membership": MembershipChange,
}


def _known_kind(kind: str) -> None:
    """A kind of link the address names that does not exist answers as a page that does not."""
    if kind not in LINK_KINDS:
        raise NotFoundError(f"an organization has no links of kind {kind!r}")


def _link_edit_page(
    request: Request,
    session: Session,
    actor: Actor,
    organization_id: int,
    kind: str,
    link_id: int,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    _known_kind(kind)
    lang = request_language(request)
    link = service.find_link(
        session=session, actor=actor, kind=kind, link_id=link_id, organization_id=organization_id
    )
    org = service.organization_detail(
        session=session, actor=actor, organization_id=organization_id, lang=lang
    )
    stored = {
        k: "" if getattr(link, k) is None else str(getattr(link, k)) for k in forms.LINK_CHANGE_FIELDS[kind]
    }
    if isinstance(link, OwnershipPublic) and link.share is not None:
        stored["share"] = format_number(link.share, lang)
    other = {"ownership": "owner", "membership": "group", "site": "place"}[kind]
    return render(
        request,
        "registry/organizations/link_edit.html",
        {
            "org": org,
            "title": display_name(org.names, lang, org.name),
            "kind": kind,
            "link": link,
            "other": getattr(link, other),
            "values": values or stored,
            "errors": errors or FormErrors(),
        },
        status=status,
    )


@router.get("/organizations/{organization_id}/links/{kind}/{link_id}/edit")
def link_edit_form(
    request: Request,
    session: SessionDep,
    actor: EditorDep,
    organization_id: RecordId,
    kind: str,
    link_id: RecordId,
) -> Response:
    """The form of what may change of a site (what is made there), an owner (share, from, to) or a
    group (from, to); who or where it is stays: another one is a link of its own."""
    return _link_edit_page(request, session, actor, organization_id, kind, link_id)


@router.post("/organizations/{organization_id}/links/{kind}/{link_id}/edit")
def link_edit(
    request: Request,
    session: SessionDep,
    actor: EditorDep,
    organization_id: RecordId,
    kind: str,
    link_id: RecordId,
    form: FormDep,
) -> Response:
    """Save the change of a link, or show the form again with what was wrong at its field."""
    _known_kind(kind)
    lang = request_language(request)
    values, payload, field_of = forms.read_link_change(form, kind)
    try:
        service.update_link(
            session=session,
            actor=actor,
            kind=kind,
            link_id=link_id,
            organization_id=organization_id,
            data=_LINK_CHANGES[kind].model_validate(payload),
        )
        session.commit()
    except ValidationError as exc:
        errors, status = validation_errors(exc, lang, field_of), 422
    except InvalidInputError as exc:
        errors, status = service_errors(exc, lang, field_of), exc.status
    else:
        return redirect(f"/organizations/{organization_id}/links#{kind}", flash="saved")
    session.rollback()
    return _link_edit_page(request, session, actor, organization_id, kind, link_id, values, errors, status)


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
    _known_kind(kind)
    service.remove_link(
        session=session, actor=actor, kind=kind, link_id=link_id, organization_id=organization_id
    )
    session.commit()
    return redirect(f"/organizations/{organization_id}/links#{kind}", flash="deleted")


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


# ---------------------------------------------------------------- notes


@dataclass
class NoteSection:
    """The notes section of an organization page: the notes the reader may see and the form."""

    items: list[notes.NotePublic]
    count: int
    may_write: bool
    values: dict[str, str]
    errors: FormErrors
    visibilities: tuple[str, ...] = tuple(v.value for v in VISIBILITIES)

    @staticmethod
    def blank() -> dict[str, str]:
        return {"text": "", "visibility": Visibility.ORGANIZATION.value}


@router.post("/organizations/{organization_id}/notes")
def note_create(
    request: Request, session: SessionDep, actor: NoteWriterDep, organization_id: RecordId, form: FormDep
) -> Response:
    """Add a note; private to the writer's organization unless another visibility is chosen."""
    lang = request_language(request)
    values = {"text": str(form.get("text", "") or ""), "visibility": str(form.get("visibility", "") or "")}
    try:
        data = notes.NoteCreate.model_validate(
            {"text": values["text"], "visibility": values["visibility"] or "organization"}
        )
        notes.add_note(session=session, actor=actor, organization_id=organization_id, data=data)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        errors = validation_errors(exc, lang, lambda loc, _msg: f"note-{loc[0]}" if loc else None)
        return _detail_page(request, session, actor, organization_id, values, errors, 422)
    return redirect(f"/organizations/{organization_id}#notes", flash="note_added")


@router.post("/organizations/{organization_id}/notes/{note_id}/delete")
def note_delete(
    request: Request,
    session: SessionDep,
    actor: NoteWriterDep,
    organization_id: RecordId,
    note_id: RecordId,
    form: FormDep,
) -> Response:
    """Delete a note (its author or an admin); a note one may not see does not exist."""
    notes.delete_note(session=session, actor=actor, note_id=note_id, organization_id=organization_id)
    session.commit()
    return redirect(f"/organizations/{organization_id}#notes", flash="note_deleted")


# ---------------------------------------------------------------- identifiers claimed by members


def _claims_page(
    request: Request, session: Session, actor: Actor, error: str = "", status: int = 200
) -> Response:
    lang = request_language(request)
    offset, limit = paging(request, page_size(request))
    conflicts = request.query_params.get("conflicts") == "true"
    found = claims.list_claims(
        session=session, actor=actor, conflicts_only=conflicts, offset=offset, limit=limit, lang=lang
    )
    return render(
        request,
        "registry/claims.html",
        {
            "items": found.data,
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "conflicts": conflicts,
            "error": error,
        },
        status,
    )


@router.get("/identifiers/claims")
def claim_list(request: Request, session: SessionDep, actor: EditorDep) -> Response:
    """Numbers set by members awaiting an analyst, conflicts first (analysts and admins)."""
    return _claims_page(request, session, actor)


@router.post("/identifiers/{identifier_id}/verify")
def claim_verify(
    request: Request, session: SessionDep, actor: EditorDep, identifier_id: RecordId, form: FormDep
) -> Response:
    """Confirm a claim; while another organization holds the number the list says so (409)."""
    try:
        claims.verify_identifier(session=session, actor=actor, identifier_id=identifier_id)
        session.commit()
    except ConflictError as exc:
        session.rollback()
        return _claims_page(request, session, actor, error_message(request_language(request), exc), 409)
    return redirect("/identifiers/claims", flash="identifier_verified")


@router.post("/identifiers/{identifier_id}/reject")
def claim_reject(
    request: Request, session: SessionDep, actor: EditorDep, identifier_id: RecordId, form: FormDep
) -> Response:
    """Refuse a claim: the number leaves the organization that set it."""
    try:
        claims.reject_identifier(session=session, actor=actor, identifier_id=identifier_id)
        session.commit()
    except ConflictError as exc:
        session.rollback()
        return _claims_page(request, session, actor, error_message(request_language(request), exc), 409)
    return redirect("/identifiers/claims", flash="identifier_rejected")


# ---------------------------------------------------------------- people


def _current_first(positions: list[PositionPublic]) -> list[PositionPublic]:
    """Positions held now (no end) first, then by latest start."""
    return sorted(positions, key=lambda p: (p.end is not None, -(p.start or date.min).toordinal(), p.id))


@router.get("/people")
def person_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """People matching the search box, a page at a time, with their positions."""
    lang = request_language(request)
    filters, problems = read_filter(request, PersonFilter, lang)
    organization = None
    if filters.organization_id:
        try:
            if not 0 < filters.organization_id <= MAX_ID:
                raise NotFoundError.record("organization", filters.organization_id)
            organization = service.organization_detail(
                session=session, actor=actor, organization_id=filters.organization_id
            )
        except NotFoundError:
            problems.append(
                translate(
                    lang,
                    "filter.invalid",
                    field=translate(lang, "field.organization_id"),
                    value=str(filters.organization_id),
                    reason=translate(lang, "err.org_missing"),
                )
            )
            filters = filters.model_copy(update={"organization_id": None})
    offset, limit = paging(request, page_size(request))
    found = service.list_people(
        session=session, actor=actor, filters=filters, offset=offset, limit=limit, lang=lang
    )
    items = [
        {
            "id": p.id,
            **dict(zip(("name", "other_name"), two_names(p.names, lang, p.name), strict=True)),
            "illustrative": p.illustrative,
            "positions": _current_first(p.positions),
        }
        for p in found.data
    ]
    return render(
        request,
        "registry/people/list.html",
        {
            "items": items,
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "problems": problems,
            "organization": organization,
            "filtered": any(v is not None for v in filters.model_dump().values()),
        },
    )


@router.get("/people/{person_id}")
def person_page(request: Request, session: SessionDep, actor: ReaderDep, person_id: RecordId) -> Response:
    """A person: names, positions with links to the organizations, sources."""
    page = Page(request)
    person = service.person_detail(session=session, actor=actor, person_id=person_id, lang=page.lang)
    positions = {p.id: p for p in person.positions}

    def describe(subject_type: str, subject_id: int, field: str | None) -> str:
        if subject_type == "position" and subject_id in positions:
            held = positions[subject_id]
            where = held.organization.name if held.organization else ""
            return page.t("fact.title_at", title=page.position_title(held), organization=where).rstrip(", ")
        return page.t_or(f"field.{field}", field) if field else page.t("fact.person")

    title = display_name(person.names, page.lang, person.name)
    return render(
        request,
        "registry/people/detail.html",
        {
            "person": person,
            "title": title,
            "aka": [n.value for n in person.names if n.value != title][:3],
            "positions": _current_first(person.positions),
            "sources": SourceList.of(person.citations, describe),
        },
    )


@router.get("/people/{person_id}/edit")
def person_edit(request: Request, session: SessionDep, actor: EditorDep, person_id: RecordId) -> Response:
    """The edit form of a person: names and positions."""
    person = service.person_detail(session=session, actor=actor, person_id=person_id)
    return _person_form(request, session, actor, forms.person_values(person), FormErrors(), person)


@router.post("/people/{person_id}/edit")
def person_save(
    request: Request, session: SessionDep, actor: EditorDep, person_id: RecordId, form: FormDep
) -> Response:
    """Save a person; errors come back next to their fields."""
    lang = request_language(request)
    values, payload, field_of = forms.read_person_form(form)
    errors = save_form(
        session,
        lang,
        lambda: service.update_person(
            session=session, actor=actor, person_id=person_id, data=PersonUpdate.model_validate(payload)
        ),
        field_of,
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/people/{person_id}", flash="saved")
    person = service.person_detail(session=session, actor=actor, person_id=person_id)
    if errors.stale:
        values["version"] = person.version
    return _person_form(request, session, actor, values, errors, person, errors.status)


def _person_form(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    errors: FormErrors,
    person: PersonPublic,
    status: int = 200,
) -> Response:
    organizations = service.list_organizations(
        session=session, actor=actor, filters=OrganizationFilter(), offset=0, limit=500
    ).data
    names = [*values.get("names", []), {"value": "", "lang": ""}]
    positions = [
        *values.get("positions", []),
        {"title": "", "title_en": "", "organization_id": "", "start": "", "end": ""},
    ]
    return render(
        request,
        "registry/people/form.html",
        {
            "person": person,
            "values": {**values, "names": names, "positions": positions},
            "errors": errors,
            "organizations": sorted(((o.id, o.name) for o in organizations), key=lambda o: o[1].casefold()),
            "languages": [lang.value for lang in Language],
        },
        status=status,
    )


# ---------------------------------------------------------------- places


def _by_language(names: Iterable[Any]) -> dict[str, str]:
    """The first official name per language."""
    found: dict[str, str] = {}
    for name in names:
        if name.lang and name.kind == "official":
            found.setdefault(name.lang, name.value)
    return found


@router.get("/places")
def place_list(request: Request, session: SessionDep, actor: ReaderDep) -> Response:
    """Places matching the search box and the filters, a page at a time."""
    lang = request_language(request)
    filters, problems = read_filter(request, PlaceFilter, lang)
    offset, limit = paging(request, page_size(request))
    found = service.list_places(session=session, actor=actor, filters=filters, offset=offset, limit=limit)
    items = [
        {
            "id": p.id,
            "name": display_name(p.names, lang, p.name),
            "names": _by_language(p.names),
            "kind": p.kind,
            "country": p.country,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "illustrative": p.illustrative,
        }
        for p in found.data
    ]
    return render(
        request,
        "registry/places/list.html",
        {
            "items": items,
            "count": found.count,
            "offset": offset,
            "limit": limit,
            "filters": filters,
            "problems": problems,
            "kinds": [k.value for k in PlaceKind],
            "filtered": any(v is not None for v in filters.model_dump().values()),
        },
    )


# ---------------------------------------------------------------- place forms


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
    place = save_form(
        session,
        lang,
        lambda: service.create_place(session=session, actor=actor, data=PlaceCreate.model_validate(payload)),
        field_of,
    )
    if isinstance(place, FormErrors):
        return _place_form(request, session, actor, values, place, None, place.status)
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
    errors = save_form(
        session,
        lang,
        lambda: service.update_place(
            session=session, actor=actor, place_id=place_id, data=PlaceUpdate.model_validate(payload)
        ),
        field_of,
    )
    if not isinstance(errors, FormErrors):
        return redirect(f"/places/{place_id}", flash="saved")
    place = service.place_detail(session=session, actor=actor, place_id=place_id)
    if errors.stale:
        values["version"] = place.version
    return _place_form(request, session, actor, values, errors, place, errors.status)


@router.get("/places/{place_id}")
def place_page(request: Request, session: SessionDep, actor: ReaderDep, place_id: RecordId) -> Response:
    """A place: names in Russian, English and Uzbek, coordinates, organizations there, sources."""
    page = Page(request)
    place = service.place_detail(session=session, actor=actor, place_id=place_id, lang=page.lang)
    by_language = _by_language(place.names)
    sources = SourceList.of(
        place.citations,
        lambda _type, _id, field: page.t_or(f"field.{field}", field) if field else page.t("fact.place"),
    )
    return render(
        request,
        "registry/places/detail.html",
        {
            "place": place,
            "title": display_name(place.names, page.lang, place.name),
            "by_language": [(code, by_language.get(code)) for code in NAME_LANGUAGES],
            "other_names": [n for n in place.names if n.value not in by_language.values()],
            "parent": place.parent,
            "organizations": [
                {
                    "id": o.id,
                    "name": o.name,
                    "kind": o.kind,
                    "tier": o.tier,
                    "head_office": o.id in place.head_office_of,
                    "illustrative": o.illustrative,
                }
                for o in place.organizations
            ],
            "sources": sources,
        },
    )


router.include_router(sheets.router)
