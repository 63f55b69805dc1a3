"""Numbers, dates and countries as the reader's language writes them: one formatting for the
web, the CLI and reports."""

from __future__ import annotations

import gettext
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import pycountry
from babel import Locale
from babel.dates import format_date as cldr_date
from babel.numbers import get_decimal_symbol, get_group_symbol

MONTHS = {
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "uz": (
        "yanvar",
        "fevral",
        "mart",
        "aprel",
        "may",
        "iyun",
        "iyul",
        "avgust",
        "sentabr",
        "oktabr",
        "noyabr",
        "dekabr",
    ),
}
#: Countries of the cooperation first in country lists; short common names instead of formal ones.
MAIN_COUNTRIES = ("UZ", "RU", "KR", "KZ", "CN", "BY", "TR", "DE", "JP", "IN")
SHORT_COUNTRY_NAMES = {
    "ru": {
        "RU": "Россия",
        "KR": "Южная Корея",
        "KP": "КНДР",
        "US": "США",
        "GB": "Великобритания",
        "IR": "Иран",
        "MD": "Молдова",
        "TW": "Тайвань",
        "VN": "Вьетнам",
        "SY": "Сирия",
    },
    "en": {
        "RU": "Russia",
        "KR": "South Korea",
        "KP": "North Korea",
        "IR": "Iran",
        "MD": "Moldova",
        "TW": "Taiwan",
        "VN": "Vietnam",
        "SY": "Syria",
        "BO": "Bolivia",
        "VE": "Venezuela",
        "TZ": "Tanzania",
        "LA": "Laos",
    },
    "uz": {
        "US": "AQSH",
        "KP": "KXDR",
    },
}
#: The Uzbek letters oʻ and gʻ are written with U+02BB; CLDR spells some names with U+2018.
UZBEK_TURNED_COMMA = str.maketrans({"\u2018": "\u02bb"})


@lru_cache(maxsize=8)
def _number_symbols(lang: str) -> tuple[str, str]:
    """(group separator, decimal mark) of the language by CLDR: ("\u00a0", ",") in Russian and
    Uzbek, (",", ".") in English."""
    return get_group_symbol(lang), get_decimal_symbol(lang)


def localize_digits(text: str, lang: str) -> str:
    """A number Python wrote (1,234.5) with the language's separators (1 234,5 in Russian)."""
    group, decimal = _number_symbols(lang)
    if (group, decimal) == (",", "."):
        return text
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def format_number(
    value: int | float | Decimal | None, lang: str, places: int | None = None, *, fixed: bool = False
) -> str:
    """1 234 567 / 1,234,567; decimals with a comma in Russian (1 234,5), rounded to `places`
    when given, never with trailing zeros (21000000.000000 is 21 000 000) unless `fixed`, which
    keeps all `places` (a column of amounts: 18,40 above 16,81)."""
    if value is None:
        return ""
    if isinstance(value, int) and places is None:
        text = f"{value:,}"
    else:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{number:,f}" if fixed and places is not None else f"{number.normalize():,f}"
    return localize_digits(text, lang)


def language_name(code: str, lang: str) -> str:
    """A language's name in the reader's language, as CLDR writes it (uz: узбекский, Uzbek,
    o‘zbek); the code itself when CLDR has no name for it."""
    name: str = Locale.parse(lang).languages.get(code, code)
    return name


def format_date(value: date | datetime | None, lang: str, *, long: bool = False) -> str:
    """A day: 23.08.2021 / 23 Aug 2021 in lists and forms; 23 августа 2021 г. / 23 August 2021 /
    23-avgust, 2021 (CLDR) in running text (`long`)."""
    if value is None:
        return ""
    if lang == "uz":
        return cldr_date(value, "long", locale="uz") if long else value.strftime("%d.%m.%Y")
    month = MONTHS.get(lang, MONTHS["en"])[value.month - 1]
    if long:
        return f"{value.day} {month} {_year(value.year, lang)}"
    if lang == "ru":
        return value.strftime("%d.%m.%Y")
    return f"{value.day} {month[:3]} {value.year}"


def _year(year: int, lang: str) -> str:
    return f"{year}\u00a0г." if lang == "ru" else str(year)


def format_datetime(value: datetime | None, lang: str) -> str:
    """Date and time (UTC) of a change."""
    if value is None:
        return ""
    return f"{format_date(value, lang)} {value:%H:%M}"


def format_period(start: date | None, end: date | None, lang: str, *, long: bool = False) -> str:
    """A period in running text, its year written once when it is one year and its month once
    when it is one month: "с 27 февраля по 2 марта 2024 г.", "с 27 по 29 февраля 2024 г.",
    "27 February – 2 March 2024", "27-fevral – 2-mart, 2024"; a single day when both are one.
    Short dates (`long` False) are written in full."""
    if not (start and end and start != end):
        return format_date(start or end, lang, long=long)
    if long and start.year == end.year:
        months = MONTHS.get(lang, MONTHS["en"])
        joint = "-" if lang == "uz" else " "  # "27-fevral" (CLDR's Uzbek day and month)
        first = f"{start.day}" if start.month == end.month else f"{start.day}{joint}{months[start.month - 1]}"
        last = format_date(end, lang, long=True)
    else:
        first, last = format_date(start, lang, long=long), format_date(end, lang, long=long)
    if lang == "ru":
        return f"с {first} по {last}"
    one_month = long and start.year == end.year and start.month == end.month
    return f"{first}–{last}" if one_month else f"{first} – {last}"


@lru_cache(maxsize=4)
def _country_translations(lang: str) -> Any:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_label(code: str | None, lang: str) -> str:
    """A country's name in the reader's language (the code itself when unknown)."""
    if not code:
        return ""
    short = SHORT_COUNTRY_NAMES.get(lang, {}).get(code)
    if short:
        return short
    if lang == "uz" and (cldr := Locale("uz").territories.get(code)):
        return str(cldr).translate(UZBEK_TURNED_COMMA)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = getattr(country, "common_name", None) if lang == "en" else None
    return name or _country_translations(lang).gettext(country.name)


@lru_cache(maxsize=4)
def country_choices(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(main countries, all other countries) as (code, name), the others sorted by name."""
    main = [(code, country_label(code, lang)) for code in MAIN_COUNTRIES]
    others = sorted(
        (
            (c.alpha_2, country_label(c.alpha_2, lang))
            for c in pycountry.countries
            if c.alpha_2 not in MAIN_COUNTRIES
        ),
        key=lambda pair: pair[1].casefold(),
    )
    return main, others
