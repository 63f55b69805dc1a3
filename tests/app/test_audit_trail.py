"""Every write path leaves an audit trail a person can follow to each changed record: every
non-GET route of the API and the pages, every command of the CLI (each found in the app itself,
with its driver in tests/app/test_audit_routes.py and tests/app/test_audit_commands.py), run with
valid input; each record it changed must have an audit entry naming its table and id by the
acting user. Every service function that writes (found in the domains' code) must be reached by
one of those paths, so a new one cannot stay out of the check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cooplab.core.actor import command_line_actor
from tests.app import test_audit_commands as commands
from tests.app import test_audit_routes as routes
from tests.app.audit_paths import ADMIN, Reached, World, writing_services
from tests.app.audit_paths import world as world  # noqa: F401  (the fixture)
from tests.app.test_audit_commands import folder as folder  # noqa: F401  (the fixture)
from tests.app.test_audit_routes import clients as clients  # noqa: F401  (the fixture)

#: Service functions that write only bookkeeping kept out of the trail, with the reason.
BOOKKEEPING = {
    "cooplab.accounts.service.start_web_session": "a sign-in's web session (a table outside the trail)",
    "cooplab.accounts.service.end_web_session": "ends a web session (a table outside the trail)",
}


def test_every_write_path_leaves_an_audit_trail(
    engine: Any, world: World, clients: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, web = clients
    services = writing_services()
    assert len(services) >= 40, "the service functions were not found"
    reached = Reached(services, monkeypatch)
    problems: list[str] = []
    plan = [(api, key, driver) for key, driver in routes.API.items()]
    plan += [(web, key, driver) for key, driver in routes.WEB.items()]
    for client, (method, path), driver in plan:
        response, verdict = routes.run(engine, client, world, method, driver, reached)
        where = f"{method} {path}"
        if response.status_code >= 400:
            problems.append(f"{where}: answered {response.status_code} {routes.said(response)}")
        elif not verdict.written:
            problems.append(f"{where}: changed no record (a read-only route belongs in READ_ONLY)")
        problems += [f"{where}: {change} has no audit entry by {ADMIN}" for change in verdict.unaudited]
    cli = command_line_actor().label
    for command, args in commands.WRITES.items():
        result, verdict = commands.run(engine, world, folder, command, args, reached)
        if refusal := commands.failed(command, result):
            problems.append(refusal)
        elif not verdict.written:
            problems.append(f"{command}: changed no record (a read-only command belongs in READ_ONLY)")
        problems += [f"{command}: {change} has no audit entry by {cli}" for change in verdict.unaudited]
    missed = sorted(set(services) - reached.names - set(BOOKKEEPING))
    problems += [f"{name}: writes, but no route or command driven here reaches it" for name in missed]
    assert not problems, "\n".join(problems)
