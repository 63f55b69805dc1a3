import pytest
from fastapi.testclient import TestClient

from cooplab.api.app import create_app
from cooplab.settings import Settings
from tests.factories import make_token, make_user


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
