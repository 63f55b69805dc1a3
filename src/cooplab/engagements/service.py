"""Rules and queries of engagements; every read goes through the visibility rule."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.accounts.roles import Actor, Permission
from cooplab.accounts.visibility import can_see, visible_clause
from cooplab.db.base import utcnow
from cooplab.db.queries import check_version, page
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
    EventIn,
    EventPublic,
    MissionCreate,
    MissionOrganizationPublic,
    MissionPublic,
    MissionUpdate,
    ParticipantPublic,
)
from cooplab.errors import ForbiddenError, InvalidInputError, NotFoundError
from cooplab.registry.models import Organization, Person, Place, Source
from cooplab.registry.schemas import OrganizationRef, PersonRef, PlaceRef
from cooplab.registry.service import _flush

R = TypeVar("R")


def _require_editor(actor: Actor) -> None:
    if not actor.has(Permission.EDIT_REGISTRY):
        raise ForbiddenError("your role cannot change engagement records")


def _visible(session: Session, model: type[R], record_id: int, actor: Actor, what: str) -> R:
    record = session.get(model, record_id)
    if record is None or not can_see(record, actor):
        raise NotFoundError(f"{what} {record_id} does not exist")
    return record


def _exists(session: Session, model: type, ids: list[int], *loc: str | int) -> None:
    if not ids:
        return
    found = set(session.scalars(select(model.id).where(model.id.in_(ids))))
    missing = [i for i in ids if i not in found]
    if missing:
        name = model.__tablename__.rstrip("s")
        raise InvalidInputError(f"{name} {missing[0]} does not exist",
                                details=[{"loc": list(loc), "msg": f"{name} {i} does not exist"} for i in missing])


# ---------------------------------------------------------------- public shapes


def _org(o: Organization | None) -> OrganizationRef | None:
    return OrganizationRef.model_validate(o) if o is not None else None


def event_public(event: Event) -> EventPublic:
    return EventPublic(
        id=event.id, mission_id=event.mission_id, kind=event.kind, start=event.start, end=event.end,
        place=PlaceRef.model_validate(event.place) if event.place else None, summary=event.summary,
        organizations=[OrganizationRef.model_validate(o.organization) for o in event.organizations],
        people=[PersonRef(id=p.person.id, name=p.person.name) for p in event.people],
        visibility=event.visibility)


def agreement_public(agreement: Agreement) -> AgreementPublic:
    return AgreementPublic(
        id=agreement.id, kind=agreement.kind, subject=agreement.subject, signed_on=agreement.signed_on,
        parties=[OrganizationRef.model_validate(p.organization) for p in agreement.parties_],
        mission_id=agreement.mission_id, event_id=agreement.event_id, visibility=agreement.visibility,
        version=agreement.version)


def action_public(item: ActionItem, today: date | None = None) -> ActionItemPublic:
    today = today or date.today()
    public = ActionItemPublic.model_validate({
        **{k: getattr(item, k) for k in ("id", "title", "due", "status", "mission_id", "agreement_id",
                                        "visibility", "version")},
        "responsible_person": PersonRef(id=item.responsible_person.id, name=item.responsible_person.name)
        if item.responsible_person else None,
        "responsible_organization": _org(item.responsible_organization),
    })
    public.overdue = bool(item.status == "open" and item.due and item.due < today)
    return public


def mission_public(session: Session, mission: Mission, actor: Actor) -> MissionPublic:
    agreements = session.scalars(select(Agreement).where(
        Agreement.mission_id == mission.id, visible_clause(Agreement, actor)).order_by(Agreement.id))
    actions = session.scalars(select(ActionItem).where(
        ActionItem.mission_id == mission.id, visible_clause(ActionItem, actor)).order_by(ActionItem.due, ActionItem.id))
    return MissionPublic(
        id=mission.id, title=mission.title, start=mission.start, end=mission.end,
        visibility=mission.visibility, version=mission.version, description=mission.description,
        source_id=mission.source_id,
        organizations=[MissionOrganizationPublic(organization=OrganizationRef.model_validate(o.organization),
                                                 role=o.role) for o in mission.organizations],
        participants=[ParticipantPublic(person=PersonRef(id=p.person.id, name=p.person.name),
                                        organization=_org(p.organization), title=p.title)
                      for p in mission.participants],
        events=[event_public(e) for e in mission.events if can_see(e, actor)],
        agreements=[agreement_public(a) for a in agreements],
        action_items=[action_public(i) for i in actions],
    )


# ---------------------------------------------------------------- missions


def _event_row(session: Session, data: EventIn, index: int, visibility: str, owner: int | None,
               source_id: int | None) -> Event:
    _exists(session, Place, [data.place_id] if data.place_id else [], "events", index, "place_id")
    _exists(session, Organization, data.organization_ids, "events", index, "organization_ids")
    _exists(session, Person, data.person_ids, "events", index, "person_ids")
    return Event(
        kind=data.kind.value, start=data.start, end=data.end, place_id=data.place_id, summary=data.summary,
        visibility=visibility, owner_organization_id=owner, source_id=source_id,
        organizations=[EventOrganization(organization_id=i) for i in dict.fromkeys(data.organization_ids)],
        people=[EventPerson(person_id=i) for i in dict.fromkeys(data.person_ids)])


def create_mission(*, session: Session, actor: Actor, data: MissionCreate) -> Mission:
    """A mission with its organizations, participants and events, owned by the actor's organization."""
    _require_editor(actor)
    _exists(session, Organization, data.organizer_ids + data.organization_ids, "organization_ids")
    _exists(session, Person, [p.person_id for p in data.participants], "participants")
    _exists(session, Source, [data.source_id] if data.source_id else [], "source_id")
    owner = actor.organization_id
    roles = {i: "organizer" for i in data.organizer_ids}
    for i in data.organization_ids:
        roles.setdefault(i, "participant")
    mission = Mission(
        title=data.title, start=data.start, end=data.end, description=data.description,
        visibility=data.visibility.value, owner_organization_id=owner, source_id=data.source_id,
        organizations=[MissionOrganization(organization_id=i, role=r) for i, r in roles.items()],
        participants=[MissionParticipant(**p.model_dump()) for p in data.participants],
        events=[_event_row(session, e, n, data.visibility.value, owner, data.source_id)
                for n, e in enumerate(data.events)],
    )
    session.add(mission)
    _flush(session)
    return mission


def get_mission(*, session: Session, actor: Actor, mission_id: int) -> Mission:
    return _visible(session, Mission, mission_id, actor, "mission")


def list_missions(*, session: Session, actor: Actor, offset: int = 0, limit: int = 25) -> tuple[list[Mission], int]:
    """Missions the actor may see, newest first."""
    stmt = select(Mission).where(visible_clause(Mission, actor))
    return page(session, stmt.order_by(Mission.start.desc(), Mission.id.desc()), offset, limit)


def update_mission(*, session: Session, actor: Actor, mission_id: int, data: MissionUpdate) -> Mission:
    _require_editor(actor)
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    check_version(mission, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for field, value in changes.items():
        setattr(mission, field, value.value if hasattr(value, "value") else value)
    mission.updated_at = utcnow()
    _flush(session)
    return mission


def delete_mission(*, session: Session, actor: Actor, mission_id: int) -> None:
    _require_editor(actor)
    session.delete(get_mission(session=session, actor=actor, mission_id=mission_id))
    _flush(session)


def add_event(*, session: Session, actor: Actor, mission_id: int, data: EventIn) -> Event:
    _require_editor(actor)
    mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    event = _event_row(session, data, 0, mission.visibility, mission.owner_organization_id, mission.source_id)
    mission.events.append(event)
    _flush(session)
    return event


# ---------------------------------------------------------------- agreements


def create_agreement(*, session: Session, actor: Actor, data: AgreementCreate) -> Agreement:
    """An agreement between organizations (visible to its parties by default)."""
    _require_editor(actor)
    _exists(session, Organization, data.party_ids, "party_ids")
    if data.mission_id:
        get_mission(session=session, actor=actor, mission_id=data.mission_id)
    if data.event_id:
        _visible(session, Event, data.event_id, actor, "event")
    agreement = Agreement(
        kind=data.kind.value, subject=data.subject, signed_on=data.signed_on, mission_id=data.mission_id,
        event_id=data.event_id, visibility=data.visibility.value, owner_organization_id=actor.organization_id,
        source_id=data.source_id,
        parties_=[AgreementParty(organization_id=i) for i in dict.fromkeys(data.party_ids)])
    session.add(agreement)
    _flush(session)
    return agreement


def get_agreement(*, session: Session, actor: Actor, agreement_id: int) -> Agreement:
    return _visible(session, Agreement, agreement_id, actor, "agreement")


def list_agreements(*, session: Session, actor: Actor, organization_id: int | None = None,
                    offset: int = 0, limit: int = 25) -> tuple[list[Agreement], int]:
    stmt = select(Agreement).where(visible_clause(Agreement, actor))
    if organization_id:
        stmt = stmt.where(Agreement.parties_clause(organization_id))
    return page(session, stmt.order_by(Agreement.signed_on.desc(), Agreement.id.desc()), offset, limit)


# ---------------------------------------------------------------- action items


def create_action_item(*, session: Session, actor: Actor, data: ActionItemCreate) -> ActionItem:
    """A next step with a responsible person or organization and a due date."""
    _require_editor(actor)
    _exists(session, Person, [data.responsible_person_id] if data.responsible_person_id else [], "responsible_person_id")
    _exists(session, Organization, [data.responsible_organization_id] if data.responsible_organization_id else [],
            "responsible_organization_id")
    if data.mission_id:
        get_mission(session=session, actor=actor, mission_id=data.mission_id)
    if data.agreement_id:
        get_agreement(session=session, actor=actor, agreement_id=data.agreement_id)
    item = ActionItem(**{**data.model_dump(), "visibility": data.visibility.value},
                      owner_organization_id=actor.organization_id)
    session.add(item)
    _flush(session)
    return item


def update_action_item(*, session: Session, actor: Actor, item_id: int, data: ActionItemUpdate) -> ActionItem:
    """Change an action item; marking it done records when. Members may update the items their
    organization is responsible for."""
    item = _visible(session, ActionItem, item_id, actor, "action item")
    if not (actor.has(Permission.EDIT_REGISTRY) or (
            actor.has(Permission.EDIT_OWN_ORGANIZATION) and actor.organization_id is not None
            and actor.organization_id == item.responsible_organization_id)):
        raise ForbiddenError("your role cannot change this action item")
    check_version(item, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    for field, value in changes.items():
        setattr(item, field, value.value if hasattr(value, "value") else value)
    if "status" in changes:
        item.done_at = utcnow() if item.status == "done" else None
    item.updated_at = utcnow()
    _flush(session)
    return item


def list_action_items(*, session: Session, actor: Actor, status: str | None = None,
                      organization_id: int | None = None, overdue: bool = False,
                      offset: int = 0, limit: int = 50) -> tuple[list[ActionItem], int]:
    """Action items the actor may see, soonest due first."""
    stmt = select(ActionItem).where(visible_clause(ActionItem, actor))
    if status:
        stmt = stmt.where(ActionItem.status == status)
    if organization_id:
        stmt = stmt.where(ActionItem.responsible_organization_id == organization_id)
    if overdue:
        stmt = stmt.where(ActionItem.status == "open", ActionItem.due < date.today())
    return page(session, stmt.order_by(ActionItem.due.is_(None), ActionItem.due, ActionItem.id), offset, limit)
