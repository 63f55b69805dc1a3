"""Shapes of accounts at the boundary."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from cooplab.core.actor import Role
from cooplab.errors import CodedValueError

#: A moment in UTC: the database keeps naive UTC, the API says so with an offset.
UtcDateTime = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)
    role: Role
    organization_id: int | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        if not local or not domain or " " in value:
            raise CodedValueError("email", "not an e-mail address")
        return value.lower()


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    name: str
    role: str
    organization_id: int | None
    is_active: bool
    last_login_at: UtcDateTime | None


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=100, pattern=r"\S", description="Not only spaces.")
    scope: Literal["read", "write"] = "read"
    days: int | None = Field(90, ge=1, le=3650, description="Days until it expires; null: never.")


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    prefix: str
    scope: str
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    last_used_at: UtcDateTime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="The token itself; shown this once, never again.")


class AuditEntryPublic(BaseModel):
    """One write as the audit log keeps it: who, when, what, before and after."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    at: UtcDateTime
    actor: str
    action: str
    entity_type: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    change_id: str
    activity: str | None = Field(None, description="What the action was, when it was named as a whole.")
    user_id: int | None = Field(None, exclude=True)


class AuditChangePublic(BaseModel):
    """One user action as the audit log shows it: who, when, and the writes it was made of
    (the ones the filters keep), in the order they were made."""

    change_id: str
    at: UtcDateTime
    actor: str
    entries: list[AuditEntryPublic]
