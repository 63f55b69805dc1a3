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

from cooplab.api.deps import invalid_input
from cooplab.db.migrate import upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.errors import CooplabError, InvalidInputError
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
    if isinstance(value, bool):
        return "illustrative" if value and column == "illustrative" else ("" if column == "illustrative" else str(value))
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
        report = load_reference(session=session)
        session.commit()
    typer.echo(f"loaded {report.organizations} organizations, {report.people} people, "
               f"{report.places} places, {report.sources} sources (already present records kept)")


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


