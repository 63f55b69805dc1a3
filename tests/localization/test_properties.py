"""Invariants of the methods, scenarios and the cheapest path, on random bills (Hypothesis)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooplab.catalog.schemas import VehicleBill
from cooplab.localization.flat import flatten_bill
from cooplab.localization.methods import localization_level
from cooplab.localization.opportunities import LocalizationOption, _model, cheapest_path
from cooplab.localization.scenarios import LocalizeInput, MovePart, Scenario, evaluate_scenario
from tests.localization.builders import RATES, bill, line, needs, source

COUNTRIES = ["UZ", "UZ", "RU", "KR", "CN"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def bills(draw) -> VehicleBill:
    n = draw(st.integers(1, 7))
    nested = draw(st.booleans())
    lines = [line("ASM", hs=None)] if nested else []
    sources, inputs = [], []
    for i in range(n):
        part = f"P{i}"
        lines.append(
            line(part, parent="ASM" if nested and i % 2 else None, qty=draw(st.sampled_from([1, 2, 4, 0.5])))
        )
        k = draw(st.integers(1, 2))
        shares = [1.0] if k == 1 else [0.25, 0.75]
        for j in range(k):
            country = draw(st.sampled_from(COUNTRIES))
            supplier = f"S{i}{j}"
            price = draw(st.integers(1, 1000)) * 10
            imported = draw(st.one_of(st.none(), st.sampled_from([0.0, 0.3, 0.7, 1.0])))
            sources.append(source(part, supplier, country, price, share=shares[j], imported=imported))
            if country in ("UZ", "RU") and draw(st.booleans()):
                for m in range(draw(st.integers(1, 2))):
                    origin = draw(st.sampled_from(COUNTRIES))
                    deeper = origin in ("UZ", "RU") and draw(st.booleans())
                    inputs.append(
                        needs(
                            supplier,
                            part,
                            f"in{m}",
                            price * 0.3,
                            origin,
                            by=f"T{i}{j}{m}" if deeper else None,
                        )
                    )
                    if deeper:
                        inputs.append(
                            needs(
                                f"T{i}{j}{m}", f"in{m}", "raw", price * 0.2, draw(st.sampled_from(COUNTRIES))
                            )
                        )
    own = draw(st.integers(0, 5000)) * 10
    exw = draw(st.integers(1, 20000)) * 10
    return bill(lines, sources, inputs, own_cost=Decimal(own), exw_price=Decimal(exw))


def levels(b: VehicleBill) -> dict[str, float | None]:
    f = flatten_bill(b)
    return {m: localization_level(f, m).level for m in ("uz_cost_share", "cis_origin")}


@SETTINGS
@given(bills())
def test_the_level_is_within_0_and_1(b):
    for value in levels(b).values():
        assert value is None or 0.0 <= value <= 1.0


@SETTINGS
@given(bills(), st.data())
def test_localizing_a_part_never_lowers_the_uzbek_cost_share(b, data):
    f = flatten_bill(b)
    before = localization_level(f, "uz_cost_share").level
    counted = [p for i, p in enumerate(f.part_number) if f.counted[i]]
    part = data.draw(st.sampled_from(counted))
    i = f.index[part]
    content = f.content(frozenset({"UZ"}))
    price, imported = float(content.line_price[i]), float(content.line_outside[i])
    factor = data.draw(st.sampled_from([1.0, 1.2, 2.0]))
    new_price = price * factor
    share = data.draw(st.floats(0, 1)) * (imported / new_price if new_price else 0)
    change = MovePart(
        part_number=part,
        supplier="Local maker",
        production_country="UZ",
        unit_price=Decimal(repr(new_price)),
        imported_share=Decimal(repr(round(share, 12))) if share < 1 else Decimal(1),
    )
    result = evaluate_scenario(f, Scenario(name="localize", changes=[change]), methods=["uz_cost_share"])
    assert result.methods["uz_cost_share"].after >= before - 1e-9


@SETTINGS
@given(bills(), st.data())
def test_localizing_an_input_never_lowers_the_uzbek_cost_share(b, data):
    if not b.inputs:
        return
    f = flatten_bill(b)
    item = data.draw(st.sampled_from(b.inputs))
    change = LocalizeInput(supplier=item.supplier, input=item.input, origin_country="UZ")
    result = evaluate_scenario(f, Scenario(name="input", changes=[change]), methods=["uz_cost_share"])
    assert result.methods["uz_cost_share"].after >= result.methods["uz_cost_share"].before - 1e-9


@SETTINGS
@given(bills())
def test_a_scenario_without_changes_changes_nothing(b):
    result = evaluate_scenario(flatten_bill(b), Scenario(name="nothing"))
    assert result.cost_change_per_vehicle == 0 and result.cost_change_per_year == 0
    for change in result.methods.values():
        assert change.change in (0.0, None) and change.reached == [] and change.lost == []


@SETTINGS
@given(bills(), st.randoms(use_true_random=False))
def test_the_order_of_lines_does_not_matter(b, rng):
    shuffled = [list(b.bom), list(b.sourcing), list(b.inputs)]
    for rows in shuffled:
        rng.shuffle(rows)
    other = b.model_copy(
        update={"bom": tuple(shuffled[0]), "sourcing": tuple(shuffled[1]), "inputs": tuple(shuffled[2])}
    )
    for method, value in levels(b).items():
        assert levels(other)[method] == pytest.approx(value, abs=1e-9)


@SETTINGS
@given(bills(), st.sampled_from(["USD", "RUB", "KRW", "EUR"]))
def test_the_currency_prices_are_entered_in_does_not_matter(b, currency):
    rate = next(r.uzs_per_unit for r in RATES if r.currency == currency)
    sourcing = tuple(
        s.model_copy(update={"unit_price": s.unit_price / rate, "currency": currency}) for s in b.sourcing
    )
    inputs = tuple(
        i.model_copy(update={"unit_cost": i.unit_cost / rate, "currency": currency}) for i in b.inputs
    )
    vehicle = b.vehicle.model_copy(
        update={
            "own_cost": b.vehicle.own_cost / rate,
            "own_cost_currency": currency,
            "exw_price": b.vehicle.exw_price / rate,
            "exw_currency": currency,
        }
    )
    other = b.model_copy(update={"sourcing": sourcing, "inputs": inputs, "vehicle": vehicle})
    for method, value in levels(b).items():
        got = levels(other)[method]
        assert (got is None and value is None) or got == pytest.approx(value, abs=1e-9)


@st.composite
def path_cases(draw):
    b = draw(bills())
    f = flatten_bill(b)
    counted = [p for i, p in enumerate(f.part_number) if f.counted[i]]
    options = []
    for part in counted:
        for k in range(draw(st.integers(0, 2))):
            options.append(
                LocalizationOption(
                    part_number=part,
                    supplier=f"L{k}",
                    unit_price=Decimal(draw(st.integers(1, 2000)) * 10),
                    imported_share=Decimal(draw(st.sampled_from(["0", "0.2", "0.5"]))),
                    one_off_cost=Decimal(draw(st.sampled_from([0, 0, 1000, 50000]))),
                )
            )
    target = draw(st.sampled_from([0.3, 0.45, 0.5, 0.7]))
    return f, options[:9], target


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path_cases())
def test_the_cheapest_path_costs_what_brute_force_finds(case):
    f, options, target = case
    m = _model(f, options, target)
    best = None
    for size in range(len(options) + 1):
        for chosen in itertools.combinations(range(len(options)), size):
            lines = [m.lines[j] for j in chosen]
            if len(set(lines)) < len(lines):
                continue
            if m.benefit[list(chosen)].sum() >= m.need - 1e-6 * max(1.0, abs(m.need)):
                cost = float(m.cost[list(chosen)].sum())
                best = cost if best is None else min(best, cost)
    result = cheapest_path(f, options, target=target, time_limit=5)
    if best is None:
        assert result.status.value == "infeasible"
        return
    assert result.optimal
    assert float(result.annual_cost) == pytest.approx(best, rel=1e-6, abs=1.0)
    assert result.level_after >= target - 1e-6
    if result.greedy_annual_cost is not None:
        assert float(result.greedy_annual_cost) >= best - 1.0
