"""Materials named in Russian, Uzbek or English, as families of a small vocabulary.

`data/matching/materials.yaml` lists each family (steel, cast iron, aluminium, plastics, rubber,
glass, copper...) with the phrases that name it in the three languages; grades and forms count
as the family (stainless or spring steel is steel, HDPE is plastics). A text's materials are
the families its words name, found as runs of word stems the way the term list finds its
concepts (`cooplab.matching.text`), the longest run first. A word the vocabulary does not know
is not evidence of any material, never an error.

A set of families travels as a bit mask (one bit a family), so a capability table keeps one
integer a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from cooplab.matching.text import Concept, ConceptKind, Terms, all_stems, clean_text


@dataclass(frozen=True)
class Materials:
    """The vocabulary: families in file order (a bit each), their labels, and their phrases."""

    keys: tuple[str, ...]
    labels: dict[str, tuple[str, str]]  # key: (English, Russian)
    terms: Terms
    names: dict[str, str]  # a family's key and labels, cleaned: how a list of materials may name it

    def bit(self, key: str) -> int:
        return 1 << self.keys.index(key)


@cache
def default_materials() -> Materials:
    """The vocabulary shipped with cooplab (`cooplab/data/matching/materials.yaml`)."""
    raw = yaml.safe_load(
        resources.files("cooplab.data").joinpath("matching/materials.yaml").read_text("utf-8")
    )
    return materials_from_mapping(raw)


def materials_from_mapping(raw: Mapping[str, Mapping[str, Any]]) -> Materials:
    """A vocabulary from {family: {"en"|"ru"|"uz": [phrases], "label": {"en", "ru"}}}."""
    terms = Terms()
    labels: dict[str, tuple[str, str]] = {}
    for key, entry in raw.items():
        phrases = {lang: [str(p) for p in entry.get(lang) or []] for lang in ("en", "ru", "uz")}
        given: Mapping[str, str] = entry.get("label") or {}
        en = str(given.get("en") or (phrases["en"] or [key])[0])
        ru = str(given.get("ru") or (phrases["ru"] or [en])[0])
        labels[key] = (en, ru)
        named = [*phrases["en"], *phrases["ru"], *phrases["uz"]]
        terms.add(Concept(key, ConceptKind.MATERIAL, en, ru), named)
    if len(labels) > 62:
        raise ValueError("at most 62 material families (a bit each in an int64)")
    names = {clean_text(n): key for key, (en, ru) in labels.items() for n in (key.replace("_", " "), en, ru)}
    return Materials(tuple(labels), labels, terms, names)


@lru_cache(maxsize=65_536)  # capability texts repeat (a supplier's rows, generated bases)
def _families(text: str) -> frozenset[str]:
    # the stems of every word, as the text's profile just took them (kept by text.py's cache)
    return frozenset(key for _, _, key in default_materials().terms.find(all_stems(text)))


def materials_in(*texts: str | None, listed: Iterable[str] = ()) -> frozenset[str]:
    """The material families the texts name (none for words the vocabulary does not know);
    `listed`: a capability's list of materials, where a family's own name counts too ("lead"
    in a list is the metal, in a description it may be "lead time")."""
    found: set[str] = set()
    for text in texts:
        if text and clean_text(text).strip():
            found |= _families(text)
    names = default_materials().names
    for entry in listed:
        if entry and clean_text(entry).strip():
            found |= _families(entry)
            named = names.get(clean_text(entry).strip())
            if named:
                found.add(named)
    return frozenset(found)


def capability_materials(descriptions: Iterable[str | None], listed: Iterable[str]) -> frozenset[str]:
    """A capability's material families: its list of materials and its descriptions."""
    return materials_in(*descriptions, listed=listed)


def material_mask(families: Iterable[str]) -> int:
    """The families as one integer, a bit each."""
    vocabulary = default_materials()
    mask = 0
    for key in families:
        mask |= vocabulary.bit(key)
    return mask


def families_of(mask: int) -> list[str]:
    """The families of a mask, in the vocabulary's order."""
    return [key for i, key in enumerate(default_materials().keys) if mask >> i & 1]


def material_labels(families: Iterable[str], lang: str = "en") -> list[str]:
    """Labels of families in the vocabulary's order, English or Russian (lang="ru")."""
    vocabulary = default_materials()
    wanted = set(families)
    return [vocabulary.labels[k][1 if lang == "ru" else 0] for k in vocabulary.keys if k in wanted]
