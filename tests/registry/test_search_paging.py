"""Lists filtered with `q` count and page every match, however many, in search order."""

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.models import Organization, OrganizationName, Person, PersonName, Place, PlaceName
from cooplab.registry.schemas import NameIn
from tests.factories import make_org

MANY = 340  # more than the few hundred the search re-scores for its own answers


def _bulk(session, model, name_model, names, **extra):
    for name in names:
        session.add(model(name=name, names=service.name_rows(name_model, [NameIn(value=name)]), **extra))
    session.flush()


def _all_pages(session, list_fn, filters, size):
    first = list_fn(session=session, actor=SYSTEM, filters=filters, offset=0, limit=size)
    rows = list(first.data)
    for offset in range(size, first.count, size):
        rows += list_fn(session=session, actor=SYSTEM, filters=filters, offset=offset, limit=size).data
    return first.count, rows


def test_organizations_q_counts_and_pages_past_the_search_cap(session):
    make_org(session, "Orion Tractor Works")  # the best match leads every order
    _bulk(
        session, Organization, OrganizationName, [f"Orion Tractor {n:04d}" for n in range(MANY)], kind="oem"
    )
    make_org(session, "Unrelated Bakery")
    session.commit()
    count, rows = _all_pages(
        session, service.list_organizations, OrganizationFilter(q="orion tractor works"), 100
    )
    assert count == MANY + 1
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)) == MANY + 1
    assert rows[0].name == "Orion Tractor Works"
    deep = service.list_organizations(
        session=session,
        actor=SYSTEM,
        filters=OrganizationFilter(q="orion tractor works"),
        offset=320,
        limit=25,
    )
    assert deep.count == MANY + 1 and [r.id for r in deep.data] == ids[320:345]


def test_people_and_places_q_count_and_page_every_match(session):
    _bulk(session, Person, PersonName, [f"Ivan Petrov {n:04d}" for n in range(MANY)])
    _bulk(session, Place, PlaceName, [f"Navoi Zone {n:04d}" for n in range(MANY)], country="UZ", kind="city")
    session.commit()
    for list_fn, filters in (
        (service.list_people, PersonFilter(q="ivan petrov")),
        (service.list_places, PlaceFilter(q="navoi zone")),
    ):
        count, rows = _all_pages(session, list_fn, filters, 100)
        assert count == MANY
        assert len({r.id for r in rows}) == MANY
        deep = list_fn(session=session, actor=SYSTEM, filters=filters, offset=310, limit=20)
        assert [r.id for r in deep.data] == [r.id for r in rows[310:330]]
