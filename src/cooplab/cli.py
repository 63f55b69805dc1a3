"""The cooplab command, assembled from the domain registry: the platform's own commands (db,
demo, serve, backup, restore) and each domain's."""

from __future__ import annotations

import typer

from cooplab.app import commands
from cooplab.core import cli
from cooplab.core.domain import domains

app = typer.Typer(
    help="cooplab: the registry of industrial localization and cooperation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _mount(sub: typer.Typer) -> None:
    """Add a sub-app's commands and groups to the root, at the top level."""
    app.registered_commands += sub.registered_commands
    app.registered_groups += sub.registered_groups


_mount(commands.app)
for _domain in domains():
    _mount(_domain.module("cli").app)


def main() -> None:
    """Entry point: run the app, turning every cooplab error into one line and exit code 1."""
    cli.run(app)
