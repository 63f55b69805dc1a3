"""Golden files: short texts of our own (fixtures/*.txt) and the JSON they must give (*.json).

Registry ids are compared as "type:display name", so the files do not depend on the order the
reference data was loaded in. COOPLAB_UPDATE_GOLDEN=1 rewrites the files (review the diff!).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from cooplab.ingest import extract
from cooplab.registry.models import Organization, Person, Place

FIXTURES = Path(__file__).parent / "fixtures"
TEXTS = sorted(FIXTURES.glob("*.txt"))
PUBLISHED = date(2024, 6, 1)


def _portable(result: dict, session) -> dict:
    """The result with registry ids written as the records they stand for."""
    tables = {"organizations": Organization, "people": Person, "places": Place}
    for key, model in tables.items():
        for item in result[key]:
            if item["id"] is not None:
                item["id"] = f"{model.__tablename__}:{session.get(model, item['id']).name}"
            for position in item.get("positions", []):
                if position["organization_id"] is not None:
                    position["organization_id"] = (
                        f"organizations:{session.get(Organization, position['organization_id']).name}"
                    )
    return result


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_golden(path: Path, registry_session, models):
    result = extract(
        path.read_text(encoding="utf-8"),
        published=PUBLISHED,
        source=path.name,
        session=registry_session,
        models=models,
    )
    got = _portable(result.model_dump(mode="json"), registry_session)
    expected_path = path.with_suffix(".json")
    if os.environ.get("COOPLAB_UPDATE_GOLDEN") or not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))
