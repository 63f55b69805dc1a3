"""Builders of feasibility inputs for the tests: a rate table, terms, offers and routes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cooplab.feasibility.landed_cost import LandedTerms, PartOffer
from cooplab.feasibility.routes import Route
from cooplab.vocab.money import Rate, RateTable

DAY = date(2026, 11, 15)


def rates() -> RateTable:
    return RateTable.of(
        [
            Rate("USD", date(2026, 1, 1), Decimal(12000)),
            Rate("RUB", date(2026, 1, 1), Decimal(150)),
            Rate("EUR", date(2026, 1, 1), Decimal(13500)),
        ]
    )


def terms(**changes: Any) -> LandedTerms:
    data: dict[str, Any] = {
        "currency": "USD",
        "as_of": DAY,
        "insurance_rate": "0.003",
        "carrying_rate": "0.14",
        "safety_stock_days": 10,
        "duty_rates": [{"hs": "8708", "rate": "0.05"}],
    }
    return LandedTerms.model_validate({**data, **changes})


def truck(amount: float = 2000, **changes: Any) -> dict[str, Any]:
    return {
        "amount": amount,
        "currency": "USD",
        "as_of": "2026-10-01",
        "unit": "truck",
        "capacity": {"weight_kg": 20000, "volume_m3": 80, "units": 1000},
        **changes,
    }


def road_route(**leg_changes: Any) -> Route:
    """Togliatti -> Tashkent -> Asaka by road, distances and days given."""
    return Route.model_validate(
        {
            "name": "road",
            "legs": [
                {
                    "from": "togliatti",
                    "to": "tashkent",
                    "mode": "road",
                    "distance_km": 2600,
                    "transit_days": 6,
                    "tariff": truck(),
                    **leg_changes,
                },
                {
                    "from": "tashkent",
                    "to": "asaka",
                    "mode": "road",
                    "distance_km": 330,
                    "transit_days": 1,
                    "tariff": truck(300),
                },
            ],
        }
    )


def sea_route() -> Route:
    """Busan -> Vladivostok by sea, then rail to Tashkent and road to Asaka."""
    return Route.model_validate(
        {
            "name": "sea-rail",
            "legs": [
                {
                    "from": "busan",
                    "to": "vladivostok",
                    "mode": "sea",
                    "transit_days": 3,
                    "tariff": truck(1500),
                },
                {
                    "from": "vladivostok",
                    "to": "tashkent",
                    "mode": "rail",
                    "transit_days": 12,
                    "tariff": truck(14000),
                },
                {
                    "from": "tashkent",
                    "to": "asaka",
                    "mode": "road",
                    "distance_km": 330,
                    "transit_days": 1,
                    "tariff": truck(300),
                },
            ],
        }
    )


PLACES = {"vladivostok": {"key": "vladivostok", "name": "Vladivostok", "country": "RU"}}


def offer(**changes: Any) -> PartOffer:
    data: dict[str, Any] = {
        "name": "beam",
        "hs_code": "8708.10",
        "price": "18.40",
        "currency": "USD",
        "incoterm": "FCA",
        "named_place": "togliatti",
        "origin_country": "RU",
        "certificate": "st1",
        "weight_kg": "4.2",
        "volume_m3": "0.05",
    }
    return PartOffer.model_validate({**data, **changes})
