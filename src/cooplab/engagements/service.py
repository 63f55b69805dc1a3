"""Rules and queries of engagements: missions, events, agreements and next steps.

Every read goes through the visibility rule (cooplab.core.confidential); every function takes the
actor and checks what it may do; answers are public shapes whose references carry display names
in the reader's language (`lang`; None keeps the stored display names)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeVar

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.confidential import can_see, hidden_count, visible_clause, visible_or_404
from cooplab.core.records import apply_changes, check_version, every, flush, page, require_ids
from cooplab.core.schemas import ListPublic, ListWithHidden
from cooplab.core.spreadsheets import write_csv, write_xlsx
from cooplab.db.base import utcnow
from cooplab.engagements.filters import ActionItemFilter, AgreementFilter
from cooplab.engagements.models import (
    ActionItem,
    Agreement,
    AgreementParty,
    Event,
    EventOrganization,
    EventPerson,
    Mission,
    MissionOrganization,
    MissionParticipant,
)
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemPublic,
    ActionItemUpdate,
    AgreementCreate,
    AgreementPublic,
    AgreementUpdate,
    EventIn,
    EventPublic,
    EventUpdate,
    MissionCreate,
    MissionOrganizationPublic,
    MissionPublic,
    MissionSummary,
    MissionUpdate,
    ParticipantIn,
    ParticipantPublic,
)
from cooplab.errors import ForbiddenError, NotFoundError
from cooplab.registry.models import Organization, Person, Place, Position, Source
from cooplab.registry.schemas import OrganizationRef, PersonRef, PlaceRef, SearchHit
from cooplab.registry.service import CONFLICTS, readable_refs
from cooplab.vocab.choices import SearchType, Visibility

R = TypeVar("R")
L = TypeVar("L")  # a link row of a record to an organization or a person


def _require_editor(actor: Actor) -> None:
    if not actor.has(Permission.EDIT_REGISTRY):
        actor.require(Permission.READ)
        raise ForbiddenError(
            "your role cannot change engagement records", reason="role_refused", role=str(actor.role)
        )


def _visible(session: Session, model: type[R], record_id: int, actor: Actor, what: str) -> R:
    return visible_or_404(session, model, record_id, actor, what)


# ---------------------------------------------------------------- public shapes


def _org(o: Organization | None) -> OrganizationRef | None:
    return OrganizationRef.model_validate(o) if o is not None else None


def _person(p: Person | None) -> PersonRef | None:
    return PersonRef(id=p.id, name=p.name) if p is not None else None


def event_public(event: Event) -> EventPublic:
    """An event as the API shows it."""
    return EventPublic(
        id=event.id,
        mission_id=event.mission_id,
        kind=event.kind,
        start=event.start,
        end=event.end,
        place=PlaceRef.model_validate(event.place) if event.place else None,
        summary=event.summary,
        organizations=[OrganizationRef.model_validate(o.organization) for o in event.organizations],
        people=[PersonRef(id=p.person.id, name=p.person.name) for p in event.people],
        visibility=event.visibility,
        version=event.version,
    )


def agreement_public(agreement: Agreement) -> AgreementPublic:
    """An agreement as the API shows it."""
    return AgreementPublic(
        id=agreement.id,
        kind=agreement.kind,
        subject=agreement.subject,
        signed_on=agreement.signed_on,
        parties=[OrganizationRef.model_validate(p.organization) for p in agreement.parties_],
        mission_id=agreement.mission_id,
        event_id=agreement.event_id,
        visibility=agreement.visibility,
        version=agreement.version,
    )


def action_public(item: ActionItem, today: date | None = None) -> ActionItemPublic:
    """A next step as the API shows it, flagged overdue when open past its due date."""
    today = today or date.today()
    public = ActionItemPublic.model_validate(
        {
            **{
                k: getattr(item, k)
                for k in (
                    "id",
                    "title",
                    "due",
                    "status",
                    "mission_id",
                    "agreement_id",
                    "visibility",
                    "version",
                )
            },
            "responsible_person": _person(item.responsible_person),
            "responsible_organization": _org(item.responsible_organization),
        }
    )
    public.overdue = bool(item.status == "open" and item.due and item.due < today)
    return public


def _event_refs(event: EventPublic) -> list[Any]:
    return [*event.organizations, *event.people, *([event.place] if event.place else [])]


def _agreement_refs(agreement: AgreementPublic) -> list[Any]:
    return list(agreement.parties)


def _action_refs(item: ActionItemPublic) -> list[Any]:
    return [r for r in (item.responsible_person, item.responsible_organization) if r is not None]


def mission_detail(
    *, session: Session, actor: Actor, mission_id: int, lang: str | None = None
) -> MissionPublic:
    """A mission with its organizations, participants, the events, agreements and next steps the
    actor may see; with `lang`, everyone and every place in it named for that reader."""
    return _mission_public(
        session, get_mission(session=session, actor=actor, mission_id=mission_id), actor, lang
    )


def _mission_public(
    session: Session, mission: Mission, actor: Actor, lang: str | None = None
) -> MissionPublic:
    agreements = session.scalars(
        select(Agreement)
        .where(Agreement.mission_id == mission.id, visible_clause(Agreement, actor))
        .order_by(Agreement.id)
    )
    actions = session.scalars(
        select(ActionItem)
        .where(ActionItem.mission_id == mission.id, visible_clause(ActionItem, actor))
        .order_by(ActionItem.due, ActionItem.id)
    )
    public = MissionPublic(
        id=mission.id,
        title=mission.title,
        start=mission.start,
        end=mission.end,
        visibility=mission.visibility,
        version=mission.version,
        description=mission.description,
        source_id=mission.source_id,
        organizations=[
            MissionOrganizationPublic(
                organization=OrganizationRef.model_validate(o.organization), role=o.role
            )
            for o in mission.organizations
        ],
        participants=[
            ParticipantPublic(
                id=p.id,
                person=PersonRef(id=p.person.id, name=p.person.name),
                organization=_org(p.organization),
                title=p.title,
            )
            for p in mission.participants
        ],
        events=[event_public(e) for e in mission.events if can_see(e, actor)],
        agreements=[agreement_public(a) for a in agreements],
        action_items=[action_public(i) for i in actions],
    )
    if actor.signed_in:
        total = {
            model: session.scalar(select(func.count()).where(model.mission_id == mission.id)) or 0
            for model in (Agreement, ActionItem)
        }
        public.hidden = {
            "events": len(mission.events) - len(public.events),
            "agreements": total[Agreement] - len(public.agreements),
            "action_items": total[ActionItem] - len(public.action_items),
        }
    readable_refs(
        session,
        lang,
        [
            *[o.organization for o in public.organizations],
            *[r for p in public.participants for r in (p.person, p.organization) if r is not None],
            *[r for e in public.events for r in _event_refs(e)],
            *[r for a in public.agreements for r in _agreement_refs(a)],
            *[r for i in public.action_items for r in _action_refs(i)],
        ],
    )
    if lang is not None and lang != "ru":
        english_titles(session, public.participants)
    return public


def english_titles(session: Session, participants: list[ParticipantPublic]) -> None:
    """Give participants their title in English where the registry has it: the English title of
    the person's position of that name at that organization."""
    people = {p.person.id for p in participants if p.title}
    if not people:
        return
    known: dict[tuple[int, int | None, str], str] = {}
    for person_id, organization_id, title, title_en in session.execute(
        select(Position.person_id, Position.organization_id, Position.title, Position.title_en).where(
            Position.person_id.in_(people), Position.title_en.is_not(None)
        )
    ):
        if title_en:
            known[(person_id, organization_id, title.casefold().strip())] = title_en
    for p in participants:
        if p.title:
            key = (p.person.id, p.organization.id if p.organization else None, p.title.casefold().strip())
            p.title = known.get(key, p.title)


# ---------------------------------------------------------------- missions


def _event_row(
    session: Session,
    data: EventIn,
    index: int,
    visibility: str,
    owner: int | None,
    source_id: int | None,
    creator: int | None,
) -> Event:
    require_ids(session, Place, [data.place_id] if data.place_id else [], "events", index, "place_id")
    require_ids(session, Organization, data.organization_ids, "events", index, "organization_ids")
    require_ids(session, Person, data.person_ids, "events", index, "person_ids")
    return Event(
        kind=data.kind.value,
        start=data.start,
        end=data.end,
        place_id=data.place_id,
        summary=data.summary,
        visibility=visibility,
        owner_organization_id=owner,
        created_by_id=creator,
        source_id=source_id,
        organizations=[EventOrganization(organization_id=i) for i in dict.fromkeys(data.organization_ids)],
        people=[EventPerson(person_id=i) for i in dict.fromkeys(data.person_ids)],
    )


def create_mission(*, session: Session, actor: Actor, data: MissionCreate) -> MissionPublic:
    """A mission with its organizations, participants and events, owned by the actor's organization."""
    _require_editor(actor)
    require_ids(session, Organization, data.organizer_ids + data.organization_ids, "organization_ids")
    require_ids(session, Person, [p.person_id for p in data.participants], "participants")
    require_ids(session, Source, [data.source_id] if data.source_id else [], "source_id")
    owner = actor.organization_id
    roles = dict.fromkeys(data.organizer_ids, "organizer")
    for i in data.organization_ids:
        roles.setdefault(i, "participant")
    mission = Mission(
        title=data.title,
        start=data.start,
        end=data.end,
        description=data.description,
        visibility=data.visibility.value,
        owner_organization_id=owner,
        created_by_id=actor.user_id,
        source_id=data.source_id,
        organizations=[MissionOrganization(organization_id=i, role=r) for i, r in roles.items()],
        participants=[MissionParticipant(**p.model_dump()) for p in data.participants],
        events=[
            _event_row(session, e, n, data.visibility.value, owner, data.source_id, actor.user_id)
            for n, e in enumerate(data.events)
        ],
    )
    session.add(mission)
    flush(session, CONFLICTS)
    return _mission_public(session, mission, actor)


def get_mission(*, session: Session, actor: Actor, mission_id: int) -> Mission:
    """The mission itself, if the actor may see it (for this domain's rules and reports)."""
    return _visible(session, Mission, mission_id, actor, "mission")


def list_missions(
    *, session: Session, actor: Actor, offset: int = 0, limit: int = 25
) -> ListWithHidden[MissionSummary]:
    """Missions the actor may see, newest first, and how many others are hidden from them."""
    stmt = select(Mission).where(visible_clause(Mission, actor))
    rows, count = page(session, stmt.order_by(Mission.start.desc(), Mission.id.desc()), offset, limit)
    return ListWithHidden(
        data=[MissionSummary.model_validate(m) for m in rows],
        count=count,
        hidden=hidden_count(session, select(Mission), actor, count),
    )


def my_missions(*, session: Session, actor: Actor, limit: int = 10) -> list[MissionSummary]:
    """Missions of the reader's own (they created it, or their organization organizes or takes
    part in it) that they may see: the coming and current ones first, soonest first, then the
    past ones, latest first."""
    if actor.user_id is None and actor.organization_id is None:
        return []
    ours = [Mission.created_by_id == actor.user_id] if actor.user_id is not None else []
    if actor.organization_id is not None:
        ours.append(
            Mission.id.in_(
                select(MissionOrganization.mission_id).where(
                    MissionOrganization.organization_id == actor.organization_id
                )
            )
        )
    today = date.today()
    ahead = or_(func.coalesce(Mission.end, Mission.start) >= today, Mission.start.is_(None))
    stmt = (
        select(Mission)
        .where(visible_clause(Mission, actor), or_(*ours))
        .order_by(
            case((ahead, 0), else_=1),
            Mission.start.is_(None),
            case((ahead, Mission.start), else_=None).asc(),
            Mission.start.desc(),
            Mission.id.desc(),
        )
        .limit(limit)
    )
    return [MissionSummary.model_validate(m) for m in session.scalars(stmt)]


def update_mission(*, session: Session, actor: Actor, mission_id: int, data: MissionUpdate) -> MissionPublic:
    """Change a mission's title, dates, description, visibility or organizations (made on
    `data.version`)."""
    _require_editor(actor)
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    apply_changes(mission, data, exclude={"organizer_ids", "organization_ids"})
    if data.organizer_ids is not None or data.organization_ids is not None:
        _set_organizations(session, mission, data.organizer_ids, data.organization_ids)
    flush(session, CONFLICTS)
    return _mission_public(session, mission, actor)


def _set_organizations(
    session: Session, mission: Mission, organizer_ids: list[int] | None, other_ids: list[int] | None
) -> None:
    """The mission's organizers and other organizations from now on (None: those kept as they
    are); an organization that stays keeps its row and, unless it becomes an organizer or stops
    being one, its role (a host stays a host)."""
    rows = {o.organization_id: o for o in mission.organizations}
    if organizer_ids is None:
        organizer_ids = [i for i, o in rows.items() if o.role == "organizer"]
    if other_ids is None:  # organizers no longer named stay in the mission as participants
        other_ids = [i for i in rows if i not in organizer_ids]
    require_ids(session, Organization, organizer_ids, "organizer_ids")
    require_ids(session, Organization, other_ids, "organization_ids")
    roles = dict.fromkeys(organizer_ids, "organizer")
    for i in other_ids:
        kept = rows.get(i)
        roles.setdefault(i, kept.role if kept is not None and kept.role != "organizer" else "participant")
    mission.organizations = [
        rows.get(i) or MissionOrganization(organization_id=i, role=role) for i, role in roles.items()
    ]
    for i, role in roles.items():
        if rows.get(i) is not None and rows[i].role != role:
            rows[i].role = role


def delete_mission(*, session: Session, actor: Actor, mission_id: int) -> None:
    """Delete a mission with its events and participants."""
    _require_editor(actor)
    session.delete(get_mission(session=session, actor=actor, mission_id=mission_id))
    flush(session, CONFLICTS)


def add_event(*, session: Session, actor: Actor, mission_id: int, data: EventIn) -> EventPublic:
    """A new event of a mission, as visible as the mission."""
    _require_editor(actor)
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    event = _event_row(
        session,
        data,
        0,
        mission.visibility,
        mission.owner_organization_id,
        mission.source_id,
        actor.user_id,
    )
    mission.events.append(event)
    flush(session, CONFLICTS)
    return event_public(event)


def _mission_event(session: Session, actor: Actor, event_id: int) -> Event:
    """An event the actor may see, with the mission it belongs to, if any, visible too."""
    event = _visible(session, Event, event_id, actor, "event")
    if event.mission_id is not None:
        get_mission(session=session, actor=actor, mission_id=event.mission_id)
    return event


def get_event(*, session: Session, actor: Actor, event_id: int) -> EventPublic:
    """An event the actor may see."""
    return event_public(_mission_event(session, actor, event_id))


def update_event(*, session: Session, actor: Actor, event_id: int, data: EventUpdate) -> EventPublic:
    """Change an event as a whole (kind, dates, place, summary, organizations, people), made on
    `data.version`."""
    _require_editor(actor)
    event = _mission_event(session, actor, event_id)
    check_version(event, data.version)
    require_ids(session, Place, [data.place_id] if data.place_id else [], "place_id")
    require_ids(session, Organization, data.organization_ids, "organization_ids")
    require_ids(session, Person, data.person_ids, "person_ids")
    event.kind = data.kind.value
    event.start, event.end = data.start, data.end
    event.place_id = data.place_id
    event.summary = data.summary
    event.organizations = _relinked(
        event.organizations,
        data.organization_ids,
        lambda o: o.organization_id,
        lambda i: EventOrganization(organization_id=i),
    )
    event.people = _relinked(
        event.people, data.person_ids, lambda p: p.person_id, lambda i: EventPerson(person_id=i)
    )
    event.updated_at = utcnow()
    flush(session, CONFLICTS)
    session.refresh(event)
    return event_public(event)


def _relinked(
    links: list[L], wanted: list[int], key: Callable[[L], int], make: Callable[[int], L]
) -> list[L]:
    """The link rows for exactly `wanted` ids: a row whose id stays is kept (no delete and insert in
    the audit log), one for a new id is made."""
    ids = dict.fromkeys(wanted)
    kept = [link for link in links if key(link) in ids]
    had = {key(link) for link in kept}
    return kept + [make(i) for i in ids if i not in had]


def delete_event(*, session: Session, actor: Actor, event_id: int) -> None:
    """Delete an event with its organizations and people."""
    _require_editor(actor)
    session.delete(_mission_event(session, actor, event_id))
    flush(session, CONFLICTS)


# ---------------------------------------------------------------- participants


def _participant(session: Session, actor: Actor, mission_id: int, participant_id: int) -> MissionParticipant:
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    for row in mission.participants:
        if row.id == participant_id:
            return row
    raise NotFoundError.record("participant", participant_id)


def add_participant(
    *, session: Session, actor: Actor, mission_id: int, data: ParticipantIn
) -> ParticipantPublic:
    """A person on a mission, with the organization they came for and their position there."""
    _require_editor(actor)
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    require_ids(session, Person, [data.person_id], "person_id")
    require_ids(
        session, Organization, [data.organization_id] if data.organization_id else [], "organization_id"
    )
    row = MissionParticipant(**data.model_dump())
    mission.participants.append(row)
    mission.updated_at = utcnow()
    flush(session, CONFLICTS)
    session.refresh(row)
    return _participant_public(row)


def update_participant(
    *, session: Session, actor: Actor, mission_id: int, participant_id: int, data: ParticipantIn
) -> ParticipantPublic:
    """Change who a mission's participant is, the organization they came for or their position."""
    _require_editor(actor)
    row = _participant(session, actor, mission_id, participant_id)
    require_ids(session, Person, [data.person_id], "person_id")
    require_ids(
        session, Organization, [data.organization_id] if data.organization_id else [], "organization_id"
    )
    row.person_id, row.organization_id, row.title = data.person_id, data.organization_id, data.title
    flush(session, CONFLICTS)
    session.refresh(row)
    return _participant_public(row)


def delete_participant(*, session: Session, actor: Actor, mission_id: int, participant_id: int) -> None:
    """Take a person off a mission (the person stays in the registry)."""
    _require_editor(actor)
    session.delete(_participant(session, actor, mission_id, participant_id))
    flush(session, CONFLICTS)


def _participant_public(row: MissionParticipant) -> ParticipantPublic:
    return ParticipantPublic(
        id=row.id,
        person=PersonRef(id=row.person.id, name=row.person.name),
        organization=_org(row.organization),
        title=row.title,
    )


# ---------------------------------------------------------------- agreements


def create_agreement(*, session: Session, actor: Actor, data: AgreementCreate) -> AgreementPublic:
    """An agreement between organizations (visible to its parties by default)."""
    _require_editor(actor)
    require_ids(session, Organization, data.party_ids, "party_ids")
    if data.mission_id:
        get_mission(session=session, actor=actor, mission_id=data.mission_id)
    if data.event_id:
        _visible(session, Event, data.event_id, actor, "event")
    agreement = Agreement(
        kind=data.kind.value,
        subject=data.subject,
        signed_on=data.signed_on,
        mission_id=data.mission_id,
        event_id=data.event_id,
        visibility=data.visibility.value,
        owner_organization_id=actor.organization_id,
        created_by_id=actor.user_id,
        source_id=data.source_id,
        parties_=[AgreementParty(organization_id=i) for i in dict.fromkeys(data.party_ids)],
    )
    session.add(agreement)
    flush(session, CONFLICTS)
    return agreement_public(agreement)


def _agreement(session: Session, actor: Actor, agreement_id: int) -> Agreement:
    """An agreement the actor may see, with its mission, if any, visible too."""
    agreement = _visible(session, Agreement, agreement_id, actor, "agreement")
    if agreement.mission_id is not None:
        get_mission(session=session, actor=actor, mission_id=agreement.mission_id)
    return agreement


def update_agreement(
    *, session: Session, actor: Actor, agreement_id: int, data: AgreementUpdate
) -> AgreementPublic:
    """Change an agreement's kind, subject, date, parties (and visibility, when given), made on
    `data.version`."""
    _require_editor(actor)
    agreement = _agreement(session, actor, agreement_id)
    check_version(agreement, data.version)
    require_ids(session, Organization, data.party_ids, "party_ids")
    agreement.kind = data.kind.value
    agreement.subject = data.subject
    agreement.signed_on = data.signed_on
    if data.visibility is not None:
        agreement.visibility = data.visibility.value
    agreement.parties_ = _relinked(
        agreement.parties_,
        data.party_ids,
        lambda p: p.organization_id,
        lambda i: AgreementParty(organization_id=i),
    )
    agreement.updated_at = utcnow()
    flush(session, CONFLICTS)
    session.refresh(agreement)
    return agreement_public(agreement)


def delete_agreement(*, session: Session, actor: Actor, agreement_id: int) -> None:
    """Delete an agreement with its parties (its next steps stay, no longer tied to it)."""
    _require_editor(actor)
    session.delete(_agreement(session, actor, agreement_id))
    flush(session, CONFLICTS)


def get_agreement(
    *, session: Session, actor: Actor, agreement_id: int, lang: str | None = None
) -> AgreementPublic:
    """An agreement the actor may see."""
    public = agreement_public(_visible(session, Agreement, agreement_id, actor, "agreement"))
    readable_refs(session, lang, _agreement_refs(public))
    return public


def list_agreements(
    *,
    session: Session,
    actor: Actor,
    filters: AgreementFilter | None = None,
    offset: int = 0,
    limit: int = 25,
    lang: str | None = None,
) -> ListPublic[AgreementPublic]:
    """Agreements the actor may see, latest signed first; `filters.organization_id` keeps those it
    is a party to."""
    filters = filters or AgreementFilter()
    stmt = select(Agreement).where(visible_clause(Agreement, actor))
    if filters.organization_id:
        stmt = stmt.where(Agreement.parties_clause(filters.organization_id))
    rows, count = page(session, stmt.order_by(Agreement.signed_on.desc(), Agreement.id.desc()), offset, limit)
    data = [agreement_public(a) for a in rows]
    readable_refs(session, lang, [r for a in data for r in _agreement_refs(a)])
    return ListPublic(data=data, count=count)


# ---------------------------------------------------------------- action items


def create_action_item(*, session: Session, actor: Actor, data: ActionItemCreate) -> ActionItemPublic:
    """A next step with a responsible person or organization and a due date."""
    _require_editor(actor)
    require_ids(
        session,
        Person,
        [data.responsible_person_id] if data.responsible_person_id else [],
        "responsible_person_id",
    )
    require_ids(
        session,
        Organization,
        [data.responsible_organization_id] if data.responsible_organization_id else [],
        "responsible_organization_id",
    )
    if data.mission_id:
        get_mission(session=session, actor=actor, mission_id=data.mission_id)
    if data.agreement_id:
        _visible(session, Agreement, data.agreement_id, actor, "agreement")
    item = ActionItem(
        **{**data.model_dump(), "visibility": data.visibility.value},
        owner_organization_id=actor.organization_id,
        created_by_id=actor.user_id,
    )
    session.add(item)
    flush(session, CONFLICTS)
    return action_public(item)


def update_action_item(
    *, session: Session, actor: Actor, item_id: int, data: ActionItemUpdate
) -> ActionItemPublic:
    """Change an action item; marking it done records when. Members may update the items their
    organization is responsible for."""
    item = _visible(session, ActionItem, item_id, actor, "action item")
    if not (
        actor.has(Permission.EDIT_REGISTRY)
        or (
            actor.has(Permission.EDIT_OWN_ORGANIZATION)
            and actor.organization_id is not None
            and actor.organization_id == item.responsible_organization_id
        )
    ):
        raise ForbiddenError("your role cannot change this action item", reason="action_item_refused")
    handed_to = data.responsible_organization_id
    if handed_to is not None:
        require_ids(session, Organization, [handed_to], "responsible_organization_id")
        if (
            not actor.has(Permission.EDIT_REGISTRY)
            and item.visibility == Visibility.PARTIES
            and handed_to not in item.parties()
        ):  # a member would show a parties-only step to an organization that is not a party
            raise ForbiddenError("your role cannot change this action item", reason="action_item_refused")
    changes = apply_changes(item, data)
    if "status" in changes:
        item.done_at = utcnow() if item.status == "done" else None
    flush(session, CONFLICTS)
    session.refresh(item)  # the answer names the organization and person it was handed to
    return action_public(item)


def list_action_items(
    *,
    session: Session,
    actor: Actor,
    filters: ActionItemFilter | None = None,
    offset: int = 0,
    limit: int = 50,
    lang: str | None = None,
) -> ListWithHidden[ActionItemPublic]:
    """Action items the actor may see: overdue ones first, then soonest due first;
    `filters.mine` keeps those the actor created or their organization is responsible for."""
    filters = filters or ActionItemFilter()
    stmt = select(ActionItem)
    if filters.status:
        stmt = stmt.where(ActionItem.status == filters.status.value)
    if filters.organization_id:
        stmt = stmt.where(ActionItem.responsible_organization_id == filters.organization_id)
    if filters.overdue:
        stmt = stmt.where(ActionItem.status == "open", ActionItem.due < date.today())
    if filters.mine:
        stmt = stmt.where(
            or_(
                ActionItem.created_by_id == actor.user_id,
                *(
                    [ActionItem.responsible_organization_id == actor.organization_id]
                    if actor.organization_id is not None
                    else []
                ),
            )
        )
    overdue = case((and_(ActionItem.status == "open", ActionItem.due < date.today()), 0), else_=1)
    rows, count = page(
        session,
        stmt.where(visible_clause(ActionItem, actor)).order_by(
            overdue, ActionItem.due.is_(None), ActionItem.due, ActionItem.id
        ),
        offset,
        limit,
    )
    data = [action_public(i) for i in rows]
    readable_refs(session, lang, [r for i in data for r in _action_refs(i)])
    return ListWithHidden(data=data, count=count, hidden=hidden_count(session, stmt, actor, count))


# ---------------------------------------------------------------- lists as spreadsheets

#: The columns of the missions and the next steps as exported (XLSX or CSV).
MISSION_EXPORT_COLUMNS = ("id", "title", "start", "end", "visibility")
STEP_EXPORT_COLUMNS = (
    "id",
    "title",
    "due",
    "status",
    "overdue",
    "responsible_person",
    "responsible_organization",
    "mission_id",
    "visibility",
)


def export_missions(*, session: Session, actor: Actor, fmt: Literal["xlsx", "csv"] = "xlsx") -> bytes:
    """The missions the actor may see, as the list orders them, as an XLSX or a CSV file."""
    missions = every(
        lambda offset, limit: list_missions(session=session, actor=actor, offset=offset, limit=limit)
    )
    rows = [list(MISSION_EXPORT_COLUMNS)]
    rows += [[m.id, m.title, m.start, m.end, m.visibility] for m in missions]
    return write_csv(rows) if fmt == "csv" else write_xlsx({"missions": rows})


def export_action_items(
    *,
    session: Session,
    actor: Actor,
    filters: ActionItemFilter | None = None,
    lang: str | None = None,
    fmt: Literal["xlsx", "csv"] = "xlsx",
) -> bytes:
    """The next steps the actor may see (filtered like the list), as an XLSX or a CSV file."""
    steps = every(
        lambda offset, limit: list_action_items(
            session=session, actor=actor, filters=filters, offset=offset, limit=limit, lang=lang
        )
    )
    rows = [list(STEP_EXPORT_COLUMNS)]
    for step in steps:
        rows.append(
            [
                step.id,
                step.title,
                step.due,
                step.status,
                "yes" if step.overdue else "no",
                step.responsible_person.name if step.responsible_person else "",
                step.responsible_organization.name if step.responsible_organization else "",
                step.mission_id,
                step.visibility,
            ]
        )
    return write_csv(rows) if fmt == "csv" else write_xlsx({"steps": rows})


# ---------------------------------------------------------------- an organization's timeline

#: The most records of each kind the timeline of an organization lists.
TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One record of an organization's relationship timeline: its kind (mission, event,
    agreement, step), what it is called, its date, what more to say of it (the organization's
    role, the kind of event or agreement, the step's status) and where to read it."""

    kind: str
    id: int
    title: str
    when: date | None
    detail: str | None
    url: str


def organization_timeline(
    *, session: Session, actor: Actor, organization_id: int, limit: int = TIMELINE_LIMIT
) -> list[TimelineEntry]:
    """The missions an organization organised or took part in, the events it took part in, the
    agreements it is a party to and the next steps it is responsible for, as far as the actor
    may see them; newest first, undated ones last. One statement per kind, however many."""

    def at_mission(mission_id: int | None, anchor: str, fallback: str) -> str:
        return f"/missions/{mission_id}#{anchor}" if mission_id else fallback

    entries: list[TimelineEntry] = []
    missions = session.execute(
        select(Mission.id, Mission.title, Mission.start, MissionOrganization.role)
        .join(MissionOrganization, MissionOrganization.mission_id == Mission.id)
        .where(MissionOrganization.organization_id == organization_id, visible_clause(Mission, actor))
        .order_by(Mission.start.desc(), Mission.id.desc())
        .limit(limit)
    )
    entries += [TimelineEntry("mission", i, t, d, role, f"/missions/{i}") for i, t, d, role in missions]
    events = session.execute(
        select(Event.id, Event.summary, Event.start, Event.kind, Event.mission_id)
        .where(
            Event.id.in_(
                select(EventOrganization.event_id).where(EventOrganization.organization_id == organization_id)
            ),
            visible_clause(Event, actor),
        )
        .order_by(Event.start.desc(), Event.id.desc())
        .limit(limit)
    )
    entries += [
        TimelineEntry("event", i, s, d, k, at_mission(m, "programme-title", "/missions"))
        for i, s, d, k, m in events
    ]
    agreements = session.execute(
        select(Agreement.id, Agreement.subject, Agreement.signed_on, Agreement.kind, Agreement.mission_id)
        .where(Agreement.parties_clause(organization_id), visible_clause(Agreement, actor))
        .order_by(Agreement.signed_on.desc(), Agreement.id.desc())
        .limit(limit)
    )
    entries += [
        TimelineEntry("agreement", i, s, d, k, at_mission(m, "agreements-title", f"/api/v1/agreements/{i}"))
        for i, s, d, k, m in agreements
    ]
    steps = session.execute(
        select(ActionItem.id, ActionItem.title, ActionItem.due, ActionItem.status, ActionItem.mission_id)
        .where(ActionItem.responsible_organization_id == organization_id, visible_clause(ActionItem, actor))
        .order_by(ActionItem.due.desc(), ActionItem.id.desc())
        .limit(limit)
    )
    entries += [
        TimelineEntry("step", i, t, d, s, at_mission(m, "actions-title", "/steps?all=1"))
        for i, t, d, s, m in steps
    ]
    entries.sort(key=lambda e: (e.when is not None, e.when or date.min, e.id), reverse=True)
    return entries


# ---------------------------------------------------------------- search


def _spellings(word: str) -> set[str]:
    """A word as titles write it: SQLite compares letters outside ASCII case-sensitively, so
    the query looks for its usual cases as well ("визит", "Визит", "ВИЗИТ")."""
    return {word, word.lower(), word.capitalize(), word.upper()}


def _matches(column: Any, words: list[str]) -> ColumnElement[bool]:
    """Every word of the query in the column, in any case."""
    return and_(
        *(
            or_(
                func.lower(column).contains(word.lower(), autoescape=True),
                *(column.contains(s, autoescape=True) for s in _spellings(word)),
            )
            for word in words
        )
    )


def search_engagements(
    *, session: Session, actor: Actor, query: str, types: set[str] | None = None, limit: int = 20
) -> list[SearchHit]:
    """Missions by their title, events by their summary and agreements by their subject, as far as
    the actor may see them; each hit scored by how closely its text holds the query."""
    words = query.split()[:8]
    if not words:
        return []
    wanted: list[tuple[SearchType, Any, Any, Any]] = [
        (SearchType.MISSION, Mission, Mission.title, Mission.start),
        (SearchType.EVENT, Event, Event.summary, Event.start),
        (SearchType.AGREEMENT, Agreement, Agreement.subject, Agreement.signed_on),
    ]
    hits: list[SearchHit] = []
    for kind, model, text, when in wanted:
        if types and kind.value not in types:
            continue
        mission = model.id if model is Mission else model.mission_id
        rows = session.execute(
            select(model.id, text, mission)
            .where(_matches(text, words), visible_clause(model, actor))
            .order_by(when.desc(), model.id.desc())
            .limit(limit)
        )
        for record_id, value, mission_id in rows:
            name = value if len(value) <= 200 else value[:199] + "…"
            if kind == SearchType.MISSION:
                url = f"/missions/{record_id}"
            elif kind == SearchType.EVENT:
                url = f"/missions/{mission_id}#programme-title" if mission_id else "/missions"
            else:
                url = (
                    f"/missions/{mission_id}#agreements-title"
                    if mission_id
                    else f"/api/v1/agreements/{record_id}"
                )
            score = fuzz.partial_ratio(query.lower(), value.lower())
            hits.append(
                SearchHit(type=kind.value, id=record_id, name=name, matched=name, score=score, url=url)
            )
    return hits
