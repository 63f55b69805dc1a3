"""Vehicles over the API: the list, a vehicle's bill as a tree, its level by method; each as the
caller may see it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cooplab.catalog import service
from cooplab.core.actor import SYSTEM
from cooplab.vocab.choices import Visibility
from tests.factories import make_org, make_token, make_user
from tests.localization.test_service import files


@pytest.fixture
def stored(session):
    names = ("UzAuto Motors", "Uz-Saemyung Co", "Importer KR", "Uz-Tong Hong Co", "Other Motors")
    orgs = {name: make_org(session, name).id for name in names}
    service.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    session.commit()
    return orgs


def member_client(app, session, org_id):
    token = make_token(session, make_user(session, "member", organization_id=org_id))
    session.commit()
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_the_list_and_the_tree(client, stored):
    listed = client.get("/api/v1/vehicles").json()
    assert listed["count"] == 1 and listed["data"][0]["code"] == "H-1" and listed["data"][0]["lines"] == 2
    detail = client.get("/api/v1/vehicles/H-1").json()
    assert [(x["part_number"], x["depth"], len(x["sources"])) for x in detail["bom"]] == [
        ("A", 0, 2),
        ("B", 0, 1),
    ]
    assert client.get("/api/v1/vehicles", params={"q": "nothing"}).json()["count"] == 0
    assert client.get("/api/v1/vehicles/NOPE").status_code == 404


def test_the_level_by_method(client, stored):
    answer = client.get("/api/v1/vehicles/H-1/level", params={"method": "uz_cost_share"}).json()
    assert answer["method"] == "uz_cost_share"
    assert answer["level"] == pytest.approx(1 - 1_440_000 / 3_160_000) and answer["missing"] == []
    ru = client.get("/api/v1/vehicles/H-1/level", params={"method": "cis_origin", "lang": "ru"}).json()
    assert ru["method"] == "cis_origin" and any(
        "СНГ" in r["text"] or "сум" in r["text"] for r in ru["reasons"]
    )
    bad = client.get("/api/v1/vehicles/H-1/level", params={"method": "guess"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"] == ["query", "method"]


def test_a_competitor_sees_the_shared_bill_without_prices(app, session, stored):
    with member_client(app, session, stored["Other Motors"]) as rival:
        detail = rival.get("/api/v1/vehicles/H-1").json()
        assert all(line["sources"] == [] for line in detail["bom"])
        level = rival.get("/api/v1/vehicles/H-1/level").json()
        assert [m["code"] for m in level["missing"]] == ["no_sourcing"]


def test_opportunities_and_a_scenario(client, stored):
    found = client.get("/api/v1/vehicles/H-1/opportunities", params={"target": 0.6}).json()
    assert found["path"]["optimal"] and found["opportunities"]["items"][0]["part_number"] == "B"
    assert client.get("/api/v1/vehicles/H-1/opportunities", params={"target": 2}).status_code == 422
    moved = client.post(
        "/api/v1/vehicles/H-1/scenario",
        json={"name": "none", "changes": []},
    ).json()
    assert (
        moved["cost_change_per_vehicle"] in ("0", "0.00", 0) or float(moved["cost_change_per_vehicle"]) == 0
    )
