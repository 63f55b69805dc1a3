"""Commands of engagements: missions with their next steps, and the mission report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cooplab.core import cli
from cooplab.engagements import service
from cooplab.engagements.filters import ActionItemFilter
from cooplab.engagements.report import mission_report, report_docx

app = typer.Typer()
mission_app = typer.Typer(help="Missions, their events, agreements and next steps.", no_args_is_help=True)
report_app = typer.Typer(help="Reports written from the records.", no_args_is_help=True)
app.add_typer(mission_app, name="mission")
app.add_typer(report_app, name="report")


@mission_app.command("list")
def mission_list(limit: int = 50, offset: int = 0, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """List missions, newest first."""
    with cli.session() as session:
        found = service.list_missions(session=session, actor=cli.actor(), offset=offset, limit=limit)
    cli.show(found.data, fmt, ["id", "title", "start", "end", "visibility"])
    if fmt == cli.Format.table:
        typer.echo(f"{found.count} mission(s)")


@mission_app.command("show")
def mission_show(mission_id: int, fmt: cli.FormatOpt = cli.Format.json) -> None:
    """One mission with its organizations, participants, events, agreements and action items."""
    with cli.session() as session:
        mission = service.mission_detail(session=session, actor=cli.actor(), mission_id=mission_id)
    cli.show(mission, fmt, ["id", "title", "start", "end", "visibility"])


@mission_app.command("actions")
def mission_actions(
    status: Annotated[str | None, typer.Option(help="open, done or cancelled.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only open items past their due date.")] = False,
    fmt: cli.FormatOpt = cli.Format.table,
) -> None:
    """List next steps (action items), soonest due first."""
    filters = cli.validated(ActionItemFilter, status=status, overdue=overdue)
    with cli.session() as session:
        items = service.list_action_items(session=session, actor=cli.actor(), filters=filters, limit=500).data
    cli.show(items, fmt, ["id", "title", "due", "status", "responsible_organization.name", "overdue"])


class Lang(StrEnum):
    ru = "ru"
    en = "en"


class ReportFormat(StrEnum):
    md = "md"
    docx = "docx"


@report_app.command("mission")
def report_mission(
    mission_id: int,
    lang: Annotated[Lang, typer.Option(help="ru or en.")] = Lang.ru,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="md (Markdown) or docx (a Word document).")
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (docx: mission-ID-LANG.docx when not given)."
        ),
    ] = None,
) -> None:
    """Write a clean report of a mission from its records, in Russian or English, as Markdown or DOCX."""
    with cli.session() as session:
        text = mission_report(session=session, actor=cli.actor(), mission_id=mission_id, lang=lang.value)
        title = service.mission_detail(session=session, actor=cli.actor(), mission_id=mission_id).title
    if fmt == ReportFormat.docx:
        output = output or Path(f"mission-{mission_id}-{lang.value}.docx")
        output.write_bytes(report_docx(text, title=title, lang=lang.value))
        typer.echo(f"wrote {output}")
    elif output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text, nl=False)
