"""Localization keeps no tables of its own: it reads a vehicle's bill from the catalog's tables
(cooplab.catalog.models) and computes its level, scenarios and opportunities in memory."""
