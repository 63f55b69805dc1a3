"""Security headers on every response: a policy that runs no inline script and forbids framing,
nosniff, a referrer policy; HSTS and Secure cookies in production only."""

import re
import secrets
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Route

from cooplab.app import create_app
from cooplab.app.headers import SecurityHeaders
from cooplab.core.web.render import redirect
from cooplab.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "cooplab"
ADDRESSES = [
    ("GET", "/"),
    ("GET", "/organizations?lang=en"),
    ("GET", "/api/v1/organizations"),
    ("GET", "/api/v1/organizations/999999"),
    ("GET", "/no/such/page"),
    ("POST", "/api/v1/organizations"),
    ("GET", "/static/app.css"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/docs"),
]


def check_headers(response, production):
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert ("strict-transport-security" in headers) is production


@pytest.mark.parametrize(("method", "path"), ADDRESSES)
def test_security_headers_on_every_response(anonymous, method, path):
    response = anonymous.request(method, path, json={} if method == "POST" else None)
    check_headers(response, production=False)
    for cookie in response.headers.get_list("set-cookie"):
        assert "secure" not in cookie.lower()  # plain HTTP works in development


def test_production_adds_hsts_and_secure_cookies(database_url, engine):
    app = create_app(Settings(database_url=database_url, env="production", secret_key=secrets.token_hex(32)))
    with TestClient(app, base_url="https://testserver") as client:
        for method, path in ADDRESSES:
            check_headers(
                client.request(method, path, json={} if method == "POST" else None), production=True
            )
        cookies = client.get("/?lang=ru").headers.get_list("set-cookie")
        assert cookies and all("; Secure" in c for c in cookies)
    flashing = Starlette(routes=[Route("/", lambda request: redirect("/next", flash="saved"))])
    flashing.add_middleware(SecurityHeaders, production=True)
    with TestClient(flashing, base_url="https://testserver") as client:
        (flash,) = client.get("/", follow_redirects=False).headers.get_list("set-cookie")
        assert flash.startswith("flash=saved") and "; Secure" in flash and "HttpOnly" in flash


def test_pages_run_no_inline_script(anonymous):
    """The policy forbids inline script, so no template or page may hold one: every <script> has
    a src, and no element carries an on* handler or a javascript: link."""
    pages = {p: p.read_text("utf-8") for p in SRC.glob("**/templates/**/*.html")}
    pages["/docs"] = anonymous.get("/docs").text
    assert len(pages) > 10
    for where, html in pages.items():
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.I):
            assert re.search(r"\bsrc=", tag), (where, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, flags=re.I), where
        assert "javascript:" not in html.lower(), where
        assert not re.search(r"<style\b", html, flags=re.I), where
