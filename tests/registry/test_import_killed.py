"""An import killed with SIGKILL in the middle leaves every table of the database as it was
before, or holding the whole import (every table compared row for row, audit trail included)."""

import os
import signal
import subprocess
import sys
import time

from cooplab.db.migrate import upgrade
from cooplab.db.session import make_engine, session_factory
from cooplab.registry.reference import load_reference
from tests.conftest import drop_database, fresh_database_url
from tests.registry.tables import changes, snapshot

ROWS = 10_000


def big_sheet(path):
    lines = ["name,other_names,kind,country"]
    lines += [f"Завод автокомпонентов {i},en:Autocomponent plant {i},supplier,RU" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start_import(url, sheet):
    env = {**os.environ, "COOPLAB_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "cooplab", "import", str(sheet), "--kind", "org"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def seeded_database(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory)
    upgrade(make_engine(url))
    with session_factory(make_engine(url))() as session:
        load_reference(session=session)
        session.commit()
    return url


def test_sigkill_during_import_changes_nothing(tmp_path, tmp_path_factory):
    """Killed at any moment, the import has written all of its rows or none of them, in every table."""
    sheet = big_sheet(tmp_path / "plants.csv")
    url = seeded_database(tmp_path_factory)
    try:
        before = snapshot(url, timeless=True)
        started = time.monotonic()
        calibration = start_import(url, sheet)
        assert calibration.wait(timeout=600) == 0, calibration.stderr.read().decode()
        whole = time.monotonic() - started
        whole_import = changes(before, snapshot(url, timeless=True))
    finally:
        make_engine(url).dispose()
        drop_database(url)
    added = {name: rows.total() for name, (_, rows) in whole_import.items()}
    assert added["organizations"] == ROWS and added["organization_names"] == 2 * ROWS
    assert added.get("audit_log", 0) >= 1, "the import left no audit trail"

    untouched = 0
    for fraction in (0.3, 0.5, 0.7, 0.9):
        url = seeded_database(tmp_path_factory)
        try:
            before = snapshot(url)
            timeless = snapshot(url, timeless=True)
            victim = start_import(url, sheet)
            time.sleep(whole * fraction)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=60)
            if snapshot(url) == before:
                untouched += victim.returncode == -signal.SIGKILL
            else:  # the import committed before the kill: all of it is there, nothing else
                assert changes(timeless, snapshot(url, timeless=True)) == whole_import, (
                    f"killed at {fraction:.0%} of {whole:.1f}s"
                )
        finally:
            make_engine(url).dispose()
            drop_database(url)
    assert untouched >= 2, "too few kills landed before the import committed"
