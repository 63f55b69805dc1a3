"""A write that waits too long for another transaction's lock is answered 503 with Retry-After,
never 500: the one JSON error shape for the API, the error page in the reader's language for a
form; nothing of it is written. SQLite gives up after COOPLAB_SQLITE_BUSY_SECONDS ("database is
locked"); PostgreSQL after a lock_timeout the operator set (here in the connection's options)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from cooplab.app import create_app
from cooplab.registry.models import Organization
from cooplab.settings import Settings, get_settings
from tests.factories import make_token, make_user
from tests.registry.web.test_forms import edit_form, fresh
from tests.webkit import organization_id


@pytest.fixture
def app(reference: Session, database_url: str) -> Iterator[FastAPI]:
    """The app with a short wait for locks: 0.2 s of SQLite busy timeout, or a PostgreSQL
    lock_timeout of 200 ms."""
    url, saved = database_url, os.environ.get("COOPLAB_SQLITE_BUSY_SECONDS")
    if url.startswith("sqlite"):
        os.environ["COOPLAB_SQLITE_BUSY_SECONDS"] = "0.2"
        get_settings.cache_clear()
    else:
        url = url.replace("options=", "options=-clock_timeout%3D200%20", 1)
    try:
        app = create_app(Settings(database_url=url, env="test"))
        yield app
        app.state.engine.dispose()
    finally:
        if saved is None:
            os.environ.pop("COOPLAB_SQLITE_BUSY_SECONDS", None)
        else:
            os.environ["COOPLAB_SQLITE_BUSY_SECONDS"] = saved
        get_settings.cache_clear()


@contextmanager
def writer_holding_the_lock(engine: Engine) -> Iterator[None]:
    """Another writer in the middle of a transaction: SQLite's write lock (BEGIN IMMEDIATE on
    the file), or a PostgreSQL lock on the organizations table that lets reads through."""
    if engine.dialect.name == "sqlite":
        raw = sqlite3.connect(engine.url.database or "", isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            raw.rollback()
            raw.close()
        return
    with engine.connect() as conn:
        conn.execute(text("LOCK TABLE organizations IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            conn.rollback()


def organizations(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Organization)) or 0


def test_an_api_write_waiting_for_a_lock_is_503_with_retry_after(
    app: FastAPI, engine: Engine, reference: Session
) -> None:
    token = make_token(reference, make_user(reference, "admin", email="busy-admin@example.org"))
    reference.commit()
    before = organizations(reference)
    body = {"names": [{"value": "Завод Ожидания"}], "kind": "supplier"}
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.get("/api/v1/organizations?limit=1").status_code == 200
        with writer_holding_the_lock(engine):
            assert api.get("/api/v1/organizations?limit=1").status_code == 200  # reads go on
            answer = api.post("/api/v1/organizations", json=body)
        assert answer.status_code == 503, answer.text[:500]
        assert answer.headers["retry-after"] == "1"
        assert answer.json() == {
            "error": {
                "code": "unavailable",
                "message": "the database is busy with another write; try again in a moment",
                "details": [],
            }
        }
        assert organizations(reference) == before
        created = api.post("/api/v1/organizations", json=body)  # the lock gone, it works
        assert created.status_code == 201, created.text[:500]
    assert organizations(reference) == before + 1


def test_a_form_post_waiting_for_a_lock_shows_the_503_page_in_the_readers_language(
    app: FastAPI, engine: Engine, reference: Session, signed_in: Any
) -> None:
    analyst = signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    before = fresh(reference, org_id).description
    data = edit_form(analyst, org_id)
    data["description"] = "Описание, которое не должно сохраниться"
    with writer_holding_the_lock(engine):
        russian = analyst.post(f"/organizations/{org_id}/edit", data=data)
        english = analyst.post(f"/organizations/{org_id}/edit?lang=en", data=data)
    assert russian.status_code == 503 and russian.headers["retry-after"] == "1"
    assert "База данных не отвечает" in russian.text
    assert "База данных занята другой записью; из этого запроса ничего не сохранено" in russian.text
    assert "busy" not in russian.text and "Internal" not in russian.text
    assert english.status_code == 503 and english.headers["retry-after"] == "1"
    assert "The database is not answering" in english.text
    assert "nothing of this request was saved" in english.text
    assert fresh(reference, org_id).description == before
