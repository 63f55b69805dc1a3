"""A real database for every test: SQLite in memory, or PostgreSQL given by COOPLAB_TEST_DATABASE_URL.

Each test gets a freshly migrated database of its own: a SQLite file, or a PostgreSQL schema in
the given database. The migrations run once per test run, into a template: a SQLite file that
each test copies, or, on PostgreSQL, the statements they sent, which each test's new schema
replays. `tests/db/test_migrations.py` runs the migrations themselves on every backend.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session

from cooplab.app import create_app
from cooplab.db.migrate import upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.settings import Settings, get_settings
from tests.factories import make_token, make_user

TEST_URL = os.environ.get("COOPLAB_TEST_DATABASE_URL", "")
# test databases are thrown away: no disk flush per commit (docs/configuration.md, Durability)
os.environ.setdefault("COOPLAB_SQLITE_SYNCHRONOUS", "normal")
get_settings.cache_clear()


def fresh_database_url(tmp_path_factory: pytest.TempPathFactory | None = None) -> str:
    """A URL of a new, empty database (a SQLite file, or a new PostgreSQL schema)."""
    if TEST_URL.startswith("postgresql"):
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(TEST_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        sep = "&" if "?" in TEST_URL else "?"
        return f"{TEST_URL}{sep}options=-csearch_path%3D{schema}"
    folder = tmp_path_factory.mktemp("db") if tmp_path_factory else None
    return f"sqlite:///{folder}/cooplab.sqlite3" if folder else "sqlite://"


def drop_database(url: str) -> None:
    """Drop the PostgreSQL schema made by fresh_database_url (SQLite files go with tmp_path)."""
    if "search_path%3D" in url:
        schema = url.rsplit("search_path%3D", 1)[1]
        admin = create_engine(TEST_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> Iterator[None]:
    """Passwords are hashed with argon2 still, at its lowest cost: what the hash costs on purpose
    is not under test, and at full cost every user a test makes would take a third of a second."""
    from argon2 import PasswordHasher

    from cooplab.accounts import service

    kept = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    yield
    service._hasher = kept


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | list[tuple]]:
    """The migrations, run once: the path of a migrated SQLite file, or the statements that
    migrated a PostgreSQL schema (every one, in order, with its parameters)."""
    url = fresh_database_url(tmp_path_factory)
    engine = make_engine(url)
    statements: list[tuple] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        statements.append((statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", record)
    upgrade(engine)
    event.remove(engine, "before_cursor_execute", record)
    engine.dispose()
    yield statements if TEST_URL.startswith("postgresql") else url.removeprefix("sqlite:///")
    drop_database(url)


def migrated_database_url(template: str | list[tuple], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A URL of a new database migrated to the newest schema, made from the template."""
    url = fresh_database_url(tmp_path_factory)
    if isinstance(template, str):
        shutil.copyfile(template, url.removeprefix("sqlite:///"))
        return url
    engine = create_engine(url)
    with engine.begin() as conn:
        cursor = conn.connection.cursor()
        for statement, parameters, executemany in template:
            (cursor.executemany if executemany else cursor.execute)(statement, parameters)
    engine.dispose()
    return url


@pytest.fixture
def empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database with no tables: what a first `cooplab db upgrade` or `cooplab demo` meets."""
    url = fresh_database_url(tmp_path_factory)
    yield url
    drop_database(url)


@pytest.fixture
def database_url(migrated_template, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database, migrated to the newest schema."""
    url = migrated_database_url(migrated_template, tmp_path_factory)
    yield url
    drop_database(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session
        session.rollback()


@pytest.fixture
def settings_env(database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app's settings at the test database."""
    from cooplab.settings import get_settings

    monkeypatch.setenv("COOPLAB_DATABASE_URL", database_url)
    monkeypatch.setenv("COOPLAB_ENV", "test")
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


# ---------------------------------------------------------------- the application


@pytest.fixture
def app(engine, database_url):
    return create_app(Settings(database_url=database_url, env="test"))


@pytest.fixture
def anonymous(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def client(app, session):
    """A client signed in as an administrator (through an API token)."""
    token = make_token(session, make_user(session, "admin"))
    session.commit()
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client
