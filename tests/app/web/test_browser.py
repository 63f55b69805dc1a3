"""The web UI driven in headless Chromium, as a user would: search, read, sign in, edit, sign out,
switch language, filter; stored text that looks like code stays text."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.app import create_app
from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter
from cooplab.settings import Settings
from tests.webkit import PASSWORD, organization_id

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
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def server(reference: Session, database_url: str) -> Iterator[str]:
    """The app served by uvicorn in a thread, on the test database with the reference data."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(
        app=create_app(Settings(database_url=database_url, env="test")),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
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
    context.set_default_timeout(30_000)  # a loaded CI machine renders a page in seconds, not in ms
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: object, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, starting from the page the browser is on."""
    if "/login" not in page.url:
        page.goto("/login")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    # the password hash is slow on purpose: give the sign-in its time on a loaded machine
    page.locator("form.auth-form").get_by_role("button", name="Войти").click(timeout=60_000)
    page.locator("form.signout").wait_for(
        state="visible", timeout=60_000
    )  # signed in once the page comes back


@pytest.fixture
def editor(page: object, users: dict[str, Any]) -> object:
    """The browser signed in as an analyst, who may edit the whole registry."""
    sign_in(page, users["analyst"].email)
    return page


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


def test_edit_description_and_a_name(editor: object, reference: Session) -> None:
    page = editor
    org_id = organization_id(reference, "UzAuto Motors")
    page.goto(f"/organizations/{org_id}")
    page.get_by_role("link", name="Редактировать").click()
    page.wait_for_url(f"**/organizations/{org_id}/edit")
    page.fill("#f-description", "Завод легковых автомобилей в Асаке.")
    page.fill("input[name=names-1-value]", "АО «УзАвто Моторс»")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**/organizations/{org_id}")
    assert page.locator(".flash").inner_text().strip() == "Сохранено."
    assert (
        "Завод легковых автомобилей в Асаке."
        in page.locator("section[aria-labelledby=about-title]").inner_text()
    )
    assert page.locator("section[aria-labelledby=names-title]").get_by_text("АО «УзАвто Моторс»").is_visible()
    page.reload()
    assert page.locator(".flash").count() == 0


def test_add_a_name_row_with_the_button(editor: object, reference: Session) -> None:
    page = editor
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


def test_an_invalid_inn_shows_next_to_the_field_and_changes_nothing(
    editor: object, reference: Session
) -> None:
    page = editor
    org_id = organization_id(reference, "UzAuto Motors")
    before = service.organization_detail(session=reference, actor=SYSTEM, organization_id=org_id)
    page.goto(f"/organizations/{org_id}/edit")
    page.fill("#f-inn", "1234567890")
    page.fill("#f-description", "Это не должно сохраниться.")
    page.get_by_role("button", name="Сохранить").click()
    box = page.locator(".field", has=page.locator("#f-inn"))
    message = box.locator(".field-error")
    message.wait_for(state="visible")  # the form posts and the page comes back: wait for it
    assert "контрольная цифра" in message.inner_text()
    assert page.locator("#f-inn").get_attribute("aria-invalid") == "true"
    # the message sits right under the INN input, not somewhere else on the page
    inn_box, message_box = page.locator("#f-inn").bounding_box(), message.bounding_box()
    assert 0 <= message_box["y"] - (inn_box["y"] + inn_box["height"]) < 80
    assert abs(message_box["x"] - inn_box["x"]) < 5
    page.goto(f"/organizations/{org_id}")
    assert "Это не должно сохраниться." not in page.content()
    reference.expire_all()
    after = service.organization_detail(session=reference, actor=SYSTEM, organization_id=org_id)
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
    suppliers = service.list_organizations(
        session=reference, actor=SYSTEM, filters=OrganizationFilter(kind="supplier"), limit=1
    ).count
    page.goto("/organizations")
    page.select_option("#kind", "supplier")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**/organizations?*kind=supplier*")
    kinds = page.locator("tbody tr .badge-kind").all_inner_texts()
    assert len(kinds) == suppliers > 0
    assert set(kinds) == {"Поставщик"}
    assert page.locator("#kind").input_value() == "supplier"


def test_phone_width_has_no_horizontal_scroll(
    browser: object, server: str, reference: Session, users: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    tab = context.new_page()
    org_id = organization_id(reference, "UzAuto Motors")
    for url in ("/", "/login", "/organizations", f"/organizations/{org_id}"):
        tab.goto(url)
        assert (
            tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        ), url
    sign_in(tab, users["admin"].email)
    for url in (
        "/",
        "/organizations",
        f"/organizations/{org_id}",
        f"/organizations/{org_id}/edit",
        "/search?q=Андижан",
        "/account",
        "/admin/audit",
        "/admin/users",
    ):
        tab.goto(url)
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, url
        assert tab.locator("#top-q").is_visible()
    context.close()


def test_keyboard_focus_is_visible(page: object) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + "
        "getComputedStyle(document.activeElement).boxShadow"
    )
    assert outline.split()[0] != "none" or "rgba" in outline


def test_sign_in_edit_and_sign_out(page: object, reference: Session, users: dict[str, Any]) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    page.goto(f"/organizations/{org_id}")
    assert page.get_by_role("link", name="Редактировать").count() == 0  # a visitor reads only
    page.locator("a.signin").click()
    page.wait_for_url(re.compile(r"/login\?next="))
    page.fill("#f-email", users["member"].email)
    page.fill("#f-password", "not my password")
    page.locator("form.auth-form").get_by_role("button", name="Войти").click()
    assert "Неверная почта или пароль" in page.locator(".alert").inner_text()
    assert page.locator("#f-email").input_value() == users["member"].email
    page.fill("#f-password", PASSWORD)
    page.locator("form.auth-form").get_by_role("button", name="Войти").click()
    page.wait_for_url(f"**/organizations/{org_id}")  # back where the reader was
    assert page.locator(".flash").inner_text().strip() == "Вы вошли."
    assert "Азиз Рахимов" in page.locator(".account-link").inner_text()
    # the member edits its own organization
    page.get_by_role("link", name="Редактировать").click()
    page.wait_for_url(f"**/organizations/{org_id}/edit")
    page.fill("#f-description", "Описание от сотрудника UzAuto Motors.")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**/organizations/{org_id}")
    assert (
        "Описание от сотрудника UzAuto Motors."
        in page.locator("section[aria-labelledby=about-title]").inner_text()
    )
    # and writes a note, private to its organization by default
    page.fill("#note-text", "Встреча с отделом закупок.")
    assert page.locator("#note-visibility").input_value() == "organization"
    page.get_by_role("button", name="Добавить заметку").click()
    page.wait_for_url(f"**/organizations/{org_id}#notes")
    note = page.locator("#notes .note-item").first
    assert "Встреча с отделом закупок." in note.inner_text() and "только моя организация" in note.inner_text()
    # but not someone else's organization
    other = organization_id(reference, "AVTOVAZ")
    page.goto(f"/organizations/{other}")
    assert page.get_by_role("link", name="Редактировать").count() == 0
    assert page.goto(f"/organizations/{other}/edit").status == 403
    # signing out ends the session: the edit form asks to sign in again
    page.locator("form.signout button").click()
    page.wait_for_url("**/")
    assert page.locator(".flash").inner_text().strip() == "Вы вышли. Сеанс завершён."
    assert page.locator("a.signin").is_visible()
    page.goto(f"/organizations/{org_id}/edit")
    page.wait_for_url(re.compile(r"/login\?next="))
    assert "Встреча с отделом закупок." not in page.goto(f"/organizations/{org_id}").text()


#: Text a user might store that looks like code; it must be shown as text and never run.
PAYLOADS = (
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'; DROP TABLE organizations; --",
)


def test_stored_text_that_looks_like_code_is_shown_literally(
    page: object, reference: Session, users: dict[str, Any]
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, users["admin"].email)
    # a new organization named with the first payload, the others as a name and in the description
    page.goto("/organizations/new")
    page.select_option("#f-kind", "supplier")
    page.fill("input[name=names-0-value]", PAYLOADS[0])
    page.get_by_role("button", name="Добавить название").click()
    page.fill("input[name=names-1-value]", PAYLOADS[2])
    page.get_by_role("button", name="Добавить название").click()
    page.fill("input[name=names-2-value]", PAYLOADS[1])  # lands in value="..." of the edit form
    page.fill("#f-description", "\n".join(PAYLOADS))
    page.fill("#f-website", PAYLOADS[1])
    page.get_by_role("button", name="Создать").click()
    # the website is not a web address: the form says so and keeps every value as typed
    if "/new" in page.url:
        assert page.locator("input[name=names-0-value]").input_value() == PAYLOADS[0]
        page.fill("#f-website", "")
        page.get_by_role("button", name="Создать").click()
    page.wait_for_url("**/organizations/*")
    org_url = page.url.split("#")[0]
    for payload, visibility in zip(PAYLOADS, ("public", "members", "organization"), strict=True):
        page.fill("#note-text", payload)
        page.select_option("#note-visibility", visibility)
        page.get_by_role("button", name="Добавить заметку").click()
        page.wait_for_url("**#notes")
    org_id = int(org_url.rsplit("/", 1)[1])
    pages = [
        org_url,
        f"{org_url}/edit",
        "/organizations?kind=supplier&limit=100",
        "/",
        "/search?q=DROP TABLE",
        "/search?q=script",
        f"/admin/audit?entity_type=organizations&entity_id={org_id}",
        "/admin/audit?entity_type=organization_notes",
    ]
    for url in pages:
        page.goto(url)
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.locator("img[src=x]").count() == 0, url
    page.goto(org_url)
    assert page.locator("h1").inner_text().startswith(PAYLOADS[0])
    names = page.locator("section[aria-labelledby=names-title]").inner_text()
    assert PAYLOADS[1] in names and PAYLOADS[2] in names
    about = page.locator("section[aria-labelledby=about-title]").inner_text()
    assert all(payload in about for payload in PAYLOADS)
    notes = page.locator("#notes").inner_text()
    assert all(payload in notes for payload in PAYLOADS)
    page.goto(f"{org_url}/edit")
    assert page.locator("#f-description").input_value() == "\n".join(PAYLOADS)
    assert page.locator("input[name=names-2-value]").input_value() == PAYLOADS[1]
    # the table is still there, and so is everything in it
    page.goto("/organizations?kind=supplier&limit=100")
    assert page.get_by_role("link", name=PAYLOADS[0]).is_visible()
    reference.expire_all()
    assert service.get_organization(session=reference, organization_id=org_id).name == PAYLOADS[0]
    # an anonymous visitor sees the public note, as text
    page.locator("form.signout button").click()
    page.goto(org_url)
    assert PAYLOADS[0] in page.locator("#notes").inner_text()
    assert PAYLOADS[1] not in page.locator("#notes").inner_text()  # shared with members only
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []


def test_ingest_review_and_accept_into_a_mission(editor: object, reference: Session) -> None:
    """An analyst pastes a text, reviews the marked mentions, leaves one record out, accepts."""
    page = editor
    page.locator("nav.sections").get_by_role("link", name="Ингест").click()
    page.wait_for_url("**/ingest")
    page.fill(
        "#f-text",
        "12 мая 2025 года делегация АВТОВАЗ во главе с директором по закупкам Ильёй Громовым "
        "посетила Ташкент. В Ташкенте прошли переговоры с UzAuto Motors.",
    )
    page.get_by_role("button", name="Разобрать").click()
    page.wait_for_url(re.compile(r"/ingest/\d+$"))
    assert page.locator(".doc-body mark.hl-org").count() >= 2
    assert page.locator(".doc-body mark.hl-place").count() >= 1
    person = page.locator("#person-0")
    assert "новая запись" in person.inner_text()
    person.get_by_label("взять").uncheck()
    for select in page.locator("select[name$=-country]").all():
        select.select_option("UZ")
    page.fill("#f-title", "Переговоры в Ташкенте")
    page.get_by_role("button", name="Принять").click()
    page.wait_for_url(re.compile(r"/missions/\d+$"))
    assert page.locator("h1").inner_text() == "Переговоры в Ташкенте"
    assert "миссия создана" in page.locator(".flash").inner_text()
    assert "Громов" not in page.locator("section[aria-labelledby=participants-title]").inner_text()
    assert page.locator("section[aria-labelledby=orgs-title] a").count() >= 2


@pytest.mark.parametrize("width", [1280, 1366, 390])
def test_every_section_of_the_bar_is_whole_and_exists(
    browser: object, server: str, users: dict[str, Any], width: int
) -> None:
    """The section bar shows every section whole (never cut, never scrolled away), on a laptop
    and on a phone; each entry opens a page that exists."""
    context = browser.new_context(base_url=server, viewport={"width": width, "height": 844})  # type: ignore[attr-defined]
    tab = context.new_page()
    sign_in(tab, users["admin"].email)  # the admin sees every section
    tab.goto("/")
    bar = tab.locator("nav.sections .sections-inner")
    assert bar.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    links = tab.locator("nav.sections a")
    assert links.count() >= 7
    hrefs = []
    for link in links.all():
        box = link.bounding_box()
        assert link.is_visible() and box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
        assert link.evaluate("el => el.scrollWidth <= el.clientWidth"), link.inner_text()
        hrefs.append(link.get_attribute("href"))
    assert not [h for h in hrefs if h.startswith("/soon/")]
    for href in hrefs:
        assert tab.request.get(href).status == 200, href
    context.close()


def test_the_sample_report_walk_fits_a_phone(browser: object, server: str, users: dict[str, Any]) -> None:
    """The reference case on a phone: paste the sample report without a date (asked for it),
    parse it again with one, accept it; no page of the walk scrolls sideways."""
    from tests.ingest.conftest import MISSION_REPORT

    if not MISSION_REPORT.is_file():
        pytest.skip(f"the sample report is not at {MISSION_REPORT}")
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    tab = context.new_page()
    sign_in(tab, users["analyst"].email)

    def fits(url: str) -> None:
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, url

    tab.goto("/ingest")
    fits("/ingest")
    tab.fill("#f-text", MISSION_REPORT.read_text(encoding="utf-8"))
    tab.get_by_role("button", name="Разобрать").click()
    tab.wait_for_url(re.compile(r"/ingest/\d+$"))
    assert tab.locator("#needs-year").is_visible()
    fits(tab.url)
    tab.fill("#f-published", "2024-03-05")
    tab.get_by_role("button", name="Разобрать заново").click()
    tab.locator(".flash").wait_for(state="visible")
    assert tab.locator("#needs-year").count() == 0
    for select in tab.locator("select[name$=-country]").all():
        select.select_option("UZ")
    tab.get_by_role("button", name="Принять").click()
    tab.wait_for_url(re.compile(r"/missions/\d+$"))
    assert "27.02.2024" in tab.locator("p.tags").inner_text()
    for url in (tab.url, tab.url + "/report", "/missions"):
        tab.goto(url)
        fits(url)
    context.close()


def test_a_slow_submit_says_it_is_working_and_is_not_sent_twice(editor: object) -> None:
    page = editor
    page.goto("/ingest")
    page.fill("#f-text", "12 мая 2025 года делегация АВТОВАЗ посетила Ташкент.")
    # hold the form here (a listener added after the page's own) to look at the button meanwhile
    page.evaluate(
        "window.sent = 0; document.querySelector('form.ingest-form').addEventListener('submit',"
        " e => { if (!e.defaultPrevented) window.sent += 1; e.preventDefault(); })"
    )
    button = page.locator("form.ingest-form button[type=submit]")
    button.click()
    assert button.get_attribute("aria-busy") == "true"
    assert button.inner_text().strip() == "Разбираем…"
    button.click()
    assert page.evaluate("window.sent") == 1


def test_a_script_of_a_page_writes_through_the_api_with_the_pages_token(editor: object) -> None:
    editor.goto("/organizations")
    post = """async (token) => {
        const headers = {"Content-Type": "application/json"};
        if (token) headers["X-CSRF-Token"] = document.querySelector('meta[name="csrf-token"]').content;
        const answer = await fetch("/api/v1/organizations", {method: "POST", headers,
            body: JSON.stringify({kind: "supplier", names: [{value: token ? "Завод с токеном" : "Без токена"}]})});
        return answer.status;
    }"""
    assert editor.evaluate(post, False) == 403  # the cookie alone writes nothing
    assert editor.evaluate(post, True) == 201
    editor.goto("/organizations?q=Завод с токеном")
    assert editor.get_by_role("link", name="Завод с токеном").is_visible()


def test_edit_a_mission_and_its_pages_fit_a_phone(
    editor: object, reference: Session, users: dict[str, Any]
) -> None:
    """An analyst edits a mission from its page; every page of the mission's editing fits at
    1366 and 390 px without sideways scroll (COOPLAB_SCREENSHOTS=dir keeps pictures of them)."""
    from cooplab.engagements import service as engagements
    from cooplab.engagements.schemas import AgreementCreate, EventIn, MissionCreate, ParticipantIn
    from tests.factories import make_person

    avtovaz, uzauto = organization_id(reference, "AVTOVAZ"), organization_id(reference, "UzAuto Motors")
    people = [make_person(reference, n).id for n in ("Максим Соколов", "Шерзод Маматов")]
    mission = engagements.create_mission(
        session=reference,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит делегации в Ташкент",
            start="2024-02-27",
            end="2024-03-02",
            organizer_ids=[avtovaz],
            organization_ids=[uzauto],
            participants=[
                ParticipantIn(person_id=people[0], organization_id=avtovaz, title="вице-президент"),
                ParticipantIn(person_id=people[1], organization_id=uzauto, title="директор по закупкам"),
            ],
            events=[
                EventIn(kind="meeting", start="2024-02-27", summary="Переговоры", organization_ids=[uzauto])
            ],
        ),
    ).id
    agreement = engagements.create_agreement(
        session=reference,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="О локализации",
            party_ids=[avtovaz, uzauto],
            mission_id=mission,
            visibility="members",
        ),
    ).id
    reference.commit()
    page = editor
    page.goto(f"/missions/{mission}")
    page.get_by_role("link", name="Редактировать миссию").click()
    page.wait_for_url(f"**/missions/{mission}/edit")
    page.fill("#f-title", "Визит делегации в Андижан")
    page.fill("#f-end", "2024-03-03")
    page.locator("form.mission-form").get_by_role("button", name="Сохранить").click()
    page.wait_for_url(f"**/missions/{mission}")
    assert page.locator("h1").inner_text() == "Визит делегации в Андижан"
    assert page.locator("#side-ru").is_visible() and page.locator("#side-uz").is_visible()

    shots = os.environ.get("COOPLAB_SCREENSHOTS")
    event = engagements.mission_detail(session=reference, actor=SYSTEM, mission_id=mission).events[0].id
    urls = {
        "mission": f"/missions/{mission}",
        "edit": f"/missions/{mission}/edit",
        "delete": f"/missions/{mission}/delete",
        "event": f"/events/{event}/edit",
        "agreement": f"/agreements/{agreement}/edit",
        "participant": f"/missions/{mission}/participants/new",
        "steps": "/steps",
    }
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in urls.items():
            page.goto(url)
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, (url, width, scroll, inner)
            if shots:
                page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
