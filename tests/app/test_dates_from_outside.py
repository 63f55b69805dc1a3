"""A date from outside is an ISO 8601 text: on every route that takes a date (a JSON field, a
multipart field, a query parameter) a number, a boolean, "0" or seconds since 1970 as text are
refused with 422 in the one error shape, naming the field, and nothing is written; the same
route then takes the date written as YYYY-MM-DD."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.catalog import service as catalog
from cooplab.core.actor import SYSTEM
from cooplab.db.base import Base
from cooplab.feasibility import service as feasibility
from cooplab.vocab.choices import Visibility
from tests.factories import make_org, make_person, make_token, make_user
from tests.localization.test_saved_scenarios import LOCAL_A
from tests.localization.test_service import files

NOT_DATES: list[Any] = [0, 86_400, 1.5, True, False, "0", "1700000000", "20240517", "", [], {}]
GOOD = "2024-05-17"
TEXT = "17 мая 2024 года в Ташкенте АО «УзАвто Моторс» подписало соглашение."

Context = dict[str, Any]


@dataclass
class Route:
    """A route taking a date: how to ready its records, send one value, and where the value goes."""

    name: str
    send: Callable[[TestClient, Context, Any], Any]
    loc: list[Any]
    ready: Callable[[TestClient, Session], Context] = lambda client, session: {}
    good_status: int = 201
    good: str = GOOD
    text: bool = False  # sent as text (a form field, a query parameter)


def _orgs(client: TestClient, session: Session) -> Context:
    ids = {"a": make_org(session, "Avto Detal LLC").id, "b": make_org(session, "Uz Holding JSC").id}
    ids["person"] = make_person(session).id
    session.commit()
    return ids


def _mission(client: TestClient, session: Session) -> Context:
    made = client.post("/api/v1/missions", json={"title": "Visit to Andijan"})
    assert made.status_code == 201, made.text
    return {"id": made.json()["id"]}


def _action_item(client: TestClient, session: Session) -> Context:
    made = client.post("/api/v1/action-items", json={"title": "Send the drawings", "visibility": "public"})
    assert made.status_code == 201, made.text
    return {"id": made.json()["id"]}


def _document(client: TestClient, session: Session) -> Context:
    made = client.post("/api/v1/ingest", json={"text": TEXT, "name": "news"})
    assert made.status_code in (200, 201), made.text
    return {"id": made.json()["id"]}


def _landed_cost(value: Any) -> dict[str, Any]:
    body = json.loads(json.dumps(yaml.safe_load(feasibility.example("landed_cost")), default=str))
    body["terms"]["as_of"] = value
    return body


def _vehicle(client: TestClient, session: Session) -> Context:
    names = ("UzAuto Motors", "Uz-Saemyung Co", "Importer KR", "Uz-Tong Hong Co")
    orgs = {name: make_org(session, name).id for name in names}
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    user = make_user(session, "member", organization_id=orgs["UzAuto Motors"], email="m@uzauto.example")
    token = make_token(session, user)
    session.commit()
    return {"auth": {"Authorization": f"Bearer {token}"}}


ROUTES = [
    Route(
        "ownership",
        lambda c, x, v: c.post(
            "/api/v1/ownerships", json={"owner_id": x["b"], "owned_id": x["a"], "start": v}
        ),
        ["body", "start"],
        _orgs,
    ),
    Route(
        "membership",
        lambda c, x, v: c.post(
            "/api/v1/memberships", json={"member_id": x["a"], "group_id": x["b"], "end": v}
        ),
        ["body", "end"],
        _orgs,
    ),
    Route(
        "person with a position",
        lambda c, x, v: c.post(
            "/api/v1/people",
            json={
                "names": [{"value": "Иван Петров", "lang": "ru"}],
                "positions": [{"title": "CEO", "start": v}],
            },
        ),
        ["body", "positions", "0", "start"],
    ),
    Route(
        "person's positions replaced",
        lambda c, x, v: c.patch(
            f"/api/v1/people/{x['person']}", json={"version": 1, "positions": [{"title": "CEO", "end": v}]}
        ),
        ["body", "positions", "0", "end"],
        _orgs,
        200,
    ),
    Route(
        "position",
        lambda c, x, v: c.post(f"/api/v1/people/{x['person']}/positions", json={"title": "CEO", "start": v}),
        ["body", "start"],
        _orgs,
    ),
    Route(
        "source",
        lambda c, x, v: c.post("/api/v1/sources", json={"title": "Report", "published": v}),
        ["body", "published"],
    ),
    Route(
        "source as of",
        lambda c, x, v: c.post("/api/v1/sources", json={"title": "Report", "as_of": v}),
        ["body", "as_of"],
    ),
    Route(
        "mission",
        lambda c, x, v: c.post("/api/v1/missions", json={"title": "Visit", "start": v}),
        ["body", "start"],
    ),
    Route(
        "mission with an event",
        lambda c, x, v: c.post(
            "/api/v1/missions",
            json={"title": "Visit", "events": [{"kind": "meeting", "summary": "Talks", "start": v}]},
        ),
        ["body", "events", "0", "start"],
    ),
    Route(
        "mission changed",
        lambda c, x, v: c.patch(f"/api/v1/missions/{x['id']}", json={"version": 1, "end": v}),
        ["body", "end"],
        _mission,
        200,
    ),
    Route(
        "event",
        lambda c, x, v: c.post(
            f"/api/v1/missions/{x['id']}/events", json={"kind": "meeting", "summary": "Talks", "start": v}
        ),
        ["body", "start"],
        _mission,
    ),
    Route(
        "agreement",
        lambda c, x, v: c.post(
            "/api/v1/agreements",
            json={"kind": "memorandum", "subject": "Supply of seats", "party_ids": [x["a"]], "signed_on": v},
        ),
        ["body", "signed_on"],
        _orgs,
    ),
    Route(
        "action item",
        lambda c, x, v: c.post("/api/v1/action-items", json={"title": "Send the drawings", "due": v}),
        ["body", "due"],
    ),
    Route(
        "action item changed",
        lambda c, x, v: c.patch(f"/api/v1/action-items/{x['id']}", json={"version": 1, "due": v}),
        ["body", "due"],
        _action_item,
        200,
    ),
    Route(
        "text to ingest",
        lambda c, x, v: c.post("/api/v1/ingest", json={"text": TEXT, "name": "news", "published": v}),
        ["body", "published"],
    ),
    Route(
        "file to ingest",
        lambda c, x, v: c.post(
            "/api/v1/ingest/file",
            files={"file": ("news.txt", TEXT.encode(), "text/plain")},
            data={"published": v if isinstance(v, str) else json.dumps(v)},
        ),
        ["body", "published"],
        text=True,
    ),
    Route(
        "document parsed again",
        lambda c, x, v: c.post(f"/api/v1/documents/{x['id']}/parse", json={"published": v}),
        ["body", "published"],
        _document,
        200,
    ),
    Route(
        "need",
        lambda c, x, v: c.post(
            "/api/v1/needs", json={"ref": "N-1", "buyer_id": x["a"], "part": "seat", "deadline": v}
        ),
        ["body", "deadline"],
        _orgs,
    ),
    Route(
        "capability",
        lambda c, x, v: c.post(
            "/api/v1/capabilities",
            json={
                "supplier_id": x["a"],
                "hs_codes": ["9401"],
                "certifications": [{"name": "IATF 16949", "expires": v}],
            },
        ),
        ["body", "certifications", "0", "expires"],
        _orgs,
        good="2099-05-17",
    ),
    Route(
        "capability as of",
        lambda c, x, v: c.post(
            "/api/v1/capabilities", json={"supplier_id": x["a"], "hs_codes": ["9401"], "as_of": v}
        ),
        ["body", "as_of"],
        _orgs,
    ),
    Route(
        "landed cost",
        lambda c, x, v: c.post("/api/v1/feasibility/landed-cost", json=_landed_cost(v)),
        ["body", "terms", "as_of"],
        good_status=200,
        good="2026-11-15",
    ),
    Route(
        "scenario",
        lambda c, x, v: c.post(
            "/api/v1/vehicles/H-1/scenarios",
            json={"name": "Local A", "changes": [{**LOCAL_A, "price_date": v}]},
            headers=x["auth"],
        ),
        ["body", "changes", "0", "move_part", "price_date"],
        _vehicle,
    ),
    Route(
        "audit since",
        lambda c, x, v: c.get("/api/v1/audit", params={"since": v if isinstance(v, str) else json.dumps(v)}),
        ["query", "since"],
        good_status=200,
        text=True,
    ),
]


def counts(session: Session) -> dict[str, int]:
    """Rows of every table (the token's last use aside, which a read may update)."""
    session.expire_all()
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_a_date_that_is_not_an_iso_text_is_refused_and_nothing_is_written(client, session, route):
    context = route.ready(client, session)
    before = counts(session)
    for value in NOT_DATES:
        if value == "" and route.text:
            continue  # an empty query parameter or form field means none
        answer = route.send(client, context, value)
        assert answer.status_code == 422, (value, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "invalid_input", (value, error)
        locs = [[str(p) for p in d["loc"]] for d in error["details"]]
        assert [str(p) for p in route.loc] in locs or (
            # a list-typed field's discriminator names the same field one step up
            [str(p) for p in route.loc[:-2] + route.loc[-1:]] in locs
        ), (value, error)
    assert counts(session) == before
    taken = route.send(client, context, route.good)
    assert taken.status_code == route.good_status, taken.text
