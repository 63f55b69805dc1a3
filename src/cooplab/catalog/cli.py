"""Commands of the catalog: import a vehicle workbook, export it back, list and show vehicles."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cooplab.catalog import service
from cooplab.catalog.filters import VehicleFilter
from cooplab.catalog.schemas import RateIn
from cooplab.core import cli
from cooplab.core.i18n import translate
from cooplab.errors import CooplabError
from cooplab.settings import get_settings
from cooplab.vocab.choices import Visibility

app = typer.Typer()
catalog_app = typer.Typer(
    help="Vehicles, their bills of materials, sourcing and rates.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")


class Lang(StrEnum):
    ru = "ru"
    en = "en"
    uz = "uz"


LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of the messages: ru, en or uz (default: the settings)."),
]


def read_files(path: Path) -> dict[str, bytes]:
    """The workbook's files: one XLSX (or CSV) file, or every CSV file of a folder."""
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.glob("*.csv"))}
        if not files:
            raise CooplabError(f"{path}: the folder holds no CSV file")
        return files
    if not path.is_file():
        raise CooplabError(f"{path}: no such file or folder")
    return {path.name: path.read_bytes()}


def problem_lines(exc: CooplabError, lang: str) -> list[str]:
    """Each problem of an error in `lang`: where (sheet, row, column), what, and for which part."""
    lines = []
    for detail in exc.details:
        loc = detail.get("loc", [])
        params = dict(detail.get("params") or {})
        code = detail.get("code")
        text = translate(lang, f"err.{code}", **params) if code else str(detail.get("msg"))
        if text == f"err.{code}":
            text = str(detail.get("msg"))
        where = " / ".join(str(x) for x in loc)
        if len(loc) >= 3:
            where = translate(lang, "catalog.where", sheet=loc[0], row=loc[1], column=loc[2])
        part = params.get("part_number")
        if part:
            text += " " + translate(lang, "catalog.of_part", part=part)
        lines.append(f"  {where}: {text}")
    return lines


@catalog_app.command("import")
def catalog_import(
    path: Annotated[
        Path, typer.Argument(help="An XLSX workbook, or a folder of CSV files named like its sheets.")
    ],
    visibility: Annotated[
        Visibility | None,
        typer.Option(help="Who may see the vehicle and its bill (default: its organization)."),
    ] = None,
    language: LangOpt = None,
) -> None:
    """Import a vehicle with its BOM, sourcing, supplier inputs and rates, all or nothing."""
    lang = (language.value if language else None) or get_settings().default_language
    files = read_files(path)
    try:
        with cli.session(write=True) as session:
            done = service.import_vehicle(
                session=session, actor=cli.actor(), files=files, visibility=visibility
            )
    except CooplabError as exc:
        if not exc.details:
            raise
        cli.err_console.print(
            translate(lang, "catalog.import_failed", count=len(exc.details)),
            highlight=False,
            markup=False,
        )
        for line in problem_lines(exc, lang):
            cli.err_console.print(line, highlight=False, markup=False)
        sys.exit(1)
    counts = done.model_dump(include={"code", "lines", "sources", "inputs", "rates"})
    if done.replaced:
        typer.echo(translate(lang, "catalog.replaced", **counts))
    else:
        typer.echo(translate(lang, "catalog.imported", **counts))
    if done.illustrative:
        typer.echo(translate(lang, "catalog.illustrative_note"))


@catalog_app.command("export")
def catalog_export(
    code: str,
    output: Annotated[Path, typer.Option("--output", "-o", help="An .xlsx file, or a folder for CSV files.")],
) -> None:
    """Write a stored vehicle back as the workbook it was imported from (as you may see it)."""
    as_csv = output.suffix.lower() != ".xlsx"
    with cli.session() as session:
        data = service.export_vehicle(session=session, actor=cli.actor(), code=code, csv=as_csv)
    if isinstance(data, dict):
        output.mkdir(parents=True, exist_ok=True)
        for name, content in data.items():
            (output / name).write_bytes(content)
    else:
        output.write_bytes(data)
    typer.echo(f"wrote {output}")


@catalog_app.command("list")
def catalog_list(
    q: Annotated[str | None, typer.Option(help="Words of the code or name.")] = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List the vehicles you may see."""
    filters = cli.validated(VehicleFilter, q=q)
    with cli.session() as session:
        found = service.list_vehicles(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
    cli.show(found.data, fmt, ["code", "name", "oem", "annual_volume", "lines", "illustrative"])


@catalog_app.command("show")
def catalog_show(code: str) -> None:
    """A vehicle with its bill as a tree and the sources you may see, as JSON."""
    with cli.session() as session:
        detail = service.vehicle_detail(session=session, actor=cli.actor(), code=code)
    cli.echo_json(detail)


@catalog_app.command("rate")
def catalog_rate(
    currency: Annotated[str, typer.Argument(help="ISO 4217 code: USD, RUB, KRW...")],
    day: Annotated[str, typer.Argument(help="From which date (YYYY-MM-DD).")],
    uzs_per_unit: Annotated[str, typer.Argument(help="How many sum one unit is worth.")],
) -> None:
    """Enter or correct the rate of a currency from a date (no live rates: the table is yours)."""
    data = cli.validated(RateIn, currency=currency, day=day, uzs_per_unit=uzs_per_unit)
    with cli.session(write=True) as session:
        rate = service.set_rate(session=session, actor=cli.actor(), data=data)
    typer.echo(f"{rate.currency} {rate.day.isoformat()}: {rate.uzs_per_unit} UZS")


@catalog_app.command("rates")
def catalog_rates(
    currency: Annotated[str | None, typer.Option(help="Only this currency.")] = None,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """The rate table, by currency and date."""
    with cli.session() as session:
        rates = service.list_rates(session=session, actor=cli.actor(), currency=currency)
    cli.show(rates, fmt, ["currency", "day", "uzs_per_unit"])
