"""Who may do what on the web: signing in and out, CSRF on every form, the roles' permissions on
every page, and writes attributed to their user in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.accounts import audit
from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.models import WebSession
from cooplab.accounts.service import resolve_web_session
from cooplab.app import create_app
from cooplab.core.actor import SYSTEM
from cooplab.core.routes import WebRoute
from cooplab.core.web import access
from cooplab.db.session import session_factory
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter, PersonFilter
from cooplab.settings import Settings
from tests.html import parse
from tests.webkit import PASSWORD, csrf_of, organization_id, sign_in


def anonymous_client(app: Any, **kwargs: Any) -> TestClient:
    return TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False, **kwargs)


def edit_data(client: TestClient, url: str) -> dict[str, str]:
    """The fields of an edit form as a browser would post them back (CSRF token included)."""
    form = parse(client.get(url).text).find("form", class_="form")
    data = {
        el.attrs["name"]: el.attrs.get("value", "")
        for el in form.find_all("input")
        if el.attrs.get("name") and "-999-" not in el.attrs["name"] and el.attrs.get("type") != "checkbox"
    }
    for menu in form.find_all("select"):
        name = menu.attrs.get("name", "")
        chosen = [o for o in menu.find_all("option") if "selected" in o.attrs]
        if name and "-999-" not in name:
            data[name] = chosen[0].attrs.get("value", "") if chosen else ""
    for area in form.find_all("textarea"):
        data[area.attrs["name"]] = area.text
    return data


def fresh(session: Session, org_id: int) -> Any:
    session.expire_all()
    return service.get_organization(session=session, organization_id=org_id)


def web_routes(app: Any) -> list[Any]:
    """The web UI's routes, found through included routers (app.routes holds the routers)."""
    return [
        ctx
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, WebRoute) and not ctx.path.startswith("/api/")
    ]


def _dependencies(route: Any) -> set[Any]:
    found, stack = set(), [route.dependant]
    while stack:
        dep = stack.pop()
        found.add(type(dep.call) if isinstance(dep.call, access.WebRequires) else dep.call)
        stack.extend(dep.dependencies)
    return found


# ---------------------------------------------------------------- every route has a rule


def test_every_web_route_resolves_the_reader_and_every_form_checks_its_token(app: Any) -> None:
    routes = web_routes(app)
    assert len(routes) > 20  # the walk sees the routes: an empty list would pass any check
    unguarded, unchecked = [], []
    for route in routes:
        deps = _dependencies(route)
        if not deps & {access.WebRequires, access.visitor}:
            unguarded.append(route.path)
        if "POST" in route.methods and not deps & {
            access.checked_form,
            access.login_form,
            access.logout_form,
        }:
            unchecked.append(route.path)
    assert unguarded == []
    assert unchecked == []


# ---------------------------------------------------------------- signing in


def test_signing_in_starts_a_server_side_session(client: TestClient, users: dict[str, Any], app: Any) -> None:
    response = sign_in(client, "member@uzauto.example", next_url="/organizations?kind=oem")
    assert response.status_code == 303
    assert response.headers["location"] == "/organizations?kind=oem"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("cooplab_session="))
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes and attributes["samesite"].lower() == "samesite=lax"
    assert attributes["max-age"] == f"Max-Age={app.state.settings.session_hours * 3600}"
    assert attributes["path"] == "Path=/" and "secure" not in attributes  # http in tests
    doc = parse(client.get(response.headers["location"]).text)
    account = doc.find("a", class_="account-link")
    assert "Азиз Рахимов" in account.text and "участник" in account.text
    assert doc.find("form", class_="signout").find("button").text == "Выйти"
    assert doc.find("div", class_="flash").text == "Вы вошли."
    assert not doc.find_all("a", class_="signin")


def test_a_visitor_sees_the_sign_in_link(client: TestClient) -> None:
    doc = parse(client.get("/organizations?kind=oem").text)
    link = doc.find("a", class_="signin")
    assert link.text == "Войти" and link.attrs["href"] == "/login?next=/organizations%3Fkind%3Doem"
    assert not doc.find_all("form", class_="signout")


def test_the_session_cookie_is_secure_in_production(
    reference: Session, database_url: str, users: dict[str, Any]
) -> None:
    app = create_app(
        Settings(database_url=database_url, env="production", secret_key="kV3q9Zp2Lx7RmT4wBc8NfY6hJd1GsE5a")
    )
    with anonymous_client(app, base_url="https://testserver") as client:
        login = client.get("/login")
        assert "Secure" in login.headers["set-cookie"]
        response = sign_in(client, "viewer@example.org")
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("cooplab_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert client.get("/account").status_code == 200


def test_a_wrong_password_shows_the_form_again(client: TestClient, users: dict[str, Any]) -> None:
    response = sign_in(client, "member@uzauto.example", password="wrong password", next_url="/people")
    assert response.status_code == 401
    assert "cooplab_session" not in response.headers.get("set-cookie", "")
    doc = parse(response.text)
    assert "Неверная почта или пароль" in doc.find("div", class_="alert").text
    form = doc.find("form", class_="auth-form")
    assert form.find("input", name="email").attrs["value"] == "member@uzauto.example"
    assert "value" not in form.find("input", name="password").attrs
    assert form.find("input", name="next").attrs["value"] == "/people"
    # an unknown e-mail gets the same answer
    unknown = sign_in(client, "nobody@example.org")
    assert unknown.status_code == 401 and "Неверная почта или пароль" in unknown.text
    assert client.get("/account").status_code == 303


def test_too_many_failures_pause_signing_in(
    reference: Session, database_url: str, users: dict[str, Any]
) -> None:
    app = create_app(
        Settings(database_url=database_url, env="test", login_max_failures=3, login_window_seconds=600)
    )
    with anonymous_client(app) as client:
        for _ in range(3):
            assert sign_in(client, "viewer@example.org", password="guess guess guess").status_code == 401
        response = sign_in(client, "viewer@example.org")  # the right password, too late
        assert response.status_code == 429
        assert "cooplab_session" not in response.headers.get("set-cookie", "")
        alert = parse(response.text).find("div", class_="alert").text
        assert "Слишком много неудачных попыток" in alert and "10 мин" in alert
        english = sign_in(client, "viewer@example.org", next_url="/?lang=en")
        assert english.status_code == 429


def test_the_sign_in_form_needs_its_own_token(client: TestClient, users: dict[str, Any]) -> None:
    client.get("/login")
    response = client.post("/login", data={"email": "viewer@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "cooplab_session" not in response.headers.get("set-cookie", "")
    assert "Страница входа устарела" in parse(response.text).find("div", class_="alert").text
    # the form shown again carries a fresh token that works
    token = parse(response.text).find("input", name="csrf_token").attrs["value"]
    again = client.post(
        "/login", data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token, "next": "/"}
    )
    assert again.status_code == 303


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/logout", ""],
)
def test_after_signing_in_only_local_pages(client: TestClient, users: dict[str, Any], target: str) -> None:
    assert sign_in(client, "viewer@example.org", next_url=target).headers["location"] == "/"


# ---------------------------------------------------------------- signing out


def test_signing_out_ends_the_session_at_once(
    client: TestClient, app: Any, reference: Session, users: dict[str, Any]
) -> None:
    sign_in(client, "analyst@example.org")
    raw = client.cookies.get("cooplab_session")
    assert client.get("/account").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_of(client, "/account")})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'cooplab_session=""' in response.headers["set-cookie"]
    assert client.get("/account").status_code == 303
    # a copy of the old cookie is worth nothing: the session ended on the server
    with anonymous_client(app, cookies={"cooplab_session": raw}) as thief:
        assert thief.get("/account").status_code == 303
        assert thief.get(f"/organizations/{organization_id(reference, 'AVTOVAZ')}/edit").status_code == 303
    reference.expire_all()
    sessions = reference.scalars(select(WebSession).where(WebSession.user_id == users["analyst"].id)).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)


def test_signing_out_needs_the_token(signed_in: Any) -> None:
    client = signed_in("viewer")
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/account").status_code == 200  # still signed in


def test_a_new_sign_in_replaces_the_old_session(client: TestClient, users: dict[str, Any], app: Any) -> None:
    # two tabs with the sign-in form: the reader signs in in one, then in the other as someone else
    token = parse(client.get("/login").text).find("input", name="csrf_token").attrs["value"]
    sign_in(client, "viewer@example.org")
    first = client.cookies.get("cooplab_session")
    response = client.post(
        "/login",
        data={"email": "analyst@example.org", "password": PASSWORD, "csrf_token": token, "next": "/account"},
    )
    assert response.status_code == 303
    assert client.cookies.get("cooplab_session") != first
    assert "Analyst" in client.get("/account").text
    with anonymous_client(app, cookies={"cooplab_session": first}) as old:
        assert old.get("/account").status_code == 303


# ---------------------------------------------------------------- CSRF


def test_forms_without_the_right_token_change_nothing(signed_in: Any, reference: Session) -> None:
    client, other = signed_in("analyst"), signed_in("admin")
    org_id = organization_id(reference, "UzAuto Motors")
    before = fresh(reference, org_id)
    data = edit_data(client, f"/organizations/{org_id}/edit")
    data["description"] = "forged"
    for token in (None, "", "forged", csrf_of(other, "/account"), data["csrf_token"][:-4]):
        forged = {k: v for k, v in data.items() if k != "csrf_token"}
        if token is not None:
            forged["csrf_token"] = token
        response = client.post(f"/organizations/{org_id}/edit", data=forged)
        assert response.status_code == 403, token
        assert "Форма устарела" in parse(response.text).find("div", class_="error-card").text
    after = fresh(reference, org_id)
    assert (after.description, after.version) == (before.description, before.version)
    # the same form with its token saves
    assert client.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    assert fresh(reference, org_id).description == "forged"


def test_every_form_of_the_pages_carries_the_token(signed_in: Any, reference: Session) -> None:
    client = signed_in("admin")
    org_id = organization_id(reference, "UzAuto Motors")
    person = service.list_people(session=reference, actor=SYSTEM, filters=PersonFilter(), limit=1).data[0].id
    for url in (
        "/",
        f"/organizations/{org_id}",
        f"/organizations/{org_id}/edit",
        "/organizations/new",
        f"/people/{person}/edit",
        "/account",
        "/admin/users",
    ):
        forms = [f for f in parse(client.get(url).text).find_all("form") if f.attrs.get("method") == "post"]
        assert forms, url
        for form in forms:
            tokens = form.find_all("input", name="csrf_token")
            assert len(tokens) == 1 and access.token_matches(
                tokens[0].attrs["value"], client_token(client)
            ), url


def client_token(client: TestClient) -> str:
    """The session's CSRF token as the server holds it (the pages carry it masked)."""
    app = client.app
    with session_factory(app.state.engine)() as session:  # type: ignore[attr-defined]
        web = resolve_web_session(
            session=session, raw=client.cookies["cooplab_session"], settings=app.state.settings
        )  # type: ignore[attr-defined]
        assert web is not None
        return web.csrf_token


def test_the_token_is_masked_afresh_on_every_page(signed_in: Any) -> None:
    client = signed_in("viewer")
    first, second = csrf_of(client, "/account"), csrf_of(client, "/account")
    assert first != second
    assert access.token_matches(first, client_token(client)) and access.token_matches(
        second, client_token(client)
    )


# ---------------------------------------------------------------- roles on the registry's pages


def test_a_member_edits_its_own_organization_only(signed_in: Any, reference: Session) -> None:
    client = signed_in("member")
    own, other = organization_id(reference, "UzAuto Motors"), organization_id(reference, "AVTOVAZ")
    page = parse(client.get(f"/organizations/{own}").text)
    assert page.find("a", href=f"/organizations/{own}/edit")
    data = edit_data(client, f"/organizations/{own}/edit")
    data["description"] = "Наше описание."
    assert client.post(f"/organizations/{own}/edit", data=data).status_code == 303
    assert fresh(reference, own).description == "Наше описание."

    assert not parse(client.get(f"/organizations/{other}").text).find_all(
        "a", href=f"/organizations/{other}/edit"
    )
    refused = client.get(f"/organizations/{other}/edit")
    assert refused.status_code == 403
    doc = parse(refused.text)
    assert doc.find("h1").text == "Нет доступа"
    assert "только сведения своей организации" in doc.find("div", class_="error-card").text
    before = fresh(reference, other)
    data = {
        **edit_data(signed_in("admin"), f"/organizations/{other}/edit"),
        "csrf_token": data["csrf_token"],
        "description": "Чужое описание.",
    }
    assert client.post(f"/organizations/{other}/edit", data=data).status_code == 403
    after = fresh(reference, other)
    assert (after.description, after.version) == (before.description, before.version)


def test_a_member_creates_no_organizations_and_edits_no_people(signed_in: Any, reference: Session) -> None:
    client = signed_in("member")
    person = service.list_people(session=reference, actor=SYSTEM, filters=PersonFilter(), limit=1).data[0].id
    assert client.get("/organizations/new").status_code == 403
    assert client.get(f"/people/{person}/edit").status_code == 403
    assert not parse(client.get(f"/people/{person}").text).find_all("a", href=f"/people/{person}/edit")
    token = csrf_of(client, "/account")
    assert (
        client.post(
            "/organizations/new", data={"csrf_token": token, "kind": "oem", "names-0-value": "Новый завод"}
        ).status_code
        == 403
    )
    assert (
        service.list_organizations(
            session=reference, actor=SYSTEM, filters=OrganizationFilter(q="Новый завод"), limit=1
        ).count
        == 0
    )


def test_a_viewer_sees_no_edit_buttons_and_is_refused_the_forms(signed_in: Any, reference: Session) -> None:
    client = signed_in("viewer")
    org_id = organization_id(reference, "UzAuto Motors")
    person = service.list_people(session=reference, actor=SYSTEM, filters=PersonFilter(), limit=1).data[0].id
    for url in ("/", "/organizations", f"/organizations/{org_id}", f"/people/{person}"):
        doc = parse(client.get(url).text)
        hrefs = [a.attrs.get("href", "") for a in doc.find("main").find_all("a")]
        assert not [h for h in hrefs if h.endswith(("/edit", "/new"))], url
        assert not doc.find_all("form", class_="note-form"), url
    for url in ("/organizations/new", f"/organizations/{org_id}/edit", f"/people/{person}/edit"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Вы вошли как Viewer (читатель)" in response.text
    before = fresh(reference, org_id)
    token = csrf_of(client, "/account")
    assert (
        client.post(
            f"/organizations/{org_id}/edit",
            data={"csrf_token": token, "kind": "oem", "names-0-value": "Захват"},
        ).status_code
        == 403
    )
    assert fresh(reference, org_id).version == before.version


def test_a_visitor_is_sent_to_sign_in_for_forms(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    for url in (
        "/organizations/new",
        f"/organizations/{org_id}/edit",
        "/account",
        "/admin/audit",
        "/admin/users",
    ):
        response = client.get(url)
        assert response.status_code == 303, url
        assert response.headers["location"] == f"/login?next={url}", url
    # the visitor sees the registry, without edit buttons
    doc = parse(client.get(f"/organizations/{org_id}").text)
    assert not doc.find_all("a", href=f"/organizations/{org_id}/edit")
    # a form posted without a session is refused with a page that offers to sign in
    before = fresh(reference, org_id)
    response = client.post(
        f"/organizations/{org_id}/edit",
        data={"kind": "oem", "names-0-value": "X"},
        headers={"Referer": f"http://testserver/organizations/{org_id}/edit"},
    )
    assert response.status_code == 401
    button = parse(response.text).find("div", class_="error-card").find("a", class_="button")
    assert button.attrs["href"] == f"/login?next=/organizations/{org_id}/edit"
    assert fresh(reference, org_id).version == before.version


def test_the_sign_in_page_brings_the_reader_back(
    client: TestClient, users: dict[str, Any], reference: Session
) -> None:
    org_id = organization_id(reference, "AVTOVAZ")
    login = client.get(f"/organizations/{org_id}/edit").headers["location"]
    form = parse(client.get(login).text).find("form", class_="auth-form")
    assert form.find("input", name="next").attrs["value"] == f"/organizations/{org_id}/edit"
    response = sign_in(client, "analyst@example.org", next_url=f"/organizations/{org_id}/edit")
    assert response.headers["location"] == f"/organizations/{org_id}/edit"
    assert client.get(response.headers["location"]).status_code == 200


def test_web_writes_are_attributed_to_their_user(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    client = signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_data(client, f"/organizations/{org_id}/edit")
    data["description"] = "Описание аналитика."
    assert client.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    entries = audit.list_entries(
        session=reference, actor=SYSTEM, filters=AuditFilter(entity_type="organizations", entity_id=org_id)
    ).data
    latest = entries[0]
    assert (latest.actor, latest.action, latest.user_id) == (
        "analyst@example.org",
        "update",
        users["analyst"].id,
    )
    assert latest.after["description"] == "Описание аналитика."
    new = client.post(
        "/organizations/new",
        data={
            "csrf_token": data["csrf_token"],
            "kind": "supplier",
            "names-0-value": "ООО «Тольяттинский штамп»",
        },
    )
    assert new.status_code == 303
    new_id = int(new.headers["location"].rsplit("/", 1)[1])
    created = audit.list_entries(
        session=reference, actor=SYSTEM, filters=AuditFilter(entity_type="organizations", entity_id=new_id)
    ).data
    assert [(e.action, e.actor) for e in created] == [("create", "analyst@example.org")]


def test_the_users_own_writes_are_theirs_in_the_log(
    signed_in: Any, reference: Session, users: dict[str, Any]
) -> None:
    client = signed_in("member")
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_data(client, f"/organizations/{org_id}/edit")
    data["website"] = "https://uzautomotors.example"
    assert client.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    entries = audit.list_entries(
        session=reference, actor=SYSTEM, filters=AuditFilter(actor="member@uzauto.example")
    ).data
    assert entries and all(e.user_id == users["member"].id for e in entries)
    assert any(e.entity_type == "organizations" and e.after.get("website") for e in entries)


# ---------------------------------------------------------------- a closed registry


def test_without_public_reading_everyone_signs_in_first(
    reference: Session, database_url: str, users: dict[str, Any]
) -> None:
    app = create_app(Settings(database_url=database_url, env="test", public_read=False))
    org_id = organization_id(reference, "UzAuto Motors")
    with anonymous_client(app) as client:
        for url in ("/", "/organizations", f"/organizations/{org_id}", "/search?q=УзАвто", "/places"):
            response = client.get(url)
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), url
        login = client.get("/login")
        assert login.status_code == 200
        assert "только после входа" in login.text
        assert client.get("/static/app.css").status_code == 200
        assert sign_in(client, "viewer@example.org").status_code == 303
        assert client.get(f"/organizations/{org_id}").status_code == 200


def test_a_refused_role_is_named_in_the_readers_language(signed_in: Any) -> None:
    member = signed_in("member")
    for lang, role in (("ru", "участник"), ("en", "member")):
        refused = member.get(f"/import/org?lang={lang}")
        assert refused.status_code == 403
        detail = parse(refused.text).find("div", class_="error-card").text
        assert detail.count(f"({role})") == 1  # once, with the reader's name
    assert (
        "(member)" not in parse(member.get("/import/org?lang=ru").text).find("div", class_="error-card").text
    )


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("ru", {401: "Нужно войти", 404: "Страница не найдена", 405: "Так нельзя"}),
        ("en", {401: "Sign-in needed", 404: "Page not found", 405: "Not allowed"}),
        ("uz", {401: "Tizimga kirish kerak", 404: "Sahifa topilmadi", 405: "Ruxsat etilmagan"}),
    ],
)
def test_error_pages_speak_the_readers_language(
    client: TestClient, lang: str, titles: dict[int, str]
) -> None:
    answers = {
        # a form posted without a session (a page asked for is sent to the sign-in form instead)
        401: client.post(f"/steps/1?lang={lang}", headers={"Referer": "http://testserver/steps"}),
        404: client.get(f"/no-such-page?lang={lang}"),
        405: client.post(f"/organizations?lang={lang}"),
    }
    for status, answer in answers.items():
        assert answer.status_code == status
        doc = parse(answer.text)
        assert doc.find("html").attrs["lang"] == lang
        assert doc.find("h1").text == titles[status], status
