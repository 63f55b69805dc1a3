"""Alembic environment: the URL comes from the settings, batch mode keeps SQLite ALTERs working.
The tables to compare with (for a new revision) are handed in by the caller, who knows the
domains (`config.attributes["target_metadata"]`); an upgrade needs none."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from cooplab.db.session import make_engine
from cooplab.settings import get_settings

metadata = context.config.attributes.get("target_metadata")


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or get_settings().database_url
    with make_engine(url).connect() as conn:
        run_with(conn)
        conn.commit()
