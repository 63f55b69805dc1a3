"""Contract: every setting and every CLI command is documented."""

from pathlib import Path

import click
import typer

from cooplab.cli import app
from cooplab.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def commands(cmd: click.Command, path: tuple[str, ...] = ()) -> list[str]:
    if hasattr(cmd, "commands"):
        return [c for name, sub in cmd.commands.items() for c in commands(sub, (*path, name))]
    return [" ".join(path)]


def test_every_cli_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = [c for c in commands(typer.main.get_command(app)) if f"`cooplab {c}`" not in text]
    assert missing == []


def test_every_setting_is_documented():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [f for f in Settings.model_fields if f"COOPLAB_{f.upper()}" not in text]
    assert missing == []
