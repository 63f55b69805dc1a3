"""Money: ISO 4217 currencies and conversion at dated rates that users keep (no live rates).

A rate says how many Uzbek sums (UZS) one unit of a currency was worth from a date on; the rate
in force on a day is the latest one dated on or before it. Every converted sum keeps the
currency and date it was converted at, so a page can say "at the rate of 1 Mar 2025".
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pycountry

BASE_CURRENCY = "UZS"


def validate_currency(value: str) -> str:
    """An ISO 4217 code in capitals ("usd" -> "USD"); anything else is a ValueError."""
    code = str(value).strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


class MissingRateError(ValueError):
    """No rate of a currency is in force on a day: the sum cannot be converted."""

    def __init__(self, currency: str, day: date) -> None:
        super().__init__(f"no rate for {currency} on or before {day.isoformat()}")
        self.currency = currency
        self.day = day


@dataclass(frozen=True)
class Rate:
    """UZS per one unit of `currency`, in force from `day`."""

    currency: str
    day: date
    uzs_per_unit: Decimal


@dataclass
class RateTable:
    """Dated rates by currency; converts sums between any two currencies through UZS."""

    _days: dict[str, list[date]] = field(default_factory=lambda: defaultdict(list))
    _values: dict[str, list[Decimal]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, rates: Iterable[Rate]) -> RateTable:
        """A table of the given rates (in any order)."""
        table = cls()
        for rate in sorted(rates, key=lambda r: (r.currency, r.day)):
            table.add(rate)
        return table

    def add(self, rate: Rate) -> None:
        """Add or replace the rate of a currency on a day."""
        if rate.uzs_per_unit <= 0:
            raise ValueError(f"the rate of {rate.currency} on {rate.day} must be above zero")
        days, values = self._days[rate.currency], self._values[rate.currency]
        at = bisect.bisect_left(days, rate.day)
        if at < len(days) and days[at] == rate.day:
            values[at] = rate.uzs_per_unit
        else:
            days.insert(at, rate.day)
            values.insert(at, rate.uzs_per_unit)

    def currencies(self) -> set[str]:
        """Currencies with at least one rate (UZS always converts)."""
        return {BASE_CURRENCY, *self._days}

    def uzs_per_unit(self, currency: str, day: date) -> Decimal:
        """UZS per unit of `currency` in force on `day`; MissingRateError when none is."""
        if currency == BASE_CURRENCY:
            return Decimal(1)
        days = self._days.get(currency, [])
        at = bisect.bisect_right(days, day)
        if at == 0:
            raise MissingRateError(currency, day)
        return self._values[currency][at - 1]

    def convert(self, amount: Decimal, currency: str, to: str, day: date) -> Decimal:
        """`amount` of `currency` in `to`, at the rates in force on `day`."""
        if currency == to:
            return amount
        return amount * self.uzs_per_unit(currency, day) / self.uzs_per_unit(to, day)
