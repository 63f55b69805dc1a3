"""Records for tests, built through the services (the same path users take)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.registry import service
from cooplab.registry.models import Organization, Person, Place
from cooplab.registry.schemas import OrganizationCreate, PersonCreate, PlaceCreate


def make_place(session: Session, name: str = "Андижан", **fields: Any) -> Place:
    names = fields.pop("names", [{"value": name, "lang": "ru"}])
    data = PlaceCreate(names=names, country=fields.pop("country", "UZ"), **fields)
    return service.create_place(session=session, data=data)


def make_org(session: Session, name: str = "UzAuto Motors", **fields: Any) -> Organization:
    names = fields.pop("names", [{"value": name}])
    data = OrganizationCreate(names=names, kind=fields.pop("kind", "oem"), **fields)
    return service.create_organization(session=session, data=data)


def make_person(session: Session, name: str = "Андрей Крайнов", **fields: Any) -> Person:
    names = fields.pop("names", [{"value": name, "lang": "ru"}])
    return service.create_person(session=session, data=PersonCreate(names=names, **fields))
