"""Schemathesis against our own OpenAPI description, signed in as an administrator and as a member
of an organization: generated requests never give a 5xx, and every answer conforms to the
description. Over 5,000 requests a run, on each database the suite runs on.

Two of its checks are left out on purpose: `positive_data_acceptance` (a request valid by the
schema must succeed) cannot hold where rules go beyond what OpenAPI says (INN check digits, ISO
country codes, an organization owning itself), and `negative_data_rejection` (anything off the
schema must fail) does not hold where input is lenient on purpose ("2" for 2 in a tier).
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from cooplab.app import create_app
from cooplab.db.migrate import upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.registry.reference import load_reference
from cooplab.settings import Settings
from tests.conftest import fresh_database_url
from tests.factories import make_org, make_token, make_user

EXAMPLES = {"admin": 40, "member": 15}  # per operation; each example may make several requests
CALLS: dict[str, list[int]] = {"admin": [], "member": []}


def _app():
    import tempfile
    from pathlib import Path

    url = fresh_database_url(None)
    if url == "sqlite://":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'schemathesis.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        load_reference(session=session)
        tokens = {"admin": make_token(session, make_user(session, "admin", email="fuzz@example.org"))}
        member = make_org(session, "Fuzz Components LLC", kind="supplier")
        tokens["member"] = make_token(
            session, make_user(session, "member", organization_id=member.id, email="member@example.org")
        )
        session.commit()
    return create_app(Settings(database_url=url, env="test")), tokens


APP, TOKENS = _app()
# revoking tokens and disabling users would lock the fuzzer out; tests/api/test_access.py covers them
schema = (
    schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
    .exclude(path="/api/v1/tokens/{token_id}", method="DELETE")
    .exclude(path="/api/v1/users/{user_id}/disable")
)


def _check(case, who: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {TOKENS[who]}"})
    CALLS[who].append(response.status_code)
    case.validate_response(response, excluded_checks=[positive_data_acceptance, negative_data_rejection])


@schema.parametrize()
@settings(max_examples=EXAMPLES["admin"], deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_as_an_administrator(case):
    _check(case, "admin")


@schema.parametrize()
@settings(max_examples=EXAMPLES["member"], deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests_as_a_member(case):
    _check(case, "member")


def test_over_five_thousand_requests_were_made_and_none_failed_on_the_server():
    made = {who: len(codes) for who, codes in CALLS.items()}
    assert sum(made.values()) >= 5000 and min(made.values()) >= 1000, made
    assert not [s for codes in CALLS.values() for s in codes if s >= 500]
