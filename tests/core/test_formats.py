"""Numbers as a reader of each language writes them."""

from decimal import Decimal

import pytest

from cooplab.core.formats import format_number


@pytest.mark.parametrize(
    "value, lang, places, shown",
    [
        (1234567, "ru", None, "1\u00a0234\u00a0567"),
        (1234567, "en", None, "1,234,567"),
        (Decimal("21000000.000000"), "ru", 2, "21\u00a0000\u00a0000"),
        (Decimal("1234.5"), "ru", None, "1\u00a0234,5"),
        (837000.0, "en", 0, "837,000"),
        (Decimal("12.345"), "en", 2, "12.35"),
        (Decimal("0.50"), "ru", None, "0,5"),
        (None, "en", None, ""),
    ],
)
def test_numbers_are_grouped_rounded_and_never_trail_zeros(value, lang, places, shown):
    assert format_number(value, lang, places) == shown


def test_a_column_of_amounts_keeps_its_decimals():
    assert [format_number(v, "ru", 2, fixed=True) for v in (18.4, 16.805, 0)] == ["18,40", "16,81", "0,00"]
    assert format_number(Decimal("1234.5"), "en", 2, fixed=True) == "1,234.50"
