"""Shapes of the localization surfaces: a level as answered (its reasons in the reader's
language), and the opportunities of a vehicle with the cheapest path to a target."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cooplab.localization.opportunities import OpportunityList, PathResult


class Opportunities(BaseModel):
    """The parts worth localizing first, and the cheapest set that reaches the target."""

    code: str
    target: float
    illustrative: bool
    assumed_options: bool
    opportunities: OpportunityList
    path: PathResult


LevelAnswer = dict[str, Any]
