"""Events and agreements of English text, by the words that report them (the Russian stages read
syntax and morphology that English text does not get here).

    "met", "talks", "negotiations", "meeting with"     a meeting
    "visited", "visit"                                  a visit
    "signed", "signing"                                 a signing
    "presented", "presentation"                         a presentation
    "opened", "launched", "opening ceremony"            another happening
    "X and Y signed a memorandum ...", "... between X and Y", "X signed ... with Y"   an agreement

Planned ones ("will sign", "plan to visit") are not events. A sentence without a date or place
takes the last ones of its paragraph (marked inferred).
"""

from __future__ import annotations

import re

from cooplab.ingest.document import LOC, ORG, PER, AgreementFact, Doc, EventFact, Mention

TRIGGERS: dict[str, tuple[str, ...]] = {
    "visit": (r"\bvisit(?:ed|s)?\b",),
    "meeting": (r"\b(?:talks|negotiations|met)\b", r"\bmeeting\s+(?:with|between)\b"),
    "signing": (r"\bsign(?:ed|ing)\b",),
    "presentation": (r"\bpresent(?:ed|ation)\b",),
    "other": (r"\b(?:opened|launched|opening ceremony|inaugurated)\b",),
}
_COMPILED = {kind: [re.compile(p, re.IGNORECASE) for p in patterns] for kind, patterns in TRIGGERS.items()}
_PLANNED = re.compile(
    r"\b(?:will|would|plans?\s+to|planned\s+to|intends?\s+to|to\s+be|expects?\s+to|may|might)\s+"
    r"(?:\w+\s+)?(?:sign|visit|meet|present|open|launch)",
    re.IGNORECASE,
)
AGREEMENT_WORDS = {
    "memorandum": r"memorand(?:um|a)(?:\s+of\s+understanding)?|MoU",
    "agreement": r"agreements?",
    "contract": r"contracts?",
}
_AGREEMENT = re.compile(
    r"(?P<verb>signed)\s+(?:\w+\s+){0,3}?(?P<kind>"
    + "|".join(AGREEMENT_WORDS.values())
    + r")(?P<rest>[^.;]*)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\s*,?\s*(?P<subject>(?:on|about|for|to)\b[^.;]*)", re.IGNORECASE)


def _kind_of(word: str) -> str:
    for kind, words in AGREEMENT_WORDS.items():
        if re.fullmatch(words, word, re.IGNORECASE):
            return kind
    return "agreement"


def find_english_events(doc: Doc) -> list[EventFact]:
    """Events of an English document, one per kind and sentence."""
    events: list[EventFact] = []
    last: tuple[str | None, str | None] = (None, None)
    last_place: Mention | None = None
    paragraph = -1
    for sentence in doc.sentences:
        if sentence.paragraph != paragraph:
            paragraph, last_place = sentence.paragraph, None
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        dates = [d for d in doc.dates if sentence.start <= d.start < sentence.stop]
        places = [m for m in mentions if m.type == LOC]
        date = (dates[0].start_date, dates[0].end_date) if dates else None
        place = places[0] if places else None
        if not _PLANNED.search(sentence.text):
            for kind, patterns in _COMPILED.items():
                if any(p.search(sentence.text) for p in patterns):
                    start, end = date if date else last
                    events.append(
                        EventFact(
                            kind=kind,
                            sentence=sentence,
                            start=start,
                            end=end,
                            date_inferred=date is None,
                            place=place or last_place,
                            organizations=[m for m in mentions if m.type == ORG],
                            people=[m for m in mentions if m.type == PER],
                        )
                    )
        if date:
            last = date
        if place is not None:
            last_place = place
    return events


def find_english_agreements(doc: Doc) -> list[AgreementFact]:
    """Agreements an English document reports as signed, with their parties and subject."""
    found: list[AgreementFact] = []
    for sentence in doc.sentences:
        for match in _AGREEMENT.finditer(sentence.text):
            verb_at = sentence.start + match.start()
            kind_at = sentence.start + match.start("kind")
            clause_start = sentence.start + max(sentence.text.rfind(",", 0, match.start()) + 1, 0)
            before = doc.mentions_in(clause_start, verb_at, ORG)
            after = doc.mentions_in(kind_at, sentence.start + match.end("rest"), ORG)
            between = re.search(r"\b(?:between|with)\b", match.group("rest"), re.IGNORECASE)
            parties = before + (after if between and len(before) < 2 else [])
            subject = _SUBJECT.match(match.group("rest"))
            dates = [d for d in doc.dates if sentence.start <= d.start < sentence.stop]
            found.append(
                AgreementFact(
                    kind=_kind_of(match.group("kind")),
                    sentence=sentence,
                    parties=parties,
                    subject=subject.group("subject").strip()[:400] if subject else "",
                    date=dates[0].start_date if dates else None,
                    document=match.group("kind").lower(),
                    sentences=[sentence],
                )
            )
    return found
