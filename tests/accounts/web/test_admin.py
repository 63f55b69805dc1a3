"""Administration pages: admins only; the audit log filtered, paged and exported; users added
(with a password generated and shown once) and disabled."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.accounts.models import User
from tests.app.web.test_access import edit_data
from tests.html import parse
from tests.webkit import csrf_of, organization_id, sign_in


@pytest.fixture
def edited(signed_in: Any, reference: Session) -> int:
    """UzAuto Motors with its description changed through the form by the analyst."""
    client = signed_in("analyst")
    org = organization_id(reference, "UzAuto Motors")
    data = edit_data(client, f"/organizations/{org}/edit")
    data["description"] = "Новое описание от аналитика."
    assert client.post(f"/organizations/{org}/edit", data=data).status_code == 303
    return org


@pytest.mark.parametrize("role", ["analyst", "member", "viewer"])
def test_only_admins_open_the_admin_pages(
    role: str, signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    client = signed_in(role)
    for url in ("/admin/audit", "/admin/audit.csv", "/admin/audit?actor=admin@example.org", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert parse(response.text).find("h1").text == "Нет доступа"
    token = csrf_of(client, "/account")
    added = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "intruder@example.org",
            "name": "X",
            "role": "admin",
            "password": "x" * 12,
        },
    )
    assert added.status_code == 403
    assert (
        client.post(f"/admin/users/{users['viewer'].id}/disable", data={"csrf_token": token}).status_code
        == 403
    )
    reference.expire_all()
    assert reference.scalar(select(User).where(User.email == "intruder@example.org")) is None
    assert reference.get(User, users["viewer"].id).is_active
    assert not parse(client.get("/").text).find_all("a", href="/admin/audit")


def test_a_visitor_is_asked_to_sign_in(client: TestClient) -> None:
    assert client.get("/admin/audit.csv").headers["location"] == "/login?next=/admin/audit.csv"


def test_the_audit_log_shows_who_changed_what(signed_in: Any, edited: int) -> None:
    client = signed_in("admin")
    doc = parse(client.get(f"/admin/audit?entity_type=organizations&entity_id={edited}").text)
    entries = doc.find("ol", class_="audit-list").find_all("li", class_="audit-change")
    assert entry_ids(doc) == sorted(entry_ids(doc), reverse=True)  # newest first
    latest = entries[0]
    assert latest.find("span", class_="badge-action").text == "изменение"
    assert "analyst@example.org" in latest.find("span", class_="audit-who").text
    assert latest.find("span", class_="audit-what").find("a").attrs["href"] == f"/organizations/{edited}"
    change = next(
        tr
        for tr in latest.find("table", class_="audit-changes").find_all("tr")
        if tr.find("th").text == "Описание"
    )
    assert "Асаке" in change.find("td", class_="audit-before").text
    assert change.find("td", class_="audit-after").text == "Новое описание от аналитика."
    assert entries[-1].find("span", class_="badge-action").text == "создание"
    # the organization's page links an admin to this history
    page = parse(client.get(f"/organizations/{edited}").text)
    assert page.find("a", href=f"/admin/audit?entity_type=organizations&entity_id={edited}")


def test_audit_filters(signed_in: Any, edited: int) -> None:
    client = signed_in("admin")
    doc = parse(client.get("/admin/audit?actor=analyst@example.org&action=update").text)
    entries = doc.find_all("li", class_="audit-change")
    assert entries
    assert {e.find("span", class_="audit-who").text for e in entries} == {"analyst@example.org"}
    assert {e.find("span", class_="badge-action").text for e in entries} == {"изменение"}
    assert doc.find("select", id="action").find("option", value="update").attrs.get("selected") is not None
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    empty = parse(client.get(f"/admin/audit?since={tomorrow}").text)
    assert "не найдено" in empty.find("div", class_="empty-state").text
    bad = parse(client.get("/admin/audit?since=yesterday&entity_id=abc").text)
    warnings = " ".join(a.text for a in bad.find_all("div", class_="alert-warn"))
    assert "«Начиная с»" in warnings and "«№ записи»" in warnings
    assert bad.find_all("li", class_="audit-change")  # the log is still shown, unfiltered


def test_the_audit_log_is_paged(signed_in: Any, edited: int) -> None:
    analyst = signed_in("analyst")
    for n in range(8):  # eight more user actions, one line each
        data = edit_data(analyst, f"/organizations/{edited}/edit")
        data["description"] = f"Описание №{n}."
        assert analyst.post(f"/organizations/{edited}/edit", data=data).status_code == 303
    client = signed_in("admin")
    first = parse(client.get("/admin/audit?limit=5").text)
    assert len(first.find_all("li", class_="audit-change")) == 5
    following = first.find("a", rel="next").attrs["href"]
    assert "offset=5" in following
    second = parse(client.get(following).text)
    first_ids, second_ids = entry_ids(first), entry_ids(second)
    assert len(second_ids) == 5 and max(second_ids) < min(first_ids)  # older ones on the next page


def entry_ids(doc: Any) -> list[int]:
    """The number of each line's first write, line by line."""
    return [
        int(li.find(class_="audit-entry").attrs["id"].removeprefix("audit-"))
        for li in doc.find_all("li", class_="audit-change")
    ]


def test_the_csv_export_has_the_page_filters(signed_in: Any, edited: int) -> None:
    client = signed_in("admin")
    doc = parse(client.get("/admin/audit?entity_type=organizations&actor=analyst@example.org").text)
    link = next(a for a in doc.find_all("a") if a.attrs.get("href", "").startswith("/admin/audit.csv"))
    assert (
        "entity_type=organizations" in link.attrs["href"]
        and "actor=analyst%40example.org" in link.attrs["href"]
    )
    response = client.get(link.attrs["href"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {(r["entity_type"], r["actor"]) for r in rows} == {
        ("organizations", "analyst@example.org")
    }
    assert any("Новое описание от аналитика." in r["after"] for r in rows)
    everything = list(csv.DictReader(io.StringIO(client.get("/admin/audit.csv").content.decode("utf-8-sig"))))
    assert len(everything) > len(rows)


def test_an_admin_adds_a_user_with_a_generated_password(signed_in: Any, app: Any, reference: Session) -> None:
    client = signed_in("admin")
    org = organization_id(reference, "AVTOVAZ")
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(client, "/admin/users"),
            "email": "Engineer@AvtoVAZ.example",
            "name": "Инженер",
            "role": "member",
            "organization_id": str(org),
            "password": "",
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    box = parse(response.text).find("section", class_="secret-card")
    password = box.find("input", id="new-password").attrs["value"]
    assert len(password) >= 10 and "engineer@avtovaz.example" in box.text
    assert password not in client.get("/admin/users").text
    with TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False) as new:
        assert sign_in(new, "engineer@avtovaz.example", password=password).status_code == 303
        assert "Инженер" in new.get("/account").text
        # a member of AVTOVAZ edits AVTOVAZ
        assert new.get(f"/organizations/{org}/edit").status_code == 200


def test_an_admin_may_choose_the_password(signed_in: Any, app: Any) -> None:
    client = signed_in("admin")
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf_of(client, "/admin/users"),
            "email": "reader@example.org",
            "name": "Читатель",
            "role": "viewer",
            "organization_id": "",
            "password": "long enough password",
        },
    )
    assert response.status_code == 200
    doc = parse(response.text)
    assert not doc.find_all("section", class_="secret-card")
    assert "reader@example.org" in doc.find("div", class_="flash").text
    with TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False) as new:
        assert sign_in(new, "reader@example.org", password="long enough password").status_code == 303


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"email": "not-an-address"}, "email", "адрес электронной почты"),
        ({"email": "viewer@example.org"}, "email", "уже есть"),
        ({"password": "short"}, "password", "не меньше 10"),
        ({"role": "member", "organization_id": ""}, "organization_id", "Выберите организацию"),
        ({"role": "superuser"}, "role", "из списка"),
        ({"name": ""}, "name", "Заполните"),
    ],
)
def test_user_form_errors_are_shown_at_their_fields(
    signed_in: Any,
    reference: Session,
    users: dict[str, Any],
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    client = signed_in("admin")
    before = reference.scalars(select(User.email)).all()
    data = {
        "csrf_token": csrf_of(client, "/admin/users"),
        "email": "new@example.org",
        "name": "Новый",
        "role": "viewer",
        "organization_id": "",
        "password": "",
        **fields,
    }
    response = client.post("/admin/users", data=data)
    assert response.status_code in (409, 422)
    form = parse(response.text).find("form", class_="user-form")
    control = next(el for el in form.iter() if el.attrs.get("name") == field)
    assert control.attrs.get("aria-invalid") == "true"
    assert message in control.closest("field").find("p", class_="field-error").text
    if field != "password":
        assert control.tag == "select" or control.attrs.get("value") == data[field]
    assert sorted(reference.scalars(select(User.email)).all()) == sorted(before)


def test_disabling_a_user_signs_them_out_at_once(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    member, admin = signed_in("member"), signed_in("admin")
    assert member.get("/account").status_code == 200
    doc = parse(admin.get("/admin/users").text)
    form = doc.find("form", action=f"/admin/users/{users['member'].id}/disable")
    assert not doc.find_all("form", action=f"/admin/users/{users['admin'].id}/disable")  # not oneself
    response = admin.post(
        form.attrs["action"], data={"csrf_token": form.find("input", name="csrf_token").attrs["value"]}
    )
    assert response.status_code == 303
    assert (
        parse(admin.get("/admin/users").text)
        .find("div", class_="flash")
        .text.startswith("Пользователь отключён")
    )
    assert member.get("/account").status_code == 303
    org = organization_id(reference, "UzAuto Motors")
    assert member.get(f"/organizations/{org}/edit").headers["location"].startswith("/login")
