"""The investment economics of producing a part locally: yearly cash flows from capex, volume
ramp, price, costs, working capital, tax, depreciation and a loan; their indicators, the
break-even volume and price, the sensitivity of NPV (tornado) and scenarios side by side.

Conventions (each also said in `docs/feasibility.md`): years run 0..`years`; capex of a year
is depreciated straight-line over `depreciation_years` from the next year on, what remains at
the horizon is not; working capital is a share of the year's revenue, released in the last
year; tax is charged on positive profit after losses carried forward; a loan is drawn in its
year, pays interest only in its grace years, then equal annuities (numpy-financial's `pmt`,
`ipmt`, `ppmt`), and what is still owed at the horizon is repaid in the last year. Amounts in
another currency are converted at the model's dated rates; the exchange-rate sensitivity
moves every converted amount together (+20% means the foreign currency costs 20% more).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
import numpy_financial as npf
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cooplab.core.calculators import Reason
from cooplab.core.schemas import IsoDate
from cooplab.errors import invalid_input
from cooplab.feasibility.indicators import (
    MONEY,
    Indicators,
    indicators,
    npv_many,
    rounded,
)
from cooplab.feasibility.problems import MAX_FIGURE, MAX_UZS_PER_UNIT, MIN_UZS_PER_UNIT, Loc, reason, refuse
from cooplab.vocab.money import MissingRateError, RateTable, validate_currency

NonNegative = Annotated[Decimal, Field(ge=0, le=MAX_FIGURE)]
Share = Annotated[Decimal, Field(ge=0, le=1)]
Rate = Annotated[Decimal, Field(gt=-1, le=5)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _InCurrency(_Strict):
    currency: str | None = Field(None, description="When not the model's currency.")

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else validate_currency(value)


class CapexItem(_InCurrency):
    """An investment spent in a year (equipment, tooling, building)."""

    name: str | None = None
    year: Annotated[int, Field(ge=0)] = 0
    amount: NonNegative


class CostItem(_InCurrency):
    """A cost line: per unit (variable costs) or per year (fixed costs); `freight` marks the
    lines that move with freight rates."""

    name: str
    amount: NonNegative
    freight: bool = False


class Loan(_Strict):
    """A loan (for example a concessional 1–5% industrial loan): drawn in a year, interest only
    during the grace years, then equal annual payments."""

    amount: Annotated[Decimal, Field(gt=0, le=MAX_FIGURE)]
    rate: Annotated[Decimal, Field(ge=0, le=1)]
    years: Annotated[int, Field(gt=0, le=50)]
    grace_years: Annotated[int, Field(ge=0)] = 0
    drawn_year: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _grace(self) -> Loan:
        if self.grace_years >= self.years:
            raise ValueError("grace_years must be fewer than years")
        return self


class Volume(_Strict):
    """Units sold a year: the OEM's volume × the share won × the ramp, from `start_year`."""

    oem_volume: NonNegative | list[NonNegative] = Field(
        description="The OEM's yearly volume, or one per production year (the last repeats)."
    )
    share_won: Share = Decimal(1)
    ramp: list[Share] = Field(
        [Decimal(1)],
        min_length=1,
        description="Share of full volume in each production year (the last repeats).",
    )
    start_year: Annotated[int, Field(ge=0)] = 1


class ReplacedCost(_InCurrency):
    """The landed cost per unit that local production replaces, and its freight part."""

    total_per_unit: NonNegative
    freight_per_unit: NonNegative = Decimal(0)

    @model_validator(mode="after")
    def _freight(self) -> ReplacedCost:
        if self.freight_per_unit > self.total_per_unit:
            raise ValueError("freight_per_unit cannot exceed total_per_unit")
        return self


class Price(_InCurrency):
    """The selling price per unit: given, or the landed cost it replaces."""

    per_unit: NonNegative | None = None
    replaces: ReplacedCost | None = None

    @model_validator(mode="after")
    def _one(self) -> Price:
        if (self.per_unit is None) == (self.replaces is None):
            raise ValueError("give either per_unit or replaces (the landed cost the part replaces)")
        return self


class RateIn(_Strict):
    """An exchange rate: UZS per unit of a currency, in force from a day."""

    currency: str
    day: IsoDate
    uzs_per_unit: Annotated[Decimal, Field(ge=MIN_UZS_PER_UNIT, le=MAX_UZS_PER_UNIT)]

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)


class Scenario(_Strict):
    """A variant of the model: its name and the fields it changes (merged into the model)."""

    name: str
    changes: dict[str, Any] = {}


class InvestmentModel(_Strict):
    """Everything the economics of local production needs."""

    name: str | None = None
    currency: str
    as_of: IsoDate | None = Field(None, description="Date of the rates that convert other currencies.")
    years: Annotated[int, Field(gt=0, le=50)]
    discount_rate: Rate
    finance_rate: Rate | None = None
    reinvest_rate: Rate | None = None
    capex: list[CapexItem] = []
    depreciation_years: Annotated[int, Field(gt=0, le=100)] = Field(
        description="Straight-line depreciation period of capex, in years."
    )
    working_capital_share: Share = Field(
        Decimal(0), description="Working capital as a share of the year's revenue."
    )
    unit_variable_costs: list[CostItem] = []
    fixed_costs_per_year: list[CostItem] = []
    volume: Volume
    price: Price
    tax_rate: Share
    loan: Loan | None = None
    salvage_value: NonNegative = Field(
        Decimal(0), description="Received in the last year, in the model's currency."
    )
    sensitivity: Annotated[Decimal, Field(gt=0, lt=1)] = Decimal("0.2")
    rates: list[RateIn] = []
    scenarios: list[Scenario] = Field([], max_length=20)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        return validate_currency(value)


# ---------------------------------------------------------------- the arrays of a model


@dataclass
class Prepared:
    """A model as arrays over the years (index = year), split into amounts in the model's
    currency (`_dom`) and converted ones (`_for`), so that sensitivities scale them."""

    years: int
    capex_dom: np.ndarray
    capex_for: np.ndarray
    dep_dom: np.ndarray
    dep_for: np.ndarray
    volume: np.ndarray
    price_dom: float
    price_for: float
    price_freight_dom: float
    price_freight_for: float
    var_dom: float
    var_for: float
    var_freight_dom: float
    var_freight_for: float
    fixed_dom: np.ndarray
    fixed_for: np.ndarray
    wc_share: float
    tax_rate: float
    draw: np.ndarray
    interest: np.ndarray
    principal: np.ndarray
    salvage: np.ndarray
    has_loan: bool

    @property
    def foreign(self) -> bool:
        """Whether any amount came through an exchange rate."""
        return bool(
            self.capex_for.any()
            or self.price_for
            or self.price_freight_for
            or self.var_for
            or self.var_freight_for
            or self.fixed_for.any()
        )

    @property
    def freight(self) -> bool:
        """Whether any amount moves with freight."""
        return bool(
            self.price_freight_dom or self.price_freight_for or self.var_freight_dom or self.var_freight_for
        )


def _per_year(values: Decimal | list[Decimal], count: int) -> list[float]:
    items = values if isinstance(values, list) else [values]
    if not items:
        return [0.0] * count
    return [float(items[min(i, len(items) - 1)]) for i in range(count)]


def prepare(model: InvestmentModel, loc: Loc = ()) -> Prepared:
    """The model's arrays; refuses an amount in a currency without a rate on `as_of`."""
    table = RateTable.of([_rate(r) for r in model.rates])
    t = model.years + 1

    def convert(amount: Decimal, currency: str | None, where: Loc) -> tuple[float, bool]:
        if currency is None or currency == model.currency:
            return float(amount), False
        if model.as_of is None:
            raise refuse(
                [*loc, "as_of"],
                "as_of_needed",
                "amounts in {currency} need as_of, the date of the rates",
                currency=currency,
            )
        try:
            return float(table.convert(amount, currency, model.currency, model.as_of)), True
        except MissingRateError as exc:
            raise refuse(
                [*where, "currency"],
                "missing_rate",
                "no exchange rate of {currency} on or before {day}",
                currency=exc.currency,
                day=exc.day.isoformat(),
            ) from None

    capex_dom, capex_for = np.zeros(t), np.zeros(t)
    dep_dom, dep_for = np.zeros(t), np.zeros(t)
    for i, item in enumerate(model.capex):
        if item.year > model.years:
            raise refuse(
                [*loc, "capex", i, "year"],
                "year_past_horizon",
                "year {year} is past the horizon of {years} years",
                year=item.year,
                years=model.years,
            )
        value, foreign = convert(item.amount, item.currency, [*loc, "capex", i])
        (capex_for if foreign else capex_dom)[item.year] += value
        dep = dep_for if foreign else dep_dom
        dep[item.year + 1 : item.year + 1 + model.depreciation_years] += value / model.depreciation_years

    production = [y for y in range(t) if y >= model.volume.start_year]
    oem = _per_year(model.volume.oem_volume, len(production))
    ramp = _per_year(list(model.volume.ramp), len(production))
    volume = np.zeros(t)
    for k, year in enumerate(production):
        volume[year] = oem[k] * float(model.volume.share_won) * ramp[k]

    price = model.price
    price_dom = price_for = freight_dom = freight_for = 0.0
    if price.per_unit is not None:
        value, foreign = convert(price.per_unit, price.currency, [*loc, "price"])
        price_for, price_dom = (value, 0.0) if foreign else (0.0, value)
    else:
        replaced = price.replaces
        assert replaced is not None
        currency = replaced.currency or price.currency
        total, foreign = convert(
            replaced.total_per_unit - replaced.freight_per_unit, currency, [*loc, "price", "replaces"]
        )
        freight, _ = convert(replaced.freight_per_unit, currency, [*loc, "price", "replaces"])
        if foreign:
            price_for, freight_for = total, freight
        else:
            price_dom, freight_dom = total, freight

    var = {"dom": 0.0, "for": 0.0, "fdom": 0.0, "ffor": 0.0}
    for i, cost in enumerate(model.unit_variable_costs):
        value, foreign = convert(cost.amount, cost.currency, [*loc, "unit_variable_costs", i])
        var[("f" if cost.freight else "") + ("for" if foreign else "dom")] += value
    fixed_dom, fixed_for = np.zeros(t), np.zeros(t)
    for i, cost in enumerate(model.fixed_costs_per_year):
        value, foreign = convert(cost.amount, cost.currency, [*loc, "fixed_costs_per_year", i])
        for year in production:
            (fixed_for if foreign else fixed_dom)[year] += value

    draw, interest, principal = loan_schedule(model.loan, model.years, loc=[*loc, "loan"])
    salvage = np.zeros(t)
    salvage[-1] = float(model.salvage_value)
    return Prepared(
        model.years,
        capex_dom,
        capex_for,
        dep_dom,
        dep_for,
        volume,
        price_dom,
        price_for,
        freight_dom,
        freight_for,
        var["dom"],
        var["for"],
        var["fdom"],
        var["ffor"],
        fixed_dom,
        fixed_for,
        float(model.working_capital_share),
        float(model.tax_rate),
        draw,
        interest,
        principal,
        salvage,
        model.loan is not None,
    )


def _rate(rate: RateIn) -> Any:
    from cooplab.vocab.money import Rate as MoneyRate

    return MoneyRate(rate.currency, rate.day, rate.uzs_per_unit)


def loan_schedule(loan: Loan | None, years: int, loc: Loc = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loan's drawing, interest and principal by year (what is owed at the horizon is
    repaid in the last year)."""
    t = years + 1
    draw, interest, principal = np.zeros(t), np.zeros(t), np.zeros(t)
    if loan is None:
        return draw, interest, principal
    if loan.drawn_year > years:
        raise refuse(
            [*loc, "drawn_year"],
            "year_past_horizon",
            "year {year} is past the horizon of {years} years",
            year=loan.drawn_year,
            years=years,
        )
    amount, rate = float(loan.amount), float(loan.rate)
    draw[loan.drawn_year] = amount
    balance = amount
    periods = loan.years - loan.grace_years
    for k in range(1, loan.years + 1):
        year = loan.drawn_year + k
        if year > years:
            break
        if k <= loan.grace_years:
            interest[year] = balance * rate
            continue
        per = k - loan.grace_years
        if rate == 0:
            paid_interest, paid_principal = 0.0, amount / periods
        else:
            paid_interest = float(-npf.ipmt(rate, per, periods, amount))
            paid_principal = float(-npf.ppmt(rate, per, periods, amount))
        interest[year], principal[year] = paid_interest, paid_principal
        balance -= paid_principal
    if balance > 1e-9 and loan.drawn_year + loan.years > years:
        principal[years] += balance
    return draw, interest, principal


# ---------------------------------------------------------------- cash flows of many variants


@dataclass
class Factors:
    """Multipliers of the model's drivers, one per variant (arrays of one length)."""

    price: np.ndarray
    volume: np.ndarray
    capex: np.ndarray
    exchange_rate: np.ndarray
    freight: np.ndarray
    price_override: np.ndarray  # NaN: the model's own price

    @classmethod
    def base(cls, n: int = 1) -> Factors:
        """`n` variants of the model as it is."""
        one = np.ones(n)
        return cls(one, one.copy(), one.copy(), one.copy(), one.copy(), np.full(n, np.nan))


@dataclass
class Flows:
    """Yearly figures of many variants (shape variants × years)."""

    volume: np.ndarray
    revenue: np.ndarray
    variable_costs: np.ndarray
    fixed_costs: np.ndarray
    ebitda: np.ndarray
    depreciation: np.ndarray
    capex: np.ndarray
    working_capital_change: np.ndarray
    tax_project: np.ndarray
    tax_equity: np.ndarray
    project: np.ndarray
    equity: np.ndarray


def _tax(taxable: np.ndarray, rate: float) -> np.ndarray:
    """Tax by year on positive profit after losses carried forward (variants × years)."""
    tax = np.zeros_like(taxable)
    carried = np.zeros(taxable.shape[0])
    for year in range(taxable.shape[1]):
        base = taxable[:, year] - carried
        tax[:, year] = np.maximum(base, 0.0) * rate
        carried = np.maximum(-base, 0.0)
    return tax


def flows(p: Prepared, f: Factors) -> Flows:
    """The yearly cash flows of every variant at once."""

    def col(a: np.ndarray) -> np.ndarray:  # a column of per-variant factors
        return a[:, None]

    fx, fr = col(f.exchange_rate), col(f.freight)
    price = col(f.price) * (
        (p.price_dom + p.price_freight_dom * fr) + (p.price_for + p.price_freight_for * fr) * fx
    )
    price = np.where(np.isnan(col(f.price_override)), price, col(f.price_override))
    volume = p.volume[None, :] * col(f.volume)
    revenue = price * volume
    unit_var = (p.var_dom + p.var_freight_dom * fr) + (p.var_for + p.var_freight_for * fr) * fx
    variable = unit_var * volume
    fixed = p.fixed_dom[None, :] + p.fixed_for[None, :] * fx
    ebitda = revenue - variable - fixed
    capex = col(f.capex) * (p.capex_dom[None, :] + p.capex_for[None, :] * fx)
    dep = col(f.capex) * (p.dep_dom[None, :] + p.dep_for[None, :] * fx)
    wc = p.wc_share * revenue
    wc_change = np.diff(wc, axis=1, prepend=0.0)
    wc_change[:, -1] -= wc[:, -1]  # released in the last year
    tax_p = _tax(ebitda - dep, p.tax_rate)
    tax_e = _tax(ebitda - dep - p.interest[None, :], p.tax_rate) if p.has_loan else tax_p
    project = ebitda - tax_p - capex - wc_change + p.salvage[None, :]
    equity = (
        ebitda
        - tax_e
        - capex
        - wc_change
        + p.salvage[None, :]
        + p.draw[None, :]
        - p.interest[None, :]
        - p.principal[None, :]
    )
    return Flows(
        volume, revenue, variable, fixed, ebitda, dep, capex, wc_change, tax_p, tax_e, project, equity
    )


def headline(p: Prepared, fl: Flows) -> np.ndarray:
    """The flows judged: the equity's when there is a loan, else the project's."""
    return fl.equity if p.has_loan else fl.project


# ---------------------------------------------------------------- results


class YearRow(BaseModel):
    """One year of the model, rounded."""

    year: int
    volume: Decimal
    revenue: Decimal
    variable_costs: Decimal
    fixed_costs: Decimal
    ebitda: Decimal
    depreciation: Decimal
    capex: Decimal
    working_capital_change: Decimal
    interest: Decimal
    principal: Decimal
    loan_drawn: Decimal
    tax: Decimal
    project_cash_flow: Decimal
    equity_cash_flow: Decimal


class TornadoBar(BaseModel):
    """NPV with one driver moved down and up by the sensitivity, the others as they are."""

    driver: str
    change: Decimal
    npv_low: Decimal
    npv_high: Decimal
    swing: Decimal
    reasons: list[Reason] = []


class BreakEven(BaseModel):
    """A value at which NPV is zero, or None with the reason there is none."""

    value: Decimal | None
    reason: str | None = None
    reasons: list[Reason] = []


class ScenarioResult(BaseModel):
    """A scenario's headline indicators, for the side-by-side table."""

    name: str
    npv: Decimal
    irr: Decimal | None
    mirr: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    break_even_volume: Decimal | None
    break_even_price: Decimal | None


class InvestmentResult(BaseModel):
    """The economics of local production: headline indicators (equity's with a loan, else the
    project's), both views, the years, break-evens, tornado and scenarios."""

    name: str | None
    currency: str
    basis: str
    npv: Decimal
    irr: Decimal | None
    irr_reason: str | None
    mirr: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    project: Indicators
    equity: Indicators | None
    break_even_volume: BreakEven
    break_even_price: BreakEven
    years: list[YearRow]
    tornado: list[TornadoBar]
    scenarios: list[ScenarioResult] = []
    reasons: list[Reason] = []


DRIVERS = ("price", "volume", "capex", "exchange_rate", "freight")


def _variants(n_base: int, size: float) -> Factors:
    """The base and, per driver, the variant moved down and up by `size`."""
    f = Factors.base(1 + 2 * len(DRIVERS))
    for k, driver in enumerate(DRIVERS):
        getattr(f, driver)[1 + 2 * k] = 1.0 - size
        getattr(f, driver)[2 + 2 * k] = 1.0 + size
    return f


def tornado(model: InvestmentModel, p: Prepared) -> tuple[float, list[TornadoBar]]:
    """The base NPV and the tornado bars, widest swing first (all variants in one pass)."""
    size = float(model.sensitivity)
    values = npv_many(float(model.discount_rate), headline(p, flows(p, _variants(1, size))))
    bars = []
    for k, driver in enumerate(DRIVERS):
        low, high = float(values[1 + 2 * k]), float(values[2 + 2 * k])
        notes: list[Reason] = []
        if driver == "exchange_rate" and not p.foreign:
            notes.append(
                reason(
                    "tornado.no_foreign", "no amount is in another currency: the exchange rate moves nothing"
                )
            )
        if driver == "freight" and not p.freight:
            notes.append(
                reason(
                    "tornado.no_freight",
                    "no amount moves with freight (a given price, no freight cost lines)",
                )
            )
        if driver == "price" and model.price.replaces is not None:
            notes.append(reason("tornado.price_replaced", "the price is the landed cost it replaces"))
        bars.append(
            TornadoBar(
                driver=driver,
                change=rounded(size, Decimal("0.01")),
                npv_low=rounded(low, MONEY),
                npv_high=rounded(high, MONEY),
                swing=rounded(abs(high - low), MONEY),
                reasons=notes,
            )
        )
    bars.sort(key=lambda b: -b.swing)
    return float(values[0]), bars


def _solve(p: Prepared, rate: float, field_name: str, low: float, high: float) -> float:
    """The factor (of volume) or price at which NPV is zero between `low` and `high`, where NPV
    rises from below to above zero; each round evaluates 16 points in one pass."""
    for _ in range(8):
        grid = np.linspace(low, high, 17)
        f = Factors.base(len(grid))
        setattr(f, field_name, grid)
        values = npv_many(rate, headline(p, flows(p, f)))
        above = int(np.argmax(values >= 0))
        low, high = float(grid[max(above - 1, 0)]), float(grid[above])
        if values[above] == 0:
            return float(grid[above])
    return (low + high) / 2


def _npv_at(p: Prepared, rate: float, field_name: str, value: float) -> float:
    f = Factors.base(1)
    setattr(f, field_name, np.array([value]))
    return float(npv_many(rate, headline(p, flows(p, f)))[0])


def break_even_volume(model: InvestmentModel, p: Prepared) -> BreakEven:
    """The full-ramp yearly volume at which NPV is zero, the ramp's shape kept."""
    rate = float(model.discount_rate)
    steady = float(p.volume.max())
    if steady <= 0:
        return _none(reason("break_even.no_volume", "no volume is planned: no break-even volume"))
    if _npv_at(p, rate, "volume", 0.0) >= 0:
        return _none(reason("break_even.no_volume_needed", "NPV is not negative even without sales"))
    high = 1.0
    while _npv_at(p, rate, "volume", high) < 0:
        high *= 2
        if high > 2.0**30:
            return _none(
                reason(
                    "break_even.volume_never",
                    "no volume makes the NPV positive: each unit earns too little over its variable cost",
                )
            )
    k = _solve(p, rate, "volume", 0.0, high)
    return BreakEven(
        value=rounded(k * steady, Decimal(1)),
        reasons=[
            reason(
                "break_even.volume",
                "NPV is zero at {volume:,.0f} units a year at full ramp ({share:.0%} of the plan)",
                volume=k * steady,
                share=k,
            )
        ],
    )


def break_even_price(model: InvestmentModel, p: Prepared) -> BreakEven:
    """The selling price per unit at which NPV is zero: what local production must earn to
    return the discount rate (the unit cost it brings to a landed-cost comparison)."""
    rate = float(model.discount_rate)
    if float(p.volume.sum()) <= 0:
        return _none(reason("break_even.price_no_volume", "no volume is planned: no break-even price"))
    if _npv_at(p, rate, "price_override", 0.0) >= 0:
        return BreakEven(
            value=Decimal(0),
            reasons=[reason("break_even.price_zero", "NPV is not negative even at a price of zero")],
        )
    high = max(p.price_dom + p.price_for + p.price_freight_dom + p.price_freight_for, 1.0)
    while _npv_at(p, rate, "price_override", high) < 0:
        high *= 2
        if high > 1e15:
            return _none(reason("break_even.price_never", "no price makes the NPV positive"))
    price = _solve(p, rate, "price_override", 0.0, high)
    return BreakEven(
        value=rounded(price, Decimal("0.0001")),
        reasons=[
            reason(
                "break_even.price",
                "NPV is zero at a price of {price:,.4f} {currency} a unit",
                price=price,
                currency=model.currency,
            )
        ],
    )


def _none(why: Reason) -> BreakEven:
    return BreakEven(value=None, reason=why.text, reasons=[why])


def _years(p: Prepared, fl: Flows) -> list[YearRow]:
    def m(a: float) -> Decimal:
        return Decimal(repr(float(a))).quantize(MONEY)

    return [
        YearRow(
            year=y,
            volume=Decimal(repr(float(fl.volume[0, y]))).quantize(Decimal(1)),
            revenue=m(fl.revenue[0, y]),
            variable_costs=m(fl.variable_costs[0, y]),
            fixed_costs=m(fl.fixed_costs[0, y]),
            ebitda=m(fl.ebitda[0, y]),
            depreciation=m(fl.depreciation[0, y]),
            capex=m(fl.capex[0, y]),
            working_capital_change=m(fl.working_capital_change[0, y]),
            interest=m(p.interest[y]),
            principal=m(p.principal[y]),
            loan_drawn=m(p.draw[y]),
            tax=m((fl.tax_equity if p.has_loan else fl.tax_project)[0, y]),
            project_cash_flow=m(fl.project[0, y]),
            equity_cash_flow=m(fl.equity[0, y]),
        )
        for y in range(p.years + 1)
    ]


def evaluate_investment(
    model: InvestmentModel, *, with_scenarios: bool = True, loc: Loc = ()
) -> InvestmentResult:
    """The economics of `model`: indicators of both views, years, break-evens, tornado and
    (unless told not to) its scenarios side by side."""
    p = prepare(model, loc)
    fl = flows(p, Factors.base(1))
    rate = float(model.discount_rate)
    kw = {
        "discount_rate": rate,
        "currency": model.currency,
        "finance_rate": None if model.finance_rate is None else float(model.finance_rate),
        "reinvest_rate": None if model.reinvest_rate is None else float(model.reinvest_rate),
    }
    project = indicators(fl.project[0], **kw)  # type: ignore[arg-type]
    equity = indicators(fl.equity[0], **kw) if p.has_loan else None  # type: ignore[arg-type]
    head = equity or project
    _, bars = tornado(model, p)
    notes: list[Reason] = []
    if model.price.replaces is not None:
        notes.append(
            reason(
                "investment.price_replaces",
                "the selling price is the landed cost it replaces: {price:,.4f} {currency} a unit",
                price=float(model.price.replaces.total_per_unit),
                currency=model.price.replaces.currency or model.price.currency or model.currency,
            )
        )
    if p.has_loan:
        notes.append(
            reason(
                "investment.equity_view",
                "with a loan, the headline indicators are the "
                "equity's (after the loan's flows); the project's are given beside them",
            )
        )
    if model.working_capital_share == 0:
        notes.append(reason("investment.no_working_capital", "no working capital is given: none is counted"))
    result = InvestmentResult(
        name=model.name,
        currency=model.currency,
        basis="equity" if p.has_loan else "project",
        npv=head.npv,
        irr=head.irr,
        irr_reason=head.irr_reason,
        mirr=head.mirr,
        payback_years=head.payback_years,
        discounted_payback_years=head.discounted_payback_years,
        project=project,
        equity=equity,
        break_even_volume=break_even_volume(model, p),
        break_even_price=break_even_price(model, p),
        years=_years(p, fl),
        tornado=bars,
        reasons=notes,
    )
    if with_scenarios and model.scenarios:
        result.scenarios = [
            _scenario(model, s, [*loc, "scenarios", i]) for i, s in enumerate(model.scenarios)
        ]
    return result


def merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `changes` merged in, mappings merged key by key, everything else replaced."""
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def scenario_model(model: InvestmentModel, scenario: Scenario, loc: Loc = ()) -> InvestmentModel:
    """The model with a scenario's changes; a bad change names the scenario and field."""
    data = merge(model.model_dump(exclude={"scenarios"}), scenario.changes)
    try:
        return InvestmentModel.model_validate({**data, "name": scenario.name})
    except ValidationError as exc:
        raise invalid_input(exc, prefix=tuple(str(x) for x in (*loc, "changes"))) from None


def _scenario(model: InvestmentModel, scenario: Scenario, loc: Loc) -> ScenarioResult:
    r = evaluate_investment(scenario_model(model, scenario, loc), with_scenarios=False, loc=loc)
    return ScenarioResult(
        name=scenario.name,
        npv=r.npv,
        irr=r.irr,
        mirr=r.mirr,
        payback_years=r.payback_years,
        discounted_payback_years=r.discounted_payback_years,
        break_even_volume=r.break_even_volume.value,
        break_even_price=r.break_even_price.value,
    )


def compare_scenarios(models: Sequence[InvestmentModel]) -> list[ScenarioResult]:
    """Several models side by side (each evaluated on its own)."""
    out = []
    for m in models:
        r = evaluate_investment(m, with_scenarios=False)
        out.append(
            ScenarioResult(
                name=m.name or "",
                npv=r.npv,
                irr=r.irr,
                mirr=r.mirr,
                payback_years=r.payback_years,
                discounted_payback_years=r.discounted_payback_years,
                break_even_volume=r.break_even_volume.value,
                break_even_price=r.break_even_price.value,
            )
        )
    return out
