"""Pages and API routes read a record with a number of statements that does not grow with the
number of records linked to it (no query per linked record)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import (
    ActionItemCreate,
    AgreementCreate,
    EventIn,
    MissionCreate,
    ParticipantIn,
)
from cooplab.registry import service
from cooplab.registry.schemas import (
    CitationCreate,
    MembershipCreate,
    OwnershipCreate,
    PositionIn,
    SiteCreate,
    SourceCreate,
)
from tests.factories import make_org, make_person, make_place, make_token, make_user


@contextmanager
def counting(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)


def statements_of(app, client: TestClient, url: str, **headers: str) -> int:
    client.get(url, headers=headers)  # warm: kept answers, indexes, caches
    with counting(app) as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return len(statements)


@pytest.fixture
def signed(app, session) -> TestClient:
    token = make_token(session, make_user(session, "admin"))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def grow_organization(session: Session, org_id: int, n: int, tag: str) -> None:
    """Give an organization n more owners, members, sites, people and cited facts."""
    source = service.create_source(session=session, actor=SYSTEM, data=SourceCreate(title=f"Source {tag}"))
    for i in range(n):
        owner = make_org(
            session,
            f"Owner {tag}{i}",
            kind="holding",
            names=[{"value": f"Владелец {tag}{i}", "lang": "ru"}, {"value": f"Owner {tag}{i}", "lang": "en"}],
        )
        member = make_org(session, f"Member {tag}{i}", kind="supplier", tier=2)
        service.add_ownership(
            session=session, actor=SYSTEM, data=OwnershipCreate(owner_id=owner.id, owned_id=org_id)
        )
        service.add_membership(
            session=session, actor=SYSTEM, data=MembershipCreate(member_id=member.id, group_id=org_id)
        )
        place = make_place(
            session,
            f"Город {tag}{i}",
            names=[{"value": f"Город {tag}{i}", "lang": "ru"}, {"value": f"Town {tag}{i}", "lang": "en"}],
        )
        site = service.add_site(
            session=session, actor=SYSTEM, organization_id=org_id, data=SiteCreate(place_id=place.id)
        )
        person = make_person(session, f"Иван Петров {tag}{i}")
        position = service.add_position(
            session=session,
            actor=SYSTEM,
            person_id=person.id,
            data=PositionIn(title="директор", organization_id=org_id),
        )
        for subject, subject_id in (("site", site.id), ("position", position.id), ("organization", owner.id)):
            service.cite(
                session=session,
                actor=SYSTEM,
                subject_type=subject,
                subject_id=subject_id,
                data=CitationCreate(source_id=source.id),
            )
    session.commit()


def grow_mission(session: Session, mission_id: int, org_id: int, n: int, tag: str) -> None:
    """Give a mission n more events, agreements, next steps and participants."""
    for i in range(n):
        partner = make_org(session, f"Partner {tag}{i}", kind="supplier", tier=1)
        person = make_person(session, f"Пётр Сидоров {tag}{i}")
        place = make_place(session, f"Место {tag}{i}")
        engagements.add_event(
            session=session,
            actor=SYSTEM,
            mission_id=mission_id,
            data=EventIn(
                kind="visit",
                summary=f"Visit {tag}{i}",
                place_id=place.id,
                organization_ids=[partner.id, org_id],
                person_ids=[person.id],
            ),
        )
        agreement = engagements.create_agreement(
            session=session,
            actor=SYSTEM,
            data=AgreementCreate(
                kind="memorandum",
                subject=f"MoU {tag}{i}",
                party_ids=[partner.id, org_id],
                mission_id=mission_id,
                visibility="members",
            ),
        )
        engagements.create_action_item(
            session=session,
            actor=SYSTEM,
            data=ActionItemCreate(
                title=f"Step {tag}{i}",
                mission_id=mission_id,
                agreement_id=agreement.id,
                responsible_person_id=person.id,
                responsible_organization_id=partner.id,
                visibility="members",
            ),
        )
    session.commit()


PAGES: dict[str, Callable[[int], str]] = {
    "organization page ru": lambda i: f"/organizations/{i}?lang=ru",
    "organization page en": lambda i: f"/organizations/{i}?lang=en",
    "organization API": lambda i: f"/api/v1/organizations/{i}",
    "organization list page en": lambda _: "/organizations?lang=en&limit=100",
    "people list page en": lambda _: "/people?lang=en&limit=100",
    "places list page en": lambda _: "/places?lang=en&limit=100",
    "dashboard en": lambda _: "/?lang=en",
}


def test_organization_reads_do_not_grow_with_its_links(app, session, signed):
    org = make_org(session, "UzAuto Motors", kind="oem")
    session.commit()
    grow_organization(session, org.id, 2, "a")
    before = {
        name: statements_of(app, signed, url(org.id), Accept="text/html") for name, url in PAGES.items()
    }
    grow_organization(session, org.id, 6, "b")
    after = {name: statements_of(app, signed, url(org.id), Accept="text/html") for name, url in PAGES.items()}
    assert after == before


MISSION_PAGES: dict[str, Callable[[int], str]] = {
    "mission page ru": lambda i: f"/missions/{i}?lang=ru",
    "mission page en": lambda i: f"/missions/{i}?lang=en",
    "mission report en": lambda i: f"/missions/{i}/report?lang=en",
    "mission API": lambda i: f"/api/v1/missions/{i}",
    "agreements API": lambda _: "/api/v1/agreements?limit=100",
    "next steps API": lambda _: "/api/v1/action-items?limit=100",
}


def test_mission_reads_do_not_grow_with_its_records(app, session, signed):
    org = make_org(session, "Кластер автомобильной промышленности", kind="association")
    person = make_person(session)
    mission = engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит в Узбекистан",
            organizer_ids=[org.id],
            participants=[ParticipantIn(person_id=person.id, organization_id=org.id, title="директор")],
        ),
    )
    session.commit()
    grow_mission(session, mission.id, org.id, 2, "a")
    before = {
        name: statements_of(app, signed, url(mission.id), Accept="text/html")
        for name, url in MISSION_PAGES.items()
    }
    grow_mission(session, mission.id, org.id, 6, "b")
    after = {
        name: statements_of(app, signed, url(mission.id), Accept="text/html")
        for name, url in MISSION_PAGES.items()
    }
    assert after == before


def grow_timeline(session: Session, org_id: int, n: int, tag: str) -> None:
    """Give an organization n more missions, each with its events, agreements and next steps."""
    for i in range(n):
        mission = engagements.create_mission(
            session=session,
            actor=SYSTEM,
            data=MissionCreate(title=f"Mission {tag}{i}", organization_ids=[org_id]),
        )
        grow_mission(session, mission.id, org_id, 2, f"{tag}{i}-")
        engagements.create_action_item(
            session=session,
            actor=SYSTEM,
            data=ActionItemCreate(
                title=f"Own step {tag}{i}", responsible_organization_id=org_id, visibility="members"
            ),
        )
    session.commit()


def test_organization_timeline_does_not_grow_with_its_records(app, session, signed):
    org = make_org(session, "UzAuto Motors", kind="oem")
    session.commit()
    grow_timeline(session, org.id, 1, "a")
    pages = ("/organizations/{}?lang=ru", "/organizations/{}?lang=en")
    before = [statements_of(app, signed, url.format(org.id), Accept="text/html") for url in pages]
    grow_timeline(session, org.id, 4, "b")
    after = [statements_of(app, signed, url.format(org.id), Accept="text/html") for url in pages]
    page = signed.get(f"/organizations/{org.id}?lang=en").text
    assert "Mission b3" in page and "MoU b3-1" in page and "Own step b3" in page
    assert after == before
