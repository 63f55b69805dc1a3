import pytest
from fastapi.testclient import TestClient

from cooplab.api.app import create_app
from cooplab.settings import Settings


@pytest.fixture
def client(engine, database_url):
    app = create_app(Settings(database_url=database_url, env="test"))
    with TestClient(app) as client:
        yield client
