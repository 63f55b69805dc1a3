"""Ingest as a workflow: extract a document into a draft, then accept the reviewed records into
the registry and the engagement records, every one citing the document as its source.

Ingesting the same text again changes nothing: documents are known by the hash of their text.
Accepting is all-or-nothing and happens once per document.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.accounts.roles import Actor, Permission
from cooplab.accounts.visibility import can_see, visible_clause
from cooplab.db.base import utcnow
from cooplab.db.queries import page
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import AgreementCreate, EventIn, MissionCreate, ParticipantIn
from cooplab.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError, field_error
from cooplab.ingest.models import IngestDocument
from cooplab.ingest.pipeline import extract
from cooplab.ingest.readers import content_hash, normalise_text
from cooplab.ingest.schemas import IngestResult
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
from cooplab.vocab.names import detect_script


class Accepted(BaseModel):
    """What accepting a document created or linked."""

    document_id: int
    source_id: int
    mission_id: int | None
    organizations: dict[str, int]
    people: dict[str, int]
    places: dict[str, int]
    created: int


def _require(actor: Actor) -> None:
    if not actor.has(Permission.EDIT_REGISTRY):
        raise ForbiddenError("your role cannot ingest documents")


def find_document(*, session: Session, text: str) -> IngestDocument | None:
    return session.scalar(select(IngestDocument).where(
        IngestDocument.content_hash == content_hash(normalise_text(text))))


def save_document(*, session: Session, actor: Actor, text: str, name: str,
                  published: date | None = None) -> tuple[IngestDocument, bool]:
    """Extract a text and keep it as a draft; the same text again returns the document it is
    already (second value False) and changes nothing."""
    _require(actor)
    existing = find_document(session=session, text=text)
    if existing is not None:
        if not can_see(existing, actor):
            raise ConflictError("this document was ingested already")
        return existing, False
    result = extract(text, published=published, source=name, session=session)
    document = IngestDocument(
        content_hash=result.content_hash, name=name or "text", text=normalise_text(text),
        language=result.language, published=published, result=result.model_dump(mode="json"),
        owner_organization_id=actor.organization_id)
    session.add(document)
    session.flush()
    return document, True


def get_document(*, session: Session, actor: Actor, document_id: int) -> IngestDocument:
    document = session.get(IngestDocument, document_id)
    if document is None or not can_see(document, actor):
        raise NotFoundError(f"document {document_id} does not exist")
    return document


def list_documents(*, session: Session, actor: Actor, offset: int = 0,
                   limit: int = 25) -> tuple[list[IngestDocument], int]:
    stmt = select(IngestDocument).where(visible_clause(IngestDocument, actor))
    return page(session, stmt.order_by(IngestDocument.id.desc()), offset, limit)


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
        raise InvalidInputError(f"result.{'.'.join(map(str, loc))}: {details[0]['msg']}", details=details) from None
    except ValueError as exc:
        raise InvalidInputError(f"result.{'.'.join(map(str, loc))}: {exc}",
                                details=[field_error(["result", *loc], str(exc))]) from None


def _cite(session: Session, source_id: int, subject_type: str, subject_id: int) -> None:
    exists = session.scalar(select(Citation.id).where(
        Citation.source_id == source_id, Citation.subject_type == subject_type, Citation.subject_id == subject_id))
    if exists is None:
        registry.cite(session=session, subject_type=subject_type, subject_id=subject_id,
                      data=CitationCreate(source_id=source_id))


def accept_document(*, session: Session, actor: Actor, document_id: int,
                    reviewed: IngestResult | None = None, title: str | None = None) -> Accepted:
    """Create or link every record of the reviewed result (the stored one if none is given):
    organizations, people and their positions, places, a mission with its events, participants
    and agreements; each cites the document. Items the reviewer removed are left out."""
    _require(actor)
    document = get_document(session=session, actor=actor, document_id=document_id)
    if document.status == "accepted":
        raise ConflictError(f"document {document_id} was accepted already (mission {document.mission_id})")
    result = reviewed or IngestResult.model_validate(document.result)
    created = 0
    source = registry.create_source(session=session, data=SourceCreate(
        title=title or document.name, published=document.published, as_of=document.published,
        note=f"ingested document {document.id}"))

    orgs: dict[str, int] = {}
    for index, item in enumerate(result.organizations):
        with _at("organizations", index):
            if item.id is not None:
                registry.get_organization(session=session, organization_id=item.id)
                org_id = item.id
            else:
                org = registry.create_organization(session=session, data=OrganizationCreate(
                    names=[NameIn(value=item.name)], kind=item.kind or "other"))
                org_id, created = org.id, created + 1
            _cite(session, source.id, "organization", org_id)
            for key in (item.name, *item.mentions):
                orgs[key] = org_id

    places: dict[str, int] = {}
    for index, item in enumerate(result.places):
        with _at("places", index):
            if item.id is not None:
                place_id = registry.get_place(session=session, place_id=item.id).id
            else:
                if not item.country:
                    raise InvalidInputError(f"place «{item.name}» needs a country before it can be created",
                                            details=[field_error(["places", index, "country"], "required")])
                place = registry.create_place(session=session, data=PlaceCreate(
                    names=[NameIn(value=item.name)], country=item.country))
                place_id, created = place.id, created + 1
            for key in (item.name, *item.mentions):
                places[key] = place_id

    people: dict[str, int] = {}
    participants: list[ParticipantIn] = []
    for index, item in enumerate(result.people):
        with _at("people", index):
            if item.id is not None:
                person = registry.get_person(session=session, person_id=item.id)
            else:
                lang = "ru" if detect_script(item.name).value == "cyrillic" else None
                person = registry.create_person(session=session, data=PersonCreate(names=[NameIn(value=item.name, lang=lang)]))
                created += 1
            _cite(session, source.id, "person", person.id)
            for key in (item.name, *item.mentions):
                people[key] = person.id
            for pos in item.positions:
                org_id = pos.organization_id or (orgs.get(pos.organization) if pos.organization else None)
                position = session.scalar(select(Position).where(
                    Position.person_id == person.id, Position.title == pos.title, Position.organization_id == org_id))
                if position is None:
                    position = registry.add_position(session=session, person_id=person.id,
                                                     data=PositionIn(title=pos.title, organization_id=org_id))
                _cite(session, source.id, "position", position.id)
                participants.append(ParticipantIn(person_id=person.id, organization_id=org_id, title=pos.title))
            if not item.positions:
                participants.append(ParticipantIn(person_id=person.id))

    mission_id = None
    if result.events or result.agreements or participants:
        with _at("dates"):
            ranges = [(d.start, d.end or d.start) for d in result.dates if _date(d.start)]
            start = min((_date(s) for s, _ in ranges), default=None)
            end = max((_date(e) for _, e in ranges), default=None)
        events = []
        for index, item in enumerate(result.events):
            with _at("events", index):
                events.append(EventIn(
                    kind=item.kind if item.kind in {"visit", "meeting", "signing", "presentation"} else "other",
                    start=_date(item.start), end=_date(item.end),
                    place_id=places.get(item.place) if item.place else None,
                    summary=item.summary or item.kind,
                    organization_ids=[orgs[o] for o in item.organizations if o in orgs],
                    person_ids=[people[p] for p in item.people if p in people]))
        unique = {p.person_id: p for p in participants}
        mission = engagements.create_mission(session=session, actor=actor, data=MissionCreate(
            title=title or document.name, start=start, end=end, source_id=source.id,
            organization_ids=list(dict.fromkeys(orgs.values())), participants=list(unique.values()),
            events=events))
        mission_id = mission.id
        for index, item in enumerate(result.agreements):
            with _at("agreements", index):
                parties = list(dict.fromkeys(orgs[p] for p in item.parties if p in orgs))
                if parties:
                    engagements.create_agreement(session=session, actor=actor, data=AgreementCreate(
                        kind=item.kind if item.kind in {"memorandum", "agreement", "contract"} else "agreement",
                        subject=item.subject or item.kind, signed_on=_date(item.date), party_ids=parties,
                        mission_id=mission.id, source_id=source.id))

    document.status = "accepted"
    document.accepted_at = utcnow()
    document.source_id = source.id
    document.mission_id = mission_id
    document.result = result.model_dump(mode="json")
    session.flush()
    return Accepted(document_id=document.id, source_id=source.id, mission_id=mission_id,
                    organizations=orgs, people=people, places=places, created=created)


__all__ = ["Accepted", "accept_document", "get_document",
           "list_documents", "save_document"]
