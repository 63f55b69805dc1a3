"""Alembic environment: the URL comes from the settings, batch mode keeps SQLite ALTERs working."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from cooplab.core.domain import load_models
from cooplab.db.base import Base
from cooplab.db.session import make_engine
from cooplab.settings import get_settings

load_models()
metadata = Base.metadata


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
