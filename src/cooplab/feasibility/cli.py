"""The feasibility commands: `landed-cost FILE` and `invest FILE` (mounted by the root CLI as
`cooplab landed-cost` and `cooplab invest`). They read the file, call the core and print."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cooplab.core.cli import actor
from cooplab.errors import CooplabError
from cooplab.feasibility import service
from cooplab.feasibility.files import read_invest_file, read_landed_cost_file
from cooplab.feasibility.indicators import Indicators
from cooplab.feasibility.investment import InvestmentResult
from cooplab.feasibility.schemas import Comparison

app = typer.Typer(
    help="Feasibility: landed cost and investment economics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"


FileArg = Annotated[Path, typer.Argument(help="A YAML file or an XLSX workbook (docs/feasibility.md).")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]


def _fail(exc: CooplabError) -> None:
    err = Console(stderr=True)
    err.print(f"[red]error:[/red] {exc.message}", highlight=False, markup=True, soft_wrap=True)
    for detail in exc.details[:20]:
        loc = " / ".join(str(x) for x in detail.get("loc", []))
        err.print(f"  {loc}: {detail.get('msg')}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command("landed-cost")
def landed_cost_command(file: FileArg, fmt: FormatOpt = Format.table) -> None:
    """Landed cost per unit of each option of FILE, with every component, side by side."""
    try:
        result = service.landed_cost(actor=actor(), data=read_landed_cost_file(file), base=file.parent)
    except CooplabError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        typer.echo(json.dumps(service.as_json(result), ensure_ascii=False, indent=2))
        return
    _landed_cost_table(result)


def _landed_cost_table(result: Comparison) -> None:
    console = Console()
    table = Table(
        title=f"Landed cost per unit, {result.currency}, as of {result.as_of.isoformat()}",
        show_header=True,
        header_style="bold",
    )
    table.add_column("component")
    for option in result.options:
        table.add_column(option.landed_cost.option or "", justify="right")
    names = [c.name for c in result.options[0].landed_cost.components]
    for k, name in enumerate(names):
        cells = []
        for option in result.options:
            line = option.landed_cost.components[k]
            cells.append(f"{line.amount:,.4f}" + (" *" if line.assumption else ""))
        table.add_row(name.replace("_", " "), *cells)
    table.add_row(
        "[bold]total[/bold]", *[f"[bold]{o.landed_cost.total_per_unit:,.4f}[/bold]" for o in result.options]
    )
    table.add_row(
        "import VAT paid (apart)",
        *[
            f"{o.landed_cost.import_vat_paid_per_unit:,.4f}"
            + (" recoverable" if o.landed_cost.import_vat_recoverable else "")
            for o in result.options
        ],
    )
    console.print(table)
    if any(o.landed_cost.assumption for o in result.options):
        console.print("* an assumption went into this figure (see --format json for the reasons)")
    if result.cheapest:
        console.print(f"cheapest: {result.cheapest}")


@app.command("invest")
def invest_command(file: FileArg, fmt: FormatOpt = Format.table) -> None:
    """NPV, IRR, MIRR and paybacks of FILE's cash flows, or the full economics of its model."""
    try:
        result = service.invest(actor=actor(), data=read_invest_file(file))
    except CooplabError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        typer.echo(json.dumps(service.as_json(result), ensure_ascii=False, indent=2))
        return
    _invest_table(result)


def _invest_table(result: Indicators | InvestmentResult) -> None:
    console = Console()
    head = Table(
        show_header=True,
        header_style="bold",
        title=(f"Investment ({result.basis} view)" if isinstance(result, InvestmentResult) else "Investment"),
    )
    head.add_column("indicator")
    head.add_column("value", justify="right")
    currency = result.currency or ""

    def pct(v: Decimal | None) -> str:
        return "—" if v is None else f"{v * 100:.2f}%"

    def yrs(v: Decimal | None) -> str:
        return "—" if v is None else f"{v:.2f} years"

    head.add_row("NPV", f"{result.npv:,.2f} {currency}".strip())
    head.add_row("IRR", pct(result.irr) if result.irr is not None else f"none: {result.irr_reason}")
    head.add_row("MIRR", pct(result.mirr))
    head.add_row("payback", yrs(result.payback_years))
    head.add_row("discounted payback", yrs(result.discounted_payback_years))
    if isinstance(result, InvestmentResult):
        head.add_row(
            "break-even volume",
            "—" if result.break_even_volume.value is None else f"{result.break_even_volume.value:,} a year",
        )
        head.add_row(
            "break-even price",
            "—"
            if result.break_even_price.value is None
            else f"{result.break_even_price.value:,.4f} {currency}",
        )
    console.print(head)
    if isinstance(result, InvestmentResult):
        bars = Table(
            title=f"Sensitivity of NPV (tornado), ±{result.tornado[0].change * 100:.0f}%", header_style="bold"
        )
        for column in ("driver", "NPV low", "NPV high", "swing"):
            bars.add_column(column, justify="left" if column == "driver" else "right")
        for bar in result.tornado:
            bars.add_row(
                bar.driver.replace("_", " "),
                f"{bar.npv_low:,.2f}",
                f"{bar.npv_high:,.2f}",
                f"{bar.swing:,.2f}",
            )
        console.print(bars)
        if result.scenarios:
            side = Table(title="Scenarios", header_style="bold")
            for column in ("scenario", "NPV", "IRR", "payback"):
                side.add_column(column, justify="left" if column == "scenario" else "right")
            for s in result.scenarios:
                side.add_row(s.name, f"{s.npv:,.2f}", pct(s.irr), yrs(s.payback_years))
            console.print(side)
    for r in result.reasons:
        console.print(f"- {r.text}", highlight=False, markup=False)
