"""Two people edit the same organization at once: the second save is refused, nothing is lost."""

import pytest

from cooplab.core.actor import SYSTEM
from cooplab.db.session import session_factory
from cooplab.errors import StaleVersionError
from cooplab.registry import service
from cooplab.registry.schemas import OrganizationUpdate
from tests.factories import make_org


def test_second_concurrent_edit_is_refused(engine, session):
    org = make_org(session)
    session.commit()
    first = session_factory(engine)()
    second = session_factory(engine)()
    try:
        a = service.get_organization(session=first, organization_id=org.id)
        b = service.get_organization(session=second, organization_id=org.id)
        assert a.version == b.version == 1
        service.update_organization(
            session=first,
            actor=SYSTEM,
            organization_id=org.id,
            data=OrganizationUpdate(version=1, website="https://first.uz"),
        )
        first.commit()
        with pytest.raises(StaleVersionError):
            # `second` still holds version 1 in memory: the database refuses the UPDATE itself
            service.update_organization(
                session=second,
                actor=SYSTEM,
                organization_id=org.id,
                data=OrganizationUpdate(version=1, website="https://second.uz"),
            )
    finally:
        first.close()
        second.close()
    session.expire_all()
    assert service.get_organization(session=session, organization_id=org.id).website == "https://first.uz"
