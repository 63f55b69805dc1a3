"""Keep the registry clean: find likely duplicate organizations, merge them, undo a merge.

Two organizations cannot share a register number (the registry refuses the second one with a
conflict), so duplicates come from names: the same organization entered twice, once in
Cyrillic, once in Latin, with and without its legal form.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import name_change, record_many
from cooplab.core.calculators import Calculator, Reason, Result, get_calculator, register
from cooplab.core.records import flush, get_or_404
from cooplab.core.revision import PerDatabase
from cooplab.core.schemas import ListPublic
from cooplab.db.base import utcnow
from cooplab.errors import ConflictError, NotFoundError
from cooplab.registry.models import (
    Citation,
    Identifier,
    Membership,
    Merge,
    Organization,
    OrganizationName,
    Ownership,
    Position,
    Site,
    Stamp,
)
from cooplab.registry.schemas import DuplicatePair, MergeResult, OrganizationPublic, OrganizationRef
from cooplab.registry.service import CONFLICTS, get_organization, organization_detail
from cooplab.vocab.choices import Activity
from cooplab.vocab.names import compact_key

_COMMON_TOKEN = 50  # tokens held by more names than this do not propose pairs on their own
#: The codes of the reasons NameMatch gives (pages say them as `reason.<code>`).
REASON_CODES = ("names_match", "names_alike")


class DuplicateRule(Calculator[Any]):
    """A rule that says how likely two names are one organization's, and why (family
    `duplicate_rule`)."""

    KIND: ClassVar[str] = "duplicate_rule"

    def score(self, a_key: str, b_key: str) -> float:
        """How alike two name keys are, 0-100 (cheap: run on every candidate pair)."""
        raise NotImplementedError

    def compute(self, a: str, b: str, a_key: str, b_key: str) -> DuplicateScore:
        """The score of two names and the reason a person reads."""
        raise NotImplementedError


class DuplicateScore(Result):
    """How alike two names are (0-100), and whether that makes them a likely duplicate."""

    score: float
    duplicate: bool


class NameMatchConfig(BaseModel):
    threshold: float = Field(
        88.0, ge=50, le=100, description="Score from which two names are a likely duplicate."
    )


@register
class NameMatch(DuplicateRule):
    """Names alike once transliterated and stripped of legal forms: the best of the token-sorted
    ratio of their keys and the ratio of their keys without spaces ("uz auto" = "uzauto")."""

    NAME = "name_match"
    Config = NameMatchConfig

    def score(self, a_key: str, b_key: str) -> float:
        return max(fuzz.token_sort_ratio(a_key, b_key), fuzz.ratio(compact_key(a_key), compact_key(b_key)))

    def compute(self, a: str, b: str, a_key: str, b_key: str) -> DuplicateScore:
        score = self.score(a_key, b_key)
        how = "exactly" if score == 100 else f"at {score:.0f}/100"
        reason = self.reason(
            REASON_CODES[0] if score == 100 else REASON_CODES[1],
            "names «{a}» and «{b}» match " + how + " after transliteration and removal of legal forms",
            a=a,
            b=b,
            score=round(score),
        )
        return DuplicateScore(
            calculator=self.NAME, score=score, duplicate=score >= self.config.threshold, reasons=[reason]
        )


#: (table column that points at an organization) -> the model; what a merge moves.
_LINKS: dict[str, tuple[Any, str]] = {
    "organization_names": (OrganizationName, "organization_id"),
    "identifiers": (Identifier, "organization_id"),
    "sites": (Site, "organization_id"),
    "ownerships.owner": (Ownership, "owner_id"),
    "ownerships.owned": (Ownership, "owned_id"),
    "memberships.member": (Membership, "member_id"),
    "memberships.group": (Membership, "group_id"),
    "positions": (Position, "organization_id"),
}
#: Fields of the survivor filled from the merged organization when the survivor has none.
_FILLED = ("country", "head_office_id", "website", "description", "tier")


#: A pair found: (score, one organization, the other, the reason in English, the reasons by code).
Scored = tuple[float, int, int, str, list[Reason]]

#: The pairs found by each duplicate rule (and its settings), best first, kept until the registry
#: changes: a page is a slice, and only the first request after a change scores the registry.
_found: PerDatabase[dict[str, list[Scored]]] = PerDatabase(Stamp.RECORDS, lambda _s: {})


def list_duplicates(
    *,
    session: Session,
    actor: Actor,
    offset: int = 0,
    limit: int = 200,
    rule: str = NameMatch.NAME,
    config: dict[str, Any] | None = None,
) -> ListPublic[DuplicatePair]:
    """A page of the pairs of organizations whose names match across scripts once legal forms
    are removed, by a duplicate rule of the calculator registry (`name_match` by default), best
    first, and how many there are. For analysts and admins (a read-only token will do)."""
    replace(actor, can_write=True).require(Permission.EDIT_REGISTRY)
    judge: DuplicateRule = get_calculator(DuplicateRule.KIND, rule, config)
    session.flush()  # pending writes move the stamp first, so they are never kept under the old one
    found = _found.get(session)
    key = json.dumps([rule, judge.config.model_dump(mode="json")], sort_keys=True)
    if (pairs := found.get(key)) is None:
        pairs = found[key] = _score_pairs(session, judge)
    shown = pairs[offset : offset + limit]
    orgs = (
        {
            o.id: OrganizationRef.model_validate(o)
            for o in session.scalars(
                select(Organization).where(Organization.id.in_({x for _, a, b, *_ in shown for x in (a, b)}))
            )
        }
        if shown
        else {}
    )
    data = [
        DuplicatePair(a=orgs[a], b=orgs[b], score=score, reason=reason, reasons=reasons)
        for score, a, b, reason, reasons in shown
    ]
    return ListPublic[DuplicatePair](data=data, count=len(pairs))


def find_duplicates(
    *,
    session: Session,
    actor: Actor,
    limit: int = 200,
    rule: str = NameMatch.NAME,
    config: dict[str, Any] | None = None,
) -> list[DuplicatePair]:
    """The best `limit` pairs of `list_duplicates`."""
    return list_duplicates(session=session, actor=actor, limit=limit, rule=rule, config=config).data


def _score_pairs(session: Session, judge: DuplicateRule) -> list[Scored]:
    """Every pair the rule proposes, as (score, a, b, reason), best first. Names are compared
    only within a block (the same compact key, or a shared word of three letters or more), and
    a block of more than _COMMON_TOKEN names proposes nothing: the work grows with the names,
    not with their square."""
    threshold = judge.config.threshold
    names = session.execute(
        select(OrganizationName.organization_id, OrganizationName.value, OrganizationName.key)
        .join(Organization, Organization.id == OrganizationName.organization_id)
        .where(Organization.merged_into_id.is_(None))
    ).all()
    schemes: dict[int, dict[str, str]] = defaultdict(dict)
    for org_id, scheme, value in session.execute(  # a member's unverified claim tells nothing
        select(Identifier.organization_id, Identifier.scheme, Identifier.value).where(Identifier.verified)
    ):
        schemes[org_id][scheme] = value

    blocks: dict[str, set[int]] = defaultdict(set)
    for i, (_, _, key) in enumerate(names):
        blocks["=" + compact_key(key)].add(i)
        for token in key.split():
            if len(token) >= 3:
                blocks[token].add(i)

    best: dict[tuple[int, int], tuple[float, int, int]] = {}
    for block in blocks.values():
        if len(block) < 2 or len(block) > _COMMON_TOKEN:
            continue
        members = sorted(block)
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                a, b = names[i][0], names[j][0]
                if a == b:
                    continue
                pair = (min(a, b), max(a, b))
                score = judge.score(names[i][2], names[j][2])
                if score >= threshold and score > best.get(pair, (0.0, 0, 0))[0]:
                    best[pair] = (score, i, j)

    display = dict(
        session.execute(
            select(Organization.id, Organization.name).where(Organization.merged_into_id.is_(None))
        ).all()
    )
    pairs: list[Scored] = []
    for (a, b), (_, i, j) in best.items():
        clash = [s for s in schemes[a].keys() & schemes[b].keys() if schemes[a][s] != schemes[b][s]]
        if clash:
            continue  # different register numbers: two legal entities with alike names
        judged = judge.compute(names[i][1], names[j][1], names[i][2], names[j][2])
        pairs.append((round(judged.score, 1), a, b, judged.explain(), judged.reasons))
    pairs.sort(key=lambda p: (-p[0], display[p[1]], p[1], p[2]))
    return pairs


def merge_organizations(*, session: Session, actor: Actor, survivor_id: int, merged_id: int) -> MergeResult:
    """Move every name, identifier, site, relation, position and citation of `merged` to
    `survivor`, fill the survivor's empty fields, and record what moved so it can be undone."""
    actor.require(Permission.EDIT_REGISTRY)
    if survivor_id == merged_id:
        raise ConflictError("an organization cannot be merged into itself", reason="self_merge")
    survivor = get_organization(session=session, organization_id=survivor_id)
    merged = get_organization(session=session, organization_id=merged_id)
    name_change(session, Activity.MERGE)
    moved: dict[str, list[int]] = {}
    for label, (model, column) in _LINKS.items():
        col = getattr(model, column)
        ids = list(session.scalars(select(model.id).where(col == merged_id)))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values({column: survivor_id}))
            _trail(session, model, ids, column, merged_id, survivor_id)
        moved[label] = ids
    citation_ids = list(
        session.scalars(
            select(Citation.id).where(
                Citation.subject_type == "organization", Citation.subject_id == merged_id
            )
        )
    )
    if citation_ids:
        session.execute(update(Citation).where(Citation.id.in_(citation_ids)).values(subject_id=survivor_id))
        _trail(session, Citation, citation_ids, "subject_id", merged_id, survivor_id)
    moved["citations"] = citation_ids

    before: dict[str, Any] = {}
    for field in _FILLED:
        if getattr(survivor, field) in (None, "") and getattr(merged, field) not in (None, ""):
            before[field] = getattr(survivor, field)
            setattr(survivor, field, getattr(merged, field))
    survivor.updated_at = utcnow()
    merged.merged_into_id = survivor_id
    merged.updated_at = utcnow()
    record = Merge(survivor_id=survivor_id, merged_id=merged_id, moved=moved, survivor_before=before)
    session.add(record)
    session.expire(survivor, ["names", "identifiers"])
    flush(session, CONFLICTS)
    return MergeResult(id=record.id, survivor_id=record.survivor_id, merged_id=record.merged_id)


def merge_of(*, session: Session, actor: Actor, organization_id: int) -> MergeResult:
    """The merge (not undone) that took `organization_id` into another organization, to undo it
    (analysts and admins); NotFoundError when it was not merged away."""
    replace(actor, can_write=True).require(Permission.EDIT_REGISTRY)
    record = session.scalar(
        select(Merge)
        .where(Merge.merged_id == organization_id, Merge.undone_at.is_(None))
        .order_by(Merge.id.desc())
    )
    if record is None:
        raise NotFoundError.record("merge", organization_id)
    return MergeResult(id=record.id, survivor_id=record.survivor_id, merged_id=record.merged_id)


def _trail(session: Session, model: Any, ids: list[int], column: str, old: int, new: int) -> None:
    """The audit entries of rows a merge or its undoing moved from one organization to another
    with a bulk statement (the ORM's hooks do not see those)."""
    record_many(
        session,
        [
            {
                "action": "update",
                "entity_type": model.__tablename__,
                "entity_id": row_id,
                "before": {column: old},
                "after": {column: new},
            }
            for row_id in ids
        ],
    )


def unmerge(*, session: Session, actor: Actor, merge_id: int) -> OrganizationPublic:
    """Undo a merge: both organizations are restored exactly as they were before it; answers
    the one that was merged away."""
    actor.require(Permission.EDIT_REGISTRY)
    record = get_or_404(session, Merge, merge_id, "merge")
    if record.undone_at is not None:
        raise ConflictError(f"merge {merge_id} was already undone", reason="merge_undone", id=merge_id)
    name_change(session, Activity.UNMERGE)
    later = session.scalar(
        select(Merge.id).where(
            Merge.id > record.id,
            Merge.undone_at.is_(None),
            (Merge.survivor_id.in_([record.survivor_id, record.merged_id]))
            | (Merge.merged_id.in_([record.survivor_id, record.merged_id])),
        )
    )
    if later is not None:
        raise ConflictError(
            f"undo the later merge {later} of these organizations first", reason="later_merge", id=later
        )
    for label, (model, column) in _LINKS.items():
        ids = record.moved.get(label) or []
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values({column: record.merged_id}))
            _trail(session, model, ids, column, record.survivor_id, record.merged_id)
    if record.moved.get("citations"):
        session.execute(
            update(Citation)
            .where(Citation.id.in_(record.moved["citations"]))
            .values(subject_id=record.merged_id)
        )
        _trail(
            session, Citation, record.moved["citations"], "subject_id", record.survivor_id, record.merged_id
        )
    survivor = session.get(Organization, record.survivor_id)
    merged = session.get(Organization, record.merged_id)
    assert survivor is not None and merged is not None
    for field, value in record.survivor_before.items():
        setattr(survivor, field, value)
    survivor.updated_at = utcnow()
    merged.merged_into_id = None
    merged.updated_at = utcnow()
    record.undone_at = utcnow()
    session.expire(survivor, ["names", "identifiers"])
    flush(session, CONFLICTS)
    return organization_detail(session=session, actor=actor, organization_id=merged.id)
