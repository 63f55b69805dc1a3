"""Roles, permissions and the actor of a request: who may do what (docs/access.md draws the matrix)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # everything, including users and the audit log
    ANALYST = "analyst"  # the cluster's or the agency's staff: read all not private to another org, edit registry
    MEMBER = "member"  # a user of one organization: edit its own organization, see what is shared with it
    VIEWER = "viewer"  # read public data


class Visibility(StrEnum):
    """Who may see a confidential record."""

    PUBLIC = "public"  # everyone, signed in or not
    MEMBERS = "members"  # any signed-in user
    ORGANIZATION = "organization"  # its owner organization, analysts and admins
    PARTIES = "parties"  # the organizations named on it, and admins


class Permission(StrEnum):
    """What a route or command needs."""

    READ = "read"  # read what one may see
    EDIT_OWN_ORGANIZATION = "edit_own_organization"  # a member on its own organization
    EDIT_REGISTRY = "edit_registry"  # create, edit, delete, merge, import registry records
    WRITE_NOTES = "write_notes"  # notes about organizations
    ADMINISTER = "administer"  # users, tokens of others, audit log


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ANALYST: frozenset({Permission.READ, Permission.EDIT_OWN_ORGANIZATION, Permission.EDIT_REGISTRY,
                             Permission.WRITE_NOTES}),
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
        if self.role is None:
            return permission == Permission.READ
        if permission != Permission.READ and not self.can_write:
            return False
        return permission in GRANTS[self.role]

    def may_edit_organization(self, organization_id: int) -> bool:
        """Analysts and admins edit any organization; a member only its own."""
        if self.has(Permission.EDIT_REGISTRY):
            return True
        return self.has(Permission.EDIT_OWN_ORGANIZATION) and self.organization_id == organization_id


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
