"""The API answers exactly what the visibility rule of docs/access.md allows: random actors (role
× organization, and anonymous visitors) read random missions of random visibility, owners,
parties and creators, with the events and the ingested documents that follow them, and
agreements; every list, count and detail is compared with the rule, written here again from the
documentation's tables."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service
from cooplab.engagements.models import Agreement
from cooplab.engagements.schemas import AgreementCreate, EventIn, MissionCreate
from cooplab.ingest.models import IngestDocument
from tests.factories import make_org, make_token, make_user

VISIBILITIES = ("public", "members", "organization", "parties")


@dataclass(frozen=True)
class Reader:
    role: str | None  # None: an anonymous visitor
    organization_id: int | None
    user_id: int | None
    token: str | None


@dataclass(frozen=True)
class Made:
    id: int
    visibility: str
    owner: int | None
    parties: frozenset[int]
    creator: int | None


def may_read(reader: Reader, record: Made) -> bool:
    """docs/access.md: the tables of roles and of visibilities, and the creator's rule."""
    if reader.role == "admin" or (reader.user_id is not None and reader.user_id == record.creator):
        return True
    scoped = reader.role in {"member", "analyst"} and reader.organization_id is not None
    return {
        "public": True,
        "members": reader.role is not None,
        "organization": reader.role == "analyst" or (scoped and reader.organization_id == record.owner),
        "parties": scoped and reader.organization_id in record.parties,
    }[record.visibility]


def test_every_answer_about_missions_keeps_to_the_rule(app, session):
    orgs = [make_org(session, name).id for name in ("UzAuto Motors", "Кластер", "Cooperation Lab")]
    readers = [Reader(None, None, None, None)]
    creators: list[tuple[Actor, Reader]] = []
    for role in ("viewer", "member", "analyst", "admin"):
        for org in (None, *orgs[:2]):
            if role == "member" and org is None:
                continue  # members belong to an organization
            user = make_user(session, role, org)
            reader = Reader(role, org, user.id, make_token(session, user))
            readers.append(reader)
            if role in {"analyst", "admin"}:
                actor = Actor(user_id=user.id, label=user.email, role=Role(role), organization_id=org)
                creators.append((actor, reader))
    session.commit()
    clients = {
        r: TestClient(app, headers={"Authorization": f"Bearer {r.token}"} if r.token else {}) for r in readers
    }
    missions = st.tuples(
        st.integers(0, len(creators) - 1),
        st.sampled_from(VISIBILITIES),
        st.frozensets(st.sampled_from(orgs), max_size=2),
    )

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=st.lists(missions, min_size=1, max_size=4))
    def check(drawn) -> None:
        made, agreements = [], []
        for creator, visibility, parties in drawn:
            actor, _ = creators[creator]
            mission = service.create_mission(
                session=session,
                actor=actor,
                data=MissionCreate(
                    title="Визит",
                    visibility=visibility,
                    organization_ids=sorted(parties),
                    events=[EventIn(kind="visit", summary="Завод")],
                ),
            )
            made.append(Made(mission.id, visibility, actor.organization_id, parties, actor.user_id))
            signed = parties or frozenset(orgs[2:])
            agreement = service.create_agreement(
                session=session,
                actor=actor,
                data=AgreementCreate(
                    kind="memorandum", subject="Меморандум", party_ids=sorted(signed), visibility=visibility
                ),
            )
            agreements.append(Made(agreement.id, visibility, actor.organization_id, signed, actor.user_id))
            session.add(  # accepted into the mission by the command line: it follows the mission
                IngestDocument(
                    content_hash=f"{mission.id:064d}",
                    name="report.txt",
                    text="Визит",
                    language="ru",
                    result={"content_hash": f"{mission.id:064d}"},
                    status="accepted",
                    visibility="public",
                    mission_id=mission.id,
                )
            )
        session.commit()
        documents = {
            d.mission_id: d.id
            for d in session.query(IngestDocument).filter(IngestDocument.mission_id.in_([m.id for m in made]))
        }
        try:
            for reader, client in clients.items():
                expected = {m.id for m in made if may_read(reader, m)}
                listed = client.get("/api/v1/missions", params={"limit": 100}).json()
                assert ({m["id"] for m in listed["data"]}, listed["count"]) == (expected, len(expected)), (
                    reader
                )
                signed = {a.id for a in agreements if may_read(reader, a)}
                listed = client.get("/api/v1/agreements", params={"limit": 100}).json()
                assert ({a["id"] for a in listed["data"]}, listed["count"]) == (signed, len(signed)), reader
                for a in agreements:
                    status = client.get(f"/api/v1/agreements/{a.id}").status_code
                    assert status == (200 if a.id in signed else 404), (reader, a)
                listed = client.get("/api/v1/documents", params={"limit": 100}).json()
                assert {d["id"] for d in listed["data"]} == {documents[i] for i in expected}, reader
                assert listed["count"] == len(expected), reader
                for m in made:
                    detail = client.get(f"/api/v1/missions/{m.id}")
                    assert detail.status_code == (200 if m.id in expected else 404), (reader, m)
                    if m.id in expected:
                        assert [e["summary"] for e in detail.json()["events"]] == ["Завод"], (reader, m)
                    status = client.get(f"/api/v1/documents/{documents[m.id]}").status_code
                    assert status == (200 if m.id in expected else 404), (reader, m)
        finally:
            session.query(IngestDocument).filter(IngestDocument.id.in_(documents.values())).delete()
            session.query(Agreement).filter(Agreement.id.in_([a.id for a in agreements])).delete()
            for m in made:
                service.delete_mission(session=session, actor=SYSTEM, mission_id=m.id)
            session.commit()

    check()
