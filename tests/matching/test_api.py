"""Matchmaking over the API: needs and capabilities listed, read and entered; the suppliers for a
need and the needs for a supplier with their reasons; marks on matches; each as the caller may
see it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM
from cooplab.matching import service
from tests.factories import make_token, make_user
from tests.matching.test_service import files
from tests.matching.test_service import orgs as orgs  # noqa: F401  (the fixture)


@pytest.fixture
def stored(session, orgs):  # noqa: F811
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    session.commit()
    return orgs


def member_client(app, session, org_id, scope="write"):
    user = make_user(session, "member", organization_id=org_id, email=f"m{org_id}{scope}@example.org")
    token = make_token(session, user, scope=scope)
    session.commit()
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_a_need_and_its_ranked_suppliers(app, session, stored):
    client = member_client(app, session, stored["UzAuto Motors"])
    listed = client.get("/api/v1/needs").json()
    assert [n["ref"] for n in listed["data"]] == ["S-1", "W-1"] and listed["count"] == 2
    w1 = next(n for n in listed["data"] if n["ref"] == "W-1")
    assert client.get(f"/api/v1/needs/{w1['id']}").json()["hs_code"] == "870870"
    found = client.get(f"/api/v1/needs/{w1['id']}/matches", params={"lang": "ru"}).json()
    assert [m["supplier"] for m in found["data"]] == ["Uz-Dong Won"]  # Volga's row is hidden
    assert {"supplier_id", "supplier", "score", "reasons"} <= set(found["data"][0])
    assert any("ТН ВЭД" in r for r in found["data"][0]["reasons"])
    filtered = client.get(f"/api/v1/needs/{w1['id']}/matches", params={"country": "RU,KZ"}).json()
    assert filtered["data"] == [] and filtered["empty_code"] == "ranking_filtered"
    bad = client.get(f"/api/v1/needs/{w1['id']}/matches", params={"country": "XX"})
    assert bad.status_code == 422 and bad.json()["error"]["details"]
    assert client.get(f"/api/v1/needs/{w1['id']}/matches", params={"nope": "1"}).status_code == 422


def test_what_one_may_not_see_is_not_there(app, session, stored, client):
    rival = member_client(app, session, stored["Other Motors"])
    listed = rival.get("/api/v1/needs").json()
    assert [n["ref"] for n in listed["data"]] == ["W-1"]
    s1 = service.need_detail(session=session, actor=SYSTEM, key="S-1").id
    assert rival.get(f"/api/v1/needs/{s1}").status_code == 404
    assert rival.get(f"/api/v1/needs/{s1}/matches").status_code == 404
    assert rival.get("/api/v1/needs/999999").status_code == 404
    caps = rival.get("/api/v1/capabilities").json()
    assert caps["count"] == 2
    anonymous = TestClient(app)
    assert anonymous.get("/api/v1/needs").json()["count"] == 0


def test_opportunities_and_feedback(app, session, stored):
    supplier = member_client(app, session, stored["Uz-Dong Won"])
    found = supplier.get(f"/api/v1/organizations/{stored['Uz-Dong Won']}/opportunities").json()
    assert [m["need_ref"] for m in found["data"]] == ["W-1"] and found["data"][0]["reasons"]
    w1 = found["data"][0]["need_id"]
    buyer = member_client(app, session, stored["UzAuto Motors"])
    mark = buyer.post(
        f"/api/v1/needs/{w1}/feedback", json={"supplier_id": stored["Uz-Dong Won"], "judgement": "relevant"}
    )
    assert mark.status_code == 201 and mark.json()["judgement"] == "relevant"
    bad = buyer.post(
        f"/api/v1/needs/{w1}/feedback", json={"supplier_id": stored["Uz-Dong Won"], "judgement": "maybe"}
    )
    assert bad.status_code == 422
    read_only = member_client(app, session, stored["UzAuto Motors"], scope="read")
    refused = read_only.post(f"/api/v1/needs/{w1}/feedback", json={"supplier_id": 1, "judgement": "relevant"})
    assert refused.status_code == 403


def test_entering_a_need_and_a_capability(app, session, stored):
    buyer = member_client(app, session, stored["UzAuto Motors"])
    made = buyer.post(
        "/api/v1/needs",
        json={
            "ref": "N-9",
            "buyer_id": stored["UzAuto Motors"],
            "part": "Стальной диск",
            "hs_code": "8708 70",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["hs_code"] == "870870" and made.json()["visibility"] == "organization"
    other = buyer.post("/api/v1/needs", json={"ref": "N-9", "buyer_id": stored["Other Motors"], "part": "x"})
    assert other.status_code == 403
    empty = buyer.post("/api/v1/needs", json={"ref": "N-10", "buyer_id": stored["UzAuto Motors"]})
    assert empty.status_code == 422
    price = buyer.post(
        "/api/v1/needs",
        json={"ref": "N-11", "buyer_id": stored["UzAuto Motors"], "part": "x", "target_price": 5},
    )
    assert price.status_code == 422
    supplier = member_client(app, session, stored["Seat Maker"])
    cap = supplier.post(
        "/api/v1/capabilities",
        json={"supplier_id": stored["Seat Maker"], "hs_codes": ["9401.20"], "processes": ["foaming"]},
    )
    assert cap.status_code == 201, cap.text
    assert supplier.get(f"/api/v1/capabilities/{cap.json()['id']}").json()["hs_codes"] == ["940120"]
    assert buyer.get(f"/api/v1/capabilities/{cap.json()['id']}").status_code == 404
    bad = supplier.post(
        "/api/v1/capabilities", json={"supplier_id": stored["Seat Maker"], "hs_codes": ["12345"]}
    )
    assert bad.status_code == 422


def test_needs_are_filtered_by_the_buyers_country_and_tier_and_a_certification(app, session, stored):
    client = member_client(app, session, stored["UzAuto Motors"])
    refs = lambda **params: [n["ref"] for n in client.get("/api/v1/needs", params=params).json()["data"]]  # noqa: E731
    assert refs(certification="iatf 16949:2016") == ["W-1"]
    assert refs(certification="ISO 9001") == []
    assert refs(country="uz") == ["S-1", "W-1"] and refs(country="RU") == []
    assert refs(tier=1) == []  # UzAuto Motors is an OEM, without a tier
    bad = client.get("/api/v1/needs", params={"tier": "4"})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"][-1] == "tier"
