"""The server killed with SIGKILL, in the middle of an import through the API or while clients
write: afterwards every table of the database holds either the state before a write or the state
after the whole write, and every write answered 2xx before the kill is there."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from sqlalchemy import text

from cooplab.db.session import make_engine, session_factory
from tests.conftest import drop_database
from tests.factories import make_token, make_user
from tests.registry.tables import changes, snapshot
from tests.registry.test_import_killed import ROWS, big_sheet, seeded_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=60)
        assert self.process.returncode == -signal.SIGKILL


@contextmanager
def serving(database_url: str) -> Iterator[Server]:
    """`cooplab serve` on a free port, in its own process, until it is killed."""
    port = free_port()
    env = {**os.environ, "COOPLAB_DATABASE_URL": database_url, "COOPLAB_ENV": "test"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cooplab", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                if httpx.get(f"{server.url}/api/v1/organizations", params={"limit": 1}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


def admin_token(url: str) -> str:
    engine = make_engine(url)
    with session_factory(engine)() as session:
        token = make_token(session, make_user(session, "admin"))
        session.commit()
    engine.dispose()
    return token


def post_import(server: Server, token: str, sheet) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/import/org",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": (sheet.name, sheet.read_bytes(), "text/csv")},
        timeout=600,
    )


def test_server_killed_during_an_api_import_keeps_all_rows_or_none(tmp_path, tmp_path_factory):
    sheet = big_sheet(tmp_path / "plants.csv")
    url = seeded_database(tmp_path_factory)
    try:
        token = admin_token(url)
        with serving(url) as server:
            before = snapshot(url, timeless=True)
            started = time.monotonic()
            answer = post_import(server, token, sheet)
            whole = time.monotonic() - started
            assert answer.status_code == 200, answer.text
            whole_import = changes(before, snapshot(url, timeless=True))
            server.kill()
    finally:
        drop_database(url)
    assert sum(added.total() for _, added in whole_import.values()) >= 2 * ROWS

    untouched = 0  # the first part of a request is the upload and the reading of the sheet
    for fraction in (0.1, 0.25, 0.4, 0.6, 0.8):
        url = seeded_database(tmp_path_factory)
        try:
            token = admin_token(url)
            with serving(url) as server:
                before = snapshot(url)
                timeless = snapshot(url, timeless=True)
                answers: list[httpx.Response | Exception] = []

                def send(server=server, token=token, answers=answers) -> None:
                    try:
                        answers.append(post_import(server, token, sheet))
                    except httpx.TransportError as error:
                        answers.append(error)

                client = threading.Thread(target=send)
                client.start()
                time.sleep(whole * fraction)
                server.kill()
                client.join(timeout=60)
            state = snapshot(url)
            if state == before:
                untouched += isinstance(answers[0], Exception)
            else:  # the import committed before the kill: all of it is there
                assert changes(timeless, snapshot(url, timeless=True)) == whole_import, (
                    f"killed at {fraction:.0%} of {whole:.1f}s"
                )
        finally:
            drop_database(url)
    assert untouched >= 2, "too few kills landed before the import committed"


@dataclass
class Written:
    """What one client was told: the organizations it created and its edits answered 2xx."""

    created: dict[int, str] = field(default_factory=dict)  # id: name
    edited: dict[int, str] = field(default_factory=dict)  # id: description
    in_flight: dict[int, str] = field(default_factory=dict)  # the edit sent, its answer not yet read
    notes: dict[int, tuple[int, str]] = field(default_factory=dict)  # id: (organization, text)
    refused: list[str] = field(default_factory=list)


def write_until_killed(base: str, token: str, client: int, written: Written) -> None:
    """Create an organization, edit it, write a note about it; again, until the server is gone."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        for n in range(100_000):
            try:
                name = f"Поставщик {client}-{n}"
                answer = http.post(
                    "/api/v1/organizations", json={"names": [{"value": name}], "kind": "supplier"}
                )
                if answer.status_code != 201:
                    written.refused.append(answer.text)
                    return
                org = answer.json()
                written.created[org["id"]] = name
                description = f"Правка {client}-{n}"
                written.in_flight = {org["id"]: description}
                answer = http.patch(
                    f"/api/v1/organizations/{org['id']}",
                    json={"version": org["version"], "description": description},
                )
                if answer.status_code != 200:
                    written.refused.append(answer.text)
                    return
                written.edited[org["id"]] = description
                written.in_flight = {}
                note = f"Заметка {client}-{n}"
                answer = http.post(f"/api/v1/organizations/{org['id']}/notes", json={"text": note})
                if answer.status_code != 201:
                    written.refused.append(answer.text)
                    return
                written.notes[answer.json()["id"]] = (org["id"], note)
            except httpx.TransportError:
                return


def test_server_killed_while_clients_write_keeps_every_answered_write(tmp_path_factory):
    url = seeded_database(tmp_path_factory)
    try:
        token = admin_token(url)
        with serving(url) as server:
            before = snapshot(url)
            written = [Written() for _ in range(4)]
            clients = [
                threading.Thread(target=write_until_killed, args=(server.url, token, i, w))
                for i, w in enumerate(written)
            ]
            for c in clients:
                c.start()
            while sum(len(w.notes) for w in written) < 40 and all(c.is_alive() for c in clients):
                time.sleep(0.05)
            server.kill()  # in the middle of the clients' next writes
            for c in clients:
                c.join(timeout=60)
        assert not [w.refused for w in written if w.refused]
        state = snapshot(url)
        with serving(url) as server:  # restarted: the answered writes are read back
            for w in written:
                for org_id, name in w.created.items():
                    answer = httpx.get(f"{server.url}/api/v1/organizations/{org_id}")
                    assert answer.status_code == 200, (org_id, answer.text)
                    assert answer.json()["name"] == name
                    # an edit the kill cut off before its answer may be whole or absent
                    kept = {None, w.in_flight[org_id]} if org_id in w.in_flight else {w.edited.get(org_id)}
                    assert answer.json()["description"] in kept, org_id
        organizations: dict[int, str] = {}
        notes: dict[int, tuple[int, str]] = {}
        for w in written:
            organizations.update(w.created)
            notes.update(w.notes)
        acknowledged = sum(len(w.created) + len(w.edited) + len(w.notes) for w in written)
        assert acknowledged >= 120
        diff = changes(before, state)
        assert set(diff) <= {
            "organizations",
            "organization_names",
            "organization_notes",
            "audit_log",
            "registry_revision",
        }, set(diff)
        engine = make_engine(url)
        with engine.connect() as db:
            new_orgs = {
                r.id: r
                for r in db.execute(
                    text("SELECT id, description, version FROM organizations WHERE id > :n"),
                    {"n": max((int(json.loads(r[0])) for r in before["organizations"]), default=0)},
                )
            }
            # each client has at most one write in flight at the kill: it is whole or absent
            assert set(organizations) <= set(new_orgs) and len(new_orgs) <= len(organizations) + len(written)
            for org_id, org in new_orgs.items():
                names = db.execute(
                    text("SELECT value FROM organization_names WHERE organization_id = :o"), {"o": org_id}
                ).all()
                assert len(names) == 1, (org_id, names)
                edited = any(org_id in w.edited for w in written)
                assert org.description is not None or not edited, org_id
                assert (org.version == 2) == (org.description is not None), org_id
                entries = db.execute(
                    text(
                        "SELECT action FROM audit_log WHERE entity_type = 'organizations' AND entity_id = :o "
                        "ORDER BY id"
                    ),
                    {"o": org_id},
                ).scalars()
                assert list(entries) == ["create"] + ["update"] * (org.version - 1), org_id
            kept_notes = dict(db.execute(text("SELECT id, text FROM organization_notes")).all())
            assert {n: t for n, (_, t) in notes.items()}.items() <= kept_notes.items()
            assert len(kept_notes) <= len(notes) + len(written)
            audited_notes = db.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE entity_type = 'organization_notes' AND action = 'create'"
                )
            ).scalar()
            assert audited_notes == len(kept_notes)
        engine.dispose()
        removed = {name: gone for name, (gone, _) in diff.items() if gone and name != "registry_revision"}
        assert not removed, removed  # the clients edited only what they created: no earlier row changed
    finally:
        drop_database(url)
