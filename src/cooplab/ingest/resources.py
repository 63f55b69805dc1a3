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
    """The loaded models: a segmenter, a NER tagger, a morphological analyser, rule parsers, and
    the news morphology tagger and syntax parser (run only on the sentences that report a signing)."""

    segmenter: Any
    ner_tagger: Any
    morph: Any
    rules: Any
    morph_tagger: Any = None
    syntax_parser: Any = None


def _one_blas_thread() -> None:
    """Run numpy's BLAS on one thread: slovnet's matrices are small, and more threads only wait for
    each other (several times slower on a busy machine, and a server runs one process per core)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


@lru_cache(maxsize=1)
def load_models() -> Models:
    """Load natasha's segmenter, news NER tagger, morphology and syntax, and compile our yargy
    rules (once)."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    from cooplab.ingest.rules import compile_rules

    _one_blas_thread()
    embedding = NewsEmbedding()
    return Models(
        segmenter=Segmenter(),
        ner_tagger=NewsNERTagger(embedding),
        morph=MorphVocab(),
        rules=compile_rules(),
        morph_tagger=NewsMorphTagger(embedding),
        syntax_parser=NewsSyntaxParser(embedding),
    )
