"""Drafts over the API: a date without a year is flagged, a draft parses again with a
publication date, a draft is deleted, an accepted document is not."""

from cooplab.registry.reference import load_reference

TEXT = "27 февраля делегация АВТОВАЗ посетила Ташкент и провела переговоры с UzAuto Motors."


def test_a_draft_without_a_year_parses_again_and_is_deleted(client, session):
    load_reference(session=session)
    session.commit()
    draft = client.post("/api/v1/ingest", json={"text": TEXT, "name": "visit"})
    assert draft.status_code == 201, draft.text
    doc = draft.json()
    assert doc["needs_year"] is True
    assert doc["result"]["events"][0]["start"] == "--02-27"

    bad = client.post(f"/api/v1/documents/{doc['id']}/parse", json={"published": "5 March"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["loc"][-1] == "published"

    again = client.post(f"/api/v1/documents/{doc['id']}/parse", json={"published": "2024-03-05"})
    assert again.status_code == 200, again.text
    assert (again.json()["needs_year"], again.json()["published"]) == (False, "2024-03-05")
    assert again.json()["result"]["events"][0]["start"] == "2024-02-27"
    assert client.get(f"/api/v1/documents/{doc['id']}").json()["published"] == "2024-03-05"

    assert client.delete(f"/api/v1/documents/{doc['id']}").status_code == 204
    assert client.get(f"/api/v1/documents/{doc['id']}").status_code == 404


def test_an_accepted_document_is_neither_parsed_again_nor_deleted(client, session):
    load_reference(session=session)
    session.commit()
    doc = client.post("/api/v1/ingest", json={"text": TEXT, "published": "2024-03-05"}).json()
    assert doc["needs_year"] is False
    assert client.post(f"/api/v1/documents/{doc['id']}/accept", json={}).status_code == 200
    for response in (
        client.post(f"/api/v1/documents/{doc['id']}/parse", json={"published": "2025-03-05"}),
        client.delete(f"/api/v1/documents/{doc['id']}"),
    ):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/documents/{doc['id']}").json()["published"] == "2024-03-05"


def test_a_draft_without_a_year_is_accepted_only_after_it_is_parsed_with_a_date(client, session):
    from cooplab.ingest.models import IngestDocument

    load_reference(session=session)
    session.commit()
    doc = client.post("/api/v1/ingest", json={"text": TEXT, "name": "visit"}).json()
    refused = client.post(f"/api/v1/documents/{doc['id']}/accept", json={})
    assert refused.status_code == 422, refused.text
    detail = refused.json()["error"]["details"][0]
    assert detail["loc"] == ["published"] and "year" in detail["msg"]
    session.expire_all()
    assert session.get(IngestDocument, doc["id"]).status == "draft"
    client.post(f"/api/v1/documents/{doc['id']}/parse", json={"published": "2024-03-05"})
    accepted = client.post(f"/api/v1/documents/{doc['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text
