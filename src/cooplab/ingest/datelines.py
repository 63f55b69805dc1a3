"""Datelines and credits of news: where and when an item was filed, and by which agency.

    БИШКЕК, 18 июл — Sputnik. ...          city, date, agency
    14 октября, Минск /Корр. БЕЛТА/. ...   date, city, agency
    Gezitter.org. ...                       agency (a site) opening the text
    ... Источник: KP.RU.                    agency closing the text
    Как передает spot.uz, ...               agency named in a sentence

The city is a place mention, the agency an organization mention of kind "media"; the date is
read by dates.py with the others, and the dateline's date and place are what an event of the
first paragraph took place at when its sentence names neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cooplab.ingest.document import LOC, ORG, Doc, Mention

_MONTH = r"[А-Яа-яЁё]{3,8}\.?"
_CITY_CAPS = r"(?P<city>[А-ЯЁ][А-ЯЁ\-]+(?:[ \-][А-ЯЁ][А-ЯЁ\-]+)?)"
_AGENCY = r"(?P<agency>[^\s.,/][^\n/.]{0,40}?(?:\.[a-z]{2,4})?)"
DATELINE_PATTERNS = (
    re.compile(
        rf"^{_CITY_CAPS}\s*,\s*(?P<date>\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)\s*[—–-]\s*{_AGENCY}\s*\.(?=\s)"
    ),
    re.compile(rf"^{_CITY_CAPS}\s*[—–-]\s*{_AGENCY}\s*\.(?=\s)"),
    re.compile(
        r"^(?P<date>\d{1,2}\s+"
        + _MONTH
        + r"(?:\s+\d{4})?)\s*,\s*(?P<city>[А-ЯЁ][а-яё\-]+(?:[ \-][А-ЯЁ][а-яё\-]+)?)"
        r"\s*/\s*(?:(?:Корр|корр)\.\s*)?(?P<agency>[^/\n]{2,40}?)\s*/\s*\.?"
    ),
)
_SITE = (
    r"[A-Za-z][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*"
    r"\.(?:org|ru|uz|kz|kg|by|tj|com|net|info|az|am|ge|md|ua|cn|tr)"
)
SITE_OPENING = re.compile(rf"^(?P<agency>{_SITE})\s*\.(?=\s)")
CREDIT = re.compile(
    rf"(?:^|\n)\s*Источник\s*:\s*(?P<agency>{_SITE}|[А-ЯЁA-Z][^\n.]{{1,40}}?)\s*\.?\s*$", re.MULTILINE
)
REPORTED_BY = re.compile(
    rf"\b(?:[Кк]ак\s+)?(?:передает|передаёт|сообщает|сообщило|сообщил|пишет)\s+(?P<agency>{_SITE}|(?:ИА|ИТАР-ТАСС|агентство)\s+«[^»]{{2,40}}»)"
)


@dataclass(frozen=True)
class Dateline:
    """Where and when a news item was filed (offsets into the text), and the agency that filed it."""

    start: int
    stop: int
    city: tuple[int, int] | None
    date: tuple[int, int] | None
    agency: tuple[int, int] | None


def find_dateline(text: str) -> Dateline | None:
    """The dateline that opens a news item, if it has one."""
    for pattern in DATELINE_PATTERNS:
        match = pattern.match(text)
        if match is not None:
            groups = match.groupdict()
            return Dateline(
                match.start(),
                match.end(),
                match.span("city") if groups.get("city") else None,
                match.span("date") if groups.get("date") else None,
                match.span("agency") if groups.get("agency") else None,
            )
    match = SITE_OPENING.match(text)
    if match is not None:
        return Dateline(match.start(), match.end(), None, None, match.span("agency"))
    return None


def _agency(text: str, start: int, stop: int) -> Mention:
    name = text[start:stop].strip()
    start += len(text[start:stop]) - len(text[start:stop].lstrip())
    return Mention(
        ORG, start, start + len(name), name, source="rule", rule="dateline", kind="media", normal=name
    )


def find_credits(doc: Doc) -> list[Mention]:
    """The agencies and the filing city a news item names in its dateline and credits."""
    found: list[Mention] = []
    dateline = find_dateline(doc.text)
    doc.dateline = dateline
    if dateline is not None:
        if dateline.city is not None:
            a, b = dateline.city
            found.append(Mention(LOC, a, b, doc.text[a:b], source="rule", rule="dateline", kind="city"))
        if dateline.agency is not None:
            found.append(_agency(doc.text, *dateline.agency))
    for match in CREDIT.finditer(doc.text):
        found.append(_agency(doc.text, *match.span("agency")))
    for match in REPORTED_BY.finditer(doc.text):
        found.append(_agency(doc.text, *match.span("agency")))
    return found
