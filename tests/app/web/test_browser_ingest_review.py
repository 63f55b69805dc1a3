"""The reference mission report reviewed in headless Chromium by an analyst of no organization:
pasted without a publication date, the review asks for the year, and accepting is refused until
it is given; once parsed again with the date, the accepted mission shows its period, its
memorandum and its next steps to the analyst who accepted it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.app.web.test_browser import browser, page, server, sign_in  # noqa: F401  (fixtures)
from tests.factories import make_user

SAMPLE = Path("/work/shared/samples/mission-report-uzbekistan.ru.txt")
pytestmark = pytest.mark.browser


@pytest.fixture
def lone_analyst(page: Any, reference: Session) -> Any:  # noqa: F811  (the fixture imported above)
    """The browser signed in as an analyst of no organization (as `cooplab user add` allows)."""
    make_user(reference, "analyst", email="lone@example.org")
    reference.commit()
    sign_in(page, "lone@example.org")
    return page


def test_a_report_without_a_year_is_dated_then_accepted_and_seen_by_its_reviewer(lone_analyst: Any) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing")
    tab = lone_analyst
    tab.goto("/ingest")
    tab.fill("#f-text", SAMPLE.read_text(encoding="utf-8"))
    tab.locator("form.ingest-form button[type=submit]").click()
    tab.wait_for_url("**/ingest/*", timeout=90_000)  # the language models load on the first text
    review_url = tab.url
    assert "нет года" in tab.locator("#needs-year").inner_text()

    # accepting now is refused at the publication date, nothing created
    for select in tab.locator("select[name$='-country']").all():
        if not select.input_value():
            select.select_option("UZ")
    tab.get_by_role("button", name="Принять").click()
    tab.locator(".field.has-error #f-published").wait_for(timeout=60_000)
    field = tab.locator(".field.has-error").filter(has=tab.locator("#f-published"))
    assert "даты без года" in field.inner_text()

    tab.fill("#f-published", "2025-03-05")
    tab.locator("form.reparse-form").get_by_role("button").click()
    tab.wait_for_url(review_url, timeout=60_000)
    assert tab.locator("#needs-year").count() == 0
    assert "2025" in tab.locator("section[aria-labelledby=events-title]").inner_text()
    assert tab.locator("#f-visibility").input_value() == "members"

    for select in tab.locator("select[name$='-country']").all():
        if not select.input_value():
            select.select_option("UZ")
    tab.get_by_role("button", name="Принять").click()
    tab.wait_for_url("**/missions/*", timeout=60_000)
    agreements = tab.locator("section[aria-labelledby=agreements-title]").inner_text()
    assert "Соглашений нет" not in agreements and "меморандум" in agreements.lower()
    steps = tab.locator("section[aria-labelledby=actions-title]")
    assert steps.locator("li, tr").count() >= 1
    assert tab.locator("p.hidden-note").count() == 0
    assert "2025" in tab.locator(".page-head").inner_text()
