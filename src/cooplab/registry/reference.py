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
    NameIn,
    OrganizationCreate,
    PersonCreate,
    PlaceCreate,
    PositionIn,
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


def _cite(session: Session, subject_type: str, subject_id: int, source: Any,
          field: str | None = None) -> None:
    if source is None:
        return
    exists = session.scalar(select(Citation.id).where(
        Citation.subject_type == subject_type, Citation.subject_id == subject_id,
        Citation.source_id == source.id, Citation.field.is_(None) if field is None else Citation.field == field))
    if exists is None:
        session.add(Citation(subject_type=subject_type, subject_id=subject_id, source_id=source.id, field=field))


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
    return [f"loaded {report.organizations} organizations, {report.people} people, "
            f"{report.places} places, {report.sources} sources (already present records kept)"]


def _load_sources(session: Session, actor: Actor, report: LoadReport) -> dict[str, Source]:
    found: dict[str, Source] = {}
    for row in _yaml("sources.yaml"):
        source = session.scalar(select(Source).where(Source.key == row["key"]))
        if source is None:
            data = SourceCreate(title=row["title"], url=row.get("url"),
                                published=row.get("published"), as_of=row.get("as_of"))
            source = service.create_source(session=session, actor=actor, data=data, key=row["key"])
            report.sources += 1
        found[row["key"]] = source
    return found


def _load_places(session: Session, actor: Actor, sources: dict[str, Any], report: LoadReport) -> dict[str, Place]:
    found: dict[str, Place] = {}
    with (DATA / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        names = [NameIn(value=row[f"name_{lang}"], lang=lang) for lang in ("ru", "en", "uz") if row[f"name_{lang}"]]
        names += [NameIn(value=v, kind="transliteration") for v in row["other_names"].split("|") if v.strip()]
        geonames_id = int(row["geonames_id"]) if row["geonames_id"] else None
        place = None
        if geonames_id:
            place = session.scalar(select(Place).where(Place.geonames_id == geonames_id))
        if place is None:
            place = session.scalar(select(Place).where(Place.name == names[0].value, Place.country == row["country"]))
        if place is None:
            place = service.create_place(session=session, actor=actor, data=PlaceCreate(
                kind=row["kind"], country=row["country"], names=names, geonames_id=geonames_id,
                parent_id=found[row["parent_key"]].id if row["parent_key"] else None,
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
            ))
            report.places += 1
        _cite(session, "place", place.id, sources.get(row["source"]))
        found[row["key"]] = place
    return found


def _find_organization(session: Session, names: list[NameIn]) -> Organization | None:
    keys = [name_key(n.value) for n in names]
    return session.scalar(
        select(Organization).join(OrganizationName)
        .where(OrganizationName.key.in_(keys), Organization.merged_into_id.is_(None)).limit(1)
    )


def _load_organizations(session: Session, actor: Actor, sources: dict[str, Any], places: dict[str, Any],
                        report: LoadReport) -> dict[str, Organization]:
    rows = _yaml("organizations.yaml")
    found: dict[str, Organization] = {}
    for row in rows:
        names = [NameIn(**n) for n in row["names"]]
        org = _find_organization(session, names)
        if org is None:
            org = service.create_organization(session=session, actor=actor, data=OrganizationCreate(
                names=names, kind=row["kind"], tier=row.get("tier"), country=row.get("country"),
                head_office_id=places[row["head_office"]].id if row.get("head_office") else None,
                website=row.get("website"), description=row.get("description"),
                illustrative=bool(row.get("illustrative")), identifiers=row.get("identifiers") or [],
            ))
            report.organizations += 1
        found[row["key"]] = org
        for key in row.get("sources") or []:
            _cite(session, "organization", org.id, sources[key])
        for place_key in row.get("sites") or []:
            place = places[place_key]
            if session.scalar(select(Site.id).where(Site.organization_id == org.id, Site.place_id == place.id)) is None:
                session.add(Site(organization_id=org.id, place_id=place.id))
    session.flush()
    for row in rows:
        org = found[row["key"]]
        for link in row.get("owners") or []:
            owner = found[link["owner"]]
            ownership = session.scalar(select(Ownership).where(
                Ownership.owner_id == owner.id, Ownership.owned_id == org.id))
            if ownership is None:
                share = link.get("share")
                ownership = Ownership(owner_id=owner.id, owned_id=org.id, start=link.get("start"),
                                      end=link.get("end"), share=Decimal(str(share)) if share is not None else None)
                session.add(ownership)
                session.flush()
            _cite(session, "ownership", ownership.id, sources.get(link.get("source") or ""))
        for link in row.get("member_of") or []:
            group = found[link["group"]]
            membership = session.scalar(select(Membership).where(
                Membership.member_id == org.id, Membership.group_id == group.id))
            if membership is None:
                membership = Membership(member_id=org.id, group_id=group.id, start=link.get("start"))
                session.add(membership)
                session.flush()
            _cite(session, "membership", membership.id, sources.get(link.get("source") or ""))
    return found


def _load_people(session: Session, actor: Actor, sources: dict[str, Any], orgs: dict[str, Any],
                 report: LoadReport) -> None:
    for row in _yaml("people.yaml"):
        names = [NameIn(**n) for n in row["names"]]
        person = session.scalar(select(Person).join(PersonName).where(
            PersonName.key.in_([name_key(n.value) for n in names])).limit(1))
        if person is None:
            person = service.create_person(session=session, actor=actor, data=PersonCreate(names=names))
            report.people += 1
        for pos in row.get("positions") or []:
            org = orgs[pos["organization"]]
            position = session.scalar(select(Position).where(
                Position.person_id == person.id, Position.organization_id == org.id,
                Position.title == pos["title"]))
            if position is None:
                position = service.add_position(session=session, actor=actor, person_id=person.id, data=PositionIn(
                    organization_id=org.id, title=pos["title"], title_en=pos.get("title_en"),
                    start=_date(pos.get("start")), end=_date(pos.get("end"))))
            _cite(session, "position", position.id, sources.get(pos.get("source") or ""))


def _date(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))
