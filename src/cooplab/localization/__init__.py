"""Localization: the level of a vehicle under three methods, what-if scenarios, opportunities
and the cheapest path to a threshold. Pure computation on `cooplab.catalog.schemas` values."""
