"""Identifiers set by members are claims: stored unverified, unique only once verified, listed
for analysts (conflicts first), verified or rejected by them, never by a member."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cooplab.core.audit import AuditEntry
from tests.factories import make_org, make_token, make_user

GAZPROM_INN = "7736050003"


@pytest.fixture
def world(app, session):
    """A member's organization, another member's, and clients of both members and an analyst."""
    own = make_org(session, "Uz-Koram Co", kind="supplier", tier=1)
    other = make_org(session, "Uz-Tong Hong Co", kind="supplier", tier=1)
    users = {
        "member": make_user(session, "member", own.id),
        "member_other": make_user(session, "member", other.id, email="other@example.org"),
        "analyst": make_user(session, "analyst"),
        "analyst_read": make_user(session, "analyst", email="reader@example.org"),
    }
    tokens = {role: make_token(session, user) for role, user in users.items()}
    tokens["analyst_read"] = make_token(session, users["analyst_read"], scope="read")
    session.commit()
    clients = {role: TestClient(app, headers={"Authorization": f"Bearer {t}"}) for role, t in tokens.items()}
    yield {"own": own.id, "other": other.id, **clients}
    for c in clients.values():
        c.close()


def claim(client, org_id, value=GAZPROM_INN, scheme="inn"):
    version = client.get(f"/api/v1/organizations/{org_id}").json()["version"]
    response = client.patch(
        f"/api/v1/organizations/{org_id}",
        json={"version": version, "identifiers": [{"scheme": scheme, "value": value}]},
    )
    assert response.status_code == 200, response.text
    return response.json()["identifiers"]


def test_a_members_claim_never_blocks_the_real_record(world, session):
    member, analyst = world["member"], world["analyst"]
    (claimed,) = claim(member, world["own"])
    assert claimed["status"] == "unverified"

    gazprom = analyst.post(
        "/api/v1/organizations",
        json={
            "names": [{"value": "Газпром"}],
            "kind": "other",
            "identifiers": [{"scheme": "inn", "value": GAZPROM_INN}],
        },
    )
    assert gazprom.status_code == 201, gazprom.text
    assert gazprom.json()["identifiers"][0]["status"] == "verified"

    listed = analyst.get("/api/v1/identifiers/claims").json()
    assert listed["count"] == 1
    (entry,) = listed["data"]
    assert entry["identifier"] == {
        "id": claimed["id"],
        "scheme": "inn",
        "value": GAZPROM_INN,
        "status": "unverified",
    }
    assert entry["organization"]["id"] == world["own"] and entry["conflict"] is True
    assert [(h["organization"]["id"], h["identifier"]["status"]) for h in entry["holders"]] == [
        (gazprom.json()["id"], "verified")
    ]

    # a member cannot verify or reject, nor read the queue
    for path in (
        f"/api/v1/identifiers/{claimed['id']}/verify",
        f"/api/v1/identifiers/{claimed['id']}/reject",
    ):
        refused = member.post(path)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert member.get("/api/v1/identifiers/claims").status_code == 403

    # verifying is refused while the real record holds the number; rejecting removes the claim
    taken = analyst.post(f"/api/v1/identifiers/{claimed['id']}/verify")
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "conflict"
    assert analyst.post(f"/api/v1/identifiers/{claimed['id']}/reject").status_code == 204
    assert member.get(f"/api/v1/organizations/{world['own']}").json()["identifiers"] == []
    assert analyst.get("/api/v1/identifiers/claims").json() == {"data": [], "count": 0}
    assert analyst.post(f"/api/v1/identifiers/{claimed['id']}/reject").status_code == 404

    trail = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "identifiers").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.entity_id) for e in trail if e.entity_id == claimed["id"]] == [
        ("create", claimed["id"]),
        ("delete", claimed["id"]),
    ]


def test_two_claims_of_one_number_are_a_conflict_an_analyst_settles(world):
    analyst = world["analyst"]
    (first,) = claim(world["member"], world["own"])
    (second,) = claim(world["member_other"], world["other"])
    assert first["status"] == second["status"] == "unverified"

    listed = world["analyst_read"].get("/api/v1/identifiers/claims?conflicts=true").json()
    assert listed["count"] == 2 and all(e["conflict"] for e in listed["data"])

    verified = analyst.post(f"/api/v1/identifiers/{second['id']}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert analyst.post(f"/api/v1/identifiers/{second['id']}/verify").json()["error"]["code"] == "conflict"
    detail = analyst.get(f"/api/v1/organizations/{world['other']}").json()
    assert detail["identifiers"][0]["status"] == "verified"
    # the first claimant's claim stays, in conflict with the verified holder
    (left,) = analyst.get("/api/v1/identifiers/claims").json()["data"]
    assert (
        left["identifier"]["id"] == first["id"] and left["holders"][0]["identifier"]["status"] == "verified"
    )
    # and an analyst cannot give the number to a third organization
    refused = analyst.post(
        "/api/v1/organizations",
        json={
            "names": [{"value": "Третья"}],
            "kind": "other",
            "identifiers": [{"scheme": "inn", "value": GAZPROM_INN}],
        },
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"


def test_a_claim_without_rival_is_listed_and_verified_and_the_member_keeps_it_on_edit(world):
    member, analyst = world["member"], world["analyst"]
    (own,) = claim(member, world["own"], "1027700070518", "ogrn")
    (entry,) = analyst.get("/api/v1/identifiers/claims").json()["data"]
    assert entry["conflict"] is False and entry["holders"] == []
    assert analyst.get("/api/v1/identifiers/claims?conflicts=true").json()["count"] == 0
    assert analyst.post(f"/api/v1/identifiers/{own['id']}/verify").status_code == 200
    # the member saves again with the number: it stays verified; an analyst's edit of the
    # organization keeps the member's other claims unverified
    (kept,) = claim(member, world["own"], "1027700070518", "ogrn")
    assert kept == {**own, "status": "verified"}
    version = analyst.get(f"/api/v1/organizations/{world['own']}").json()["version"]
    both = analyst.patch(
        f"/api/v1/organizations/{world['own']}",
        json={
            "version": version,
            "identifiers": [
                {"scheme": "ogrn", "value": "1027700070518"},
                {"scheme": "inn", "value": GAZPROM_INN},
            ],
        },
    ).json()["identifiers"]
    assert {(i["scheme"], i["status"]) for i in both} == {("ogrn", "verified"), ("inn", "verified")}
    assert world["analyst_read"].post(f"/api/v1/identifiers/{own['id']}/verify").status_code == 403
