"""Next steps the text records, proposed as action items for review.

    были намечены дальнейшие шаги по взаимодействию с Кластером АП    steps set out
    стороны договорились подготовить дорожную карту                   agreed to do
    поручено проработать вопрос поставок, решили провести ...          told, decided to do

The item is the words after the announcing word up to the end of the clause, its owners the
organizations of the sentence (the parties when "стороны" agreed), its due date the date the
clause gives, if any. A next step that only repeats an earlier one is kept once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cooplab.ingest.dates import is_valid_day
from cooplab.ingest.document import ORG, ActionFact, Doc, Sentence
from cooplab.ingest.lexicon import NEXT_STEP_MARKERS, NEXT_STEP_NOUNS, NEXT_STEP_VERBS
from cooplab.ingest.words import is_russian, lemma, may_have_lemma, readings

MAX_ACTION_CHARS = 300
_CLAUSE_END = {".", ";", "!", "?"}
#: Verbs announcing a step only with what is to be done after them (an infinitive or "о" + noun).
_AGREEING = frozenset({"договориться", "условиться", "решить", "обязаться", "согласовать"})


#: Every lemma that may open a next step.
_ANNOUNCING = NEXT_STEP_NOUNS | NEXT_STEP_VERBS | _AGREEING


def _announcement(sentence: Sentence, morph: Any) -> int | None:
    """Index of the token after which a next step is written, if the sentence records one."""
    tokens = sentence.tokens
    for n, token in enumerate(tokens):
        if not is_russian(token.text) or not may_have_lemma(token.text, morph, _ANNOUNCING):
            continue
        word = lemma(token.text, morph)
        if word in NEXT_STEP_NOUNS and n > 0 and lemma(tokens[n - 1].text, morph) in NEXT_STEP_MARKERS:
            around = {lemma(t.text, morph) for t in tokens[max(0, n - 5) : n + 1]}
            if around & NEXT_STEP_VERBS:
                return n - 1  # "намечены дальнейшие шаги по ..."
        if word in NEXT_STEP_VERBS and word not in _AGREEING and word != "наметить" and n + 1 < len(tokens):
            following = readings(tokens[n + 1].text, morph)
            if following and following[0].pos == "INFN":
                return n + 1  # "поручено проработать ..."
        if word in _AGREEING and n + 1 < len(tokens):
            following = readings(tokens[n + 1].text, morph)
            if (following and following[0].pos == "INFN") or tokens[n + 1].text.lower() in ("о", "об"):
                return n + 1  # "договорились подготовить ...", "договорились о ..."
            if n + 2 < len(tokens):
                later = readings(tokens[n + 2].text, morph)
                if later and later[0].pos == "INFN" and following and following[0].pos in ("ADVB", "ADJS"):
                    return n + 1  # "договорились вместе развивать ..."
    return None


def _due(found: Any, published: date | None) -> str | None:
    """A step's due date: a day written without a year is the next one on or after publication
    (dates.py reads such a day as past, which a deadline is not)."""
    year, month, day = found.last or found.first
    if year is None and published is not None and found.granularity == "day":
        for candidate in (published.year, published.year + 1):
            if is_valid_day(candidate, month, day) and date(candidate, month, day) >= published:
                return date(candidate, month, day).isoformat()
    return found.end_date or found.start_date


def find_next_steps(doc: Doc, morph: Any) -> list[ActionFact]:
    """Next steps of a document, each once, with owners and due dates where the text gives them."""
    found: list[ActionFact] = []
    seen: set[str] = set()
    for sentence in doc.sentences:
        at = _announcement(sentence, morph)
        if at is None:
            continue
        tokens = sentence.tokens
        stop = next((k for k in range(at, len(tokens)) if tokens[k].text in _CLAUSE_END), len(tokens))
        if stop <= at:
            continue
        start_offset, stop_offset = tokens[at].start, tokens[stop - 1].stop
        text = doc.text[start_offset:stop_offset].strip(" ,")[:MAX_ACTION_CHARS]
        key = " ".join(text.lower().split())
        if not text or key in seen:
            continue
        seen.add(key)
        owners = [m for m in doc.mentions_in(sentence.start, sentence.stop, ORG) if m.kind != "media"]
        dates = [d for d in doc.dates if start_offset <= d.start < stop_offset and not d.relative]
        found.append(
            ActionFact(
                text=text,
                sentence=sentence,
                owners=owners,
                due=_due(dates[0], doc.published) if dates else None,
            )
        )
    return found
