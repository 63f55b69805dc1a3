"""Missions, events, agreements and action items over the API, with their visibility."""

from fastapi.testclient import TestClient

from cooplab.registry.reference import load_reference
from tests.factories import make_token, make_user


def ids(client, query, type_):
    return client.get("/api/v1/search", params={"q": query, "type": type_}).json()["data"][0]["id"]


def test_mission_with_events_agreement_and_next_steps(client, session, app):
    load_reference(session=session)
    session.commit()
    cluster, lab = ids(client, "Кластер АП", "organization"), ids(client, "Cooperation Lab", "organization")
    uzauto, asaka = ids(client, "UzAuto Motors", "organization"), ids(client, "Асака", "place")
    krainov, andersson = ids(client, "Крайнов", "person"), ids(client, "Андерссон", "person")
    mission = client.post(
        "/api/v1/missions",
        json={
            "title": "Деловой визит в Узбекистан",
            "start": "2024-02-27",
            "end": "2024-03-02",
            "organizer_ids": [lab],
            "organization_ids": [cluster, uzauto],
            "participants": [
                {"person_id": krainov, "organization_id": cluster, "title": "генеральный директор"}
            ],
            "events": [
                {
                    "kind": "visit",
                    "start": "2024-02-28",
                    "place_id": asaka,
                    "summary": "Завод в Асаке",
                    "organization_ids": [uzauto],
                    "person_ids": [andersson, krainov],
                }
            ],
        },
    )
    assert mission.status_code == 201, mission.text
    m = mission.json()
    assert m["events"][0]["place"]["name"] == "Асака" and {o["role"] for o in m["organizations"]} == {
        "organizer",
        "participant",
    }
    mou = client.post(
        "/api/v1/agreements",
        json={
            "kind": "memorandum",
            "subject": "Сотрудничество",
            "signed_on": "2024-03-02",
            "party_ids": [cluster, lab],
            "mission_id": m["id"],
        },
    )
    assert mou.status_code == 201 and {p["id"] for p in mou.json()["parties"]} == {cluster, lab}
    step = client.post(
        "/api/v1/action-items",
        json={
            "title": "Отправить список поставщиков",
            "due": "2024-03-15",
            "responsible_organization_id": cluster,
            "mission_id": m["id"],
        },
    )
    assert step.status_code == 201 and step.json()["overdue"] is True
    detail = client.get(f"/api/v1/missions/{m['id']}").json()
    assert detail["agreements"][0]["kind"] == "memorandum" and detail["action_items"][0]["title"].startswith(
        "Отправить"
    )
    done = client.patch(f"/api/v1/action-items/{step.json()['id']}", json={"version": 1, "status": "done"})
    assert done.json()["status"] == "done" and done.json()["overdue"] is False
    bad = client.post("/api/v1/missions", json={"title": "x", "start": "2024-03-02", "end": "2024-02-27"})
    assert bad.status_code == 422

    # the memorandum is visible to its parties only: a member of UzAuto Motors does not see it
    outsider = make_token(session, make_user(session, "member", uzauto, email="uz@example.org"))
    insider = make_token(session, make_user(session, "member", lab, email="lab@example.org"))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {outsider}"}) as other:
        assert other.get("/api/v1/agreements").json()["count"] == 0
        assert other.get(f"/api/v1/agreements/{mou.json()['id']}").status_code == 404
        assert other.get(f"/api/v1/missions/{m['id']}").json()["agreements"] == []
        assert other.get("/api/v1/action-items").json()["count"] == 0
    with TestClient(app, headers={"Authorization": f"Bearer {insider}"}) as party:
        assert party.get(f"/api/v1/agreements/{mou.json()['id']}").status_code == 200
        assert party.post("/api/v1/missions", json={"title": "x"}).status_code == 403
