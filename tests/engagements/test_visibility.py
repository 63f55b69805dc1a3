"""Who reads a confidential engagement record: role and organization together, the creator always,
a mission's events as the mission says (docs/access.md)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    EventIn,
    MissionCreate,
    MissionUpdate,
)
from cooplab.errors import ForbiddenError, InvalidInputError, NotFoundError
from tests.app.test_statements import counting
from tests.factories import make_actor, make_org, make_token, make_user


def readable(session, actor, mission_id: int) -> bool:
    listed = mission_id in {m.id for m in service.list_missions(session=session, actor=actor, limit=100).data}
    try:
        service.mission_detail(session=session, actor=actor, mission_id=mission_id)
    except NotFoundError:
        assert not listed
        return False
    assert listed
    return True


def test_a_viewer_of_an_organization_does_not_read_its_private_or_parties_records(session):
    org, other = make_org(session, "Кластер"), make_org(session, "Other")
    private = service.create_mission(
        session=session, actor=SYSTEM, data=MissionCreate(title="Private", visibility="organization")
    )
    private_row = service.get_mission(session=session, actor=SYSTEM, mission_id=private.id)
    private_row.owner_organization_id = org.id
    parties = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(title="Parties", visibility="parties", organization_ids=[org.id]),
    )
    session.flush()
    viewer = make_actor(session, "viewer", org.id)
    member = make_actor(session, "member", org.id)
    analyst = make_actor(session, "analyst", other.id)
    party_analyst = make_actor(session, "analyst", org.id, email="party-analyst@example.org")
    assert (readable(session, viewer, private.id), readable(session, viewer, parties.id)) == (False, False)
    assert (readable(session, member, private.id), readable(session, member, parties.id)) == (True, True)
    assert (readable(session, analyst, private.id), readable(session, analyst, parties.id)) == (True, False)
    assert readable(session, party_analyst, parties.id)


def test_the_creator_keeps_reading_a_parties_mission_that_does_not_name_their_organization(session):
    org = make_org(session)
    analyst = make_actor(session, "analyst")  # no organization at all
    mission = service.create_mission(
        session=session,
        actor=analyst,
        data=MissionCreate(
            title="Переговоры",
            visibility="parties",
            organization_ids=[org.id],
            events=[EventIn(kind="meeting", summary="Встреча", organization_ids=[org.id])],
        ),
    )
    assert readable(session, analyst, mission.id)
    assert [
        e.summary
        for e in service.mission_detail(session=session, actor=analyst, mission_id=mission.id).events
    ] == ["Встреча"]
    another = make_actor(session, "analyst", email="another@example.org")
    assert not readable(session, another, mission.id)


def test_a_change_of_a_missions_visibility_reaches_its_events(session):
    org = make_org(session)
    mission = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит",
            visibility="parties",
            organization_ids=[org.id],
            events=[EventIn(kind="visit", summary="Завод")],
        ),
    )
    viewer = make_actor(session, "viewer")
    with pytest.raises(NotFoundError):
        service.mission_detail(session=session, actor=viewer, mission_id=mission.id)
    opened = service.update_mission(
        session=session,
        actor=SYSTEM,
        mission_id=mission.id,
        data=MissionUpdate(version=mission.version, visibility="members"),
    )
    seen = service.mission_detail(session=session, actor=viewer, mission_id=mission.id)
    assert [e.summary for e in seen.events] == ["Завод"]
    service.update_mission(
        session=session,
        actor=SYSTEM,
        mission_id=mission.id,
        data=MissionUpdate(version=opened.version, visibility="organization"),
    )
    member = make_actor(session, "member", org.id)
    with pytest.raises(NotFoundError):
        service.mission_detail(session=session, actor=member, mission_id=mission.id)


def test_a_member_hands_a_parties_only_step_to_a_party_only(session):
    org, owner, stranger = make_org(session), make_org(session, "Кластер"), make_org(session, "Other")
    analyst = make_actor(session, "analyst", owner.id)
    step = service.create_action_item(
        session=session,
        actor=analyst,
        data=ActionItemCreate(title="Спецификация", responsible_organization_id=org.id, visibility="parties"),
    )
    member = make_actor(session, "member", org.id)
    with pytest.raises(ForbiddenError):
        service.update_action_item(
            session=session,
            actor=member,
            item_id=step.id,
            data=ActionItemUpdate(version=step.version, responsible_organization_id=stranger.id),
        )
    assert (
        service.list_action_items(session=session, actor=make_actor(session, "member", stranger.id)).count
        == 0
    )
    with pytest.raises(InvalidInputError):
        service.update_action_item(
            session=session,
            actor=member,
            item_id=step.id,
            data=ActionItemUpdate(version=step.version, responsible_organization_id=999999),
        )
    handed = service.update_action_item(
        session=session,
        actor=member,
        item_id=step.id,
        data=ActionItemUpdate(version=step.version, responsible_organization_id=owner.id),
    )
    assert handed.responsible_organization.id == owner.id


def test_a_hidden_record_answers_as_a_missing_one(app, session):
    org, other = make_org(session), make_org(session, "Other")
    hidden = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(title="Переговоры", visibility="parties", organization_ids=[org.id]),
    )
    token = make_token(session, make_user(session, "member", other.id))
    session.commit()
    missing = hidden.id + 1000
    answers = {}
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as viewer:
        for mission_id in (hidden.id, missing):
            viewer.get(f"/api/v1/missions/{mission_id}")  # warm
            with counting(app) as statements:
                response = viewer.get(f"/api/v1/missions/{mission_id}")
            body = response.text.replace(str(mission_id), "ID")
            answers[mission_id] = (response.status_code, body, len(statements))
    assert answers[hidden.id] == answers[missing]
    assert answers[missing][0] == 404
