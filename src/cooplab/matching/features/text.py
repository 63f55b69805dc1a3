"""Text similarity across scripts and languages: the need's part and description against the
supplier's description and materials."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import register
from cooplab.matching.features.base import (
    FeatureScore,
    MatchContext,
    MatchingFeature,
    join_words,
    not_applicable,
)
from cooplab.matching.profiles import Capability, Need
from cooplab.matching.table import CapabilityTable, PreparedNeed, segments
from cooplab.matching.text import ConceptKind, concept_labels, text_profile


class TextConfig(BaseModel):
    """Cosine similarity of the two texts' features, scaled so that a clear match scores 1."""

    model_config = ConfigDict(extra="forbid")
    full_at: float = Field(0.5, gt=0, le=1, description="similarity that scores 1 (and above)")


@register
class TextSimilarity(MatchingFeature):
    """How alike the need's and the supplier's words are, in Russian, Uzbek or English: shared
    concepts of the term list, word stems and transliterated character trigrams."""

    NAME = "text"
    Config = TextConfig

    def compute(self, need: Need, capability: Capability, context: MatchContext) -> FeatureScore:
        ours = text_profile(*need.texts)
        if ours.empty:
            return self.answer(None, self.reason("text_not_asked", "the need has no description"))
        theirs = context.capability_text or text_profile(*capability.texts)
        if theirs.empty:
            return self.answer(0.0, self.reason("text_not_stated", "no description"))
        similarity = ours.similarity(theirs)
        score = min(1.0, similarity / self.config.full_at)
        shared = ours.concepts & theirs.concepts
        products = concept_labels(shared, kinds={ConceptKind.PRODUCT})
        others = concept_labels(shared, kinds={ConceptKind.PROCESS, ConceptKind.MATERIAL})
        params = {"similarity": round(similarity, 2)}
        labels = {
            "products_ru": join_words(concept_labels(shared, kinds={ConceptKind.PRODUCT}, lang="ru"), "и"),
            "also_ru": ", ".join(
                concept_labels(shared, kinds={ConceptKind.PROCESS, ConceptKind.MATERIAL}, lang="ru")
            ),
            "concepts": sorted(shared),
        }
        if products and others:
            reason = self.reason(
                "text_makes_with",
                "makes {products} ({also})",
                products=join_words(products),
                also=", ".join(others),
                **labels,
                **params,
            )
        elif products:
            reason = self.reason(
                "text_makes", "makes {products}", products=join_words(products), **labels, **params
            )
        elif others:
            reason = self.reason(
                "text_shares", "description speaks of {also}", also=join_words(others), **labels, **params
            )
        elif score >= 0.3:
            reason = self.reason("text_similar", "description alike ({similarity:.2f})", **params)
        else:
            reason = self.reason("text_unlike", "description unlike the need ({similarity:.2f})", **params)
        return self.answer(score, reason)

    def scores(
        self, prepared: PreparedNeed, table: CapabilityTable, rows: np.ndarray, context: MatchContext
    ) -> np.ndarray | None:
        if prepared.text.empty:
            return not_applicable(rows)
        dense = table.scratch("text", len(table.text_vocabulary) + 1)
        dense[prepared.text_ids] = prepared.text_weights
        positions, firsts, counts = segments(table.text_ptr, rows)
        products = table.text_weights[positions] * dense[table.text_features[positions]]
        dense[prepared.text_ids] = 0.0
        similarity = np.zeros(len(rows))
        has = counts > 0
        if has.any():
            similarity[has] = np.add.reduceat(products, firsts[has])
        return np.minimum(1.0, np.clip(similarity, 0.0, 1.0) / self.config.full_at)
