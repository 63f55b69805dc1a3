"""Shapes of the localization surfaces: a level as answered (its reasons in the reader's
language), the opportunities of a vehicle with the cheapest path to a target, and saved
scenarios (what one sends to save or change one, and what one reads back)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from cooplab.core.schemas import Strict
from cooplab.errors import CodedValueError
from cooplab.localization.opportunities import OpportunityList, PathResult
from cooplab.localization.scenarios import Change, Scenario, ScenarioResult, Waterfall
from cooplab.registry.schemas import OrganizationRef

#: Names a scenario may not take: they are addresses of their own under the vehicle's scenarios.
RESERVED_NAMES = frozenset({"compare", "new"})


class Opportunities(BaseModel):
    """The parts worth localizing first, and the cheapest set that reaches the target."""

    code: str
    target: float
    illustrative: bool
    assumed_options: bool
    opportunities: OpportunityList
    path: PathResult


LevelAnswer = dict[str, Any]


def _check_name(value: str) -> str:
    if "/" in value:
        raise CodedValueError("scenario_name_slash", "a scenario's name cannot hold a slash (/)")
    if value.casefold() in RESERVED_NAMES:
        raise CodedValueError(
            "scenario_name_reserved", f"{value!r} is reserved; choose another name", name=value
        )
    return value


ScenarioName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_check_name)]
Changes = Annotated[list[Change], Field(max_length=200)]


class ScenarioCreate(Strict):
    """A scenario to save for a vehicle: its name (unique for the vehicle within your
    organization), what it is about, its changes; `illustrative` when its prices are made up."""

    name: ScenarioName
    description: str | None = Field(None, max_length=4000)
    changes: Changes = []
    illustrative: bool = False

    def scenario(self) -> Scenario:
        return Scenario(name=self.name, description=self.description, changes=list(self.changes))


class ScenarioUpdate(Strict):
    """A change of a saved scenario, made on `version`: the fields given are replaced."""

    version: int = Field(ge=1)
    name: ScenarioName | None = None
    description: str | None = Field(None, max_length=4000)
    changes: Changes | None = None
    illustrative: bool | None = None


class SavedScenarioPublic(BaseModel):
    """A saved scenario: its changes, whose it is, when it was made and changed."""

    id: int
    vehicle_code: str
    name: str
    description: str | None
    changes: list[Change]
    illustrative: bool
    owner: OrganizationRef | None
    visibility: str
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime
    version: int
    shared_name: bool = Field(
        False, description="another scenario of the vehicle you may see has the same name (ask with owner=)"
    )


class SavedScenarioResult(BaseModel):
    """A saved scenario evaluated on the vehicle's current bill (as you may see it): each
    method's level before and after, the cost per vehicle and per year, the thresholds crossed,
    and the Uzbek cost share change by change."""

    scenario: SavedScenarioPublic
    result: ScenarioResult
    waterfall: Waterfall


class ScenarioComparison(BaseModel):
    """Saved scenarios side by side against the same current bill."""

    code: str
    illustrative: bool
    baseline: dict[str, float | None]
    scenarios: list[SavedScenarioResult]
