"""Abuse: oversized and wrong uploads, path traversal, injection payloads, brute force, and a
token of one organization probing another's private records through every route."""

import pytest
from fastapi.testclient import TestClient

from cooplab.accounts import service as accounts
from cooplab.app import create_app
from cooplab.core.actor import Actor, Role
from cooplab.errors import TooManyAttemptsError, UnauthorizedError
from cooplab.registry import notes
from cooplab.settings import Settings
from tests.factories import make_org, make_token, make_user

PAYLOADS = [
    "'; DROP TABLE organizations; --",
    "Robert'); DELETE FROM users WHERE ('1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}} ${7*7} %s %n",
]


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    return response.json()["error"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_are_stored_as_text(client, payload):
    created = client.post(
        "/api/v1/organizations", json={"names": [{"value": payload}], "kind": "oem", "description": payload}
    )
    assert created.status_code == 201, created.text
    read = client.get(f"/api/v1/organizations/{created.json()['id']}").json()
    assert read["name"] == payload and read["description"] == payload
    listed = client.get("/api/v1/organizations", params={"q": payload}).json()
    assert client.get("/api/v1/organizations").json()["count"] == 1
    assert listed["count"] <= 1


def test_upload_limits_size_type_and_name(engine, database_url, session):
    app = create_app(Settings(database_url=database_url, env="test", max_upload_bytes=4096))
    token = make_token(session, make_user(session, "admin"))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        big = b"name,kind\n" + b"Zavod,oem\n" * 1000
        assert_error(
            client.post("/api/v1/import/org", files={"file": ("big.csv", big, "text/csv")}), 413, "too_large"
        )
        huge = b"x" * 200_000
        assert_error(
            client.post("/api/v1/import/org", files={"file": ("huge.csv", huge, "text/csv")}),
            413,
            "too_large",
        )
        assert_error(
            client.post(
                "/api/v1/organizations",
                content=b'{"names": [' + b'{"value": "x"},' * 20000 + b"]}",
                headers={"content-type": "application/json"},
            ),
            413,
            "too_large",
        )
        small = b"name,kind\nZavod,oem\n"
        for name in ("../../etc/passwd.csv", "..\\secret.csv", "/tmp/x.csv", ".hidden.csv"):
            assert_error(
                client.post("/api/v1/import/org", files={"file": (name, small, "text/csv")}),
                415,
                "unsupported_file",
            )
        for name in ("report.pdf", "orgs.exe", "orgs"):
            assert_error(
                client.post("/api/v1/import/org", files={"file": (name, small, "text/csv")}),
                415,
                "unsupported_file",
            )
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
        assert_error(
            client.post("/api/v1/import/org", files={"file": ("fake.csv", png, "text/csv")}),
            422,
            "invalid_file",
        )
        assert client.get("/api/v1/organizations").json()["count"] == 0


def test_wrong_content_type_and_malformed_bodies(client):
    for content, ctype in (
        (b"names=x&kind=oem", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
    ):
        response = client.post("/api/v1/organizations", content=content, headers={"content-type": ctype})
        assert 400 <= response.status_code < 500
        assert set(response.json()["error"]) == {"code", "message", "details"}
    assert client.get("/api/v1/organizations").json()["count"] == 0


def test_a_nul_character_is_refused_wherever_it_comes(client):
    error = assert_error(client.post("/api/v1/sources", json={"title": "\u0000"}), 422, "invalid_input")
    assert error["details"][0]["loc"] == ["body", "title"]
    nested = {"names": [{"value": "Uz\u0000Koram"}], "kind": "supplier"}
    error = assert_error(client.post("/api/v1/organizations", json=nested), 422, "invalid_input")
    assert error["details"][0]["loc"] == ["body", "names", 0, "value"]
    assert_error(client.get("/api/v1/organizations?q=uz%00"), 422, "invalid_input")
    assert_error(
        client.post(
            "/api/v1/organizations",
            content=b"kind=oem%00",
            headers={"content-type": "application/x-www-form-urlencoded"},
        ),
        422,
        "invalid_input",
    )
    assert client.get("/api/v1/sources").json()["count"] == 0
    assert client.post("/api/v1/sources", json={"title": "Отчёт о визите, 2024"}).status_code == 201


def test_sign_in_brute_force_is_slowed_down(session, monkeypatch):
    monkeypatch.setenv("COOPLAB_LOGIN_MAX_FAILURES", "3")
    from cooplab.settings import get_settings

    get_settings.cache_clear()
    try:
        make_user(session, "viewer", email="v@example.org", password="the right password")
        for _ in range(3):
            with pytest.raises(UnauthorizedError):
                accounts.authenticate(
                    session=session, email="v@example.org", password="guess", address="10.0.0.9"
                )
        with pytest.raises(TooManyAttemptsError):  # even the right password, while the pause lasts
            accounts.authenticate(
                session=session, email="v@example.org", password="the right password", address="10.0.0.9"
            )
        with pytest.raises(TooManyAttemptsError):  # another e-mail from the same address
            accounts.authenticate(
                session=session, email="x@example.org", password="guess", address="10.0.0.9"
            )
    finally:
        get_settings.cache_clear()


def test_another_organizations_token_cannot_reach_a_private_note(app, session):
    a = make_org(session, "Uz-Koram Co", kind="supplier", tier=1)
    b = make_org(session, "Tolyatti Press", kind="supplier", tier=2)
    author = make_user(session, "member", a.id, email="a@example.org")
    outsider = make_token(session, make_user(session, "member", b.id, email="b@example.org"))
    secret = "target price 41.20 USD per set"
    note = notes.add_note(
        session=session,
        actor=Actor(user_id=author.id, label=author.email, role=Role.MEMBER, organization_id=a.id),
        organization_id=a.id,
        data=notes.NoteCreate(text=secret),
    )
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {outsider}"}) as client:
        probes = [
            client.get(f"/api/v1/organizations/{a.id}/notes"),
            client.get(f"/api/v1/notes/{note.id}"),
            client.patch(f"/api/v1/notes/{note.id}", json={"text": "x"}),
            client.delete(f"/api/v1/notes/{note.id}"),
            client.get(f"/api/v1/organizations/{a.id}"),
            client.get("/api/v1/organizations", params={"q": "41.20"}),
            client.get("/api/v1/search", params={"q": "target price"}),
            client.get("/api/v1/export/org", params={"format": "csv"}),
            client.get("/api/v1/audit"),
            client.get("/api/v1/audit/export"),
        ]
        for response in probes:
            assert "41.20" not in response.text and "target price" not in response.text, response.request.url
        assert probes[0].json()["count"] == 0
        assert probes[1].status_code == 404
    assert (
        notes.get_note(
            session=session,
            actor=Actor(user_id=author.id, label="a", role=Role.MEMBER, organization_id=a.id),
            note_id=note.id,
        ).text
        == secret
    )
