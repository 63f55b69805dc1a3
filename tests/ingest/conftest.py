"""Fixtures of the ingest tests: the registry loaded with the reference data, models loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from cooplab.ingest import load_models
from cooplab.registry.reference import load_reference

#: The shared samples beside the checkout (../shared), or beside its parent for a git worktree.
SAMPLES = next(
    (
        p / "shared" / "samples"
        for p in Path(__file__).resolve().parents[3:5]
        if (p / "shared" / "samples").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "samples",
)
MISSION_REPORT = SAMPLES / "mission-report-uzbekistan.ru.txt"


@pytest.fixture(scope="session")
def models():
    return load_models()


@pytest.fixture
def registry_session(session):
    """A database holding every organization, person and place of the reference data."""
    load_reference(session=session)
    session.commit()
    return session


@pytest.fixture
def mission_report() -> str:
    if not MISSION_REPORT.is_file():
        pytest.skip(f"the reference sample {MISSION_REPORT} is not on this machine (shared/ missing)")
    return MISSION_REPORT.read_text(encoding="utf-8")
