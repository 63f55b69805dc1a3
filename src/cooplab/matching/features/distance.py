"""Distance: great-circle kilometres from the supplier's nearest site to the delivery place."""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    not_applicable,
    unknown_score_field,
)
from cooplab.matching.profiles import Capability, Location, Need
from cooplab.matching.table import EARTH_KM, CapabilityTable, PreparedNeed


def great_circle_km(a: Location, b: Location) -> float:
    """Kilometres between two places along the Earth's surface (haversine, mean radius)."""
    return float(
        _haversine(
            math.radians(a.latitude),
            math.radians(a.longitude),
            math.radians(b.latitude),
            math.radians(b.longitude),
        )
    )


def _haversine(lat1, lon1, lat2, lon2):
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class DistanceConfig(BaseModel):
    """Score 1 / (1 + km / half_score_km): 1 next door, one half at `half_score_km`."""

    model_config = ConfigDict(extra="forbid")
    half_score_km: float = Field(1500.0, gt=0, description="distance that scores one half")
    unknown: float = unknown_score_field()


@register
class DeliveryDistance(MatchingFeature):
    """How near the supplier's nearest site is to the need's delivery place (great circle)."""

    NAME = "distance"
    Config = DistanceConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        place = need.delivery_place
        if place is None:
            return self.answer(None, self.reason("distance_not_asked", "no delivery place given"))
        if not capability.sites:
            return self.answer(self.config.unknown, self.reason("distance_unknown", "no site stated"))
        site, km = min(((s, great_circle_km(s, place)) for s in capability.sites), key=lambda x: x[1])
        return self.answer(
            self.score_of(km),
            self.reason(
                "distance_km",
                "{km} km from {site} to {place}",
                km=round(km),
                site=site.name,
                place=place.name,
            ),
        )

    def score_of(self, km: float) -> float:
        return 1.0 / (1.0 + km / self.config.half_score_km)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        if prepared.delivery is None:
            return not_applicable(rows)
        lat, lon = prepared.delivery
        config = self.config

        def column(chosen: np.ndarray) -> np.ndarray:
            nearest = table.reduce(
                "site",
                chosen,
                lambda p: _haversine(table.site_lat[p], table.site_lon[p], lat, lon),
                np.minimum,
                np.inf,
                np.nan,
            )
            return np.where(np.isnan(nearest), config.unknown, 1.0 / (1.0 + nearest / config.half_score_km))

        if len(table) < 50_000 or len(rows) < 500:
            return column(rows)
        # a large table: the whole column for this place, computed once (needs share a few plants)
        return table.cached(
            ("distance", lat, lon, config.half_score_km, config.unknown),
            lambda: column(np.arange(len(table))),
        )[rows]
