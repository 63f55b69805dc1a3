"""The operations and components a vehicle or part may be credited with under Russia's Decree
719 (body welding, painting, ...): their codes, as the points table names them
(`data/ru_719_points.yaml`). The catalog checks a workbook's `operations` cells against them;
the localization method reads their points from the same table."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).resolve().parent.parent / "data" / "ru_719_points.yaml"


@lru_cache(maxsize=1)
def operation_codes() -> frozenset[str]:
    """Every code of the points table."""
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return frozenset(row["code"] for row in data["items"])
