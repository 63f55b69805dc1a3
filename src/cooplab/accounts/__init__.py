"""Accounts: users, roles, web sessions, API tokens, visibility rules and the audit trail."""
