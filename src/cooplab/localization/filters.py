"""What a level is asked for with, defined once for the API, the web pages and the commands."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Method(StrEnum):
    """The localization methods (calculators of the `localization_method` family)."""

    UZ_COST_SHARE = "uz_cost_share"
    CIS_ORIGIN = "cis_origin"
    RU_719_POINTS = "ru_719_points"


class LevelFilter(BaseModel):
    """The method, and the language of the reasons."""

    model_config = ConfigDict(extra="forbid")

    method: Method = Method.UZ_COST_SHARE


class OpportunityFilter(BaseModel):
    """The target level of the Uzbek cost share and how many opportunities to list."""

    model_config = ConfigDict(extra="forbid")

    target: float = Field(0.45, gt=0, lt=1)
    limit: int = Field(20, ge=1, le=500)
