"""Users, passwords, API tokens and web sessions. Passwords are hashed with argon2; tokens and
session ids are random, shown once, and stored as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from cooplab.accounts.models import ApiToken, LoginFailure, User, WebSession
from cooplab.accounts.schemas import TokenCreate, TokenPublic, UserCreate, UserPublic
from cooplab.core.actor import Actor, Permission, Role
from cooplab.core.records import get_or_404
from cooplab.db.base import utcnow
from cooplab.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    TooManyAttemptsError,
    UnauthorizedError,
    field_error,
)
from cooplab.registry.models import Organization
from cooplab.settings import Settings, get_settings

_hasher = PasswordHasher()
TOKEN_PREFIX = "cl_"


def _keyed_hash(secret: str, settings: Settings | None) -> str:
    key = (settings or get_settings()).secret_key.encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# ---------------------------------------------------------------- users


def create_user(*, session: Session, actor: Actor, data: UserCreate) -> UserPublic:
    """A new user (admins only); the e-mail is unique, a member must belong to an organization."""
    actor.require(Permission.ADMINISTER)
    user = _new_user(session, data)
    return UserPublic.model_validate(user)


def _new_user(session: Session, data: UserCreate) -> User:
    email = data.email.lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ConflictError(
            f"a user with e-mail {email} already exists",
            details=[field_error(["email"], "already registered", "email_taken")],
        )
    if data.organization_id is not None and session.get(Organization, data.organization_id) is None:
        raise InvalidInputError(
            f"organization {data.organization_id} does not exist",
            details=[field_error(["organization_id"], "no such organization", "org_missing")],
        )
    if data.role == Role.MEMBER and data.organization_id is None:
        raise InvalidInputError(
            "a member belongs to an organization",
            details=[field_error(["organization_id"], "required for members", "member_organization")],
        )
    user = User(
        email=email,
        name=data.name,
        password_hash=hash_password(data.password),
        role=data.role.value,
        organization_id=data.organization_id,
    )
    session.add(user)
    session.flush()
    return user


def list_users(*, session: Session, actor: Actor) -> list[UserPublic]:
    """Every user, by e-mail (admins only)."""
    actor.require(Permission.ADMINISTER)
    return [UserPublic.model_validate(u) for u in session.scalars(select(User).order_by(User.email))]


def get_user(*, session: Session, actor: Actor, user_id: int) -> UserPublic:
    """A user: oneself, or anyone for an admin."""
    if actor.user_id != user_id:
        actor.require(Permission.ADMINISTER)
    return UserPublic.model_validate(get_or_404(session, User, user_id, "user"))


def find_user(*, session: Session, actor: Actor, email: str) -> UserPublic:
    """The user with this e-mail (admins only)."""
    actor.require(Permission.ADMINISTER)
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFoundError(f"no user with e-mail {email}", reason="no_such_user", email=email)
    return UserPublic.model_validate(user)


def disable_user(*, session: Session, actor: Actor, user_id: int) -> UserPublic:
    """Disable a user: every session and token of theirs stops working at once."""
    actor.require(Permission.ADMINISTER)
    user = get_or_404(session, User, user_id, "user")
    user.is_active = False
    now = utcnow()
    for web in session.scalars(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.revoked_at.is_(None))
    ):
        web.revoked_at = now
    session.flush()
    return UserPublic.model_validate(user)


def ensure_admin(*, session: Session) -> tuple[User, str] | None:
    """On a database with no users, create a local admin with a generated password.
    Returns the user and the password (shown once), or None if users exist."""
    if session.scalar(select(func.count()).select_from(User)):
        return None
    password = generate_password()
    user = _new_user(
        session, UserCreate(email="admin@localhost", name="Administrator", password=password, role=Role.ADMIN)
    )
    return user, password


def demo_admin(*, session: Session, actor: Actor) -> list[str]:
    """`cooplab demo`: the first administrator of an empty database, its password shown once."""
    actor.require(Permission.ADMINISTER)
    made = ensure_admin(session=session)
    if made is None:
        return []
    user, password = made
    return [
        f"created the administrator {user.email} with the password {password}",
        "  (shown this once: write it down; `cooplab user add` creates more users)",
    ]


def actor_of(user: User, *, can_write: bool = True) -> Actor:
    return Actor(
        user_id=user.id,
        label=user.email,
        role=Role(user.role),
        organization_id=user.organization_id,
        can_write=can_write,
    )


# ---------------------------------------------------------------- sign-in


def _count_attempt(session: Session, keys: list[str], settings: Settings) -> int:
    """Count this sign-in before its password is checked: the most attempts under one of `keys`
    in the window, this one included. The attempt is written first, in a short transaction of its
    own committed at once, and counted after, so attempts made at the same moment count each
    other: of a burst, only as many as the limit reach the password check. An attempt that
    succeeds clears the count; the others stay as failures."""
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    counting = (
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.key == bindparam("key"), LoginFailure.at >= since)
    )
    rows = [{"key": key, "at": utcnow()} for key in keys]
    engine = session.get_bind().engine
    if isinstance(engine.pool, StaticPool):  # one in-memory connection: the request's own
        session.execute(insert(LoginFailure), rows)
        return max(session.scalar(counting, {"key": key}) or 0 for key in keys)
    with engine.begin() as connection:
        connection.execute(insert(LoginFailure), rows)
    with engine.connect() as connection:
        return max(connection.scalar(counting, {"key": key}) or 0 for key in keys)


def authenticate(
    *, session: Session, email: str, password: str, address: str = "", settings: Settings | None = None
) -> User:
    """The user with this e-mail and password. Repeated failures for an e-mail or an address
    are refused for a while, whatever the password (brute force)."""
    email = email.strip().lower()
    keys = [f"email:{email}", f"addr:{address}"] if address else [f"email:{email}"]
    if _count_attempt(session, keys, settings := settings or get_settings()) > settings.login_max_failures:
        raise TooManyAttemptsError("too many failed sign-ins; wait a few minutes and try again")
    user = session.scalar(select(User).where(User.email == email))
    ok = False
    if user is not None and user.is_active:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # same work either way: no timing hint that the e-mail exists
    if not ok:  # the attempt is counted already
        raise UnauthorizedError("wrong e-mail or password")
    session.execute(delete(LoginFailure).where(LoginFailure.key.in_(keys)))
    assert user is not None  # the password matched a user's
    user.last_login_at = utcnow()
    session.flush()
    return user


def start_web_session(
    *, session: Session, user: User, settings: Settings | None = None
) -> tuple[str, WebSession]:
    """A new browser session; returns the cookie value (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    settings = settings or get_settings()
    web = WebSession(
        session_hash=_keyed_hash(raw, settings),
        csrf_token=secrets.token_urlsafe(32),
        user_id=user.id,
        expires_at=utcnow() + timedelta(hours=settings.session_hours),
    )
    session.add(web)
    session.flush()
    return raw, web


def resolve_web_session(*, session: Session, raw: str, settings: Settings | None = None) -> WebSession | None:
    """The live session of a cookie value, or None (unknown, expired, revoked, user disabled)."""
    web = session.scalar(select(WebSession).where(WebSession.session_hash == _keyed_hash(raw, settings)))
    if web is None or web.revoked_at is not None or web.expires_at < utcnow() or not web.user.is_active:
        return None
    return web


def end_web_session(*, session: Session, raw: str, settings: Settings | None = None) -> None:
    """Sign out: the cookie stops working at once."""
    web = session.scalar(select(WebSession).where(WebSession.session_hash == _keyed_hash(raw, settings)))
    if web is not None and web.revoked_at is None:
        web.revoked_at = utcnow()
        session.flush()


# ---------------------------------------------------------------- API tokens


def create_token(
    *,
    session: Session,
    actor: Actor,
    data: TokenCreate,
    user_id: int | None = None,
    settings: Settings | None = None,
) -> tuple[str, TokenPublic]:
    """A new API token of the actor's own (an admin: of any user's); the plain token is returned
    once and never stored."""
    user_id = actor.user_id if user_id is None else user_id
    if user_id is None:
        raise UnauthorizedError("sign in first")
    if user_id != actor.user_id:
        actor.require(Permission.ADMINISTER)
    user = get_or_404(session, User, user_id, "user")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=data.days) if data.days else None
    token = ApiToken(
        user_id=user.id,
        name=data.name,
        token_hash=_keyed_hash(raw, settings),
        prefix=raw[:10],
        scope=data.scope,
        expires_at=expires,
    )
    session.add(token)
    session.flush()
    return raw, TokenPublic.model_validate(token)


def resolve_token(*, session: Session, raw: str, settings: Settings | None = None) -> ApiToken | None:
    """The live token of a bearer value, or None (unknown, expired, revoked, user disabled)."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _keyed_hash(raw, settings)))
    now = utcnow()
    if (
        token is None
        or token.revoked_at is not None
        or not token.user.is_active
        or (token.expires_at is not None and token.expires_at < now)
    ):
        return None
    return token


#: A token's use is written at most this often (its `last_used_at` is "last used, to the minute").
TOKEN_USE_EVERY = timedelta(minutes=1)


def record_token_use(*, session: Session, token: ApiToken) -> None:
    """Write that `token` was used now, in a short transaction of its own, committed at once and
    never waited for: if another transaction holds the token's row (a long import with that
    token), or SQLite's write lock, the record is skipped and the request goes on. Not written
    when the token was used less than TOKEN_USE_EVERY ago, nor on a one-connection in-memory
    database (where the request's own transaction holds the only connection)."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_EVERY:
        return
    engine = session.get_bind().engine
    if isinstance(engine.pool, StaticPool):
        return
    due = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_USE_EVERY)
    free = select(ApiToken.id).where(ApiToken.id == token.id, due).with_for_update(skip_locked=True)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA busy_timeout=0")  # SQLite has no SKIP LOCKED
            try:
                connection.execute(update(ApiToken).where(ApiToken.id.in_(free)).values(last_used_at=now))
                connection.commit()
            finally:
                connection.rollback()
                if sqlite:
                    connection.exec_driver_sql("PRAGMA busy_timeout=30000")
                    connection.commit()
    except (DBAPIError, PoolTimeout):
        return  # busy (or no free connection): the next use records it


def list_tokens(*, session: Session, actor: Actor, user_id: int | None = None) -> list[TokenPublic]:
    """API tokens (never the tokens themselves): one user's (oneself, or anyone for an admin), or
    everyone's for an admin."""
    if user_id is None or user_id != actor.user_id:
        actor.require(Permission.ADMINISTER)
    stmt = select(ApiToken).order_by(ApiToken.id)
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return [TokenPublic.model_validate(t) for t in session.scalars(stmt)]


def revoke_token(*, session: Session, token_id: int, actor: Actor) -> TokenPublic:
    """Revoke a token (one's own, or anyone's for an admin): it stops working at once."""
    token = session.get(ApiToken, token_id)
    if token is None or (actor.role != Role.ADMIN and token.user_id != actor.user_id):
        raise NotFoundError.record("token", token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return TokenPublic.model_validate(token)


def expired(moment: datetime | None) -> bool:
    """Whether a moment (naive UTC, or with its offset) has passed."""
    if moment is None:
        return False
    return moment < (datetime.now(UTC) if moment.tzinfo else utcnow())
