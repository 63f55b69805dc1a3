"""Engagements' services: editors write, every read keeps to what the actor may see, answers
are public shapes whose references carry names in the reader's language."""

from __future__ import annotations

import pytest

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter, AgreementFilter
from cooplab.engagements.schemas import (
    ActionItemCreate,
    ActionItemUpdate,
    AgreementCreate,
    MissionCreate,
    MissionUpdate,
)
from cooplab.errors import ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError
from tests.factories import make_actor, make_org


def member_of(org_id: int) -> Actor:
    return Actor(user_id=7, label="member@example.org", role=Role.MEMBER, organization_id=org_id)


def test_a_private_mission_is_seen_by_its_organization_only(session):
    cluster, other = make_org(session, "Кластер", kind="association"), make_org(session, "Other")
    owner = make_actor(session, "analyst", cluster.id)
    mission = service.create_mission(
        session=session,
        actor=owner,
        data=MissionCreate(title="Визит", visibility="organization", organization_ids=[cluster.id]),
    )
    assert (
        service.mission_detail(session=session, actor=member_of(cluster.id), mission_id=mission.id).title
        == "Визит"
    )
    with pytest.raises(NotFoundError):
        service.mission_detail(session=session, actor=member_of(other.id), mission_id=mission.id)
    assert service.list_missions(session=session, actor=member_of(other.id)).count == 0


def test_only_editors_write_and_edits_keep_to_their_version(session):
    org = make_org(session)
    with pytest.raises(ForbiddenError):
        service.create_mission(session=session, actor=member_of(org.id), data=MissionCreate(title="X"))
    mission = service.create_mission(session=session, actor=SYSTEM, data=MissionCreate(title="Визит"))
    changed = service.update_mission(
        session=session,
        actor=SYSTEM,
        mission_id=mission.id,
        data=MissionUpdate(version=mission.version, title="Визит в Ташкент"),
    )
    assert changed.title == "Визит в Ташкент" and changed.version == mission.version + 1
    with pytest.raises(StaleVersionError):
        service.update_mission(
            session=session,
            actor=SYSTEM,
            mission_id=mission.id,
            data=MissionUpdate(version=mission.version, title="Старое"),
        )


def test_agreements_name_their_parties_for_the_reader(session):
    uzauto = make_org(
        session,
        "UzAuto Motors",
        names=[{"value": "УзАвто Моторс", "lang": "ru"}, {"value": "UzAuto Motors", "lang": "en"}],
    )
    cluster = make_org(
        session,
        "Кластер автомобильной промышленности",
        kind="association",
        names=[
            {"value": "Кластер автомобильной промышленности", "lang": "ru"},
            {"value": "Cluster of Automotive Industry", "lang": "en"},
        ],
    )
    service.create_agreement(
        session=session,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="О сотрудничестве",
            party_ids=[uzauto.id, cluster.id],
            visibility="members",
        ),
    )
    english = service.list_agreements(
        session=session, actor=SYSTEM, lang="en", filters=AgreementFilter(organization_id=cluster.id)
    )
    assert [p.name for p in english.data[0].parties] == ["UzAuto Motors", "Cluster of Automotive Industry"]
    stored = service.list_agreements(session=session, actor=SYSTEM)
    assert stored.data[0].parties[1].name == "Кластер автомобильной промышленности"
    with pytest.raises(InvalidInputError) as missing:
        service.create_agreement(
            session=session,
            actor=SYSTEM,
            data=AgreementCreate(kind="memorandum", subject="X", party_ids=[999_999]),
        )
    assert missing.value.details[0]["code"] == "record_missing"


def test_next_steps_are_updated_by_the_organization_responsible(session):
    org, other = make_org(session), make_org(session, "Other")
    step = service.create_action_item(
        session=session,
        actor=SYSTEM,
        data=ActionItemCreate(
            title="Отправить спецификацию", responsible_organization_id=org.id, due="2020-01-01"
        ),
    )
    assert step.overdue
    with pytest.raises(NotFoundError):  # a parties-only step another organization cannot even see
        service.update_action_item(
            session=session,
            actor=member_of(other.id),
            item_id=step.id,
            data=ActionItemUpdate(version=step.version, status="done"),
        )
    done = service.update_action_item(
        session=session,
        actor=member_of(org.id),
        item_id=step.id,
        data=ActionItemUpdate(version=step.version, status="done"),
    )
    assert done.status == "done" and not done.overdue
    overdue = service.list_action_items(session=session, actor=SYSTEM, filters=ActionItemFilter(overdue=True))
    assert overdue.count == 0
