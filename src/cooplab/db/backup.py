"""Backups: SQLite through its online backup API (safe while the app runs), PostgreSQL through
pg_dump / pg_restore. A restore goes into an empty database only, never over live data."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url

from cooplab.db.session import is_sqlite
from cooplab.errors import ConflictError, InvalidInputError

_SQLITE_MAGIC = b"SQLite format 3\x00"
_PGDUMP_MAGIC = b"PGDMP"


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    if not database or database == ":memory:":
        raise InvalidInputError("an in-memory database cannot be backed up")
    return database


def _libpq(engine: Engine) -> tuple[str, str | None]:
    """The libpq address of a PostgreSQL engine and the schema its search_path names, if any."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    schema = None
    options = url.query.get("options")
    if options:
        text = unquote(options if isinstance(options, str) else options[0])
        for part in text.split():
            if part.startswith("-csearch_path="):
                schema = part.split("=", 1)[1]
    plain = url.set(drivername="postgresql").difference_update_query(["options"])
    return plain.render_as_string(hide_password=False), schema


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InvalidInputError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def backup(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the database to `target`."""
    if target.exists():
        raise ConflictError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(engine):
        source = sqlite3.connect(_sqlite_path(engine))
        dest = sqlite3.connect(target)
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target
    address, schema = _libpq(engine)
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", address]
    if schema:
        command.insert(1, f"--schema={schema}")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise InvalidInputError(f"pg_dump failed: {result.stderr.strip()}")
    return target


#: PostgreSQL's own schemas, which every database has.
_SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast"})


def _tables_in(engine: Engine) -> list[str]:
    """Every table and view of the database, whoever made it (not only cooplab's), in every
    schema but the system's: a restore goes into a database that holds none."""
    found = []
    inspector = inspect(engine)
    schemas = (
        [None]
        if is_sqlite(engine)
        else [s for s in inspector.get_schema_names() if s not in _SYSTEM_SCHEMAS and not s.startswith("pg_")]
    )
    for schema in schemas:
        prefix = f"{schema}." if schema else ""
        names = inspector.get_table_names(schema=schema) + inspector.get_view_names(schema=schema)
        found += [prefix + name for name in sorted(names)]
    return found


def restore(engine: Engine, source: Path) -> None:
    """Load a backup made by `backup` into this (empty) database."""
    if not source.is_file():
        raise InvalidInputError(f"{source}: no such file")
    head = source.read_bytes()[:16]
    found = _tables_in(engine)
    if found:
        shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        raise ConflictError(
            f"the target database is not empty (it holds {shown}); nothing was restored: "
            "restore into a new, empty database",
            reason="target_not_empty",
            tables=shown,
        )
    if is_sqlite(engine):
        if head != _SQLITE_MAGIC:
            raise InvalidInputError(f"{source.name}: not a cooplab SQLite backup")
        engine.dispose()
        src = sqlite3.connect(source)
        dest = sqlite3.connect(_sqlite_path(engine))
        try:
            with dest:
                src.backup(dest)
        finally:
            dest.close()
            src.close()
        return
    if not head.startswith(_PGDUMP_MAGIC):
        raise InvalidInputError(f"{source.name}: not a PostgreSQL backup made by `cooplab backup`")
    address, _ = _libpq(engine)
    result = subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={address}", str(source)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise InvalidInputError(f"pg_restore failed: {result.stderr.strip()}")


__all__ = ["backup", "restore"]
