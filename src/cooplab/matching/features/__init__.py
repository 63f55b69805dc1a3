"""The matching features, registered in the calculator registry under `matching_feature`."""

from cooplab.matching.features.base import FeatureScore, MatchContext, MatchingFeature
from cooplab.matching.features.capacity import CapacityFit
from cooplab.matching.features.certifications import CertificationsHeld
from cooplab.matching.features.distance import DeliveryDistance, great_circle_km
from cooplab.matching.features.hs_code import HsCodeFeature
from cooplab.matching.features.landed_cost import LandedCostFit
from cooplab.matching.features.materials import MaterialMatch
from cooplab.matching.features.processes import ProcessCoverage
from cooplab.matching.features.text import TextSimilarity
from cooplab.matching.features.tier_fit import TierFit

#: The order reasons are read in: what is made first (and of what), then how, how much, where,
#: what it costs.
FEATURE_ORDER = (
    "text",
    "hs_code",
    "materials",
    "processes",
    "capacity",
    "certifications",
    "distance",
    "landed_cost",
    "tier_fit",
)

__all__ = [
    "FEATURE_ORDER",
    "CapacityFit",
    "CertificationsHeld",
    "DeliveryDistance",
    "FeatureScore",
    "HsCodeFeature",
    "LandedCostFit",
    "MatchContext",
    "MatchingFeature",
    "MaterialMatch",
    "ProcessCoverage",
    "TextSimilarity",
    "TierFit",
    "great_circle_km",
]
