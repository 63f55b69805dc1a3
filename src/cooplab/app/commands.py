"""Commands of the platform itself: the database schema, the demo data, serving, backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from alembic.util import CommandError

from cooplab.core import cli
from cooplab.core.audit import name_change, use_actor
from cooplab.core.domain import domains
from cooplab.db.migrate import new_revision, upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.settings import get_settings
from cooplab.vocab.choices import Activity

app = typer.Typer()
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


# ---------------------------------------------------------------- setup and serving


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema to the newest version."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    typer.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


@db_app.command("revision")
def db_revision(
    domain: Annotated[str, typer.Argument(help="Domain whose tables changed (its folder name).")],
    message: Annotated[str, typer.Argument(help="Short slug of the change.")],
    after: Annotated[str | None, typer.Option(help="Revision it follows (the domain's first one).")] = None,
) -> None:
    """Write a migration for a domain from the difference between its models and the schema."""
    from cooplab.core.domain import domain as find_domain
    from cooplab.core.domain import load_models
    from cooplab.db.base import Base

    try:
        folder = find_domain(domain).folder / "migrations"
    except LookupError:
        raise typer.BadParameter(f"no domain {domain!r}", param_hint="DOMAIN") from None
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    try:
        load_models()
        path = new_revision(engine, Base.metadata, folder, message, after=after)
    except CommandError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"written: {path} (read it and edit it by hand)")


@app.command()
def demo() -> None:
    """Load the reference and demo data (places, organizations, people, sources); safe to repeat."""
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        use_actor(session, cli.actor())
        name_change(session, Activity.DEMO)
        lines = [line for domain in domains() for line in domain.load_demo(session, cli.actor())]
        session.commit()
    for line in lines:
        typer.echo(line)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web UI and the API (migrating the database first)."""
    import uvicorn

    settings = get_settings()
    upgrade(make_engine(settings.database_url))
    host, port = host or settings.host, port or settings.port
    typer.echo(f"cooplab on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run("cooplab.app.asgi:app", host=host, port=port, workers=workers, log_level="warning")


# ---------------------------------------------------------------- backups


@app.command("backup")
def backup_(output: Annotated[Path, typer.Argument(help="Backup file to write (must not exist).")]) -> None:
    """Back up the database: SQLite online backup, or pg_dump for PostgreSQL."""
    from cooplab.db.backup import backup

    backup(make_engine(get_settings().database_url), output)
    typer.echo(f"backed up to {output}")


@app.command()
def restore(source: Annotated[Path, typer.Argument(help="Backup file made by `cooplab backup`.")]) -> None:
    """Restore a backup into the configured database, which must be empty."""
    from cooplab.db.backup import restore as restore_backup

    restore_backup(make_engine(get_settings().database_url), source)
    typer.echo(f"restored {source}")
