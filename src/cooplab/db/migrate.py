"""Run Alembic migrations from code: `cooplab db upgrade` and the tests call these.

The environment (`env.py`, the script template) is here; the migrations themselves live with
the tables they change, in each domain's `migrations/` folder. They are found by that folder's
name, so this layer imports no domain. The history is one graph across the folders: a
migration names the one it follows (`down_revision`), and two domains may branch from the same
one; `upgrade` brings every branch to its newest.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData

MIGRATIONS = Path(__file__).parent / "migrations"
PACKAGE = Path(__file__).parent.parent


def version_folders() -> list[Path]:
    """Every domain's `migrations/` folder (`cooplab/<domain>/migrations`)."""
    return sorted(p for p in PACKAGE.glob("*/migrations") if p.is_dir() and p != MIGRATIONS)


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in version_folders()))
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database schema up to `revision` (default: the newest of every branch)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def new_revision(
    engine: Engine, metadata: MetaData, folder: Path, message: str, *, after: str | None = None
) -> Path:
    """Write a migration into `folder` (a domain's `migrations/`), generated from the difference
    between the tables of `metadata` (every domain's models) and the schema of `engine` (which
    must be up to date). It follows `after`,
    else the newest migration of the folder, else the newest migration there is (when several
    branches end, Alembic asks for `after`)."""
    from alembic.script import ScriptDirectory

    config = alembic_config(engine)
    folder.mkdir(exist_ok=True)
    if str(folder) not in config.get_main_option("version_locations", ""):
        config.set_main_option(
            "version_locations",
            os.pathsep.join([config.get_main_option("version_locations", ""), str(folder)]),
        )
    script = ScriptDirectory.from_config(config)
    own = [rev.revision for rev in script.get_revisions("heads") if Path(rev.path).parent == folder]
    head = after or (own[0] if own else "head")
    config.attributes["target_metadata"] = metadata
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        written = command.revision(config, message, autogenerate=True, head=head, version_path=str(folder))
    found = written[0] if isinstance(written, list) else written
    assert found is not None
    return Path(found.path)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
