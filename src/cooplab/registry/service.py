"""Rules and queries of the registry. Surfaces call these; nothing else touches the tables."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Integer, Select, and_, bindparam, delete, func, or_, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from cooplab.db.base import utcnow
from cooplab.db.queries import check_version, page
from cooplab.db.session import json_rows, rows_of
from cooplab.errors import ConflictError, InvalidInputError, MergedError, NotFoundError, StaleVersionError
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
)
from cooplab.registry.schemas import (
    CitationCreate,
    IdentifierIn,
    ListPublic,
    MembershipCreate,
    NameIn,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationSummary,
    OrganizationUpdate,
    OwnershipCreate,
    PersonCreate,
    PersonUpdate,
    PlaceCreate,
    PlaceUpdate,
    PositionIn,
    SiteCreate,
    SourceCreate,
)
from cooplab.registry.revision import PerDatabase, Stamp
from cooplab.registry.search import search_names
from cooplab.vocab.choices import EntityType
from cooplab.vocab.names import detect_script, name_key

M = TypeVar("M")


# ---------------------------------------------------------------- helpers


def _get(session: Session, model: type[M], record_id: int, what: str) -> M:
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(f"{what} {record_id} does not exist")
    return record


def _flush(session: Session) -> None:
    """Flush, turning database rule violations into errors a user can read."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersionError(
            "the record was changed by someone else in the meantime; reload it and edit again"
        ) from None
    except IntegrityError as exc:
        session.rollback()
        message = str(exc.orig)
        if "identifiers" in message or "scheme" in message:
            raise ConflictError("this identifier already belongs to another organization") from None
        if "geonames" in message:
            raise ConflictError("a place with this GeoNames id already exists") from None
        raise ConflictError("the change conflicts with existing records") from None


def _ranked(
    session: Session, stmt: Select[Any], model: Any, ids: list[int], offset: int, limit: int
) -> tuple[list[Any], int]:
    """Rows of `stmt` restricted to `ids`, in the order of `ids` (search rank)."""
    page_ids, count = _ranked_page(session, stmt.with_only_columns(model.id), model.id, ids, offset, limit)
    rows = {r.id: r for r in session.scalars(stmt.where(model.id.in_(page_ids)))}
    return [rows[i] for i in page_ids], count


def _ranked_page(session: Session, id_query: Select[Any], id_column: Any, ids: list[int],
                 offset: int, limit: int) -> tuple[list[int], int]:
    """The page of `ids` (in their order, the search rank) that `id_query` also selects, and
    how many it selects in all."""
    matching = set(session.scalars(id_query.where(id_column.in_(ids))))
    ordered = [i for i in ids if i in matching]
    return ordered[offset : offset + limit], len(ordered)


def name_rows(model: type[M], names: Iterable[NameIn]) -> list[M]:
    """Name rows with their script and comparison key; the same spelling only once."""
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
        if model is not PersonName:
            fields["kind"] = name.kind.value
        rows.append(model(**fields))
    return rows


def _check_place(session: Session, place_id: int | None, field: str) -> None:
    if place_id is not None and session.get(Place, place_id) is None:
        raise InvalidInputError(
            f"place {place_id} does not exist",
            details=[{"loc": [field], "msg": f"place {place_id} does not exist"}],
        )


def _check_org(session: Session, org_id: int | None, *loc: str | int) -> Organization | None:
    if org_id is None:
        return None
    org = session.get(Organization, org_id)
    if org is None or org.merged_into_id is not None:
        raise InvalidInputError(
            f"organization {org_id} does not exist",
            details=[{"loc": list(loc), "msg": f"organization {org_id} does not exist"}],
        )
    return org


# ---------------------------------------------------------------- sources and citations


def create_source(*, session: Session, data: SourceCreate, key: str | None = None) -> Source:
    """Record a document that facts come from."""
    source = Source(key=key, **data.model_dump())
    session.add(source)
    _flush(session)
    return source


def list_sources(*, session: Session, offset: int = 0, limit: int = 50) -> tuple[list[Source], int]:
    return page(session, select(Source).order_by(Source.title), offset, limit)


def get_source(*, session: Session, source_id: int) -> Source:
    return _get(session, Source, source_id, "source")


_SUBJECTS: dict[str, type] = {
    EntityType.ORGANIZATION: Organization,
    EntityType.PERSON: Person,
    EntityType.PLACE: Place,
    "ownership": Ownership,
    "membership": Membership,
    "position": Position,
    "site": Site,
    "identifier": Identifier,
}


def cite(
    *, session: Session, subject_type: str, subject_id: int, data: CitationCreate
) -> Citation:
    """Attach a source to a record or one of its facts."""
    model = _SUBJECTS.get(subject_type)
    if model is None:
        raise InvalidInputError(f"cannot cite a source for {subject_type!r}")
    _get(session, model, subject_id, subject_type)
    _get(session, Source, data.source_id, "source")
    citation = Citation(
        source_id=data.source_id, subject_type=subject_type, subject_id=subject_id, field=data.field
    )
    session.add(citation)
    _flush(session)
    return citation


def citations_of(*, session: Session, subject_type: str, subject_ids: Sequence[int]) -> list[Citation]:
    if not subject_ids:
        return []
    return list(
        session.scalars(
            select(Citation)
            .where(Citation.subject_type == subject_type, Citation.subject_id.in_(subject_ids))
            .order_by(Citation.id)
        )
    )


def _drop_citations(session: Session, subject_type: str, subject_ids: Iterable[int]) -> None:
    """Citations of records that are gone go with them."""
    ids = list(subject_ids)
    if ids:
        session.execute(delete(Citation).where(Citation.subject_type == subject_type,
                                               Citation.subject_id.in_(ids)))


def delete_citation(*, session: Session, citation_id: int) -> None:
    session.delete(_get(session, Citation, citation_id, "citation"))
    _flush(session)


# ---------------------------------------------------------------- places


def create_place(*, session: Session, data: PlaceCreate) -> Place:
    """A new place; its first name is its display name."""
    _check_place(session, data.parent_id, "parent_id")
    place = Place(
        name=data.names[0].value,
        names=name_rows(PlaceName, data.names),
        **data.model_dump(exclude={"names"}),
    )
    session.add(place)
    _flush(session)
    return place


def get_place(*, session: Session, place_id: int) -> Place:
    return _get(session, Place, place_id, "place")


def update_place(*, session: Session, place_id: int, data: PlaceUpdate) -> Place:
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
    return place


def delete_place(*, session: Session, place_id: int) -> None:
    place = get_place(session=session, place_id=place_id)
    sites = list(session.scalars(select(Site.id).where(Site.place_id == place.id)))
    _drop_citations(session, "site", sites)
    _drop_citations(session, "place", [place.id])
    session.delete(place)
    _flush(session)


def list_places(
    *, session: Session, filters: PlaceFilter, offset: int = 0, limit: int = 25
) -> tuple[list[Place], int]:
    stmt = select(Place).options(selectinload(Place.names)).order_by(Place.name)
    if filters.kind:
        stmt = stmt.where(Place.kind == filters.kind.value)
    if filters.country:
        stmt = stmt.where(Place.country == filters.country)
    if filters.q:
        hits = search_names(session=session, query=filters.q, types={EntityType.PLACE}, limit=500)
        return _ranked(session, stmt, Place, [h.id for h in hits], offset, limit)
    return page(session, stmt, offset, limit)


def organizations_at(*, session: Session, place_id: int) -> list[Organization]:
    """Organizations with their head office or a production site at a place."""
    site_orgs = select(Site.organization_id).where(Site.place_id == place_id)
    return list(
        session.scalars(
            select(Organization)
            .where(
                Organization.merged_into_id.is_(None),
                or_(Organization.head_office_id == place_id, Organization.id.in_(site_orgs)),
            )
            .order_by(Organization.name)
        )
    )


# ---------------------------------------------------------------- organizations


def _identifier_rows(identifiers: Iterable[IdentifierIn]) -> list[Identifier]:
    unique = {(i.scheme.value, i.value) for i in identifiers}
    return [Identifier(scheme=s, value=v) for s, v in sorted(unique)]


def _check_identifiers_free(
    session: Session, identifiers: Iterable[IdentifierIn], own_id: int | None
) -> None:
    for index, ident in enumerate(identifiers):
        holder = session.scalar(
            select(Identifier.organization_id).where(
                Identifier.scheme == ident.scheme.value, Identifier.value == ident.value
            )
        )
        if holder is not None and holder != own_id:
            raise ConflictError(
                f"{ident.scheme.value.upper()} {ident.value} already belongs to organization {holder}",
                details=[{"loc": ["identifiers", index, "value"], "msg": f"held by organization {holder}"}],
            )


def create_organization(*, session: Session, data: OrganizationCreate) -> Organization:
    """A new organization; its first name is its display name."""
    _check_place(session, data.head_office_id, "head_office_id")
    _check_identifiers_free(session, data.identifiers, None)
    org = Organization(
        name=data.names[0].value,
        names=name_rows(OrganizationName, data.names),
        identifiers=_identifier_rows(data.identifiers),
        **data.model_dump(exclude={"names", "identifiers"}),
    )
    org.kind = data.kind.value
    session.add(org)
    _flush(session)
    return org


def get_organization(*, session: Session, organization_id: int) -> Organization:
    """The organization, or NotFoundError (also when it was merged into another)."""
    org = session.get(Organization, organization_id, options=(
        selectinload(Organization.names), selectinload(Organization.identifiers),
        joinedload(Organization.head_office)))
    if org is None:
        raise NotFoundError(f"organization {organization_id} does not exist")
    if org.merged_into_id is not None:
        raise MergedError(organization_id, org.merged_into_id)
    return org


def update_organization(
    *, session: Session, organization_id: int, data: OrganizationUpdate
) -> Organization:
    """Apply an edit made on `data.version`; a newer version in the database refuses it (409)."""
    org = get_organization(session=session, organization_id=organization_id)
    check_version(org, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version", "names", "identifiers"})
    if "head_office_id" in changes:
        _check_place(session, changes["head_office_id"], "head_office_id")
    kind = changes.get("kind", org.kind)
    tier = changes.get("tier", org.tier)
    if tier is not None and kind != "supplier":
        raise InvalidInputError(
            "tier applies to suppliers only", details=[{"loc": ["tier"], "msg": "tier applies to suppliers only"}]
        )
    if data.identifiers is not None:
        _check_identifiers_free(session, data.identifiers, org.id)
    with session.no_autoflush:  # one UPDATE, so the version moves by one
        for field, value in changes.items():
            setattr(org, field, value.value if hasattr(value, "value") else value)
        if data.names is not None:
            org.names, _ = _keep_same(org.names, name_rows(OrganizationName, data.names),
                                      lambda a, b: a.value == b.value, ("lang", "kind"))
            org.name = data.names[0].value
        if data.identifiers is not None:
            org.identifiers, gone = _keep_same(
                org.identifiers, _identifier_rows(data.identifiers),
                lambda a, b: (a.scheme, a.value) == (b.scheme, b.value), ())
            _drop_citations(session, "identifier", gone)
        org.updated_at = utcnow()
    _flush(session)
    return org


def delete_organization(*, session: Session, organization_id: int) -> None:
    org = get_organization(session=session, organization_id=organization_id)
    for kind, model, columns in (("site", Site, [Site.organization_id]),
                                 ("identifier", Identifier, [Identifier.organization_id]),
                                 ("ownership", Ownership, [Ownership.owner_id, Ownership.owned_id]),
                                 ("membership", Membership, [Membership.member_id, Membership.group_id])):
        ids = session.scalars(select(model.id).where(or_(*[c == org.id for c in columns])))
        _drop_citations(session, kind, ids)
    _drop_citations(session, "organization", [org.id])
    session.delete(org)
    _flush(session)


def _organization_filter(filters: OrganizationFilter) -> list[Any]:
    """The WHERE clauses of an organization list: live records matching the filters."""
    clauses = [Organization.merged_into_id.is_(None)]
    if filters.kind:
        clauses.append(Organization.kind == filters.kind.value)
    if filters.country:
        clauses.append(Organization.country == filters.country)
    if filters.tier:
        clauses.append(Organization.tier == filters.tier)
    if filters.illustrative is not None:
        clauses.append(Organization.illustrative == filters.illustrative)
    return clauses


def _ranked_ids(session: Session, query: str) -> list[int]:
    """Ids of organizations whose names match `query`, best first."""
    hits = search_names(session=session, query=query, types={EntityType.ORGANIZATION}, limit=500)
    return [h.id for h in hits]


# Organizations as lists and detail pages show them, read with SQL expressions into plain rows:
# the API answers these for every visitor, and ORM objects would cost it several times more.
_O, _P = Organization.__table__, Place.__table__
_SUMMARY = (_O.c.id, _O.c.name, _O.c.kind, _O.c.tier, _O.c.country, _O.c.illustrative, _O.c.version,
            _P.c.id.label("place_id"), _P.c.name.label("place_name"), _P.c.country.label("place_country"))


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    head_office = ({"id": row["place_id"], "name": row["place_name"], "country": row["place_country"]}
                   if row["place_id"] is not None else None)
    return {**{c: row[c] for c in ("id", "name", "kind", "tier", "country", "illustrative", "version")},
            "head_office": head_office}


#: Each unsearched list in its order (ids by name), kept per filter until the registry changes:
#: a page is then a slice however deep it is, and the count its length. Paging through a list
#: would otherwise count, and skip `offset` index entries, on every page.
_listings: PerDatabase[dict[str, array[int]]] = PerDatabase(Stamp.RECORDS, lambda _session: {})
_SUMMARIES = select(*_SUMMARY).select_from(_O.outerjoin(_P, _P.c.id == _O.c.head_office_id)).where(
    _O.c.id.in_(bindparam("ids", expanding=True)))


def _listing(session: Session, filters: OrganizationFilter) -> array[int]:
    key = filters.model_dump_json(exclude={"q"})
    session.flush()  # pending writes move the stamp first, so they are never kept under the old one
    listings = _listings.get(session)
    if (ids := listings.get(key)) is None:
        # merged_into_id leads the order (it is NULL throughout) so that it is the listing index's
        ids = listings[key] = array("q", session.scalars(
            select(_O.c.id).where(*_organization_filter(filters)).order_by(_O.c.merged_into_id, _O.c.name, _O.c.id)))
    return ids


def _organization_page(session: Session, filters: OrganizationFilter, offset: int, limit: int
                       ) -> tuple[list[int], int]:
    """The ids of a page of organizations matching the filters, by search rank when `q` is
    given, else by name; and how many match in all."""
    if filters.q:
        return _ranked_page(session, select(_O.c.id).where(*_organization_filter(filters)), _O.c.id,
                            _ranked_ids(session, filters.q), offset, limit)
    listing = _listing(session, filters)
    return listing[offset : offset + limit].tolist(), len(listing)


def list_organizations(
    *, session: Session, filters: OrganizationFilter, offset: int = 0, limit: int = 25
) -> tuple[list[Organization], int]:
    """A page of organizations matching the filters, with their names and head office loaded."""
    ids, count = _organization_page(session, filters, offset, limit)
    found = {o.id: o for o in session.scalars(
        select(Organization).options(selectinload(Organization.head_office), selectinload(Organization.names))
        .where(Organization.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found], count


def organization_summaries(
    *, session: Session, filters: OrganizationFilter, offset: int = 0, limit: int = 25
) -> ListPublic[OrganizationSummary]:
    """The same page as `list_organizations`, as the API shows it (no names)."""
    ids, count = _organization_page(session, filters, offset, limit)
    found = {r.id: r._asdict() for r in session.execute(_SUMMARIES, {"ids": ids})} if ids else {}
    return ListPublic[OrganizationSummary](
        data=[OrganizationSummary.model_validate(_summary(found[i])) for i in ids if i in found], count=count)


_N, _I, _S, _W, _M, _X, _C, _D, _E = (t.__table__ for t in (
    OrganizationName, Identifier, Site, Ownership, Membership, Position, Citation, Source, Person))
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
    select(_W.c.owner_id).where(_W.c.owned_id == _OID), select(_W.c.owned_id).where(_W.c.owner_id == _OID),
    select(_M.c.member_id).where(_M.c.group_id == _OID), select(_M.c.group_id).where(_M.c.member_id == _OID),
).subquery()
#: An organization with all its lists in one statement (one round trip), built once; each
#: request binds only the organization's id. Each list is a JSON column (`json_rows`).
_DETAIL = select(
    *_SUMMARY, _O.c.website, _O.c.description, _O.c.merged_into_id,
    json_rows(select(_N.c.id, _N.c.value, _N.c.lang, _N.c.script, _N.c.kind)
              .where(_N.c.organization_id == _OID)).label("names"),
    json_rows(select(_I.c.id, _I.c.scheme, _I.c.value).where(_I.c.organization_id == _OID)).label("identifiers"),
    json_rows(select(_S.c.id, _S.c.description, _S.c.place_id, _P.c.name, _P.c.country)
              .join(_P, _P.c.id == _S.c.place_id).where(_S.c.organization_id == _OID)).label("sites"),
    json_rows(select(_W.c.id, _W.c.owner_id, _W.c.owned_id, _W.c.share, _W.c.start, _W.c.end)
              .where(or_(_W.c.owned_id == _OID, _W.c.owner_id == _OID))).label("links"),
    json_rows(select(_M.c.id, _M.c.member_id, _M.c.group_id, _M.c.start, _M.c.end)
              .where(or_(_M.c.member_id == _OID, _M.c.group_id == _OID))).label("groupings"),
    json_rows(select(_X.c.id, _X.c.title, _X.c.title_en, _X.c.start, _X.c.end, _X.c.person_id,
                     _E.c.name.label("person_name"))
              .join(_E, _E.c.id == _X.c.person_id).where(_X.c.organization_id == _OID)).label("positions"),
    json_rows(select(_O2.c.id, _O2.c.name, _O2.c.kind, _O2.c.country).join(_PARTIES, _PARTIES.c.id == _O2.c.id))
    .label("refs"),
    json_rows(select(_C.c.id, _C.c.subject_type, _C.c.subject_id, _C.c.field, _C.c.source_id,
                     _D.c.title, _D.c.url, _D.c.published, _D.c.as_of)
              .join(_D, _D.c.id == _C.c.source_id)
              .where(or_(and_(_C.c.subject_type == "organization", _C.c.subject_id == _OID),
                         *[and_(_C.c.subject_type == kind, _C.c.subject_id.in_(ids)) for kind, ids in _LINKED.items()]))
              ).label("citations"),
).select_from(_O.outerjoin(_P, _P.c.id == _O.c.head_office_id)).where(_O.c.id == _OID)


def organization_detail(*, session: Session, organization_id: int) -> OrganizationPublic:
    """Everything known about an organization: names, identifiers, sites, owners, members,
    people and the sources of its facts."""
    oid = organization_id
    found = session.execute(_DETAIL, {"oid": oid}).first()
    if found is None:
        raise NotFoundError(f"organization {oid} does not exist")
    org = found._asdict()
    if org["merged_into_id"] is not None:
        raise MergedError(oid, org["merged_into_id"])
    names, identifiers, sites, links, groupings, citations, refs = (
        sorted(rows_of(org[name]), key=lambda r: r["id"])
        for name in ("names", "identifiers", "sites", "links", "groupings", "citations", "refs"))
    positions = sorted(rows_of(org["positions"]), key=lambda r: r["id"])
    positions.sort(key=lambda r: r["start"] or "", reverse=True)  # latest first (ISO dates sort as text)
    refs = {r["id"]: r for r in refs}
    ownership = [{**r, "owner": refs[r["owner_id"]], "owned": refs[r["owned_id"]],
                  "share": None if r["share"] is None else Decimal(r["share"]).quantize(_CENT)} for r in links]
    membership = [{**r, "member": refs[r["member_id"]], "group": refs[r["group_id"]]} for r in groupings]
    return OrganizationPublic.model_validate({
        **_summary(org), "website": org["website"], "description": org["description"], "merged_into_id": None,
        "names": names, "identifiers": identifiers,
        "sites": [{"id": r["id"], "description": r["description"],
                   "place": {"id": r["place_id"], "name": r["name"], "country": r["country"]}} for r in sites],
        "citations": [{**{k: r[k] for k in ("id", "subject_type", "subject_id", "field")},
                       "source": {"id": r["source_id"], **{k: r[k] for k in ("title", "url", "published", "as_of")}}}
                      for r in citations],
        "owners": [o for o in ownership if o["owned_id"] == oid],
        "holdings": [o for o in ownership if o["owner_id"] == oid],
        "groups": [m for m in membership if m["member_id"] == oid],
        "members": [m for m in membership if m["group_id"] == oid],
        "people": [{"person": {"id": p["person_id"], "name": p["person_name"]},
                    "position": {**p, "organization": refs[oid]}} for p in positions],
    })


def add_ownership(*, session: Session, data: OwnershipCreate) -> Ownership:
    """Record that one organization holds a share of another."""
    if data.owner_id == data.owned_id:
        raise InvalidInputError("an organization cannot own itself",
                                details=[{"loc": ["owner_id"], "msg": "same as owned_id"}])
    _check_org(session, data.owner_id, "owner_id")
    _check_org(session, data.owned_id, "owned_id")
    link = Ownership(**data.model_dump())
    session.add(link)
    _flush(session)
    return link


def add_membership(*, session: Session, data: MembershipCreate) -> Membership:
    """Record that an organization is a member of a group (a cluster, an association)."""
    if data.member_id == data.group_id:
        raise InvalidInputError("an organization cannot be a member of itself",
                                details=[{"loc": ["member_id"], "msg": "same as group_id"}])
    _check_org(session, data.member_id, "member_id")
    _check_org(session, data.group_id, "group_id")
    link = Membership(**data.model_dump())
    session.add(link)
    _flush(session)
    return link


def add_site(*, session: Session, organization_id: int, data: SiteCreate) -> Site:
    """Record a production site of an organization."""
    get_organization(session=session, organization_id=organization_id)
    _check_place(session, data.place_id, "place_id")
    site = Site(organization_id=organization_id, **data.model_dump())
    session.add(site)
    _flush(session)
    return site


def remove_link(*, session: Session, kind: str, link_id: int) -> None:
    """Delete an ownership, membership or site."""
    model = {"ownership": Ownership, "membership": Membership, "site": Site}[kind]
    session.delete(_get(session, model, link_id, kind))
    _drop_citations(session, kind, [link_id])
    _flush(session)


# ---------------------------------------------------------------- people


def _position_rows(session: Session, positions: Iterable[PositionIn]) -> list[Position]:
    rows = []
    for index, pos in enumerate(positions):
        _check_org(session, pos.organization_id, "positions", index, "organization_id")
        rows.append(Position(**pos.model_dump()))
    return rows


def _keep_same(current: list[M], fresh: list[M], same: Any, fields: Sequence[str]) -> tuple[list[M], list[int]]:
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


def create_person(*, session: Session, data: PersonCreate) -> Person:
    """A new person; the first name is the display name."""
    person = Person(
        name=data.names[0].value,
        names=name_rows(PersonName, data.names),
        positions=_position_rows(session, data.positions),
        illustrative=data.illustrative,
    )
    session.add(person)
    _flush(session)
    return person


def get_person(*, session: Session, person_id: int) -> Person:
    return _get(session, Person, person_id, "person")


def update_person(*, session: Session, person_id: int, data: PersonUpdate) -> Person:
    person = get_person(session=session, person_id=person_id)
    check_version(person, data.version)
    positions = _position_rows(session, data.positions) if data.positions is not None else None
    with session.no_autoflush:
        if data.names is not None:
            person.names = name_rows(PersonName, data.names)
            person.name = data.names[0].value
        if positions is not None:
            person.positions, gone = _keep_same(
                person.positions, positions,
                lambda a, b: (a.title, a.organization_id) == (b.title, b.organization_id),
                ("title_en", "start", "end"))
            _drop_citations(session, "position", gone)
        if data.illustrative is not None:
            person.illustrative = data.illustrative
        person.updated_at = utcnow()
    _flush(session)
    return person


def add_position(*, session: Session, person_id: int, data: PositionIn) -> Position:
    person = get_person(session=session, person_id=person_id)
    (position,) = _position_rows(session, [data])
    person.positions.append(position)
    _flush(session)
    return position


def delete_person(*, session: Session, person_id: int) -> None:
    person = get_person(session=session, person_id=person_id)
    _drop_citations(session, "position", [p.id for p in person.positions])
    _drop_citations(session, "person", [person.id])
    session.delete(person)
    _flush(session)


def list_people(
    *, session: Session, filters: PersonFilter, offset: int = 0, limit: int = 25
) -> tuple[list[Person], int]:
    stmt = (select(Person).options(selectinload(Person.names), selectinload(Person.positions))
            .order_by(Person.name, Person.id))
    if filters.organization_id:
        stmt = stmt.where(
            Person.id.in_(select(Position.person_id).where(Position.organization_id == filters.organization_id))
        )
    if filters.q:
        hits = search_names(session=session, query=filters.q, types={EntityType.PERSON}, limit=500)
        return _ranked(session, stmt, Person, [h.id for h in hits], offset, limit)
    return page(session, stmt, offset, limit)



# ---------------------------------------------------------------- overview


class RegistrySummary(BaseModel):
    """Counts for the dashboard."""

    organizations_by_kind: dict[str, int]
    organizations: int
    people: int
    places: int
    sources: int


def registry_summary(*, session: Session) -> RegistrySummary:
    """How many organizations of each kind, people, places and sources the registry holds."""
    by_kind = dict(session.execute(
        select(Organization.kind, func.count()).where(Organization.merged_into_id.is_(None))
        .group_by(Organization.kind)).all())
    return RegistrySummary(
        organizations_by_kind=by_kind, organizations=sum(by_kind.values()),
        people=session.scalar(select(func.count()).select_from(Person)) or 0,
        places=session.scalar(select(func.count()).select_from(Place)) or 0,
        sources=session.scalar(select(func.count()).select_from(Source)) or 0,
    )


class RecentChange(BaseModel):
    """A registry record touched lately: what, which, by whom, when."""

    type: str
    id: int
    name: str
    action: str
    actor: str
    at: datetime


def recent_changes(*, session: Session, limit: int = 10) -> list[RecentChange]:
    """The organizations, people and places written most recently, newest first, from the audit log."""
    from cooplab.accounts.models import AuditEntry

    tables = {"organizations": (EntityType.ORGANIZATION, Organization),
              "people": (EntityType.PERSON, Person), "places": (EntityType.PLACE, Place)}
    latest = (select(AuditEntry.entity_type, AuditEntry.entity_id, func.max(AuditEntry.id).label("last"))
              .where(AuditEntry.entity_type.in_(tables), AuditEntry.entity_id.is_not(None))
              .group_by(AuditEntry.entity_type, AuditEntry.entity_id)
              .order_by(func.max(AuditEntry.id).desc()).limit(limit * 2).subquery())
    entries = session.scalars(select(AuditEntry).join(latest, AuditEntry.id == latest.c.last)
                              .order_by(AuditEntry.id.desc()))
    changes = []
    for entry in entries:
        etype, model = tables[entry.entity_type]
        record = session.get(model, entry.entity_id)
        if record is None or getattr(record, "merged_into_id", None) is not None:
            continue
        changes.append(RecentChange(type=etype, id=record.id, name=record.name, action=entry.action,
                                    actor=entry.actor, at=entry.at))
        if len(changes) == limit:
            break
    return changes
