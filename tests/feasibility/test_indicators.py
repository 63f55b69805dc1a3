"""Indicators of yearly flows reproduce the worked values of the domain facts (§6)."""

import numpy as np
import pytest

from cooplab.feasibility.indicators import (
    discounted_payback,
    excel_npv,
    indicators,
    irr,
    mirr,
    npv,
    npv_many,
    payback,
)

FLOWS = [-1000, 300, 350, 400, 400, 400]


def test_worked_values():
    assert npv(0.14, FLOWS) == pytest.approx(247.04, abs=0.005)
    assert npv(0.16, FLOWS) == pytest.approx(186.35, abs=0.005)
    assert npv(0.20, FLOWS) == pytest.approx(78.19, abs=0.005)
    rate, why = irr(FLOWS)
    assert rate == pytest.approx(0.2332, abs=0.00005) and why == []
    assert mirr(FLOWS, 0.16, 0.14)[0] == pytest.approx(0.1915, abs=0.00005)
    assert payback(FLOWS)[0] == pytest.approx(2.875)
    assert discounted_payback(FLOWS, 0.16)[0] == pytest.approx(4.02, abs=0.005)


def test_year_zero_is_not_discounted_unlike_excel():
    # Excel's =NPV(16%, -1000, 300, ...) discounts the -1000 too: 186.35 / 1.16
    assert excel_npv(0.16, FLOWS) == pytest.approx(160.65, abs=0.005)
    assert excel_npv(0.16, FLOWS) == pytest.approx(npv(0.16, FLOWS) / 1.16)
    # the Excel user's correct form: =NPV(r, year1:yearN) + year0
    assert FLOWS[0] + excel_npv(0.16, FLOWS[1:]) == pytest.approx(npv(0.16, FLOWS))


def test_indicators_round_at_the_edge():
    result = indicators(FLOWS, discount_rate=0.14, finance_rate=0.16, reinvest_rate=0.14, currency="USD")
    assert str(result.npv) == "247.04" and str(result.irr) == "0.233154"
    assert str(result.payback_years) == "2.8750" and result.currency == "USD"
    assert result.irr_reason is None and result.reasons == []


def test_no_sign_change_means_no_irr_in_words():
    result = indicators([100, 200, 300], discount_rate=0.1)
    assert result.irr is None and result.mirr is None
    assert "never change sign" in (result.irr_reason or "")
    assert [r.code for r in result.reasons][:2] == ["irr.no_sign_change", "mirr.one_sign"]
    all_negative = indicators([-100, -5], discount_rate=0.1)
    assert all_negative.irr is None and all_negative.payback_years is None
    assert all_negative.model_dump_json().count("NaN") == 0


def test_payback_not_reached_and_interpolated():
    years, why = payback([-1000, 100, 100])
    assert years is None and why[0].code == "payback.not_reached"
    years, why = discounted_payback([-100, 50, 50, 50], 0.5)
    assert years is None and why[0].code == "discounted_payback.not_reached"
    assert payback([-100, 50, 100])[0] == pytest.approx(1.5)


def test_payback_counts_the_last_crossing():
    # paid back in year 1, then a second investment pulls the cumulative flow below zero
    years, _ = payback([-100, 150, -200, 100, 100])
    assert years == pytest.approx(3.5)


def test_several_sign_changes_are_flagged():
    rate, why = irr([-100, 230, -132])
    assert rate is not None and why[0].code == "irr.several"


def test_npv_many_matches_npv():
    flows = np.array([FLOWS, [-500, 100, 100, 100, 100, 100]], dtype=float)
    assert npv_many(0.14, flows) == pytest.approx([npv(0.14, f) for f in flows])
