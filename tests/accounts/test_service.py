"""Accounts' services check the actor: only admins manage users and read the audit log, anyone
signed in manages their own tokens, and every answer is a public shape (never a secret)."""

from __future__ import annotations

import pytest

from cooplab.accounts import audit
from cooplab.accounts import service as accounts
from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.schemas import TokenCreate, UserCreate
from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError
from tests.factories import make_org, make_user


def actor_for(user) -> Actor:
    return Actor(
        user_id=user.id, label=user.email, role=Role(user.role), organization_id=user.organization_id
    )


def test_only_an_admin_adds_and_disables_users(session):
    analyst = actor_for(make_user(session, "analyst"))
    data = UserCreate(email="new@example.org", name="New", password="long enough password", role="viewer")
    with pytest.raises(ForbiddenError):
        accounts.create_user(session=session, actor=analyst, data=data)
    user = accounts.create_user(session=session, actor=SYSTEM, data=data)
    assert user.email == "new@example.org" and not hasattr(user, "password_hash")
    with pytest.raises(ForbiddenError):
        accounts.disable_user(session=session, actor=analyst, user_id=user.id)
    assert accounts.disable_user(session=session, actor=SYSTEM, user_id=user.id).is_active is False


def test_users_are_checked_and_each_problem_has_a_code(session):
    org = make_org(session)
    make_user(session, "viewer", email="taken@example.org")
    with pytest.raises(ConflictError) as taken:
        accounts.create_user(
            session=session,
            actor=SYSTEM,
            data=UserCreate(
                email="Taken@example.org", name="X", password="long enough password", role="viewer"
            ),
        )
    assert taken.value.details[0]["code"] == "email_taken"
    with pytest.raises(InvalidInputError) as member:
        accounts.create_user(
            session=session,
            actor=SYSTEM,
            data=UserCreate(email="m@example.org", name="M", password="long enough password", role="member"),
        )
    assert member.value.details[0]["code"] == "member_organization"
    user = accounts.create_user(
        session=session,
        actor=SYSTEM,
        data=UserCreate(
            email="m@example.org",
            name="M",
            password="long enough password",
            role="member",
            organization_id=org.id,
        ),
    )
    assert user.organization_id == org.id


def test_tokens_are_ones_own(session):
    viewer, other = make_user(session, "viewer"), make_user(session, "viewer", email="other@example.org")
    me = actor_for(viewer)
    raw, token = accounts.create_token(session=session, actor=me, data=TokenCreate(name="laptop"))
    assert raw.startswith(accounts.TOKEN_PREFIX) and token.prefix == raw[:10]
    assert [t.id for t in accounts.list_tokens(session=session, actor=me, user_id=viewer.id)] == [token.id]
    with pytest.raises(ForbiddenError):
        accounts.list_tokens(session=session, actor=me, user_id=other.id)
    with pytest.raises(ForbiddenError):
        accounts.create_token(session=session, actor=me, data=TokenCreate(name="x"), user_id=other.id)
    with pytest.raises(NotFoundError):
        accounts.revoke_token(session=session, actor=actor_for(other), token_id=token.id)
    assert accounts.revoke_token(session=session, actor=me, token_id=token.id).revoked_at is not None
    with pytest.raises(UnauthorizedError):
        accounts.create_token(
            session=session, actor=Actor(user_id=None, label="cli", role=None), data=TokenCreate(name="x")
        )


def test_the_audit_log_is_for_admins_and_filters(session):
    make_user(session, "analyst")
    session.commit()
    analyst = actor_for(make_user(session, "analyst", email="a2@example.org"))
    with pytest.raises(ForbiddenError):
        audit.list_entries(session=session, actor=analyst)
    users = audit.list_entries(session=session, actor=SYSTEM, filters=AuditFilter(entity_type="users"))
    assert users.count >= 1 and all(e.entity_type == "users" for e in users.data)
    assert all("password_hash" not in (e.after or {}) for e in users.data)
    assert audit.export_csv(session=session, actor=SYSTEM).startswith("\ufeffid,at,actor".encode())


def test_audit_csv_export_neutralises_formulas(session):
    import csv
    import io

    from cooplab.core.audit import use_actor

    use_actor(session, Actor(user_id=None, label='=HYPERLINK("http://evil.example")', role=Role.ADMIN))
    make_org(session, "Ромашка")
    session.commit()
    text = audit.export_csv(session=session, actor=SYSTEM).decode("utf-8-sig")
    actors = {row["actor"] for row in csv.DictReader(io.StringIO(text))}
    assert '\'=HYPERLINK("http://evil.example")' in actors
    assert not any(a.startswith("=") for a in actors)
