"""Our own picture of a document being read: tokens, sentences and typed mentions.

Third-party NLP types (natasha, razdel, slovnet, yargy) never appear here: adapters.py turns
them into these dataclasses, and every later stage of the pipeline works on them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cooplab.ingest.gazetteer import Record

#: Mention types: a person, an organization, a place.
from cooplab.ingest.kinds import LOC, ORG, PER  # noqa: E402 F401  (the kinds, named here as well)

ENTITY_TYPES = (PER, ORG, LOC)


@dataclass
class Token:
    """One word or punctuation mark, with its character offsets in the document text."""

    text: str
    start: int
    stop: int


@dataclass
class Sentence:
    """A sentence: its offsets, its tokens, and the paragraph (line block) it belongs to."""

    text: str
    start: int
    stop: int
    tokens: list[Token] = field(default_factory=list)
    paragraph: int = 0


@dataclass
class Mention:
    """A stretch of text naming a person, organization or place, and where the claim came from."""

    type: str
    start: int
    stop: int
    text: str
    source: str = "ner"  # ner | gazetteer | rule
    rule: str | None = None  # which rule, for source "rule": latin_name | city | quoted_name
    normal: str | None = None  # the name in the nominative case, if known
    record: Record | None = None  # the registry record the gazetteer or linking found
    kind: str | None = None  # what it is: a place's kind (city, region, country) or an organization's
    cluster: int | None = None  # index of the document-level entity this mention belongs to
    head: str | None = None  # a body's head noun ("правительство"), for names found by organizations.py
    parts: list[Mention] = field(default_factory=list)  # places and organizations named inside this name
    canon: str | None = None  # a canonical name the mention stands for ("КР" -> "Кыргызстан")
    country: str | None = None  # ISO code of the country a place is in, where the lexicon knows it
    alias_of: Mention | None = (
        None  # the fuller name this one abbreviates ("МТЗ" -> "Минский тракторный завод")
    )
    bare: bool = False  # a body named by its head and its territory alone ("правительство КР")
    derived: bool = False  # named by the pipeline, not written ("акимат Костаная" for a signing аким)

    @property
    def span(self) -> tuple[int, int]:
        """The mention's offsets as a pair."""
        return (self.start, self.stop)


@dataclass
class DateMention:
    """A date or a date range as written, resolved to calendar days where the year is known."""

    text: str
    start: int
    stop: int
    first: tuple[int | None, int, int]  # (year or None, month, day)
    last: tuple[int | None, int, int] | None = None  # the end of a range
    start_date: str = ""  # YYYY-MM-DD, or --MM-DD without a known year
    end_date: str | None = None
    granularity: str = "day"  # day | month (a month is the range of its first and last days)
    relative: bool = False  # read against the publication date ("вчера", "в среду")


@dataclass
class PositionFact:
    """A person holds a title at an organization (both as mentions of the document)."""

    person: Mention
    title: str  # nominative singular; the place kept in it when no organization is named
    title_text: str  # as written, tail included
    job_text: str = ""  # as written, the job alone (no organization, unit, place, or words about the person)
    unit_text: str = ""  # as written, the unit of the organization the tail describes ("синодального отдела")
    place_word: str = ""  # as written, an adjective before the title naming a place ("подмосковного")
    state: str | None = None  # the state a state title's adjective names ("российский президент": Россия)
    organization: Mention | None = None
    #: the organization as the title words it, in the nominative, when adjectives before its name
    #: belong to it ("глава внешнеполитического ведомства России": "внешнеполитическое ведомство России")
    organization_name: str = ""
    territory: Mention | None = None  # the state or place of a state title ("аким Костаная")
    start: int | None = None  # offsets of the title in the text
    stop: int | None = None


@dataclass
class EventFact:
    """Something that happened: a visit, a meeting, a signing, a presentation."""

    kind: str
    sentence: Sentence
    start: str | None = None
    end: str | None = None
    date_inferred: bool = False
    place: Mention | None = None
    organizations: list[Mention] = field(default_factory=list)
    people: list[Mention] = field(default_factory=list)
    organizer: Mention | None = None
    agreement: AgreementFact | None = None  # the agreement a signing signed
    reference: bool = False  # written as a reference ("в ходе встречи"): it merges into a report of the same


@dataclass
class ActionFact:
    """A next step the text records: what is to be done, by whom, by when."""

    text: str
    sentence: Sentence
    owners: list[Mention] = field(default_factory=list)
    due: str | None = None


@dataclass
class AgreementFact:
    """An agreement, memorandum or contract, its parties and what it is about."""

    kind: str
    sentence: Sentence
    parties: list[Mention] = field(default_factory=list)
    subject: str = ""
    date: str | None = None
    document: str = ""  # the document's own word: "меморандум", "дорожная карта"
    anchor: int = 0  # offset of the document word
    plural: bool = False  # "подписали соглашения": several documents at once
    signatories: list[Mention] = field(default_factory=list)  # people who signed it
    sentences: list[Sentence] = field(default_factory=list)  # every sentence that reports it
    reported: bool = True  # the text reports the signing as news (not a past document it mentions)


@dataclass
class Doc:
    """A document through the pipeline: each stage fills in its part."""

    text: str
    language: str = "ru"
    published: date | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    nested: list[Mention] = field(default_factory=list)  # mentions inside other mentions' names
    dateline: Any = None  # datelines.Dateline of a news item, if it opens with one
    dates: list[DateMention] = field(default_factory=list)
    positions: list[PositionFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    agreements: list[AgreementFact] = field(default_factory=list)
    actions: list[ActionFact] = field(default_factory=list)

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds a character offset."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.stop:
                return sentence
        return None

    def mentions_in(self, start: int, stop: int, *types: str) -> list[Mention]:
        """Mentions inside [start, stop), of the given types (all types if none), in text order."""
        return [
            m for m in self.mentions if m.start >= start and m.stop <= stop and (not types or m.type in types)
        ]
