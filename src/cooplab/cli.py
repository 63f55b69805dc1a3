"""The cooplab command: every command parses, calls a service and prints; errors print one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from cooplab.accounts import audit as audit_log
from cooplab.accounts import service as accounts
from cooplab.accounts.audit import use_actor
from cooplab.accounts.roles import Role, command_line_actor
from cooplab.accounts.schemas import TokenCreate, TokenPublic, UserCreate, UserPublic
from cooplab.db.migrate import upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.errors import CooplabError, InvalidInputError, invalid_input
from cooplab.registry import exchange, merge, service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.reference import load_reference
from cooplab.registry.schemas import (
    OrganizationCreate,
    OrganizationSummary,
    PersonCreate,
    PersonPublic,
    PersonSummary,
    PlaceCreate,
    PlaceDetail,
    PlacePublic,
)
from cooplab.registry.search import search_names
from cooplab.settings import get_settings

app = typer.Typer(help="cooplab: the registry of industrial localization and cooperation.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations.", no_args_is_help=True)
person_app = typer.Typer(help="People and their positions.", no_args_is_help=True)
place_app = typer.Typer(help="Places.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(place_app, name="place")
user_app = typer.Typer(help="Users who sign in.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
mission_app = typer.Typer(help="Missions, their events, agreements and next steps.", no_args_is_help=True)
report_app = typer.Typer(help="Reports written from the records.", no_args_is_help=True)
app.add_typer(mission_app, name="mission")
app.add_typer(report_app, name="report")
console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]


def main() -> None:
    """Entry point: run the app, turning every cooplab error into one line and exit code 1."""
    try:
        app()
    except ValidationError as exc:  # the settings: a bad COOPLAB_* value
        err_console.print("[red]configuration error:[/red]", highlight=False)
        for err in exc.errors():
            name = "COOPLAB_" + str(err["loc"][0]).upper() if err["loc"] else "COOPLAB settings"
            err_console.print(f"  {name}: {err['msg'].removeprefix('Value error, ')}", highlight=False, markup=False)
        sys.exit(1)
    except CooplabError as exc:
        err_console.print(f"[red]error:[/red] {exc.message}", highlight=False, markup=True)
        for detail in exc.details[:20]:
            loc = " / ".join(str(x) for x in detail.get("loc", []))
            err_console.print(f"  {loc}: {detail.get('msg')}", highlight=False, markup=False)
        sys.exit(1)


@contextmanager
def _session(*, write: bool = False) -> Iterator[Session]:
    engine = make_engine(get_settings().database_url)
    if "alembic_version" not in inspect(engine).get_table_names():
        raise CooplabError("the database is not set up yet: run `cooplab db upgrade` (or `cooplab demo`)")
    with session_factory(engine)() as session:
        use_actor(session, command_line_actor())
        yield session
        if write:
            session.commit()


def _validated(model: type[BaseModel], **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def _print(items: BaseModel | Sequence[BaseModel], fmt: Format, columns: Sequence[str]) -> None:
    many = not isinstance(items, BaseModel)
    rows = list(items) if many else [items]  # type: ignore[arg-type]
    if fmt == Format.json:
        data = [r.model_dump(mode="json") for r in rows]
        typer.echo(json.dumps(data if many else data[0], ensure_ascii=False, indent=2))
        return
    table = Table(show_header=True, header_style="bold")
    for column in columns:
        table.add_column(column)
    for row in rows:
        values = row.model_dump(mode="json")
        table.add_row(*[_cell(values, c) for c in columns])
    console.print(table)


def _cell(values: dict[str, Any], column: str) -> str:
    value: Any = values
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if column == "illustrative":  # the mark shows where it applies, nothing where it does not
        return "illustrative" if value else ""
    return "" if value is None else str(value)


# ---------------------------------------------------------------- setup and serving


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema to the newest version."""
    settings = get_settings()
    upgrade(make_engine(settings.database_url))
    typer.echo(f"database is up to date: {make_engine(settings.database_url).url.render_as_string(hide_password=True)}")


@app.command()
def demo() -> None:
    """Load the reference and demo data (places, organizations, people, sources); safe to repeat."""
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        use_actor(session, command_line_actor())
        report = load_reference(session=session)
        admin = accounts.ensure_admin(session=session)
        session.commit()
    typer.echo(f"loaded {report.organizations} organizations, {report.people} people, "
               f"{report.places} places, {report.sources} sources (already present records kept)")
    if admin is not None:
        user, password = admin
        typer.echo(f"created the administrator {user.email} with the password {password}\n"
                   "  (shown this once: write it down; `cooplab user add` creates more users)")


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
    uvicorn.run("cooplab.api.asgi:app", host=host, port=port, workers=workers, log_level="warning")


# ---------------------------------------------------------------- organizations


def _names(primary: str, extra: list[str] | None) -> list[dict[str, Any]]:
    return exchange.parse_names(primary, None, " | ".join(extra or []))


@org_app.command("list")
def org_list(
    q: Annotated[str | None, typer.Option(help="Any name, any script.")] = None,
    kind: Annotated[str | None, typer.Option(help="oem, supplier, holding, ...")] = None,
    country: Annotated[str | None, typer.Option(help="ISO code, e.g. UZ.")] = None,
    tier: Annotated[int | None, typer.Option(help="Supplier tier 1-3.")] = None,
    limit: int = 50, offset: int = 0, fmt: FormatOpt = Format.table,
) -> None:
    """List organizations, filtered."""
    filters = _validated(OrganizationFilter, q=q, kind=kind, country=country, tier=tier)
    with _session() as session:
        rows, count = service.list_organizations(session=session, filters=filters, offset=offset, limit=limit)
        _print([OrganizationSummary.model_validate(r) for r in rows], fmt,
               ["id", "name", "kind", "tier", "country", "head_office.name", "illustrative"])
    if fmt == Format.table:
        typer.echo(f"{count} organization(s)")


@org_app.command("show")
def org_show(organization_id: int, fmt: FormatOpt = Format.table) -> None:
    """Everything about one organization."""
    with _session() as session:
        org = service.organization_detail(session=session, organization_id=organization_id)
    if fmt == Format.json:
        _print(org, fmt, [])
        return
    console.print(f"[bold]{org.name}[/bold]  #{org.id}  {org.kind}"
                  + (f" tier {org.tier}" if org.tier else "") + f"  {org.country or ''}"
                  + ("  [yellow]illustrative[/yellow]" if org.illustrative else ""), highlight=False)
    if org.head_office:
        typer.echo(f"head office: {org.head_office.name}")
    if org.description:
        typer.echo(org.description)
    typer.echo("names: " + "; ".join(f"{n.value} ({n.lang or '-'}, {n.kind})" for n in org.names))
    for ident in org.identifiers:
        typer.echo(f"{ident.scheme.upper()}: {ident.value}")
    for o in org.owners:
        typer.echo(f"owner: {o.owner.name}" + (f" {o.share}%" if o.share else ""))
    for m in org.groups:
        typer.echo(f"member of: {m.group.name}")
    for m in org.members:
        typer.echo(f"member: {m.member.name}")
    for s in org.sites:
        typer.echo(f"site: {s.place.name}")
    for p in org.people:
        typer.echo(f"person: {p.person.name}, {p.position.title}")
    for c in org.citations:
        typer.echo(f"source: {c.source.title} ({c.source.url or '-'}; as of {c.source.as_of or '-'})")


@org_app.command("add")
def org_add(
    name: str,
    kind: Annotated[str, typer.Option(help="oem, supplier, holding, association, agency, government, investor, research, other")],
    country: Annotated[str | None, typer.Option(help="ISO code, e.g. UZ.")] = None,
    tier: Annotated[int | None, typer.Option(help="Supplier tier 1-3.")] = None,
    other_name: Annotated[list[str] | None, typer.Option("--name", help="Another name: [lang:][kind:]value.")] = None,
    inn: Annotated[str | None, typer.Option(help="Russian INN.")] = None,
    ogrn: Annotated[str | None, typer.Option(help="Russian OGRN.")] = None,
    stir: Annotated[str | None, typer.Option(help="Uzbek STIR.")] = None,
    head_office: Annotated[int | None, typer.Option(help="Place id of the head office.")] = None,
    website: str | None = None, description: str | None = None,
    illustrative: Annotated[bool, typer.Option(help="Mark the record's data as illustrative.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Add an organization."""
    identifiers = [{"scheme": s, "value": v} for s, v in (("inn", inn), ("ogrn", ogrn), ("stir", stir)) if v]
    data = _validated(OrganizationCreate, names=_names(name, other_name), kind=kind, country=country, tier=tier,
                      identifiers=identifiers, head_office_id=head_office, website=website,
                      description=description, illustrative=illustrative)
    with _session(write=True) as session:
        org = service.create_organization(session=session, data=data)
        _print(OrganizationSummary.model_validate(org), fmt, ["id", "name", "kind", "tier", "country"])


def _search(query: str, etype: str, limit: int, fmt: Format) -> None:
    with _session() as session:
        hits = search_names(session=session, query=query, types={etype}, limit=limit)
    _print(hits, fmt, ["id", "name", "matched", "score", "country"])


@org_app.command("search")
def org_search(query: str, limit: int = 10, fmt: FormatOpt = Format.table) -> None:
    """Find organizations by any name in any script, best first."""
    _search(query, "organization", limit, fmt)


# ---------------------------------------------------------------- people


@person_app.command("list")
def person_list(q: str | None = None, organization: Annotated[int | None, typer.Option(help="Organization id.")] = None,
                limit: int = 50, offset: int = 0, fmt: FormatOpt = Format.table) -> None:
    """List people."""
    filters = _validated(PersonFilter, q=q, organization_id=organization)
    with _session() as session:
        rows, count = service.list_people(session=session, filters=filters, offset=offset, limit=limit)
        _print([PersonSummary.model_validate(r) for r in rows], fmt, ["id", "name", "illustrative"])
    if fmt == Format.table:
        typer.echo(f"{count} person(s)")


@person_app.command("show")
def person_show(person_id: int, fmt: FormatOpt = Format.table) -> None:
    """One person with names and positions."""
    with _session() as session:
        person = PersonPublic.model_validate(service.get_person(session=session, person_id=person_id))
    if fmt == Format.json:
        _print(person, fmt, [])
        return
    console.print(f"[bold]{person.name}[/bold]  #{person.id}", highlight=False)
    typer.echo("names: " + "; ".join(n.value for n in person.names))
    for p in person.positions:
        org = p.organization.name if p.organization else "-"
        typer.echo(f"{p.title}, {org} ({p.start or '…'} – {p.end or '…'})")


@person_app.command("add")
def person_add(
    name: str,
    other_name: Annotated[list[str] | None, typer.Option("--name", help="Another spelling: [lang:]value.")] = None,
    title: Annotated[str | None, typer.Option(help="Position title.")] = None,
    organization: Annotated[int | None, typer.Option(help="Organization id of the position.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Add a person, optionally with a position."""
    positions = [{"title": title, "organization_id": organization}] if title else []
    data = _validated(PersonCreate, names=_names(name, other_name), positions=positions)
    with _session(write=True) as session:
        person = service.create_person(session=session, data=data)
        _print(PersonSummary.model_validate(person), fmt, ["id", "name"])


@person_app.command("search")
def person_search(query: str, limit: int = 10, fmt: FormatOpt = Format.table) -> None:
    """Find people by any spelling of their name."""
    _search(query, "person", limit, fmt)


# ---------------------------------------------------------------- places


@place_app.command("list")
def place_list(q: str | None = None, kind: str | None = None, country: str | None = None,
               limit: int = 50, offset: int = 0, fmt: FormatOpt = Format.table) -> None:
    """List places."""
    filters = _validated(PlaceFilter, q=q, kind=kind, country=country)
    with _session() as session:
        rows, count = service.list_places(session=session, filters=filters, offset=offset, limit=limit)
        _print([PlacePublic.model_validate(r) for r in rows], fmt,
               ["id", "name", "kind", "country", "latitude", "longitude", "geonames_id"])
    if fmt == Format.table:
        typer.echo(f"{count} place(s)")


@place_app.command("show")
def place_show(place_id: int, fmt: FormatOpt = Format.table) -> None:
    """One place with its names and coordinates."""
    with _session() as session:
        place = PlaceDetail.model_validate(service.get_place(session=session, place_id=place_id))
    _print(place, fmt, ["id", "name", "kind", "country", "latitude", "longitude", "geonames_id"])


@place_app.command("add")
def place_add(
    name: str, country: Annotated[str, typer.Option(help="ISO code, e.g. UZ.")],
    kind: Annotated[str, typer.Option(help="city, region or country.")] = "city",
    other_name: Annotated[list[str] | None, typer.Option("--name", help="Another name: [lang:]value.")] = None,
    latitude: float | None = None, longitude: float | None = None,
    geonames_id: Annotated[int | None, typer.Option(help="GeoNames id.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Add a place."""
    data = _validated(PlaceCreate, names=_names(name, other_name), country=country, kind=kind,
                      latitude=latitude, longitude=longitude, geonames_id=geonames_id)
    with _session(write=True) as session:
        place = service.create_place(session=session, data=data)
        _print(PlacePublic.model_validate(place), fmt, ["id", "name", "kind", "country"])


@place_app.command("search")
def place_search(query: str, limit: int = 10, fmt: FormatOpt = Format.table) -> None:
    """Find places by any name in any script."""
    _search(query, "place", limit, fmt)


# ---------------------------------------------------------------- spreadsheets, dedupe, merge


class Kind(StrEnum):
    org = "org"
    person = "person"
    place = "place"


@app.command("import")
def import_(file: Path, kind: Annotated[Kind, typer.Option(help="org, person or place.")]) -> None:
    """Import a spreadsheet (XLSX or CSV, UTF-8 or Windows-1251): every row, or none."""
    if not file.is_file():
        raise InvalidInputError(f"{file}: no such file")
    limit = get_settings().max_upload_bytes
    if file.stat().st_size > limit:
        raise InvalidInputError(f"{file.name}: the file is larger than {limit // (1024 * 1024)} MB")
    with _session(write=True) as session, Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} rows"),
        TimeRemainingColumn(), console=err_console, transient=True,
    ) as bar:
        task = bar.add_task(f"checking {file.name}", total=None)
        report = exchange.import_file(
            session=session, kind=kind.value, name=file.name, content=file.read_bytes(),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
        bar.update(task, description="writing")
    typer.echo(f"{file.name}: {report.rows} rows: {report.created} created, "
               f"{report.updated} updated, {report.unchanged} unchanged")


@app.command()
def export(
    kind: Annotated[Kind, typer.Option(help="org, person or place.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; .xlsx or .csv.")],
) -> None:
    """Export the registry's records to XLSX or CSV, in the columns import reads."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in {"xlsx", "csv"}:
        raise InvalidInputError(f"{output.name}: the file name must end in .xlsx or .csv")
    with _session() as session:
        output.write_bytes(exchange.export_records(session=session, kind=kind.value, fmt=fmt))  # type: ignore[arg-type]
    typer.echo(f"wrote {output}")


@app.command()
def dedupe(limit: int = 100, fmt: FormatOpt = Format.table) -> None:
    """List likely duplicate organizations with the reason for each pair."""
    with _session() as session:
        pairs = merge.find_duplicates(session=session, limit=limit)
    _print(pairs, fmt, ["a.id", "a.name", "b.id", "b.name", "score", "reason"])


@app.command("merge")
def merge_(survivor: int, merged: int) -> None:
    """Merge organization MERGED into SURVIVOR, which keeps everything of both."""
    with _session(write=True) as session:
        record = merge.merge_organizations(session=session, survivor_id=survivor, merged_id=merged)
    typer.echo(f"merged {merged} into {survivor} (merge {record.id}; `cooplab unmerge {record.id}` undoes it)")


@app.command()
def unmerge(merge_id: int) -> None:
    """Undo a merge: both organizations come back exactly as they were."""
    with _session(write=True) as session:
        restored = merge.unmerge(session=session, merge_id=merge_id)
    typer.echo(f"merge {merge_id} undone: organization {restored.id} restored")




# ---------------------------------------------------------------- users, tokens, audit


@user_app.command("add")
def user_add(
    email: str,
    role: Annotated[Role, typer.Option(help="admin, analyst, member or viewer.")],
    name: Annotated[str | None, typer.Option(help="Full name (default: the e-mail).")] = None,
    organization: Annotated[int | None, typer.Option(help="Organization id (required for members).")] = None,
    password: Annotated[str | None, typer.Option(help="Password; generated and printed once if not given.")] = None,
) -> None:
    """Add a user; prints a generated password once unless one is given."""
    generated = password is None
    data = _validated(UserCreate, email=email, name=name or email, role=role,
                      organization_id=organization, password=password or accounts.generate_password())
    with _session(write=True) as session:
        user = accounts.create_user(session=session, data=data)
    typer.echo(f"user {user.id} {user.email} ({user.role})")
    if generated:
        typer.echo(f"password: {data.password}   (shown this once)")


@user_app.command("list")
def user_list(fmt: FormatOpt = Format.table) -> None:
    """List users."""
    with _session() as session:
        users = [UserPublic.model_validate(u) for u in accounts.list_users(session=session)]
    _print(users, fmt, ["id", "email", "name", "role", "organization_id", "is_active", "last_login_at"])


@user_app.command("disable")
def user_disable(email: str) -> None:
    """Disable a user: their sessions and tokens stop working at once."""
    with _session(write=True) as session:
        user = accounts.find_user(session=session, email=email)
        accounts.disable_user(session=session, user_id=user.id)
    typer.echo(f"user {email} disabled")


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option("--user", help="E-mail of the token's user.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    scope: Annotated[str, typer.Option(help="read or write.")] = "read",
    days: Annotated[int | None, typer.Option(help="Days until it expires.")] = 90,
) -> None:
    """Create an API token; the token is printed once and never stored."""
    data = _validated(TokenCreate, name=name, scope=scope, days=days)
    with _session(write=True) as session:
        user = accounts.find_user(session=session, email=email)
        raw, token = accounts.create_token(session=session, user=user, data=data)
    expires = token.expires_at.strftime("%Y-%m-%d") if token.expires_at else "never"
    typer.echo(f"token {token.id} ({token.scope}, expires {expires}):\n{raw}\n"
               "(shown this once; send it as `Authorization: Bearer <token>`)")


@token_app.command("list")
def token_list(fmt: FormatOpt = Format.table) -> None:
    """List API tokens (never the tokens themselves)."""
    with _session() as session:
        tokens = [TokenPublic.model_validate(t) for t in accounts.list_tokens(session=session)]
    _print(tokens, fmt, ["id", "name", "prefix", "scope", "expires_at", "revoked_at", "last_used_at"])


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke an API token: it stops working at once."""
    with _session(write=True) as session:
        accounts.revoke_token(session=session, token_id=token_id, actor=command_line_actor())
    typer.echo(f"token {token_id} revoked")


@app.command()
def audit(
    entity_type: Annotated[str | None, typer.Option(help="Table, e.g. organizations.")] = None,
    actor: Annotated[str | None, typer.Option(help="Who: an e-mail, cli:USER or system.")] = None,
    limit: int = 50,
    output: Annotated[Path | None, typer.Option(help="Write all matching entries to this CSV file.")] = None,
) -> None:
    """Show the audit log, newest first, or export it to CSV."""
    with _session() as session:
        rows, count = audit_log.list_entries(session=session, entity_type=entity_type, actor=actor,
                                             limit=100_000 if output else limit)
        if output:
            output.write_bytes(audit_log.export_csv(rows))
            typer.echo(f"wrote {len(rows)} entries to {output}")
            return
        table = Table("id", "at", "actor", "action", "entity", "change")
        for e in rows:
            change = e.action if e.action in {"create", "delete"} else ", ".join(
                f"{k}: {(e.before or {}).get(k)!r} -> {v!r}" for k, v in (e.after or {}).items())
            table.add_row(str(e.id), e.at.strftime("%Y-%m-%d %H:%M"), e.actor, e.action,
                          f"{e.entity_type} {e.entity_id or ''}", change[:120])
        console.print(table)
    typer.echo(f"{count} entries")


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


# ---------------------------------------------------------------- engagements and reports


@mission_app.command("list")
def mission_list(limit: int = 50, offset: int = 0, fmt: FormatOpt = Format.table) -> None:
    """List missions, newest first."""
    from cooplab.engagements import service as engagements
    from cooplab.engagements.schemas import MissionSummary

    with _session() as session:
        rows, count = engagements.list_missions(session=session, actor=command_line_actor(), offset=offset, limit=limit)
        _print([MissionSummary.model_validate(m) for m in rows], fmt, ["id", "title", "start", "end", "visibility"])
    if fmt == Format.table:
        typer.echo(f"{count} mission(s)")


@mission_app.command("show")
def mission_show(mission_id: int, fmt: FormatOpt = Format.json) -> None:
    """One mission with its organizations, participants, events, agreements and action items."""
    from cooplab.engagements import service as engagements

    actor = command_line_actor()
    with _session() as session:
        mission = engagements.mission_public(
            session, engagements.get_mission(session=session, actor=actor, mission_id=mission_id), actor)
    _print(mission, fmt, ["id", "title", "start", "end", "visibility"])


@mission_app.command("actions")
def mission_actions(
    status: Annotated[str | None, typer.Option(help="open, done or cancelled.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only open items past their due date.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List next steps (action items), soonest due first."""
    from cooplab.engagements import service as engagements

    with _session() as session:
        rows, count = engagements.list_action_items(session=session, actor=command_line_actor(),
                                                    status=status, overdue=overdue, limit=500)
        items = [engagements.action_public(i) for i in rows]
    _print(items, fmt, ["id", "title", "due", "status", "responsible_organization.name", "overdue"])


class Lang(StrEnum):
    ru = "ru"
    en = "en"


@report_app.command("mission")
def report_mission(
    mission_id: int,
    lang: Annotated[Lang, typer.Option(help="ru or en.")] = Lang.ru,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (Markdown).")] = None,
) -> None:
    """Write a clean report of a mission from its records, in Russian or English."""
    from cooplab.reports.mission import mission_report

    with _session() as session:
        text = mission_report(session=session, actor=command_line_actor(), mission_id=mission_id, lang=lang.value)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text, nl=False)


# ---------------------------------------------------------------- ingest


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Text, HTML or DOCX files.")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD: the year of dates without one.")] = None,
    fmt: FormatOpt = Format.json,
    save: Annotated[bool, typer.Option(help="Keep each document as a draft for review.")] = False,
    accept: Annotated[bool, typer.Option(help="Save and accept every proposed record at once.")] = False,
    title: Annotated[str | None, typer.Option(help="Title of the mission an accepted document becomes.")] = None,
) -> None:
    """Extract organizations, people, places, dates, events and agreements from reports."""
    from datetime import date as date_type

    from cooplab.ingest import service as ingest_service
    from cooplab.ingest.pipeline import extract
    from cooplab.ingest.readers import read_path

    try:
        day = date_type.fromisoformat(published) if published else None
    except ValueError:
        raise InvalidInputError(f"--published {published!r}: give a date as YYYY-MM-DD") from None
    actor = command_line_actor()
    results = []
    with _session(write=save or accept) as session:
        for path in files:
            text = read_path(path)
            if save or accept:
                document, new = ingest_service.save_document(session=session, actor=actor, text=text,
                                                             name=path.name, published=day)
                if accept and document.status == "draft":
                    done = ingest_service.accept_document(session=session, actor=actor, document_id=document.id,
                                                          title=title or path.stem)
                    err_console.print(f"{path.name}: accepted: mission {done.mission_id}, "
                                      f"{done.created} new record(s)", highlight=False)
                elif not new:
                    err_console.print(f"{path.name}: ingested before as document {document.id} "
                                      f"({document.status}); nothing changed", highlight=False)
                else:
                    err_console.print(f"{path.name}: saved as draft document {document.id}", highlight=False)
                from cooplab.ingest.schemas import IngestResult

                results.append(IngestResult.model_validate(document.result))
            else:
                results.append(extract(text, published=day, source=path.name, session=session))
    if fmt == Format.json:
        data = [r.model_dump(mode="json") for r in results]
        typer.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        return
    for result in results:
        console.print(f"[bold]{result.source}[/bold] ({result.language})", highlight=False)
        table = Table("type", "name", "id", "details")
        for o in result.organizations:
            table.add_row("organization", o.name, str(o.id or "new"), ", ".join(o.mentions))
        for p in result.people:
            table.add_row("person", p.name, str(p.id or "new"),
                          "; ".join(f"{x.title}, {x.organization or '-'}" for x in p.positions))
        for pl in result.places:
            table.add_row("place", pl.name, str(pl.id or "new"), pl.country or "")
        for d in result.dates:
            table.add_row("date", d.text, "", f"{d.start} – {d.end}" if d.end else d.start)
        for e in result.events:
            table.add_row("event", e.kind, "", f"{e.start or ''} {e.place or ''}: {', '.join(e.organizations)}")
        for a in result.agreements:
            table.add_row("agreement", a.kind, "", " / ".join(a.parties))
        console.print(table)
