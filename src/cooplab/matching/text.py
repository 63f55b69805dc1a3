"""Descriptions in Russian, Uzbek and English reduced to comparable features.

A text becomes a weighted bag of features of three kinds:

- concepts: runs of words found in the trilingual term list (`data/matching/terms.yaml`), so
  «стальные колёсные диски», "po'lat g'ildirak disklari" and "steel wheels" share `wheel` and
  `steel`;
- stems: words without their inflection (a light stemmer per script: Russian endings on
  Cyrillic words; Uzbek and English suffixes on Latin ones), for words the list does not know,
  compared in ASCII (so «Донг» meets "Dong" and «радиатор» "radiator");
- character trigrams of the stems transliterated to ASCII, for names and loanwords written in
  another script («радиатор» / radiator, «бампер» / bamper / bumper).

Two texts compare by the cosine of their feature vectors. Everything here is pure and
deterministic: no model is downloaded or loaded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

import yaml
from anyascii import anyascii

from cooplab.vocab.choices import Language


class ConceptKind(StrEnum):
    """What a concept of the term list names; it sets how much a shared concept weighs."""

    PRODUCT = "product"
    PROCESS = "process"
    MATERIAL = "material"


#: Weight of one feature of each kind in a text's vector (before normalisation).
CONCEPT_WEIGHTS = {ConceptKind.PRODUCT: 1.0, ConceptKind.PROCESS: 0.5, ConceptKind.MATERIAL: 0.35}
STEM_WEIGHT = 0.35
TRIGRAM_WEIGHT = 0.08

_APOSTROPHES = "'’‘ʻʼ`´ʹ"
_WORD = re.compile(r"[0-9a-zа-яёўқғҳ]+", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яёўқғҳ]")
_UZBEK_LATIN_MARKS = re.compile(
    r"\b\w*(o'|g'|o‘|g‘|oʻ|gʻ)\w*|\b(va|uchun|bilan|ishlab|chiqarish|yiliga|kerak)\b"
)

#: Words that say nothing about what is made (in any of the three languages).
STOPWORDS = frozenset(
    """
    и в во на для с со по из от до а или к о об не что это как также его её их мы нам наш
    год году года лет тыс тысяч млн шт штук комплект комплектов единиц в год нужен нужна нужно
    нужны требуется требуются ищем поставка поставки поставщик поставщика производство
    производим выпускаем изготавливаем изготовление деталь детали автомобиль автомобилей
    автомобилей автокомпонент автокомпоненты компонент компоненты продукция для
    and the of for a an to in on with by from or per year years we our need needs needed
    looking supply supplier supply of make makes made making produce produces production
    manufacture manufacturer manufacturing part parts car cars vehicle vehicles component
    components product products pcs units unit set sets automotive auto
    va uchun bilan yil yiliga dona ta bu ham yoki kerak etkazib beruvchi ishlab chiqarish
    chiqaramiz chiqaradi tayyorlash tayyorlaymiz detal detallar qism qismlar avtomobil
    avtomobillar komponent komponentlar mahsulot mahsulotlar uchun to'plam
    """.split()
)

_RU_ENDINGS = tuple(
    sorted(
        """
    иями ями ами ого его ому ему ыми ими ых их ая яя ое ее ые ие ой ей ий ый ом ем ую юю ов ев
    ам ям ах ях ья ье ьи ью ьё ия ии ию а я о е ы и у ю ь й
    """.split(),
        key=len,
        reverse=True,
    )
)
_UZ_ENDINGS = tuple(
    sorted(
        """
    larining larini lariga larida laridan laridagi lari lar ning dagi dan da ga ni imiz ingiz
    idan ida iga ini si
    """.split(),
        key=len,
        reverse=True,
    )
)


def clean_text(text: str) -> str:
    """Lower case, normalised Unicode, ё as е, every apostrophe dropped (o'rindiq = orindiq)."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    return text


def words(text: str) -> list[str]:
    """The words of a text, cleaned, in order."""
    return _WORD.findall(clean_text(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A word without its inflection: Russian endings on Cyrillic words; Uzbek case, plural and
    possessive suffixes and English plural, -ing and -ed on Latin ones. Stems of three letters
    or fewer are kept whole; words with digits (part numbers) are kept as they are."""
    if any(ch.isdigit() for ch in word) or len(word) <= 3:
        return word
    if _CYRILLIC.search(word):
        for ending in _RU_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                return word[: -len(ending)]
        return word
    return _latin_stem(word)


def _latin_stem(word: str) -> str:
    stripped = False
    for _ in range(2):  # Uzbek stacks suffixes: g'ildirak-lar-i-ning
        for ending in _UZ_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                stripped = True
                break
        else:
            break
    if not stripped:
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith(("ches", "shes", "sses", "xes")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
        elif word.endswith("ing") and len(word) - 3 >= 4:
            word = word[:-3]
        elif word.endswith("ed") and len(word) - 2 >= 4:
            word = word[:-2]
        elif word.endswith("i") and len(word) >= 4:  # Uzbek possessive: diski, baki
            word = word[:-1]
            stripped = True
    if stripped and word.endswith("g"):  # Uzbek k -> g before a vowel: g'ildiragi
        word = word[:-1] + "k"
    if stripped and word.endswith("gh"):
        word = word[:-2] + "q"
    return word


def detect_language(text: str) -> Language:
    """Russian for Cyrillic text, Uzbek for Latin text with Uzbek spelling or words, else English."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    if _CYRILLIC.search(lowered):
        return Language.RU
    return Language.UZ if _UZBEK_LATIN_MARKS.search(lowered) else Language.EN


@dataclass(frozen=True)
class Concept:
    """One thing the term list knows, with its kind and its English label for reasons."""

    key: str
    kind: ConceptKind
    label: str
    label_ru: str = ""


@dataclass
class Terms:
    """The term list as runs of stems: the first stem of a term leads to its full runs."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    runs: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)

    def add(self, concept: Concept, phrases: Iterable[str]) -> None:
        """Add a concept and the phrases that name it (in any language)."""
        self.concepts[concept.key] = concept
        for phrase in phrases:
            run = tuple(stem(w) for w in words(phrase))
            if not run:
                continue
            entries = self.runs.setdefault(run[0], [])
            if (run, concept.key) not in entries:
                entries.append((run, concept.key))
                entries.sort(key=lambda e: -len(e[0]))

    def find(self, stems: list[str]) -> list[tuple[int, int, str]]:
        """Concepts named in a list of stems: (start, end, concept key). A run inside a longer
        run of the same kind is dropped ("door" in "door trim"); one of another kind stays
        ("steel" in "steel wheel")."""
        found: list[tuple[int, int, str]] = []
        for i, first in enumerate(stems):
            for run, key in self.runs.get(first, ()):
                if tuple(stems[i : i + len(run)]) == run:
                    found.append((i, i + len(run), key))
        kind = {key: self.concepts[key].kind for _, _, key in found}
        return [
            (s, e, k)
            for s, e, k in found
            if not any(
                s2 <= s and e <= e2 and (e2 - s2) > (e - s) and kind[k2] == kind[k] for s2, e2, k2 in found
            )
        ]


@cache
def default_terms() -> Terms:
    """The term list shipped with cooplab (`cooplab/data/matching/terms.yaml`)."""
    raw = yaml.safe_load(resources.files("cooplab.data").joinpath("matching/terms.yaml").read_text("utf-8"))
    return terms_from_mapping(raw)


def terms_from_mapping(raw: Mapping[str, Mapping[str, Mapping[str, list[str]]]]) -> Terms:
    """A term list from {kind: {concept: {lang: [phrases]}}}."""
    terms = Terms()
    for kind, concepts in raw.items():
        for key, by_lang in concepts.items():
            phrases = [p for lang in ("en", "ru", "uz") for p in by_lang.get(lang, [])]
            label = (by_lang.get("en") or [key])[0]
            label_ru = (by_lang.get("ru") or [label])[0]
            terms.add(Concept(key, ConceptKind(kind), label, label_ru), phrases)
    return terms


@dataclass(frozen=True)
class TextProfile:
    """A text as features: concept keys, stems and trigrams with their weights, unit length."""

    features: Mapping[str, float]
    concepts: frozenset[str]

    def similarity(self, other: TextProfile) -> float:
        """Cosine of the two feature vectors, in [0, 1]."""
        small, large = sorted((self.features, other.features), key=len)
        dot = sum(w * large.get(f, 0.0) for f, w in small.items())
        return max(0.0, min(1.0, dot))

    @property
    def empty(self) -> bool:
        return not self.features


EMPTY_PROFILE = TextProfile({}, frozenset())


def text_profile(*texts: str | None, terms: Terms | None = None) -> TextProfile:
    """The features of the given texts together (a part name and a description, say)."""
    kept = tuple(t for t in texts if t)
    if terms is None:
        return _default_profile(kept)
    return _profile(kept, terms)


@lru_cache(maxsize=4096)  # repeated texts (needs ranked again); not every capability's
def _default_profile(texts: tuple[str, ...]) -> TextProfile:
    return _profile(texts, default_terms())


def _profile(texts: tuple[str, ...], terms: Terms) -> TextProfile:
    weights: dict[str, float] = {}
    concepts: set[str] = set()
    for text in texts:
        stems = _content_stems(text)
        for _, _, key in terms.find(all_stems(text)):
            concepts.add(key)
            feature = "c:" + key
            weights[feature] = max(weights.get(feature, 0.0), CONCEPT_WEIGHTS[terms.concepts[key].kind])
        for s in stems:
            weights.setdefault("s:" + _ascii(s), STEM_WEIGHT)
            for trigram in _trigrams(s):
                weights.setdefault(trigram, TRIGRAM_WEIGHT)
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if not norm:
        return EMPTY_PROFILE
    return TextProfile({f: w / norm for f, w in weights.items()}, frozenset(concepts))


@lru_cache(maxsize=200_000)
def _ascii(stem_: str) -> str:
    """A stem in ASCII, so that a word meets its transliteration (бампер / bamper)."""
    return anyascii(stem_)


@lru_cache(maxsize=200_000)
def _trigrams(stem_: str) -> tuple[str, ...]:
    """Character trigrams of a stem in ASCII, with word boundaries (none for part numbers)."""
    if any(ch.isdigit() for ch in stem_):
        return ()
    padded = f" {_ascii(stem_)} "
    return tuple(dict.fromkeys("t:" + padded[j : j + 3] for j in range(len(padded) - 2)))


_STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)


@lru_cache(maxsize=4096)
def all_stems(text: str) -> list[str]:
    """Stems of every word, stopwords too: term runs such as "body part" are matched on them."""
    return [stem(w) for w in words(text)]


@lru_cache(maxsize=4096)
def _content_stems(text: str) -> list[str]:
    """Stems of the words that say what is made (stopwords dropped before and after stemming)."""
    stems = [stem(w) for w in words(text) if w not in STOPWORDS]
    return [s for s in stems if s not in _STOP_STEMS]


def concept_labels(
    keys: Iterable[str],
    terms: Terms | None = None,
    kinds: Iterable[ConceptKind] = tuple(ConceptKind),
    lang: str = "en",
) -> list[str]:
    """Labels (English, or Russian with lang="ru") of concept keys of the given kinds,
    products first, for a reason."""
    terms = terms or default_terms()
    order = {ConceptKind.PRODUCT: 0, ConceptKind.PROCESS: 1, ConceptKind.MATERIAL: 2}
    wanted = set(kinds)
    known = [terms.concepts[k] for k in keys if k in terms.concepts and terms.concepts[k].kind in wanted]
    ordered = sorted(known, key=lambda c: (order[c.kind], c.label))
    return [c.label_ru if lang == "ru" else c.label for c in ordered]
