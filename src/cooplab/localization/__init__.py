"""Localization: the level of a vehicle under three methods, what-if scenarios, opportunities
and the cheapest path to a threshold. Pure computation on `cooplab.catalog.schemas` values.

Importing the package registers the methods in the calculator registry."""

from cooplab.localization import methods as methods  # noqa: F401  (registers the calculators)
