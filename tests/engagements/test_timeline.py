"""An organization's page shows its relationship timeline: missions, events, agreements and next
steps, newest first, each a link, none the reader may not see."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import ActionItemCreate, AgreementCreate, EventIn, MissionCreate
from tests.factories import make_actor, make_org, make_token, make_user


def _timeline(session):
    cluster = make_org(session, "Кластер автомобильной промышленности", kind="association")
    partner = make_org(session, "UzAuto Motors", kind="oem")
    other = make_org(session, "Other Works", kind="supplier")
    old = engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит 2023",
            start=date(2023, 5, 1),
            end=date(2023, 5, 3),
            organizer_ids=[cluster.id],
            organization_ids=[partner.id],
            visibility="public",
            events=[
                EventIn(
                    kind="visit",
                    summary="Посещение завода",
                    start=date(2023, 5, 2),
                    organization_ids=[partner.id],
                )
            ],
        ),
    )
    new = engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит 2024", start=date(2024, 2, 27), organization_ids=[partner.id], visibility="members"
        ),
    )
    secret = engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(title="Закрытая миссия", organization_ids=[partner.id], visibility="organization"),
    )
    engagements.create_agreement(
        session=session,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="Меморандум о локализации",
            signed_on=date(2024, 3, 1),
            party_ids=[cluster.id, partner.id],
            mission_id=new.id,
            visibility="members",
        ),
    )
    engagements.create_agreement(
        session=session,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="contract", subject="Тайный контракт", party_ids=[partner.id, other.id], visibility="parties"
        ),
    )
    engagements.create_action_item(
        session=session,
        actor=SYSTEM,
        data=ActionItemCreate(
            title="Прислать перечень деталей",
            due=date(2024, 4, 1),
            responsible_organization_id=partner.id,
            mission_id=new.id,
            visibility="members",
        ),
    )
    session.commit()
    return partner, other, old, new, secret


def test_timeline_is_newest_first_and_keeps_what_the_reader_may_not_see(session):
    partner, other, old, new, secret = _timeline(session)
    reader = make_actor(session, "member", make_org(session, "Third", kind="supplier").id)
    entries = engagements.organization_timeline(session=session, actor=reader, organization_id=partner.id)
    assert [(e.kind, e.title) for e in entries] == [
        ("step", "Прислать перечень деталей"),
        ("agreement", "Меморандум о локализации"),
        ("mission", "Визит 2024"),
        ("event", "Посещение завода"),
        ("mission", "Визит 2023"),
    ]
    assert entries[0].url == f"/missions/{new.id}#actions-title"
    assert entries[-1].url == f"/missions/{old.id}"
    assert entries[-1].detail == "participant"
    # a party of the contract reads it; an admin reads everything, the undated records last
    party = make_actor(session, "member", other.id)
    seen = engagements.organization_timeline(session=session, actor=party, organization_id=partner.id)
    assert "Тайный контракт" in [e.title for e in seen]
    admin = make_actor(session, "admin")
    everything = engagements.organization_timeline(session=session, actor=admin, organization_id=partner.id)
    assert {e.title for e in everything[-2:]} == {"Закрытая миссия", "Тайный контракт"}


def test_organization_page_shows_the_timeline_in_both_languages(app, session):
    partner, _other, old, new, _secret = _timeline(session)
    token = make_token(session, make_user(session, "member", make_org(session, "Third", kind="supplier").id))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        ru = client.get(f"/organizations/{partner.id}?lang=ru", headers={"Accept": "text/html"}).text
        en = client.get(f"/organizations/{partner.id}?lang=en", headers={"Accept": "text/html"}).text
    assert "История отношений" in ru and "Relationship timeline" in en
    for page in (ru, en):
        assert f'href="/missions/{new.id}"' in page and f'href="/missions/{old.id}"' in page
        assert "Меморандум о локализации" in page and "Прислать перечень деталей" in page
        assert "Закрытая миссия" not in page and "Тайный контракт" not in page
    assert page.index("Визит 2024") < page.index("Визит 2023")
