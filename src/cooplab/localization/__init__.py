"""Localization: the level of a vehicle under three methods, what-if scenarios (saved, named,
compared), opportunities and the cheapest path to a threshold. The computation is pure, on
`cooplab.catalog.schemas` values; the surfaces read a stored vehicle through the catalog's
service. Its one table keeps the saved scenarios.

Importing the package registers the methods in the calculator registry."""

from cooplab.core.domain import Domain
from cooplab.localization import methods as methods  # noqa: F401  (registers the calculators)

DOMAIN = Domain(
    name="localization",
    summary="localization level by method, saved scenarios, opportunities and the cheapest path",
    audit_values={("visibility", "localization_scenarios"): "visibility."},
    demo="service:load_demo",
)
