"""Load the reference and demo data shipped in cooplab/data: sources, places, organizations,
people, each fact citing its source. Loading twice changes nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM, Actor, Permission
from cooplab.registry import service
from cooplab.registry.models import (
    Citation,
    Membership,
    Organization,
    OrganizationName,
    Ownership,
    Person,
    PersonName,
    Place,
    Position,
    Site,
    Source,
)
from cooplab.registry.schemas import (
    MembershipCreate,
    NameIn,
    OrganizationCreate,
    OwnershipCreate,
    PersonCreate,
    PlaceCreate,
    PositionIn,
    SiteCreate,
    SourceCreate,
)
from cooplab.vocab.names import name_key

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass
class LoadReport:
    """How many records a load created (existing ones are left as they are)."""

    sources: int = 0
    places: int = 0
    organizations: int = 0
    people: int = 0


def _yaml(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or []


def _cite(
    session: Session, subject_type: str, subject_id: int, source_id: int | None, field: str | None = None
) -> None:
    if source_id is None:
        return
    exists = session.scalar(
        select(Citation.id).where(
            Citation.subject_type == subject_type,
            Citation.subject_id == subject_id,
            Citation.source_id == source_id,
            Citation.field.is_(None) if field is None else Citation.field == field,
        )
    )
    if exists is None:
        session.add(
            Citation(subject_type=subject_type, subject_id=subject_id, source_id=source_id, field=field)
        )


def load_reference(*, session: Session, actor: Actor = SYSTEM) -> LoadReport:
    """Load sources, places, organizations and people from the shipped data files (as the
    system, unless another actor is named)."""
    actor.require(Permission.EDIT_REGISTRY)
    report = LoadReport()
    sources = _load_sources(session, actor, report)
    places = _load_places(session, actor, sources, report)
    orgs = _load_organizations(session, actor, sources, places, report)
    _load_people(session, actor, sources, orgs, report)
    session.flush()
    return report


def load_demo(*, session: Session, actor: Actor) -> list[str]:
    """`cooplab demo`: the reference data, and what was loaded."""
    report = load_reference(session=session, actor=actor)
    return [
        f"loaded {report.organizations} organizations, {report.people} people, "
        f"{report.places} places, {report.sources} sources (already present records kept)"
    ]


def _load_sources(session: Session, actor: Actor, report: LoadReport) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in _yaml("sources.yaml"):
        source_id = session.scalar(select(Source.id).where(Source.key == row["key"]))
        if source_id is None:
            data = SourceCreate(
                title=row["title"], url=row.get("url"), published=row.get("published"), as_of=row.get("as_of")
            )
            source_id = service.create_source(session=session, actor=actor, data=data, key=row["key"]).id
            report.sources += 1
        found[row["key"]] = source_id
    return found


def _load_places(
    session: Session, actor: Actor, sources: dict[str, int], report: LoadReport
) -> dict[str, int]:
    found: dict[str, int] = {}
    with (DATA / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        names = [
            NameIn(value=row[f"name_{lang}"], lang=lang) for lang in ("ru", "en", "uz") if row[f"name_{lang}"]
        ]
        names += [NameIn(value=v, kind="transliteration") for v in row["other_names"].split("|") if v.strip()]
        geonames_id = int(row["geonames_id"]) if row["geonames_id"] else None
        place_id = None
        if geonames_id:
            place_id = session.scalar(select(Place.id).where(Place.geonames_id == geonames_id))
        if place_id is None:
            place_id = session.scalar(
                select(Place.id).where(Place.name == names[0].value, Place.country == row["country"])
            )
        if place_id is None:
            place_id = service.create_place(
                session=session,
                actor=actor,
                data=PlaceCreate(
                    kind=row["kind"],
                    country=row["country"],
                    names=names,
                    geonames_id=geonames_id,
                    parent_id=found[row["parent_key"]] if row["parent_key"] else None,
                    latitude=float(row["latitude"]) if row["latitude"] else None,
                    longitude=float(row["longitude"]) if row["longitude"] else None,
                ),
            ).id
            report.places += 1
        _cite(session, "place", place_id, sources.get(row["source"]))
        found[row["key"]] = place_id
    return found


def _find_organization(session: Session, names: list[NameIn]) -> int | None:
    keys = [name_key(n.value) for n in names]
    return session.scalar(
        select(Organization.id)
        .join(OrganizationName)
        .where(OrganizationName.key.in_(keys), Organization.merged_into_id.is_(None))
        .limit(1)
    )


def _load_organizations(
    session: Session, actor: Actor, sources: dict[str, int], places: dict[str, int], report: LoadReport
) -> dict[str, int]:
    rows = _yaml("organizations.yaml")
    found: dict[str, int] = {}
    for row in rows:
        names = [NameIn(**n) for n in row["names"]]
        org_id = _find_organization(session, names)
        if org_id is None:
            org_id = service.create_organization(
                session=session,
                actor=actor,
                data=OrganizationCreate(
                    names=names,
                    kind=row["kind"],
                    tier=row.get("tier"),
                    country=row.get("country"),
                    head_office_id=places[row["head_office"]] if row.get("head_office") else None,
                    website=row.get("website"),
                    description=row.get("description"),
                    illustrative=bool(row.get("illustrative")),
                    identifiers=row.get("identifiers") or [],
                ),
            ).id
            report.organizations += 1
        found[row["key"]] = org_id
        for key in row.get("sources") or []:
            _cite(session, "organization", org_id, sources[key])
        for place_key in row.get("sites") or []:
            place_id = places[place_key]
            if (
                session.scalar(
                    select(Site.id).where(Site.organization_id == org_id, Site.place_id == place_id)
                )
                is None
            ):
                service.add_site(
                    session=session, actor=actor, organization_id=org_id, data=SiteCreate(place_id=place_id)
                )
    for row in rows:
        org_id = found[row["key"]]
        for link in row.get("owners") or []:
            owner_id = found[link["owner"]]
            ownership_id = session.scalar(
                select(Ownership.id).where(Ownership.owner_id == owner_id, Ownership.owned_id == org_id)
            )
            if ownership_id is None:
                share = link.get("share")
                ownership_id = service.add_ownership(
                    session=session,
                    actor=actor,
                    data=OwnershipCreate(
                        owner_id=owner_id,
                        owned_id=org_id,
                        start=link.get("start"),
                        end=link.get("end"),
                        share=Decimal(str(share)) if share is not None else None,
                    ),
                ).id
            _cite(session, "ownership", ownership_id, sources.get(link.get("source") or ""))
        for link in row.get("member_of") or []:
            group_id = found[link["group"]]
            membership_id = session.scalar(
                select(Membership.id).where(Membership.member_id == org_id, Membership.group_id == group_id)
            )
            if membership_id is None:
                membership_id = service.add_membership(
                    session=session,
                    actor=actor,
                    data=MembershipCreate(member_id=org_id, group_id=group_id, start=link.get("start")),
                ).id
            _cite(session, "membership", membership_id, sources.get(link.get("source") or ""))
    return found


def _load_people(
    session: Session, actor: Actor, sources: dict[str, int], orgs: dict[str, int], report: LoadReport
) -> None:
    for row in _yaml("people.yaml"):
        names = [NameIn(**n) for n in row["names"]]
        person_id = session.scalar(
            select(Person.id)
            .join(PersonName)
            .where(PersonName.key.in_([name_key(n.value) for n in names]))
            .limit(1)
        )
        if person_id is None:
            person_id = service.create_person(session=session, actor=actor, data=PersonCreate(names=names)).id
            report.people += 1
        for pos in row.get("positions") or []:
            org_id = orgs[pos["organization"]]
            position_id = session.scalar(
                select(Position.id).where(
                    Position.person_id == person_id,
                    Position.organization_id == org_id,
                    Position.title == pos["title"],
                )
            )
            if position_id is None:
                position_id = service.add_position(
                    session=session,
                    actor=actor,
                    person_id=person_id,
                    data=PositionIn(
                        organization_id=org_id,
                        title=pos["title"],
                        title_en=pos.get("title_en"),
                        start=_date(pos.get("start")),
                        end=_date(pos.get("end")),
                    ),
                ).id
            _cite(session, "position", position_id, sources.get(pos.get("source") or ""))


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))
