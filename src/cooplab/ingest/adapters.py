"""natasha, razdel and pymorphy2 results turned into our dataclasses (`adapt_*`).

Nothing outside this module touches a third-party NLP object: the pipeline sees Sentence,
Token, Mention and WordForm only, so a model can be swapped without touching the stages.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from os.path import commonprefix
from typing import Any, NamedTuple

from cooplab.ingest.document import LOC, ORG, PER, Mention, Sentence, Token

#: natasha's span types mapped to ours.
NER_TYPES = {"PER": PER, "ORG": ORG, "LOC": LOC}
#: Text handed to the NER tagger at once; longer documents go in pieces cut at sentence ends.
NER_CHUNK_CHARS = 4000


class WordForm(NamedTuple):
    """One reading of a word: its lemma, part of speech and grammemes (adapt_nominative inflects it).
    A named tuple: tens of thousands are made per document set, and a frozen dataclass costs
    several times more to build."""

    normal: str
    pos: str | None
    case: str | None
    gender: str | None
    number: str | None
    tags: frozenset[str]
    score: float
    word: str  # the word as read
    reading: int  # which of the word's readings this is


def adapt_sentences(text: str, segmenter: Any) -> list[Sentence]:
    """Sentences and tokens of a text (razdel through natasha's Segmenter), with paragraph numbers.
    A blank line ends a sentence: a paragraph written without a full stop ("— Иван Орлов, директор
    завода" before the next paragraph) does not run on into the next one."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    tokens = [Token(t.text, t.start, t.stop) for t in segmenter.tokenize(text)]
    sentences: list[Sentence] = []
    cursor = 0
    for sent in segmenter.sentenize(text):
        for start, stop in _paragraph_pieces(text, sent.start, sent.stop):
            sentence = Sentence(text[start:stop], start, stop, paragraph=bisect.bisect_left(breaks, start))
            while cursor < len(tokens) and tokens[cursor].stop <= stop:
                if tokens[cursor].start >= start:
                    sentence.tokens.append(tokens[cursor])
                cursor += 1
            sentences.append(sentence)
    return sentences


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")


def _paragraph_pieces(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The parts of text[start:stop] between blank lines, each without the blank lines."""
    pieces: list[tuple[int, int]] = []
    for gap in _BLANK_LINE.finditer(text, start, stop):
        end = len(text[start : gap.start()].rstrip()) + start
        if end > start:
            pieces.append((start, end))
        start = gap.end()
    if stop > start:
        pieces.append((start, stop))
    return pieces


def _chunks(text: str, sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Pieces of the text no longer than NER_CHUNK_CHARS (unless one sentence is), cut between sentences."""
    pieces: list[tuple[int, int]] = []
    start = stop = 0
    for sentence in sentences:
        if sentence.stop - start > NER_CHUNK_CHARS and stop > start:
            pieces.append((start, stop))
            start = sentence.start
        stop = sentence.stop
    if stop > start:
        pieces.append((start, stop))
    return pieces


def adapt_ner(text: str, sentences: list[Sentence], tagger: Any) -> list[Mention]:
    """PER, ORG and LOC spans of natasha's news NER tagger, as our mentions."""
    pieces = _chunks(text, sentences)
    mentions: list[Mention] = []
    for (offset, _stop), markup in zip(pieces, tagger.map([text[a:b] for a, b in pieces]), strict=True):
        for span in markup.spans:
            kind = NER_TYPES.get(span.type)
            if kind is None:
                continue
            start, stop = offset + span.start, offset + span.stop
            mentions.append(Mention(kind, start, stop, text[start:stop], source="ner"))
    return mentions


@dataclass(frozen=True)
class SyntaxToken:
    """A word of a parsed sentence: offsets in the document, its head (index, -1 for the root),
    the relation to it (Universal Dependencies), part of speech and features."""

    index: int
    text: str
    start: int
    stop: int
    head: int
    rel: str
    pos: str
    feats: dict[str, str]


def adapt_syntax(
    sentences: list[list[Token]], morph_tagger: Any, syntax_parser: Any
) -> list[list[SyntaxToken]]:
    """Universal Dependencies parses of sentences given as our tokens (slovnet's news morphology and
    syntax through natasha), all in one call of each model: a call costs far more than a sentence."""
    words = [[t.text for t in tokens] for tokens in sentences]
    if not words:
        return []
    parsed: list[list[SyntaxToken]] = []
    morphs = morph_tagger.map(words)
    trees = syntax_parser.map(words)
    for tokens, morph, tree in zip(sentences, morphs, trees, strict=True):
        ids = {tok.id: n for n, tok in enumerate(tree.tokens)}
        parsed.append(
            [
                SyntaxToken(
                    index=n,
                    text=token.text,
                    start=token.start,
                    stop=token.stop,
                    head=ids.get(node.head_id, -1),
                    rel=node.rel or "",
                    pos=tag.pos or "",
                    feats=dict(tag.feats or {}),
                )
                for n, (token, tag, node) in enumerate(zip(tokens, morph.tokens, tree.tokens, strict=True))
            ]
        )
    return parsed


def _text(grammeme: Any) -> str | None:
    return None if grammeme is None else str(grammeme)


#: What a pymorphy2 tag says, by the tag's text: (part of speech, case, gender, number, grammemes).
#: Tags are a few thousand; reading them once saves most of the cost of a word's first analysis.
_TAG_FIELDS: dict[str, tuple[str | None, str | None, str | None, str | None, frozenset[str]]] = {}


def _tag_fields(tag: Any) -> tuple[str | None, str | None, str | None, str | None, frozenset[str]]:
    key = str(tag)
    fields = _TAG_FIELDS.get(key)
    if fields is None:
        grammemes = frozenset(key.replace(" ", ",").split(","))
        gender = _text(tag.gender) or ("ms-f" if "ms-f" in grammemes else None)
        fields = (_text(tag.POS), _text(tag.case), gender, _text(tag.number), grammemes)
        _TAG_FIELDS[key] = fields
    return fields


@lru_cache(maxsize=100_000)
def _cached_parses(morph: Any, word: str) -> tuple[WordForm, ...]:
    forms: list[WordForm] = []
    for index, parse in enumerate(morph.parse(word)):
        pos, case, gender, number, grammemes = _tag_fields(parse.tag)
        forms.append(
            WordForm(
                normal=parse.normal_form,
                pos=pos,
                case=case,
                gender=gender,
                number=number,
                tags=grammemes,
                score=float(parse.score),
                word=word,
                reading=index,
            )
        )
    return tuple(forms)


@lru_cache(maxsize=100_000)
def _cached_nominative(morph: Any, word: str, index: int) -> str | None:
    parse = morph.parse(word)[index]
    if parse.tag.case is None:
        return None
    inflected = parse.inflect({"Nom"})  # natasha's MorphVocab takes UD grammemes
    if inflected is not None and "Supr" in parse.tag:
        # a superlative has two forms of each case in its lexeme (высшая, высочайшая; лучшая,
        # наилучшая): the one of the word's own stem, not the dictionary's first
        forms = [f for f in parse.lexeme if str(f.tag) == str(inflected.tag)]
        inflected = max(forms, key=lambda f: len(commonprefix([f.word, word.lower()])), default=inflected)
    return inflected.word if inflected is not None else None


def adapt_nominative(form: WordForm, morph: Any) -> str | None:
    """The word of this reading put in the nominative, same gender and number (None if it has no case)."""
    return _cached_nominative(morph, form.word, form.reading)


@lru_cache(maxsize=100_000)
def _cached_inflect(morph: Any, word: str, index: int, grammemes: frozenset[str]) -> str | None:
    inflected = morph.parse(word)[index].inflect(set(grammemes))
    return inflected.word if inflected is not None else None


#: OpenCorpora grammemes (pymorphy2's) as the Universal Dependencies names natasha's inflect takes.
UD_GRAMMEMES = {
    "nomn": "Nom",
    "gent": "Gen",
    "datv": "Dat",
    "accs": "Acc",
    "ablt": "Ins",
    "loct": "Loc",
    "sing": "Sing",
    "plur": "Plur",
    "masc": "Masc",
    "femn": "Fem",
    "neut": "Neut",
}


def adapt_inflect(form: WordForm, grammemes: set[str] | frozenset[str], morph: Any) -> str | None:
    """The word of this reading put in the given grammemes ({"nomn", "sing", "masc"}), if it can be."""
    wanted = frozenset(UD_GRAMMEMES.get(g, g) for g in grammemes)
    return _cached_inflect(morph, form.word, form.reading, wanted)


def adapt_lexeme(lemma: str, morph: Any) -> list[str]:
    """Every form of the words whose lemma this is ("посол": "посла", "послу", "послы" ...)."""
    return [
        form.word
        for parse in morph.parse(lemma)
        if parse.normal_form.replace("ё", "е") == lemma.replace("ё", "е")
        for form in parse.lexeme
    ]


def adapt_parses(word: str, morph: Any) -> tuple[WordForm, ...]:
    """Every reading pymorphy2 (natasha's MorphVocab) gives a word, best first."""
    return _cached_parses(morph, word)


_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


def adapt_is_common_word(word: str, morph: Any) -> bool:
    """Whether pymorphy2's dictionary knows the word and none of its readings is a proper name."""
    if not morph.word_is_known(word.lower()):
        return False
    return not any(form.tags & _PROPER for form in adapt_parses(word, morph))
