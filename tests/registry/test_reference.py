"""The shipped reference data loads, is sourced, and loads only once."""

from sqlalchemy import func, select

from cooplab.registry.models import Citation, Organization, Person, Place
from cooplab.registry.reference import load_reference
from cooplab.registry.search import search_names


def test_reference_loads_once_with_sources(session):
    first = load_reference(session=session)
    session.commit()
    assert first.organizations >= 20 and first.people >= 5 and first.places >= 16
    again = load_reference(session=session)
    session.commit()
    assert (again.organizations, again.people, again.places, again.sources) == (0, 0, 0, 0)
    assert session.scalar(select(func.count()).select_from(Organization)) == first.organizations
    uncited = session.scalars(
        select(Organization.name).where(
            ~Organization.id.in_(select(Citation.subject_id).where(Citation.subject_type == "organization"))
        )
    ).all()
    assert uncited == []


def test_reference_places_are_pinned(session):
    load_reference(session=session)
    asaka = session.scalar(select(Place).where(Place.geonames_id == 1513271))
    assert asaka is not None and asaka.country == "UZ"
    assert abs(asaka.latitude - 40.64153) < 1e-6


def test_issue_spellings_find_their_records(session):
    load_reference(session=session)
    session.commit()

    def top(query, etype="organization"):
        hits = [h for h in search_names(session=session, query=query) if h.type == etype]
        return [h.name for h in hits[:3]]

    for query in ["УзАвто Моторс", "uzauto motors", "UZ Auto Motors"]:
        assert top(query)[0] == "UzAuto Motors", query
    for query in ["O'zauto", "O‘zauto"]:
        assert "UzAuto Motors" in top(query), query
    assert top("Узавтосаноат")[0].lower().startswith("uzavtosanoat")
    assert top("UzAutoSanoat")[0].lower().startswith("uzavtosanoat")
    for query in ["Андижан", "Andijon", "Andizhan", "Андинжан"]:
        assert top(query, "place")[0] in {"Андижан", "Andijan"}, query
    assert top("Кластер АП")[0] == "Кластер автомобильной промышленности"
    assert top("Крайнов", "person")[0] == "Андрей Крайнов"
    assert top("Andersson Bo", "person")[0] == "Бу Инге Андерссон"
    assert session.scalar(select(func.count()).select_from(Person)) >= 5
