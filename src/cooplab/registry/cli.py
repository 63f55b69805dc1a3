"""Commands of the registry: organizations, people and places (list, show, add, search),
spreadsheets in and out, duplicates, merges and their undoing."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from cooplab.core import cli
from cooplab.errors import InvalidInputError
from cooplab.registry import exchange, merge, service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.schemas import (
    OrganizationCreate,
    PersonCreate,
    PersonSummary,
    PlaceCreate,
    PlacePublic,
    name_spec,
)
from cooplab.registry.search import search_names
from cooplab.settings import get_settings

app = typer.Typer()
org_app = typer.Typer(help="Organizations.", no_args_is_help=True)
person_app = typer.Typer(help="People and their positions.", no_args_is_help=True)
place_app = typer.Typer(help="Places.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(place_app, name="place")


# ---------------------------------------------------------------- organizations


def _names(primary: str, extra: list[str] | None) -> list[dict[str, Any]]:
    """The record's name, then each --name given as [lang:][kind:]value."""
    return [{"value": primary}, *[name_spec(text) for text in extra or []]]


@org_app.command("list")
def org_list(
    q: Annotated[str | None, typer.Option(help="Any name, any script.")] = None,
    kind: Annotated[str | None, typer.Option(help="oem, supplier, holding, ...")] = None,
    country: Annotated[str | None, typer.Option(help="ISO code, e.g. UZ.")] = None,
    tier: Annotated[int | None, typer.Option(help="Supplier tier 1-3.")] = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List organizations, filtered."""
    filters = cli.validated(OrganizationFilter, q=q, kind=kind, country=country, tier=tier)
    with cli.session() as session:
        found = service.list_organizations(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
    cli.show(found.data, fmt, ["id", "name", "kind", "tier", "country", "head_office.name", "illustrative"])
    if fmt == cli.Format.table:
        typer.echo(f"{found.count} organization(s)")


@org_app.command("show")
def org_show(organization_id: int, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """Everything about one organization."""
    with cli.session() as session:
        org = service.organization_detail(session=session, actor=cli.actor(), organization_id=organization_id)
    if fmt == cli.Format.json:
        cli.show(org, fmt, [])
        return
    cli.console.print(
        f"[bold]{org.name}[/bold]  #{org.id}  {org.kind}"
        + (f" tier {org.tier}" if org.tier else "")
        + f"  {org.country or ''}"
        + ("  [yellow]illustrative[/yellow]" if org.illustrative else ""),
        highlight=False,
    )
    if org.head_office:
        typer.echo(f"head office: {org.head_office.name}")
    if org.description:
        typer.echo(org.description)
    typer.echo("names: " + "; ".join(f"{n.value} ({n.lang or '-'}, {n.kind})" for n in org.names))
    for ident in org.identifiers:
        typer.echo(
            f"{ident.scheme.upper()}: {ident.value}"
            + (" (unverified)" if ident.status == "unverified" else "")
        )
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
    kind: Annotated[
        str,
        typer.Option(
            help="oem, supplier, holding, association, agency, government, investor, research, other"
        ),
    ],
    country: Annotated[str | None, typer.Option(help="ISO code, e.g. UZ.")] = None,
    tier: Annotated[int | None, typer.Option(help="Supplier tier 1-3.")] = None,
    other_name: Annotated[
        list[str] | None, typer.Option("--name", help="Another name: [lang:][kind:]value.")
    ] = None,
    inn: Annotated[str | None, typer.Option(help="Russian INN.")] = None,
    ogrn: Annotated[str | None, typer.Option(help="Russian OGRN.")] = None,
    stir: Annotated[str | None, typer.Option(help="Uzbek STIR.")] = None,
    head_office: Annotated[int | None, typer.Option(help="Place id of the head office.")] = None,
    website: str | None = None,
    description: str | None = None,
    illustrative: Annotated[bool, typer.Option(help="Mark the record's data as illustrative.")] = False,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """Add an organization."""
    identifiers = [{"scheme": s, "value": v} for s, v in (("inn", inn), ("ogrn", ogrn), ("stir", stir)) if v]
    data = cli.validated(
        OrganizationCreate,
        names=_names(name, other_name),
        kind=kind,
        country=country,
        tier=tier,
        identifiers=identifiers,
        head_office_id=head_office,
        website=website,
        description=description,
        illustrative=illustrative,
    )
    with cli.session(write=True) as session:
        org = service.create_organization(session=session, actor=cli.actor(), data=data)
    cli.show(org, fmt, ["id", "name", "kind", "tier", "country"])


def _search(query: str, etype: str, limit: int, fmt: cli.Format) -> None:
    with cli.session() as session:
        hits = search_names(session=session, query=query, types={etype}, limit=limit)
    cli.show(hits, fmt, ["id", "name", "matched", "score", "country"])


@org_app.command("search")
def org_search(query: str, limit: int = 10, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """Find organizations by any name in any script, best first."""
    _search(query, "organization", limit, fmt)


# ---------------------------------------------------------------- people


@person_app.command("list")
def person_list(
    q: str | None = None,
    organization: Annotated[int | None, typer.Option(help="Organization id.")] = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List people."""
    filters = cli.validated(PersonFilter, q=q, organization_id=organization)
    with cli.session() as session:
        found = service.list_people(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
        rows, count = found.data, found.count
        cli.show(rows, fmt, ["id", "name", "illustrative"])
    if fmt == cli.Format.table:
        typer.echo(f"{count} person(s)")


@person_app.command("show")
def person_show(person_id: int, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """One person with names and positions."""
    with cli.session() as session:
        person = service.person_detail(session=session, actor=cli.actor(), person_id=person_id)
    if fmt == cli.Format.json:
        cli.show(person, fmt, [])
        return
    cli.console.print(f"[bold]{person.name}[/bold]  #{person.id}", highlight=False)
    typer.echo("names: " + "; ".join(n.value for n in person.names))
    for p in person.positions:
        org = p.organization.name if p.organization else "-"
        typer.echo(f"{p.title}, {org} ({p.start or '…'} – {p.end or '…'})")


@person_app.command("add")
def person_add(
    name: str,
    other_name: Annotated[
        list[str] | None, typer.Option("--name", help="Another spelling: [lang:]value.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Position title.")] = None,
    organization: Annotated[int | None, typer.Option(help="Organization id of the position.")] = None,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """Add a person, optionally with a position."""
    positions = [{"title": title, "organization_id": organization}] if title else []
    data = cli.validated(PersonCreate, names=_names(name, other_name), positions=positions)
    with cli.session(write=True) as session:
        person = service.create_person(session=session, actor=cli.actor(), data=data)
        cli.show(PersonSummary.model_validate(person.model_dump()), fmt, ["id", "name"])


@person_app.command("search")
def person_search(query: str, limit: int = 10, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """Find people by any spelling of their name."""
    _search(query, "person", limit, fmt)


# ---------------------------------------------------------------- places


@place_app.command("list")
def place_list(
    q: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List places."""
    filters = cli.validated(PlaceFilter, q=q, kind=kind, country=country)
    with cli.session() as session:
        found = service.list_places(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
        rows, count = found.data, found.count
        cli.show(rows, fmt, ["id", "name", "kind", "country", "latitude", "longitude", "geonames_id"])
    if fmt == cli.Format.table:
        typer.echo(f"{count} place(s)")


@place_app.command("show")
def place_show(place_id: int, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """One place with its names and coordinates."""
    with cli.session() as session:
        place = service.place_detail(session=session, actor=cli.actor(), place_id=place_id)
    cli.show(place, fmt, ["id", "name", "kind", "country", "latitude", "longitude", "geonames_id"])


@place_app.command("add")
def place_add(
    name: str,
    country: Annotated[str, typer.Option(help="ISO code, e.g. UZ.")],
    kind: Annotated[str, typer.Option(help="city, region or country.")] = "city",
    other_name: Annotated[
        list[str] | None, typer.Option("--name", help="Another name: [lang:]value.")
    ] = None,
    latitude: float | None = None,
    longitude: float | None = None,
    geonames_id: Annotated[int | None, typer.Option(help="GeoNames id.")] = None,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """Add a place."""
    data = cli.validated(
        PlaceCreate,
        names=_names(name, other_name),
        country=country,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        geonames_id=geonames_id,
    )
    with cli.session(write=True) as session:
        place = service.create_place(session=session, actor=cli.actor(), data=data)
        cli.show(PlacePublic.model_validate(place.model_dump()), fmt, ["id", "name", "kind", "country"])


@place_app.command("search")
def place_search(query: str, limit: int = 10, fmt: cli.FormatOpt = cli.Format.table) -> None:
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
    with (
        cli.session(write=True) as session,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} rows"),
            TimeRemainingColumn(),
            console=cli.err_console,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task(f"checking {file.name}", total=None)
        report = exchange.import_file(
            session=session,
            actor=cli.actor(),
            kind=kind.value,
            name=file.name,
            content=file.read_bytes(),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
        bar.update(task, description="writing")
    typer.echo(
        f"{file.name}: {report.rows} rows: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged"
    )


@app.command()
def export(
    kind: Annotated[Kind, typer.Option(help="org, person or place.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; .xlsx or .csv.")],
) -> None:
    """Export the registry's records to XLSX or CSV, in the columns import reads."""
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise InvalidInputError(f"{output.name}: the file name must end in .xlsx or .csv")
    fmt = cast(Literal["xlsx", "csv"], fmt)
    with cli.session() as session:
        output.write_bytes(
            exchange.export_records(session=session, actor=cli.actor(), kind=kind.value, fmt=fmt)
        )
    typer.echo(f"wrote {output}")


@app.command()
def dedupe(limit: int = 100, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """List likely duplicate organizations with the reason for each pair."""
    with cli.session() as session:
        pairs = merge.find_duplicates(session=session, actor=cli.actor(), limit=limit)
    cli.show(pairs, fmt, ["a.id", "a.name", "b.id", "b.name", "score", "reason"])


@app.command("merge")
def merge_(survivor: int, merged: int) -> None:
    """Merge organization MERGED into SURVIVOR, which keeps everything of both."""
    with cli.session(write=True) as session:
        record = merge.merge_organizations(
            session=session, actor=cli.actor(), survivor_id=survivor, merged_id=merged
        )
    typer.echo(
        f"merged {merged} into {survivor} (merge {record.id}; `cooplab unmerge {record.id}` undoes it)"
    )


@app.command()
def unmerge(merge_id: int) -> None:
    """Undo a merge: both organizations come back exactly as they were."""
    with cli.session(write=True) as session:
        restored = merge.unmerge(session=session, actor=cli.actor(), merge_id=merge_id)
    typer.echo(f"merge {merge_id} undone: organization {restored.id} restored")
