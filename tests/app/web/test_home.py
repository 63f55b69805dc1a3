"""The home page of a signed-in reader: their missions (coming ones first), their open next
steps (overdue ones first), the drafts waiting for their review, and the recent changes; a
visitor keeps the registry's start page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, Role
from cooplab.core.audit import use_actor
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import ActionItemCreate, MissionCreate
from cooplab.ingest import service as ingest
from tests.html import parse

TODAY = date.today()


def _as(user: Any) -> Actor:
    return Actor(
        user_id=user.id, label=user.email, role=Role(user.role), organization_id=user.organization_id
    )


def _desk(reference: Session, analyst: Any) -> dict[str, int]:
    """An analyst's missions (past and coming), steps (one overdue, one due later) and a draft."""
    actor = _as(analyst)
    use_actor(reference, actor)
    past = engagements.create_mission(
        session=reference,
        actor=actor,
        data=MissionCreate(
            title="Визит в Андижан", start=TODAY - timedelta(days=60), end=TODAY - timedelta(days=55)
        ),
    )
    coming = engagements.create_mission(
        session=reference,
        actor=actor,
        data=MissionCreate(title="Переговоры в Ташкенте", start=TODAY + timedelta(days=10)),
    )
    later = engagements.create_action_item(
        session=reference,
        actor=actor,
        data=ActionItemCreate(
            title="Подготовить спецификацию", due=TODAY + timedelta(days=5), mission_id=coming.id
        ),
    )
    late = engagements.create_action_item(
        session=reference,
        actor=actor,
        data=ActionItemCreate(
            title="Отправить список деталей", due=TODAY - timedelta(days=3), mission_id=past.id
        ),
    )
    draft, _ = ingest.save_document(
        session=reference,
        actor=actor,
        text="Делегация кластера посетила завод UzAuto Motors в Асаке 5 марта 2024 года.",
        name="visit-asaka.txt",
    )
    reference.commit()
    return {"past": past.id, "coming": coming.id, "later": later.id, "late": late.id, "draft": draft.id}


def test_a_staff_home_page_shows_the_readers_desk(
    signed_in: Any, users: dict[str, Any], reference: Session
) -> None:
    made = _desk(reference, users["analyst"])
    doc = parse(signed_in("analyst").get("/").text)
    missions = doc.find("section", **{"aria-labelledby": "home-missions-title"})
    assert [a.text for a in missions.find_all("a") if a.attrs["href"].startswith("/missions/")] == [
        "Переговоры в Ташкенте",  # the coming one first
        "Визит в Андижан",
    ]
    steps = doc.find("section", **{"aria-labelledby": "home-steps-title"})
    items = steps.find("ul", class_="home-list").find_all("li")
    assert "Отправить список деталей" in items[0].text and "просрочено" in items[0].text  # overdue first
    assert "Подготовить спецификацию" in items[1].text and "просрочено" not in items[1].text
    assert "1 шаг просрочен" in steps.find("p", class_="alert").text
    drafts = doc.find("section", **{"aria-labelledby": "home-drafts-title"})
    assert drafts.find("a", href=f"/ingest/{made['draft']}")
    # the registry's start page stays below: counts and recent changes
    assert doc.find("div", class_="stats") and doc.find("section", **{"aria-labelledby": "recent-title"})

    english = parse(signed_in("analyst").get("/?lang=en").text)
    assert english.find("h2", id="home-missions-title").text.startswith("My missions")
    assert "1 step is overdue" in english.find("section", **{"aria-labelledby": "home-steps-title"}).text


def test_a_member_sees_their_part_and_a_visitor_the_start_page(
    signed_in: Any, client: Any, users: dict[str, Any], reference: Session
) -> None:
    _desk(reference, users["analyst"])
    member = parse(signed_in("member").get("/").text)
    missions = member.find("section", **{"aria-labelledby": "home-missions-title"})
    assert "Переговоры в Ташкенте" not in missions.text  # not theirs
    assert missions.find("p", class_="empty")
    assert not member.find_all("section", **{"aria-labelledby": "home-drafts-title"})  # members do not ingest
    visitor = parse(client.get("/").text)
    assert not visitor.find_all("div", class_="home-grid")
    assert visitor.find("div", class_="stats")
