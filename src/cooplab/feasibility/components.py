"""The components of a landed cost, each a calculator of the family `landed_cost_component`.

Every component has one formula, `amount(x, prior)`, written in plain arithmetic so that it
takes a case of Python floats (one option, with its explanation: `compute`) or of numpy arrays
(many options at once, in `batch`). Both paths run the same expression on float64 and so
give the same numbers. `x` holds the option's figures per unit in the report currency;
`prior` the amounts of the components before this one, in `ORDER`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import Calculator, NoConfig, Reason, Result, get_calculator, register

KIND = "landed_cost_component"


@dataclass(slots=True)
class CaseNumbers:
    """One option's figures (floats), or many options' (arrays of one length): per unit, in
    the report currency; rates as fractions; flags as 0.0 or 1.0."""

    price: Any
    fx_spread: Any  # share of the price lost buying the seller's currency
    freight_coef_border: Any  # buyer's freight up to the import border, per allocation unit
    freight_coef_inland: Any  # buyer's freight from the border on, per allocation unit
    freight_qty: Any  # allocation units in one part: kg, m³, or a share of a shipment
    insurance_rate: Any  # 0 when the buyer need not insure
    duty_rate: Any
    fee_rate: Any
    fee_per_unit: Any
    excise_rate: Any
    excise_per_unit: Any
    vat_rate: Any
    vat_recoverable: Any
    transit_days: Any  # days the goods travel at the buyer's risk and money
    safety_days: Any
    carrying_rate: Any  # a year's cost of money tied in stock
    risk_rate: Any
    risk_per_unit: Any
    freight_assumed: Any
    transit_assumed: Any
    duty_assumed: Any

    @classmethod
    def names(cls) -> list[str]:
        """The field names, in order."""
        return [f.name for f in fields(cls)]


class ComponentResult(Result):
    """One line of a landed cost: its amount per unit, the currency, what it is computed on
    (`basis`, a stable key), whether an assumption went into it, and why."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    amount: float
    currency: str
    basis: str
    assumption: bool = False
    paid: float | None = None
    """Import VAT only: the sum paid at the border, recoverable or not."""


class LandedCostComponent(Calculator[Any]):
    """Base of the landed-cost components: one formula for one option or many."""

    KIND: ClassVar[str] = KIND
    BASIS: ClassVar[str] = ""

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        """The amount per unit (floats in, float out; arrays in, array out)."""
        raise NotImplementedError

    def assumed(self, x: CaseNumbers) -> Any:
        """Whether an assumption went into the amount (0.0 or 1.0, or an array of them)."""
        return 0.0

    def explain(
        self, x: CaseNumbers, prior: Mapping[str, float], value: float, currency: str
    ) -> list[Reason]:
        """Reasons of this component's own, after the notes of the case."""
        return []

    def compute(
        self, x: CaseNumbers, prior: Mapping[str, float], *, currency: str, notes: Sequence[Reason] = ()
    ) -> ComponentResult:
        """This component of one option, with its explanation."""
        value = self.amount(x, prior)
        return ComponentResult(
            calculator=self.NAME,
            amount=value,
            currency=currency,
            basis=self.BASIS,
            assumption=bool(self.assumed(x)),
            reasons=[*notes, *self.explain(x, prior, value, currency)],
        )


def _money(value: float, currency: str) -> str:
    return f"{value:,.4f} {currency}"


def customs_value(x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
    """The customs value per unit: the price, the buyer's freight to the border, insurance."""
    return prior["price"] + x.freight_coef_border * x.freight_qty + prior["insurance"]


def running_total(prior: Mapping[str, Any], upto: str) -> Any:
    """The sum of the components before `upto`, in `ORDER`."""
    total: Any = 0.0
    for name in ORDER:
        if name == upto:
            return total
        total = total + prior[name]
    return total


@register
class Price(LandedCostComponent):
    """The seller's unit price in the report currency, under its Incoterm."""

    NAME = "price"
    BASIS = "unit_price"

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.price


@register
class CurrencyConversion(LandedCostComponent):
    """What buying the seller's currency costs: a share of the price (the bank's spread)."""

    NAME = "currency_conversion"
    BASIS = "unit_price"

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.price * x.fx_spread

    def explain(self, x, prior, value, currency):
        if not x.fx_spread:
            return []
        return [
            self.reason(
                "currency_conversion.spread",
                "{spread:.2%} of the price: {amount}",
                spread=x.fx_spread,
                amount=_money(value, currency),
            )
        ]


@register
class Freight(LandedCostComponent):
    """The buyer's freight per unit: each leg's cost per shipment shared by weight, volume or
    units per shipment."""

    NAME = "freight"
    BASIS = "allocated_shipment_cost"

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return (x.freight_coef_border + x.freight_coef_inland) * x.freight_qty

    def assumed(self, x: CaseNumbers) -> Any:
        return x.freight_assumed


class InsuranceConfig(BaseModel):
    """Settings of the insurance component."""

    model_config = ConfigDict(extra="forbid")
    insured_share: Decimal = Field(
        Decimal(1),
        ge=0,
        le=2,
        description=(
            "Insured value as a share of price plus freight (Incoterms 2020 ask the seller "
            "for at least 1.1 under CIP and CIF)."
        ),
    )


@register
class Insurance(LandedCostComponent):
    """Cargo insurance the buyer pays: a rate of the insured value (price plus freight), when
    some leg travels at the buyer's risk without the seller's cover."""

    NAME = "insurance"
    BASIS = "price_and_freight"
    Config = InsuranceConfig

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.insurance_rate * float(self.config.insured_share) * (prior["price"] + prior["freight"])

    def assumed(self, x: CaseNumbers) -> Any:
        return x.freight_assumed * (x.insurance_rate > 0)

    def explain(self, x, prior, value, currency):
        if not x.insurance_rate:
            return []
        return [
            self.reason(
                "insurance.rate",
                "{rate:.3%} of {share} × (price + freight): {amount}",
                rate=x.insurance_rate,
                share=float(self.config.insured_share),
                amount=_money(value, currency),
            )
        ]


class _CustomsComponent(LandedCostComponent):
    def rate(self, x: CaseNumbers) -> Any:
        """What makes the component non-zero (its assumptions matter only then)."""
        raise NotImplementedError

    def assumed(self, x: CaseNumbers) -> Any:
        return _either(x.duty_assumed, x.freight_assumed) * (self.rate(x) > 0)


def _either(a: Any, b: Any) -> Any:
    return a + b - a * b  # logical or of 0/1 flags, for floats and arrays alike


@register
class Duty(_CustomsComponent):
    """Import duty: the ad-valorem rate of the HS heading under the origin's regime, on the
    customs value (price, freight to the border, insurance)."""

    NAME = "duty"
    BASIS = "customs_value"

    def rate(self, x: CaseNumbers) -> Any:
        return x.duty_rate

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.duty_rate * customs_value(x, prior)

    def explain(self, x, prior, value, currency):
        return [
            self.reason(
                "duty.amount",
                "{rate:.2%} of the customs value {base}: {amount}",
                rate=x.duty_rate,
                base=_money(customs_value(x, prior), currency),
                amount=_money(value, currency),
            )
        ]


@register
class CustomsFees(_CustomsComponent):
    """Customs processing fees: a share of the customs value and an amount per unit, as the
    user gives them."""

    NAME = "customs_fees"
    BASIS = "customs_value"

    def rate(self, x: CaseNumbers) -> Any:
        return x.fee_rate

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.fee_rate * customs_value(x, prior) + x.fee_per_unit


@register
class Excise(_CustomsComponent):
    """Excise where one is set: a share of the customs value and an amount per unit."""

    NAME = "excise"
    BASIS = "customs_value"

    def rate(self, x: CaseNumbers) -> Any:
        return x.excise_rate

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.excise_rate * customs_value(x, prior) + x.excise_per_unit


@register
class ImportVat(_CustomsComponent):
    """Import VAT on customs value, duty and excise; counted in the landed cost only when the
    buyer cannot recover it (the sum paid at the border is shown apart)."""

    NAME = "import_vat"
    BASIS = "customs_value_duty_excise"

    def rate(self, x: CaseNumbers) -> Any:
        return x.vat_rate * (1.0 - x.vat_recoverable)

    def paid(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        """The VAT paid at the border, recoverable or not."""
        return x.vat_rate * (customs_value(x, prior) + prior["duty"] + prior["excise"])

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return self.paid(x, prior) * (1.0 - x.vat_recoverable)

    def compute(
        self, x: CaseNumbers, prior: Mapping[str, float], *, currency: str, notes: Sequence[Reason] = ()
    ) -> ComponentResult:
        result = super().compute(x, prior, currency=currency, notes=notes)
        result.paid = self.paid(x, prior)
        return result

    def explain(self, x, prior, value, currency):
        if not x.vat_rate:
            return []
        paid = self.paid(x, prior)
        if x.vat_recoverable:
            return [
                self.reason(
                    "import_vat.recoverable",
                    "{rate:.0%} VAT of {paid} paid at the border is recoverable as input VAT: not a cost",
                    rate=x.vat_rate,
                    paid=_money(paid, currency),
                )
            ]
        return [
            self.reason(
                "import_vat.not_recoverable",
                "{rate:.0%} VAT of {paid} paid at the border cannot be recovered: a cost",
                rate=x.vat_rate,
                paid=_money(paid, currency),
            )
        ]


class CarryingConfig(BaseModel):
    """Settings of the inventory carrying components."""

    model_config = ConfigDict(extra="forbid")
    days_per_year: int = Field(365, gt=0, description="Days a year's carrying rate is spread over.")


@register
class CarryingInTransit(LandedCostComponent):
    """The cost of the money tied in goods while they travel at the buyer's risk: the price
    × the yearly carrying rate × the days in transit."""

    NAME = "carrying_in_transit"
    BASIS = "price_days_in_transit"
    Config = CarryingConfig

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.carrying_rate * x.transit_days / self.config.days_per_year * prior["price"]

    def assumed(self, x: CaseNumbers) -> Any:
        return x.transit_assumed * (x.carrying_rate > 0)

    def explain(self, x, prior, value, currency):
        return [
            self.reason(
                "carrying.in_transit",
                "{rate:.2%} a year for {days:.1f} days on the price: {amount}",
                rate=x.carrying_rate,
                days=x.transit_days,
                amount=_money(value, currency),
            )
        ]


@register
class CarryingSafetyStock(LandedCostComponent):
    """The cost of holding the safety stock: the landed value so far × the yearly carrying
    rate × the days of stock kept."""

    NAME = "carrying_safety_stock"
    BASIS = "landed_value_days_of_stock"
    Config = CarryingConfig

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.carrying_rate * x.safety_days / self.config.days_per_year * running_total(prior, self.NAME)

    def assumed(self, x: CaseNumbers) -> Any:
        return _either(x.duty_assumed, x.freight_assumed) * (x.carrying_rate * x.safety_days > 0)

    def explain(self, x, prior, value, currency):
        if not x.safety_days:
            return []
        return [
            self.reason(
                "carrying.safety_stock",
                "{rate:.2%} a year for {days:g} days of stock on {base}: {amount}",
                rate=x.carrying_rate,
                days=x.safety_days,
                base=_money(running_total(prior, self.NAME), currency),
                amount=_money(value, currency),
            )
        ]


@register
class RiskPremium(LandedCostComponent):
    """An optional premium for the risks of the lane: a share of the landed cost before it,
    and an amount per unit."""

    NAME = "risk_premium"
    BASIS = "landed_value"

    def amount(self, x: CaseNumbers, prior: Mapping[str, Any]) -> Any:
        return x.risk_rate * running_total(prior, self.NAME) + x.risk_per_unit

    def assumed(self, x: CaseNumbers) -> Any:
        return _either(_either(x.duty_assumed, x.freight_assumed), x.transit_assumed) * (x.risk_rate > 0)


#: The components in the order they are computed (each may use those before it).
ORDER = (
    "price",
    "currency_conversion",
    "freight",
    "insurance",
    "duty",
    "customs_fees",
    "excise",
    "import_vat",
    "carrying_in_transit",
    "carrying_safety_stock",
    "risk_premium",
)


def pipeline(configs: Mapping[str, Mapping[str, Any]] | None = None) -> list[LandedCostComponent]:
    """The components in `ORDER`, each with its settings (by component name)."""
    configs = configs or {}
    unknown = set(configs) - set(ORDER)
    if unknown:
        get_calculator(KIND, min(unknown))  # raises, naming the known ones
    return [get_calculator(KIND, name, configs.get(name)) for name in ORDER]


def evaluate(x: CaseNumbers, components: Sequence[LandedCostComponent]) -> dict[str, Any]:
    """Every component's amount for one case or many (no explanations): the fast path."""
    prior: dict[str, Any] = {}
    for component in components:
        prior[component.NAME] = component.amount(x, prior)
    return prior


def compute_all(
    x: CaseNumbers,
    components: Sequence[LandedCostComponent],
    *,
    currency: str,
    notes: Mapping[str, Sequence[Reason]] | None = None,
) -> list[ComponentResult]:
    """Every component of one option, each with its explanation."""
    notes = notes or {}
    prior: dict[str, float] = {}
    out: list[ComponentResult] = []
    for component in components:
        result = component.compute(x, prior, currency=currency, notes=notes.get(component.NAME, ()))
        prior[component.NAME] = result.amount
        out.append(result)
    return out


__all__ = [
    "KIND",
    "ORDER",
    "CaseNumbers",
    "ComponentResult",
    "LandedCostComponent",
    "NoConfig",
    "compute_all",
    "customs_value",
    "evaluate",
    "pipeline",
    "running_total",
]
