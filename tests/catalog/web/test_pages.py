"""Vehicle pages in both languages: the list, the BOM tree with sourcing, the level by method,
the illustrative mark on the demo, and no prices for a competitor."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.service import load_demo
from cooplab.core.actor import SYSTEM


@pytest.fixture
def demo(reference: Session) -> Session:
    load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def test_the_vehicle_pages_answer_in_both_languages(signed_in: Any, demo: Session) -> None:
    client = signed_in("member")
    marks = {"ru": "Иллюстративные данные", "en": "Illustrative"}
    for lang in ("ru", "en"):
        listed = client.get("/vehicles", params={"lang": lang})
        assert listed.status_code == 200 and DEMO_CODE in listed.text
        detail = client.get(f"/vehicles/{DEMO_CODE}", params={"lang": lang})
        assert detail.status_code == 200 and marks[lang] in detail.text
        assert "Uz-Tong Hong Co" in detail.text and "padding-left: 1.75rem" in detail.text  # depth 1
        for method in ("uz_cost_share", "cis_origin", "ru_719_points"):
            level = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": lang, "method": method})
            assert level.status_code == 200 and marks[lang] in level.text, method
    ru = client.get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "ru"}).text
    assert "сум" in ru and "Доля местных затрат" in ru


def test_a_competitor_sees_the_bill_without_its_prices(signed_in: Any, demo: Session) -> None:
    own = signed_in("member").get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"}).text
    rival = signed_in("member_other").get(f"/vehicles/{DEMO_CODE}", params={"lang": "en"})
    assert rival.status_code == 200
    assert "Uz-Tong Hong Co" in own and "Uz-Tong Hong Co" not in rival.text
    missing = signed_in("member_other").get(f"/vehicles/{DEMO_CODE}/level", params={"lang": "en"}).text
    assert "have no source" in missing


def test_an_unknown_vehicle_is_a_polite_404(signed_in: Any, demo: Session) -> None:
    assert signed_in("member").get("/vehicles/NOPE", params={"lang": "en"}).status_code == 404
