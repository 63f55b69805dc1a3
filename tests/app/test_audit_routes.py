"""The write routes and their drivers: the app's own route table lists each non-GET route of the
API and of the pages; each has a driver below that calls it with valid input as an administrator,
or is named read-only with the reason and checked to change no record. A route added without a
driver fails here; tests/app/test_audit_trail.py runs the drivers and checks the trail."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import text

from cooplab.accounts import service as accounts
from cooplab.core.actor import SYSTEM
from cooplab.core.spreadsheets import write_xlsx
from cooplab.registry.models import Merge, Ownership
from tests.app.audit_paths import ADMIN, MOVE_A, TEXT, Reached, World, changes, judge, recording, snapshot
from tests.app.audit_paths import world as world  # noqa: F401  (the fixture)
from tests.factories import make_person, make_place, make_token
from tests.html import parse
from tests.localization.test_service import files
from tests.webkit import PASSWORD, sign_in


@dataclass
class Call:
    """A request: where, and what it sends (TestClient keywords)."""

    url: str
    send: dict[str, Any]


def body(**json: Any) -> dict[str, Any]:
    return {"json": json}


def upload(name: str, content: bytes, **data: Any) -> dict[str, Any]:
    return {"files": {"file": (name, content, "application/octet-stream")}, "data": data}


Driver = Callable[[World], Call]

API: dict[tuple[str, str], Driver] = {
    ("POST", "/api/v1/organizations"): lambda w: Call(
        "/api/v1/organizations", body(names=[{"value": w.unique("Ромашка")}], kind="supplier", tier=2)
    ),
    ("PATCH", "/api/v1/organizations/{organization_id}"): lambda w: Call(
        f"/api/v1/organizations/{w.org()}", body(version=1, website="https://a.example")
    ),
    ("DELETE", "/api/v1/organizations/{organization_id}"): lambda w: Call(
        f"/api/v1/organizations/{w.org()}", {}
    ),
    ("POST", "/api/v1/organizations/{organization_id}/sites"): lambda w: Call(
        f"/api/v1/organizations/{w.org()}/sites", body(place_id=w.place)
    ),
    ("POST", "/api/v1/ownerships"): lambda w: Call(
        "/api/v1/ownerships", body(owner_id=w.org(kind="holding"), owned_id=w.org(), share="50")
    ),
    ("POST", "/api/v1/memberships"): lambda w: Call(
        "/api/v1/memberships", body(member_id=w.org(), group_id=w.orgs["cluster"])
    ),
    ("DELETE", "/api/v1/ownerships/{link_id}"): lambda w: Call(
        f"/api/v1/ownerships/{w.link('ownership')}", {}
    ),
    ("DELETE", "/api/v1/memberships/{link_id}"): lambda w: Call(
        f"/api/v1/memberships/{w.link('membership')}", {}
    ),
    ("DELETE", "/api/v1/sites/{link_id}"): lambda w: Call(f"/api/v1/sites/{w.link('site')}", {}),
    ("PATCH", "/api/v1/ownerships/{link_id}"): lambda w: Call(
        f"/api/v1/ownerships/{w.link('ownership')}", body(share="40")
    ),
    ("PATCH", "/api/v1/memberships/{link_id}"): lambda w: Call(
        f"/api/v1/memberships/{w.link('membership')}", body(start="2020-01-01")
    ),
    ("PATCH", "/api/v1/sites/{link_id}"): lambda w: Call(
        f"/api/v1/sites/{w.link('site')}", body(description="сварка")
    ),
    ("POST", "/api/v1/merges"): lambda w: Call(
        "/api/v1/merges", body(survivor_id=w.org(), merged_id=w.org())
    ),
    ("POST", "/api/v1/merges/{merge_id}/undo"): lambda w: Call(f"/api/v1/merges/{w.merge()}/undo", {}),
    ("POST", "/api/v1/identifiers/{identifier_id}/verify"): lambda w: Call(
        f"/api/v1/identifiers/{w.claim()}/verify", {}
    ),
    ("POST", "/api/v1/identifiers/{identifier_id}/reject"): lambda w: Call(
        f"/api/v1/identifiers/{w.claim()}/reject", {}
    ),
    ("POST", "/api/v1/people"): lambda w: Call(
        "/api/v1/people",
        body(names=[{"value": "Бу Инге Андерссон", "lang": "ru"}], positions=[{"title": "президент"}]),
    ),
    ("PATCH", "/api/v1/people/{person_id}"): lambda w: Call(
        f"/api/v1/people/{w.commit(make_person(w.session).id)}",
        body(version=1, names=[{"value": "Андрей К.", "lang": "ru"}]),
    ),
    ("DELETE", "/api/v1/people/{person_id}"): lambda w: Call(
        f"/api/v1/people/{w.commit(make_person(w.session).id)}", {}
    ),
    ("POST", "/api/v1/people/{person_id}/positions"): lambda w: Call(
        f"/api/v1/people/{w.person}/positions", body(title="директор", organization_id=w.orgs["a"])
    ),
    ("POST", "/api/v1/places"): lambda w: Call(
        "/api/v1/places", body(names=[{"value": "Наманган", "lang": "ru"}], country="UZ")
    ),
    ("PATCH", "/api/v1/places/{place_id}"): lambda w: Call(
        f"/api/v1/places/{w.commit(make_place(w.session, 'Фергана').id)}", body(version=1, latitude=40.38)
    ),
    ("DELETE", "/api/v1/places/{place_id}"): lambda w: Call(
        f"/api/v1/places/{w.commit(make_place(w.session, 'Коканд').id)}", {}
    ),
    ("POST", "/api/v1/sources"): lambda w: Call("/api/v1/sources", body(title="Отчёт", as_of="2024-03-01")),
    ("POST", "/api/v1/{subject}/{subject_id}/citations"): lambda w: Call(
        f"/api/v1/organizations/{w.orgs['a']}/citations", body(source_id=w.source(), field="website")
    ),
    ("DELETE", "/api/v1/citations/{citation_id}"): lambda w: Call(f"/api/v1/citations/{w.citation()}", {}),
    ("POST", "/api/v1/organizations/{organization_id}/notes"): lambda w: Call(
        f"/api/v1/organizations/{w.orgs['a']}/notes", body(text="Цены на 2025 год.", visibility="members")
    ),
    ("PATCH", "/api/v1/notes/{note_id}"): lambda w: Call(
        f"/api/v1/notes/{w.note()}", body(text="Новые цены.")
    ),
    ("DELETE", "/api/v1/notes/{note_id}"): lambda w: Call(f"/api/v1/notes/{w.note()}", {}),
    ("POST", "/api/v1/import/{kind}"): lambda w: Call(
        "/api/v1/import/org",
        upload(
            "orgs.csv",
            f"name,kind,country\n{w.unique('Ромашка')},supplier,RU\nUz-Koram Co,supplier,UZ\n".encode(),
        ),
    ),
    #: the same route for the other kinds of records (each has its own writer)
    ("POST", "/api/v1/import/{kind} person"): lambda w: Call(
        "/api/v1/import/person",
        upload(
            "people.csv",
            "name,title,organization\nАзиз Рахимов,директор,Uz-Koram Co\nАндрей Крайнов,советник,Uz-Koram Co\n".encode(),
        ),
    ),
    ("POST", "/api/v1/import/{kind} place"): lambda w: Call(
        "/api/v1/import/place", upload("places.csv", "name,country\nМаргилан,UZ\n".encode())
    ),
    ("POST", "/api/v1/tokens"): lambda w: Call("/api/v1/tokens", body(name="ci", scope="read", days=7)),
    ("DELETE", "/api/v1/tokens/{token_id}"): lambda w: Call(f"/api/v1/tokens/{w.token()}", {}),
    ("POST", "/api/v1/users"): lambda w: Call(
        "/api/v1/users", body(email="new@example.org", name="Новый", password=PASSWORD, role="viewer")
    ),
    ("POST", "/api/v1/users/{user_id}/disable"): lambda w: Call(f"/api/v1/users/{w.user()}/disable", {}),
    ("POST", "/api/v1/missions"): lambda w: Call(
        "/api/v1/missions",
        body(
            title="Деловой визит",
            start="2024-02-27",
            end="2024-03-02",
            organizer_ids=[w.orgs["a"]],
            organization_ids=[w.orgs["uzauto"]],
            participants=[{"person_id": w.person}],
            events=[{"kind": "visit", "summary": "Завод в Асаке", "organization_ids": [w.orgs["uzauto"]]}],
        ),
    ),
    ("PATCH", "/api/v1/missions/{mission_id}"): lambda w: Call(
        f"/api/v1/missions/{w.mission()}", body(version=1, description="Итоги")
    ),
    ("DELETE", "/api/v1/missions/{mission_id}"): lambda w: Call(f"/api/v1/missions/{w.mission()}", {}),
    ("POST", "/api/v1/missions/{mission_id}/events"): lambda w: Call(
        f"/api/v1/missions/{w.mission()}/events",
        body(
            kind="meeting", summary="Переговоры", organization_ids=[w.orgs["uzauto"]], person_ids=[w.person]
        ),
    ),
    ("POST", "/api/v1/agreements"): lambda w: Call(
        "/api/v1/agreements",
        body(kind="memorandum", subject="Сотрудничество", party_ids=[w.orgs["a"], w.orgs["cluster"]]),
    ),
    ("POST", "/api/v1/action-items"): lambda w: Call(
        "/api/v1/action-items", body(title="Отправить список", due="2024-03-15", mission_id=w.mission())
    ),
    ("PATCH", "/api/v1/action-items/{item_id}"): lambda w: Call(
        f"/api/v1/action-items/{w.item()}", body(version=1, status="done")
    ),
    ("POST", "/api/v1/ingest"): lambda w: Call("/api/v1/ingest", body(text=TEXT, name="visit")),
    ("POST", "/api/v1/ingest/file"): lambda w: Call(
        "/api/v1/ingest/file", upload("visit.txt", "Визит в Наманган 5 марта 2024 года.".encode())
    ),
    ("POST", "/api/v1/documents/{document_id}/parse"): lambda w: Call(
        f"/api/v1/documents/{w.document()}/parse", body(published="2025-03-05")
    ),
    ("DELETE", "/api/v1/documents/{document_id}"): lambda w: Call(f"/api/v1/documents/{w.document()}", {}),
    ("POST", "/api/v1/documents/{document_id}/accept"): lambda w: Call(
        f"/api/v1/documents/{w.document()}/accept", body()
    ),
    ("POST", "/api/v1/vehicles/{code}/scenarios"): lambda w: Call(
        "/api/v1/vehicles/H-1/scenarios", body(name="local-a", changes=[MOVE_A])
    ),
    ("PUT", "/api/v1/vehicles/{code}/scenarios/{name}"): lambda w: Call(
        f"/api/v1/vehicles/H-1/scenarios/{w.scenario()}", body(version=1, description="Поставщик в Андижане")
    ),
    ("DELETE", "/api/v1/vehicles/{code}/scenarios/{name}"): lambda w: Call(
        f"/api/v1/vehicles/H-1/scenarios/{w.scenario()}", {}
    ),
    ("POST", "/api/v1/needs"): lambda w: Call(
        "/api/v1/needs", body(ref="N-1", buyer_id=w.orgs["uzauto"], hs_code="870829", part="Бампер")
    ),
    ("POST", "/api/v1/needs/{need_id}/feedback"): lambda w: Call(
        f"/api/v1/needs/{w.need()}/feedback", body(supplier_id=w.orgs["a"], judgement="relevant")
    ),
    ("POST", "/api/v1/capabilities"): lambda w: Call(
        "/api/v1/capabilities",
        body(supplier_id=w.orgs["a"], hs_codes=["870829"], processes=["injection_moulding"]),
    ),
}

#: Routes that compute or sign in and store no record of the domain, with the reason.
READ_ONLY: dict[tuple[str, str], tuple[str, Driver]] = {
    ("POST", "/api/v1/vehicles/{code}/scenario"): (
        "evaluates an unsaved scenario",
        lambda w: Call("/api/v1/vehicles/H-1/scenario", body(name="try", changes=[MOVE_A])),
    ),
    ("POST", "/api/v1/feasibility/landed-cost"): (
        "computes a landed cost from the request alone",
        lambda w: Call("/api/v1/feasibility/landed-cost", {"json": feasibility_example("landed_cost")}),
    ),
    ("POST", "/api/v1/feasibility/invest"): (
        "computes investment indicators from the request alone",
        lambda w: Call("/api/v1/feasibility/invest", body(cash_flows=[-100, 60, 60], discount_rate=0.1)),
    ),
}


def feasibility_example(name: str) -> Any:
    from tests.feasibility.test_api import body as example

    return example(name)


def write_routes(app: Any) -> set[tuple[str, str]]:
    """Every route of the app that is not a read, as (method, path) from its route table."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute):
            found |= {(m, route.path) for m in route.methods - {"GET", "HEAD", "OPTIONS"}}
    return found


def test_every_write_route_has_a_driver_or_a_reason(app: Any) -> None:
    routes = write_routes(app)
    assert len(routes) >= 70, "the route table was not read"
    known = {(m, p.split(" ")[0]) for m, p in API} | set(WEB) | set(READ_ONLY) | set(WEB_READ_ONLY)
    assert sorted(routes - known) == [], "a route that may write has no driver here"
    assert sorted(known - routes) == [], "a driver of a route that no longer exists"


def form(w: World, page: str, action: str, **fields: str) -> dict[str, Any]:
    """The values a browser posts from the form of `page` that posts to `action` (its fields as the
    page fills them), with `fields` typed in."""
    html = parse(w.web.get(page).text)
    found = [f for f in html.find_all("form") if f.attrs.get("action", "").split("#")[0] == action]
    assert found, f"no form posting to {action} on {page}: {html.text[:600]}"
    values: dict[str, Any] = {}
    for el in found[0].iter():
        name = el.attrs.get("name")
        if not name or "disabled" in el.attrs:
            continue
        if el.tag == "input" and el.attrs.get("type") in {"checkbox", "radio"}:
            if "checked" in el.attrs:
                values[name] = el.attrs.get("value", "on")
        elif el.tag == "input" and el.attrs.get("type") not in {"submit", "button", "file"}:
            values[name] = el.attrs.get("value", "")
        elif el.tag == "textarea":
            values[name] = "".join(c for c in el.children if isinstance(c, str)).removeprefix("\n")
        elif el.tag == "select":
            options = el.find_all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            if chosen:
                values[name] = chosen[0].attrs.get("value", chosen[0].text)
    return {"data": {**values, **fields}}


def posted(page: str, action: str, **fields: str) -> Driver:
    return lambda w: Call(action, form(w, page, action, **fields))


def on(page: Callable[[World], tuple[str, str]], **fields: str) -> Driver:
    """A driver that makes its record first: `page` gives the page and the form's action."""

    def driver(w: World) -> Call:
        where, action = page(w)
        return Call(action, form(w, where, action, **fields))

    return driver


def note_page(w: World) -> tuple[str, str]:
    note = w.note()
    return f"/organizations/{w.orgs['a']}", f"/organizations/{w.orgs['a']}/notes/{note}/delete"


def link_added(suffix: str, typed: Callable[[World], dict[str, str]]) -> Driver:
    """A link added to a fresh organization from its links page, with `typed` filled in."""

    def driver(w: World) -> Call:
        org = w.org()
        return Call(
            f"/organizations/{org}/{suffix}",
            form(w, f"/organizations/{org}/links", f"/organizations/{org}/{suffix}", **typed(w)),
        )

    return driver


def link_delete_page(w: World) -> tuple[str, str]:
    ownership = w.link("ownership")
    owned = w.session.get(Ownership, ownership).owned_id
    return f"/organizations/{owned}/links", f"/organizations/{owned}/links/ownership/{ownership}/delete"


def link_edit_page(w: World) -> tuple[str, str]:
    ownership = w.link("ownership")
    owned = w.session.get(Ownership, ownership).owned_id
    page = f"/organizations/{owned}/links/ownership/{ownership}/edit"
    return page, page


def unmerge_page(w: World) -> tuple[str, str]:
    done = w.session.get(Merge, w.merge())
    return f"/organizations/{done.merged_id}", f"/organizations/{done.merged_id}/unmerge"


def merge_page(w: World) -> tuple[str, str]:
    return f"/duplicates/merge?a={w.org()}&b={w.org()}", "/merges"


def claim_page(kind: str) -> Callable[[World], tuple[str, str]]:
    return lambda w: ("/identifiers/claims", f"/identifiers/{w.claim()}/{kind}")


def mission_page(w: World) -> tuple[str, str]:
    mission = w.mission()
    return f"/missions/{mission}", f"/missions/{mission}/steps"


def step_page(w: World) -> tuple[str, str]:
    return "/steps?all=1", f"/steps/{w.item()}"


def document_page(kind: str) -> Callable[[World], tuple[str, str]]:
    def page(w: World) -> tuple[str, str]:
        doc = w.document()
        return f"/ingest/{doc}", f"/ingest/{doc}/{kind}"

    return page


def previewed(w: World, at: str, sheet: str | bytes, name: str = "s.csv") -> dict[str, Any]:
    """The values a browser posts from the confirm form of the preview of a sheet uploaded at `at`."""
    content = sheet.encode() if isinstance(sheet, str) else sheet
    page = w.web.post(at, **upload(name, content, **form(w, at, at)["data"]))
    assert page.status_code == 200, page.text[:600]
    confirm = parse(page.text).find("form", action=f"{at}/confirm")
    return {"data": {i.attrs["name"]: i.attrs.get("value", "") for i in confirm.find_all("input")}}


def need_sheet(w: World) -> str:
    """A needs sheet of one need of UzAuto Motors, in the import's columns."""
    header = "ref,buyer,hs_code,part,description,annual_volume,target_price,currency,processes,certifications,delivery_place,deadline"
    return f"{header}\n{w.unique('N')},{w.orgs['uzauto']},870829,Бампер,,1000,,,,,,\n"


def vehicle_book() -> bytes:
    """The small vehicle of tests/localization under another code, as one XLSX workbook."""
    return write_xlsx(
        {
            name.removesuffix(".csv"): list(csv.reader(io.StringIO(content.decode().replace("H-1", "H-9"))))
            for name, content in files().items()
        }
    )


def scenario_page(suffix: str) -> Callable[[World], tuple[str, str]]:
    def page(w: World) -> tuple[str, str]:
        name = w.scenario()
        return f"/vehicles/H-1/scenarios/{name}", f"/vehicles/H-1/scenarios/{name}{suffix}"

    return page


WEB: dict[tuple[str, str], Driver] = {
    ("POST", "/organizations/new"): posted(
        "/organizations/new", "/organizations/new", kind="supplier", **{"names-0-value": "Новый завод"}
    ),
    ("POST", "/organizations/{organization_id}/edit"): on(
        lambda w: (f"/organizations/{(o := w.org())}/edit", f"/organizations/{o}/edit"),
        website="https://b.example",
    ),
    ("POST", "/organizations/{organization_id}/notes"): on(
        lambda w: (f"/organizations/{w.orgs['a']}", f"/organizations/{w.orgs['a']}/notes"),
        text="Визит в Тольятти: итоги.",
    ),
    ("POST", "/organizations/{organization_id}/notes/{note_id}/delete"): on(note_page),
    ("POST", "/organizations/{organization_id}/owners"): link_added(
        "owners", lambda w: {"ownership-owner_id": str(w.orgs["uzauto"]), "ownership-share": "30"}
    ),
    ("POST", "/organizations/{organization_id}/groups"): link_added(
        "groups", lambda w: {"membership-group_id": str(w.orgs["cluster"]), "membership-start": "2021-01-01"}
    ),
    ("POST", "/organizations/{organization_id}/sites"): link_added(
        "sites", lambda w: {"site-place_id": str(w.place), "site-description": "сборка"}
    ),
    ("POST", "/organizations/{organization_id}/links/{kind}/{link_id}/delete"): on(link_delete_page),
    ("POST", "/organizations/{organization_id}/links/{kind}/{link_id}/edit"): on(
        link_edit_page, **{"ownership-share": "40"}
    ),
    ("POST", "/organizations/{organization_id}/unmerge"): on(unmerge_page),
    ("POST", "/merges"): on(merge_page),
    ("POST", "/places/new"): posted(
        "/places/new", "/places/new", country="UZ", **{"names-0-value": "Наманган", "names-0-lang": "ru"}
    ),
    ("POST", "/places/{place_id}/edit"): on(
        lambda w: (
            f"/places/{(p := w.commit(make_place(w.session, w.unique('Место')).id))}/edit",
            f"/places/{p}/edit",
        ),
        latitude="41.0",
    ),
    ("POST", "/identifiers/{identifier_id}/verify"): on(claim_page("verify")),
    ("POST", "/identifiers/{identifier_id}/reject"): on(claim_page("reject")),
    ("POST", "/people/{person_id}/edit"): on(
        lambda w: (f"/people/{(p := w.commit(make_person(w.session).id))}/edit", f"/people/{p}/edit"),
        **{"names-0-value": "Андрей Владимирович Крайнов"},
    ),
    ("POST", "/account/tokens"): posted("/account", "/account/tokens", name="отчёты"),
    ("POST", "/account/tokens/{token_id}/revoke"): on(
        lambda w: ("/account", f"/account/tokens/{w.token()}/revoke")
    ),
    ("POST", "/admin/users"): posted(
        "/admin/users",
        "/admin/users",
        email="web@example.org",
        name="Веб",
        password=PASSWORD,
        role="viewer",
    ),
    ("POST", "/admin/users/{user_id}/disable"): on(
        lambda w: ("/admin/users", f"/admin/users/{w.user()}/disable")
    ),
    ("POST", "/missions/{mission_id}/steps"): on(
        mission_page, **{"step-title": "Отправить образцы", "step-due": "2024-04-01"}
    ),
    ("POST", "/steps/{item_id}"): on(step_page),
    ("POST", "/missions/{mission_id}/edit"): on(
        lambda w: (f"/missions/{(m := w.mission())}/edit", f"/missions/{m}/edit"), title="Визит в Наманган"
    ),
    ("POST", "/missions/{mission_id}/delete"): on(
        lambda w: (f"/missions/{(m := w.mission())}/delete", f"/missions/{m}/delete")
    ),
    ("POST", "/missions/{mission_id}/events"): on(
        lambda w: (f"/missions/{(m := w.mission())}/events/new", f"/missions/{m}/events"),
        summary="Переговоры в Андижане",
        start="2024-02-28",
    ),
    ("POST", "/events/{event_id}/edit"): on(
        lambda w: (f"/events/{(e := w.event()[1])}/edit", f"/events/{e}/edit"), summary="Визит на завод"
    ),
    ("POST", "/events/{event_id}/delete"): on(
        lambda w: (f"/events/{(e := w.event()[1])}/edit", f"/events/{e}/delete")
    ),
    ("POST", "/missions/{mission_id}/agreements"): on(
        lambda w: (f"/missions/{(m := w.mission())}/agreements/new", f"/missions/{m}/agreements"),
        subject="О поставках",
    ),
    ("POST", "/agreements/{agreement_id}/edit"): on(
        lambda w: (f"/agreements/{(a := w.agreement()[1])}/edit", f"/agreements/{a}/edit"),
        subject="О поставках",
    ),
    ("POST", "/agreements/{agreement_id}/delete"): on(
        lambda w: (f"/agreements/{(a := w.agreement()[1])}/edit", f"/agreements/{a}/delete")
    ),
    ("POST", "/missions/{mission_id}/participants"): lambda w: Call(
        f"/missions/{(m := w.mission())}/participants",
        form(w, f"/missions/{m}/participants/new", f"/missions/{m}/participants", person_id=str(w.person)),
    ),
    ("POST", "/missions/{mission_id}/participants/{participant_id}/edit"): on(
        lambda w: (
            f"/missions/{(mp := w.participant())[0]}/participants/{mp[1]}/edit",
            f"/missions/{mp[0]}/participants/{mp[1]}/edit",
        ),
        title="главный инженер",
    ),
    ("POST", "/missions/{mission_id}/participants/{participant_id}/delete"): on(
        lambda w: (
            f"/missions/{(mp := w.participant())[0]}/participants/{mp[1]}/edit",
            f"/missions/{mp[0]}/participants/{mp[1]}/delete",
        )
    ),
    ("POST", "/ingest"): posted(
        "/ingest", "/ingest", text="Визит в Джизак 12 мая 2024 года.", name="jizzakh"
    ),
    ("POST", "/ingest/{document_id}/parse"): on(document_page("parse"), published="2025-03-05"),
    ("POST", "/ingest/{document_id}/delete"): on(document_page("delete")),
    ("POST", "/ingest/{document_id}/accept"): on(document_page("accept")),
    ("POST", "/vehicles/{code}/scenarios"): posted(
        "/vehicles/H-1/scenarios", "/vehicles/H-1/scenarios", name="web-local"
    ),
    ("POST", "/vehicles/{code}/scenarios/{name}"): on(scenario_page(""), description="Поставщик в Андижане"),
    ("POST", "/vehicles/{code}/scenarios/{name}/delete"): on(scenario_page("/delete")),
    ("POST", "/import/{kind}/confirm"): lambda w: Call(
        "/import/org/confirm", previewed(w, "/import/org", f"name,kind\n{w.unique('Ромашка')},supplier\n")
    ),
    ("POST", "/needs/import/confirm"): lambda w: Call(
        "/needs/import/confirm", previewed(w, "/needs/import", need_sheet(w), "needs.csv")
    ),
    ("POST", "/vehicles/import/confirm"): lambda w: Call(
        "/vehicles/import/confirm", previewed(w, "/vehicles/import", vehicle_book(), "h9.xlsx")
    ),
    ("POST", "/needs/{need_id}/feedback"): on(
        lambda w: (f"/needs/{(n := w.ranked_need())}", f"/needs/{n}/feedback"), judgement="relevant"
    ),
}

WEB_READ_ONLY: dict[tuple[str, str], tuple[str, Driver]] = {
    ("POST", "/login"): (
        "signs in: a web session, bookkeeping outside the trail",
        posted("/login", "/login", email=ADMIN, password=PASSWORD),
    ),
    ("POST", "/logout"): ("signs out: ends the web session", posted("/account", "/logout")),
    ("POST", "/import/{kind}"): (
        "previews an import: a dry run that writes nothing",
        lambda w: Call(
            "/import/place",
            upload(
                "places.csv",
                "name,country\nКоканд,UZ\n".encode(),
                **form(w, "/import/place", "/import/place")["data"],
            ),
        ),
    ),
    ("POST", "/needs/import"): (
        "previews a matching workbook: a dry run that writes nothing",
        lambda w: Call(
            "/needs/import",
            upload("needs.csv", need_sheet(w).encode(), **form(w, "/needs/import", "/needs/import")["data"]),
        ),
    ),
    ("POST", "/vehicles/import"): (
        "previews a vehicle workbook: a dry run that writes nothing",
        lambda w: Call(
            "/vehicles/import",
            upload("h9.xlsx", vehicle_book(), **form(w, "/vehicles/import", "/vehicles/import")["data"]),
        ),
    ),
    ("POST", "/feasibility"): (
        "computes a landed cost from the form",
        posted("/feasibility", "/feasibility"),
    ),
    ("POST", "/feasibility/landed-cost.xlsx"): (
        "the landed cost of the form as a workbook",
        posted("/feasibility", "/feasibility/landed-cost.xlsx"),
    ),
    ("POST", "/feasibility/invest"): (
        "computes investment indicators",
        posted("/feasibility/invest", "/feasibility/invest"),
    ),
    ("POST", "/feasibility/invest.xlsx"): (
        "investment indicators as a workbook",
        posted("/feasibility/invest", "/feasibility/invest.xlsx"),
    ),
}


def said(response: Any) -> str:
    """What a refusal says: the JSON error, or the errors shown on the page."""
    if "html" not in response.headers.get("content-type", ""):
        return response.text[:300]
    html = parse(response.text)
    shown = [e.text for e in html.iter() if "error" in e.attrs.get("class", "") and e.text]
    return " | ".join(shown)[:600] or html.find("main").text[:300]


def run(
    engine: Any, client: TestClient, world: World, method: str, driver: Driver, reached: Reached | None = None
) -> tuple[Any, Any]:
    """Call one route as the driver says; the response and the verdict on what it wrote."""
    call = driver(world)
    before = snapshot(engine)
    with recording(reached):
        response = client.request(method, call.url, **call.send)
    after = snapshot(engine)
    return response, judge(changes(before, after), after, ADMIN)


@pytest.fixture
def clients(app: Any, world: World) -> Any:
    token = make_token(
        world.session, accounts.get_user(session=world.session, actor=SYSTEM, user_id=world.admin.user_id)
    )
    world.session.commit()
    with (
        TestClient(app, headers={"Authorization": f"Bearer {token}"}) as api,
        TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False) as web,
    ):
        assert sign_in(web, ADMIN).status_code == 303
        world.web = web
        yield api, web


def test_read_only_routes_change_no_record(engine: Any, world: World, clients: Any) -> None:
    api, web = clients
    problems: list[str] = []
    plan = [(api, key, d) for key, (_, d) in READ_ONLY.items()]
    plan += [(web, key, d) for key, (_, d) in WEB_READ_ONLY.items() if key[1] not in {"/login", "/logout"}]
    plan += [(web, key, WEB_READ_ONLY[key][1]) for key in (("POST", "/logout"), ("POST", "/login"))]
    for client, (method, path), driver in plan:
        response, verdict = run(engine, client, world, method, driver)
        if response.status_code >= 400:
            problems.append(f"{method} {path}: answered {response.status_code} {said(response)}")
        problems += [f"{method} {path}: {change}" for change in verdict.written]
    assert not problems, "\n".join(problems)


def test_a_write_the_trail_misses_is_found(engine: Any, world: World) -> None:
    """The check itself: a change made behind the trail's back (a bare statement) is reported."""
    before = snapshot(engine)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE organizations SET website = 'https://x.example' WHERE id = :id"),
            {"id": world.orgs["a"]},
        )
    after = snapshot(engine)
    verdict = judge(changes(before, after), after, ADMIN)
    assert [str(c) for c in verdict.unaudited] == [f"update organizations #{world.orgs['a']} (website)"]
