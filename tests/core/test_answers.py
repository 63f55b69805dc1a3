"""Kept answers of registry reads: the same bytes while nothing changes, a fresh answer after
any write, by the API, by another process's session or by a bulk statement."""

from sqlalchemy import insert

from cooplab.core.answers import Answers
from cooplab.db.session import session_factory
from cooplab.registry.models import OrganizationName
from tests.factories import make_org, make_place


def test_a_repeated_read_is_kept_and_a_write_renews_it(client, app):
    created = client.post(
        "/api/v1/organizations", json={"names": [{"value": "Uz-Koram"}], "kind": "supplier"}
    ).json()
    path = f"/api/v1/organizations/{created['id']}"
    first = client.get(path)
    assert first.headers["content-type"] == "application/json"
    assert app.state.answers.size > 0
    assert client.get(path).content == first.content
    client.patch(path, json={"version": created["version"], "website": "https://uzkoram.uz"})
    assert client.get(path).json()["website"] == "https://uzkoram.uz"


def test_writes_elsewhere_are_seen(client, app, engine):
    org = client.post(
        "/api/v1/organizations", json={"names": [{"value": "Uz Hanwoo"}], "kind": "supplier"}
    ).json()
    listing = client.get("/api/v1/organizations?limit=5").json()
    detail = client.get(f"/api/v1/organizations/{org['id']}").json()
    assert listing["count"] == 1 and detail["sites"] == []
    # another process writes through its own session: an ORM flush and a bulk statement
    with session_factory(engine)() as other:
        make_org(other, "Erae Climate Control", kind="supplier")
        place = make_place(other, "Андижан")
        other.commit()
        other.execute(
            insert(OrganizationName),
            [{"organization_id": org["id"], "value": "Уз Ханву", "script": "cyrillic", "key": "uz khanvu"}],
        )
        other.commit()
    listing = client.get("/api/v1/organizations?limit=5").json()
    assert listing["count"] == 2 and [o["name"] for o in listing["data"]] == [
        "Erae Climate Control",
        "Uz Hanwoo",
    ]
    assert "Уз Ханву" in {
        n["value"] for n in client.get(f"/api/v1/organizations/{org['id']}").json()["names"]
    }
    client.post(f"/api/v1/organizations/{org['id']}/sites", json={"place_id": place.id})
    assert client.get(f"/api/v1/organizations/{org['id']}").json()["sites"][0]["place"]["id"] == place.id


def test_people_and_places_are_renewed_too(client):
    place = client.post(
        "/api/v1/places", json={"names": [{"value": "Андижан", "lang": "ru"}], "country": "UZ"}
    ).json()
    assert client.get(f"/api/v1/places/{place['id']}").json()["latitude"] is None
    client.patch(
        f"/api/v1/places/{place['id']}",
        json={"version": place["version"], "latitude": 40.78, "longitude": 72.34},
    )
    assert client.get(f"/api/v1/places/{place['id']}").json()["latitude"] == 40.78
    assert client.get("/api/v1/people").json()["count"] == 0
    client.post("/api/v1/people", json={"names": [{"value": "Андрей Крайнов", "lang": "ru"}]})
    assert client.get("/api/v1/people").json()["count"] == 1


def test_a_missing_record_is_not_kept(client, app):
    assert client.get("/api/v1/organizations/999").status_code == 404
    assert app.state.answers.size == 0


def test_memory_is_bounded_least_recent_first():
    answers = Answers(max_bytes=10)
    answers.put("a", "s1", b"12345")
    answers.put("b", "s1", b"12345")
    assert answers.get("a", "s1") == b"12345"  # a is now the most recent
    answers.put("c", "s1", b"123")
    assert answers.get("b", "s1") is None and answers.get("a", "s1") and answers.get("c", "s1")
    assert answers.size <= 10
    assert answers.get("a", "s2") is None  # another stamp: not this answer
    answers.put("d", "s1", b"x" * 11)  # larger than the whole budget: never kept
    assert answers.get("d", "s1") is None
    Answers(max_bytes=0).put("e", "s1", b"1")
