"""Dates and date ranges in Russian and English text, resolved to calendar days.

A date written without a year ("28 февраля") takes it from the publication date: the latest
year in which that day exists and is not after publication (29 February only in leap years).
With no publication date known the day is written `--MM-DD` (ISO 8601 without a year). A range's
end is resolved first and its start is the latest such day not after the end, so "с 28 декабря
по 3 января" spans the new year.

A month alone ("в ноябре 2017 года", "в апреле") is the range of its first and last days
(granularity "month"); without a year it takes the latest such month not after publication, and
without a publication date it is left out (it could not be written). Relative days ("вчера",
"сегодня", "в среду") are read only against a publication date and marked relative. Months
may be written short ("18 июл", "26 янв.", as datelines do).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from cooplab.ingest.document import DateMention

RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
#: How far back a day without a year may go: 29 February can be eight years away (2096 -> 2104).
MAX_YEARS_BACK = 8

_RU_MONTH = (
    r"(?P<{name}>январ[яье]|феврал[яье]|марта?|марте|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]"
    r"|августа?|августе|сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье]"
    r"|янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)\.?"
)
_EN_MONTH = (
    r"(?P<{name}>January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:\s*(?P<{name}>(?:19|20)\d\d)(?:\s*(?:года|году|год|г\.?)(?![А-Яа-яЁё]))?)?"
_DAY = r"(?P<{name}>[0-3]?\d)"
_DASH = r"\s*[-–—]\s*"


def _f(pattern: str, **names: str) -> str:
    return pattern.format(**names) if names else pattern


def _day(name: str) -> str:
    return _DAY.format(name=name)


def _ru_month(name: str) -> str:
    return _RU_MONTH.format(name=name)


def _en_month(name: str) -> str:
    return _EN_MONTH.format(name=name)


def _year(name: str) -> str:
    return _YEAR.format(name=name)


_PATTERNS = [
    # с 27 февраля [2024 г.] по 2 марта [2024 г.] / 27 февраля – 2 марта
    re.compile(
        rf"(?:\b[Сс]\s+)?\b{_day('d1')}\s+{_ru_month('m1')}{_year('y1')}"
        rf"(?:\s+(?:по|до)\s+|{_DASH}){_day('d2')}\s+{_ru_month('m2')}{_year('y2')}(?![А-Яа-яЁё])"
    ),
    # с 27 по 29 февраля / 27–29 февраля [2024 года]
    re.compile(
        rf"(?:\b[Сс]\s+)?\b{_day('d1')}(?:\s+(?:по|до)\s+|{_DASH}){_day('d2')}\s+{_ru_month('m2')}"
        rf"{_year('y2')}(?![А-Яа-яЁё])"
    ),
    # 27 февраля [2024 года]
    re.compile(rf"\b{_day('d1')}\s+{_ru_month('m1')}{_year('y1')}(?![А-Яа-яЁё])"),
    # 27 February [2024] – 2 March [2024] / from 27 February to 2 March
    re.compile(
        rf"(?:\b[Ff]rom\s+)?\b{_day('d1')}\s+{_en_month('m1')}(?:\s*,?\s*(?P<y1>(?:19|20)\d\d))?"
        rf"(?:\s+(?:to|until|till)\s+|{_DASH}){_day('d2')}\s+{_en_month('m2')}"
        rf"(?:\s*,?\s*(?P<y2>(?:19|20)\d\d))?\b"
    ),
    # February 27 – March 2[, 2024]
    re.compile(
        rf"(?:\b[Ff]rom\s+)?\b{_en_month('m1')}\s+{_day('d1')}(?:st|nd|rd|th)?"
        rf"(?:\s+(?:to|until|till)\s+|{_DASH}){_en_month('m2')}\s+{_day('d2')}(?:st|nd|rd|th)?"
        rf"(?:\s*,\s*(?P<y2>(?:19|20)\d\d))?\b"
    ),
    # February 27–29[, 2024] / 27–29 February [2024]
    re.compile(rf"\b{_en_month('m2')}\s+{_day('d1')}{_DASH}{_day('d2')}(?:\s*,\s*(?P<y2>(?:19|20)\d\d))?\b"),
    re.compile(rf"\b{_day('d1')}{_DASH}{_day('d2')}\s+{_en_month('m2')}(?:\s*,?\s*(?P<y2>(?:19|20)\d\d))?\b"),
    # 27 February [2024] / February 27[, 2024]
    re.compile(
        rf"\b{_day('d1')}(?:st|nd|rd|th)?\s+(?:of\s+)?{_en_month('m1')}(?:\s*,?\s*(?P<y1>(?:19|20)\d\d))?\b"
    ),
    re.compile(rf"\b{_en_month('m1')}\s+{_day('d1')}(?:st|nd|rd|th)?\b(?:\s*,\s*(?P<y1>(?:19|20)\d\d))?"),
    # 27.02.2024 and 2024-02-27
    re.compile(r"\b(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
]


RU_SHORT_MONTHS = {
    "янв": 1,
    "фев": 2,
    "февр": 2,
    "мар": 3,
    "апр": 4,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "сент": 9,
    "окт": 10,
    "ноя": 11,
    "нояб": 11,
    "дек": 12,
}


def month_number(word: str) -> int | None:
    """The month a Russian or English month name (any case form, or short) or a number stands for."""
    word = word.lower().rstrip(".")
    if word.isdigit():
        return int(word) if 1 <= int(word) <= 12 else None
    if word in EN_MONTHS:
        return EN_MONTHS[word]
    if word in RU_SHORT_MONTHS:
        return RU_SHORT_MONTHS[word]
    for stem, number in RU_MONTHS.items():
        if word.startswith(stem) and (stem != "ма" or word in ("мая", "май", "мае")):
            return number
    return None


def is_valid_day(year: int | None, month: int, day: int) -> bool:
    """Whether the day exists; without a year 29 February counts (it exists in leap years)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(year, month)[1]


def resolve_day(month: int, day: int, published: date) -> date | None:
    """The latest existing day with this month and day that is not after `published`."""
    for year in range(published.year, published.year - MAX_YEARS_BACK - 1, -1):
        if is_valid_day(year, month, day) and date(year, month, day) <= published:
            return date(year, month, day)
    return None


def format_day(year: int | None, month: int, day: int) -> str:
    """YYYY-MM-DD, or --MM-DD when the year is unknown."""
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def resolve_range(
    first: tuple[int | None, int, int], last: tuple[int | None, int, int] | None, published: date | None
) -> tuple[str, str | None] | None:
    """Start and end (YYYY-MM-DD or --MM-DD) of a date or a range; None if a day does not exist."""
    (y1, m1, d1) = first
    if last is None:
        if y1 is None and published is not None:
            resolved = resolve_day(m1, d1, published)
            return (resolved.isoformat(), None) if resolved else None
        return (format_day(y1, m1, d1), None) if is_valid_day(y1, m1, d1) else None
    (y2, m2, d2) = last
    if y2 is None and published is not None:
        end_day = resolve_day(m2, d2, published)
        if end_day is None:
            return None
        y2 = end_day.year
    if not is_valid_day(y2, m2, d2):
        return None
    if y1 is None and y2 is not None:
        start_day = resolve_day(m1, d1, date(y2, m2, d2))
        if start_day is None:
            return None
        y1 = start_day.year
    if not is_valid_day(y1, m1, d1):
        return None
    if y1 is not None and y2 is not None and date(y1, m1, d1) > date(y2, m2, d2):
        return None
    return format_day(y1, m1, d1), format_day(y2, m2, d2)


def _group(match: re.Match[str], name: str) -> str | None:
    try:
        return match.group(name)
    except IndexError:
        return None


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date and date range in the text, longest match first, resolved against `published`."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, stop = match.span()
            if any(start < b and a < stop for a, b in taken):
                continue
            d2 = _group(match, "d2")
            m1 = _group(match, "m1")
            m2 = _group(match, "m2")
            y1, y2 = _group(match, "y1"), _group(match, "y2")
            month1 = month_number(m1 or m2 or "")
            if month1 is None:
                continue
            first = (int(y1) if y1 else None, month1, int(match.group("d1")))
            last = None
            if d2 is not None:
                month2 = month_number(m2 or "")
                if month2 is None:
                    continue
                last = (int(y2) if y2 else None, month2, int(d2))
                if y1 is None and y2 is not None and m1 is None:
                    first = (int(y2), month1, first[2])
            elif y2 and not y1:
                first = (int(y2), month1, first[2])
            resolved = resolve_range(first, last, published)
            if resolved is None:
                continue
            taken.append((start, stop))
            found.append(
                DateMention(
                    text=text[start:stop].strip(),
                    start=start,
                    stop=stop,
                    first=first,
                    last=last,
                    start_date=resolved[0],
                    end_date=resolved[1],
                )
            )
    found.extend(_months(text, published, taken))
    if published is not None:
        found.extend(_relative_days(text, published, taken))
    found.sort(key=lambda d: d.start)
    return found


_MONTH_WORD = (
    r"(?P<{name}>январ[ьяе]|феврал[ьяе]|март[аеу]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]"
    r"|август[аеу]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_MONTH_PATTERNS = [
    # в ноябре-декабре 2017 года / с января по март 2024 года
    re.compile(
        rf"(?i:\b(?:в|во|с|со)\s+)?\b{_MONTH_WORD.format(name='m1')}(?:\s+(?P<y1>(?:19|20)\d\d))?"
        rf"(?:\s+(?:по|до)\s+|{_DASH}){_MONTH_WORD.format(name='m2')}{_YEAR.format(name='y2')}(?![А-Яа-яЁё])"
    ),
    # в ноябре 2017 года / ноябрь 2017 г.
    re.compile(
        rf"\b{_MONTH_WORD.format(name='m1')}\s+(?P<y1>(?:19|20)\d\d)(?:\s*(?:года|году|год|г\.?)(?![А-Яа-яЁё]))?"
    ),
    # в апреле, в начале мая, к концу июня (a month after a preposition, the year from publication)
    re.compile(
        rf"(?i:\b(?:в|во|к|с|до|по|на|начале|середине|конце|начала|середины|конца|концу)\s+)"
        rf"{_MONTH_WORD.format(name='m1')}(?![А-Яа-яЁё])"
    ),
]


def month_range(year: int, month: int) -> tuple[str, str]:
    """The first and the last day of a month, as YYYY-MM-DD."""
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _latest_month(month: int, published: date) -> int:
    return published.year if month <= published.month else published.year - 1


def _months(text: str, published: date | None, taken: list[tuple[int, int]]) -> list[DateMention]:
    """Months written without a day, each as the range of its days."""
    found: list[DateMention] = []
    for pattern in _MONTH_PATTERNS:
        for match in pattern.finditer(text):
            start, stop = match.span()
            if any(start < b and a < stop for a, b in taken) or re.search(
                r"\d\s*[-–—]?\s*$", text[max(0, start - 4) : start]
            ):
                continue  # "29 февраля 2023 года" that does not exist is no month either
            m1, m2 = month_number(match.group("m1")), month_number(_group(match, "m2") or "")
            y1, y2 = _group(match, "y1"), _group(match, "y2")
            if m1 is None:
                continue
            last_month = m2 or m1
            if year := (y2 or y1):
                end_year = int(year)
            elif published is not None:
                end_year = _latest_month(last_month, published)
            else:
                continue
            start_year = int(y1) if y1 else (end_year if m1 <= last_month else end_year - 1)
            first_day, _ = month_range(start_year, m1)
            _, last_day = month_range(end_year, last_month)
            taken.append((start, stop))
            found.append(
                DateMention(
                    text=text[start:stop].strip(),
                    start=start,
                    stop=stop,
                    first=(start_year, m1, 1),
                    last=(end_year, last_month, int(last_day[-2:])),
                    start_date=first_day,
                    end_date=last_day,
                    granularity="month",
                )
            )
    return found


WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "среда": 2,
    "четверг": 3,
    "пятницу": 4,
    "пятница": 4,
    "субботу": 5,
    "суббота": 5,
    "воскресенье": 6,
}
RELATIVE_DAYS = {"сегодня": 0, "вчера": -1, "позавчера": -2, "накануне": -1}
_RELATIVE = re.compile(
    r"(?i)\b(?P<word>сегодня|вчера|позавчера|накануне)\b(?!\s+вечер)|"
    r"\b(?i:в|во)\s+(?P<weekday>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
)


def _relative_days(text: str, published: date, taken: list[tuple[int, int]]) -> list[DateMention]:
    """ "вчера", "сегодня", "в среду" as days before publication (the latest such weekday)."""
    found: list[DateMention] = []
    for match in _RELATIVE.finditer(text):
        start, stop = match.span()
        if any(start < b and a < stop for a, b in taken):
            continue
        if match.group("word"):
            day = published + timedelta(days=RELATIVE_DAYS[match.group("word").lower()])
        else:
            back = (published.weekday() - WEEKDAYS[match.group("weekday").lower()]) % 7
            day = published - timedelta(days=back)
        found.append(
            DateMention(
                text=match.group(),
                start=start,
                stop=stop,
                first=(day.year, day.month, day.day),
                start_date=day.isoformat(),
                relative=True,
            )
        )
    return found
