"""Backups restore into an empty database with everything in it, whole even when taken while
writers commit; restore never overwrites."""

import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import MetaData, exists, func, select

from cooplab.core.actor import SYSTEM
from cooplab.core.audit import AuditEntry
from cooplab.db.backup import backup, restore
from cooplab.db.session import make_engine, session_factory
from cooplab.engagements import service as engagements_service
from cooplab.engagements.models import Event, Mission, MissionOrganization
from cooplab.engagements.schemas import EventIn, MissionCreate
from cooplab.errors import ConflictError, InvalidInputError
from cooplab.registry import service as registry_service
from cooplab.registry.models import Citation, Organization, OrganizationName, Person, Place
from cooplab.registry.reference import load_reference
from cooplab.registry.schemas import NameIn, OrganizationCreate
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


# ---------------------------------------------------------------- a backup taken under writes

WRITERS = 3


def write_until(url: str, writer: int, stop: threading.Event, committed: list[int]) -> None:
    """Write whole records one transaction each until `stop`: an organization with two names and
    a mission of it with two events. `committed[writer]` counts the commits."""
    with session_factory(make_engine(url))() as session:
        i = 0
        while not stop.is_set() or i < 3:
            org = registry_service.create_organization(
                session=session,
                actor=SYSTEM,
                data=OrganizationCreate(
                    names=[
                        NameIn(value=f"Писатель {writer}-{i}"),
                        NameIn(value=f"Writer {writer}-{i}", lang="en"),
                    ],
                    kind="supplier",
                ),
            )
            engagements_service.create_mission(
                session=session,
                actor=SYSTEM,
                data=MissionCreate(
                    title=f"Миссия {writer}-{i}",
                    organization_ids=[org.id],
                    events=[
                        EventIn(kind="visit", summary=f"Визит {writer}-{i}", organization_ids=[org.id]),
                        EventIn(kind="meeting", summary=f"Встреча {writer}-{i}", organization_ids=[org.id]),
                    ],
                ),
            )
            session.commit()
            i += 1
            committed[writer] = i


def dangling_references(engine) -> dict[str, int]:
    """Per foreign key of every table, the rows whose reference names no row."""
    meta = MetaData()
    meta.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            for fk in table.foreign_key_constraints:
                referred = fk.referred_table.alias("referred")  # a table may refer to itself
                pairs = [(el.parent, referred.c[el.column.name]) for el in fk.elements]
                orphans = conn.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(
                        *(child.is_not(None) for child, _ in pairs),
                        ~exists().where(*(child == column for child, column in pairs)),
                    )
                )
                if orphans:
                    found[f"{table.name}.{'+'.join(c.name for c, _ in pairs)}"] = orphans
    return found


def test_a_backup_taken_while_writers_commit_restores_consistent(
    engine, session, tmp_path, empty_target, database_url
):
    """Writers keep committing organizations with their names and missions with their events
    while `cooplab backup` runs; the restore holds every reference whole, and of each writer
    exactly its first k transactions, all of each: one snapshot of the database."""
    if database_url == "sqlite://":
        pytest.skip("in-memory database")
    load_reference(session=session)
    session.commit()
    stop, committed = threading.Event(), [0] * WRITERS
    writers = [
        threading.Thread(target=write_until, args=(database_url, w, stop, committed)) for w in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    try:
        file = tmp_path / "cooplab.backup"
        at_start = list(committed)
        result = subprocess.run(
            [sys.executable, "-m", "cooplab", "backup", str(file)],
            env={**os.environ, "COOPLAB_DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        at_end = list(committed)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=120)
    assert result.returncode == 0, result.stderr
    assert sum(at_end) > sum(at_start), "no writer committed while the backup ran"

    url, pg_name = empty_target
    if pg_name:
        url = url + "?" + database_url.split("?", 1)[1]
    target = make_engine(url)
    restore(target, file)
    assert dangling_references(target) == {}
    with session_factory(target)() as restored:
        for writer in range(WRITERS):
            orgs = restored.scalars(
                select(Organization).where(Organization.name.like(f"Писатель {writer}-%"))
            ).all()
            kept = sorted(int(org.name.rsplit("-", 1)[1]) for org in orgs)
            assert kept == list(range(len(kept))), f"writer {writer}: not a prefix of its commits: {kept}"
            assert at_start[writer] <= len(kept) <= at_end[writer]
            for org in orgs:
                i = org.name.rsplit("-", 1)[1]
                names = restored.scalars(
                    select(OrganizationName.value).where(OrganizationName.organization_id == org.id)
                ).all()
                assert sorted(names) == sorted([f"Писатель {writer}-{i}", f"Writer {writer}-{i}"])
                mission = restored.scalars(
                    select(Mission).where(Mission.title == f"Миссия {writer}-{i}")
                ).one()
                events = restored.scalars(select(Event.summary).where(Event.mission_id == mission.id)).all()
                assert sorted(events) == sorted([f"Визит {writer}-{i}", f"Встреча {writer}-{i}"])
                linked = restored.scalars(
                    select(MissionOrganization.organization_id).where(
                        MissionOrganization.mission_id == mission.id
                    )
                ).all()
                assert linked == [org.id]
                assert restored.scalar(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(AuditEntry.entity_type == "organizations", AuditEntry.entity_id == org.id)
                )
            # nothing of a transaction after the snapshot: no mission, event or name without its organization
            assert restored.scalar(
                select(func.count()).select_from(Mission).where(Mission.title.like(f"Миссия {writer}-%"))
            ) == len(kept)
            assert restored.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.summary.like(f"Визит {writer}-%") | Event.summary.like(f"Встреча {writer}-%"))
            ) == 2 * len(kept)
    target.dispose()
