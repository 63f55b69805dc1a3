"""Feasibility pages."""

from __future__ import annotations

from fastapi import APIRouter

from cooplab.core.routes import WebRoute

router = APIRouter(route_class=WebRoute)
