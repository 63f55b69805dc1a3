"""Backups restore into an empty database with everything in it; restore never overwrites."""

import pytest
from sqlalchemy import func, select

from cooplab.db.backup import backup, restore
from cooplab.db.session import make_engine, session_factory
from cooplab.errors import ConflictError, InvalidInputError
from cooplab.registry.models import Citation, Organization, OrganizationName, Person, Place
from cooplab.registry.reference import load_reference
from tests.conftest import TEST_URL

MODELS = (Organization, OrganizationName, Person, Place, Citation)


def counts(session):
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in MODELS}


@pytest.fixture
def empty_target(tmp_path_factory):
    """A new, empty database: a SQLite file, or a new PostgreSQL database."""
    if TEST_URL.startswith("postgresql"):
        import uuid

        from sqlalchemy import create_engine, text

        name = f"restore_{uuid.uuid4().hex[:10]}"
        admin = create_engine(TEST_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        base = TEST_URL.rsplit("/", 1)[0]
        yield f"{base}/{name}", name
        make_engine(f"{base}/{name}").dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('restore')}/restored.sqlite3", None


def test_backup_then_restore_into_an_empty_database(engine, session, tmp_path, empty_target, database_url):
    if database_url == "sqlite://":
        pytest.skip("in-memory database")
    load_reference(session=session)
    session.commit()
    expected = counts(session)
    file = backup(engine, tmp_path / "cooplab.backup")
    url, pg_name = empty_target
    if pg_name:
        # the backup holds the test's own schema; read it back through the same search_path
        url = url + "?" + database_url.split("?", 1)[1]
    target = make_engine(url)
    restore(target, file)
    with session_factory(target)() as restored:
        assert counts(restored) == expected
        assert restored.scalar(select(Organization.name).where(Organization.name == "UzAuto Motors"))
    with pytest.raises(ConflictError, match="not empty"):
        restore(target, file)
    with pytest.raises(ConflictError, match="exists already"):
        backup(engine, file)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_target):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(InvalidInputError, match="not a"):
        restore(make_engine(empty_target[0]), bogus)


def test_restore_refuses_any_non_empty_target(engine, session, tmp_path, empty_target, database_url):
    """A database that is not cooplab's is refused too: a foreign table with 1,000 rows, or a
    table with no rows at all, stays exactly as it was."""
    if database_url == "sqlite://":
        pytest.skip("in-memory database")
    from sqlalchemy import text

    load_reference(session=session)
    session.commit()
    file = backup(engine, tmp_path / "cooplab.backup")
    target = make_engine(empty_target[0])
    with target.begin() as conn:
        conn.execute(text("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER)"))
        conn.execute(
            text("INSERT INTO ledger (id, amount) VALUES (:id, :amount)"),
            [{"id": i, "amount": i * 7} for i in range(1000)],
        )
    with pytest.raises(ConflictError, match="not empty") as refused:
        restore(target, file)
    assert refused.value.reason == "target_not_empty" and "ledger" in refused.value.message
    with target.connect() as conn:
        assert conn.execute(text("SELECT count(*), sum(amount) FROM ledger")).one() == (
            1000,
            7 * 999 * 1000 // 2,
        )
        conn.execute(text("DELETE FROM ledger"))
        conn.commit()
    with pytest.raises(ConflictError, match="not empty"):
        restore(target, file)  # an empty table is a table all the same
    target.dispose()
