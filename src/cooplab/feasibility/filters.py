"""Feasibility lists no records, so it has no list filters: its commands, API routes and pages
each take a whole file (schemas.py) and answer its computation."""
