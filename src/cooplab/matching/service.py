"""Rules and queries of matchmaking: storing needs and capabilities (one at a time or from the
interchange workbook, all or nothing), reading them as the reader may see them, ranking the
suppliers for a need and the needs for a supplier, and keeping the marks users give on matches.

Visibility is the one rule of cooplab.core.confidential: the rankings are built from the rows
`visible_clause` lets through (for capabilities, a mask over the stored table kept per revision,
`matching.stored`), so a hidden need or capability is never scored, counted or named. An
anonymous profile's organization is named only to its own organization and to analysts. Writes
go through the ORM, so the audit trail records each of them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import yaml
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from cooplab.catalog.models import BomLine, CurrencyRate
from cooplab.catalog.schemas import Unit
from cooplab.catalog.service import visible_vehicle
from cooplab.core.actor import Actor, Permission, Role
from cooplab.core.audit import name_change
from cooplab.core.calculators import Reason
from cooplab.core.confidential import reader_key, visible_clause, visible_or_404
from cooplab.core.records import every, flush
from cooplab.core.revision import PerKey
from cooplab.core.schemas import ListPublic
from cooplab.core.spreadsheets import read_workbook, write_csv, write_xlsx
from cooplab.errors import ImportFileError, InvalidInputError, NotFoundError, field_error, invalid_input
from cooplab.feasibility.choices import Incoterm
from cooplab.feasibility.messages import text as feasibility_text
from cooplab.matching import costs, models
from cooplab.matching import profiles as p
from cooplab.matching.feedback import Judgement
from cooplab.matching.filters import CapabilityFilter, NeedFilter
from cooplab.matching.messages import reason_text
from cooplab.matching.ranking import NeedIndex, RankFilters, Ranking, rank_needs, rank_suppliers
from cooplab.matching.schemas import (
    CapabilityIn,
    CapabilityPublic,
    CostLine,
    FeedbackIn,
    FeedbackPublic,
    LandedCostSummary,
    MatchFilter,
    MatchingImported,
    MatchList,
    MatchPublic,
    NeedIn,
    NeedPublic,
    PartMatches,
)
from cooplab.matching.scoring import Match
from cooplab.matching.stored import stored_capabilities
from cooplab.matching.workbook import (
    MatchingWorkbook,
    OrganizationRef,
    capability_sheet,
    need_sheet,
    parse_matching_sheets,
)
from cooplab.registry.models import Organization, OrganizationName, Place, PlaceName, Site
from cooplab.registry.schemas import NameIn, OrganizationCreate
from cooplab.registry.service import create_organization
from cooplab.vocab.choices import Activity, Visibility
from cooplab.vocab.money import Rate
from cooplab.vocab.names import name_key

ANONYMOUS_SUPPLIER = "anonymous supplier"
ANONYMOUS_BUYER = "anonymous buyer"
#: Units of a bill's line counted in whole pieces, so that its annual volume is vehicles × quantity.
PIECES = frozenset({Unit.PIECE.value, Unit.SET.value})


def today() -> date:
    return date.today()


# ---------------------------------------------------------------- registry look-ups


def organization_refs(session: Session) -> Callable[[str], list[OrganizationRef]]:
    """A function finding the live registry organizations a text names: by registry id, else
    by any of their names (folded); several when the name is shared."""
    cache: dict[str, list[OrganizationRef]] = {}

    def resolve(text: str) -> list[OrganizationRef]:
        text = text.strip()
        if text not in cache:
            live = Organization.merged_into_id.is_(None)
            if text.isdigit():
                where: Any = Organization.id == int(text) if int(text) < 2**31 else Organization.id < 0
            else:
                by_name = select(OrganizationName.organization_id).where(
                    OrganizationName.key == name_key(text)
                )
                where = or_(Organization.id.in_(by_name), func.lower(Organization.name) == text.lower())
            rows = session.scalars(select(Organization).where(live, where).order_by(Organization.id))
            cache[text] = [OrganizationRef(o.id, o.name, o.tier, o.country) for o in rows]
        return cache[text]

    return resolve


def place_locations(session: Session) -> Callable[[str], list[p.Location]]:
    """A function finding the registry places with coordinates a name (any of theirs) names."""
    cache: dict[str, list[p.Location]] = {}

    def resolve(text: str) -> list[p.Location]:
        text = text.strip()
        if text not in cache:
            by_name = select(PlaceName.place_id).where(PlaceName.key == name_key(text))
            rows = session.scalars(
                select(Place)
                .where(
                    or_(Place.id.in_(by_name), func.lower(Place.name) == text.lower()),
                    Place.latitude.is_not(None),
                    Place.longitude.is_not(None),
                )
                .order_by(Place.id)
            )
            cache[text] = [_location(place) for place in rows]
        return cache[text]

    return resolve


def _location(place: Place) -> p.Location:
    return p.Location(
        name=place.name, place_id=place.id, latitude=place.latitude or 0.0, longitude=place.longitude or 0.0
    )


def _place(session: Session, place_id: int, loc: list[str | int]) -> p.Location:
    place = session.get(Place, place_id)
    if place is None or place.latitude is None or place.longitude is None:
        raise InvalidInputError(
            f"place {place_id} does not exist or has no coordinates",
            details=[
                field_error(loc, "no place with coordinates has this id", "place_unknown", name=place_id)
            ],
        )
    return _location(place)


def _organization(session: Session, organization_id: int, field: str) -> Organization:
    org = session.get(Organization, organization_id)
    if org is None or org.merged_into_id is not None:
        raise InvalidInputError(
            f"organization {organization_id} does not exist",
            details=[
                field_error(
                    [field],
                    "no organization has this id",
                    f"{field.removesuffix('_id')}_unknown",
                    name=organization_id,
                )
            ],
        )
    return org


# ---------------------------------------------------------------- rows and profiles


def _named(actor: Actor, organization_id: int | None) -> bool:
    """Whether the reader is told which organization an anonymous profile is of."""
    return actor.role in (Role.ADMIN, Role.ANALYST) or (
        organization_id is not None and actor.organization_id == organization_id
    )


def _texts(row: models.Need | models.Capability) -> p.Texts:
    return p.Texts(ru=row.description_ru, uz=row.description_uz, en=row.description_en)


def _set_texts(row: models.Need | models.Capability, texts: p.Texts) -> None:
    row.description_ru, row.description_uz, row.description_en = texts.ru, texts.uz, texts.en


def _need_location(row: models.Need) -> p.Location | None:
    if row.delivery_place is None or row.delivery_latitude is None or row.delivery_longitude is None:
        return None
    return p.Location(
        name=row.delivery_place,
        place_id=row.delivery_place_id,
        latitude=row.delivery_latitude,
        longitude=row.delivery_longitude,
    )


def need_profile(row: models.Need, buyer: Organization, actor: Actor) -> p.Need:
    """The core's need of a stored row, as `actor` may see it."""
    hidden = row.anonymous and not _named(actor, row.buyer_organization_id)
    return p.Need(
        id=row.id,
        ref=row.ref,
        buyer_id=None if hidden else buyer.id,
        buyer=ANONYMOUS_BUYER if hidden else buyer.name,
        buyer_tier=buyer.tier,
        hs_code=row.hs_code,
        part=row.part,
        description=_texts(row),
        annual_volume=row.annual_volume,
        target_price=row.target_price,
        currency=row.currency,
        processes=tuple(row.processes or ()),
        certifications=tuple(row.certifications or ()),
        delivery_place=_need_location(row),
        deadline=row.deadline,
        visibility=Visibility(row.visibility),
        anonymous=hidden,
        illustrative=row.illustrative,
    )


def capability_profile(row: models.Capability, supplier: Organization, actor: Actor) -> p.Capability:
    """The core's capability of a stored row, as `actor` may see it (an anonymous one keeps
    its supplier's id for one line per supplier, and the match leaves it out)."""
    hidden = row.anonymous and not _named(actor, row.supplier_organization_id)
    return p.Capability(
        id=row.id,
        supplier_id=supplier.id,
        supplier=ANONYMOUS_SUPPLIER if hidden else supplier.name,
        supplier_tier=supplier.tier,
        supplier_country=supplier.country,
        hs_codes=tuple(row.hs_codes or ()),
        processes=tuple(row.processes or ()),
        materials=tuple(row.materials or ()),
        annual_capacity=row.annual_capacity,
        certifications=tuple(p.Certification.model_validate(c) for c in row.certifications or ()),
        sites=tuple(p.Location.model_validate(s) for s in row.sites or ()),
        description=_texts(row),
        visibility=Visibility(row.visibility),
        anonymous=hidden,
        illustrative=row.illustrative,
        source=row.source,
        as_of=row.as_of,
        offer=_offer(row),
    )


def _offer(row: models.Capability) -> p.Offer | None:
    if row.unit_price is None or not row.price_currency:
        return None
    return p.Offer(
        unit_price=row.unit_price,
        currency=row.price_currency,
        incoterm=Incoterm(row.incoterm or Incoterm.FCA),
        units_per_shipment=row.units_per_shipment,
    )


def _need_public(profile: p.Need, row: models.Need) -> NeedPublic:
    return NeedPublic(
        id=row.id,
        ref=row.ref,
        buyer_id=profile.buyer_id,
        buyer=None if profile.anonymous else profile.buyer,
        hs_code=profile.hs_code,
        part=profile.part,
        description=profile.description,
        annual_volume=profile.annual_volume,
        target_price=profile.target_price,
        currency=profile.currency,
        processes=[x.value for x in profile.processes],
        certifications=list(profile.certifications),
        delivery_place=profile.delivery_place,
        deadline=profile.deadline,
        visibility=row.visibility,
        anonymous=row.anonymous,
        illustrative=row.illustrative,
    )


def _capability_public(profile: p.Capability, row: models.Capability) -> CapabilityPublic:
    return CapabilityPublic(
        id=row.id,
        supplier_id=None if profile.anonymous else profile.supplier_id,
        supplier=None if profile.anonymous else profile.supplier,
        hs_codes=list(profile.hs_codes),
        processes=[x.value for x in profile.processes],
        materials=list(profile.materials),
        annual_capacity=profile.annual_capacity,
        certifications=list(profile.certifications),
        sites=list(profile.sites),
        description=profile.description,
        visibility=row.visibility,
        anonymous=row.anonymous,
        illustrative=row.illustrative,
        source=row.source,
        as_of=row.as_of,
        offer=profile.offer,
    )


def _store_need(row: models.Need, need: p.Need) -> None:
    row.hs_code = need.hs_code
    row.part = need.part
    _set_texts(row, need.description)
    row.annual_volume = need.annual_volume
    row.target_price = need.target_price
    row.currency = need.currency
    row.processes = [x.value for x in need.processes]
    row.certifications = list(need.certifications)
    place = need.delivery_place
    row.delivery_place = place.name if place else None
    row.delivery_place_id = place.place_id if place else None
    row.delivery_latitude = place.latitude if place else None
    row.delivery_longitude = place.longitude if place else None
    row.deadline = need.deadline
    row.visibility = need.visibility.value
    row.anonymous = need.anonymous
    row.illustrative = need.illustrative


def _capability_row(cap: p.Capability, supplier_id: int, created_by: int | None) -> models.Capability:
    row = models.Capability(
        supplier_organization_id=supplier_id,
        owner_organization_id=supplier_id,
        created_by_id=created_by,
        hs_codes=list(cap.hs_codes),
        processes=[x.value for x in cap.processes],
        materials=list(cap.materials),
        annual_capacity=cap.annual_capacity,
        certifications=[c.model_dump(mode="json") for c in cap.certifications],
        sites=[s.model_dump(mode="json") for s in cap.sites],
        visibility=cap.visibility.value,
        anonymous=cap.anonymous,
        illustrative=cap.illustrative,
        source=cap.source,
        as_of=cap.as_of,
    )
    offer = cap.offer
    if offer is not None:
        row.unit_price = offer.unit_price
        row.price_currency = offer.currency
        row.incoterm = offer.incoterm.value
        row.units_per_shipment = offer.units_per_shipment
    _set_texts(row, cap.description)
    return row


# ---------------------------------------------------------------- import


def import_workbook(
    *, session: Session, actor: Actor, files: Mapping[str, bytes], on: date | None = None
) -> MatchingImported:
    """Store the needs and capabilities of an interchange workbook (XLSX, or CSV files named
    like its sheets), all or nothing: every bad row is named in one ImportFileError and nothing
    is stored then. Suppliers and buyers are registry organizations (by id or any name) the
    actor may edit (a member: its own). A need whose buyer already has its ref is replaced."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    on = on or today()
    sheets = read_workbook(files)
    book = parse_matching_sheets(
        sheets, resolve_organization=organization_refs(session), resolve_place=place_locations(session), on=on
    )
    _check_editable(actor, book, {name: [r for r, _ in s.rows] for name, s in sheets.items()})
    name_change(session, Activity.IMPORT)
    replaced = 0
    for cap in book.capabilities:
        assert cap.supplier_id is not None
        session.add(_capability_row(cap, cap.supplier_id, actor.user_id))
    for need in book.needs:
        assert need.buyer_id is not None and need.ref is not None
        row = session.scalar(
            select(models.Need).where(
                models.Need.buyer_organization_id == need.buyer_id, models.Need.ref == need.ref
            )
        )
        if row is None:
            row = models.Need(
                ref=need.ref,
                buyer_organization_id=need.buyer_id,
                owner_organization_id=need.buyer_id,
                created_by_id=actor.user_id,
            )
            session.add(row)
        else:
            replaced += 1
        _store_need(row, need)
    flush(session)
    return MatchingImported(
        capabilities=len(book.capabilities),
        needs=len(book.needs),
        needs_replaced=replaced,
        illustrative=any(c.illustrative for c in book.capabilities)
        or any(n.illustrative for n in book.needs),
    )


def _check_editable(actor: Actor, book: MatchingWorkbook, rows: Mapping[str, list[int]]) -> None:
    """Every supplier and buyer is one the actor may edit, or the row is named."""
    details = []
    for sheet, column, items in (
        ("capabilities", "supplier", [(c.supplier_id, c.supplier) for c in book.capabilities]),
        ("needs", "buyer", [(n.buyer_id, n.buyer) for n in book.needs]),
    ):
        numbers = rows.get(sheet, [])
        for n, (org_id, name) in enumerate(items):
            if org_id is not None and not actor.may_edit_organization(org_id):
                row = numbers[n] if len(numbers) == len(items) else n + 2
                details.append(
                    field_error(
                        [sheet, row, column],
                        f"you may not enter profiles of {name} (members enter their own organization's)",
                        "organization_not_yours",
                        name=name,
                    )
                )
    if details:
        raise ImportFileError(
            f"{len(details)} row(s) name another organization, nothing was imported", details=details
        )


# ---------------------------------------------------------------- needs and capabilities


def _need_rows(session: Session, actor: Actor) -> Any:
    return (
        select(models.Need, Organization)
        .join(Organization, Organization.id == models.Need.buyer_organization_id)
        .where(visible_clause(models.Need, actor), Organization.merged_into_id.is_(None))
    )


def _capability_rows(session: Session, actor: Actor) -> Any:
    return (
        select(models.Capability, Organization)
        .join(Organization, Organization.id == models.Capability.supplier_organization_id)
        .where(visible_clause(models.Capability, actor), Organization.merged_into_id.is_(None))
    )


def _by_organization(stmt: Any, filters: NeedFilter | CapabilityFilter, certifications: Any) -> Any:
    """The rows whose organization is of the filter's country and tier, and whose certifications
    (a JSON list) name the filter's certification."""
    if filters.country:
        stmt = stmt.where(Organization.country == filters.country)
    if filters.tier is not None:
        stmt = stmt.where(Organization.tier == filters.tier)
    if filters.certification:
        # a JSON list, as text on both dialects: the quoted name is in one of its items
        name = json.dumps(p.certification_name(filters.certification))
        stmt = stmt.where(func.lower(cast(certifications, String)).like(f"%{name.lower()}%"))
    return stmt


def list_needs(
    *, session: Session, actor: Actor, filters: NeedFilter | None = None, offset: int = 0, limit: int = 50
) -> ListPublic[NeedPublic]:
    """The needs the actor may see, by ref."""
    actor.require(Permission.READ)
    filters = filters or NeedFilter()
    stmt = _need_rows(session, actor)
    if filters.buyer_id is not None:
        stmt = stmt.where(models.Need.buyer_organization_id == filters.buyer_id)
        if not _named(actor, filters.buyer_id):
            stmt = stmt.where(models.Need.anonymous.is_(False))
    stmt = _by_organization(stmt, filters, models.Need.certifications)
    if filters.hs_code:
        stmt = stmt.where(models.Need.hs_code.startswith(filters.hs_code))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(models.Need.ref).like(like), func.lower(models.Need.part).like(like))
        )
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(models.Need.ref, models.Need.id).offset(offset).limit(limit)).all()
    return ListPublic(data=[_need_public(need_profile(n, o, actor), n) for n, o in rows], count=count)


def export_needs(
    *, session: Session, actor: Actor, filters: NeedFilter | None = None, fmt: Literal["xlsx", "csv"] = "xlsx"
) -> bytes:
    """The needs the actor may see (filtered like the list) as a workbook in the import's columns:
    an XLSX file with a `needs` sheet, or that sheet as CSV."""
    needs = every(
        lambda offset, limit: list_needs(
            session=session, actor=actor, filters=filters, offset=offset, limit=limit
        )
    )
    rows = need_sheet(needs)
    return write_csv(rows) if fmt == "csv" else write_xlsx({"needs": rows})


def find_need(session: Session, actor: Actor, key: str | int) -> tuple[models.Need, Organization]:
    """A need the actor may see, by id or by its ref (a ref several visible buyers use is
    refused, naming their needs' ids)."""
    text = str(key).strip()
    stmt = _need_rows(session, actor)
    if text.isdigit() and int(text) < 2**31:
        found = session.execute(stmt.where(models.Need.id == int(text))).first()
        if found is not None:
            return found[0], found[1]
    rows = session.execute(stmt.where(models.Need.ref == text).order_by(models.Need.id)).all()
    if not rows:
        raise NotFoundError.record("need", text)
    if len(rows) > 1:
        ids = ", ".join(str(n.id) for n, _ in rows)
        raise InvalidInputError(
            f"several needs have the ref {text}: give the id ({ids})",
            details=[
                field_error(
                    ["need"], f"several needs have the ref {text}", "need_ambiguous", ref=text, candidates=ids
                )
            ],
        )
    return rows[0][0], rows[0][1]


def need_detail(*, session: Session, actor: Actor, key: str | int) -> NeedPublic:
    actor.require(Permission.READ)
    row, buyer = find_need(session, actor, key)
    return _need_public(need_profile(row, buyer, actor), row)


def create_need(*, session: Session, actor: Actor, data: NeedIn) -> NeedPublic:
    """Store one need of a buyer the actor may edit (a member: its own organization)."""
    buyer = _organization(session, data.buyer_id, "buyer_id")
    actor.require_edit_organization(buyer.id)
    taken = session.scalar(
        select(models.Need.id).where(
            models.Need.buyer_organization_id == buyer.id, models.Need.ref == data.ref
        )
    )
    if taken is not None:
        raise InvalidInputError(
            f"the buyer already has a need {data.ref}",
            details=[
                field_error(
                    ["ref"],
                    "the buyer already has a need with this ref",
                    "ref_duplicate",
                    ref=data.ref,
                    other_row=taken,
                )
            ],
        )
    place = _place(session, data.delivery_place_id, ["delivery_place_id"]) if data.delivery_place_id else None
    try:
        need = p.Need(
            ref=data.ref,
            buyer_id=buyer.id,
            buyer=buyer.name,
            buyer_tier=buyer.tier,
            **data.model_dump(exclude={"ref", "buyer_id", "delivery_place_id", "description"}),
            description=data.description,
            delivery_place=place,
        )
    except ValueError as exc:
        raise _invalid(exc) from None
    row = models.Need(
        ref=data.ref,
        buyer_organization_id=buyer.id,
        owner_organization_id=buyer.id,
        created_by_id=actor.user_id,
    )
    _store_need(row, need)
    session.add(row)
    flush(session)
    return _need_public(need_profile(row, buyer, actor), row)


def _invalid(exc: ValueError) -> InvalidInputError:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return invalid_input(exc)
    return InvalidInputError(str(exc), details=[field_error(["input"], str(exc), "invalid_value")])


_DESCRIPTIONS = (
    models.Capability.description_ru,
    models.Capability.description_uz,
    models.Capability.description_en,
)


def list_capabilities(
    *,
    session: Session,
    actor: Actor,
    filters: CapabilityFilter | None = None,
    offset: int = 0,
    limit: int = 50,
) -> ListPublic[CapabilityPublic]:
    """The capabilities the actor may see, by supplier."""
    actor.require(Permission.READ)
    filters = filters or CapabilityFilter()
    stmt = _capability_rows(session, actor)
    if filters.supplier_id is not None:
        stmt = stmt.where(models.Capability.supplier_organization_id == filters.supplier_id)
        if not _named(actor, filters.supplier_id):
            stmt = stmt.where(models.Capability.anonymous.is_(False))
    stmt = _by_organization(stmt, filters, models.Capability.certifications)
    if filters.hs_code:
        # a JSON list of codes: one of them starts with the prefix
        stmt = stmt.where(cast(models.Capability.hs_codes, String).like(f'%"{filters.hs_code}%'))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(or_(*(func.lower(c).like(like) for c in _DESCRIPTIONS)))
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(Organization.name, models.Capability.id).offset(offset).limit(limit)
    ).all()
    return ListPublic(
        data=[_capability_public(capability_profile(c, o, actor), c) for c, o in rows], count=count
    )


def export_capabilities(
    *,
    session: Session,
    actor: Actor,
    filters: CapabilityFilter | None = None,
    fmt: Literal["xlsx", "csv"] = "xlsx",
) -> bytes:
    """The capabilities the actor may see (filtered like the list) in the import's columns: an XLSX
    file with a `capabilities` sheet, or that sheet as CSV."""
    capabilities = every(
        lambda offset, limit: list_capabilities(
            session=session, actor=actor, filters=filters, offset=offset, limit=limit
        )
    )
    rows = capability_sheet(capabilities)
    return write_csv(rows) if fmt == "csv" else write_xlsx({"capabilities": rows})


def capability_detail(*, session: Session, actor: Actor, capability_id: int) -> CapabilityPublic:
    actor.require(Permission.READ)
    found = session.execute(
        _capability_rows(session, actor).where(models.Capability.id == capability_id)
    ).first()
    if found is None:
        raise NotFoundError.record("capability", capability_id)
    return _capability_public(capability_profile(found[0], found[1], actor), found[0])


def create_capability(*, session: Session, actor: Actor, data: CapabilityIn) -> CapabilityPublic:
    """Store one capability of a supplier the actor may edit (a member: its own organization)."""
    supplier = _organization(session, data.supplier_id, "supplier_id")
    actor.require_edit_organization(supplier.id)
    sites = [_place(session, i, ["site_ids", n]) for n, i in enumerate(data.site_ids)]
    expired = [c for c in data.certifications if c.expires is not None and c.expires < today()]
    if expired:
        raise InvalidInputError(
            f"{expired[0].name} expired on {expired[0].expires}",
            details=[
                field_error(
                    ["certifications", n],
                    f"{c.name} expired on {c.expires}",
                    "certification_expired",
                    certification=c.name,
                    expires=str(c.expires),
                )
                for n, c in enumerate(data.certifications)
                if c in expired
            ],
        )
    try:
        cap = p.Capability(
            supplier_id=supplier.id,
            supplier=supplier.name,
            **data.model_dump(exclude={"supplier_id", "site_ids", "description", "certifications"}),
            certifications=tuple(
                p.Certification(name=c.name, expires=c.expires) for c in data.certifications
            ),
            description=data.description,
            sites=tuple(sites),
        )
    except ValueError as exc:
        raise _invalid(exc) from None
    row = _capability_row(cap, supplier.id, actor.user_id)
    session.add(row)
    flush(session)
    return _capability_public(capability_profile(row, supplier, actor), row)


# ---------------------------------------------------------------- rankings


def _rank_filters(filters: MatchFilter) -> RankFilters:
    try:
        return RankFilters(
            countries=frozenset(filters.country),
            tiers=frozenset(filters.tier),
            certifications=tuple(filters.certification),
        )
    except ValueError as exc:
        raise _invalid(exc) from None


def _match_public(
    match: Match, lang: str, need_ref: str | None = None, quote: costs.Quote | None = None
) -> MatchPublic:
    return MatchPublic(
        need_id=match.need_id,
        need_ref=match.need_ref or need_ref,
        capability_id=match.capability_id,
        supplier_id=match.supplier_id,
        supplier=match.supplier,
        score=round(match.score, 4),
        reasons=[reason_text(r, lang) for r in match.reasons],
        reason_codes=[r.code for r in match.reasons],
        illustrative=match.illustrative,
        landed_cost=_landed_summary(quote, lang) if quote else None,
    )


def _landed_summary(quote: costs.Quote, lang: str) -> LandedCostSummary:
    landed = quote.landed
    if landed is None:
        return LandedCostSummary(
            currency=quote.currency,
            target_price=quote.target,
            missing=reason_text(quote.missing, lang) if quote.missing else None,
        )
    notes = [reason_text(costs.ASSUMED_ST1, lang)] if quote.assumed_st1 else []
    notes.append(reason_text(costs.road_rate_note(), lang))
    return LandedCostSummary(
        total_per_unit=landed.total_per_unit,
        currency=landed.currency,
        target_price=quote.target,
        difference=float(landed.total_per_unit / quote.target) - 1.0,
        assumption=landed.assumption,
        components=[
            CostLine(
                name=feasibility_text(f"component.{c.name}", lang),
                amount=c.amount,
                currency=c.currency,
                assumption=c.assumption,
            )
            for c in landed.components
            if c.amount
        ],
        notes=notes,
    )


def _answer(ranking: Ranking, lang: str, quotes: Mapping[int, costs.Quote] | None = None) -> MatchList:
    empty: Reason | None = ranking.empty
    quotes = quotes or {}
    return MatchList(
        data=[
            _match_public(m, lang, quote=quotes.get(m.capability_id) if m.capability_id else None)
            for m in ranking.matches
        ],
        empty=reason_text(empty, lang) if empty else None,
        empty_code=empty.code if empty else None,
    )


def _rates(session: Session) -> list[Rate]:
    rows = session.execute(select(CurrencyRate.currency, CurrencyRate.day, CurrencyRate.uzs_per_unit))
    return [Rate(c, d, u) for c, d, u in rows]


def _import_country(session: Session, row: models.Need, buyer: Organization) -> str:
    """Where a need's part is imported to: its delivery place's country, else its buyer's."""
    place = session.get(Place, row.delivery_place_id) if row.delivery_place_id else None
    return (place.country if place else None) or buyer.country or "UZ"


def visible_capabilities(
    session: Session, actor: Actor, supplier_id: int | None = None
) -> list[p.Capability]:
    """The capabilities the actor may see (of one supplier when given), as the core's profiles."""
    stmt = _capability_rows(session, actor)
    if supplier_id is not None:
        stmt = stmt.where(models.Capability.supplier_organization_id == supplier_id)
    rows = session.execute(stmt.order_by(models.Capability.id)).all()
    return [capability_profile(c, o, actor) for c, o in rows]


def capability_records(session: Session, actor: Actor) -> Callable[[Sequence[int]], list[p.Capability]]:
    """A loader of capabilities by id, in the order asked, as the actor may see them (the few a
    ranking explains); an id the actor may not see is refused."""

    def load(ids: Sequence[int]) -> list[p.Capability]:
        wanted = [int(i) for i in ids]
        if not wanted:
            return []
        rows = session.execute(_capability_rows(session, actor).where(models.Capability.id.in_(wanted))).all()
        found = {c.id: capability_profile(c, o, actor) for c, o in rows}
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError.record("capability", missing[0])
        return [found[i] for i in wanted]

    return load


def need_matches(
    *, session: Session, actor: Actor, key: str | int, filters: MatchFilter | None = None, lang: str = "en"
) -> MatchList:
    """The best suppliers for a need, among the capabilities the actor may see, with reasons:
    through the candidate index of the stored capabilities (kept per revision), the reader's
    visibility and the buyer's own capabilities masked out before anything is scored."""
    actor.require(Permission.READ)
    filters = filters or MatchFilter()
    row, buyer = find_need(session, actor, key)
    need = need_profile(row, buyer, actor)
    return _suppliers_for(session, actor, need, buyer.id, filters, lang, _import_country(session, row, buyer))


def _suppliers_for(
    session: Session,
    actor: Actor,
    need: p.Need,
    buyer_id: int | None,
    filters: MatchFilter,
    lang: str,
    import_country: str,
) -> MatchList:
    """The ranking of a need, stored or not, over the capabilities the actor may see (the
    buyer's own left out), the offers priced landed in `import_country`."""
    rank_filters = _rank_filters(filters)
    stored = stored_capabilities(session)
    table = stored.table
    visible = stored.visible(session, actor)
    others = table.supplier_ids != (buyer_id if buyer_id is not None else -1)
    allowed = others if visible is None else visible & others
    if not allowed.any():
        return MatchList(data=[], empty=reason_text(_no_product(need), lang), empty_code="ranking_no_product")
    quotes = (
        costs.quotes(
            need,
            _priced_capabilities(session, actor, buyer_id),
            import_country=import_country,
            rates=_rates(session),
            on=today(),
        )
        if need.target_price is not None
        else {}
    )
    landed = {cid: float(q.total) for cid, q in quotes.items() if q.total is not None}
    ranking = rank_suppliers(
        need,
        table,
        on=today(),
        index=stored.index,
        allowed=allowed,
        filters=rank_filters,
        top=filters.top,
        landed_costs=landed,
        load=capability_records(session, actor),
    )
    return _answer(ranking, lang, quotes)


def _priced_capabilities(session: Session, actor: Actor, buyer_id: int | None) -> list[p.Capability]:
    """The capabilities the actor may see that state an offer (the few a ranking prices landed)."""
    stmt = _capability_rows(session, actor).where(models.Capability.unit_price.is_not(None))
    if buyer_id is not None:
        stmt = stmt.where(models.Capability.supplier_organization_id != buyer_id)
    rows = session.execute(stmt.order_by(models.Capability.id)).all()
    return [capability_profile(c, o, actor) for c, o in rows]


def part_need(*, session: Session, actor: Actor, code: str, part_number: str) -> p.Need:
    """An unsaved need of a line of a vehicle's bill: its HS code and name, delivered to the
    vehicle's plant (a site of the OEM with coordinates, else its head office), and the line's
    annual volume when the line and its parents count pieces (vehicle volume times quantities)."""
    vehicle = visible_vehicle(session=session, actor=actor, code=code)
    lines = {line.id: line for line in vehicle.lines}
    line = next((x for x in vehicle.lines if x.part_number == part_number), None)
    if line is None:
        raise NotFoundError.record("part", part_number)
    per_vehicle: Decimal | None = Decimal(1)
    current: BomLine | None = line
    while current is not None and per_vehicle is not None:
        per_vehicle = per_vehicle * current.quantity if current.unit in PIECES else None
        current = lines.get(current.parent_id) if current.parent_id is not None else None
    volume = int(per_vehicle * vehicle.annual_volume) if per_vehicle and vehicle.annual_volume else None
    oem = session.get(Organization, vehicle.oem_organization_id) if vehicle.oem_organization_id else None
    return p.Need(
        ref=f"{vehicle.code} {line.part_number}",
        buyer_id=oem.id if oem else None,
        buyer=oem.name if oem else vehicle.oem,
        buyer_tier=oem.tier if oem else None,
        hs_code=line.hs_code,
        part=line.name,
        annual_volume=volume or None,
        delivery_place=_plant(session, oem) if oem else None,
        visibility=Visibility(vehicle.visibility),
        illustrative=vehicle.illustrative,
    )


def _plant(session: Session, oem: Organization) -> p.Location | None:
    sites = session.scalars(select(Site).where(Site.organization_id == oem.id).order_by(Site.id))
    places: list[Place | None] = [s.place for s in sites]
    if oem.head_office_id is not None:
        places.append(session.get(Place, oem.head_office_id))
    found = next((x for x in places if x and x.latitude is not None and x.longitude is not None), None)
    return _location(found) if found else None


def part_matches(
    *,
    session: Session,
    actor: Actor,
    code: str,
    part_number: str,
    filters: MatchFilter | None = None,
    lang: str = "en",
) -> PartMatches:
    """Who can make a line of a vehicle's bill: the suppliers ranked for its unsaved need (the
    same ranking as a stored need's, over the capabilities the actor may see); nothing stored."""
    actor.require(Permission.READ)
    need = part_need(session=session, actor=actor, code=code, part_number=part_number)
    place = need.delivery_place
    plant = session.get(Place, place.place_id) if place and place.place_id else None
    country = (plant.country if plant else None) or visible_vehicle(
        session=session, actor=actor, code=code
    ).production_country
    ranking = _suppliers_for(session, actor, need, need.buyer_id, filters or MatchFilter(), lang, country)
    return PartMatches(
        vehicle=code,
        part_number=part_number,
        part=need.part or part_number,
        hs_code=need.hs_code,
        buyer_id=need.buyer_id,
        buyer=need.buyer,
        annual_volume=need.annual_volume,
        delivery_place=need.delivery_place,
        illustrative=need.illustrative,
        **ranking.model_dump(),
    )


def _no_product(need: p.Need) -> Reason:
    product = " / ".join(x for x in (f"HS {need.hs_label}" if need.hs_label else None, need.part) if x)
    product = product or (need.description.values() or [""])[0][:80]
    return Reason(
        code="ranking_no_product",
        params={"product": product},
        text=f"no supplier shows that it makes {product}",
    )


def supplier_name(*, session: Session, actor: Actor, organization_id: int) -> str:
    """The name of a live registry organization, for the page of its opportunities."""
    actor.require(Permission.READ)
    org = session.get(Organization, organization_id)
    if org is None or org.merged_into_id is not None:
        raise NotFoundError.record("organization", organization_id)
    return org.name


@dataclass(frozen=True)
class VisibleNeeds:
    """The needs one kind of reader may see, as it sees them, indexed by the keys that prove a
    product; with each need's buyer (also of anonymous needs, to leave a supplier's own out)."""

    index: NeedIndex
    buyers: dict[int, int]


#: Visible needs kept until a need or an organization is written, per kind of reader.
_NEEDS_KEPT: PerKey[VisibleNeeds] = PerKey(models.Stamp.NEEDS, size=32)


def visible_needs(session: Session, actor: Actor) -> VisibleNeeds:
    """The needs `actor` may see, indexed (kept per revision of the needs and kind of reader)."""

    def build() -> VisibleNeeds:
        rows = session.execute(_need_rows(session, actor).order_by(models.Need.id)).all()
        return VisibleNeeds(
            index=NeedIndex([need_profile(n, o, actor) for n, o in rows]),
            buyers={n.id: n.buyer_organization_id for n, _ in rows},
        )

    return _NEEDS_KEPT.get(session, reader_key(actor), build)


def supplier_opportunities(
    *,
    session: Session,
    actor: Actor,
    organization_id: int,
    filters: MatchFilter | None = None,
    lang: str = "en",
) -> MatchList:
    """The needs the actor may see that a supplier's visible capabilities serve best: its rows
    of the stored table the actor may see, against the index of the visible needs."""
    actor.require(Permission.READ)
    filters = filters or MatchFilter()
    org = session.get(Organization, organization_id)
    if org is None or org.merged_into_id is not None:
        raise NotFoundError.record("organization", organization_id)
    stored = stored_capabilities(session)
    rows = stored.rows_of(organization_id, stored.visible(session, actor))
    ids = sorted(int(i) for i in stored.table.ids[rows])
    if not ids:
        empty = Reason(
            code="ranking_no_capability", params={}, text="no capability of this supplier is stated"
        )
        return MatchList(data=[], empty=reason_text(empty, lang), empty_code=empty.code)
    capabilities = capability_records(session, actor)(ids)
    needs = visible_needs(session, actor)
    others = {i for i, buyer in needs.buyers.items() if buyer != organization_id}
    ranking = rank_needs(capabilities, needs.index, on=today(), allowed=others, top=filters.top)
    return _answer(ranking, lang)


# ---------------------------------------------------------------- feedback


def add_feedback(*, session: Session, actor: Actor, need_id: int, data: FeedbackIn) -> FeedbackPublic:
    """Keep a user's mark on a supplier shown for a need (the need and capability seen by them)."""
    actor.require(Permission.READ)
    if not actor.signed_in:
        from cooplab.errors import UnauthorizedError

        raise UnauthorizedError("sign in first")
    need = visible_or_404(session, models.Need, need_id, actor, "need")
    supplier = session.get(Organization, data.supplier_id)
    if supplier is None:
        raise NotFoundError.record("organization", data.supplier_id)
    if data.capability_id is not None:
        cap = visible_or_404(session, models.Capability, data.capability_id, actor, "capability")
        if cap.supplier_organization_id != supplier.id:
            raise InvalidInputError(
                "the capability is not the supplier's",
                details=[
                    field_error(
                        ["capability_id"], "the capability is not the supplier's", "capability_not_suppliers"
                    )
                ],
            )
    row = models.MatchFeedback(
        need_id=need.id,
        supplier_organization_id=supplier.id,
        capability_id=data.capability_id,
        judgement=data.judgement.value,
        user_id=actor.user_id,
        actor_label=actor.label,
        note=data.note,
    )
    session.add(row)
    flush(session)
    return FeedbackPublic(
        id=row.id,
        need_id=row.need_id,
        supplier_id=row.supplier_organization_id,
        capability_id=row.capability_id,
        judgement=data.judgement,
        user_id=row.user_id,
        note=row.note,
        created_at=row.created_at,
    )


def my_marks(*, session: Session, actor: Actor, need_id: int) -> dict[int, Judgement]:
    """Supplier id -> the actor's latest mark on it for a need they may see (none when not
    signed in)."""
    actor.require(Permission.READ)
    if not actor.signed_in or actor.user_id is None:
        return {}
    need = visible_or_404(session, models.Need, need_id, actor, "need")
    rows = session.execute(
        select(models.MatchFeedback.supplier_organization_id, models.MatchFeedback.judgement)
        .where(models.MatchFeedback.need_id == need.id, models.MatchFeedback.user_id == actor.user_id)
        .order_by(models.MatchFeedback.id)
    ).all()
    return {supplier: Judgement(judgement) for supplier, judgement in rows}


# ---------------------------------------------------------------- demo


def load_demo(*, session: Session, actor: Actor) -> list[str]:
    """`cooplab demo`: the labelled set's needs (every one illustrative) and the sourced product
    lines of the registry's suppliers (with their source), shared with signed-in members; rows
    whose organization or place the registry lacks are left out. Nothing when already loaded."""
    from importlib import resources

    folder = resources.files("cooplab.data").joinpath("matching/evaluation")
    if session.scalar(select(models.Need.id).where(models.Need.illustrative.is_(True)).limit(1)) is not None:
        return ["matching: illustrative needs already present"]
    orgs, places = organization_refs(session), place_locations(session)

    def known(row: dict[str, str]) -> bool:
        org = row.get("supplier") or row.get("buyer") or ""
        place = row.get("site") or row.get("delivery_place") or ""
        return len(orgs(org)) == 1 and all(len(places(x.strip())) == 1 for x in place.split(";") if x.strip())

    files = {}
    for name in ("capabilities.csv", "needs.csv"):
        rows = list(csv.DictReader(io.StringIO(folder.joinpath(name).read_text("utf-8"))))
        kept = [{**row, "visibility": Visibility.MEMBERS.value} for row in rows if known(row)]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*rows[0].keys(), "visibility"])
        writer.writeheader()
        writer.writerows(kept)
        files[name] = out.getvalue().encode("utf-8")
    done = import_workbook(session=session, actor=actor, files=files)
    offers = _demo_offers(session, actor, places)
    return [
        f"loaded {done.needs} needs (illustrative) and {done.capabilities} capabilities of registry "
        f"suppliers (their sourced product lines) for matching, and {offers} illustrative suppliers "
        "with offer prices"
    ]


def _demo_offers(session: Session, actor: Actor, places: Callable[[str], list[p.Location]]) -> int:
    """The demo's made-up suppliers with offer prices (src/cooplab/data/matching/demo_offers.yaml),
    marked illustrative in the registry and here; those whose site the registry lacks are left out."""
    from importlib import resources

    text = resources.files("cooplab.data").joinpath("matching/demo_offers.yaml").read_text("utf-8")
    done = 0
    for item in yaml.safe_load(text):
        site = places(item["site"])
        if len(site) != 1 or site[0].place_id is None:
            continue
        org = create_organization(
            session=session,
            actor=actor,
            data=OrganizationCreate(
                kind="supplier",
                tier=item["tier"],
                country=item["country"],
                head_office_id=site[0].place_id,
                illustrative=True,
                names=[NameIn(value=v, lang=k) for k, v in item["names"].items()],
            ),
        )
        create_capability(
            session=session,
            actor=actor,
            data=CapabilityIn(
                supplier_id=org.id,
                hs_codes=item["hs_codes"],
                processes=item["processes"],
                annual_capacity=item["annual_capacity"],
                site_ids=[site[0].place_id],
                description=p.Texts(**item["description"]),
                visibility=Visibility.MEMBERS,
                illustrative=True,
                offer=p.Offer(**item["offer"]),
            ),
        )
        done += 1
    return done
