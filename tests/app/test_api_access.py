"""Access rules: a matrix over every API route x role, generated from the app's route table, and
the visibility of confidential records for every role."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.core.http import Requires
from cooplab.registry import notes
from tests.factories import make_org, make_place, make_token, make_user

#: The matrix, written out independently of the code: which roles each permission admits.
MATRIX = {
    "read": {"anonymous", "viewer", "member", "member_other", "analyst", "admin", "admin_read_token"},
    "edit_own_organization": {"member", "member_other", "analyst", "admin"},
    "edit_registry": {"analyst", "admin"},
    "write_notes": {"member", "member_other", "analyst", "admin"},
    "administer": {"admin"},
}
ROLES = sorted(MATRIX["read"])
#: Routes where a member may act on its own organization only (checked after the role).
OWN_ORGANIZATION = {
    ("PATCH", "/api/v1/organizations/{organization_id}"),
    ("POST", "/api/v1/organizations/{organization_id}/sites"),
    ("POST", "/api/v1/{subject}/{subject_id}/citations"),
}
#: Routes that read what only the registry's editors need (the duplicate pairs): analysts and
#: admins, a read-only token of theirs included.
EDITORS_READ = {
    ("GET", path): {"analyst", "admin", "admin_read_token"}
    for path in ("/api/v1/duplicates", "/api/v1/identifiers/claims")
}
#: Routes that compute for any signed-in reader and store nothing (a read-only token may call them).
SIGNED_IN_READ = {("POST", "/api/v1/feasibility/landed-cost"), ("POST", "/api/v1/feasibility/invest")}
#: Routes that store what a signed-in user says (a mark on a match): any role, a write token.
SIGNED_IN_WRITE = {("POST", "/api/v1/needs/{need_id}/feedback")}


def permission_of(route) -> str | None:
    stack = [route.original_route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Requires):
            return dep.call.permission.value
        stack.extend(dep.dependencies)
    return None


def api_routes(app):
    """Every API route with its full path (app.routes holds the included routers)."""
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute) and route.path.startswith("/api/"):
            for method in sorted(route.methods):
                yield method, route


def test_every_api_route_has_an_access_rule(app):
    routes = list(api_routes(app))
    assert len(routes) >= 60, "the route table was not read"
    missing = [f"{m} {r.path}" for m, r in routes if permission_of(r) is None]
    assert missing == []


@pytest.fixture
def world(session, app):
    """Organizations A (the member's), B (the other member's), places, people, users, tokens."""
    a = make_org(session, "Uz-Koram Co", kind="supplier", tier=1)
    b = make_org(session, "Uz-Tong Hong Co", kind="supplier", tier=1)
    cluster = make_org(session, "Кластер АП", kind="association")
    place = make_place(session)
    users = {
        "viewer": make_user(session, "viewer"),
        "member": make_user(session, "member", a.id),
        "member_other": make_user(session, "member", b.id, email="other@example.org"),
        "analyst": make_user(session, "analyst", cluster.id),
        "admin": make_user(session, "admin"),
    }
    tokens = {role: make_token(session, user) for role, user in users.items()}
    tokens["admin_read_token"] = make_token(session, users["admin"], scope="read")
    session.commit()
    return {"a": a.id, "b": b.id, "place": place.id, "users": users, "tokens": tokens}


def client_for(app, world, role):
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['tokens'][role]}"}
    return TestClient(app, headers=headers)


def fill(path: str, world) -> str:
    values = {
        "organization_id": world["a"],
        "place_id": world["place"],
        "subject": "organizations",
        "subject_id": world["a"],
        "kind": "ownership",
        "link_id": 999999,
    }
    return re.sub(r"{(\w+)}", lambda m: str(values.get(m.group(1), 999999)), path)


def body_for(method: str, path: str):
    if (method, path) in OWN_ORGANIZATION:
        return {"PATCH": {"version": 1, "website": "https://a.example"}}.get(method) or (
            {"place_id": 999999} if path.endswith("sites") else {"source_id": 999999}
        )
    return {} if method in {"POST", "PATCH", "PUT"} else None


@pytest.mark.parametrize("role", ROLES)
def test_route_by_role_matrix(app, world, role):
    """Every route answers every role as the matrix says: denied with 401/403 in the error shape,
    allowed with anything but 401/403."""
    with client_for(app, world, role) as client:
        for method, route in api_routes(app):
            permission = permission_of(route)
            allowed = role in MATRIX[permission]
            if (method, route.path) in OWN_ORGANIZATION and role.startswith("member"):
                allowed = role == "member"  # world["a"] is the member's own organization
            if (method, route.path) in EDITORS_READ:
                allowed = role in EDITORS_READ[method, route.path]
            if (method, route.path) in SIGNED_IN_READ:
                allowed = role != "anonymous"
            if (method, route.path) in SIGNED_IN_WRITE:
                allowed = role not in {"anonymous", "admin_read_token"}
            if route.path in {"/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/{token_id}"}:
                allowed = role != "anonymous" and not (method != "GET" and role == "admin_read_token")
            if route.path.startswith("/api/v1/import"):
                files = {"file": ("x.csv", b"name,kind\n", "text/csv")}
                response = client.request(method, fill(route.path, world), files=files)
            else:
                response = client.request(method, fill(route.path, world), json=body_for(method, route.path))
            where = f"{role}: {method} {route.path} -> {response.status_code} {response.text[:200]}"
            if allowed:
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == (401 if role == "anonymous" else 403), where
            if response.status_code >= 400:
                error = response.json()["error"]
                assert set(error) == {"code", "message", "details"}, where


def test_revoked_token_and_disabled_user_stop_at_once(app, world, session):
    from cooplab.accounts import service as accounts

    with client_for(app, world, "viewer") as client:
        assert client.get("/api/v1/me").status_code == 200
        token_id = client.get("/api/v1/tokens").json()["data"][0]["id"]
        revoked = client.delete(f"/api/v1/tokens/{token_id}")
        assert revoked.status_code == 204, revoked.text
        assert client.get("/api/v1/me").json()["error"]["code"] == "unauthorized"
    accounts.disable_user(session=session, actor=SYSTEM, user_id=world["users"]["analyst"].id)
    session.commit()
    with client_for(app, world, "analyst") as client:
        assert client.get("/api/v1/organizations").status_code == 401


def test_wrong_or_expired_token_is_refused(app, world, session):
    with TestClient(app, headers={"Authorization": "Bearer cl_nonsense"}) as client:
        assert client.get("/api/v1/organizations").status_code == 401
    expired = make_token(session, world["users"]["viewer"], days=1)
    from datetime import timedelta

    from cooplab.accounts.models import ApiToken
    from cooplab.db.base import utcnow

    token = session.query(ApiToken).order_by(ApiToken.id.desc()).first()
    token.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {expired}"}) as client:
        assert client.get("/api/v1/organizations").status_code == 401


# ---------------------------------------------------------------- visibility

VISIBLE = {  # who sees a note by A about C, for each visibility
    "public": {"anonymous", "viewer", "member", "member_c", "member_other", "analyst", "admin"},
    "members": {"viewer", "member", "member_c", "member_other", "analyst", "admin"},
    "organization": {"member", "analyst", "admin"},
    "parties": {"member", "member_c", "admin"},
}


@pytest.fixture
def notes_world(world, session):
    c = make_org(session, "Erae Climate Control", kind="supplier", tier=1)
    world["users"]["member_c"] = make_user(session, "member", c.id, email="c@example.org")
    world["tokens"]["member_c"] = make_token(session, world["users"]["member_c"])
    author = world["users"]["member"]
    actor = Actor(user_id=author.id, label=author.email, role=Role.MEMBER, organization_id=world["a"])
    ids = {}
    for visibility in VISIBLE:
        note = notes.add_note(
            session=session,
            actor=actor,
            organization_id=c.id,
            data=notes.NoteCreate(text=f"price talk ({visibility})", visibility=visibility),
        )
        ids[visibility] = note.id
    session.commit()
    world["c"] = c.id
    world["notes"] = ids
    return world


@pytest.mark.parametrize("role", sorted(VISIBLE["public"]))
def test_note_visibility_by_role(app, notes_world, role):
    with client_for(app, notes_world, role) as client:
        listed = client.get(f"/api/v1/organizations/{notes_world['c']}/notes").json()
        seen = {n["visibility"] for n in listed["data"]}
        expected = {v for v, roles in VISIBLE.items() if role in roles}
        assert seen == expected
        assert listed["count"] == len(expected)  # hidden rows are not counted either
        for visibility, note_id in notes_world["notes"].items():
            response = client.get(f"/api/v1/notes/{note_id}")
            if role in VISIBLE[visibility]:
                assert response.status_code == 200
            else:
                # exactly what a note that does not exist gives: nothing leaks
                missing = (
                    client.get("/api/v1/notes/999999")
                    .json()["error"]["message"]
                    .replace("999999", str(note_id))
                )
                assert response.status_code == 404 and response.json()["error"]["message"] == missing
                assert "price" not in response.text
                change = client.patch(f"/api/v1/notes/{note_id}", json={"text": "x"})
                absent = client.patch("/api/v1/notes/999999", json={"text": "x"})
                assert change.status_code == absent.status_code and "price" not in change.text
                assert change.json()["error"]["message"] == absent.json()["error"]["message"].replace(
                    "999999", str(note_id)
                )


def test_only_author_or_admin_changes_a_note(app, notes_world):
    note_id = notes_world["notes"]["members"]
    with client_for(app, notes_world, "member_other") as client:
        assert client.patch(f"/api/v1/notes/{note_id}", json={"text": "x"}).status_code == 403
    with client_for(app, notes_world, "member") as client:
        assert client.patch(f"/api/v1/notes/{note_id}", json={"text": "updated"}).status_code == 200
    with client_for(app, notes_world, "admin") as client:
        assert client.delete(f"/api/v1/notes/{note_id}").status_code == 204
