"""The customs regime of an import and its duty rate: none under the CIS FTA with an ST-1
certificate, the MFN tariff's rate, or that rate doubled without MFN treatment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cooplab.core.calculators import Reason
from cooplab.feasibility.choices import Certificate, Regime
from cooplab.feasibility.problems import Loc, reason, refuse
from cooplab.feasibility.reference import CustomsRules, DutyRate
from cooplab.vocab.hs import format_hs_code


@dataclass
class DutyDecision:
    """The regime an import falls under, its ad-valorem duty rate, and why."""

    regime: Regime
    rate: float
    assumed: bool
    reasons: list[Reason] = field(default_factory=list)


def decide_regime(
    *,
    origin: str,
    import_country: str,
    certificate: Certificate,
    regime: Regime | None,
    rules: CustomsRules | None,
) -> tuple[Regime, bool, list[Reason]]:
    """The regime from the origin and its certificate, unless the user set one; the second
    value says whether it is assumed (MFN treatment where nobody said so)."""
    if origin == import_country:
        return (
            Regime.DOMESTIC,
            False,
            [reason("duty.domestic", "made in {country}: no customs", country=origin)],
        )
    if regime is not None:
        return regime, False, [reason("duty.regime_given", "regime {regime}, as given", regime=regime.value)]
    parties = rules.cis_fta_parties if rules else frozenset()
    if origin in parties and import_country in parties and certificate is Certificate.ST1:
        return (
            Regime.CIS_FTA,
            False,
            [
                reason(
                    "duty.cis_fta",
                    "origin {origin} with an ST-1 certificate: no duty under the CIS FTA ({source})",
                    origin=origin,
                    source=rules.regime_sources.get("cis_fta", "") if rules else "",
                )
            ],
        )
    if origin in parties:
        return (
            Regime.MFN,
            True,
            [
                reason(
                    "duty.no_certificate",
                    "origin {origin} without an ST-1 certificate: no CIS FTA preference; "
                    "MFN treatment is assumed (set regime otherwise)",
                    origin=origin,
                )
            ],
        )
    return (
        Regime.MFN,
        True,
        [
            reason(
                "duty.mfn_assumed",
                "MFN treatment of {origin} is assumed; set regime: non_mfn if it has none (an assumption)",
                origin=origin,
            )
        ],
    )


def duty_rate(
    *, hs_code: str, regime: Regime, table: Sequence[DutyRate], given: Decimal | None, loc: Loc = ()
) -> tuple[float, list[Reason]]:
    """The ad-valorem duty rate of `hs_code` under `regime`: the user's rate, else the longest
    matching heading of the table (the user's rows first, then the shipped ones)."""
    if given is not None:
        return float(given), [reason("duty.rate_given", "duty {rate:.2%}, as given", rate=float(given))]
    if regime in (Regime.CIS_FTA, Regime.DOMESTIC):
        return 0.0, []
    matches = [d for d in table if hs_code.startswith(d.hs) and d.regime is Regime.MFN]
    best = max(matches, key=lambda d: len(d.hs), default=None)
    if best is None or best.rate is None:
        raise refuse(
            [*loc, "hs_code"],
            "duty_rate_unknown",
            "no MFN duty rate is known for HS {hs}: give duty_rate, or add the heading to duty_rates",
            hs=format_hs_code(hs_code),
        )
    base = float(best.rate)
    sourced = f" ({best.source}, {best.as_of.isoformat()})" if best.source and best.as_of else ""
    reasons = [
        reason(
            "duty.mfn_rate",
            "MFN duty {rate:.2%} for HS {hs}{sourced}",
            rate=base,
            hs=format_hs_code(best.hs),
            sourced=sourced,
        )
    ]
    if regime is Regime.NON_MFN:
        reasons.append(
            reason("duty.doubled", "no MFN treatment: the rate doubled to {rate:.2%}", rate=2 * base)
        )
        return 2 * base, reasons
    return base, reasons
