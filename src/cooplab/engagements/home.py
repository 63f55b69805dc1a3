"""This domain's part of a signed-in reader's home page: their missions and their open next
steps, the overdue ones first."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.domain import PageSection
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter
from cooplab.vocab.choices import ActionStatus

#: The most missions and steps the home page lists (the full lists are a link away).
HOME_LIMIT = 8


def home_section(*, session: Session, actor: Actor, lang: str) -> PageSection:
    """My missions (coming ones first) and my open next steps (overdue ones first), as the
    /missions and /steps pages would show them to the reader."""
    steps = service.list_action_items(
        session=session,
        actor=actor,
        filters=ActionItemFilter(status=ActionStatus.OPEN, mine=True),
        limit=HOME_LIMIT,
        lang=lang,
    )
    return PageSection(
        "engagements/_home.html",
        {
            "missions": service.my_missions(session=session, actor=actor, limit=HOME_LIMIT),
            "steps": steps.data,
            "steps_count": steps.count,
            "overdue": sum(1 for s in steps.data if s.overdue),
        },
    )
