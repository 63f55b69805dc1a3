"""Commands of matchmaking: import needs and capabilities (`matching import`), list them, and
rank (`match need REF|ID`, `match supplier ID`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cooplab.catalog.cli import Lang, LangOpt, problem_lines, read_files
from cooplab.core import cli
from cooplab.core.i18n import translate
from cooplab.errors import CooplabError
from cooplab.matching import service
from cooplab.matching.filters import CapabilityFilter, NeedFilter
from cooplab.matching.schemas import MatchFilter, MatchList
from cooplab.settings import get_settings

app = typer.Typer()
matching_app = typer.Typer(help="Needs and capabilities: import and list them.", no_args_is_help=True)
match_app = typer.Typer(help="Rank suppliers for a need, or needs for a supplier.", no_args_is_help=True)
app.add_typer(matching_app, name="matching")
app.add_typer(match_app, name="match")

__all__ = ["Lang", "app"]

CountryOpt = Annotated[
    list[str] | None, typer.Option("--country", help="Supplier country (ISO code); repeatable.")
]
TierOpt = Annotated[list[int] | None, typer.Option("--tier", help="Supplier tier (1, 2, 3); repeatable.")]
CertOpt = Annotated[
    list[str] | None,
    typer.Option("--certification", help="A certificate held and valid on the need's date; repeatable."),
]
TopOpt = Annotated[int, typer.Option("--top", help="How many to show (1 to 100).")]


def _lang(language: Lang | None) -> str:
    return (language.value if language else None) or get_settings().default_language


@matching_app.command("import")
def matching_import(
    path: Annotated[
        Path, typer.Argument(help="An XLSX workbook, or a folder of CSV files named like its sheets.")
    ],
    language: LangOpt = None,
) -> None:
    """Import needs and capabilities (sheets `needs`, `capabilities`), all or nothing."""
    lang = _lang(language)
    files = read_files(path)
    try:
        with cli.session(write=True) as session:
            done = service.import_workbook(session=session, actor=cli.actor(), files=files)
    except CooplabError as exc:
        if not exc.details:
            raise
        cli.err_console.print(
            translate(lang, "matching.import_failed", count=len(exc.details)), highlight=False, markup=False
        )
        for line in problem_lines(exc, lang):
            cli.err_console.print(line, highlight=False, markup=False)
        sys.exit(1)
    typer.echo(translate(lang, "matching.imported", **done.model_dump()))
    if done.illustrative:
        typer.echo(translate(lang, "matching.illustrative_note"))


@matching_app.command("needs")
def matching_needs(
    buyer: Annotated[int | None, typer.Option("--buyer", help="The buyer's registry id.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="The buyer's country (ISO code).")] = None,
    tier: Annotated[int | None, typer.Option("--tier", help="The buyer's tier (1, 2, 3).")] = None,
    certification: Annotated[
        str | None, typer.Option("--certification", help="A certification the need asks for.")
    ] = None,
    hs_code: Annotated[
        str | None, typer.Option("--hs-code", help="HS code or its first digits (8708, 8708.70).")
    ] = None,
    q: Annotated[str | None, typer.Option(help="Words of the ref or part.")] = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List the needs you may see, filtered as the web list and the API filter them."""
    filters = cli.validated(
        NeedFilter,
        buyer_id=buyer,
        country=country,
        tier=tier,
        certification=certification,
        hs_code=hs_code,
        q=q,
    )
    with cli.session() as session:
        found = service.list_needs(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
    cli.show(found.data, fmt, ["id", "ref", "buyer", "hs_code", "part", "annual_volume", "illustrative"])


@matching_app.command("capabilities")
def matching_capabilities(
    supplier: Annotated[int | None, typer.Option("--supplier", help="The supplier's registry id.")] = None,
    limit: int = 50,
    offset: int = 0,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List the capabilities you may see."""
    filters = cli.validated(CapabilityFilter, supplier_id=supplier)
    with cli.session() as session:
        found = service.list_capabilities(
            session=session, actor=cli.actor(), filters=filters, offset=offset, limit=limit
        )
    cli.show(found.data, fmt, ["id", "supplier", "hs_codes", "processes", "annual_capacity", "illustrative"])


def _show(found: MatchList, fmt: cli.Format, lang: str, name: str) -> None:
    if fmt == cli.Format.json:
        cli.echo_json(found.model_dump(mode="json"))
        return
    if not found.data:
        typer.echo(found.empty or "")
        return
    cli.print_table(
        [
            "#",
            (
                translate(lang, "matching.column.supplier")
                if name == "supplier"
                else translate(lang, "matching.column.need")
            ),
            translate(lang, "matching.column.score"),
            translate(lang, "matching.column.reasons"),
        ],
        [
            [
                str(n),
                (m.supplier or translate(lang, "matching.anonymous"))
                if name == "supplier"
                else (m.need_ref or ""),
                f"{m.score:.3f}",
                "; ".join(m.reasons)
                + (" " + translate(lang, "matching.illustrative_mark") if m.illustrative else ""),
            ]
            for n, m in enumerate(found.data, 1)
        ],
        right=(0, 2),
    )


@match_app.command("need")
def match_need(
    need: Annotated[str, typer.Argument(help="The need's ref or id.")],
    top: TopOpt = 10,
    country: CountryOpt = None,
    tier: TierOpt = None,
    certification: CertOpt = None,
    fmt: cli.FormatOpt = cli.Format.table,
    language: LangOpt = None,
) -> None:
    """The best suppliers for a need, with their reasons."""
    lang = _lang(language)
    filters = cli.validated(
        MatchFilter, top=top, country=country or [], tier=tier or [], certification=certification or []
    )
    with cli.session() as session:
        found = service.need_matches(session=session, actor=cli.actor(), key=need, filters=filters, lang=lang)
    _show(found, fmt, lang, "supplier")


@match_app.command("supplier")
def match_supplier(
    supplier: Annotated[int, typer.Argument(help="The supplier's registry id.")],
    top: TopOpt = 10,
    fmt: cli.FormatOpt = cli.Format.table,
    language: LangOpt = None,
) -> None:
    """The needs a supplier's capabilities serve best, with the reasons."""
    lang = _lang(language)
    filters = cli.validated(MatchFilter, top=top)
    with cli.session() as session:
        found = service.supplier_opportunities(
            session=session, actor=cli.actor(), organization_id=supplier, filters=filters, lang=lang
        )
    _show(found, fmt, lang, "need")


@match_app.command("part")
def match_part(
    vehicle: Annotated[str, typer.Argument(help="The vehicle's code.")],
    part: Annotated[str, typer.Argument(help="The part number of a line of its bill.")],
    top: TopOpt = 10,
    country: CountryOpt = None,
    tier: TierOpt = None,
    certification: CertOpt = None,
    fmt: cli.FormatOpt = cli.Format.table,
    language: LangOpt = None,
) -> None:
    """Who can make a line of a vehicle's bill: the suppliers ranked for a need built from the
    line (not stored), with their reasons."""
    lang = _lang(language)
    filters = cli.validated(
        MatchFilter, top=top, country=country or [], tier=tier or [], certification=certification or []
    )
    with cli.session() as session:
        found = service.part_matches(
            session=session, actor=cli.actor(), code=vehicle, part_number=part, filters=filters, lang=lang
        )
    _show(found, fmt, lang, "supplier")
