"""The migrations and the models describe the same schema, on SQLite and on PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cooplab.core.domain import load_models
from cooplab.db.base import Base
from cooplab.db.migrate import downgrade, upgrade
from cooplab.db.session import make_engine
from tests.conftest import drop_database, fresh_database_url

load_models()
metadata = Base.metadata


@pytest.fixture
def engine(tmp_path_factory):
    """A database the migrations themselves bring up, not a copy of the test template."""
    url = fresh_database_url(tmp_path_factory)
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    drop_database(url)


def test_migrations_match_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(engine):
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "organizations" in inspect(engine).get_table_names()


def test_a_new_revision_follows_the_one_asked_and_is_written_where_asked(engine, tmp_path):
    from alembic.script import ScriptDirectory

    from cooplab.db.migrate import alembic_config, new_revision

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    path = new_revision(engine, metadata, tmp_path / "migrations", "nothing_changed", after=heads[-1])
    text = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path / "migrations"
    assert f"down_revision = {heads[-1]!r}" in text and "pass" in text  # models and schema agree
