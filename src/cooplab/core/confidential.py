"""Confidential records and who may see them: one rule, decided here, applied by every service.

A confidential model mixes in `Confidential` (a visibility and an owner organization) and says
which organizations are its parties, both in SQL (`parties_clause`) and on a loaded record
(`parties`). A row an actor may not see is never counted, listed, matched or named in an error:
services filter it out of queries (`visible_clause`) and answer "does not exist" for it
(`can_see`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import ColumnElement, ForeignKey, Integer, String, and_, false, or_, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from cooplab.core.actor import Actor, Role
from cooplab.vocab.choices import Visibility


class Confidential:
    """A visibility and an owner organization; subclasses set `DEFAULT_VISIBILITY` and say who
    their parties are."""

    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.MEMBERS

    @declared_attr
    def visibility(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(String(20), default=cls.DEFAULT_VISIBILITY.value)

    owner_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )

    @classmethod
    def parties_clause(cls, organization_id: int) -> ColumnElement[bool]:
        """The rows that name `organization_id` as a party (none by default)."""
        return false()

    def parties(self) -> set[int]:
        """The organizations this record names as parties."""
        return set()


class Versioned:
    """An integer version that moves with every update, refusing a write made on an old one."""

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def visible_clause(model: Any, actor: Actor) -> ColumnElement[bool]:
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
        allowed.append(
            and_(v == Visibility.ORGANIZATION.value, model.owner_organization_id == actor.organization_id)
        )
        allowed.append(and_(v == Visibility.PARTIES.value, model.parties_clause(actor.organization_id)))
    return or_(*allowed)


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
            actor.organization_id is not None and record.owner_organization_id == actor.organization_id
        )
    if v == Visibility.PARTIES:
        return actor.organization_id is not None and actor.organization_id in record.parties()
    return False
