"""The whole week in one browser session, once as an analyst of no organization and once as a
member of the cluster the sample report names: the report pasted without a date (the year is
asked for) and accepted, every record of it seen, next steps added and closed, the mission
edited, its report downloaded in Russian and English, a spreadsheet with bad rows refused whole
then fixed and imported (audited), and the organization's timeline showing the mission.
The member may not accept documents nor import sheets: an analyst does those parts and the
member meets a clear refusal. COOPLAB_SHOTS=dir keeps screenshots at 1366 and 390 px."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.core.audit import AuditEntry
from cooplab.registry.models import Organization
from tests.app.web.test_browser import browser, server, sign_in  # noqa: F401  (fixtures)
from tests.factories import make_user
from tests.ingest.conftest import MISSION_REPORT as SAMPLE
from tests.webkit import organization_id

CLUSTER = "Кластер автомобильной промышленности"
pytestmark = pytest.mark.browser


#: Whose walk each browser tab is, to name its screenshots.
READERS: dict[int, str] = {}


def shoot(tab: Any, name: str) -> None:
    """The page fits 1366 and 390 px without sideways scroll; a picture of each when
    COOPLAB_SHOTS names a folder (<reader>-<page>-<width>.png)."""
    shots = os.environ.get("COOPLAB_SHOTS")
    for width in (1366, 390):
        tab.set_viewport_size({"width": width, "height": 900})
        overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, width)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=f"{shots}/{READERS.get(id(tab), 'tab')}-{name}-{width}.png", full_page=True)
    tab.set_viewport_size({"width": 1366, "height": 900})


def sheet(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    table = book.active
    table.append(["Название", "Вид", "Страна", "ИНН"])
    for row in rows:
        table.append(row)
    book.save(path)
    return path


def org_count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Organization)) or 0


def choose_countries(tab: Any) -> None:
    for choice in tab.locator("select[name$='-country']").all():
        if not choice.input_value():
            choice.select_option("UZ")


def accept_the_report(tab: Any) -> str:
    """Paste the report without a date, see the year asked for, date it, accept: the mission URL."""
    tab.goto("/ingest")
    tab.fill("#f-text", SAMPLE.read_text(encoding="utf-8"))
    tab.locator("form.ingest-form button[type=submit]").click()
    tab.wait_for_url(re.compile(r"/ingest/\d+$"), timeout=120_000)  # the language models load once
    review = tab.url
    assert "нет года" in tab.locator("#needs-year").inner_text()
    shoot(tab, "review-needs-year")
    choose_countries(tab)
    tab.get_by_role("button", name="Принять").click()
    field = tab.locator(".field.has-error").filter(has=tab.locator("#f-published"))
    field.wait_for(timeout=60_000)
    assert "даты без года" in field.inner_text()
    assert "/ingest/" in tab.url  # refused: still the review, no mission
    tab.fill("#f-published", "2024-03-05")
    tab.locator("form.reparse-form").get_by_role("button").click()
    tab.wait_for_url(review, timeout=60_000)
    assert tab.locator("#needs-year").count() == 0
    choose_countries(tab)
    tab.get_by_role("button", name="Принять").click()
    tab.wait_for_url(re.compile(r"/missions/\d+$"), timeout=60_000)
    assert "миссия создана" in tab.locator(".flash").inner_text()
    return tab.url


def see_every_record(tab: Any) -> str:
    """The mission page shows its period, events, memorandum, participants, next steps."""
    head = tab.locator(".page-head").inner_text()
    assert "27.02.2024" in tab.locator("p.tags").inner_text() and "2024" in head
    programme = tab.locator("section[aria-labelledby=programme-title]")
    assert programme.locator("li, tr").count() >= 2
    agreements = tab.locator("section[aria-labelledby=agreements-title]").inner_text()
    assert "меморандум" in agreements.lower() and "Cooperation Lab" in agreements
    people = tab.locator("section[aria-labelledby=participants-title]").inner_text()
    assert "Крайнов" in people and "Моисеенко" in people
    assert tab.locator("section[aria-labelledby=actions-title] tbody tr").count() >= 1
    assert CLUSTER in tab.locator("section[aria-labelledby=orgs-title]").inner_text()
    assert tab.locator("p.hidden-note").count() == 0
    shoot(tab, "mission")
    return tab.locator("h1").inner_text()


def add_a_late_step(tab: Any, mission_url: str) -> None:
    """A next step for the cluster and Крайнов, due in the past: flagged overdue."""
    tab.goto(mission_url)
    tab.fill("#step-title", "Направить список поставщиков")
    tab.locator("#step-responsible_person_id").select_option(label="Андрей Крайнов")
    tab.locator("#step-responsible_organization_id").select_option(label=CLUSTER)
    tab.fill("#step-due", "2024-04-01")
    tab.locator("form.step-form").get_by_role("button").click()
    tab.wait_for_url(f"{mission_url}#actions-title")
    row = tab.locator(
        "section[aria-labelledby=actions-title] tbody tr", has_text="Направить список поставщиков"
    )
    assert row.get_attribute("class") == "overdue" and "просрочен" in row.inner_text().lower()
    assert CLUSTER in row.inner_text() and "Крайнов" in row.inner_text()


def close_the_step(tab: Any) -> None:
    """From "my next steps": the late step is listed, marked done, opened again, done again."""
    tab.goto("/steps")
    row = tab.locator("tbody tr", has_text="Направить список поставщиков")
    assert row.count() == 1 and "просрочен" in row.inner_text().lower()
    shoot(tab, "my-steps")
    with tab.expect_navigation():
        row.locator("form.step-toggle button").click()
    tab.goto("/steps?all=1&done=1")
    row = tab.locator("tbody tr", has_text="Направить список поставщиков")
    assert row.count() == 1 and "выполнен" in row.inner_text().lower()
    assert "просрочен" not in row.inner_text().lower()
    # opened again it is late again, and back in "my next steps"; then done for good
    with tab.expect_navigation():
        row.locator("form.step-toggle button").click()
    tab.goto("/steps")
    row = tab.locator("tbody tr", has_text="Направить список поставщиков")
    assert row.count() == 1 and "открыто" in row.inner_text() and "просрочен" in row.inner_text().lower()
    with tab.expect_navigation():
        row.locator("form.step-toggle button").click()
    tab.goto("/steps")
    assert tab.locator("tbody tr", has_text="Направить список поставщиков").count() == 0


def edit_the_mission(tab: Any, mission_url: str) -> str:
    tab.goto(mission_url)
    tab.get_by_role("link", name="Редактировать миссию").click()
    tab.wait_for_url(f"{mission_url}/edit")
    shoot(tab, "mission-edit")
    tab.fill("#f-title", "Деловой визит Кластера в Узбекистан")
    tab.fill("#f-end", "2024-03-03")
    tab.locator("form.mission-form").get_by_role("button", name="Сохранить").click()
    tab.wait_for_url(mission_url)
    assert tab.locator("h1").inner_text() == "Деловой визит Кластера в Узбекистан"
    assert "03.03.2024" in tab.locator("p.tags").inner_text()
    return "Деловой визит Кластера в Узбекистан"


def download_reports(tab: Any, mission_url: str, title: str) -> None:
    """The report page's Word links, in Russian and in English: real documents of the mission."""
    tab.goto(f"{mission_url}/report")
    shoot(tab, "report")
    texts = {}
    for lang in ("ru", "en"):
        with tab.expect_download() as caught:
            tab.locator(f"a[href$='report.docx?lang={lang}']").click()
        content = Path(caught.value.path()).read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            texts[lang] = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
    assert title in texts["ru"] and "Соглашения" in texts["ru"]
    assert "Agreements" in texts["en"] and "Соглашения" not in texts["en"]


def check(tab: Any, path: Path) -> None:
    """Upload a sheet on the import page and ask for its check."""
    tab.set_input_files("#f-file", str(path))
    tab.get_by_role("button", name="Проверить").click()


def import_a_sheet(tab: Any, reference: Session, tmp_path: Path) -> None:
    """Bad rows all reported at once and nothing written; the fixed sheet imported and audited."""
    tab.goto("/organizations")
    tab.get_by_role("link", name="Импорт из таблицы").click()
    tab.wait_for_url("**/import/org")
    before = org_count(reference)
    bad = sheet(
        tmp_path / "поставщики.xlsx",
        [
            ["Литейный завод Тольятти", "supplier", "RU", "7736050004"],
            ["Штамп Андижан", "планета", "UZ", None],
        ],
    )
    check(tab, bad)
    tab.get_by_role("alert").wait_for()
    assert "поставщики.xlsx" in tab.get_by_role("alert").inner_text()
    rows = tab.locator("#problems tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[:2] for i in range(rows.count())] == [
        ["2", "ИНН (inn)"],
        ["3", "Вид (kind)"],
    ]
    shoot(tab, "import-bad-rows")
    assert org_count(reference) == before
    good = sheet(
        tmp_path / "поставщики-2.xlsx",
        [
            ["Литейный завод Тольятти", "supplier", "RU", "7736050003"],
            ["Штамп Андижан", "supplier", "UZ", None],
        ],
    )
    check(tab, good)
    tab.locator("#preview").wait_for()
    assert tab.locator("dd[data-count=created]").inner_text() == "2"
    assert org_count(reference) == before
    tab.get_by_role("button", name="Импортировать").click()
    tab.wait_for_url("**/organizations")
    assert tab.get_by_text("Таблица импортирована.").is_visible()
    assert org_count(reference) == before + 2
    entry = reference.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.after["file"] == "поставщики-2.xlsx" and entry.after["created"] == 2


def see_the_timeline(tab: Any, reference: Session, title: str) -> None:
    tab.goto(f"/organizations/{organization_id(reference, CLUSTER)}")
    timeline = tab.locator("section[aria-labelledby=timeline-title]")
    assert timeline.get_by_role("link", name=title).count() >= 1
    assert "меморандум" in timeline.inner_text().lower()
    shoot(tab, "timeline")


def sign_out(tab: Any) -> None:
    tab.locator("form.signout button").click()
    tab.wait_for_url("**/")


@pytest.mark.parametrize("reader", ["analyst", "member"])
def test_the_whole_week(
    reader: str,
    browser: Any,  # noqa: F811  (the fixtures imported above)
    server: str,  # noqa: F811
    reference: Session,
    tmp_path: Path,
) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing")
    make_user(reference, "analyst", email="lone@example.org")
    cluster = organization_id(reference, CLUSTER)
    make_user(reference, "member", cluster, email="member@cluster.example", name="Дмитрий Моисеенко")
    reference.commit()
    context = browser.new_context(base_url=server, viewport={"width": 1366, "height": 900})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    READERS[id(tab)] = reader
    try:
        tab.goto("/login")
        sign_in(tab, "lone@example.org")
        mission_url = accept_the_report(tab)
        if reader == "analyst":
            title = see_every_record(tab)
            add_a_late_step(tab, mission_url)
            close_the_step(tab)
            title = edit_the_mission(tab, mission_url)
            download_reports(tab, mission_url, title)
            import_a_sheet(tab, reference, tmp_path)
            see_the_timeline(tab, reference, title)
            return
        # the member of the cluster: the analyst has accepted the report and added a step
        add_a_late_step(tab, mission_url)
        sign_out(tab)
        tab.goto("/login")
        sign_in(tab, "member@cluster.example")
        tab.goto(mission_url)
        title = see_every_record(tab)
        assert tab.get_by_role("link", name="Редактировать миссию").count() == 0
        close_the_step(tab)  # a step of the member's organization
        download_reports(tab, mission_url, title)
        see_the_timeline(tab, reference, title)
        # what the role does not allow is a clear page, never a traceback
        tab.goto("/ingest")
        assert "могут аналитики и администраторы" in tab.locator("main").inner_text()
        for url in (f"{mission_url}/edit", "/import/org"):
            answer = tab.goto(url)
            assert answer is not None and answer.status == 403, url
            assert tab.locator("h1").inner_text() == "Нет доступа"
            refusal = tab.locator("main").inner_text()
            assert "Ваша роль не позволяет" in refusal and "(member)" not in refusal
        shoot(tab, "refused")
    finally:
        READERS.pop(id(tab), None)
        context.close()
