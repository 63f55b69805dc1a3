"""The investment model of local production: cash flows, loan, break-evens, tornado, scenarios."""

from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pytest

from cooplab.errors import InvalidInputError
from cooplab.feasibility.indicators import npv
from cooplab.feasibility.investment import (
    DRIVERS,
    InvestmentModel,
    Loan,
    evaluate_investment,
    loan_schedule,
    prepare,
)


def model(**changes):
    data = {
        "currency": "USD",
        "as_of": "2026-11-15",
        "years": 6,
        "discount_rate": 0.14,
        "capex": [{"year": 0, "amount": 1000}],
        "depreciation_years": 5,
        "unit_variable_costs": [{"name": "material", "amount": 4}],
        "fixed_costs_per_year": [{"name": "staff", "amount": 100}],
        "volume": {"oem_volume": 100, "share_won": 0.5, "ramp": [1]},
        "price": {"per_unit": 10},
        "tax_rate": 0,
        "rates": [
            {"currency": "USD", "day": "2026-01-01", "uzs_per_unit": 12000},
            {"currency": "EUR", "day": "2026-01-01", "uzs_per_unit": 13200},
        ],
    }
    data.update(changes)
    return InvestmentModel.model_validate(data)


def test_cash_flows_of_a_simple_model():
    result = evaluate_investment(model())
    # 50 units × (10 − 4) − 100 = 200 a year for years 1..6, after 1000 in year 0
    flows = [float(y.project_cash_flow) for y in result.years]
    assert flows == [-1000, 200, 200, 200, 200, 200, 200]
    assert result.basis == "project" and result.equity is None
    assert float(result.npv) == pytest.approx(npv(0.14, flows), abs=0.005)
    assert float(result.payback_years) == pytest.approx(5.0)


def test_tax_after_depreciation_and_losses_carried_forward():
    result = evaluate_investment(model(tax_rate=0.2, volume={"oem_volume": [20, 100], "ramp": [1]}))
    # year 1: 20 × 6 − 100 − 200 depreciation = −180, carried; year 2: 600 − 100 − 200 − 180 = 120
    taxes = [float(y.tax) for y in result.years]
    assert taxes[1] == 0 and taxes[2] == pytest.approx(24)
    profits = np.array([float(y.ebitda - y.depreciation) for y in result.years])
    cumulative = np.cumsum(profits)
    first_taxed = int(np.argmax(cumulative > 0))
    assert taxes[first_taxed] == pytest.approx(0.2 * cumulative[first_taxed], abs=0.01)
    assert sum(taxes) == pytest.approx(0.2 * cumulative[-1], abs=0.05)


def test_working_capital_is_released_in_the_last_year():
    result = evaluate_investment(model(working_capital_share=0.1))
    changes = [float(y.working_capital_change) for y in result.years]
    assert changes[1] == pytest.approx(50) and sum(changes) == pytest.approx(0)


def test_a_concessional_loan_follows_its_annuity():
    loan = Loan(amount=Decimal(100), rate=Decimal("0.01"), years=5)
    draw, interest, principal = loan_schedule(loan, 6)
    assert draw[0] == 100 and principal.sum() == pytest.approx(100)
    assert (interest + principal)[1:6] == pytest.approx([-npf.pmt(0.01, 5, 100)] * 5)  # 20.604 a year
    assert -npf.pmt(0.01, 5, 100) == pytest.approx(20.604, abs=0.0005)
    graced = loan_schedule(Loan(amount=Decimal(100), rate=Decimal("0.05"), years=4, grace_years=1), 6)
    assert graced[1][1] == pytest.approx(5) and graced[2][1] == 0
    cut = loan_schedule(Loan(amount=Decimal(100), rate=Decimal("0.05"), years=5, drawn_year=3), 6)
    assert cut[2].sum() == pytest.approx(100)  # what is owed at the horizon is repaid then
    zero = loan_schedule(Loan(amount=Decimal(100), rate=Decimal(0), years=4), 6)
    assert list(zero[2][1:5]) == [25, 25, 25, 25]


def test_with_a_loan_the_headline_is_the_equitys():
    result = evaluate_investment(model(loan={"amount": 600, "rate": 0.03, "years": 5}))
    assert result.basis == "equity" and result.equity is not None
    assert result.npv == result.equity.npv != result.project.npv
    assert float(result.years[0].equity_cash_flow) == -400
    assert any(r.code == "investment.equity_view" for r in result.reasons)


def test_break_even_volume_and_price_make_npv_zero():
    m = model()
    result = evaluate_investment(m)
    volume = result.break_even_volume.reasons[0].params["volume"]  # unrounded
    assert float(result.break_even_volume.value) == pytest.approx(volume, abs=0.5)
    at_volume = evaluate_investment(model(volume={"oem_volume": volume, "share_won": 1}))
    assert abs(float(at_volume.npv)) < 0.01
    price = float(result.break_even_price.value)
    at_price = evaluate_investment(model(price={"per_unit": price}))
    assert abs(float(at_price.npv)) < 0.05
    losing = evaluate_investment(model(price={"per_unit": 3}))
    assert losing.break_even_volume.value is None and "variable cost" in losing.break_even_volume.reason


def test_tornado_moves_each_driver_and_sorts_by_swing():
    result = evaluate_investment(model(capex=[{"year": 0, "amount": 800, "currency": "EUR"}]))
    assert {b.driver for b in result.tornado} == set(DRIVERS)
    swings = [b.swing for b in result.tornado]
    assert swings == sorted(swings, reverse=True)
    price = next(b for b in result.tornado if b.driver == "price")
    assert float(price.npv_low) == pytest.approx(
        float(
            evaluate_investment(
                model(capex=[{"year": 0, "amount": 800, "currency": "EUR"}], price={"per_unit": 8})
            ).npv
        ),
        abs=0.01,
    )
    fx = next(b for b in result.tornado if b.driver == "exchange_rate")
    assert fx.npv_high < fx.npv_low  # dearer euros make the equipment dearer
    freight = next(b for b in result.tornado if b.driver == "freight")
    assert freight.swing == 0 and freight.reasons[0].code == "tornado.no_freight"


def test_price_defaults_to_the_landed_cost_it_replaces():
    replaced = model(price={"replaces": {"total_per_unit": 10, "freight_per_unit": 2}})
    assert evaluate_investment(replaced).npv == evaluate_investment(model()).npv
    freight = next(b for b in evaluate_investment(replaced).tornado if b.driver == "freight")
    # freight ±20% moves the replaced price by ±0.4 on 50 units a year
    assert float(freight.npv_high - freight.npv_low) == pytest.approx(
        2 * 0.4 * 50 * sum(1.14**-t for t in range(1, 7)), abs=0.01
    )


def test_foreign_amounts_convert_at_the_dated_rates():
    p = prepare(model(capex=[{"year": 0, "amount": 1000, "currency": "EUR"}]))
    assert p.capex_for[0] == pytest.approx(1100) and p.foreign
    with pytest.raises(InvalidInputError) as caught:
        prepare(model(capex=[{"year": 0, "amount": 1000, "currency": "KRW"}]))
    assert caught.value.details[0]["loc"] == ["capex", 0, "currency"]
    with pytest.raises(InvalidInputError) as caught:
        prepare(model(capex=[{"year": 9, "amount": 1}]))
    assert caught.value.details[0]["code"] == "year_past_horizon"


def test_scenarios_side_by_side():
    result = evaluate_investment(
        model(
            scenarios=[
                {"name": "half", "changes": {"volume": {"share_won": 0.25}}},
                {"name": "dear", "changes": {"price": {"per_unit": 12}}},
            ]
        )
    )
    half, dear = result.scenarios
    assert (half.name, dear.name) == ("half", "dear")
    assert half.npv < result.npv < dear.npv
    with pytest.raises(InvalidInputError) as caught:
        evaluate_investment(model(scenarios=[{"name": "bad", "changes": {"tax_rate": 2}}]))
    assert caught.value.details[0]["loc"][:3] == ["scenarios", "0", "changes"]


def test_bad_models_are_refused():
    with pytest.raises(ValueError, match="either per_unit or replaces"):
        model(price={})
    with pytest.raises(ValueError):
        model(volume={"oem_volume": -5})
    with pytest.raises(ValueError, match="grace_years"):
        model(loan={"amount": 1, "rate": 0.01, "years": 2, "grace_years": 2})
