"""Fixtures of the web UI tests: the app on a test database holding the reference data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.api.app import create_app
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.registry.reference import load_reference
from cooplab.settings import Settings


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
    rows, _ = service.list_organizations(session=session, filters=OrganizationFilter(q=name), limit=20)
    for row in rows:
        if row.name == name:
            return row.id
    raise LookupError(name)
