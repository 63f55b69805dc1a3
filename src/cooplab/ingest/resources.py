"""Every model the ingest pipeline uses, loaded once per process and passed to the stages.

natasha 1.6.0 ships its models inside the wheel (slovnet NER, navec embeddings, pymorphy2
dictionaries), so nothing is downloaded at run time. The objects are kept opaque here: only
adapters.py calls them, and what they return is turned into our own dataclasses there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Models:
    """The loaded models: a segmenter, a NER tagger, a morphological analyser, rule parsers."""

    segmenter: Any
    ner_tagger: Any
    morph: Any
    rules: Any


@lru_cache(maxsize=1)
def load_models() -> Models:
    """Load natasha's segmenter, news NER tagger and morphology, and compile our yargy rules (once)."""
    from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    from cooplab.ingest.rules import compile_rules

    embedding = NewsEmbedding()
    return Models(
        segmenter=Segmenter(),
        ner_tagger=NewsNERTagger(embedding),
        morph=MorphVocab(),
        rules=compile_rules(),
    )
