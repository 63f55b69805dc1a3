"""In the browser: a sheet with bad rows is refused with every problem listed and nothing
written; the fixed sheet is previewed, confirmed, and its import is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.audit import AuditEntry
from cooplab.registry.models import Organization
from tests.app.web.test_browser import browser, server, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

BAD = "Название,Вид,Страна,ИНН\nЛитейный завод Тольятти,supplier,RU,7736050004\nШтамп Андижан,планета,UZ,\n"
GOOD = "Название,Вид,Страна,ИНН\nЛитейный завод Тольятти,supplier,RU,7736050003\nШтамп Андижан,supplier,UZ,\n"


@pytest.fixture
def tab(browser: Any, server: str) -> Iterator[Any]:  # noqa: F811  (the fixtures above)
    """A browser tab on the test server, signed out."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def names(session: Session) -> set[str]:
    session.expire_all()
    return set(session.scalars(select(Organization.name)))


def test_bad_rows_all_at_once_then_the_fixed_sheet_imported_and_audited(
    tab: Any, users: dict[str, Any], reference: Session, tmp_path: Path
) -> None:
    page = tab
    sign_in(page, users["analyst"].email)
    page.goto("/organizations")
    page.get_by_role("link", name="Импорт из таблицы").click()
    page.wait_for_url("**/import/org")
    bad = tmp_path / "поставщики.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files("#f-file", str(bad))
    page.get_by_role("button", name="Проверить").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "поставщики.csv" in alert.inner_text()
    rows = page.locator("#problems tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:2] == ["2", "ИНН (inn)"]
    assert rows.nth(1).inner_text().split("\t")[:2] == ["3", "Вид (kind)"]
    assert "Штамп Андижан" not in names(reference)

    good = tmp_path / "поставщики-2.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("#f-file", str(good))
    page.get_by_role("button", name="Проверить").click()
    page.locator("#preview").wait_for()
    assert page.locator("dd[data-count=created]").inner_text() == "2"
    assert "Штамп Андижан" not in names(reference)  # the preview wrote nothing
    page.get_by_role("button", name="Импортировать").click()
    page.wait_for_url("**/organizations")
    assert page.get_by_text("Таблица импортирована.").is_visible()
    assert {"Штамп Андижан", "Литейный завод Тольятти"} <= names(reference)
    entry = reference.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert entry.after["file"] == "поставщики-2.csv" and entry.after["created"] == 2
