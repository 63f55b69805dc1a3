"""Events (visits, negotiations and meetings, signings, presentations) and agreements.

A sentence holds an event when a trigger says something took place ("был посещен завод",
"состоялись визиты", "проведены переговоры", "подписали меморандум", "представлен опыт").
The event takes the sentence's date, place, organizations and people; a sentence without a date
or place takes the last ones of its paragraph (marked `date_inferred`). Places in brackets
split a list of visited companies: "A, B (все г. X), C (г. Y)" is a visit to X and one to Y.
An agreement is "X и Y подписали меморандум ...", "подписание соглашения между X и Y", or
"X подписал(а) с Y договор ...".
"""

from __future__ import annotations

import re

from cooplab.ingest.document import LOC, ORG, PER, AgreementFact, Doc, EventFact, Mention, Sentence

#: Triggers per event kind (lower-case regular expressions over a sentence).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "visit": (
        r"\b(?:был[аио]?|будут|будет)\s+посещен\w*", r"\bпосетил\w*", r"\bпосещени\w+",
        r"\bсостоял\w*\s+(?:\w+\s+){0,2}визит\w*", r"\bс\s+(?:\w+\s+)?визитом\b", r"\bприбыл\w*\s+с\s+(?:\w+\s+)?визитом",
        r"\bvisit(?:ed|s)?\b",
    ),
    "meeting": (
        r"\b(?:состоял\w*|провел\w*|проведен\w*|прош\w*|начал\w*)\s+(?:\w+\s+){0,2}переговор\w*",
        r"\bпереговоры\s+(?:с|между)\b",
        r"\b(?:прошл\w*|состоял\w*|провел\w*|проведен\w*|организова\w*)\s+(?:\w+\s+){0,2}встреч\w*", r"\bвстреч[аие]\w*\s+(?:с|между)\b", r"\bвстретил\w*",
        r"\bпроведенной\s+(?:\w+\s+){0,4}встреч\w*", r"\bсовещани\w+\s+(?:с|между)\b",
        r"\b(?:talks|negotiations|met)\b", r"\bmeeting\s+(?:with|between)\b",
    ),
    "signing": (
        r"\bподписал\w*", r"\bподписан\w*", r"\bзаключил\w*\s+(?:\w+\s+){0,2}(?:соглашени|меморандум|договор|контракт)\w*",
        r"\bsign(?:ed|ing)\b",
    ),
    "presentation": (
        r"\bпредставлен\w*\s+(?:\w+\s+){0,1}(?:опыт|проект|презентаци)\w*", r"\bпрезентова\w*", r"\bпрезентаци\w+",
        r"\bpresent(?:ed|ation)\b",
    ),
}
_COMPILED = {kind: [re.compile(p) for p in patterns] for kind, patterns in TRIGGERS.items()}
#: Kinds of agreements and the words that name them.
AGREEMENT_WORDS = {
    "memorandum": r"меморандум\w*|memorandum(?:\s+of\s+understanding)?|MoU",
    "agreement": r"соглашени\w*|agreement",
    "contract": r"договор\w*|контракт\w*|contract",
}
_AGREEMENT = re.compile(
    r"(?P<verb>подписал\w*|подписан\w*|заключил\w*|заключен\w*|signed)\s+(?:\w+\s+){0,3}?"
    r"(?P<kind>" + "|".join(AGREEMENT_WORDS.values()) + r")(?P<rest>[^.;]*)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\s*,?\s*(?P<subject>(?:о|об|в\s+целях|по|в\s+сфере|в\s+области|on|about|for|to)\b[^.;]*)",
                      re.IGNORECASE)
MAX_SUMMARY = 400


def _kind_of(pattern_word: str) -> str:
    for kind, words in AGREEMENT_WORDS.items():
        if re.fullmatch(words, pattern_word, re.IGNORECASE):
            return kind
    return "agreement"


def _specific_place(places: list[Mention]) -> Mention | None:
    """The most specific place of a sentence: a city if it names one, else a region, else the first."""
    for wanted in ("city", "region", None, "country"):
        for place in places:
            if place.kind == wanted:
                return place
    return places[0] if places else None


def _bracketed_places(doc: Doc, sentence: Sentence, mentions: list[Mention]) -> list[tuple[Mention, list[Mention]]]:
    """Places written in brackets after the organizations they hold: [(place, organizations)]."""
    groups: list[tuple[Mention, list[Mention]]] = []
    pending: list[Mention] = []
    for mention in mentions:
        if mention.type == ORG:
            pending.append(mention)
        elif mention.type == LOC:
            before = doc.text[max(sentence.start, mention.start - 12) : mention.start]
            if "(" in before and pending:
                groups.append((mention, pending))
                pending = []
    return groups


def find_events(doc: Doc) -> list[EventFact]:
    """Events of a document in text order, one per trigger kind and sentence (split by bracketed places)."""
    events: list[EventFact] = []
    last_date: tuple[str | None, str | None] = (None, None)
    last_place: Mention | None = None
    paragraph = -1
    for sentence in doc.sentences:
        if sentence.paragraph != paragraph:
            paragraph = sentence.paragraph
            last_place = None
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        dates = [d for d in doc.dates if sentence.start <= d.start < sentence.stop]
        places = [m for m in mentions if m.type == LOC]
        low = sentence.text.lower()
        kinds = [k for k, patterns in _COMPILED.items() if any(p.search(low) for p in patterns)]
        date = (dates[0].start_date, dates[0].end_date) if dates else None
        place = _specific_place(places)
        if place is not None and place.kind == "country" and last_place is not None and last_place.kind != "country":
            place = None  # "... в Узбекистане" after a city names the country, not where it happened
        for kind in kinds:
            inferred = date is None
            start, end = date if date else last_date
            orgs = [m for m in mentions if m.type == ORG]
            people = [m for m in mentions if m.type == PER]
            groups = _bracketed_places(doc, sentence, mentions) if kind == "visit" else []
            if len(groups) > 1:
                for group_place, group_orgs in groups:
                    events.append(EventFact(kind=kind, sentence=sentence, start=start, end=end,
                                            date_inferred=inferred, place=group_place,
                                            organizations=group_orgs, people=people))
                continue
            events.append(EventFact(
                kind=kind, sentence=sentence, start=start, end=end, date_inferred=inferred,
                place=place or last_place, organizations=orgs, people=people,
            ))
        if date:
            last_date = date
        if place is not None:
            last_place = place
    return events


def find_agreements(doc: Doc) -> list[AgreementFact]:
    """Agreements signed in a document, with their parties and subject."""
    agreements: list[AgreementFact] = []
    for sentence in doc.sentences:
        for match in _AGREEMENT.finditer(sentence.text):
            verb_at = sentence.start + match.start()
            kind_at = sentence.start + match.start("kind")
            clause_start = sentence.start + max(sentence.text.rfind(",", 0, match.start()) + 1, 0)
            before = [m for m in doc.mentions_in(clause_start, verb_at, ORG)]
            rest_stop = sentence.start + match.end("rest")
            after = [m for m in doc.mentions_in(kind_at, rest_stop, ORG)]
            between = re.search(r"\b(?:между|between)\b", match.group("rest"), re.IGNORECASE)
            parties = before + (after if between or len(before) < 2 else [])
            subject_match = _SUBJECT.match(match.group("rest"))
            subject = subject_match.group("subject").strip() if subject_match else ""
            dates = [d for d in doc.dates if sentence.start <= d.start < sentence.stop]
            agreements.append(AgreementFact(
                kind=_kind_of(match.group("kind")), sentence=sentence, parties=_unique(parties),
                subject=subject[:MAX_SUMMARY], date=dates[0].start_date if dates else None,
            ))
    return agreements


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[object] = set()
    out = []
    for mention in mentions:
        key = mention.cluster if mention.cluster is not None else mention.text
        if key not in seen:
            seen.add(key)
            out.append(mention)
    return out
