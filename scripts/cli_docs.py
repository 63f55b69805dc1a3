"""Write docs/cli.md from the CLI itself: `python scripts/cli_docs.py > docs/cli.md`."""

import typer

from cooplab.cli import app

HEADER = """# CLI reference

The `cooplab` command. Every read command takes `--format table|json`. Errors print one
message on stderr and exit with status 1; usage mistakes exit with status 2.
The database is `COOPLAB_DATABASE_URL` (see configuration.md). The command line acts as an
administrator: its writes are recorded in the audit log as `cli:<system user>`.
"""


def walk(cmd, path):
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            yield from walk(cmd.commands[name], [*path, name])
        return
    args = " ".join(p.name.upper() for p in cmd.params if p.param_type_name == "argument")
    yield f"## `cooplab {' '.join(path)}`\n"
    yield (cmd.help or "").strip().split("\n")[0] + "\n"
    yield f"    cooplab {' '.join(path)} [OPTIONS] {args}".rstrip() + "\n"
    opts = [p for p in cmd.params if p.param_type_name == "option"]
    for p in opts:
        yield f"- `{' / '.join(p.opts)}`: {(p.help or '').strip() or p.name}"
    if opts:
        yield ""


if __name__ == "__main__":
    print(HEADER)
    print("\n".join(walk(typer.main.get_command(app), [])))
