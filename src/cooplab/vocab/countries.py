"""Countries as ISO 3166-1 alpha-2 codes, checked against pycountry."""

from __future__ import annotations

import pycountry

from cooplab.errors import CodedValueError


class CountryError(CodedValueError):
    """Not an ISO 3166-1 alpha-2 country code."""


def validate_country(value: str) -> str:
    """The upper-cased alpha-2 code, or CountryError."""
    code = str(value).strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise CountryError("country", f"{value!r} is not an ISO 3166 alpha-2 country code (e.g. UZ, RU, KR)")
    return code
