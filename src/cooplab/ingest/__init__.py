"""Ingest: a Russian or English text becomes reviewable records (organizations, people with
positions, places, dates, events, agreements) linked to the registry. Start at `extract`."""

from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="ingest",
    summary="news texts and mission reports turned into reviewable records",
    navigation=(NavEntry("cooperation", "ingest", "/ingest"),),
    home_section="home:home_section",
)

from cooplab.ingest.gazetteer import Gazetteer, gazetteer_for  # noqa: E402
from cooplab.ingest.pipeline import extract, extract_bytes, extract_file  # noqa: E402
from cooplab.ingest.resources import load_models  # noqa: E402
from cooplab.ingest.schemas import IngestResult  # noqa: E402

__all__ = [
    "DOMAIN",
    "Gazetteer",
    "IngestResult",
    "extract",
    "extract_bytes",
    "extract_file",
    "gazetteer_for",
    "load_models",
]
