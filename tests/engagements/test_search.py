"""Search finds missions, events and agreements by their titles, in Russian and English, only
those the reader may see; on the search page and through the API."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import AgreementCreate, EventIn, MissionCreate
from tests.factories import make_actor, make_org, make_token, make_user


def _records(session):
    cluster = make_org(session, "Кластер автомобильной промышленности", kind="association")
    partner = make_org(session, "UzAuto Motors", kind="oem")
    mission = engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит делегации в Ташкент",
            start=date(2024, 2, 27),
            organization_ids=[cluster.id, partner.id],
            events=[
                EventIn(kind="visit", summary="Visit to the Andijan plant", organization_ids=[partner.id])
            ],
        ),
    )
    engagements.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(title="Закрытый визит в Самарканд", visibility="organization"),
    )
    engagements.create_agreement(
        session=session,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="Меморандум о локализации производства",
            party_ids=[cluster.id, partner.id],
            mission_id=mission.id,
            visibility="members",
        ),
    )
    session.commit()
    return mission


def test_search_finds_engagements_in_any_case_and_language(session):
    mission = _records(session)
    reader = make_actor(session, "member", make_org(session, "Third", kind="supplier").id)

    def found(query: str, types: set[str] | None = None) -> list[tuple[str, str]]:
        hits = engagements.search_engagements(session=session, actor=reader, query=query, types=types)
        return [(h.type, h.name) for h in hits]

    assert found("визит") == [("mission", "Визит делегации в Ташкент")]
    assert found("ВИЗИТ ташкент") == [("mission", "Визит делегации в Ташкент")]
    assert found("andijan PLANT") == [("event", "Visit to the Andijan plant")]
    assert found("локализации") == [("agreement", "Меморандум о локализации производства")]
    assert found("визит", {"agreement"}) == []
    assert found("100%") == []
    admin = make_actor(session, "admin")
    titles = [h.name for h in engagements.search_engagements(session=session, actor=admin, query="визит")]
    assert sorted(titles) == ["Визит делегации в Ташкент", "Закрытый визит в Самарканд"]
    hit = engagements.search_engagements(session=session, actor=reader, query="Визит делегации")[0]
    assert hit.url == f"/missions/{mission.id}" and hit.score >= 90


def test_search_page_and_api_list_engagements_the_reader_may_see(app, session):
    mission = _records(session)
    token = make_token(session, make_user(session, "member", make_org(session, "Third", kind="supplier").id))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.get("/api/v1/search", params={"q": "визит"}).json()
        assert [(h["type"], h["name"], h["url"]) for h in answer["data"]] == [
            ("mission", "Визит делегации в Ташкент", f"/missions/{mission.id}")
        ]
        only = client.get("/api/v1/search", params={"q": "меморандум", "type": "agreement"}).json()
        assert [h["type"] for h in only["data"]] == ["agreement"]
        assert client.get("/api/v1/search", params={"q": "x", "type": "nothing"}).status_code == 422
        ru = client.get("/search", params={"q": "визит", "lang": "ru"}, headers={"Accept": "text/html"}).text
        en = client.get("/search", params={"q": "визит", "lang": "en"}, headers={"Accept": "text/html"}).text
    assert "Миссии" in ru and "Missions" in en
    for page in (ru, en):
        assert f'href="/missions/{mission.id}"' in page
        assert "Самарканд" not in page
