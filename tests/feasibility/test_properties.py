"""Invariants of the landed cost, over many generated options (Hypothesis)."""

from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooplab.feasibility.batch import evaluate_options, loop_landed_costs
from cooplab.feasibility.components import ORDER
from cooplab.feasibility.landed_cost import landed_cost
from cooplab.feasibility.routes import Route

from .helpers import offer, rates, terms, truck

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
rate = st.decimals(min_value=Decimal(0), max_value=Decimal("0.5"), places=4)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def route(
    freight: float, km: float | None = 2600, per_km: bool = False, inland: float = 300, **extra: object
) -> Route:
    tariff = truck(freight, basis="per_km") if per_km else truck(freight)
    return Route.model_validate(
        {
            "name": "r",
            **extra,
            "legs": [
                {
                    "from": "togliatti",
                    "to": "tashkent",
                    "mode": "road",
                    "tariff": tariff,
                    **({"distance_km": km} if km is not None else {}),
                },
                {
                    "from": "tashkent",
                    "to": "asaka",
                    "mode": "road",
                    "distance_km": 330,
                    "transit_days": 1,
                    "tariff": truck(inland),
                },
            ],
        }
    )


def total(o, r, **t):
    return landed_cost(o, r, terms=terms(**t), rates=rates()).total_per_unit


@SETTINGS
@given(price=money, freight=money, extra=money, duty=rate)
def test_rises_with_freight(price, freight, extra, duty):
    o = offer(price=price, origin_country="KR", duty_rate=duty)
    low, high = total(o, route(float(freight))), total(o, route(float(freight + extra)))
    assert high >= low
    if extra >= 10:  # 10 USD more a truck of 20 t is 0.0021 USD on a 4.2 kg part
        assert high > low


@SETTINGS
@given(
    price=money,
    duty=rate,
    more=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1), places=4),
    vat_recoverable=st.booleans(),
)
def test_rises_with_duty(price, duty, more, vat_recoverable):
    r = route(2000)
    low = total(offer(price=price, origin_country="KR", duty_rate=duty), r, vat_recoverable=vat_recoverable)
    high = total(
        offer(price=price, origin_country="KR", duty_rate=duty + more), r, vat_recoverable=vat_recoverable
    )
    assert high >= low
    if price * more >= 1:
        assert high > low


@SETTINGS
@given(
    price=money,
    km=st.floats(min_value=10, max_value=8000),
    more=st.floats(min_value=1, max_value=5000),
    per_km=st.booleans(),
    days_given=st.booleans(),
)
def test_rises_with_distance(price, km, more, per_km, days_given):
    o = offer(price=price, origin_country="KR")

    def r(distance):
        base = route(1.5 if per_km else 2000, km=distance, per_km=per_km)
        if days_given:
            base.legs[0].transit_days = Decimal(5)
        return base

    assert total(o, r(km + more)) >= total(o, r(km))


@SETTINGS
@given(
    price=money,
    carrying=rate,
    safety=st.integers(min_value=0, max_value=120),
    term=st.sampled_from(["FCA", "EXW", "CPT", "DAP"]),
)
def test_zero_freight_and_duty_give_price_plus_carrying(price, carrying, safety, term):
    place = {"FCA": "togliatti", "EXW": None, "CPT": "tashkent", "DAP": "tashkent"}[term]
    r = route(0, inland=0)
    r.legs[0].transit_days = Decimal(6)
    o = offer(price=price, duty_rate=0, origin_country="KR", incoterm=term, named_place=place)
    result = landed_cost(
        o, r, terms=terms(carrying_rate=carrying, safety_stock_days=safety, insurance_rate=0), rates=rates()
    )
    carried = {"FCA": 7, "EXW": 7, "CPT": 7, "DAP": 1}[term]  # days the goods travel at the buyer's risk
    expected = float(price) * (1 + float(carrying) * carried / 365) * (1 + float(carrying) * safety / 365)
    assert abs(float(result.total_per_unit) - expected) < 0.0003  # three lines rounded to 0.0001
    lines = {c.name: c.amount for c in result.components}
    assert (
        result.total_per_unit
        == lines["price"] + lines["carrying_in_transit"] + lines["carrying_safety_stock"]
    )


@SETTINGS
@given(
    price=money,
    freight=money,
    duty=rate,
    fx=rate,
    vat=st.booleans(),
    risk=rate,
    allocation=st.sampled_from(["weight", "volume", "units"]),
    currency=st.sampled_from(["USD", "RUB", "EUR"]),
)
def test_the_components_sum_to_the_total(price, freight, duty, fx, vat, risk, allocation, currency):
    r = route(float(freight), risk_premium={"rate": risk / 10, "per_unit": 1})
    o = offer(
        price=price,
        currency=currency,
        duty_rate=duty,
        origin_country="KR",
        allocation=allocation,
        excise_rate=duty / 2,
    )
    result = landed_cost(
        o, r, terms=terms(fx_spread=fx / 10, vat_recoverable=vat, customs_fee_rate="0.002"), rates=rates()
    )
    assert sum(c.amount for c in result.components) == result.total_per_unit
    assert [c.name for c in result.components] == list(ORDER)
    assert all(c.amount >= 0 for c in result.components)


offers = st.lists(
    st.fixed_dictionaries(
        {
            "price": money,
            "currency": st.sampled_from(["USD", "RUB", "EUR"]),
            "origin_country": st.sampled_from(["RU", "KR", "UZ", "KZ"]),
            "certificate": st.sampled_from(["st1", "none"]),
            "incoterm": st.sampled_from(["FCA", "EXW", "CPT", "CIP", "DAP", "DDP"]),
            "allocation": st.sampled_from(["weight", "volume", "units"]),
            "duty_rate": st.none() | rate,
            "weight_kg": st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2),
        }
    ),
    min_size=1,
    max_size=8,
)


@SETTINGS
@given(parts=offers, freights=st.lists(money, min_size=1, max_size=4), vat=st.booleans(), fx=rate)
def test_vectorised_equals_the_loop(parts, freights, vat, fx):
    place = {
        "FCA": "togliatti",
        "EXW": None,
        "CPT": "tashkent",
        "CIP": "tashkent",
        "DAP": "tashkent",
        "DDP": "asaka",
    }
    built = [offer(**{**p, "named_place": place[p["incoterm"]]}) for p in parts]
    routes = [route(float(f)) for f in freights]
    table = evaluate_options(
        built, routes, terms=terms(vat_recoverable=vat, fx_spread=fx / 10), rates=rates()
    )
    totals, rows = loop_landed_costs(table)
    assert np.array_equal(totals, table.total)  # the same float64 numbers, not merely close
    for name in ORDER:
        assert np.array_equal(
            np.array([next(r.amount for r in row if r.calculator == name) for row in rows]),
            table.amounts[name],
        )
    for i in range(len(table)):  # and the same as one option computed alone
        alone = landed_cost(
            built[int(table.offer_index[i])],
            routes[int(table.route_index[i])],
            terms=terms(vat_recoverable=vat, fx_spread=fx / 10),
            rates=rates(),
        )
        assert alone.total_per_unit == table.landed_cost(i).total_per_unit
