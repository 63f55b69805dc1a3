"""The reference mission report (read from shared/samples, never copied) comes out whole and linked."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cooplab.ingest import extract
from cooplab.registry.models import Organization, OrganizationName, Person, PersonName

PUBLISHED = date(2024, 3, 5)


def _org_id(session, name: str) -> int:
    return session.scalar(
        select(Organization.id).join(OrganizationName).where(OrganizationName.value == name)
    )


def _person_id(session, name: str) -> int:
    return session.scalar(select(Person.id).join(PersonName).where(PersonName.value == name))


@pytest.fixture
def result(registry_session, mission_report, models):
    return extract(
        mission_report, published=PUBLISHED, source="mission-report", session=registry_session, models=models
    )


def test_five_people_with_positions_and_ids(result, registry_session):
    cluster = _org_id(registry_session, "Кластер АП")
    lab = _org_id(registry_session, "Cooperation Lab")
    uzauto = _org_id(registry_session, "UzAuto Motors")
    expected = {
        "Дилмурад Юнусов": ("директор", lab),
        "Кандиёр Асадов": ("советник по развитию локализации и кооперации", lab),
        "Андрей Крайнов": ("генеральный директор", cluster),
        "Дмитрий Моисеенко": ("руководитель отдела международных проектов", cluster),
        "Бу Инге Андерссон": ("генеральный директор", uzauto),
    }
    people = {p.name: p for p in result.people}
    assert set(people) == set(expected)
    for name, (title, org_id) in expected.items():
        person = people[name]
        assert person.id == _person_id(registry_session, name)
        assert [(p.title, p.organization_id) for p in person.positions] == [(title, org_id)]
    assert "Бу Инге Андерссоном" in people["Бу Инге Андерссон"].mentions


def test_every_organization_linked_once(result, registry_session):
    names = [
        "Кластер АП",
        "UzAuto Motors",
        "Uzavtosanoat",
        "ADM Jizzakh",
        "Cooperation Lab",
        "Uz-Dong Won Co",
        "Avtokomponent",
        "Uz-Koram",
        "Uz-Tong Hong",
        "Uz Dong Yang",
        "Uz-Saemyung",
        "O'zAuto-Austem",
        "Uz-Hanwoo",
        "Erae Climate Control",
        "UzChasys",
        "Uzavto-INZI",
    ]
    expected_ids = {_org_id(registry_session, n) for n in names}
    ids = [o.id for o in result.organizations]
    assert None not in ids
    assert len(ids) == len(set(ids)), "one record, one entry"
    assert set(ids) == expected_ids
    # the text's 16 organizations are written at least 20 ways; every way comes out, on its record
    assert len({m for o in result.organizations for m in o.mentions}) >= 20
    by_id = {o.id: o for o in result.organizations}
    holding = by_id[_org_id(registry_session, "Uzavtosanoat")]
    assert {"UzAutoSanoat", "Узавтосаноат"} <= set(holding.mentions)
    cluster = by_id[_org_id(registry_session, "Кластер АП")]
    assert "Кластер АП" in cluster.mentions and "Кластера автомобильной промышленности" in cluster.mentions
    assert by_id[_org_id(registry_session, "Erae Climate Control")].mentions == ["Erae Climate Control"]


def test_places_linked_with_geonames(result):
    places = {p.name: p for p in result.places}
    for name, geonames_id in [
        ("Асака", 1513271),
        ("Андижан", 1514588),
        ("Наманган", 1513157),
        ("Ташкент", 1512569),
    ]:
        assert places[name].geonames_id == geonames_id
        assert places[name].country == "UZ" and places[name].id is not None
    assert places["Андижан"].mentions == ["Андинжан"]


def test_dates_and_the_range(result):
    dates = {(d.start, d.end) for d in result.dates}
    assert ("2024-02-27", "2024-03-02") in dates
    assert {("2024-02-28", None), ("2024-02-29", None), ("2024-03-01", None)} <= dates


def test_events(result):
    def find(kind, start, place):
        return [e for e in result.events if e.kind == kind and e.start == start and e.place == place]

    asaka = find("visit", "2024-02-28", "Асака")
    assert asaka and "UzAuto Motors" in asaka[0].organizations
    andijan, namangan = find("visit", "2024-02-29", "Андижан"), find("visit", "2024-02-29", "Наманган")
    assert andijan and {"O'zAuto-Austem", "Uz-Hanwoo", "Erae Climate Control"} <= set(
        andijan[0].organizations
    )
    assert namangan and namangan[0].organizations == ["UzChasys"]
    talks = find("meeting", "2024-03-01", "Ташкент")
    assert talks and "Uzavtosanoat" in talks[0].organizations
    assert not talks[0].date_inferred


def test_memorandum(result):
    memoranda = [a for a in result.agreements if a.kind == "memorandum"]
    assert len(memoranda) == 1
    assert set(memoranda[0].parties) == {"Кластер автомобильной промышленности", "Cooperation Lab"}
    assert memoranda[0].subject


def test_same_text_same_hash_and_result(result, registry_session, mission_report, models):
    again = extract(
        mission_report + "\n\n",
        published=PUBLISHED,
        source="mission-report",
        session=registry_session,
        models=models,
    )
    assert again.content_hash == result.content_hash and len(result.content_hash) == 64
    assert again == result


def test_without_a_registry_names_are_nominative(mission_report, models):
    result = extract(mission_report, published=PUBLISHED, models=models)
    people = {p.name for p in result.people}
    assert {
        "Андрей Крайнов",
        "Бу Инге Андерссон",
        "Дилмурад Юнусов",
        "Кандиёр Асадов",
        "Дмитрий Моисеенко",
    } <= people
    assert all(o.id is None for o in result.organizations)
    assert "Андинжан" in {p.name for p in result.places}
