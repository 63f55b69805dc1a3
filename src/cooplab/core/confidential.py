"""Confidential records and who may see them: one rule, decided here, applied by every service.

A confidential model mixes in `Confidential` (a visibility, an owner organization and the user who
created it) and says which organizations are its parties, both in SQL (`parties_clause`) and on
a loaded record (`parties`), or which record it takes its visibility from (`follows`). The role
counts as much as the organization: viewers read public and members-only records alone; the
creator of a record always reads it (docs/access.md draws the rule). A row an actor may not see
is never counted, listed, matched or named in an error: services filter it out of queries
(`visible_clause`) and answer "does not exist" for it (`can_see`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Integer,
    Select,
    String,
    and_,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, object_session

from cooplab.core.actor import Actor, Role
from cooplab.errors import NotFoundError
from cooplab.vocab.choices import Visibility

R = TypeVar("R")

#: The roles whose organization's private and parties-only records they read (viewers read public
#: and members-only records alone, whatever their organization; admins read everything).
SCOPED_ROLES = frozenset({Role.MEMBER, Role.ANALYST})


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

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        """The user who created the record: they always see it."""
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @classmethod
    def follows(cls) -> tuple[Any, Any] | None:
        """The link column and the model of the record whose visibility this one takes whenever
        the link is set (a mission's events, a document accepted into a mission); None when
        the record stands on its own visibility."""
        return None

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


def _own_clause(model: Any, actor: Actor) -> ColumnElement[bool]:
    """The rule on the record's own visibility, owner and parties."""
    v = model.visibility
    allowed: list[ColumnElement[bool]] = [v == Visibility.PUBLIC.value]
    if actor.signed_in:
        allowed.append(v == Visibility.MEMBERS.value)
    if actor.role == Role.ANALYST:
        allowed.append(v == Visibility.ORGANIZATION.value)
    if actor.organization_id is not None and actor.role in SCOPED_ROLES:
        allowed.append(
            and_(v == Visibility.ORGANIZATION.value, model.owner_organization_id == actor.organization_id)
        )
        allowed.append(and_(v == Visibility.PARTIES.value, model.parties_clause(actor.organization_id)))
    return or_(*allowed)


def visible_clause(model: Any, actor: Actor) -> ColumnElement[bool]:
    """The SQL condition that keeps the rows of `model` that `actor` may see."""
    if actor.role == Role.ADMIN:
        return true()
    mine = model.created_by_id == actor.user_id if actor.user_id is not None else false()
    link = model.follows()
    if link is None:
        return or_(mine, _own_clause(model, actor))
    column, parent = link
    return or_(
        mine,
        and_(column.is_(None), _own_clause(model, actor)),
        column.in_(select(parent.id).where(visible_clause(parent, actor))),
    )


def can_see(record: Any, actor: Actor) -> bool:
    """The same rule for one loaded record."""
    if actor.role == Role.ADMIN:
        return True
    if actor.user_id is not None and record.created_by_id == actor.user_id:
        return True
    link = type(record).follows()
    if link is not None:
        column, parent = link
        parent_id = getattr(record, column.key)
        if parent_id is not None:
            session = object_session(record)
            followed = session.get(parent, parent_id) if session is not None else None
            return followed is not None and can_see(followed, actor)
    v = record.visibility
    if v == Visibility.PUBLIC:
        return True
    if not actor.signed_in:
        return False
    if v == Visibility.MEMBERS:
        return True
    scoped = actor.organization_id is not None and actor.role in SCOPED_ROLES
    if v == Visibility.ORGANIZATION:
        return actor.role == Role.ANALYST or (
            scoped and record.owner_organization_id == actor.organization_id
        )
    if v == Visibility.PARTIES:
        return scoped and actor.organization_id in record.parties()
    return False


def visible_or_404(session: Session, model: type[R], record_id: int, actor: Actor, what: str) -> R:
    """The record, if the actor may see it; else the same 404 as for an id that does not exist,
    found by the same one statement, so neither the answer nor its time tells them apart."""
    found = session.scalar(select(model).where(model.id == record_id, visible_clause(model, actor)))  # type: ignore[attr-defined, arg-type]
    if found is None:
        raise NotFoundError.record(what, record_id)
    return found


def hidden_count(session: Session, stmt: Select[Any], actor: Actor, shown: int) -> int:
    """How many rows of `stmt` (a query before the visibility rule) are kept from a signed-in
    reader who is shown `shown` of them, so a page can say that more exist; a visitor is told
    nothing, an admin sees everything."""
    if not actor.signed_in or actor.role == Role.ADMIN:
        return 0
    total = session.scalar(stmt.with_only_columns(func.count(), maintain_column_froms=True).order_by(None))
    return max((total or 0) - shown, 0)


def reader_key(actor: Actor) -> str:
    """What decides what `actor` may see, as a key: readers with the same key see the same."""
    if actor.role == Role.ADMIN:
        return "admin"
    return f"{actor.role or ''}:{actor.organization_id or ''}:{actor.user_id or ''}"


Restriction = Callable[[Actor], ColumnElement[bool]]
_RESTRICTIONS: dict[type, list[Restriction]] = {}


def restrict(model: type, condition: Restriction) -> None:
    """Hide rows of a record that is not confidential itself behind another that is: a domain
    says, for example, that a source its documents created is seen only with the document."""
    _RESTRICTIONS.setdefault(model, []).append(condition)


def restricted_clause(model: type, actor: Actor) -> ColumnElement[bool]:
    """The SQL condition that keeps the rows of `model` that every restriction on it lets
    `actor` see (all of them when none is declared)."""
    if actor.role == Role.ADMIN:
        return true()
    return and_(true(), *(condition(actor) for condition in _RESTRICTIONS.get(model, [])))
