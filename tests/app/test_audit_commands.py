"""The commands and their drivers: the CLI's own command tree lists each command; each has a
driver below that runs it with valid input, or is named read-only with the reason (and checked to
change no record), or is named as one not run here with the reason. A command added without a
driver fails here; tests/app/test_audit_trail.py runs the drivers and checks the trail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cooplab.cli import app
from cooplab.core.actor import command_line_actor
from tests.app.audit_paths import MOVE_A, TEXT, Reached, World, changes, judge, recording, snapshot
from tests.app.audit_paths import world as world  # noqa: F401  (the fixture)
from tests.localization.test_service import files
from tests.webkit import PASSWORD

Args = Callable[[World, Path], list[str]]


def commands(cmd: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Every command of the CLI by its words (`org add`), from the command tree itself."""
    if hasattr(cmd, "commands"):
        return [c for name, sub in cmd.commands.items() for c in commands(sub, (*path, name))]
    return [" ".join(path)]


def written(folder: Path, name: str, content: str | bytes) -> str:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def vehicle_folder(w: World, folder: Path) -> str:
    """The small vehicle of tests/localization under another code, as CSV files in a folder."""
    book = folder / "h2"
    book.mkdir()
    for name, content in files().items():
        (book / name).write_bytes(content.replace(b"H-1", b"H-2"))
    return str(book)


def matching_folder(w: World, folder: Path) -> str:
    book = folder / "matching"
    book.mkdir()
    (book / "needs.csv").write_text(
        "ref,buyer,hs_code,part,description,annual_volume,target_price,currency,processes,"
        "certifications,delivery_place,deadline,visibility\n"
        "B-7,UzAuto Motors,8708.10,Bumper,Бампер передний,50000,,,injection_moulding,,,,members\n",
        encoding="utf-8",
    )
    (book / "capabilities.csv").write_text(
        "supplier,hs_codes,processes,materials,annual_capacity,certifications,site,description,visibility\n"
        "Uz-Koram Co,8708.10,injection_moulding,polypropylene,200000,,,Bumpers,members\n",
        encoding="utf-8",
    )
    return str(book)


def scenario_file(w: World, folder: Path) -> str:
    change = ", ".join(f"{k}: {v}" for k, v in MOVE_A.items())
    return written(folder, f"s{w.counter}.yaml", f"name: cli\nchanges:\n  - {{{change}}}\n")


def cash_flows(w: World, folder: Path) -> str:
    return written(folder, "flows.yaml", "cash_flows: [-100, 60, 60]\ndiscount_rate: 0.1\n")


def landed_cost(w: World, folder: Path) -> str:
    from cooplab.feasibility.service import example

    return written(folder, "landed_cost.yaml", example("landed_cost"))


WRITES: dict[str, Args] = {
    "demo": lambda w, f: [],
    "org add": lambda w, f: ["ООО Ромашка", "--kind", "supplier", "--tier", "2", "--country", "RU"],
    "person add": lambda w, f: ["Андрей Крайнов", "--title", "директор", "--organization", str(w.orgs["a"])],
    "place add": lambda w, f: ["Наманган", "--country", "UZ", "--kind", "city"],
    "import": lambda w, f: [
        written(f, "orgs.csv", "name,kind,country\nСтанкомаш,supplier,RU\nUz-Koram Co,supplier,UZ\n"),
        "--kind",
        "org",
    ],
    "merge": lambda w, f: [str(w.org()), str(w.org())],
    "unmerge": lambda w, f: [str(w.merge())],
    "user add": lambda w, f: ["cli@example.org", "--role", "viewer", "--password", PASSWORD],
    "user disable": lambda w, f: [user_email(w)],
    "token create": lambda w, f: ["--user", w.admin.label, "--name", "ci", "--scope", "read"],
    "token revoke": lambda w, f: [str(w.token())],
    "ingest": lambda w, f: [written(f, "visit.txt", TEXT), "--accept", "--title", "Визит АВТОВАЗ"],
    "catalog import": lambda w, f: [vehicle_folder(w, f), "--visibility", "members"],
    "catalog rate": lambda w, f: ["USD", "2025-02-01", "12950"],
    "localization scenario": lambda w, f: ["H-1", scenario_file(w, f), "--save", "cli-local"],
    "localization scenario-delete": lambda w, f: ["H-1", w.scenario()],
    "matching import": lambda w, f: [matching_folder(w, f)],
}


def user_email(w: World) -> str:
    from cooplab.accounts import service as accounts

    return accounts.get_user(session=w.session, actor=w.admin, user_id=w.user()).email


#: Commands that read, compute or copy, and store no record, with the reason.
READ_ONLY: dict[str, tuple[str, Args]] = {
    "audit": ("shows the audit log", lambda w, f: ["--limit", "5"]),
    "backup": ("copies the database to a file", lambda w, f: [str(f / "backup.db")]),
    "db upgrade": ("migrates the schema; an up-to-date database keeps its records", lambda w, f: []),
    "export": (
        "writes the registry to a file",
        lambda w, f: ["--kind", "org", "--output", str(f / "orgs.xlsx")],
    ),
    "catalog export": ("writes a vehicle to a file", lambda w, f: ["H-1", "--output", str(f / "h1.xlsx")]),
    "catalog list": ("lists vehicles", lambda w, f: []),
    "catalog rates": ("lists rates", lambda w, f: []),
    "catalog show": ("shows a vehicle", lambda w, f: ["H-1"]),
    "dedupe": ("lists likely duplicates", lambda w, f: []),
    "invest": ("computes from a file", lambda w, f: [cash_flows(w, f)]),
    "landed-cost": ("computes from a file", lambda w, f: [landed_cost(w, f)]),
    "localization compare": ("compares saved scenarios", lambda w, f: ["H-1", w.scenario()]),
    "localization level": ("computes a level", lambda w, f: ["H-1"]),
    "localization opportunities": ("ranks opportunities", lambda w, f: ["H-1"]),
    "localization scenarios": ("lists saved scenarios", lambda w, f: ["H-1"]),
    "match need": ("ranks suppliers for a need", lambda w, f: [str(w.need())]),
    "match supplier": ("ranks needs for a supplier", lambda w, f: [str(w.orgs["a"])]),
    "match part": ("ranks suppliers for a bill's line, storing no need", lambda w, f: ["H-1", "A"]),
    "matching capabilities": ("lists capabilities", lambda w, f: []),
    "matching needs": ("lists needs", lambda w, f: []),
    "mission actions": ("lists next steps", lambda w, f: []),
    "mission list": ("lists missions", lambda w, f: []),
    "mission show": ("shows a mission", lambda w, f: [str(w.mission())]),
    "org list": ("lists organizations", lambda w, f: []),
    "org search": ("searches organizations", lambda w, f: ["Koram"]),
    "org show": ("shows an organization", lambda w, f: [str(w.orgs["a"])]),
    "person list": ("lists people", lambda w, f: []),
    "person search": ("searches people", lambda w, f: ["Крайнов"]),
    "person show": ("shows a person", lambda w, f: [str(w.person)]),
    "place list": ("lists places", lambda w, f: []),
    "place search": ("searches places", lambda w, f: ["Андижан"]),
    "place show": ("shows a place", lambda w, f: [str(w.place)]),
    "report mission": (
        "writes a report of a mission",
        lambda w, f: [str(w.mission()), "-o", str(f / "r.md")],
    ),
    "token list": ("lists tokens", lambda w, f: []),
    "user list": ("lists users", lambda w, f: []),
}

#: Commands not run here, with the reason.
NOT_RUN = {
    "serve": "runs the web server: its writes are the routes', checked in test_audit_routes",
    "restore": "fills an empty database with a backup: the records come with the trail they had",
    "db revision": "writes a migration file into the source tree, not a record",
}


def test_every_command_has_a_driver_or_a_reason() -> None:
    found = set(commands(typer.main.get_command(app)))
    assert len(found) >= 40, "the command tree was not read"
    known = set(WRITES) | set(READ_ONLY) | set(NOT_RUN)
    assert sorted(found - known) == [], "a command that may write has no driver here"
    assert sorted(known - found) == [], "a driver of a command that no longer exists"
    assert not set(WRITES) & set(READ_ONLY) and not (set(WRITES) | set(READ_ONLY)) & set(NOT_RUN)


def run(
    engine: Any, world: World, folder: Path, command: str, args: Args, reached: Reached | None = None
) -> tuple[Any, Any]:
    """Run one command as the driver says; its result and the verdict on what it wrote."""
    argv = [*command.split(), *args(world, folder)]
    before = snapshot(engine)
    with recording(reached):
        result = CliRunner().invoke(app, argv)
    after = snapshot(engine)
    return result, judge(changes(before, after), after, command_line_actor().label)


def failed(command: str, result: Any) -> str | None:
    if result.exit_code == 0:
        return None
    return f"{command}: exit {result.exit_code} {result.output[-400:]} {result.exception!r}"


@pytest.fixture
def folder(tmp_path: Path, settings_env: str) -> Path:
    """A folder for the commands' files, the commands pointed at the test database."""
    return tmp_path


def test_read_only_commands_change_no_record(engine: Any, world: World, folder: Path) -> None:
    problems: list[str] = []
    for command, (_, args) in READ_ONLY.items():
        result, verdict = run(engine, world, folder, command, args)
        if refusal := failed(command, result):
            problems.append(refusal)
        problems += [f"{command}: {change}" for change in verdict.written]
    assert not problems, "\n".join(problems)
