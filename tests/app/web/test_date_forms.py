"""The web's forms post dates as text: a date written YYYY-MM-DD is taken, a number in a date
field ("0", seconds since 1970) is shown again at its field in the reader's language, never
stored as a day of 1970."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.filters import PersonFilter
from tests.html import parse
from tests.registry.web.test_forms import error_at, form_fields


def test_a_number_in_a_date_field_is_shown_at_its_field_and_a_date_is_taken(
    signed_in: Any, reference: Session
) -> None:
    analyst = signed_in("analyst")
    person = service.list_people(
        session=reference, actor=SYSTEM, filters=PersonFilter(q="Крайнов"), limit=1
    ).data[0]
    data = form_fields(parse(analyst.get(f"/people/{person.id}/edit").text))
    for number in ("0", "1700000000", "20240517"):
        data.update({"positions-0-start": number, "positions-0-end": ""})
        answer = analyst.post(f"/people/{person.id}/edit", data=data)
        assert answer.status_code == 422, number
        assert "ГГГГ-ММ-ДД" in error_at(parse(answer.text), "positions-0-start"), number
    english = analyst.post(f"/people/{person.id}/edit?lang=en", data=data)
    assert "YYYY-MM-DD" in error_at(parse(english.text), "positions-0-start")
    data["positions-0-start"] = "2019-05-17"
    assert analyst.post(f"/people/{person.id}/edit", data=data).status_code == 303
    reference.expire_all()
    starts = [
        p.start for p in service.person_detail(session=reference, actor=SYSTEM, person_id=person.id).positions
    ]
    assert "2019-05-17" in [s.isoformat() for s in starts if s]
