"""Saved scenarios over the API: saved, listed, evaluated with the waterfall, compared, changed
on a version, deleted; 404, 409 and 422 in the API's error shape; a competitor's token sees none
of another organization's scenarios."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.catalog.test_api import stored  # noqa: F401  (the fixture)
from tests.factories import make_token, make_user
from tests.localization.test_saved_scenarios import BEFORE, LOCAL_A, LOCAL_B

URL = "/api/v1/vehicles/H-1/scenarios"


def member(app, session, org_id, email):
    token = make_token(session, make_user(session, "member", organization_id=org_id, email=email))
    session.commit()
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_scenarios_over_the_api(app, session, stored):  # noqa: F811
    with member(app, session, stored["UzAuto Motors"], "m@uzauto.example") as client:
        made = client.post(URL, json={"name": "Local A", "changes": [LOCAL_A]})
        assert made.status_code == 201, made.text
        assert made.json()["owner"]["name"] == "UzAuto Motors" and made.json()["version"] == 1
        assert client.post(URL, json={"name": "Local B", "changes": [LOCAL_B]}).status_code == 201
        assert [s["name"] for s in client.get(URL).json()["data"]] == ["Local A", "Local B"]
        answer = client.get(f"{URL}/Local A").json()
        uz = answer["result"]["methods"]["uz_cost_share"]
        assert uz["before"] == pytest.approx(BEFORE) and uz["after"] == pytest.approx(
            1 - 1_240_000 / 3_200_000
        )
        assert answer["waterfall"]["steps"][0]["change"] == answer["waterfall"]["change"]
        compared = client.get(f"{URL}/compare", params=[("name", "Local B"), ("name", "Local A")]).json()
        assert [s["scenario"]["name"] for s in compared["scenarios"]] == ["Local B", "Local A"]
        changed = client.put(f"{URL}/Local A", json={"version": 1, "name": "Local A2", "description": "d"})
        assert changed.status_code == 200 and changed.json()["version"] == 2
        stale = client.put(f"{URL}/Local A2", json={"version": 1, "description": "late"})
        assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
        taken = client.put(f"{URL}/Local A2", json={"version": 2, "name": "Local B"})
        assert taken.status_code == 409 and taken.json()["error"]["details"][0]["loc"] == ["name"]
        bad = client.post(URL, json={"name": "Bad", "changes": [{**LOCAL_A, "part_number": "NOPE"}]})
        assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"] == [
            "changes",
            0,
            "part_number",
        ]
        reserved = client.post(URL, json={"name": "compare", "changes": []})
        assert reserved.status_code == 422
        assert client.get(f"{URL}/Nope").status_code == 404
        assert client.get(f"{URL}/compare").status_code == 422  # no name
        assert client.get("/api/v1/vehicles/NOPE/scenarios").status_code == 404
        assert client.delete(f"{URL}/Local A2").status_code == 204
        assert client.get(f"{URL}/Local A2").status_code == 404
        assert client.get(URL).json()["count"] == 1


def test_a_competitor_sees_no_scenario_of_another_organization(app, session, stored):  # noqa: F811
    with member(app, session, stored["UzAuto Motors"], "m@uzauto.example") as client:
        assert client.post(URL, json={"name": "Local A", "changes": [LOCAL_A]}).status_code == 201
    with member(app, session, stored["Other Motors"], "m@other.example") as rival:
        assert rival.get(URL).json() == {"data": [], "count": 0}
        for response in (
            rival.get(f"{URL}/Local A"),
            rival.get(f"{URL}/compare", params={"name": "Local A"}),
            rival.put(f"{URL}/Local A", json={"version": 1, "description": "mine now"}),
            rival.delete(f"{URL}/Local A"),
        ):
            assert response.status_code == 404 and "Local A" in response.json()["error"]["message"]
        # the same name is the rival's to take: nothing tells it one exists
        own = rival.post(
            URL,
            json={"name": "Local A", "changes": [{"kind": "add_operation", "operation": "body_painting"}]},
        )
        assert own.status_code == 201 and own.json()["owner"]["name"] == "Other Motors"
