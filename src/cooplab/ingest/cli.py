"""Commands of ingest: extract records from reports and news texts, keep them as drafts,
accept them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cooplab.core import cli
from cooplab.errors import InvalidInputError

app = typer.Typer()


# ---------------------------------------------------------------- ingest


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Text, HTML or DOCX files.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD: the year of dates without one.")
    ] = None,
    fmt: cli.FormatOpt = cli.Format.json,
    save: Annotated[bool, typer.Option(help="Keep each document as a draft for review.")] = False,
    accept: Annotated[bool, typer.Option(help="Save and accept every proposed record at once.")] = False,
    title: Annotated[
        str | None, typer.Option(help="Title of the mission an accepted document becomes.")
    ] = None,
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
    actor = cli.actor()
    results = []
    with cli.session(write=save or accept) as session:
        for path in files:
            text = read_path(path)
            if save or accept:
                document, new = ingest_service.save_document(
                    session=session, actor=actor, text=text, name=path.name, published=day
                )
                if accept and document.status == "draft":
                    done = ingest_service.accept_document(
                        session=session, actor=actor, document_id=document.id, title=title or path.stem
                    )
                    cli.err_console.print(
                        f"{path.name}: accepted: mission {done.mission_id}, {done.created} new record(s)",
                        highlight=False,
                    )
                elif not new:
                    cli.err_console.print(
                        f"{path.name}: ingested before as document {document.id} "
                        f"({document.status}); nothing changed",
                        highlight=False,
                    )
                else:
                    cli.err_console.print(
                        f"{path.name}: saved as draft document {document.id}", highlight=False
                    )
                results.append(document.result)
            else:
                results.append(extract(text, published=day, source=path.name, session=session))
    if fmt == cli.Format.json:
        data = [r.model_dump(mode="json") for r in results]
        typer.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        return
    for result in results:
        cli.console.print(f"[bold]{result.source}[/bold] ({result.language})", highlight=False)
        table = Table("type", "name", "id", "details")
        for o in result.organizations:
            table.add_row("organization", o.name, str(o.id or "new"), ", ".join(o.mentions))
        for p in result.people:
            table.add_row(
                "person",
                p.name,
                str(p.id or "new"),
                "; ".join(f"{x.title}, {x.organization or '-'}" for x in p.positions),
            )
        for pl in result.places:
            table.add_row("place", pl.name, str(pl.id or "new"), pl.country or "")
        for d in result.dates:
            table.add_row("date", d.text, "", f"{d.start} – {d.end}" if d.end else d.start)
        for e in result.events:
            table.add_row(
                "event", e.kind, "", f"{e.start or ''} {e.place or ''}: {', '.join(e.organizations)}"
            )
        for a in result.agreements:
            table.add_row("agreement", a.kind, "", " / ".join(a.parties))
        cli.console.print(table)
