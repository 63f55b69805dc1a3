"""Visibility of confidential records, decided once here and applied by every service query.

A confidential model has `visibility`, `owner_organization_id` and a class method
`parties_clause(organization_id)` saying which rows name that organization as a party.
A row an actor may not see is never counted, listed, matched or named in an error: services
filter it out of queries and answer "does not exist" for it.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, false, or_, true

from cooplab.accounts.roles import Actor, Role, Visibility


class Confidential(Protocol):
    visibility: Any
    owner_organization_id: Any

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]: ...


def visible_clause(model: type[Confidential], actor: Actor) -> ColumnElement[bool]:
    """The SQL condition that keeps the rows of `model` that `actor` may see."""
    if actor.role == Role.ADMIN:
        return true()
    v = model.visibility
    allowed: list[ColumnElement[bool]] = [v == Visibility.PUBLIC.value]
    if actor.signed_in:
        allowed.append(v == Visibility.MEMBERS.value)
    if actor.role == Role.ANALYST:
        allowed.append(v == Visibility.ORGANIZATION.value)
    if actor.organization_id is not None and actor.signed_in:
        allowed.append(and_(v == Visibility.ORGANIZATION.value,
                            model.owner_organization_id == actor.organization_id))
        allowed.append(and_(v == Visibility.PARTIES.value, model.parties_clause(actor.organization_id)))
    return or_(*allowed) if allowed else false()


def can_see(record: Any, actor: Actor) -> bool:
    """The same rule for one loaded record."""
    if actor.role == Role.ADMIN:
        return True
    v = record.visibility
    if v == Visibility.PUBLIC:
        return True
    if not actor.signed_in:
        return False
    if v == Visibility.MEMBERS:
        return True
    if v == Visibility.ORGANIZATION:
        return actor.role == Role.ANALYST or (
            actor.organization_id is not None and record.owner_organization_id == actor.organization_id)
    if v == Visibility.PARTIES:
        return actor.organization_id is not None and actor.organization_id in record.parties()
    return False
