"""The web UI in Uzbek in headless Chromium: chosen in the language switch and remembered, and
the long Uzbek words fit at desktop and phone widths without sideways scrolling."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.app.web.test_browser import browser, page, server  # noqa: F401  (fixtures)
from tests.webkit import PASSWORD, organization_id

pytestmark = pytest.mark.browser
#: Where to keep the screenshots of the pages (to look at them), when set.
SHOTS = os.environ.get("COOPLAB_SCREENSHOTS")


def overflow(tab: Any) -> int:
    return int(tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_switch_to_uzbek_and_keep_it(page: Any) -> None:  # noqa: F811
    page.goto("/organizations")
    page.locator("nav.langs").get_by_role("link", name="UZ").click()
    page.wait_for_url("**/organizations?lang=uz")
    sections = page.locator("nav.sections")
    assert sections.get_by_role("link", name="Tashkilotlar").is_visible()
    assert page.get_by_role("button", name="Qidirish").is_visible()
    sections.get_by_role("link", name="Joylar").click()
    page.wait_for_url("**/places")
    assert page.locator("h1").inner_text().startswith("Joylar")
    assert page.locator("html").get_attribute("lang") == "uz"


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_uzbek_pages_fit_the_screen(
    browser: Any,  # noqa: F811
    server: str,  # noqa: F811
    reference: Session,
    users: dict[str, Any],
    width: int,
    height: int,
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": width, "height": height})
    tab = context.new_page()
    org_id = organization_id(reference, "UzAuto Motors")
    tab.goto("/?lang=uz")
    pages = {"home": "/", "organizations": "/organizations", "organization": f"/organizations/{org_id}"}
    for name, url in pages.items():
        tab.goto(url)
        assert tab.locator("html").get_attribute("lang") == "uz", url
        assert overflow(tab) <= 0, url
        if SHOTS:
            tab.screenshot(path=str(Path(SHOTS) / f"uz-{name}-{width}.png"), full_page=True)
    tab.goto("/login")
    tab.fill("#f-email", users["admin"].email)
    tab.fill("#f-password", PASSWORD)
    tab.locator("form.auth-form").get_by_role("button", name="Kirish").click()
    tab.locator("form.signout").wait_for(state="visible")
    signed_in = {"missions": "/missions", "steps": "/steps", "edit": f"/organizations/{org_id}/edit"}
    for name, url in signed_in.items():
        tab.goto(url)
        assert tab.locator("html").get_attribute("lang") == "uz", url
        assert overflow(tab) <= 0, url
        if SHOTS:
            tab.screenshot(path=str(Path(SHOTS) / f"uz-{name}-{width}.png"), full_page=True)
    context.close()
