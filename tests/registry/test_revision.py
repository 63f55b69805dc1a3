"""The registry's stamps move with every kind of write, and only the stamps that must."""

from sqlalchemy import insert, update

from cooplab.core.actor import SYSTEM
from cooplab.core.revision import current
from cooplab.registry.models import Organization, OrganizationName, Site, Stamp
from cooplab.registry.schemas import SiteCreate
from cooplab.registry.service import add_site
from tests.factories import make_org, make_place


def stamps(session):
    return current(session, Stamp.NAMES), current(session, Stamp.RECORDS)


def test_a_new_name_moves_both_stamps(session):
    assert stamps(session) == ("", "")
    make_org(session)
    session.commit()
    names, records = stamps(session)
    assert names and records


def test_a_site_moves_records_but_not_names(session):
    org, place = make_org(session), make_place(session)
    session.commit()
    names, records = stamps(session)
    add_site(session=session, actor=SYSTEM, organization_id=org.id, data=SiteCreate(place_id=place.id))
    session.commit()
    assert session.query(Site).count() == 1
    assert stamps(session)[0] == names
    assert stamps(session)[1] != records


def test_bulk_statements_move_the_stamps(session):
    org = make_org(session)
    session.commit()
    before = stamps(session)
    session.execute(
        insert(OrganizationName),
        [{"organization_id": org.id, "value": "УзАвто", "script": "cyrillic", "key": "uzavto"}],
    )
    session.commit()
    after_insert = stamps(session)
    assert after_insert[0] != before[0] and after_insert[1] != before[1]
    session.execute(
        update(Organization).where(Organization.id == org.id).values(website="https://uzautomotors.com")
    )
    session.commit()
    assert stamps(session)[1] != after_insert[1]


def test_a_rolled_back_write_leaves_the_stamps(session):
    make_org(session)
    session.commit()
    before = stamps(session)
    make_org(session, "ADM Jizzakh")
    session.flush()
    session.rollback()
    assert stamps(session) == before
