"""The lists of missions and of next steps tell a signed-in reader how many more records exist
that their visibility keeps from them (never a visitor, never counted for an admin)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import ActionItemCreate, MissionCreate
from tests.html import parse
from tests.webkit import organization_id


def _records(reference: Session) -> None:
    """Two missions and three steps of AVTOVAZ alone, one mission and one step every member reads."""
    avtovaz = organization_id(reference, "AVTOVAZ")
    for title in ("Переговоры о фарах", "Переговоры о бамперах"):
        engagements.create_mission(
            session=reference,
            actor=SYSTEM,
            data=MissionCreate(title=title, organization_ids=[avtovaz], visibility="parties"),
        )
    engagements.create_mission(
        session=reference, actor=SYSTEM, data=MissionCreate(title="Визит в Ташкент", visibility="members")
    )
    for title in ("Выслать чертежи", "Выслать образцы", "Согласовать цены"):
        engagements.create_action_item(
            session=reference,
            actor=SYSTEM,
            data=ActionItemCreate(title=title, responsible_organization_id=avtovaz, visibility="parties"),
        )
    engagements.create_action_item(
        session=reference,
        actor=SYSTEM,
        data=ActionItemCreate(title="Подготовить отчёт", visibility="members"),
    )
    reference.commit()


def _note(client: TestClient, url: str, **params: str) -> str | None:
    found = parse(client.get(url, params=params).text).find_all("p", id="hidden-rows")
    return found[0].text.strip() if found else None


def test_the_missions_list_says_how_many_missions_are_hidden(
    signed_in: Any, client: TestClient, reference: Session
) -> None:
    _records(reference)
    member = signed_in("member")
    assert _note(member, "/missions") == "Ещё 2 миссии скрыты от вас настройкой видимости."
    assert _note(member, "/missions", lang="en") == "2 more missions are not shown to you (their visibility)."
    # the AVTOVAZ member is a party: nothing is hidden; nor from an admin; a visitor is told nothing
    assert _note(signed_in("member_other"), "/missions") is None
    assert _note(signed_in("admin"), "/missions") is None
    assert _note(client, "/missions") is None


def test_the_steps_list_says_how_many_steps_are_hidden(signed_in: Any, reference: Session) -> None:
    _records(reference)
    member = signed_in("member")
    assert _note(member, "/steps", all="1") == "Ещё 3 следующих шага скрыты от вас настройкой видимости."
    assert _note(member, "/steps", all="1", lang="en") == (
        "3 more next steps are not shown to you (their visibility)."
    )
    assert _note(signed_in("member_other"), "/steps", all="1") is None
