"""What every domain's commands share: a session on the configured database acting as the
command line, input checked by the schemas, output as a table or JSON, errors as one line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from cooplab.core.actor import Actor, command_line_actor
from cooplab.core.audit import use_actor
from cooplab.db.session import make_engine, session_factory
from cooplab.errors import CooplabError, invalid_input
from cooplab.settings import get_settings

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]


def run(app: typer.Typer) -> None:
    """Run a command, turning every cooplab error into one line and exit code 1."""
    try:
        app()
    except ValidationError as exc:  # the settings: a bad COOPLAB_* value
        err_console.print("[red]configuration error:[/red]", highlight=False)
        for err in exc.errors():
            name = "COOPLAB_" + str(err["loc"][0]).upper() if err["loc"] else "COOPLAB settings"
            err_console.print(
                f"  {name}: {err['msg'].removeprefix('Value error, ')}", highlight=False, markup=False
            )
        sys.exit(1)
    except CooplabError as exc:
        err_console.print(f"[red]error:[/red] {exc.message}", highlight=False, markup=True)
        for detail in exc.details[:20]:
            loc = " / ".join(str(x) for x in detail.get("loc", []))
            err_console.print(f"  {loc}: {detail.get('msg')}", highlight=False, markup=False)
        sys.exit(1)


def actor() -> Actor:
    """Who the command line acts as: an administrator, recorded as cli:<system user>."""
    return command_line_actor()


@contextmanager
def session(*, write: bool = False) -> Iterator[Session]:
    """A session on the configured database, its writes attributed to the command line;
    committed at the end when `write`."""
    engine = make_engine(get_settings().database_url)
    if "alembic_version" not in inspect(engine).get_table_names():
        raise CooplabError("the database is not set up yet: run `cooplab db upgrade` (or `cooplab demo`)")
    with session_factory(engine)() as db:
        use_actor(db, actor())
        yield db
        if write:
            db.commit()


def validated(model: type[BaseModel], **fields: Any) -> Any:
    """`model` made from the options, or the error naming each bad option."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise invalid_input(exc) from None


def echo_json(data: Any) -> None:
    """Data as indented JSON (a model as its JSON dump), letters as they are."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> None:
    """Rows of text under their headers; the columns numbered in `right` (numbers) aligned right."""
    table = Table(show_header=True, header_style="bold")
    for n, header in enumerate(headers):
        table.add_column(header, justify="right" if n in right else "left")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def show(items: BaseModel | Sequence[BaseModel], fmt: Format, columns: Sequence[str]) -> None:
    """Records as a table of `columns` (dotted paths into each), or as JSON."""
    many = not isinstance(items, BaseModel)
    rows: list[BaseModel] = [items] if isinstance(items, BaseModel) else list(items)
    data = [r.model_dump(mode="json") for r in rows]
    if fmt == Format.json:
        echo_json(data if many else data[0])
        return
    print_table(columns, [[cell(values, c) for c in columns] for values in data])


def cell(values: dict[str, Any], column: str) -> str:
    """One cell of a table: the value at a dotted path; the illustrative mark said in words."""
    value: Any = values
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if column == "illustrative":  # the mark shows where it applies, nothing where it does not
        return "illustrative" if value else ""
    return "" if value is None else str(value)
