"""The matching pages in headless Chromium at a desktop and a phone width: signed in through the
form, a mark given with the buttons, and no page wider than a 390 px screen (each page is also
saved as a screenshot in the test's temporary folder, to look at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo as load_catalog_demo
from cooplab.core.actor import SYSTEM
from cooplab.matching import service
from tests.app.web.test_browser import browser, server, sign_in  # noqa: F401  (fixtures)
from tests.webkit import organization_id

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)


@pytest.fixture
def demo(reference: Session) -> Session:
    service.load_demo(session=reference, actor=SYSTEM)
    load_catalog_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def test_the_matching_pages_fit_a_phone_and_take_a_mark(
    browser: Any,  # noqa: F811
    server: str,  # noqa: F811
    demo: Session,
    users: dict[str, Any],
    tmp_path: Path,
) -> None:
    need = service.need_detail(session=demo, actor=SYSTEM, key="N01")
    austem = organization_id(demo, "O'zAuto-Austem")
    pages = {
        "needs": "/needs",
        "need": f"/needs/{need.id}",
        "opportunities": f"/organizations/{austem}/opportunities",
        "level": f"/vehicles/{DEMO_CODE}/level#parts",
        "part": f"/vehicles/{DEMO_CODE}/suppliers?part=WHEEL",
    }
    for width in WIDTHS:
        context = browser.new_context(base_url=server, viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, users["member"].email)
        for name, url in pages.items():
            page.goto(url)
            # the level page's part table is long: its first screen is enough to look at
            page.screenshot(
                path=str(tmp_path / f"{name}-{width}.png"), full_page=name != "level", timeout=30_000
            )
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} is {overflow} px wider than {width} px"
        if width == WIDTHS[0]:
            page.goto(pages["need"])
            row = page.locator("table.ranking tbody tr").first
            row.get_by_role("button", name="Подходит", exact=True).click()
            page.wait_for_url(f"**{pages['need']}*")
            marked = page.locator("table.ranking tbody tr").first
            assert marked.locator(".badge").filter(has_text="подходит").is_visible()
            assert marked.locator('button[aria-pressed="true"]').inner_text() == "Подходит"
            page.goto(pages["level"])
            page.get_by_role("link", name="Кто может сделать деталь").first.click()
            page.wait_for_url("**/suppliers?part=*")
            assert page.locator("h1").inner_text().startswith("Кто может сделать эту деталь")
        context.close()
