"""Accounts: users and their roles, sign-in and web sessions, API tokens, and the audit log as
administrators read it."""

from cooplab.core.actor import Permission
from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="accounts",
    summary="users, sign-in, API tokens and the audit log",
    navigation=(
        NavEntry("admin", "audit", "/admin/audit", Permission.ADMINISTER),
        NavEntry("admin", "users", "/admin/users", Permission.ADMINISTER),
    ),
    audit_values={("role", None): "role.", ("scope", None): "scope."},
    demo="service:demo_admin",
)
