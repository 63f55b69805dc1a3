"""Records for tests, built through the services (the same path users take)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.schemas import (
    OrganizationCreate,
    OrganizationPublic,
    PersonCreate,
    PersonPublic,
    PlaceCreate,
    PlaceDetail,
)


def make_place(session: Session, name: str = "Андижан", **fields: Any) -> PlaceDetail:
    names = fields.pop("names", [{"value": name, "lang": "ru"}])
    data = PlaceCreate(names=names, country=fields.pop("country", "UZ"), **fields)
    return service.create_place(session=session, actor=SYSTEM, data=data)


def make_org(session: Session, name: str = "UzAuto Motors", **fields: Any) -> OrganizationPublic:
    names = fields.pop("names", [{"value": name}])
    data = OrganizationCreate(names=names, kind=fields.pop("kind", "oem"), **fields)
    return service.create_organization(session=session, actor=SYSTEM, data=data)


def make_person(session: Session, name: str = "Андрей Крайнов", **fields: Any) -> PersonPublic:
    names = fields.pop("names", [{"value": name, "lang": "ru"}])
    return service.create_person(session=session, actor=SYSTEM, data=PersonCreate(names=names, **fields))


def make_user(
    session: Session,
    role: str = "admin",
    organization_id: int | None = None,
    email: str | None = None,
    password: str = "correct horse battery",
    name: str | None = None,
):
    from cooplab.accounts import service as accounts
    from cooplab.accounts.schemas import UserCreate

    return accounts.create_user(
        session=session,
        actor=SYSTEM,
        data=UserCreate(
            email=email or f"{role}{organization_id or ''}@example.org",
            name=name or role.title(),
            password=password,
            role=role,
            organization_id=organization_id,
        ),
    )


def make_actor(session: Session, role: str = "member", organization_id: int | None = None, **fields: Any):
    """A real user of that role and organization, as the actor services take."""
    from cooplab.core.actor import Actor, Role

    user = make_user(session, role, organization_id, **fields)
    return Actor(user_id=user.id, label=user.email, role=Role(role), organization_id=organization_id)


def make_token(session: Session, user, scope: str = "write", days: int | None = 30) -> str:
    from cooplab.accounts import service as accounts
    from cooplab.accounts.schemas import TokenCreate

    raw, _ = accounts.create_token(
        session=session, actor=SYSTEM, user_id=user.id, data=TokenCreate(name="test", scope=scope, days=days)
    )
    return raw
