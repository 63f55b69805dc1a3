"""Commands of accounts: users, API tokens, the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cooplab.accounts import audit as audit_log
from cooplab.accounts import service as accounts
from cooplab.accounts.filters import AuditFilter
from cooplab.accounts.schemas import TokenCreate, UserCreate
from cooplab.core import cli
from cooplab.core.actor import Role

CSV_LIMIT = 100_000
app = typer.Typer()
user_app = typer.Typer(help="Users who sign in.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


# ---------------------------------------------------------------- users, tokens, audit


@user_app.command("add")
def user_add(
    email: str,
    role: Annotated[Role, typer.Option(help="admin, analyst, member or viewer.")],
    name: Annotated[str | None, typer.Option(help="Full name (default: the e-mail).")] = None,
    organization: Annotated[int | None, typer.Option(help="Organization id (required for members).")] = None,
    password: Annotated[
        str | None, typer.Option(help="Password; generated and printed once if not given.")
    ] = None,
) -> None:
    """Add a user; prints a generated password once unless one is given."""
    generated = password is None
    data = cli.validated(
        UserCreate,
        email=email,
        name=name or email,
        role=role,
        organization_id=organization,
        password=password or accounts.generate_password(),
    )
    with cli.session(write=True) as session:
        user = accounts.create_user(session=session, actor=cli.actor(), data=data)
    typer.echo(f"user {user.id} {user.email} ({user.role})")
    if generated:
        typer.echo(f"password: {data.password}   (shown this once)")


@user_app.command("list")
def user_list(fmt: cli.FormatOpt = cli.Format.table) -> None:
    """List users."""
    with cli.session() as session:
        users = accounts.list_users(session=session, actor=cli.actor())
    cli.show(users, fmt, ["id", "email", "name", "role", "organization_id", "is_active", "last_login_at"])


@user_app.command("disable")
def user_disable(email: str) -> None:
    """Disable a user: their sessions and tokens stop working at once."""
    with cli.session(write=True) as session:
        user = accounts.find_user(session=session, actor=cli.actor(), email=email)
        accounts.disable_user(session=session, actor=cli.actor(), user_id=user.id)
    typer.echo(f"user {email} disabled")


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option("--user", help="E-mail of the token's user.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    scope: Annotated[str, typer.Option(help="read or write.")] = "read",
    days: Annotated[int | None, typer.Option(help="Days until it expires.")] = 90,
) -> None:
    """Create an API token; the token is printed once and never stored."""
    data = cli.validated(TokenCreate, name=name, scope=scope, days=days)
    with cli.session(write=True) as session:
        user = accounts.find_user(session=session, actor=cli.actor(), email=email)
        raw, token = accounts.create_token(session=session, actor=cli.actor(), data=data, user_id=user.id)
    expires = token.expires_at.strftime("%Y-%m-%d") if token.expires_at else "never"
    typer.echo(
        f"token {token.id} ({token.scope}, expires {expires}):\n{raw}\n"
        "(shown this once; send it as `Authorization: Bearer <token>`)"
    )


@token_app.command("list")
def token_list(fmt: cli.FormatOpt = cli.Format.table) -> None:
    """List API tokens (never the tokens themselves)."""
    with cli.session() as session:
        tokens = accounts.list_tokens(session=session, actor=cli.actor())
    cli.show(tokens, fmt, ["id", "name", "prefix", "scope", "expires_at", "revoked_at", "last_used_at"])


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke an API token: it stops working at once."""
    with cli.session(write=True) as session:
        accounts.revoke_token(session=session, token_id=token_id, actor=cli.actor())
    typer.echo(f"token {token_id} revoked")


@app.command()
def audit(
    entity_type: Annotated[str | None, typer.Option(help="Table, e.g. organizations.")] = None,
    actor: Annotated[str | None, typer.Option(help="Who: an e-mail, cli:USER or system.")] = None,
    limit: int = 50,
    output: Annotated[Path | None, typer.Option(help="Write all matching entries to this CSV file.")] = None,
) -> None:
    """Show the audit log, newest first, or export it to CSV."""
    filters = cli.validated(AuditFilter, entity_type=entity_type, actor=actor)
    with cli.session() as session:
        found = audit_log.list_entries(session=session, actor=cli.actor(), filters=filters, limit=limit)
        rows, count = found.data, found.count
        if output:
            output.write_bytes(
                audit_log.export_csv(session=session, actor=cli.actor(), filters=filters, limit=CSV_LIMIT)
            )
            typer.echo(f"wrote {min(count, CSV_LIMIT)} entries to {output}")
            return
        table = Table("id", "at", "actor", "action", "entity", "change")
        for e in rows:
            change = (
                e.action
                if e.action in {"create", "delete"}
                else ", ".join(
                    f"{k}: {(e.before or {}).get(k)!r} -> {v!r}" for k, v in (e.after or {}).items()
                )
            )
            table.add_row(
                str(e.id),
                e.at.strftime("%Y-%m-%d %H:%M"),
                e.actor,
                e.action,
                f"{e.entity_type} {e.entity_id or ''}",
                change[:120],
            )
        cli.console.print(table)
    typer.echo(f"{count} entries")
