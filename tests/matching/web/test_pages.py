"""The page of a need in both languages: the need, its ranked suppliers with their reasons, the
illustrative mark; a hidden need answers as one that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.matching import service


@pytest.fixture
def demo(reference: Session) -> Session:
    service.load_demo(session=reference, actor=SYSTEM)
    reference.commit()
    return reference


def test_a_need_with_its_suppliers_in_both_languages(signed_in: Any, demo: Session) -> None:
    need = service.need_detail(session=demo, actor=SYSTEM, key="N01")
    client = signed_in("member")
    marks = {
        "ru": ("Иллюстративные данные", "ТН ВЭД 8708.70, точно"),
        "en": ("Illustrative", "HS 8708.70, exact"),
    }
    for lang, (mark, reason) in marks.items():
        page = client.get(f"/needs/{need.id}", params={"lang": lang})
        assert page.status_code == 200 and mark in page.text and reason in page.text
        assert {"ru": "штамповка, сварка", "en": "stamping, welding"}[lang] in page.text
        assert "O&#39;zAuto-Austem" in page.text or "O'zAuto-Austem" in page.text
        assert "<dd>8708.70</dd>" in page.text and "870870" not in page.text  # as the nomenclature prints it
    assert client.get("/needs/999999").status_code == 404
    assert client.get("/needs/nope").status_code in (404, 422)


def test_a_need_of_its_organization_only_is_not_shown_to_others(signed_in: Any, demo: Session) -> None:
    need = service.need_detail(session=demo, actor=SYSTEM, key="N01")
    row = demo.get(service.models.Need, need.id)
    row.visibility = "organization"
    demo.commit()
    assert signed_in("member").get(f"/needs/{need.id}").status_code == 200  # UzAuto's own
    assert signed_in("member_other").get(f"/needs/{need.id}").status_code == 404
