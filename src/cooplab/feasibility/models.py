"""Feasibility keeps no tables: a landed-cost comparison or an investment model is computed from
the file (or the request) the user gives, and nothing of it is stored. The reference data it
reads (tariffs, customs rules, places) ships with the package, in cooplab/data."""
