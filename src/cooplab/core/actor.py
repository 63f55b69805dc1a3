"""Who is acting and what they may do: roles, permissions and the actor every service takes
(docs/access.md draws the matrix)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cooplab.errors import ForbiddenError, UnauthorizedError


class Role(StrEnum):
    """What a user is on the platform."""

    ADMIN = "admin"  # everything, including users and the audit log
    ANALYST = (
        "analyst"  # the cluster's or the agency's staff: read all not private to another org, edit registry
    )
    MEMBER = "member"  # a user of one organization: edit its own organization, see what is shared with it
    VIEWER = "viewer"  # read public data


class Permission(StrEnum):
    """What a route, command or service function needs."""

    READ = "read"  # read what one may see
    EDIT_OWN_ORGANIZATION = "edit_own_organization"  # a member on its own organization
    EDIT_REGISTRY = "edit_registry"  # create, edit, delete, merge, import registry records
    WRITE_NOTES = "write_notes"  # notes about organizations
    ADMINISTER = "administer"  # users, tokens of others, audit log


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ANALYST: frozenset(
        {Permission.READ, Permission.EDIT_OWN_ORGANIZATION, Permission.EDIT_REGISTRY, Permission.WRITE_NOTES}
    ),
    Role.MEMBER: frozenset({Permission.READ, Permission.EDIT_OWN_ORGANIZATION, Permission.WRITE_NOTES}),
    Role.VIEWER: frozenset({Permission.READ}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (through a web session or an API token), the local
    command line, or an anonymous visitor."""

    user_id: int | None
    label: str
    role: Role | None
    organization_id: int | None = None
    can_write: bool = True  # False for read-scoped tokens

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    def has(self, permission: Permission) -> bool:
        """Whether the role grants `permission` (and a read-only token does not forbid it)."""
        if self.role is None:
            return permission == Permission.READ
        if permission != Permission.READ and not self.can_write:
            return False
        return permission in GRANTS[self.role]

    def require(self, permission: Permission) -> None:
        """Refuse unless the actor has `permission`: 401 for a visitor who should sign in, 403
        for a read-only token or a role that does not allow it."""
        if self.has(permission):
            return
        if not self.signed_in:
            raise UnauthorizedError("sign in first")
        if not self.can_write:
            raise ForbiddenError("this API token is read-only")
        raise ForbiddenError(
            f"your role ({self.role}) does not allow this", reason="role_refused", role=str(self.role)
        )

    def may_edit_organization(self, organization_id: int) -> bool:
        """Analysts and admins edit any organization; a member only its own."""
        if self.has(Permission.EDIT_REGISTRY):
            return True
        return self.has(Permission.EDIT_OWN_ORGANIZATION) and self.organization_id == organization_id

    def require_edit_organization(self, organization_id: int) -> None:
        """Refuse unless the actor may edit this organization (a member: its own only)."""
        self.require(Permission.EDIT_OWN_ORGANIZATION)
        if not self.may_edit_organization(organization_id):
            raise ForbiddenError("members edit their own organization only", reason="own_organization_only")


ANONYMOUS = Actor(user_id=None, label="anonymous", role=None)
SYSTEM = Actor(user_id=None, label="system", role=Role.ADMIN)


def command_line_actor() -> Actor:
    """The local command line acts as an administrator, recorded under the system user's name."""
    import getpass

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(user_id=None, label=f"cli:{user}", role=Role.ADMIN)
