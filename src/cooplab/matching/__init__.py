"""Matchmaking: needs against capabilities, ranked with reasons a person can read, in Russian,
Uzbek and English. The pure core: no database, no web; a service passes plain records in.

    profiles    Need, Capability, Certification, Location
    text        descriptions reduced to concepts, stems and trigrams across scripts
    features    the scoring features (calculator family `matching_feature`)
    scoring     Weights, ScoringConfig, Scorer (a pair explained, or many rows at once), Match
    table       CapabilityTable: capabilities as columns
    index       CandidateIndex: inverted lists by HS prefix, concept, stem and process
    ranking     rank_suppliers, rank_needs, RankFilters, allowed_rows, Ranking
    workbook    read_matching_workbook: the interchange sheets, all-or-nothing
    feedback    Feedback records, tune_weights, cross_validate
    evaluation  the labelled set and its figures (precision@k, MRR)
    messages    reason_text(reason, lang) from i18n/<lang>.po

The domain around it (models, service, cli, api, web) stores needs and capabilities and ranks
what the reader may see.
"""

from cooplab.core.domain import Domain, NavEntry
from cooplab.matching.features import FEATURE_ORDER, FeatureScore, MatchContext
from cooplab.matching.index import CandidateIndex
from cooplab.matching.profiles import Capability, Certification, Location, Need, Texts
from cooplab.matching.ranking import (
    EmptyReason,
    NeedIndex,
    RankFilters,
    Ranking,
    allowed_rows,
    rank_needs,
    rank_suppliers,
)
from cooplab.matching.scoring import Match, Scorer, ScoringConfig, Weights
from cooplab.matching.table import CapabilityTable, TableBuilder

DOMAIN = Domain(
    name="matching",
    summary="needs and capabilities, suppliers ranked for a need with reasons, feedback on matches",
    navigation=(
        NavEntry("cooperation", "needs", "/needs"),
        NavEntry("cooperation", "capabilities", "/capabilities"),
    ),
    audit_values={("judgement", "match_feedback"): "judgement."},
    demo="service:load_demo",
    organization_section="web:organization_opportunities",
)

__all__ = [
    "DOMAIN",
    "FEATURE_ORDER",
    "CandidateIndex",
    "Capability",
    "CapabilityTable",
    "Certification",
    "EmptyReason",
    "FeatureScore",
    "Location",
    "Match",
    "MatchContext",
    "Need",
    "NeedIndex",
    "RankFilters",
    "Ranking",
    "Scorer",
    "ScoringConfig",
    "TableBuilder",
    "Texts",
    "Weights",
    "allowed_rows",
    "rank_needs",
    "rank_suppliers",
]
