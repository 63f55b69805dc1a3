"""A mission report in Russian and English, from records, showing only what the reader may see."""

from sqlalchemy import select

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service
from cooplab.engagements.report import mission_report
from cooplab.engagements.schemas import ActionItemCreate, AgreementCreate, MissionCreate
from cooplab.registry.models import Organization, Person, Place
from cooplab.registry.reference import load_reference


def by_name(session, model, name):
    return session.scalar(select(model.id).where(model.name == name))


def test_report_in_both_languages(session):
    load_reference(session=session)
    cluster = by_name(session, Organization, "Кластер автомобильной промышленности")
    lab = by_name(session, Organization, "Cooperation Lab")
    uzauto = by_name(session, Organization, "UzAuto Motors")
    krainov = by_name(session, Person, "Андрей Крайнов")
    asaka = by_name(session, Place, "Асака")
    mission = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит в Узбекистан",
            start="2024-02-27",
            end="2024-03-02",
            organizer_ids=[lab],
            organization_ids=[cluster, uzauto],
            participants=[
                {"person_id": krainov, "organization_id": cluster, "title": "генеральный директор"}
            ],
            events=[
                {
                    "kind": "visit",
                    "start": "2024-02-28",
                    "place_id": asaka,
                    "summary": "Завод",
                    "organization_ids": [uzauto],
                    "person_ids": [krainov],
                }
            ],
        ),
    )
    service.create_agreement(
        session=session,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="сотрудничество",
            signed_on="2024-03-02",
            party_ids=[cluster, lab],
            mission_id=mission.id,
        ),
    )
    service.create_action_item(
        session=session,
        actor=SYSTEM,
        data=ActionItemCreate(
            title="Список поставщиков",
            due="2024-03-15",
            responsible_organization_id=cluster,
            mission_id=mission.id,
        ),
    )
    session.commit()

    ru = mission_report(session=session, actor=SYSTEM, mission_id=mission.id, lang="ru")
    assert "С 27 февраля по 2 марта 2024\u00a0г.\n" in ru
    assert (
        "- **28 февраля 2024\u00a0г., Асака.** Визит: UzAuto Motors; участники: Андрей Крайнов. Завод." in ru
    )
    assert (
        "Меморандум между Кластером автомобильной промышленности и Cooperation Lab, 2 марта 2024\u00a0г."
        in ru
    )
    assert "Список поставщиков (открыто; срок: 15 марта 2024\u00a0г." in ru
    en = mission_report(session=session, actor=SYSTEM, mission_id=mission.id, lang="en")
    assert "27 February – 2 March 2024." in en
    assert "Andrey Kraynov (General Director, Cluster of Automotive Industry)" in en
    assert "- **28 February 2024, Asaka.** Visit: UzAuto Motors; participants: Andrey Kraynov." in en
    assert "Memorandum between Cluster of Automotive Industry and Cooperation Lab" in en
    typed = en.replace("Визит в Узбекистан", "").replace(
        "Список поставщиков", ""
    )  # what users wrote stays as written
    assert not any("\u0400" <= ch <= "\u04ff" for ch in typed), en

    # a member of UzAuto Motors is not a party to the memorandum: it is not in their report
    outsider = Actor(user_id=None, label="uz", role=Role.MEMBER, organization_id=uzauto)
    assert "Меморандум" not in mission_report(
        session=session, actor=outsider, mission_id=mission.id, lang="ru"
    )
