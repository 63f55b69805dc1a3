"""Fixtures of the web UI tests: the app on a test database holding the reference data, users of
every role, and clients signed in through the sign-in form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.app import create_app
from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.registry.reference import load_reference
from cooplab.settings import Settings
from tests.html import parse


@pytest.fixture
def reference(session: Session) -> Session:
    """The test database with the shipped reference data loaded and committed."""
    load_reference(session=session)
    session.commit()
    return session


@pytest.fixture
def app(reference: Session, database_url: str) -> FastAPI:
    return create_app(Settings(database_url=database_url, env="test"))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client that asks for HTML like a browser; Russian unless a test switches."""
    with TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False) as client:
        yield client


def organization_id(session: Session, name: str) -> int:
    """The id of the organization whose display name is `name`."""
    rows = service.list_organizations(
        session=session, actor=SYSTEM, filters=OrganizationFilter(q=name), limit=20
    ).data
    for row in rows:
        if row.name == name:
            return row.id
    raise LookupError(name)


# ---------------------------------------------------------------- users and signed-in clients

PASSWORD = "correct horse battery"


@pytest.fixture
def users(reference: Session) -> dict[str, Any]:
    """One user of each role: the member works for UzAuto Motors, the other member for AVTOVAZ,
    the analyst for the automotive cluster."""
    from tests.factories import make_user

    uzauto, avtovaz = organization_id(reference, "UzAuto Motors"), organization_id(reference, "AVTOVAZ")
    cluster = (
        service.list_organizations(
            session=reference, actor=SYSTEM, filters=OrganizationFilter(kind="association"), limit=1
        )
        .data[0]
        .id
    )
    made = {
        "admin": make_user(reference, "admin", email="admin@example.org"),
        "analyst": make_user(reference, "analyst", cluster, email="analyst@example.org"),
        "member": make_user(reference, "member", uzauto, email="member@uzauto.example", name="Азиз Рахимов"),
        "member_other": make_user(
            reference, "member", avtovaz, email="member@avtovaz.example", name="Ольга Смирнова"
        ),
        "viewer": make_user(reference, "viewer", email="viewer@example.org"),
    }
    reference.commit()
    return made


def sign_in(client: TestClient, email: str, password: str = PASSWORD, next_url: str = "/") -> Any:
    """Sign in through the form, as a browser does: open it, then post it with its token."""
    form = parse(client.get("/login", params={"next": next_url}).text).find("form", class_="auth-form")
    token = form.find("input", name="csrf_token").attrs["value"]
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token, "next": next_url}
    )


def csrf_of(client: TestClient, url: str) -> str:
    """The CSRF token of the forms on a page (what a browser would post back)."""
    return parse(client.get(url).text).find("input", name="csrf_token").attrs["value"]


@pytest.fixture
def signed_in(app: FastAPI, users: dict[str, Any]) -> Iterator[Callable[[str], TestClient]]:
    """A factory of clients signed in as one of `users` (by role key), closed after the test."""
    with ExitStack() as stack:

        def make(role: str) -> TestClient:
            client = stack.enter_context(
                TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False)
            )
            response = sign_in(client, users[role].email)
            assert response.status_code == 303, response.text[:500]
            return client

        yield make
