"""A change of a record's parties re-checks who may see it: a parties-only next step handed from
one organization to another leaves the sight of the first one's members (the list, its count, the
mission it belongs to, the organization's timeline, a further change) and enters the second's; so
do a parties-only mission whose organizations change and a parties-only agreement whose parties
change."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.engagements import service
from cooplab.engagements.schemas import (
    ActionItemCreate,
    AgreementCreate,
    AgreementUpdate,
    EventIn,
    MissionCreate,
)
from tests.factories import make_actor, make_org, make_token, make_user


def sight(api: TestClient, session: Any, actor: Any, item_id: int, mission_id: int, org_id: int) -> dict:
    """Where a reader meets the step: the list of steps and its count, the list filtered by the
    responsible organization, the mission's page (and its count of hidden steps), the timeline."""
    listed = api.get("/api/v1/action-items", params={"limit": 100}).json()
    filtered = api.get("/api/v1/action-items", params={"organization_id": org_id}).json()
    mission = api.get(f"/api/v1/missions/{mission_id}").json()
    session.expire_all()
    timeline = service.organization_timeline(session=session, actor=actor, organization_id=org_id)
    return {
        "list": item_id in {i["id"] for i in listed["data"]},
        "count": listed["count"],
        "filtered": [i["id"] for i in filtered["data"]] == [item_id] and filtered["count"] == 1,
        "mission": item_id in {i["id"] for i in mission["action_items"]},
        "hidden": mission["hidden"].get("action_items", 0),
        "timeline": any(e.kind == "step" and e.id == item_id for e in timeline),
    }


SEES = {"list": True, "count": 1, "filtered": True, "mission": True, "hidden": 0, "timeline": True}
BLIND = {"list": False, "count": 0, "filtered": False, "mission": False, "hidden": 1, "timeline": False}


def test_handing_a_parties_only_step_to_another_organization_moves_who_sees_it(app, session):
    cluster, first, second = (
        make_org(session, "Кластер"),
        make_org(session, "Первый"),
        make_org(session, "Второй"),
    )
    owner = make_actor(session, "analyst", cluster.id, email="owner@example.org")
    mission = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(title="Визит", visibility="members", organization_ids=[first.id, second.id]),
    )
    step = service.create_action_item(
        session=session,
        actor=owner,
        data=ActionItemCreate(
            title="Спецификация",
            mission_id=mission.id,
            responsible_organization_id=first.id,
            visibility="parties",
        ),
    )
    users = {
        "first": make_user(session, "member", first.id, email="m1@example.org"),
        "second": make_user(session, "member", second.id, email="m2@example.org"),
        "analyst": make_user(session, "analyst", cluster.id, email="a@example.org"),
    }
    tokens = {key: make_token(session, user) for key, user in users.items()}
    session.commit()

    def actor_of(key: str) -> Actor:
        user = users[key]
        return Actor(
            user_id=user.id, label=user.email, role=Role(user.role), organization_id=user.organization_id
        )

    clients = {
        key: TestClient(app, headers={"Authorization": f"Bearer {token}"}) for key, token in tokens.items()
    }
    first_api, second_api, analyst_api = clients["first"], clients["second"], clients["analyst"]

    def seen(key: str, org_id: int) -> dict:
        return sight(clients[key], session, actor_of(key), step.id, mission.id, org_id)

    assert seen("first", first.id) == SEES
    assert seen("second", first.id) == BLIND

    handed = analyst_api.patch(
        f"/api/v1/action-items/{step.id}",
        json={"version": step.version, "responsible_organization_id": second.id},
    )
    assert handed.status_code == 200, handed.text
    assert handed.json()["responsible_organization"]["id"] == second.id
    assert seen("first", second.id) == BLIND  # removed from the parties: out of sight everywhere
    assert seen("second", second.id) == SEES  # added: in sight everywhere
    refused = first_api.patch(
        f"/api/v1/action-items/{step.id}", json={"version": handed.json()["version"], "status": "done"}
    )
    assert refused.status_code == 404  # as if it did not exist, not "forbidden"

    # the new party's member hands it back to the owner's organization, a party as well
    back = second_api.patch(
        f"/api/v1/action-items/{step.id}",
        json={"version": handed.json()["version"], "responsible_organization_id": cluster.id},
    )
    assert back.status_code == 200, back.text
    assert seen("second", cluster.id) == BLIND
    assert seen("first", cluster.id) == BLIND
    assert seen("analyst", cluster.id) == SEES
    for client in clients.values():
        client.close()


def test_a_change_of_a_missions_organizations_moves_who_sees_it_and_its_events(app, session):
    first, second, third = (
        make_org(session, "Первый"),
        make_org(session, "Второй"),
        make_org(session, "Третий"),
    )
    mission = service.create_mission(
        session=session,
        actor=SYSTEM,
        data=MissionCreate(
            title="Переговоры о поставках",
            visibility="parties",
            organizer_ids=[first.id],
            organization_ids=[second.id],
            events=[EventIn(kind="meeting", summary="Встреча поставщиков", organization_ids=[second.id])],
        ),
    )
    users = {
        key: make_user(session, "member", org.id, email=f"{key}@example.org")
        for key, org in (("first", first), ("second", second), ("third", third))
    }
    admin = make_token(session, make_user(session, "admin", email="admin@example.org"))
    tokens = {key: make_token(session, user) for key, user in users.items()}
    session.commit()
    clients = {key: TestClient(app, headers={"Authorization": f"Bearer {t}"}) for key, t in tokens.items()}

    def seen(key: str) -> dict:
        api = clients[key]
        listed = api.get("/api/v1/missions", params={"limit": 100}).json()
        detail = api.get(f"/api/v1/missions/{mission.id}")
        hits = [
            hit
            for q in ("Встреча поставщиков", "Переговоры о поставках")
            for hit in api.get("/api/v1/search", params={"q": q}).json()["data"]
        ]
        return {
            "list": mission.id in {m["id"] for m in listed["data"]},
            "count": listed["count"],
            "detail": detail.status_code,
            "events": [e["summary"] for e in detail.json().get("events", [])],
            "search": sorted(h["type"] for h in hits if h["type"] in ("mission", "event")),
        }

    sees = {
        "list": True,
        "count": 1,
        "detail": 200,
        "events": ["Встреча поставщиков"],
        "search": ["event", "mission"],
    }
    blind = {"list": False, "count": 0, "detail": 404, "events": [], "search": []}
    assert (seen("first"), seen("second"), seen("third")) == (sees, sees, blind)

    with TestClient(app, headers={"Authorization": f"Bearer {admin}"}) as editor:
        changed = editor.patch(
            f"/api/v1/missions/{mission.id}",
            json={"version": mission.version, "organization_ids": [third.id]},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["version"] == mission.version + 1
        assert {(o["organization"]["id"], o["role"]) for o in changed.json()["organizations"]} == {
            (first.id, "organizer"),
            (third.id, "participant"),
        }
        # the second is no longer a party: out of sight everywhere; the third is, in sight
        assert (seen("first"), seen("second"), seen("third")) == (sees, blind, sees)
        stale = editor.patch(
            f"/api/v1/missions/{mission.id}", json={"version": mission.version, "organizer_ids": []}
        )
        assert stale.status_code == 409
        missing = editor.patch(
            f"/api/v1/missions/{mission.id}",
            json={"version": changed.json()["version"], "organizer_ids": [999999]},
        )
        assert missing.status_code == 422 and "organizer_ids" in missing.text
        assert seen("first") == sees  # nothing of the refused change was kept
        trail = editor.get(
            "/api/v1/audit", params={"entity_type": "mission_organizations", "limit": 100}
        ).json()["data"]
        assert {(e["action"], (e["before"] or e["after"])["organization_id"]) for e in trail} >= {
            ("create", third.id),
            ("delete", second.id),
        }
    for client in clients.values():
        client.close()


def test_a_change_of_an_agreements_parties_moves_who_sees_it(app, session):
    first, second, third = (
        make_org(session, "Первый"),
        make_org(session, "Второй"),
        make_org(session, "Третий"),
    )
    editor = make_actor(session, "analyst", None, email="editor@example.org")
    agreement = service.create_agreement(
        session=session,
        actor=editor,
        data=AgreementCreate(
            kind="memorandum",
            subject="Меморандум о локализации",
            party_ids=[first.id, second.id],
            visibility="parties",
        ),
    )
    tokens = {
        org.name: make_token(session, make_user(session, "member", org.id, email=f"{org.id}@example.org"))
        for org in (first, second, third)
    }
    session.commit()
    clients = {name: TestClient(app, headers={"Authorization": f"Bearer {t}"}) for name, t in tokens.items()}

    def seen(name: str) -> dict:
        api = clients[name]
        listed = api.get("/api/v1/agreements", params={"limit": 100}).json()
        hits = api.get("/api/v1/search", params={"q": "Меморандум", "type": "agreement"}).json()
        return {
            "list": [a["id"] for a in listed["data"]],
            "count": listed["count"],
            "detail": api.get(f"/api/v1/agreements/{agreement.id}").status_code,
            "search": hits["count"],
        }

    sees = {"list": [agreement.id], "count": 1, "detail": 200, "search": 1}
    blind = {"list": [], "count": 0, "detail": 404, "search": 0}
    assert [seen(n) for n in ("Первый", "Второй", "Третий")] == [sees, sees, blind]

    service.update_agreement(  # what the agreement's edit page does: the second out, the third in
        session=session,
        actor=editor,
        agreement_id=agreement.id,
        data=AgreementUpdate(
            version=agreement.version,
            kind="memorandum",
            subject="Меморандум о локализации",
            party_ids=[first.id, third.id],
        ),
    )
    session.commit()
    assert [seen(n) for n in ("Первый", "Второй", "Третий")] == [sees, blind, sees]
    for client in clients.values():
        client.close()
