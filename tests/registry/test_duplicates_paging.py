"""Duplicates are an analyst's work list: signed-in analysts and admins only, paged, and scored
once per state of the registry rather than on every request."""

from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.factories import make_org, make_token, make_user

PAIRS = [
    ("Orion Tractor", "Орион Трактор"),
    ("Navoi Plast", "Навои Пласт"),
    ("Kazan Metall", "Казань Металл"),
]


def _pairs(session):
    for latin, cyrillic in PAIRS:
        make_org(session, latin)
        make_org(session, cyrillic)


def _as(app, session, role, scope="write"):
    home = make_org(session, f"Home of the {role}", kind="supplier").id if role == "member" else None
    token = make_token(session, make_user(session, role, home), scope=scope)
    session.commit()
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_only_analysts_and_admins_read_duplicates(app, session, anonymous):
    _pairs(session)
    session.commit()
    assert anonymous.get("/api/v1/duplicates").status_code == 401
    for role in ("viewer", "member"):
        with _as(app, session, role) as client:
            response = client.get("/api/v1/duplicates")
            assert response.status_code == 403, response.text
            assert response.json()["error"]["code"] == "forbidden"
    with _as(app, session, "analyst", scope="read") as client:  # a read-only token will do
        response = client.get("/api/v1/duplicates")
        assert response.status_code == 200, response.text
        assert response.json()["count"] == len(PAIRS)


def test_duplicates_are_paged_and_scored_once_per_registry_state(app, session, engine, client):
    _pairs(session)
    session.commit()
    whole = client.get("/api/v1/duplicates").json()
    assert whole["count"] == len(PAIRS) == len(whole["data"])
    statements = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        pages = [client.get(f"/api/v1/duplicates?limit=1&offset={n}").json() for n in range(len(PAIRS))]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert [p["count"] for p in pages] == [len(PAIRS)] * len(PAIRS)
    assert [p["data"] for p in pages] == [[pair] for pair in whole["data"]]
    assert not any("organization_names" in s for s in statements)  # nothing scored again
    assert client.get(f"/api/v1/duplicates?offset={len(PAIRS)}").json() == {"data": [], "count": len(PAIRS)}
    make_org(session, "Navoi Plast", kind="supplier")  # a change of the registry is seen at once
    session.commit()
    assert client.get("/api/v1/duplicates").json()["count"] > len(PAIRS)
