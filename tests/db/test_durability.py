"""What an answered write survives (docs/configuration.md, Durability): SQLite flushes every
commit to disk by default, and a write acknowledged before cooplab is killed is there after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from cooplab.db.session import make_engine
from cooplab.settings import Settings, get_settings
from tests.conftest import TEST_URL


def test_production_flushes_every_commit_by_default(monkeypatch):
    monkeypatch.delenv("COOPLAB_SQLITE_SYNCHRONOUS", raising=False)
    assert Settings(env="production", secret_key=os.urandom(24).hex()).sqlite_synchronous == "full"


@pytest.mark.parametrize(("mode", "level"), [("full", 2), ("normal", 1)])
def test_the_synchronous_setting_is_the_one_in_effect(tmp_path, monkeypatch, mode, level):
    monkeypatch.setenv("COOPLAB_SQLITE_SYNCHRONOUS", mode)
    get_settings.cache_clear()
    try:
        engine = make_engine(f"sqlite:///{tmp_path}/{mode}.sqlite3")
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA synchronous")) == level
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        engine.dispose()
    finally:
        get_settings.cache_clear()


WRITER = textwrap.dedent(
    """
    import sys
    from sqlalchemy import text
    from cooplab.db.session import make_engine
    engine = make_engine(sys.argv[1])
    with engine.begin() as c:
        c.execute(text("CREATE TABLE IF NOT EXISTS acknowledged (n INTEGER PRIMARY KEY)"))
    n = 0
    while True:
        n += 1
        with engine.begin() as c:
            c.execute(text("INSERT INTO acknowledged (n) VALUES (:n)"), {"n": n})
        print(n, flush=True)  # the write is answered only after its commit returned
    """
)


@pytest.mark.skipif(TEST_URL.startswith("postgresql"), reason="SQLite's own file; PostgreSQL keeps its own")
@pytest.mark.parametrize("mode", ["full", "normal"])
def test_every_write_answered_before_a_kill_is_kept(tmp_path, mode):
    url = f"sqlite:///{tmp_path}/kill.sqlite3"
    env = {**os.environ, "COOPLAB_SQLITE_SYNCHRONOUS": mode}
    child = subprocess.Popen([sys.executable, "-c", WRITER, url], env=env, stdout=subprocess.PIPE, text=True)
    try:
        acknowledged = 0
        while acknowledged < 200:
            acknowledged = int(child.stdout.readline())
        child.send_signal(signal.SIGKILL)  # in the middle of the next writes
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    for line in child.stdout:  # answers already written to the pipe before the kill
        acknowledged = int(line)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
        kept = connection.scalar(text("SELECT max(n) FROM acknowledged"))
        assert connection.scalar(text("SELECT count(*) FROM acknowledged")) == kept
    engine.dispose()
    assert kept >= acknowledged
