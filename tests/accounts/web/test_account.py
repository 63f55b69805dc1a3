"""One's account: details, and API tokens created (shown once), listed by prefix, and revoked."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.accounts import service as accounts
from cooplab.core.actor import SYSTEM
from tests.factories import make_token
from tests.html import parse
from tests.webkit import csrf_of


def create_token(client: TestClient, **fields: str) -> Any:
    data = {"name": "Выгрузка в Excel", "scope": "read", "days": "30", **fields}
    return client.post("/account/tokens", data={"csrf_token": csrf_of(client, "/account"), **data})


def test_the_account_page_shows_who_one_is(signed_in: Any) -> None:
    doc = parse(signed_in("member").get("/account").text)
    facts = doc.find("section", class_="facts").text
    assert "Азиз Рахимов" in facts and "member@uzauto.example" in facts and "участник" in facts
    assert doc.find("section", class_="facts").find("a").text == "UzAuto Motors"
    assert "Токенов пока нет" in doc.find("section", id="tokens").text


def test_a_new_token_is_shown_once_then_only_its_prefix(signed_in: Any, app: Any) -> None:
    client = signed_in("member")
    response = create_token(client, scope="write")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    doc = parse(response.text)
    box = doc.find("section", class_="secret-card")
    raw = box.find("input", id="new-token").attrs["value"]
    assert raw.startswith("cl_") and len(raw) > 30
    assert "больше он показан не будет" in box.text
    # the token works for the API, as its user
    with TestClient(app, headers={"Authorization": f"Bearer {raw}"}) as api:
        me = api.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["email"] == "member@uzauto.example"
    # afterwards: its name, prefix, rights and expiry, never the token
    again = client.get("/account").text
    assert raw not in again
    row = parse(again).find("table", class_="tokens").find("tbody").find("tr")
    assert "Выгрузка в Excel" in row.text and f"{raw[:10]}…" in row.text
    assert "чтение и запись" in row.text
    assert not parse(again).find_all("section", class_="secret-card")


def test_token_form_errors_are_shown_at_their_fields(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    client = signed_in("viewer")
    response = create_token(client, name="", days="0", scope="admin")
    assert response.status_code == 422
    doc = parse(response.text)
    for tag, name in (("input", "name"), ("select", "days"), ("select", "scope")):
        control = doc.find("form", class_="token-form").find(tag, name=name)
        assert control.attrs.get("aria-invalid") == "true", name
    assert accounts.list_tokens(session=reference, actor=SYSTEM, user_id=users["viewer"].id) == []
    # without the form's token nothing is created
    refused = client.post("/account/tokens", data={"name": "x", "scope": "read", "days": "30"})
    assert refused.status_code == 403
    assert accounts.list_tokens(session=reference, actor=SYSTEM, user_id=users["viewer"].id) == []


def test_revoking_a_token_stops_it_at_once(signed_in: Any, app: Any) -> None:
    client = signed_in("analyst")
    raw = parse(create_token(client).text).find("input", id="new-token").attrs["value"]
    token_form = parse(client.get("/account").text).find("form", class_="inline-form")
    response = client.post(
        token_form.attrs["action"],
        data={"csrf_token": token_form.find("input", name="csrf_token").attrs["value"]},
    )
    assert response.status_code == 303 and response.headers["location"] == "/account#tokens"
    doc = parse(client.get("/account").text)
    assert doc.find("div", class_="flash").text == "Токен отозван: он больше не работает."
    assert "отозван" in doc.find("table", class_="tokens").text
    assert not doc.find("table", class_="tokens").find_all("form")
    with TestClient(app, headers={"Authorization": f"Bearer {raw}"}) as api:
        assert api.get("/api/v1/me").status_code == 401


def test_nobody_revokes_someone_elses_token(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    make_token(reference, users["viewer"])
    reference.commit()
    token = accounts.list_tokens(session=reference, actor=SYSTEM, user_id=users["viewer"].id)[0]
    client = signed_in("member")
    response = client.post(
        f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_of(client, "/account")}
    )
    assert response.status_code == 404
    reference.expire_all()
    assert (
        accounts.list_tokens(session=reference, actor=SYSTEM, user_id=users["viewer"].id)[0].revoked_at
        is None
    )


def test_a_visitor_has_no_account_page(client: TestClient) -> None:
    assert client.get("/account").headers["location"] == "/login?next=/account"
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 401
