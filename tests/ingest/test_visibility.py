"""An ingested document, and the source its acceptance created, are seen as the mission they were
accepted into: over the API, on organization pages, in lists and counts (docs/access.md)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import MissionUpdate
from cooplab.ingest import service
from cooplab.ingest.models import IngestDocument
from cooplab.ingest.schemas import EventOut, IngestResult, OrganizationOut
from tests.factories import make_org, make_token, make_user


def accepted_mission(session, visibility: str, actor=SYSTEM) -> tuple[int, int, int, int]:
    """A document accepted into a mission made `visibility` afterwards: document, source, mission
    and organization ids."""
    org = make_org(session, "UzAuto Motors")
    document = IngestDocument(
        content_hash="0" * 64,
        name="report.txt",
        text="Секретный визит",
        language="ru",
        result={"content_hash": "0" * 64},
    )
    session.add(document)
    session.flush()
    result = IngestResult(
        content_hash="0" * 64,
        organizations=[OrganizationOut(id=org.id, name="UzAuto Motors", mentions=[])],
        events=[EventOut(kind="visit", organizations=["UzAuto Motors"], summary="Секретный визит")],
    )
    accepted = service.accept_document(
        session=session, actor=actor, document_id=document.id, result=result, title="Секретный визит"
    )
    mission = engagements.get_mission(session=session, actor=SYSTEM, mission_id=accepted.mission_id)
    engagements.update_mission(
        session=session,
        actor=SYSTEM,
        mission_id=mission.id,
        data=MissionUpdate(version=mission.version, visibility=visibility),
    )
    session.commit()
    return document.id, accepted.source_id, mission.id, org.id


def client_of(app, session, role: str, organization_id: int | None = None) -> TestClient:
    token = make_token(session, make_user(session, role, organization_id))
    session.commit()
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_a_document_is_read_as_the_mission_it_was_accepted_into(app, session, client):
    document_id, _, mission_id, org_id = accepted_mission(session, "parties")
    with client_of(app, session, "viewer") as viewer, client_of(app, session, "member", org_id) as party:
        assert viewer.get(f"/api/v1/documents/{document_id}").status_code == 404
        assert viewer.get("/api/v1/documents").json()["count"] == 0
        assert party.get(f"/api/v1/documents/{document_id}").json()["text"] == "Секретный визит"
        assert party.get("/api/v1/documents").json()["count"] == 1
        client.patch(f"/api/v1/missions/{mission_id}", json={"version": 2, "visibility": "members"})
        assert viewer.get(f"/api/v1/documents/{document_id}").status_code == 200


def test_a_draft_is_not_read_by_viewers(app, session):
    document = IngestDocument(
        content_hash="1" * 64,
        name="draft.txt",
        text="Черновик",
        language="ru",
        result={"content_hash": "1" * 64},
    )
    session.add(document)
    session.commit()
    with client_of(app, session, "viewer") as viewer, client_of(app, session, "analyst") as analyst:
        assert viewer.get(f"/api/v1/documents/{document.id}").status_code == 404
        assert analyst.get(f"/api/v1/documents/{document.id}").status_code == 200


def test_a_private_missions_title_does_not_leak_through_its_source(app, session, anonymous, client):
    _, source_id, _, org_id = accepted_mission(session, "organization")
    assert anonymous.get(f"/api/v1/sources/{source_id}").status_code == 404
    assert "Секретный визит" not in anonymous.get("/api/v1/sources").text
    assert "Секретный визит" not in anonymous.get(f"/api/v1/organizations/{org_id}").text
    assert "Секретный визит" not in anonymous.get(f"/organizations/{org_id}").text
    with client_of(app, session, "viewer") as viewer:
        assert viewer.get(f"/api/v1/sources/{source_id}").status_code == 404
    assert client.get(f"/api/v1/sources/{source_id}").json()["title"] == "Секретный визит"
    cited = client.get(f"/api/v1/organizations/{org_id}").json()["citations"]
    assert [c["source"]["title"] for c in cited] == ["Секретный визит"]


def test_an_analyst_keeps_reading_what_they_accepted(app, session):
    user = make_user(session, "analyst")  # of no organization
    analyst = Actor(user_id=user.id, label=user.email, role=Role.ANALYST)
    document_id, source_id, mission_id, _ = accepted_mission(session, "parties", analyst)
    token = make_token(session, user)
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        for url in (
            f"/api/v1/documents/{document_id}",
            f"/api/v1/missions/{mission_id}",
            f"/api/v1/sources/{source_id}",
        ):
            assert client.get(url).status_code == 200, url
