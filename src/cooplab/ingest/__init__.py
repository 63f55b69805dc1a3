"""Ingest: a Russian or English text becomes reviewable records (organizations, people with
positions, places, dates, events, agreements) linked to the registry. Start at `extract`."""

from cooplab.ingest.gazetteer import Gazetteer, gazetteer_for
from cooplab.ingest.pipeline import extract, extract_bytes, extract_file
from cooplab.ingest.resources import load_models
from cooplab.ingest.schemas import IngestResult

__all__ = ["Gazetteer", "IngestResult", "extract", "extract_bytes", "extract_file", "gazetteer_for", "load_models"]
