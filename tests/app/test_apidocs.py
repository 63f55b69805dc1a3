"""The API documentation pages work offline: every script, style and icon they load is the app's."""

import re

import pytest


@pytest.mark.parametrize(
    "path, script", [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]
)
def test_the_api_docs_load_nothing_from_outside(anonymous, path, script):
    page = anonymous.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not re.search(r"(?:https?:)?//[\w.-]+\.\w", page.text), "a URL of another host"
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(url.endswith(script) for url in assets)
    for url in assets:
        assert url.startswith("/"), url
        answer = anonymous.get(url)
        assert answer.status_code == 200, url
        assert answer.content.strip(), url
    assert "/api/v1/openapi.json" in page.text
    assert anonymous.get("/api/v1/openapi.json").json()["info"]["title"] == "cooplab"
