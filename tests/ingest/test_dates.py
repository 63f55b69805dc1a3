"""Dates without a year take it from the publication date; ranges; days that do not exist."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cooplab.ingest.dates import find_dates, is_valid_day, resolve_day, resolve_range


def spans(text: str, published: date | None) -> list[tuple[str, str | None]]:
    return [(d.start_date, d.end_date) for d in find_dates(text, published)]


def test_leap_day_takes_the_latest_leap_year_not_after_publication():
    assert spans("29 февраля", date(2024, 3, 5)) == [("2024-02-29", None)]
    assert spans("29 февраля", date(2025, 3, 5)) == [("2024-02-29", None)]
    assert spans("29 февраля", date(2024, 2, 28)) == [("2020-02-29", None)]


def test_a_day_after_publication_belongs_to_the_year_before():
    assert spans("15 декабря", date(2024, 3, 5)) == [("2023-12-15", None)]
    assert spans("5 марта", date(2024, 3, 5)) == [("2024-03-05", None)]


def test_without_a_publication_date_the_year_stays_unknown():
    assert spans("28 февраля и 29 февраля", None) == [("--02-28", None), ("--02-29", None)]
    assert spans("с 27 февраля по 2 марта", None) == [("--02-27", "--03-02")]


def test_ranges_across_months_and_years():
    assert spans("с 27 февраля по 2 марта", date(2024, 3, 5)) == [("2024-02-27", "2024-03-02")]
    assert spans("с 28 декабря по 3 января", date(2024, 1, 10)) == [("2023-12-28", "2024-01-03")]
    assert spans("27–29 февраля 2024 года", None) == [("2024-02-27", "2024-02-29")]
    assert spans("с 3 по 5 мая", date(2023, 6, 1)) == [("2023-05-03", "2023-05-05")]


def test_written_years_and_other_formats():
    assert spans("2 марта 2022 г.", date(2024, 1, 1)) == [("2022-03-02", None)]
    assert spans("01.03.2024", None) == [("2024-03-01", None)]
    assert spans("On February 28, 2024", None) == [("2024-02-28", None)]
    assert spans("from 27 February to 2 March 2024", None) == [("2024-02-27", "2024-03-02")]


def test_days_that_do_not_exist_are_not_dates():
    assert spans("31 февраля", date(2024, 3, 5)) == []
    assert spans("29 февраля 2023 года", None) == []
    assert spans("31.04.2024", None) == []


published_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
month_days = st.tuples(st.integers(1, 12), st.integers(1, 31)).filter(lambda md: is_valid_day(None, *md))


@given(month_days, published_dates)
def test_resolved_day_is_the_latest_not_after_publication(month_day, published):
    month, day = month_day
    resolved = resolve_day(month, day, published)
    assert resolved is not None
    assert (resolved.month, resolved.day) == (month, day)
    assert resolved <= published
    limit = 8 if (month, day) == (2, 29) else 1
    assert resolved.year >= published.year - limit
    later = resolved.year + 1
    while later <= published.year:  # no later year would do
        assert not (is_valid_day(later, month, day) and date(later, month, day) <= published)
        later += 1


@given(month_days, month_days, published_dates)
def test_a_range_starts_before_it_ends(first, last, published):
    resolved = resolve_range((None, *first), (None, *last), published)
    assert resolved is not None
    start, end = date.fromisoformat(resolved[0]), date.fromisoformat(resolved[1])
    assert start <= end <= published
    assert end - start < timedelta(days=366 + 8 * 366)


@given(month_days)
def test_without_publication_the_day_is_written_without_a_year(month_day):
    start, end = resolve_range((None, *month_day), None, None)
    assert start == f"--{month_day[0]:02d}-{month_day[1]:02d}" and end is None
