"""Rules and queries of the registry: organizations, people, places, sources and citations.

Surfaces call these and nothing else touches the tables. Every function takes the actor and
checks what it may do; reads return public shapes whose references already carry display names
in the reader's language (`lang`; None keeps the stored display names), so a page is one call.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import Integer, Select, Table, and_, bindparam, delete, func, or_, select, union
from sqlalchemy.orm import Session, joinedload, selectinload

from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import AuditEntry, record_many
from cooplab.core.confidential import restricted_clause
from cooplab.core.domain import citable_subjects
from cooplab.core.names import display_name
from cooplab.core.records import Conflicts, check_version, flush, get_or_404, page
from cooplab.core.revision import PerDatabase
from cooplab.core.schemas import ListPublic
from cooplab.core.spreadsheets import batched
from cooplab.db.base import utcnow
from cooplab.db.session import json_rows, rows_of
from cooplab.errors import (
    CodedValueError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    MergedError,
    NotFoundError,
    field_error,
)
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.models import (
    Citation,
    Identifier,
    Membership,
    Organization,
    OrganizationName,
    Ownership,
    Person,
    PersonName,
    Place,
    PlaceName,
    Position,
    Site,
    Source,
    Stamp,
    identifier_status,
)
from cooplab.registry.schemas import (
    CitationCreate,
    CitationPublic,
    IdentifierIn,
    MembershipChange,
    MembershipCreate,
    MembershipPublic,
    NameIn,
    NamePublic,
    OrganizationCreate,
    OrganizationListed,
    OrganizationPublic,
    OrganizationRef,
    OrganizationSummary,
    OrganizationUpdate,
    OwnershipChange,
    OwnershipCreate,
    OwnershipPublic,
    PersonCreate,
    PersonPublic,
    PersonRef,
    PersonSummary,
    PersonUpdate,
    PlaceCreate,
    PlaceDetail,
    PlacePublic,
    PlaceRef,
    PlaceUpdate,
    PositionIn,
    PositionPublic,
    SearchHit,
    SiteChange,
    SiteCreate,
    SitePublic,
    SourceCreate,
    SourcePublic,
    check_tier,
)
from cooplab.registry.search import matching_ids, search_everything
from cooplab.vocab.choices import EntityType
from cooplab.vocab.names import detect_script, name_key

M = TypeVar("M")

#: Unique rules of the registry's tables, as the conflicts a user is told about.
CONFLICTS: Conflicts = {
    "identifiers": ("this identifier already belongs to another organization", "identifier_taken"),
    "scheme": ("this identifier already belongs to another organization", "identifier_taken"),
    "geonames": ("a place with this GeoNames id already exists", "geonames_taken"),
}


def _flush(session: Session) -> None:
    flush(session, CONFLICTS)


# ---------------------------------------------------------------- names of records


def name_values(names: Iterable[NameIn], *, kinds: bool = True) -> list[dict[str, Any]]:
    """The columns of name rows (value, language, script, comparison key, kind); the same spelling
    only once. The one builder of name rows, for the ORM and for bulk inserts alike."""
    rows, seen = [], set()
    for name in names:
        if name.value in seen:
            continue
        seen.add(name.value)
        fields: dict[str, Any] = {
            "value": name.value,
            "lang": name.lang.value if name.lang else None,
            "script": detect_script(name.value).value,
            "key": name_key(name.value),
        }
        if kinds:
            fields["kind"] = name.kind.value
        rows.append(fields)
    return rows


def name_rows(model: type[M], names: Iterable[NameIn]) -> list[M]:
    """Name rows of `model` (OrganizationName, PersonName, PlaceName) for the given names."""
    return [model(**fields) for fields in name_values(names, kinds=model is not PersonName)]


_NAME_TABLES: dict[str, tuple[Any, Any]] = {
    EntityType.ORGANIZATION: (OrganizationName, OrganizationName.organization_id),
    EntityType.PERSON: (PersonName, PersonName.person_id),
    EntityType.PLACE: (PlaceName, PlaceName.place_id),
}


def names_of(session: Session, entity: str, ids: Iterable[int]) -> dict[int, list[NamePublic]]:
    """The names of records of one kind, by record (one query for all of them)."""
    wanted = sorted(set(ids))
    found: dict[int, list[NamePublic]] = {i: [] for i in wanted}
    if not wanted:
        return found
    model, owner = _NAME_TABLES[entity]
    kind = model.kind if model is not PersonName else None
    columns = [owner, model.id, model.value, model.lang, model.script, *([kind] if kind is not None else [])]
    for row in session.execute(select(*columns).where(owner.in_(wanted)).order_by(model.id)):
        found[row[0]].append(
            NamePublic(
                id=row[1],
                value=row[2],
                lang=row[3],
                script=row[4],
                **({"kind": row[5]} if kind is not None else {}),
            )
        )
    return found


def readable_refs(session: Session, lang: str | None, refs: Iterable[Any]) -> None:
    """Give organization, person and place references their names as a reader of `lang` reads
    them (cooplab.core.names), with one query per kind of record; None leaves them as stored."""
    if lang is None:
        return
    by_kind: dict[str, list[Any]] = {EntityType.ORGANIZATION: [], EntityType.PERSON: [], EntityType.PLACE: []}
    for ref in refs:
        kind: str = (
            EntityType.ORGANIZATION
            if isinstance(ref, OrganizationRef)
            else EntityType.PERSON
            if isinstance(ref, PersonRef)
            else EntityType.PLACE
        )
        by_kind[kind].append(ref)
    for kind, items in by_kind.items():
        names = names_of(session, kind, [r.id for r in items])
        for ref in items:
            ref.name = display_name(names.get(ref.id, []), lang, ref.name)


_MODELS: dict[str, Any] = {
    EntityType.ORGANIZATION: Organization,
    EntityType.PERSON: Person,
    EntityType.PLACE: Place,
}


def display_names(session: Session, lang: str | None, entity: str, ids: Iterable[int]) -> dict[int, str]:
    """Records of one kind by id -> their names as a reader of `lang` reads them (two queries)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    model = _MODELS[entity]
    stored: dict[int, str] = dict(
        session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all()
    )
    if lang is None:
        return stored
    names = names_of(session, entity, stored)
    return {i: display_name(names.get(i, []), lang, name) for i, name in stored.items()}


def search_for_reader(
    *,
    session: Session,
    actor: Actor,
    query: str,
    lang: str | None,
    types: set[str] | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """What search_everything finds, each registry record named as a reader of `lang` reads it
    (the name that matched stays as it was written)."""
    hits = search_everything(session=session, actor=actor, query=query, types=types, limit=limit)
    for kind in _MODELS:
        ids = [hit.id for hit in hits if hit.type == kind]
        names = display_names(session, lang, kind, ids)
        for hit in hits:
            if hit.type == kind:
                hit.name = names.get(hit.id, hit.name)
    return hits


# ---------------------------------------------------------------- checks shared by the writes


def _check_place(session: Session, place_id: int | None, field: str) -> None:
    if place_id is not None and session.get(Place, place_id) is None:
        raise InvalidInputError(
            f"place {place_id} does not exist",
            details=[field_error([field], f"place {place_id} does not exist", "place_missing", id=place_id)],
        )


def _check_org(session: Session, org_id: int | None, *loc: str | int) -> Organization | None:
    if org_id is None:
        return None
    org = session.get(Organization, org_id)
    if org is None or org.merged_into_id is not None:
        raise InvalidInputError(
            f"organization {org_id} does not exist",
            details=[
                field_error(list(loc), f"organization {org_id} does not exist", "org_missing", id=org_id)
            ],
        )
    return org


#: Past this many identifiers asked for, every identifier of their schemes is read in one pass.
_READ_ALL_IDENTIFIERS = 2000


def identifier_holders(session: Session, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Which organization holds each (scheme, value) verified, for the pairs held so at all (an
    unverified claim holds nothing: it neither blocks nor matches a record)."""
    values_of: dict[str, set[str]] = defaultdict(set)
    for scheme, value in pairs:
        values_of[scheme].add(value)
    holders: dict[tuple[str, str], int] = {}
    if sum(map(len, values_of.values())) > _READ_ALL_IDENTIFIERS:  # an import: one pass is cheaper
        for scheme, value, holder in session.execute(
            select(Identifier.scheme, Identifier.value, Identifier.organization_id).where(
                Identifier.scheme.in_(values_of), Identifier.verified
            )
        ):
            if value in values_of[scheme]:
                holders[scheme, value] = holder
        return holders
    # One scheme at a time, its values as a plain IN list that the (scheme, value) index serves: a
    # list of (scheme, value) pairs is read row by row on PostgreSQL, quadratic in an import.
    for scheme, values in values_of.items():
        for chunk in batched(sorted(values), 5000):  # PostgreSQL takes at most 65,535 parameters
            for value, holder in session.execute(
                select(Identifier.value, Identifier.organization_id).where(
                    Identifier.scheme == scheme, Identifier.value.in_(chunk), Identifier.verified
                )
            ):
                holders[scheme, value] = holder
    return holders


def identifier_conflicts(
    holders: dict[tuple[str, str], int],
    identifiers: Sequence[IdentifierIn],
    own_id: int | None,
    loc: Sequence[str | int] = ("identifiers",),
) -> list[dict[str, Any]]:
    """The details of identifiers already held by another organization than `own_id`. The one
    identifier rule, for forms, the API and imports."""
    details = []
    for index, ident in enumerate(identifiers):
        holder = holders.get((ident.scheme.value, ident.value))
        if holder is not None and holder != own_id:
            details.append(
                field_error(
                    [*loc, index, "value"],
                    f"held by organization {holder}",
                    "identifier_taken",
                    id=holder,
                    scheme=ident.scheme.value,
                    value=ident.value,
                )
            )
    return details


def _check_identifiers_free(
    session: Session, identifiers: Sequence[IdentifierIn], own_id: int | None
) -> None:
    holders = identifier_holders(session, [(i.scheme.value, i.value) for i in identifiers])
    details = identifier_conflicts(holders, identifiers, own_id)
    if details:
        first = identifiers[details[0]["loc"][1]]
        raise ConflictError(
            f"{first.scheme.value.upper()} {first.value} already belongs to organization "
            f"{details[0]['params']['id']}",
            details=details,
            reason="identifier_taken",
            **details[0]["params"],
        )


def _identifier_rows(identifiers: Iterable[IdentifierIn], verified: bool) -> list[Identifier]:
    unique = {(i.scheme.value, i.value) for i in identifiers}
    return [Identifier(scheme=s, value=v, verified=verified) for s, v in sorted(unique)]


def sets_verified(actor: Actor) -> bool:
    """Whether identifiers this actor sets are verified at once: those of the registry's editors
    (analysts, administrators, the command line) are; a member's are claims an analyst confirms."""
    return replace(actor, can_write=True).has(Permission.EDIT_REGISTRY)


def _keep_same(
    current: list[M], fresh: list[M], same: Any, fields: Sequence[str]
) -> tuple[list[M], list[int]]:
    """The new rows of a collection, reusing current rows that stand for the same fact (so their
    ids and citations survive an edit); also the ids of current rows that are gone."""
    pool = list(current)
    kept: list[M] = []
    for row in fresh:
        match = next((c for c in pool if same(c, row)), None)
        if match is None:
            kept.append(row)
            continue
        pool.remove(match)
        for field in fields:
            setattr(match, field, getattr(row, field))
        kept.append(match)
    return kept, [r.id for r in pool if r.id is not None]  # type: ignore[attr-defined]


_IDS_BOUND = 5000


def _ranked_page(
    session: Session, id_query: Select[Any], id_column: Any, ids: list[int], offset: int, limit: int
) -> tuple[list[int], int]:
    """The page of `ids` (in their order, the search rank) that `id_query` also selects, and
    how many it selects in all. Many ids are checked against everything the filters select in
    one query rather than one bound parameter each (databases cap those)."""
    if len(ids) <= _IDS_BOUND:
        matching = set(session.scalars(id_query.where(id_column.in_(ids))))
    else:
        matching = set(session.scalars(id_query))
    ordered = [i for i in ids if i in matching]
    return ordered[offset : offset + limit], len(ordered)


def _ranked_ids(session: Session, query: str, entity: str) -> list[int]:
    """Ids of every record of one kind whose names match `query`, best first."""
    return matching_ids(session=session, query=query, kind=entity)


# ---------------------------------------------------------------- sources and citations


def create_source(
    *, session: Session, actor: Actor, data: SourceCreate, key: str | None = None
) -> SourcePublic:
    """Record a document that facts come from (members may, for their own organization's facts)."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    source = Source(key=key, **data.model_dump())
    session.add(source)
    _flush(session)
    return SourcePublic.model_validate(source)


def list_sources(
    *, session: Session, actor: Actor, offset: int = 0, limit: int = 50
) -> ListPublic[SourcePublic]:
    """The sources, by title."""
    actor.require(Permission.READ)
    stmt = select(Source).where(restricted_clause(Source, actor))
    rows, count = page(session, stmt.order_by(Source.title), offset, limit)
    return ListPublic(data=[SourcePublic.model_validate(r) for r in rows], count=count)


def get_source(*, session: Session, actor: Actor, source_id: int) -> SourcePublic:
    """One source."""
    actor.require(Permission.READ)
    return SourcePublic.model_validate(_source(session, actor, source_id))


def _source(session: Session, actor: Actor, source_id: int) -> Source:
    """A source the actor may see; any other answers as one that does not exist."""
    source = session.scalar(select(Source).where(Source.id == source_id, restricted_clause(Source, actor)))
    if source is None:
        raise NotFoundError.record("source", source_id)
    return source


def _seen_sources(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    """Of these sources, the ids of those the actor may see."""
    wanted = set(ids)
    if not wanted:
        return wanted
    return set(
        session.scalars(select(Source.id).where(Source.id.in_(wanted), restricted_clause(Source, actor)))
    )


def cite(
    *, session: Session, actor: Actor, subject_type: str, subject_id: int, data: CitationCreate
) -> CitationPublic:
    """Attach a source to a record or one of its facts. A member cites sources for its own
    organization only; the records one may cite are those the domains declare citable."""
    model = citable_subjects().get(subject_type)
    if model is None:
        raise InvalidInputError(f"cannot cite a source for {subject_type!r}")
    if subject_type == EntityType.ORGANIZATION:
        actor.require_edit_organization(subject_id)
    elif not actor.has(Permission.EDIT_REGISTRY):
        actor.require(Permission.EDIT_OWN_ORGANIZATION)
        raise ForbiddenError(
            "your role may cite sources for its own organization only", reason="cite_own_organization_only"
        )
    get_or_404(session, model, subject_id, subject_type)
    _source(session, actor, data.source_id)
    citation = Citation(
        source_id=data.source_id, subject_type=subject_type, subject_id=subject_id, field=data.field
    )
    session.add(citation)
    _flush(session)
    return CitationPublic.model_validate(citation)


def citations_of(
    session: Session, actor: Actor, subject_type: str, subject_ids: Sequence[int]
) -> list[CitationPublic]:
    """The citations of some records of one kind, with the sources the actor may see (one query)."""
    if not subject_ids:
        return []
    return [
        CitationPublic.model_validate(c)
        for c in session.scalars(
            select(Citation)
            .join(Source, Source.id == Citation.source_id)
            .where(
                Citation.subject_type == subject_type,
                Citation.subject_id.in_(subject_ids),
                restricted_clause(Source, actor),
            )
            .order_by(Citation.id)
        )
    ]


def _drop_citations(session: Session, subject_type: str, subject_ids: Iterable[int]) -> None:
    """Citations of records that are gone go with them."""
    ids = list(subject_ids)
    if ids:
        table = cast(Table, Citation.__table__)
        gone = session.execute(
            delete(table)
            .where(table.c.subject_type == subject_type, table.c.subject_id.in_(ids))
            .returning(*table.c)
        ).mappings()
        record_many(
            session,
            [
                {"action": "delete", "entity_type": "citations", "entity_id": row["id"], "before": dict(row)}
                for row in gone
            ],
        )


def delete_citation(*, session: Session, actor: Actor, citation_id: int) -> None:
    """Remove a citation."""
    actor.require(Permission.EDIT_REGISTRY)
    session.delete(get_or_404(session, Citation, citation_id, "citation"))
    _flush(session)


# ---------------------------------------------------------------- places


def create_place(*, session: Session, actor: Actor, data: PlaceCreate) -> PlaceDetail:
    """A new place; its first name is its display name."""
    actor.require(Permission.EDIT_REGISTRY)
    _check_place(session, data.parent_id, "parent_id")
    place = Place(
        name=data.names[0].value, names=name_rows(PlaceName, data.names), **data.model_dump(exclude={"names"})
    )
    session.add(place)
    _flush(session)
    return place_detail(session=session, actor=actor, place_id=place.id)


def get_place(*, session: Session, place_id: int) -> Place:
    """The place itself (for the registry's own rules and other domains' services)."""
    return get_or_404(session, Place, place_id, "place")


def place_detail(*, session: Session, actor: Actor, place_id: int, lang: str | None = None) -> PlaceDetail:
    """A place with its names, parent, the organizations there and the sources of its facts."""
    actor.require(Permission.READ)
    place = session.get(Place, place_id, options=(selectinload(Place.names),))
    if place is None:
        raise NotFoundError.record("place", place_id)
    site_orgs = select(Site.organization_id).where(Site.place_id == place_id)
    here = list(
        session.scalars(
            select(Organization)
            .where(
                Organization.merged_into_id.is_(None),
                or_(Organization.head_office_id == place_id, Organization.id.in_(site_orgs)),
            )
            .order_by(Organization.name)
        )
    )
    detail = PlaceDetail.model_validate(place).model_copy(
        update={
            "citations": citations_of(session, actor, "place", [place.id]),
            "organizations": [OrganizationRef.model_validate(o) for o in here],
            "head_office_of": [o.id for o in here if o.head_office_id == place_id],
            "parent": PlaceRef(id=place.parent.id, name=place.parent.name, country=place.parent.country)
            if place.parent
            else None,
        }
    )
    readable_refs(session, lang, [*detail.organizations, *([detail.parent] if detail.parent else [])])
    return detail


def update_place(*, session: Session, actor: Actor, place_id: int, data: PlaceUpdate) -> PlaceDetail:
    """Apply an edit made on `data.version`; a newer version in the database refuses it (409)."""
    actor.require(Permission.EDIT_REGISTRY)
    place = get_place(session=session, place_id=place_id)
    check_version(place, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "names"})
    if "parent_id" in changes:
        _check_place(session, changes["parent_id"], "parent_id")
    with session.no_autoflush:
        for field, value in changes.items():
            setattr(place, field, value)
        if data.names is not None:
            place.names = name_rows(PlaceName, data.names)
            place.name = data.names[0].value
        place.updated_at = utcnow()
    _flush(session)
    return place_detail(session=session, actor=actor, place_id=place_id)


def delete_place(*, session: Session, actor: Actor, place_id: int) -> None:
    """Delete a place, with the citations of it and of the sites there."""
    actor.require(Permission.EDIT_REGISTRY)
    place = get_place(session=session, place_id=place_id)
    sites = list(session.scalars(select(Site.id).where(Site.place_id == place.id)))
    _drop_citations(session, "site", sites)
    _drop_citations(session, "place", [place.id])
    session.delete(place)
    _flush(session)


def list_places(
    *, session: Session, actor: Actor, filters: PlaceFilter, offset: int = 0, limit: int = 25
) -> ListPublic[PlacePublic]:
    """A page of places matching the filters, by name (by search rank when `q` is given)."""
    actor.require(Permission.READ)
    stmt = select(Place).options(selectinload(Place.names)).order_by(Place.name)
    if filters.kind:
        stmt = stmt.where(Place.kind == filters.kind.value)
    if filters.country:
        stmt = stmt.where(Place.country == filters.country)
    if filters.q:
        ids, count = _ranked_page(
            session,
            stmt.with_only_columns(Place.id),
            Place.id,
            _ranked_ids(session, filters.q, EntityType.PLACE),
            offset,
            limit,
        )
        found = {p.id: p for p in session.scalars(stmt.where(Place.id.in_(ids)))}
        rows = [found[i] for i in ids]
    else:
        rows, count = page(session, stmt, offset, limit)
    return ListPublic(data=[PlacePublic.model_validate(r) for r in rows], count=count)


# ---------------------------------------------------------------- organizations


def create_organization(*, session: Session, actor: Actor, data: OrganizationCreate) -> OrganizationPublic:
    """A new organization; its first name is its display name."""
    actor.require(Permission.EDIT_REGISTRY)
    _check_place(session, data.head_office_id, "head_office_id")
    _check_identifiers_free(session, data.identifiers, None)
    org = Organization(
        name=data.names[0].value,
        names=name_rows(OrganizationName, data.names),
        identifiers=_identifier_rows(data.identifiers, True),
        **data.model_dump(exclude={"names", "identifiers"}),
    )
    org.kind = data.kind.value
    session.add(org)
    _flush(session)
    return organization_detail(session=session, actor=actor, organization_id=org.id)


def get_organization(*, session: Session, organization_id: int) -> Organization:
    """The organization itself (for the registry's own rules and other domains' services), or
    NotFoundError (also when it was merged into another)."""
    org = session.get(
        Organization,
        organization_id,
        options=(
            selectinload(Organization.names),
            selectinload(Organization.identifiers),
            joinedload(Organization.head_office),
        ),
    )
    if org is None:
        raise NotFoundError.record("organization", organization_id)
    if org.merged_into_id is not None:
        raise MergedError(organization_id, org.merged_into_id)
    return org


def update_organization(
    *, session: Session, actor: Actor, organization_id: int, data: OrganizationUpdate
) -> OrganizationPublic:
    """Apply an edit made on `data.version`; a newer version in the database refuses it (409).
    A member edits its own organization only."""
    actor.require_edit_organization(organization_id)
    org = get_organization(session=session, organization_id=organization_id)
    check_version(org, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "names", "identifiers"})
    if "head_office_id" in changes:
        _check_place(session, changes["head_office_id"], "head_office_id")
    try:
        check_tier(changes.get("kind", org.kind), changes.get("tier", org.tier))
    except CodedValueError as exc:
        raise InvalidInputError(str(exc), details=[field_error(["tier"], str(exc), exc.code)]) from None
    verified = sets_verified(actor)
    if data.identifiers is not None and verified:  # a number already held stays as it is
        held = {(i.scheme, i.value) for i in org.identifiers}
        fresh = [i for i in data.identifiers if (i.scheme.value, i.value) not in held]
        _check_identifiers_free(session, fresh, org.id)
    with session.no_autoflush:  # one UPDATE, so the version moves by one
        for field, value in changes.items():
            setattr(org, field, value.value if hasattr(value, "value") else value)
        if data.names is not None:
            org.names, _ = _keep_same(
                org.names,
                name_rows(OrganizationName, data.names),
                lambda a, b: a.value == b.value,
                ("lang", "kind"),
            )
            org.name = data.names[0].value
        if data.identifiers is not None:
            org.identifiers, gone = _keep_same(
                org.identifiers,
                _identifier_rows(data.identifiers, verified),
                lambda a, b: (a.scheme, a.value) == (b.scheme, b.value),
                (),
            )
            _drop_citations(session, "identifier", gone)
        org.updated_at = utcnow()
    _flush(session)
    return organization_detail(session=session, actor=actor, organization_id=organization_id)


def delete_organization(*, session: Session, actor: Actor, organization_id: int) -> None:
    """Delete an organization with its names, numbers, sites and links, and their citations."""
    actor.require(Permission.EDIT_REGISTRY)
    org = get_organization(session=session, organization_id=organization_id)
    for kind, model, columns in (
        ("site", Site, [Site.organization_id]),
        ("identifier", Identifier, [Identifier.organization_id]),
        ("ownership", Ownership, [Ownership.owner_id, Ownership.owned_id]),
        ("membership", Membership, [Membership.member_id, Membership.group_id]),
    ):
        ids = session.scalars(select(model.id).where(or_(*[c == org.id for c in columns])))
        _drop_citations(session, kind, ids)
    _drop_citations(session, "organization", [org.id])
    session.delete(org)
    _flush(session)


def _organization_filter(filters: OrganizationFilter) -> list[Any]:
    """The WHERE clauses of an organization list: live records matching the filters."""
    clauses: list[Any] = [Organization.merged_into_id.is_(None)]
    if filters.kind:
        clauses.append(Organization.kind == filters.kind.value)
    if filters.country:
        clauses.append(Organization.country == filters.country)
    if filters.tier:
        clauses.append(Organization.tier == filters.tier)
    if filters.illustrative is not None:
        clauses.append(Organization.illustrative == filters.illustrative)
    return clauses


# Organizations as lists and detail pages show them, read with SQL expressions into plain rows:
# the API answers these for every visitor, and ORM objects would cost it several times more.
_O, _P = Organization.__table__, Place.__table__
_SUMMARY = (
    _O.c.id,
    _O.c.name,
    _O.c.kind,
    _O.c.tier,
    _O.c.country,
    _O.c.illustrative,
    _O.c.version,
    _P.c.id.label("place_id"),
    _P.c.name.label("place_name"),
    _P.c.country.label("place_country"),
)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    head_office = (
        {"id": row["place_id"], "name": row["place_name"], "country": row["place_country"]}
        if row["place_id"] is not None
        else None
    )
    return {
        **{c: row[c] for c in ("id", "name", "kind", "tier", "country", "illustrative", "version")},
        "head_office": head_office,
    }


#: Each unsearched list in its order (ids by name), kept per filter until the registry changes:
#: a page is then a slice however deep it is, and the count its length. Paging through a list
#: would otherwise count, and skip `offset` index entries, on every page.
_listings: PerDatabase[dict[str, array[int]]] = PerDatabase(Stamp.RECORDS, lambda _session: {})
_SUMMARIES = (
    select(*_SUMMARY)
    .select_from(_O.outerjoin(_P, _P.c.id == _O.c.head_office_id))
    .where(_O.c.id.in_(bindparam("ids", expanding=True)))
)


def _listing(session: Session, filters: OrganizationFilter) -> array[int]:
    key = filters.model_dump_json(exclude={"q"})
    session.flush()  # pending writes move the stamp first, so they are never kept under the old one
    listings = _listings.get(session)
    if (ids := listings.get(key)) is None:
        # merged_into_id leads the order (it is NULL throughout) so that it is the listing index's
        ids = listings[key] = array(
            "q",
            session.scalars(
                select(_O.c.id)
                .where(*_organization_filter(filters))
                .order_by(_O.c.merged_into_id, _O.c.name, _O.c.id)
            ),
        )
    return ids


def _organization_page(
    session: Session, filters: OrganizationFilter, offset: int, limit: int
) -> tuple[list[int], int]:
    """The ids of a page of organizations matching the filters, by search rank when `q` is
    given, else by name; and how many match in all."""
    if filters.q:
        return _ranked_page(
            session,
            select(_O.c.id).where(*_organization_filter(filters)),
            _O.c.id,
            _ranked_ids(session, filters.q, EntityType.ORGANIZATION),
            offset,
            limit,
        )
    listing = _listing(session, filters)
    return listing[offset : offset + limit].tolist(), len(listing)


def list_organizations(
    *,
    session: Session,
    actor: Actor,
    filters: OrganizationFilter,
    offset: int = 0,
    limit: int = 25,
    lang: str | None = None,
) -> ListPublic[OrganizationSummary]:
    """A page of organizations matching the filters (by name, or by search rank when `q` is
    given). With `lang`, each comes with its names and its head office named for that reader."""
    actor.require(Permission.READ)
    ids, count = _organization_page(session, filters, offset, limit)
    found = {r.id: r._asdict() for r in session.execute(_SUMMARIES, {"ids": ids})} if ids else {}
    data = [OrganizationSummary.model_validate(_summary(found[i])) for i in ids if i in found]
    if lang is not None:
        names = names_of(session, EntityType.ORGANIZATION, [o.id for o in data])
        data = [OrganizationListed(**o.model_dump(), names=names[o.id]) for o in data]
        readable_refs(session, lang, [o.head_office for o in data if o.head_office])
    return ListPublic[OrganizationSummary](data=data, count=count)


_N, _I, _S, _W, _M, _X, _C, _D, _E = (
    t.__table__
    for t in (OrganizationName, Identifier, Site, Ownership, Membership, Position, Citation, Source, Person)
)
_OID = bindparam("oid", type_=Integer)
_CENT = Decimal("0.01")  # shares are kept to the hundredth (Numeric(5, 2))
_LINKED = {  # the ids of an organization's rows of each kind a citation can name, but its own
    "identifier": select(_I.c.id).where(_I.c.organization_id == _OID),
    "site": select(_S.c.id).where(_S.c.organization_id == _OID),
    "ownership": select(_W.c.id).where(or_(_W.c.owned_id == _OID, _W.c.owner_id == _OID)),
    "membership": select(_M.c.id).where(or_(_M.c.member_id == _OID, _M.c.group_id == _OID)),
    "position": select(_X.c.id).where(_X.c.organization_id == _OID),
}
_O2 = _O.alias("other")
_PARTIES = union(  # the organization and every one it owns, is owned by, groups or belongs to
    select(_OID.label("id")),
    select(_W.c.owner_id).where(_W.c.owned_id == _OID),
    select(_W.c.owned_id).where(_W.c.owner_id == _OID),
    select(_M.c.member_id).where(_M.c.group_id == _OID),
    select(_M.c.group_id).where(_M.c.member_id == _OID),
).subquery()
#: An organization with all its lists in one statement (one round trip), built once; each
#: request binds only the organization's id. Each list is a JSON column (`json_rows`).
_DETAIL = (
    select(
        *_SUMMARY,
        _O.c.website,
        _O.c.description,
        _O.c.merged_into_id,
        json_rows(
            select(_N.c.id, _N.c.value, _N.c.lang, _N.c.script, _N.c.kind).where(_N.c.organization_id == _OID)
        ).label("names"),
        json_rows(
            select(_I.c.id, _I.c.scheme, _I.c.value, _I.c.verified).where(_I.c.organization_id == _OID)
        ).label("identifiers"),
        json_rows(
            select(_S.c.id, _S.c.description, _S.c.place_id, _P.c.name, _P.c.country)
            .join(_P, _P.c.id == _S.c.place_id)
            .where(_S.c.organization_id == _OID)
        ).label("sites"),
        json_rows(
            select(_W.c.id, _W.c.owner_id, _W.c.owned_id, _W.c.share, _W.c.start, _W.c.end).where(
                or_(_W.c.owned_id == _OID, _W.c.owner_id == _OID)
            )
        ).label("links"),
        json_rows(
            select(_M.c.id, _M.c.member_id, _M.c.group_id, _M.c.start, _M.c.end).where(
                or_(_M.c.member_id == _OID, _M.c.group_id == _OID)
            )
        ).label("groupings"),
        json_rows(
            select(
                _X.c.id,
                _X.c.title,
                _X.c.title_en,
                _X.c.start,
                _X.c.end,
                _X.c.person_id,
                _E.c.name.label("person_name"),
            )
            .join(_E, _E.c.id == _X.c.person_id)
            .where(_X.c.organization_id == _OID)
        ).label("positions"),
        json_rows(
            select(_O2.c.id, _O2.c.name, _O2.c.kind, _O2.c.country).join(_PARTIES, _PARTIES.c.id == _O2.c.id)
        ).label("refs"),
        json_rows(
            select(
                _C.c.id,
                _C.c.subject_type,
                _C.c.subject_id,
                _C.c.field,
                _C.c.source_id,
                _D.c.title,
                _D.c.url,
                _D.c.published,
                _D.c.as_of,
            )
            .join(_D, _D.c.id == _C.c.source_id)
            .where(
                or_(
                    and_(_C.c.subject_type == "organization", _C.c.subject_id == _OID),
                    *[
                        and_(_C.c.subject_type == kind, _C.c.subject_id.in_(ids))
                        for kind, ids in _LINKED.items()
                    ],
                )
            )
        ).label("citations"),
    )
    .select_from(_O.outerjoin(_P, _P.c.id == _O.c.head_office_id))
    .where(_O.c.id == _OID)
)


def organization_detail(
    *, session: Session, actor: Actor, organization_id: int, lang: str | None = None
) -> OrganizationPublic:
    """Everything known about an organization: names, identifiers, sites, owners, members,
    people and the sources of its facts (one statement); with `lang`, the linked organizations,
    people and places named for that reader (one more per kind)."""
    actor.require(Permission.READ)
    oid = organization_id
    found = session.execute(_DETAIL, {"oid": oid}).first()
    if found is None:
        raise NotFoundError.record("organization", oid)
    org = found._asdict()
    if org["merged_into_id"] is not None:
        raise MergedError(oid, org["merged_into_id"])
    names, identifiers, sites, links, groupings, citations, refs = (
        sorted(rows_of(org[name]), key=lambda r: r["id"])
        for name in ("names", "identifiers", "sites", "links", "groupings", "citations", "refs")
    )
    seen = _seen_sources(session, actor, (r["source_id"] for r in citations))
    citations = [r for r in citations if r["source_id"] in seen]
    positions = sorted(rows_of(org["positions"]), key=lambda r: r["id"])
    positions.sort(key=lambda r: r["start"] or "", reverse=True)  # latest first (ISO dates sort as text)
    by_id = {r["id"]: r for r in refs}
    ownership = [
        {
            **r,
            "owner": by_id[r["owner_id"]],
            "owned": by_id[r["owned_id"]],
            "share": None if r["share"] is None else Decimal(r["share"]).quantize(_CENT),
        }
        for r in links
    ]
    membership = [{**r, "member": by_id[r["member_id"]], "group": by_id[r["group_id"]]} for r in groupings]
    detail = OrganizationPublic.model_validate(
        {
            **_summary(org),
            "website": org["website"],
            "description": org["description"],
            "merged_into_id": None,
            "names": names,
            "identifiers": [
                {**{k: r[k] for k in ("id", "scheme", "value")}, "status": identifier_status(r["verified"])}
                for r in identifiers
            ],
            "sites": [
                {
                    "id": r["id"],
                    "description": r["description"],
                    "place": {"id": r["place_id"], "name": r["name"], "country": r["country"]},
                }
                for r in sites
            ],
            "citations": [
                {
                    **{k: r[k] for k in ("id", "subject_type", "subject_id", "field")},
                    "source": {
                        "id": r["source_id"],
                        **{k: r[k] for k in ("title", "url", "published", "as_of")},
                    },
                }
                for r in citations
            ],
            "owners": [o for o in ownership if o["owned_id"] == oid],
            "holdings": [o for o in ownership if o["owner_id"] == oid],
            "groups": [m for m in membership if m["member_id"] == oid],
            "members": [m for m in membership if m["group_id"] == oid],
            "people": [
                {
                    "person": {"id": p["person_id"], "name": p["person_name"]},
                    "position": {**p, "organization": by_id[oid]},
                }
                for p in positions
            ],
        }
    )
    if lang is not None:
        readable_refs(
            session,
            lang,
            [
                *[o.owner for o in detail.owners],
                *[o.owned for o in detail.holdings],
                *[m.group for m in detail.groups],
                *[m.member for m in detail.members],
                *[p.person for p in detail.people],
                *[s.place for s in detail.sites],
                *([detail.head_office] if detail.head_office else []),
            ],
        )
    return detail


def add_ownership(*, session: Session, actor: Actor, data: OwnershipCreate) -> OwnershipPublic:
    """Record that one organization holds a share of another."""
    actor.require(Permission.EDIT_REGISTRY)
    if data.owner_id == data.owned_id:
        raise InvalidInputError(
            "an organization cannot own itself",
            details=[field_error(["owner_id"], "same as owned_id", "self_link")],
        )
    _check_org(session, data.owner_id, "owner_id")
    _check_org(session, data.owned_id, "owned_id")
    link = Ownership(**data.model_dump())
    session.add(link)
    _flush(session)
    return OwnershipPublic.model_validate(link)


def add_membership(*, session: Session, actor: Actor, data: MembershipCreate) -> MembershipPublic:
    """Record that an organization is a member of a group (a cluster, an association)."""
    actor.require(Permission.EDIT_REGISTRY)
    if data.member_id == data.group_id:
        raise InvalidInputError(
            "an organization cannot be a member of itself",
            details=[field_error(["member_id"], "same as group_id", "self_link")],
        )
    _check_org(session, data.member_id, "member_id")
    _check_org(session, data.group_id, "group_id")
    link = Membership(**data.model_dump())
    session.add(link)
    _flush(session)
    return MembershipPublic.model_validate(link)


def add_site(*, session: Session, actor: Actor, organization_id: int, data: SiteCreate) -> SitePublic:
    """Record a production site of an organization (a member: of its own organization)."""
    actor.require_edit_organization(organization_id)
    get_organization(session=session, organization_id=organization_id)
    _check_place(session, data.place_id, "place_id")
    site = Site(organization_id=organization_id, **data.model_dump())
    session.add(site)
    _flush(session)
    return SitePublic.model_validate(site)


#: The columns naming the organizations of each kind of link.
_LINK_ENDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "ownership": (Ownership, ("owner_id", "owned_id")),
    "membership": (Membership, ("member_id", "group_id")),
    "site": (Site, ("organization_id",)),
}

_LINK_PUBLIC: dict[str, type[OwnershipPublic | MembershipPublic | SitePublic]] = {
    "ownership": OwnershipPublic,
    "membership": MembershipPublic,
    "site": SitePublic,
}
_LINK_CHANGES: dict[str, type[OwnershipChange | MembershipChange | SiteChange]] = {
    "ownership": OwnershipChange,
    "membership": MembershipChange,
    "site": SiteChange,
}


def remove_link(
    *, session: Session, actor: Actor, kind: str, link_id: int, organization_id: int | None = None
) -> None:
    """Delete an ownership, membership or site; with `organization_id`, only one of that
    organization's links (any other answers as one that does not exist)."""
    actor.require(Permission.EDIT_REGISTRY)
    link = _link(session, kind, link_id, organization_id)
    session.delete(link)
    _drop_citations(session, kind, [link_id])
    _flush(session)


def find_link(
    *, session: Session, actor: Actor, kind: str, link_id: int, organization_id: int | None = None
) -> OwnershipPublic | MembershipPublic | SitePublic:
    """An ownership, membership or site; with `organization_id`, only one of that organization's
    links (any other answers as one that does not exist)."""
    actor.require(Permission.READ)
    return _LINK_PUBLIC[kind].model_validate(_link(session, kind, link_id, organization_id))


def update_link(
    *,
    session: Session,
    actor: Actor,
    kind: str,
    link_id: int,
    data: OwnershipChange | MembershipChange | SiteChange,
    organization_id: int | None = None,
) -> OwnershipPublic | MembershipPublic | SitePublic:
    """Change what may change of a link once recorded: an owner's share and dates, a membership's
    dates, what a site makes. Who owns whom, who is a member of what, and where a site is stay: a
    different one is another link. Fields left out of `data` keep their value."""
    actor.require(Permission.EDIT_REGISTRY)
    if not isinstance(data, _LINK_CHANGES[kind]):
        raise InvalidInputError(f"a {kind} takes a {_LINK_CHANGES[kind].__name__}")
    link = _link(session, kind, link_id, organization_id)
    # the change's own fields only: who owns whom, the group, the place stay whatever is passed
    changes = {
        k: v for k, v in data.model_dump(exclude_unset=True).items() if k in _LINK_CHANGES[kind].model_fields
    }
    start, end = (changes.get(k, getattr(link, k, None)) for k in ("start", "end"))
    if start and end and end < start:
        raise InvalidInputError(
            "the end is before the start",
            details=[field_error(["end"], "end is before start", "end_before_start")],
        )
    for name, value in changes.items():
        setattr(link, name, value)
    _flush(session)
    return _LINK_PUBLIC[kind].model_validate(link)


def _link(session: Session, kind: str, link_id: int, organization_id: int | None) -> Any:
    model, ends = _LINK_ENDS[kind]
    link = get_or_404(session, model, link_id, kind)
    if organization_id is not None and organization_id not in {getattr(link, end) for end in ends}:
        raise NotFoundError.record(kind, link_id)
    return link


def add_link(
    *,
    session: Session,
    actor: Actor,
    organization_id: int,
    data: SiteCreate | OwnershipCreate | MembershipCreate,
    source_id: int | None = None,
) -> int:
    """Record a site, an owner or a group of an organization and, when given, the source that
    says so (one citation of the new link); answers the new link's id."""
    kind: str
    if isinstance(data, SiteCreate):
        kind = "site"
        link_id = add_site(session=session, actor=actor, organization_id=organization_id, data=data).id
    elif isinstance(data, OwnershipCreate):
        kind = "ownership"
        link_id = add_ownership(session=session, actor=actor, data=data).id
    else:
        kind = "membership"
        link_id = add_membership(session=session, actor=actor, data=data).id
    if source_id is not None:
        data_ = CitationCreate(source_id=source_id)
        cite(session=session, actor=actor, subject_type=kind, subject_id=link_id, data=data_)
    return link_id


# ---------------------------------------------------------------- people


def _position_rows(session: Session, positions: Iterable[PositionIn]) -> list[Position]:
    rows = []
    for index, pos in enumerate(positions):
        _check_org(session, pos.organization_id, "positions", index, "organization_id")
        rows.append(Position(**pos.model_dump()))
    return rows


def create_person(*, session: Session, actor: Actor, data: PersonCreate) -> PersonPublic:
    """A new person; the first name is the display name."""
    actor.require(Permission.EDIT_REGISTRY)
    person = Person(
        name=data.names[0].value,
        names=name_rows(PersonName, data.names),
        positions=_position_rows(session, data.positions),
        illustrative=data.illustrative,
    )
    session.add(person)
    _flush(session)
    return person_detail(session=session, actor=actor, person_id=person.id)


def get_person(*, session: Session, person_id: int) -> Person:
    """The person itself (for the registry's own rules and other domains' services)."""
    return get_or_404(session, Person, person_id, "person")


def person_detail(*, session: Session, actor: Actor, person_id: int, lang: str | None = None) -> PersonPublic:
    """A person with names, positions (their organizations named for the reader) and the
    sources of those facts."""
    actor.require(Permission.READ)
    person = session.get(
        Person,
        person_id,
        options=(
            selectinload(Person.names),
            selectinload(Person.positions).joinedload(Position.organization),
        ),
    )
    if person is None:
        raise NotFoundError.record("person", person_id)
    citations = citations_of(session, actor, "person", [person.id])
    citations += citations_of(session, actor, "position", [p.id for p in person.positions])
    detail = PersonPublic.model_validate(person).model_copy(update={"citations": citations})
    readable_refs(session, lang, [p.organization for p in detail.positions if p.organization])
    return detail


def update_person(*, session: Session, actor: Actor, person_id: int, data: PersonUpdate) -> PersonPublic:
    """Apply an edit made on `data.version`; positions left as they were keep their sources."""
    actor.require(Permission.EDIT_REGISTRY)
    person = get_person(session=session, person_id=person_id)
    check_version(person, data.version)
    positions = _position_rows(session, data.positions) if data.positions is not None else None
    with session.no_autoflush:
        if data.names is not None:
            person.names = name_rows(PersonName, data.names)
            person.name = data.names[0].value
        if positions is not None:
            person.positions, gone = _keep_same(
                person.positions,
                positions,
                lambda a, b: (a.title, a.organization_id) == (b.title, b.organization_id),
                ("title_en", "start", "end"),
            )
            _drop_citations(session, "position", gone)
        if data.illustrative is not None:
            person.illustrative = data.illustrative
        person.updated_at = utcnow()
    _flush(session)
    return person_detail(session=session, actor=actor, person_id=person_id)


def add_position(*, session: Session, actor: Actor, person_id: int, data: PositionIn) -> PositionPublic:
    """A new position of a person."""
    actor.require(Permission.EDIT_REGISTRY)
    person = get_person(session=session, person_id=person_id)
    (position,) = _position_rows(session, [data])
    person.positions.append(position)
    _flush(session)
    return PositionPublic.model_validate(position)


def delete_person(*, session: Session, actor: Actor, person_id: int) -> None:
    """Delete a person with their names, positions and the citations of them."""
    actor.require(Permission.EDIT_REGISTRY)
    person = get_person(session=session, person_id=person_id)
    _drop_citations(session, "position", [p.id for p in person.positions])
    _drop_citations(session, "person", [person.id])
    session.delete(person)
    _flush(session)


def list_people(
    *,
    session: Session,
    actor: Actor,
    filters: PersonFilter,
    offset: int = 0,
    limit: int = 25,
    lang: str | None = None,
) -> ListPublic[PersonSummary]:
    """A page of people matching the filters, by name (by search rank when `q` is given). With
    `lang`, each comes with names and positions, their organizations named for that reader."""
    actor.require(Permission.READ)
    stmt = (
        select(Person)
        .options(selectinload(Person.names), selectinload(Person.positions).joinedload(Position.organization))
        .order_by(Person.name, Person.id)
    )
    if filters.organization_id:
        stmt = stmt.where(
            Person.id.in_(
                select(Position.person_id).where(Position.organization_id == filters.organization_id)
            )
        )
    if filters.q:
        ids, count = _ranked_page(
            session,
            stmt.with_only_columns(Person.id),
            Person.id,
            _ranked_ids(session, filters.q, EntityType.PERSON),
            offset,
            limit,
        )
        found = {p.id: p for p in session.scalars(stmt.where(Person.id.in_(ids)))}
        rows = [found[i] for i in ids]
    else:
        rows, count = page(session, stmt, offset, limit)
    if lang is None:
        return ListPublic(data=[PersonSummary.model_validate(r) for r in rows], count=count)
    data = [
        PersonSummary.model_validate(r).model_copy(
            update={
                "names": [NamePublic.model_validate(n) for n in r.names],
                "positions": [PositionPublic.model_validate(p) for p in r.positions],
            }
        )
        for r in rows
    ]
    readable_refs(session, lang, [p.organization for s in data for p in s.positions if p.organization])
    return ListPublic(data=data, count=count)


# ---------------------------------------------------------------- overview


class RegistrySummary(BaseModel):
    """Counts for the dashboard."""

    organizations_by_kind: dict[str, int]
    organizations: int
    illustrative: int
    people: int
    places: int
    sources: int


def registry_summary(*, session: Session, actor: Actor) -> RegistrySummary:
    """How many organizations of each kind (and how many illustrative), people, places and
    sources the registry holds."""
    actor.require(Permission.READ)
    live = Organization.merged_into_id.is_(None)
    by_kind = dict(
        session.execute(select(Organization.kind, func.count()).where(live).group_by(Organization.kind)).all()
    )
    return RegistrySummary(
        organizations_by_kind=by_kind,
        organizations=sum(by_kind.values()),
        illustrative=session.scalar(
            select(func.count()).select_from(Organization).where(live, Organization.illustrative.is_(True))
        )
        or 0,
        people=session.scalar(select(func.count()).select_from(Person)) or 0,
        places=session.scalar(select(func.count()).select_from(Place)) or 0,
        sources=session.scalar(
            select(func.count()).select_from(Source).where(restricted_clause(Source, actor))
        )
        or 0,
    )


class RecentChange(BaseModel):
    """A registry record touched lately: what, which, by whom, when."""

    type: str
    id: int
    name: str
    action: str
    actor: str
    at: datetime


_RECENT_TABLES: dict[str, tuple[str, Any]] = {
    "organizations": (EntityType.ORGANIZATION, Organization),
    "people": (EntityType.PERSON, Person),
    "places": (EntityType.PLACE, Place),
}


def recent_changes(
    *, session: Session, actor: Actor, limit: int = 10, lang: str | None = None
) -> list[RecentChange]:
    """The organizations, people and places written most recently, newest first, from the audit
    log; named for the reader of `lang`."""
    actor.require(Permission.READ)
    latest = (
        select(AuditEntry.entity_type, AuditEntry.entity_id, func.max(AuditEntry.id).label("last"))
        .where(AuditEntry.entity_type.in_(_RECENT_TABLES), AuditEntry.entity_id.is_not(None))
        .group_by(AuditEntry.entity_type, AuditEntry.entity_id)
        .order_by(func.max(AuditEntry.id).desc())
        .limit(limit * 2)
        .subquery()
    )
    entries = list(
        session.scalars(
            select(AuditEntry).join(latest, AuditEntry.id == latest.c.last).order_by(AuditEntry.id.desc())
        )
    )
    live: dict[str, dict[int, str]] = {}
    for table, (_, model) in _RECENT_TABLES.items():
        ids = [e.entity_id for e in entries if e.entity_type == table]
        stmt = select(model.id, model.name).where(model.id.in_(ids))
        if model is Organization:
            stmt = stmt.where(Organization.merged_into_id.is_(None))
        live[table] = dict(session.execute(stmt).all()) if ids else {}
    changes = []
    for entry in entries:
        name = live[entry.entity_type].get(entry.entity_id)  # type: ignore[arg-type]
        if name is None:
            continue
        changes.append(
            RecentChange(
                type=_RECENT_TABLES[entry.entity_type][0],
                id=entry.entity_id,
                name=name,
                action=entry.action,
                actor=entry.actor,
                at=entry.at,
            )
        )
        if len(changes) == limit:
            break
    if lang is not None:
        for entity, _ in _RECENT_TABLES.values():
            names = names_of(session, entity, [c.id for c in changes if c.type == entity])
            for change in changes:
                if change.type == entity:
                    change.name = display_name(names.get(change.id, []), lang, change.name)
    return changes
