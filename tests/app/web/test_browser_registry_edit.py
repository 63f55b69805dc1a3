"""Registry editing in headless Chromium: an owner added with its share, two duplicates merged
and the merge undone, as an analyst does it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from tests.app.web.test_browser import browser, server, sign_in  # noqa: F401  (fixtures)
from tests.factories import make_org
from tests.webkit import organization_id

pytestmark = pytest.mark.browser


@pytest.fixture
def editor(browser: Any, server: str, users: dict[str, Any]) -> Iterator[Any]:  # noqa: F811
    """A browser tab signed in as an analyst; confirmations are accepted."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    sign_in(tab, users["analyst"].email)
    yield tab
    context.close()


def test_add_an_owner_with_a_share(editor: Any, reference: Session) -> None:
    page = editor
    org_id = organization_id(reference, "UzAuto Motors")
    owner_id = organization_id(reference, "AVTOVAZ")
    page.goto(f"/organizations/{org_id}")
    page.get_by_role("link", name="Площадки, владельцы, объединения").click()
    page.wait_for_url(f"**/organizations/{org_id}/links")
    page.select_option("#f-ownership-owner_id", str(owner_id))
    page.fill("#f-ownership-share", "150")
    page.locator("#ownership").get_by_role("button", name="Добавить").click()
    message = page.locator(".field", has=page.locator("#f-ownership-share")).locator(".field-error")
    message.wait_for(state="visible")
    assert "100" in message.inner_text()
    assert page.locator("#f-ownership-share").input_value() == "150"
    page.fill("#f-ownership-share", "12,5")
    page.fill("#f-ownership-start", "2020-03-01")
    page.locator("#ownership").get_by_role("button", name="Добавить").click()
    page.wait_for_url(f"**/organizations/{org_id}/links#ownership")
    assert page.locator(".flash").inner_text().strip() == "Сохранено."
    row = page.locator("#ownership tr", has_text="AVTOVAZ")
    assert "12,5" in row.inner_text()
    page.goto(f"/organizations/{org_id}")
    assert "12,5" in page.locator("section[aria-labelledby=owners-title]").inner_text()
    reference.expire_all()
    owners = service.organization_detail(session=reference, actor=SYSTEM, organization_id=org_id).owners
    assert [str(o.share) for o in owners if o.owner.id == owner_id] == ["12.50"]


def test_merge_two_duplicates_and_undo_the_merge(editor: Any, reference: Session) -> None:
    page = editor
    a = make_org(reference, "Самаркандский Кузнечный Завод", kind="supplier", country="UZ").id
    b = make_org(reference, "Самаркандский Кузнечный Завод", kind="supplier").id
    reference.commit()
    page.goto("/duplicates")
    page.get_by_role(
        "link", name="Объединить: Самаркандский Кузнечный Завод и Самаркандский Кузнечный Завод"
    ).first.click()
    page.wait_for_url("**/duplicates/merge?*")
    page.locator(f"input[name=survivor_id][value='{b}']").check()
    page.get_by_role("button", name="Объединить").click()
    page.wait_for_url(f"**/organizations/{b}")
    assert page.locator(".flash").inner_text().strip() == "Сохранено."
    page.goto(f"/organizations/{a}")
    assert page.locator("h1").inner_text() == "Запись объединена с другой"
    page.get_by_role("button", name="Отменить объединение").click()
    page.wait_for_url(f"**/organizations/{a}")
    assert page.locator("h1").inner_text().startswith("Самаркандский Кузнечный Завод")
    reference.expire_all()
    assert (
        service.organization_detail(session=reference, actor=SYSTEM, organization_id=a).merged_into_id is None
    )
    assert service.organization_detail(session=reference, actor=SYSTEM, organization_id=b).country is None
