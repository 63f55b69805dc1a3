"""Identifiers claimed by members: the analysts' queue. A number a member sets on its own
organization is stored unverified (cooplab.registry.service.sets_verified); an analyst verifies
it, which makes it the one holder of the number, or rejects it, which removes it. A claim of a
number that another organization also claims or already holds verified is a conflict, listed
first; the first claimant wins nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from pydantic import BaseModel
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from cooplab.core.actor import Actor, Permission
from cooplab.core.records import flush
from cooplab.core.schemas import ListPublic
from cooplab.errors import ConflictError, NotFoundError
from cooplab.registry.models import Identifier, Organization
from cooplab.registry.schemas import IdentifierPublic, OrganizationRef
from cooplab.registry.service import CONFLICTS, _drop_citations, display_names
from cooplab.vocab.choices import EntityType


class IdentifierHolder(BaseModel):
    """Another organization with the same number, and whether its number is verified."""

    identifier: IdentifierPublic
    organization: OrganizationRef


class IdentifierClaim(BaseModel):
    """An unverified identifier, its organization, and the other holders of the same number
    (`conflict` when there are any)."""

    identifier: IdentifierPublic
    organization: OrganizationRef
    conflict: bool
    holders: list[IdentifierHolder]


def _require_editor(actor: Actor) -> None:
    replace(actor, can_write=True).require(Permission.EDIT_REGISTRY)  # a read-only token may read


def list_claims(
    *,
    session: Session,
    actor: Actor,
    conflicts_only: bool = False,
    offset: int = 0,
    limit: int = 100,
    lang: str | None = None,
) -> ListPublic[IdentifierClaim]:
    """The unverified identifiers, conflicts first, then by scheme and number (analysts and
    admins; a read-only token of theirs will do)."""
    _require_editor(actor)
    other = aliased(Identifier)
    clash = (
        exists()
        .where(
            other.scheme == Identifier.scheme,
            other.value == Identifier.value,
            other.organization_id != Identifier.organization_id,
        )
        .correlate(Identifier)
    )
    stmt = (
        select(Identifier.id, clash.label("conflict"))
        .join(Organization, Organization.id == Identifier.organization_id)
        .where(~Identifier.verified, Organization.merged_into_id.is_(None))
    )
    if conflicts_only:
        stmt = stmt.where(clash)
    count = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.order_by(clash.desc(), Identifier.scheme, Identifier.value, Identifier.id)
        .offset(offset)
        .limit(limit)
    ).all()
    claims = {
        i.id: i for i in session.scalars(select(Identifier).where(Identifier.id.in_([r.id for r in rows])))
    }
    pairs = {(c.scheme, c.value) for c in claims.values()}
    same: dict[tuple[str, str], list[Identifier]] = defaultdict(list)
    for scheme in {s for s, _ in pairs}:
        values = [v for s, v in pairs if s == scheme]
        for ident in session.scalars(
            select(Identifier)
            .join(Organization, Organization.id == Identifier.organization_id)
            .where(
                Identifier.scheme == scheme,
                Identifier.value.in_(values),
                Organization.merged_into_id.is_(None),
            )
            .order_by(Identifier.verified.desc(), Identifier.id)
        ):
            same[ident.scheme, ident.value].append(ident)
    org_ids = {i.organization_id for group in same.values() for i in group}
    orgs = {o.id: o for o in session.scalars(select(Organization).where(Organization.id.in_(org_ids)))}
    names = display_names(session, lang, EntityType.ORGANIZATION, org_ids)

    def ref(org_id: int) -> OrganizationRef:
        found = OrganizationRef.model_validate(orgs[org_id])
        found.name = names.get(org_id, found.name)
        return found

    data = []
    for row in rows:
        claim = claims[row.id]
        holders = [
            IdentifierHolder(
                identifier=IdentifierPublic.model_validate(i), organization=ref(i.organization_id)
            )
            for i in same[claim.scheme, claim.value]
            if i.organization_id != claim.organization_id
        ]
        data.append(
            IdentifierClaim(
                identifier=IdentifierPublic.model_validate(claim),
                organization=ref(claim.organization_id),
                conflict=bool(holders),
                holders=holders,
            )
        )
    return ListPublic[IdentifierClaim](data=data, count=count)


def _claim(session: Session, identifier_id: int) -> Identifier:
    ident = session.get(Identifier, identifier_id)
    if ident is None:
        raise NotFoundError.record("identifier", identifier_id)
    if ident.verified:
        raise ConflictError(
            f"identifier {identifier_id} is already verified", reason="identifier_verified", id=identifier_id
        )
    return ident


def verify_identifier(*, session: Session, actor: Actor, identifier_id: int) -> IdentifierPublic:
    """Confirm a claim: the number becomes its organization's, verified. Refused (409) while
    another organization holds it verified: reject one of the two first."""
    actor.require(Permission.EDIT_REGISTRY)
    ident = _claim(session, identifier_id)
    holder = session.scalar(
        select(Identifier.organization_id).where(
            Identifier.scheme == ident.scheme, Identifier.value == ident.value, Identifier.verified
        )
    )
    if holder is not None:
        raise ConflictError(
            f"{ident.scheme.upper()} {ident.value} already belongs to organization {holder}",
            reason="identifier_taken",
            id=holder,
            scheme=ident.scheme,
            value=ident.value,
        )
    ident.verified = True
    flush(session, CONFLICTS)
    return IdentifierPublic.model_validate(ident)


def reject_identifier(*, session: Session, actor: Actor, identifier_id: int) -> None:
    """Refuse a claim: the number is removed from the organization that claimed it (the audit
    log keeps who claimed it and who rejected it)."""
    actor.require(Permission.EDIT_REGISTRY)
    ident = _claim(session, identifier_id)
    _drop_citations(session, "identifier", [ident.id])
    session.delete(ident)
    flush(session, CONFLICTS)
