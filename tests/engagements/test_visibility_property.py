"""The API answers exactly what the visibility rule of docs/access.md allows: random actors (role
× organization, and anonymous visitors) read random missions of random visibility, owners,
parties and creators, with what follows them (their events, the ingested documents accepted into
them, the sources those acceptances made and the citations of those sources), and agreements,
next steps and notes of their own random visibility; every list, count, detail, search result,
export (the mission's report) and refusal is compared with the rule, written here again from the
documentation's tables."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service
from cooplab.engagements.models import ActionItem, Agreement
from cooplab.engagements.schemas import ActionItemCreate, AgreementCreate, EventIn, MissionCreate
from cooplab.ingest.models import IngestDocument
from cooplab.registry import notes
from cooplab.registry import service as registry
from cooplab.registry.models import Citation, OrganizationNote, Source
from cooplab.registry.schemas import CitationCreate, SourceCreate
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
    cited = orgs[2]  # the organization the acceptances' sources are cited on
    readers = [Reader(None, None, None, None)]
    creators: list[tuple[Actor, Reader]] = []
    writers: list[Actor] = []  # who may write notes
    for role in ("viewer", "member", "analyst", "admin"):
        for org in (None, *orgs[:2]):
            if role == "member" and org is None:
                continue  # members belong to an organization
            user = make_user(session, role, org)
            reader = Reader(role, org, user.id, make_token(session, user))
            readers.append(reader)
            actor = Actor(user_id=user.id, label=user.email, role=Role(role), organization_id=org)
            if role in {"analyst", "admin"}:
                creators.append((actor, reader))
            if role != "viewer":
                writers.append(actor)
    session.commit()
    clients = {
        r: TestClient(app, headers={"Authorization": f"Bearer {r.token}"} if r.token else {}) for r in readers
    }
    missions = st.tuples(
        st.integers(0, len(creators) - 1),
        st.sampled_from(VISIBILITIES),
        st.frozensets(st.sampled_from(orgs), max_size=2),
        st.sampled_from(VISIBILITIES),  # the next step's
        st.sampled_from([None, *orgs]),  # the organization responsible for it
    )
    written = st.tuples(
        st.integers(0, len(writers) - 1), st.sampled_from(orgs), st.sampled_from(VISIBILITIES)
    )

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=st.lists(missions, min_size=1, max_size=4), drawn_notes=st.lists(written, max_size=4))
    def check(drawn, drawn_notes) -> None:
        made, agreements, steps, documents, sources = [], [], [], {}, {}
        noted: list[tuple[Made, int]] = []  # a note and the organization it is about
        for n, (creator, visibility, parties, step_visibility, responsible) in enumerate(drawn):
            actor, _ = creators[creator]
            mission = service.create_mission(
                session=session,
                actor=actor,
                data=MissionCreate(
                    title=f"Визит {n}",
                    visibility=visibility,
                    organization_ids=sorted(parties),
                    events=[EventIn(kind="visit", summary=f"Завод {n}")],
                ),
            )
            made.append(Made(mission.id, visibility, actor.organization_id, parties, actor.user_id))
            signed = parties or frozenset(orgs[2:])
            agreement = service.create_agreement(
                session=session,
                actor=actor,
                data=AgreementCreate(
                    kind="memorandum",
                    subject=f"Меморандум {n}",
                    party_ids=sorted(signed),
                    visibility=visibility,
                    mission_id=mission.id,
                ),
            )
            agreements.append(Made(agreement.id, visibility, actor.organization_id, signed, actor.user_id))
            step = service.create_action_item(
                session=session,
                actor=actor,
                data=ActionItemCreate(
                    title=f"Шаг {n}",
                    responsible_organization_id=responsible,
                    mission_id=mission.id,
                    visibility=step_visibility,
                ),
            )
            step_parties = frozenset(i for i in (responsible, actor.organization_id) if i is not None)
            steps.append(Made(step.id, step_visibility, actor.organization_id, step_parties, actor.user_id))
            source = registry.create_source(
                session=session, actor=SYSTEM, data=SourceCreate(title=f"Визит {n}")
            )
            registry.cite(
                session=session,
                actor=SYSTEM,
                subject_type="organization",
                subject_id=cited,
                data=CitationCreate(source_id=source.id),
            )
            sources[mission.id] = source.id
            document = IngestDocument(  # accepted into the mission: it and its source follow the mission
                content_hash=f"{mission.id:064d}",
                name="report.txt",
                text="Визит",
                language="ru",
                result={"content_hash": f"{mission.id:064d}"},
                status="accepted",
                visibility="public",
                mission_id=mission.id,
                source_id=source.id,
            )
            session.add(document)
            session.flush()
            documents[mission.id] = document.id
        for writer, about, visibility in drawn_notes:
            author = writers[writer]
            note = notes.add_note(
                session=session,
                actor=author,
                organization_id=about,
                data=notes.NoteCreate(text="Переговоры", visibility=visibility),
            )
            parties = frozenset(i for i in (about, author.organization_id) if i is not None)
            noted.append((Made(note.id, visibility, author.organization_id, parties, author.user_id), about))
        session.commit()
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
                next_steps = {s.id for s in steps if may_read(reader, s)}
                listed = client.get("/api/v1/action-items", params={"limit": 100}).json()
                assert ({s["id"] for s in listed["data"]}, listed["count"]) == (
                    next_steps,
                    len(next_steps),
                ), reader
                for s in steps:  # a next step one may not see is refused like one that does not exist
                    if reader.role not in {"member", "analyst", "admin"} or s.id in next_steps:
                        continue
                    answer = client.patch(
                        f"/api/v1/action-items/{s.id}", json={"version": 1, "status": "done"}
                    )
                    assert answer.status_code == 404, (reader, s, answer.text)
                listed = client.get("/api/v1/documents", params={"limit": 100}).json()
                assert {d["id"] for d in listed["data"]} == {documents[i] for i in expected}, reader
                assert listed["count"] == len(expected), reader
                listed = client.get("/api/v1/sources", params={"limit": 100}).json()
                ours = set(sources.values())
                assert {s["id"] for s in listed["data"]} & ours == {sources[i] for i in expected}, reader
                citations = client.get(f"/api/v1/organizations/{cited}").json()["citations"]
                assert {c["source"]["id"] for c in citations} & ours == {sources[i] for i in expected}, reader
                for kind, hits_of in (("mission", "Визит"), ("event", "Завод"), ("agreement", "Меморандум")):
                    hits = client.get(
                        "/api/v1/search", params={"q": hits_of, "type": kind, "limit": 100}
                    ).json()
                    found = {h["name"] for h in hits["data"]}
                    assert hits["count"] == len(found), (reader, kind)
                    records = agreements if kind == "agreement" else made
                    wanted = {f"{hits_of} {n}" for n, r in enumerate(records) if may_read(reader, r)}
                    assert found == wanted, (reader, kind)
                for org in orgs:
                    about = {note.id for note, o in noted if o == org and may_read(reader, note)}
                    listed = client.get(f"/api/v1/organizations/{org}/notes", params={"limit": 100}).json()
                    assert ({x["id"] for x in listed["data"]}, listed["count"]) == (about, len(about)), reader
                for note, _ in noted:
                    status = client.get(f"/api/v1/notes/{note.id}").status_code
                    assert status == (200 if may_read(reader, note) else 404), (reader, note)
                for n, m in enumerate(made):
                    detail = client.get(f"/api/v1/missions/{m.id}")
                    assert detail.status_code == (200 if m.id in expected else 404), (reader, m)
                    report = client.get(f"/missions/{m.id}/report.md", params={"lang": "ru"})
                    assert report.status_code == (200 if m.id in expected else 404), (reader, m)
                    if m.id in expected:
                        shown = detail.json()
                        assert [e["summary"] for e in shown["events"]] == [f"Завод {n}"], (reader, m)
                        assert [a["id"] for a in shown["agreements"]] == [
                            a.id for a in agreements[n : n + 1] if a.id in signed
                        ], (reader, m)
                        assert [s["id"] for s in shown["action_items"]] == [
                            s.id for s in steps[n : n + 1] if s.id in next_steps
                        ], (reader, m)
                        assert (f"Меморандум {n}" in report.text) == (agreements[n].id in signed), (reader, m)
                        assert (f"Шаг {n}" in report.text) == (steps[n].id in next_steps), (reader, m)
                    status = client.get(f"/api/v1/documents/{documents[m.id]}").status_code
                    assert status == (200 if m.id in expected else 404), (reader, m)
                    status = client.get(f"/api/v1/sources/{sources[m.id]}").status_code
                    assert status == (200 if m.id in expected else 404), (reader, m)
        finally:
            session.rollback()
            session.query(OrganizationNote).filter(OrganizationNote.id.in_([n.id for n, _ in noted])).delete()
            session.query(IngestDocument).filter(IngestDocument.id.in_(documents.values())).delete()
            session.query(Citation).filter(Citation.source_id.in_(sources.values())).delete()
            session.query(Source).filter(Source.id.in_(sources.values())).delete()
            session.query(ActionItem).filter(ActionItem.id.in_([s.id for s in steps])).delete()
            session.query(Agreement).filter(Agreement.id.in_([a.id for a in agreements])).delete()
            for m in made:
                service.delete_mission(session=session, actor=SYSTEM, mission_id=m.id)
            session.commit()

    check()
