"""From a text to records and back: ingest the mission report, accept it, write the report."""

from datetime import date

import pytest
from sqlalchemy import func, select

from cooplab.core.actor import SYSTEM
from cooplab.engagements.models import Agreement, Event, Mission
from cooplab.engagements.report import mission_report
from cooplab.errors import ConflictError
from cooplab.ingest import service
from cooplab.registry.models import Citation, Organization, Person
from cooplab.registry.reference import load_reference
from tests.ingest.conftest import MISSION_REPORT as SAMPLE


@pytest.fixture
def report_text():
    if not SAMPLE.is_file():
        pytest.skip(f"the sample report is not at {SAMPLE}")
    return SAMPLE.read_text(encoding="utf-8")


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_ingest_accept_and_report(session, report_text):
    load_reference(session=session)
    session.commit()
    orgs_before, people_before = count(session, Organization), count(session, Person)
    document, new = service.save_document(
        session=session,
        actor=SYSTEM,
        text=report_text,
        name="visit-uzbekistan.txt",
        published=date(2024, 3, 5),
    )
    session.commit()
    assert new and document.status == "draft"
    again, new_again = service.save_document(
        session=session, actor=SYSTEM, text=report_text + "\n", name="copy.txt", published=date(2024, 3, 5)
    )
    assert (again.id, new_again) == (document.id, False)

    accepted = service.accept_document(
        session=session, actor=SYSTEM, document_id=document.id, title="Деловой визит в Узбекистан"
    )
    session.commit()
    # everything in the text is in the registry already: nothing new, everything cited
    assert accepted.created == 0
    assert (count(session, Organization), count(session, Person)) == (orgs_before, people_before)
    cited = set(
        session.scalars(
            select(Citation.subject_id).where(
                Citation.subject_type == "organization", Citation.source_id == accepted.source_id
            )
        )
    )
    assert len(cited) >= 16
    mission = session.get(Mission, accepted.mission_id)
    assert (mission.start, mission.end) == (date(2024, 2, 27), date(2024, 3, 2))
    assert len(mission.participants) == 5
    days = {(e.kind, e.start) for e in session.scalars(select(Event).where(Event.mission_id == mission.id))}
    assert ("visit", date(2024, 2, 28)) in days and ("meeting", date(2024, 3, 1)) in days
    memorandum = session.scalar(select(Agreement).where(Agreement.mission_id == mission.id))
    assert memorandum.kind == "memorandum" and len(memorandum.parties_) == 2

    with pytest.raises(ConflictError):
        service.accept_document(session=session, actor=SYSTEM, document_id=document.id)

    text = mission_report(session=session, actor=SYSTEM, mission_id=mission.id, lang="ru")
    assert "С 27 февраля по 2 марта 2024\u00a0г.\n" in text and "Асака" in text and "Меморандум" in text
    english = mission_report(session=session, actor=SYSTEM, mission_id=mission.id, lang="en")
    assert "Asaka" in english and "Memorandum between" in english


def test_reviewer_removes_and_edits_before_accepting(session):
    load_reference(session=session)
    text = (
        "12 мая 2025 года в Тольятти состоялись переговоры компании «Тольяттинский штамп» "
        "с АВТОВАЗом о поставках штампованных деталей."
    )
    document, _ = service.save_document(
        session=session, actor=SYSTEM, text=text, name="note.txt", published=date(2025, 5, 20)
    )
    from cooplab.ingest.schemas import IngestResult

    reviewed = IngestResult.model_validate(document.result)
    unknown = [o for o in reviewed.organizations if o.id is None]
    assert unknown, reviewed.organizations
    unknown[0].kind = "supplier"
    reviewed.people = []
    accepted = service.accept_document(
        session=session, actor=SYSTEM, document_id=document.id, result=reviewed
    )
    assert accepted.created >= 1
    created = session.get(Organization, accepted.organizations[unknown[0].name])
    assert created.kind == "supplier"


def test_a_reviewed_result_that_breaks_a_rule_is_refused_whole(session):
    from cooplab.errors import InvalidInputError

    load_reference(session=session)
    text = "12 мая 2025 года в Тольятти состоялись переговоры компании «Тольяттинский штамп» с АВТОВАЗом."
    document, _ = service.save_document(
        session=session, actor=SYSTEM, text=text, name="note.txt", published=date(2025, 5, 20)
    )
    session.commit()
    before = count(session, Organization), count(session, Mission)
    broken = document.result.model_copy(deep=True)
    broken.organizations[0].id, broken.organizations[0].name = None, ""
    with pytest.raises(InvalidInputError) as refused:
        service.accept_document(session=session, actor=SYSTEM, document_id=document.id, result=broken)
    assert refused.value.details[0]["loc"][:3] == ["result", "organizations", 0]
    session.rollback()
    odd_event = document.result.model_copy(deep=True)
    odd_event.events[0].kind, odd_event.events[0].summary, odd_event.events[0].start = "", "", "not a date"
    with pytest.raises(InvalidInputError) as refused:
        service.accept_document(session=session, actor=SYSTEM, document_id=document.id, result=odd_event)
    assert refused.value.details[0]["loc"][:3] == ["result", "events", 0]
    session.rollback()
    assert (count(session, Organization), count(session, Mission)) == before
