"""Ingest as a workflow: extract a document into a draft, apply a reviewer's choices, and accept
the reviewed records into the registry and the engagement records, every one citing the
document as its source.

Ingesting the same text again changes nothing: documents are known by the hash of their text.
Accepting is all-or-nothing and happens once per document. The review page and the API both
send their review here, in one shape (`ReviewIn`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import name_change
from cooplab.core.confidential import can_see, hidden_count, visible_clause, visible_or_404
from cooplab.core.records import page
from cooplab.core.schemas import ListWithHidden
from cooplab.db.base import utcnow
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import (
    ActionItemCreate,
    AgreementCreate,
    EventIn,
    MissionCreate,
    ParticipantIn,
)
from cooplab.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    field_error,
)
from cooplab.ingest.filters import DocumentFilter
from cooplab.ingest.models import IngestDocument
from cooplab.ingest.pipeline import extract
from cooplab.ingest.readers import content_hash, normalise_text
from cooplab.ingest.schemas import (
    Accepted,
    DocumentPublic,
    DocumentSummary,
    IngestResult,
    ReviewIn,
)
from cooplab.registry import service as registry
from cooplab.registry.models import Citation, Position
from cooplab.registry.schemas import (
    CitationCreate,
    NameIn,
    OrganizationCreate,
    PersonCreate,
    PlaceCreate,
    PositionIn,
    SourceCreate,
)
from cooplab.vocab.choices import Activity, EntityType, Visibility
from cooplab.vocab.names import detect_script

#: The result's lists of records a reviewer names, with the registry's kind of each.
NAMED_GROUPS = {
    "organizations": EntityType.ORGANIZATION,
    "people": EntityType.PERSON,
    "places": EntityType.PLACE,
}
MAX_TITLE = 300
#: The visibility a reviewer is offered first: every signed-in user, the reviewer included, sees
#: the records created (the parties of a record may not name the reviewer's organization).
REVIEW_VISIBILITY = Visibility.MEMBERS


def _require(actor: Actor) -> None:
    if not actor.has(Permission.EDIT_REGISTRY):
        actor.require(Permission.READ)
        raise ForbiddenError("your role cannot ingest documents", reason="role_refused", role=str(actor.role))


def _document(session: Session, actor: Actor, document_id: int) -> IngestDocument:
    return visible_or_404(session, IngestDocument, document_id, actor, "document")


def _public(document: IngestDocument, new: bool = False) -> DocumentPublic:
    public = DocumentPublic.model_validate(document)
    needs_year = document.published is None and lacks_year(public.result)
    return public.model_copy(update={"new": new, "needs_year": needs_year})


def lacks_year(result: IngestResult) -> bool:
    """Whether a date of the result was read without a year (--MM-DD): the publication date
    would give it one."""
    values = [
        *(v for d in result.dates for v in (d.start, d.end)),
        *(v for e in result.events for v in (e.start, e.end)),
        *(a.date for a in result.agreements),
        *(s.due for s in result.action_items),
    ]
    return any(v and v.startswith("--") for v in values)


def _draft(session: Session, actor: Actor, document_id: int) -> IngestDocument:
    """A draft the actor may change; an accepted document is refused (its records exist)."""
    _require(actor)
    document = _document(session, actor, document_id)
    if document.status == "accepted":
        raise ConflictError(
            f"document {document_id} was accepted already (mission {document.mission_id})",
            reason="accepted_already",
            id=document_id,
            mission_id=document.mission_id,
        )
    return document


def save_document(
    *, session: Session, actor: Actor, text: str, name: str, published: date | None = None
) -> tuple[DocumentPublic, bool]:
    """Extract a text and keep it as a draft; the same text again returns the document it is
    already (second value False) and changes nothing."""
    _require(actor)
    existing = session.scalar(
        select(IngestDocument).where(IngestDocument.content_hash == content_hash(normalise_text(text)))
    )
    if existing is not None:
        if not can_see(existing, actor):
            raise ConflictError("this document was ingested already", reason="ingested_already")
        if existing.status == "draft" and published is not None and published != existing.published:
            return reparse_document(
                session=session, actor=actor, document_id=existing.id, published=published
            ), False
        return _public(existing), False
    result = extract(text, published=published, source=name, session=session)
    document = IngestDocument(
        content_hash=result.content_hash,
        name=name or "text",
        text=normalise_text(text),
        language=result.language,
        published=published,
        result=result.model_dump(mode="json"),
        owner_organization_id=actor.organization_id,
        created_by_id=actor.user_id,
    )
    session.add(document)
    session.flush()
    return _public(document, True), True


def reparse_document(
    *, session: Session, actor: Actor, document_id: int, published: date | None
) -> DocumentPublic:
    """Extract a draft again with another publication date (the year of dates without one);
    the reviewer's earlier choices are not kept, as the records proposed may differ."""
    document = _draft(session, actor, document_id)
    result = extract(document.text, published=published, source=document.name, session=session)
    document.published = published
    document.language = result.language
    document.result = result.model_dump(mode="json")
    session.flush()
    return _public(document)


def delete_document(*, session: Session, actor: Actor, document_id: int) -> None:
    """Delete a draft; an accepted document stays, as the source its records cite."""
    session.delete(_draft(session, actor, document_id))
    session.flush()


def get_document(*, session: Session, actor: Actor, document_id: int) -> DocumentPublic:
    """A document the actor may see, with its text and what was extracted from it."""
    actor.require(Permission.READ)
    return _public(_document(session, actor, document_id))


def list_documents(
    *, session: Session, actor: Actor, filters: DocumentFilter | None = None, offset: int = 0, limit: int = 25
) -> ListWithHidden[DocumentSummary]:
    """The documents the actor may see, newest first (drafts or accepted ones only, if asked),
    and how many others are hidden from them."""
    actor.require(Permission.READ)
    stmt = select(IngestDocument)
    if filters is not None and filters.status is not None:
        stmt = stmt.where(IngestDocument.status == filters.status.value)
    rows, count = page(
        session,
        stmt.where(visible_clause(IngestDocument, actor)).order_by(IngestDocument.id.desc()),
        offset,
        limit,
    )
    return ListWithHidden(
        data=[DocumentSummary.model_validate(d) for d in rows],
        count=count,
        hidden=hidden_count(session, stmt, actor, count),
    )


# ---------------------------------------------------------------- the review


def apply_review(result: IngestResult, review: ReviewIn) -> tuple[IngestResult, dict[str, list[int]]]:
    """The result as the reviewer left it: records not kept are dropped, new records take their
    edited names, kinds and countries (ids are never taken from a review), and events,
    agreements and positions naming a renamed record follow the new name. Also, per list, the
    index in the stored result of each record kept. Kept records without a name are refused,
    each named, all at once."""
    reviewed = result.model_copy(deep=True)
    kept: dict[str, list[int]] = {}
    renamed: dict[str, dict[str, str]] = {}
    empty = []
    for group in NAMED_GROUPS:
        items = getattr(reviewed, group)
        kept[group] = [i for i in range(len(items)) if review.of(group, i).keep]
        renamed[group] = {}
        for index in kept[group]:
            item, choice = items[index], review.of(group, index)
            if item.id is not None:
                continue
            if choice.name is None and "name" in choice.model_fields_set:
                empty.append(field_error(["review", group, index, "name"], "must not be empty", "required"))
            if choice.name and choice.name != item.name:
                renamed[group][item.name] = choice.name
                item.mentions = list(dict.fromkeys([*item.mentions, item.name]))
                item.name = choice.name[:MAX_TITLE]
            if group == "organizations" and choice.kind is not None:
                item.kind = choice.kind.value
            if group == "places" and choice.country:
                item.country = choice.country
        setattr(reviewed, group, [items[i] for i in kept[group]])
    if empty:
        raise InvalidInputError("a kept record needs a name", details=empty)
    orgs, people, places = renamed["organizations"], renamed["people"], renamed["places"]
    for person in reviewed.people:
        for position in person.positions:
            if position.organization:
                position.organization = orgs.get(position.organization, position.organization)
    kept["events"] = [i for i in range(len(reviewed.events)) if review.of("events", i).keep]
    reviewed.events = [reviewed.events[i] for i in kept["events"]]
    for event in reviewed.events:
        event.organizations = [orgs.get(o, o) for o in event.organizations]
        event.people = [people.get(p, p) for p in event.people]
        event.place = places.get(event.place, event.place) if event.place else None
    kept["agreements"] = [i for i in range(len(reviewed.agreements)) if review.of("agreements", i).keep]
    for event in reviewed.events:  # a signing points at its agreement by index: follow the kept ones
        event.agreement = (
            kept["agreements"].index(event.agreement) if event.agreement in kept["agreements"] else None
        )
    reviewed.agreements = [reviewed.agreements[i] for i in kept["agreements"]]
    for agreement in reviewed.agreements:
        agreement.parties = [orgs.get(p, p) for p in agreement.parties]
    kept["action_items"] = [i for i in range(len(reviewed.action_items)) if review.of("action_items", i).keep]
    reviewed.action_items = [reviewed.action_items[i] for i in kept["action_items"]]
    for step in reviewed.action_items:
        step.owners = [orgs.get(o, o) for o in step.owners]
    return reviewed, kept


# ---------------------------------------------------------------- accepting


def _date(value: str | None) -> date | None:
    if not value or value.startswith("--"):
        return None
    return date.fromisoformat(value)


@contextmanager
def _at(*loc: str | int) -> Iterator[None]:
    """A reviewed item that breaks a registry rule (an empty name, a date that is not one)
    answers 422 naming the item and its field; the caller's transaction then writes nothing."""
    try:
        yield
    except ValidationError as exc:
        details = [field_error(["result", *loc, *err["loc"]], err["msg"]) for err in exc.errors()]
        raise InvalidInputError(
            f"result.{'.'.join(map(str, loc))}: {details[0]['msg']}", details=details
        ) from None
    except ValueError as exc:
        raise InvalidInputError(
            f"result.{'.'.join(map(str, loc))}: {exc}", details=[field_error(["result", *loc], str(exc))]
        ) from None


def _cite(session: Session, actor: Actor, source_id: int, subject_type: str, subject_id: int) -> None:
    exists = session.scalar(
        select(Citation.id).where(
            Citation.source_id == source_id,
            Citation.subject_type == subject_type,
            Citation.subject_id == subject_id,
        )
    )
    if exists is None:
        registry.cite(
            session=session,
            actor=actor,
            subject_type=subject_type,
            subject_id=subject_id,
            data=CitationCreate(source_id=source_id),
        )


def accept_document(
    *,
    session: Session,
    actor: Actor,
    document_id: int,
    review: ReviewIn | None = None,
    result: IngestResult | None = None,
    title: str | None = None,
    visibility: Visibility | None = None,
) -> Accepted:
    """Create or link every record of the reviewed result: organizations, people and their
    positions, places, a mission with its events, participants, agreements and next steps; each
    cites the document. The review (or an edited `result`, or the stored one) says what is kept.
    `visibility` (or the review's) is who sees the mission, events, agreements and next steps
    created; without one each takes its own default. An item that breaks a rule is named by its
    place in the document's result. A document whose dates lack a year is refused until it is
    parsed again with its publication date."""
    document = _draft(session, actor, document_id)
    stored = result or IngestResult.model_validate(document.result)
    if document.published is None and lacks_year(stored):
        raise InvalidInputError(
            "a date of the document has no year: give its publication date and parse it again",
            details=[field_error(["published"], "a date has no year", "year_needed")],
        )
    name_change(session, Activity.ACCEPT_REPORT)
    kept: dict[str, list[int]] = {
        g: list(range(len(getattr(stored, g))))
        for g in (*NAMED_GROUPS, "events", "agreements", "action_items")
    }
    if review is not None:
        stored, kept = apply_review(stored, review)
        title = review.title or title
        visibility = review.visibility or visibility
    chosen = {"visibility": visibility} if visibility is not None else {}
    created = 0
    source = registry.create_source(
        session=session,
        actor=actor,
        data=SourceCreate(
            title=title or document.name,
            published=document.published,
            as_of=document.published,
            note=f"ingested document {document.id}",
        ),
    )

    orgs: dict[str, int] = {}
    for index, item in zip(kept["organizations"], stored.organizations, strict=True):
        with _at("organizations", index):
            if item.id is not None:
                org_id = registry.get_organization(session=session, organization_id=item.id).id
            else:
                org_id = registry.create_organization(
                    session=session,
                    actor=actor,
                    data=OrganizationCreate(
                        names=[NameIn(value=item.name)], kind=item.kind or "other", country=item.country
                    ),
                ).id
                created += 1
            _cite(session, actor, source.id, "organization", org_id)
            for key in (item.name, *item.mentions):
                orgs[key] = org_id

    places: dict[str, int] = {}
    for index, place in zip(kept["places"], stored.places, strict=True):
        with _at("places", index):
            if place.id is not None:
                place_id = registry.get_place(session=session, place_id=place.id).id
            else:
                if not place.country:
                    raise InvalidInputError(
                        f"place «{place.name}» needs a country before it can be created",
                        details=[field_error(["result", "places", index, "country"], "required", "required")],
                    )
                place_id = registry.create_place(
                    session=session,
                    actor=actor,
                    data=PlaceCreate(
                        names=[NameIn(value=place.name)], country=place.country, kind=place.kind or "city"
                    ),
                ).id
                created += 1
            for key in (place.name, *place.mentions):
                places[key] = place_id

    people: dict[str, int] = {}
    participants: list[ParticipantIn] = []
    for index, person in zip(kept["people"], stored.people, strict=True):
        with _at("people", index):
            if person.id is not None:
                person_id = registry.get_person(session=session, person_id=person.id).id
            else:
                lang = "ru" if detect_script(person.name).value == "cyrillic" else None
                person_id = registry.create_person(
                    session=session,
                    actor=actor,
                    data=PersonCreate(names=[NameIn(value=person.name, lang=lang)]),
                ).id
                created += 1
            _cite(session, actor, source.id, "person", person_id)
            for key in (person.name, *person.mentions):
                people[key] = person_id
            for pos in person.positions:
                at: int | None = pos.organization_id or (
                    orgs.get(pos.organization) if pos.organization else None
                )
                position_id = session.scalar(
                    select(Position.id).where(
                        Position.person_id == person_id,
                        Position.title == pos.title,
                        Position.organization_id == at,
                    )
                )
                if position_id is None:
                    position_id = registry.add_position(
                        session=session,
                        actor=actor,
                        person_id=person_id,
                        data=PositionIn(title=pos.title, organization_id=at),
                    ).id
                _cite(session, actor, source.id, "position", position_id)
                participants.append(ParticipantIn(person_id=person_id, organization_id=at, title=pos.title))
            if not person.positions:
                participants.append(ParticipantIn(person_id=person_id))

    mission_id = None
    if stored.events or stored.agreements or participants:
        with _at("dates"):
            # the mission's period: the days the text names (months alone only when it names no day;
            # days read against the publication date never, as they say when it was written)
            dated = [d for d in stored.dates if not d.relative and _date(d.start)]
            dated = [d for d in dated if d.granularity == "day"] or dated
            days = [(_date(d.start), _date(d.end or d.start)) for d in dated]
            start = min((first for first, _ in days if first), default=None)
            end = max((last for _, last in days if last), default=None)
        events = []
        for index, event in zip(kept["events"], stored.events, strict=True):
            with _at("events", index):
                events.append(
                    EventIn(
                        kind=event.kind
                        if event.kind in {"visit", "meeting", "signing", "presentation"}
                        else "other",
                        start=_date(event.start),
                        end=_date(event.end),
                        place_id=places.get(event.place) if event.place else None,
                        summary=event.summary or event.kind,
                        organization_ids=[orgs[o] for o in event.organizations if o in orgs],
                        person_ids=[people[p] for p in event.people if p in people],
                    )
                )
        unique = {p.person_id: p for p in participants}
        organizers = [orgs[e.organizer] for e in stored.events if e.organizer in orgs]
        mission = engagements.create_mission(
            session=session,
            actor=actor,
            data=MissionCreate(
                title=title or document.name,
                start=start,
                end=end,
                source_id=source.id,
                organizer_ids=list(dict.fromkeys(organizers)),
                organization_ids=list(dict.fromkeys(orgs.values())),
                participants=list(unique.values()),
                events=events,
                **chosen,
            ),
        )
        mission_id = mission.id
        event_ids = sorted(e.id for e in mission.events)  # in the order they were proposed
        signed_at = {
            e.agreement: event_id
            for e, event_id in zip(stored.events, event_ids, strict=True)
            if e.agreement is not None
        }
        for position, (index, agreement) in enumerate(
            zip(kept["agreements"], stored.agreements, strict=True)
        ):
            with _at("agreements", index):
                parties = list(dict.fromkeys(orgs[p] for p in agreement.parties if p in orgs))
                if parties:
                    engagements.create_agreement(
                        session=session,
                        actor=actor,
                        data=AgreementCreate(
                            kind=agreement.kind
                            if agreement.kind in {"memorandum", "agreement", "contract"}
                            else "agreement",
                            subject=agreement.subject or agreement.document or agreement.kind,
                            signed_on=_date(agreement.date),
                            party_ids=parties,
                            mission_id=mission_id,
                            event_id=signed_at.get(position),
                            source_id=source.id,
                            **chosen,
                        ),
                    )
        for index, step in zip(kept["action_items"], stored.action_items, strict=True):
            with _at("action_items", index):
                owner = next((orgs[o] for o in step.owners if o in orgs), None)
                engagements.create_action_item(
                    session=session,
                    actor=actor,
                    data=ActionItemCreate(
                        title=step.text[:500],
                        due=_date(step.due),
                        responsible_organization_id=owner,
                        mission_id=mission_id,
                        visibility=mission.visibility,
                    ),
                )

    document.status = "accepted"
    document.accepted_at = utcnow()
    document.source_id = source.id
    document.mission_id = mission_id
    document.result = stored.model_dump(mode="json")
    session.flush()
    return Accepted(
        document_id=document.id,
        source_id=source.id,
        mission_id=mission_id,
        organizations=orgs,
        people=people,
        places=places,
        created=created,
    )


__all__ = [
    "accept_document",
    "apply_review",
    "delete_document",
    "get_document",
    "lacks_year",
    "list_documents",
    "reparse_document",
    "save_document",
]
