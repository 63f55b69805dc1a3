"""Pages of matchmaking (none yet: needs, capabilities and rankings are read through the API
and the command line)."""

from __future__ import annotations

from fastapi import APIRouter

from cooplab.core.routes import WebRoute

router = APIRouter(route_class=WebRoute)
