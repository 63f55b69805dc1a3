"""Customs regime and duty: none under the CIS FTA with ST-1, the MFN rate, double without MFN."""

from decimal import Decimal

import pytest

from cooplab.errors import InvalidInputError
from cooplab.feasibility.choices import Certificate, Regime
from cooplab.feasibility.customs import decide_regime, duty_rate
from cooplab.feasibility.reference import DutyRate, customs_rules

RULES = customs_rules("UZ")
TABLE = [DutyRate("8708", Decimal("0.05")), DutyRate("870810", Decimal("0.10")), *RULES.mfn_duty]


def test_shipped_rules_carry_their_sources():
    assert RULES.vat_rate(__import__("datetime").date(2026, 1, 1)).rate == Decimal("0.12")
    assert RULES.vat_rate(__import__("datetime").date(2020, 6, 1)).rate == Decimal("0.15")
    assert RULES.vat_rate(__import__("datetime").date(2019, 1, 1)) is None  # not sourced: no row
    assert {"RU", "UZ", "KZ"} <= RULES.cis_fta_parties
    assert all(d.rate is None for d in RULES.mfn_duty)  # no MFN rate could be sourced


@pytest.mark.parametrize(
    ("origin", "certificate", "regime", "assumed"),
    [
        ("RU", Certificate.ST1, Regime.CIS_FTA, False),
        ("RU", Certificate.NONE, Regime.MFN, True),
        ("KR", Certificate.NONE, Regime.MFN, True),
        ("UZ", Certificate.NONE, Regime.DOMESTIC, False),
    ],
)
def test_regime_from_origin_and_certificate(origin, certificate, regime, assumed):
    found, is_assumed, why = decide_regime(
        origin=origin, import_country="UZ", certificate=certificate, regime=None, rules=RULES
    )
    assert (found, is_assumed) == (regime, assumed) and why


def test_duty_rates_by_regime_and_longest_heading():
    assert duty_rate(hs_code="870810", regime=Regime.CIS_FTA, table=TABLE, given=None)[0] == 0.0
    assert duty_rate(hs_code="870810", regime=Regime.MFN, table=TABLE, given=None)[0] == 0.10
    assert duty_rate(hs_code="870829", regime=Regime.MFN, table=TABLE, given=None)[0] == 0.05
    assert duty_rate(hs_code="870829", regime=Regime.NON_MFN, table=TABLE, given=None)[0] == 0.10
    assert duty_rate(hs_code="870829", regime=Regime.MFN, table=TABLE, given=Decimal("0.07"))[0] == 0.07


def test_an_unknown_rate_is_asked_for_not_guessed():
    with pytest.raises(InvalidInputError) as caught:
        duty_rate(
            hs_code="940190", regime=Regime.MFN, table=RULES.mfn_duty, given=None, loc=["options", 2, "offer"]
        )
    detail = caught.value.details[0]
    assert detail["code"] == "duty_rate_unknown" and detail["loc"] == ["options", 2, "offer", "hs_code"]
    assert "9401.90" in detail["msg"]
