"""The web UI driven in headless Chromium, as a user would: search, read, edit, switch language, filter."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cooplab.api.app import create_app
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.settings import Settings
from tests.web.conftest import organization_id

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium of the system; skipped when missing unless COOPLAB_REQUIRE_BROWSER=1."""
    if not CHROMIUM.exists():
        if os.environ.get("COOPLAB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and COOPLAB_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def server(reference: Session, database_url: str) -> Iterator[str]:
    """The app served by uvicorn in a thread, on the test database with the reference data."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app=create_app(Settings(database_url=database_url, env="test")),
                            host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvicorn_server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_search_from_the_top_box_and_open_uzauto(page: object) -> None:
    page.goto("/")
    page.fill("#top-q", "УзАвто")
    page.press("#top-q", "Enter")
    page.wait_for_url("**/search?q=*")
    organizations = page.locator("section[aria-labelledby=group-organization]")
    organizations.get_by_role("link", name="UzAuto Motors", exact=True).click()
    page.wait_for_url("**/organizations/*")
    assert page.locator("h1").inner_text().startswith("UzAuto Motors")
    names = page.locator("section[aria-labelledby=names-title]")
    for name in ("УзАвто Моторс", "O'zauto Motors", "GM Uzbekistan"):
        assert names.get_by_text(name, exact=True).is_visible()
    sources = page.locator("ol.source-list > li")
    assert sources.count() >= 2
    assert "wikipedia" in page.locator("#sources").inner_text().lower()


def test_edit_description_and_a_name(page: object, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    page.goto(f"/organizations/{org_id}")
    page.get_by_role("link", name="Редактировать").click()
    page.wait_for_url(f"**/organizations/{org_id}/edit")
    page.fill("#f-description", "Завод легковых автомобилей в Асаке.")
    page.fill("input[name=names-1-value]", "АО «УзАвто Моторс»")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**/organizations/{org_id}")
    assert page.locator(".flash").inner_text().strip() == "Сохранено."
    assert "Завод легковых автомобилей в Асаке." in page.locator("section[aria-labelledby=about-title]").inner_text()
    assert page.locator("section[aria-labelledby=names-title]").get_by_text("АО «УзАвто Моторс»").is_visible()
    page.reload()
    assert page.locator(".flash").count() == 0


def test_add_a_name_row_with_the_button(page: object, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    page.goto(f"/organizations/{org_id}/edit")
    rows = page.locator("#name-rows > .name-row")
    before = rows.count()
    page.get_by_role("button", name="Добавить название").click()
    assert rows.count() == before + 1
    page.locator(f"input[name=names-{before}-value]").fill("Uzavto Motors Asaka")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**/organizations/{org_id}")
    assert page.get_by_text("Uzavto Motors Asaka", exact=True).is_visible()


def test_an_invalid_inn_shows_next_to_the_field_and_changes_nothing(page: object, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    before = service.organization_detail(session=reference, organization_id=org_id)
    page.goto(f"/organizations/{org_id}/edit")
    page.fill("#f-inn", "1234567890")
    page.fill("#f-description", "Это не должно сохраниться.")
    page.get_by_role("button", name="Сохранить").click()
    box = page.locator(".field", has=page.locator("#f-inn"))
    message = box.locator(".field-error")
    assert message.is_visible()
    assert "контрольная цифра" in message.inner_text()
    assert page.locator("#f-inn").get_attribute("aria-invalid") == "true"
    # the message sits right under the INN input, not somewhere else on the page
    inn_box, message_box = page.locator("#f-inn").bounding_box(), message.bounding_box()
    assert 0 <= message_box["y"] - (inn_box["y"] + inn_box["height"]) < 80
    assert abs(message_box["x"] - inn_box["x"]) < 5
    page.goto(f"/organizations/{org_id}")
    assert "Это не должно сохраниться." not in page.content()
    reference.expire_all()
    after = service.organization_detail(session=reference, organization_id=org_id)
    assert (after.version, after.description, after.identifiers) == (before.version, before.description, [])


def test_switch_to_english(page: object) -> None:
    page.goto("/organizations")
    assert page.locator("nav.sections").get_by_role("link", name="Организации").is_visible()
    page.locator("nav.langs").get_by_role("link", name="EN").click()
    page.wait_for_url("**/organizations?lang=en")
    sections = page.locator("nav.sections")
    assert sections.get_by_role("link", name="Organizations").is_visible()
    assert sections.get_by_role("link", name="People").is_visible()
    assert page.locator("label[for=kind]").inner_text() == "Kind"
    assert page.get_by_role("button", name="Search").is_visible()
    # the choice is remembered on the next page
    sections.get_by_role("link", name="Places").click()
    page.wait_for_url("**/places")
    assert page.locator("h1").inner_text().startswith("Places")
    assert page.locator("html").get_attribute("lang") == "en"


def test_filter_the_list_by_kind(page: object, reference: Session) -> None:
    _, suppliers = service.list_organizations(session=reference, filters=OrganizationFilter(kind="supplier"), limit=1)
    page.goto("/organizations")
    page.select_option("#kind", "supplier")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**/organizations?*kind=supplier*")
    kinds = page.locator("tbody tr .badge-kind").all_inner_texts()
    assert len(kinds) == suppliers > 0
    assert set(kinds) == {"Поставщик"}
    assert page.locator("#kind").input_value() == "supplier"


def test_phone_width_has_no_horizontal_scroll(browser: object, server: str, reference: Session) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    tab = context.new_page()
    org_id = organization_id(reference, "UzAuto Motors")
    for url in ("/", "/organizations", f"/organizations/{org_id}", f"/organizations/{org_id}/edit", "/search?q=Андижан"):
        tab.goto(url)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, url
        assert tab.locator("#top-q").is_visible()
    context.close()


def test_keyboard_focus_is_visible(page: object) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + "
                            "getComputedStyle(document.activeElement).boxShadow")
    assert outline.split()[0] != "none" or "rgba" in outline
