"""What-if scenarios: a named list of changes to a vehicle's sourcing, evaluated under every
method against the current bill, and compared side by side.

A change moves a part (to another supplier, country or price, for all or part of its volume),
has a supplier localize one of its inputs, or has the plant take on a Decree 719 operation.
Applying changes patches the flat arrays; nothing is re-read, so a scenario costs a few numpy
sums even on a large bill.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.catalog.schemas import Country, Currency, Share, SupplierRef, supplier_key
from cooplab.core.schemas import IsoDate
from cooplab.errors import InvalidInputError, field_error
from cooplab.feasibility.schemas import LandedCostFile
from cooplab.feasibility.service import compare as landed_costs
from cooplab.localization.flat import FlatBill, money
from cooplab.localization.methods import METHODS, localization_level
from cooplab.localization.results import LocalizationResult
from cooplab.localization.rules import points_table


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MovePart(_Change):
    """This part moves to that supplier, country and price, for `volume_share` of its volume
    (the current sources keep the rest in their proportions)."""

    kind: Literal["move_part"] = "move_part"
    part_number: str = Field(min_length=1, max_length=80)
    supplier: str = Field(min_length=1, max_length=200)
    supplier_id: SupplierRef | None = None
    production_country: Country
    unit_price: Decimal | None = Field(None, ge=0, description="the part's current price when empty")
    currency: Currency = "UZS"
    price_date: IsoDate | None = Field(None, description="the vehicle's price date when empty")
    imported_share: Share | None = None
    volume_share: Share = Decimal(1)
    operations: tuple[str, ...] = ()
    landed_cost: LandedCostFile | None = Field(
        None,
        description="price the part at its landed cost (a landed-cost file, docs/feasibility.md): the "
        "total per unit of the option `landed_cost_option` (or of the file's only option), in the "
        "file's currency on its as-of date, instead of unit_price, currency and price_date",
    )
    landed_cost_option: str | None = Field(None, max_length=200)


class LocalizeInput(_Change):
    """This supplier buys that input from another origin (and supplier), at a new cost or the same;
    with `pass_through`, the supplier's price for its part changes by the input's cost change."""

    kind: Literal["localize_input"] = "localize_input"
    supplier: str = Field(min_length=1, max_length=200)
    input: str = Field(min_length=1, max_length=120)
    part_number: str | None = Field(None, description="only for this part of the supplier's")
    origin_country: Country
    input_supplier: str | None = None
    unit_cost: Decimal | None = Field(None, ge=0)
    currency: Currency = "UZS"
    pass_through: bool = True


class AddOperation(_Change):
    """The vehicle plant takes on a Decree 719 operation (body welding, painting...)."""

    kind: Literal["add_operation"] = "add_operation"
    operation: str = Field(min_length=1, max_length=80)


Change = Annotated[MovePart | LocalizeInput | AddOperation, Field(discriminator="kind")]


class Scenario(BaseModel):
    """A named list of changes."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    changes: list[Change] = []


class MethodChange(BaseModel):
    """One method's level before and after, and the thresholds crossed either way."""

    method: str
    unit: str
    before: float | None
    after: float | None
    change: float | None
    reached: list[str] = Field([], description="thresholds reached in the scenario that were not before")
    lost: list[str] = Field([], description="thresholds reached before that the scenario loses")


class ScenarioResult(BaseModel):
    """A scenario's effect: each method's level, the cost per vehicle and per year (UZS)."""

    name: str
    illustrative: bool
    currency: str = "UZS"
    annual_volume: int
    cost_before: Decimal
    cost_after: Decimal
    cost_change_per_vehicle: Decimal
    cost_change_per_year: Decimal
    methods: dict[str, MethodChange]
    changes: list[Change]


class WaterfallStep(BaseModel):
    """One change of a scenario, applied after the ones before it: the Uzbek cost share before
    and after it, its contribution, and its cost change per vehicle (UZS)."""

    index: int = Field(description="the change's place in the scenario, from 0")
    kind: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    cost_change_per_vehicle: Decimal


class Waterfall(BaseModel):
    """The Uzbek cost share from the current bill to the scenario's, one step per change in
    the scenario's order; the steps add up to `after - before` exactly (levels rounded to six
    places first). A step's contribution depends on the changes before it."""

    method: str = "uz_cost_share"
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    steps: list[WaterfallStep]


class ScenarioComparison(BaseModel):
    """Scenarios side by side against the current bill."""

    baseline: dict[str, float | None]
    scenarios: list[ScenarioResult]


def _bad(detail: dict[str, Any]) -> InvalidInputError:
    """A change the bill cannot take, named by its place in the list (`field_error` at
    ["changes", index, field])."""
    return InvalidInputError(f"change {detail['loc'][1] + 1}: {detail['msg']}", details=[detail])


def _offer(change: MovePart, k: int) -> tuple[Decimal | None, str, date | None]:
    """The moved part's new unit price, its currency and day: as given, or its landed cost by the
    feasibility calculators (an error in the file is named under ["changes", k, "landed_cost"])."""
    if change.landed_cost is None:
        return change.unit_price, change.currency, change.price_date
    here: list[Any] = ["changes", k, "landed_cost"]
    try:
        options = landed_costs(change.landed_cost).options
    except InvalidInputError as exc:
        raise InvalidInputError(
            f"change {k + 1}, landed cost: {exc.message}",
            details=[{**d, "loc": [*here, *d.get("loc", [])]} for d in exc.details],
        ) from None
    names = [o.landed_cost.option for o in options]
    wanted = change.landed_cost_option
    if wanted is None and len(options) == 1:
        chosen = options[0].landed_cost
    elif wanted is not None and wanted in names:
        chosen = options[names.index(wanted)].landed_cost
    else:
        raise _bad(
            field_error(
                ["changes", k, "landed_cost_option"],
                f"name one of the file's options: {', '.join(str(n) for n in names)}",
                "landed_cost_option",
                options=", ".join(str(n) for n in names),
            )
        )
    return chosen.total_per_unit, chosen.currency, chosen.as_of


def apply_changes(flat: FlatBill, changes: Sequence[MovePart | LocalizeInput | AddOperation]) -> FlatBill:
    """The bill with the changes made, in order; an unknown part or input is an InvalidInputError."""
    if not changes:
        return flat
    s_share = flat.s_share.copy()
    s_price = flat.s_price.copy()
    r_origin, r_child, r_value = flat.r_origin.copy(), flat.r_child.copy(), flat.r_value.copy()
    new_sources: list[dict[str, Any]] = []
    added: dict[int, list[dict[str, Any]]] = {}
    operations = list(flat.vehicle.operations)
    order = np.argsort(flat.s_line, kind="stable")
    sorted_lines = flat.s_line[order]
    for k, change in enumerate(changes):
        if isinstance(change, MovePart):
            line = flat.index.get(change.part_number)
            if line is None:
                raise _bad(
                    field_error(
                        ["changes", k, "part_number"],
                        f"{change.part_number} is not a part of the BOM",
                        "unknown_part",
                        part_number=change.part_number,
                    )
                )
            current = order[
                np.searchsorted(sorted_lines, line) : np.searchsorted(sorted_lines, line, "right")
            ]
            if len(current) == 0 and line not in added:
                raise _bad(
                    field_error(
                        ["changes", k, "part_number"],
                        f"{change.part_number} is not bought (it has no source)",
                        "not_sourced",
                        part_number=change.part_number,
                    )
                )
            old_price = float((s_share[current] * s_price[current]).sum())
            old_price += sum(n["share"] * n["price"] for n in added.get(line, ()))
            unit_price, currency, day = _offer(change, k)
            day = day or flat.vehicle.price_date
            try:
                rate = float(flat.rates.uzs_per_unit(currency, day))
            except ValueError as exc:
                raise _bad(
                    field_error(
                        ["changes", k, "currency"],
                        str(exc),
                        "no_rate",
                        currency=currency,
                        date=day.isoformat(),
                    )
                ) from None
            price = old_price if unit_price is None else float(unit_price) * rate
            keep = 1.0 - float(change.volume_share)
            s_share[current] *= keep
            for n in added.get(line, ()):
                n["share"] *= keep
            source = {
                "line": line,
                "share": float(change.volume_share),
                "price": price,
                "supplier": change.supplier,
                "supplier_id": change.supplier_id,
                "country": change.production_country,
                "imported": np.nan if change.imported_share is None else float(change.imported_share),
                "node": flat.node_index.get(
                    (supplier_key(change.supplier, change.supplier_id), change.part_number),
                    flat.node_index.get((supplier_key(change.supplier), change.part_number), -1),
                ),
                "operations": change.operations,
            }
            new_sources.append(source)
            added.setdefault(line, []).append(source)
        elif isinstance(change, LocalizeInput):
            rows = flat.inputs_matching(change.supplier, change.input)
            if change.part_number is not None:
                owners = [n for n, key in enumerate(flat.node_key) if key[1] == change.part_number]
                rows &= np.isin(flat.r_owner, owners)
            if not rows.any():
                raise _bad(
                    field_error(
                        ["changes", k, "input"],
                        f"{change.supplier} has no input {change.input!r}",
                        "unknown_input",
                        supplier=change.supplier,
                        input=change.input,
                    )
                )
            r_origin[rows] = change.origin_country
            r_child[rows] = (
                flat.node_index.get((supplier_key(change.input_supplier), change.input), -1)
                if change.input_supplier
                else -1
            )
            if change.unit_cost is not None:
                try:
                    rate = float(flat.rates.uzs_per_unit(change.currency, flat.vehicle.price_date))
                except ValueError as exc:
                    raise _bad(
                        field_error(
                            ["changes", k, "currency"],
                            str(exc),
                            "no_rate",
                            currency=change.currency,
                            date=flat.vehicle.price_date.isoformat(),
                        )
                    ) from None
                new_value = flat.r_qty[rows] * float(change.unit_cost) * rate
                delta = np.bincount(
                    flat.r_owner[rows], weights=new_value - r_value[rows], minlength=len(flat.node_key)
                )
                r_value[rows] = new_value
                if change.pass_through:
                    _pass_through(flat, delta, r_value, r_child, s_price)
        else:
            if change.operation not in points_table().items:
                raise _bad(
                    field_error(
                        ["changes", k, "operation"],
                        f"{change.operation!r} is not an operation of the Decree 719 table",
                        "unknown_operation",
                        operation=change.operation,
                        value=change.operation,
                    )
                )
            if change.operation not in operations:
                operations.append(change.operation)
    arrays: dict[str, Any] = {
        "s_share": s_share,
        "s_price": s_price,
        "r_origin": r_origin,
        "r_child": r_child,
        "r_value": r_value,
    }
    if new_sources:
        arrays.update(
            s_line=np.concatenate([flat.s_line, [n["line"] for n in new_sources]]).astype(np.int64),
            s_share=np.concatenate([s_share, [n["share"] for n in new_sources]]),
            s_price=np.concatenate([s_price, [n["price"] for n in new_sources]]),
            s_imported_share=np.concatenate([flat.s_imported_share, [n["imported"] for n in new_sources]]),
            s_node=np.concatenate([flat.s_node, [n["node"] for n in new_sources]]).astype(np.int64),
            s_country=np.concatenate(
                [flat.s_country, np.array([n["country"] for n in new_sources], dtype="<U2")]
            ),
            s_illustrative=np.concatenate([flat.s_illustrative, np.ones(len(new_sources), bool)]),
            s_supplier=flat.s_supplier + [n["supplier"] for n in new_sources],
            s_supplier_id=flat.s_supplier_id + [n["supplier_id"] for n in new_sources],
            s_operations=flat.s_operations + [n["operations"] for n in new_sources],
            s_scored=np.concatenate([flat.scored_sources(), [bool(n["operations"]) for n in new_sources]]),
        )
    if operations != list(flat.vehicle.operations):
        arrays["vehicle"] = flat.vehicle.model_copy(update={"operations": tuple(operations)})
    return flat.evolve(**arrays)


def _pass_through(
    flat: FlatBill, delta: np.ndarray, r_value: np.ndarray, r_child: np.ndarray, s_price: np.ndarray
) -> None:
    """A change of a supplier's cost per unit passed up every tier that buys from it, and into
    the prices the OEM pays."""
    n = len(flat.node_key)
    total = np.zeros(n)
    linked = r_child >= 0
    for _ in range(n + 1):
        if not delta.any():
            break
        total += delta
        row_delta = np.zeros(len(r_value))
        row_delta[linked] = flat.r_qty[linked] * delta[r_child[linked]]
        r_value += row_delta
        delta = np.bincount(flat.r_owner, weights=row_delta, minlength=n)
    using = flat.s_node >= 0
    s_price[using] += total[flat.s_node[using]]


def production_cost(flat: FlatBill) -> float:
    """Own cost plus every counted part, per vehicle, in UZS."""
    content = flat.content(frozenset({"UZ"}))
    return flat.own_cost + float((flat.qty * flat.counted) @ content.line_price)


def _reached(result: LocalizationResult) -> set[str]:
    return {f"{t.key}@{t.threshold:g}" for t in result.thresholds if t.reached and t.in_force}


def evaluate_scenario(
    flat: FlatBill,
    scenario: Scenario,
    *,
    baseline: Mapping[str, LocalizationResult] | None = None,
    methods: Sequence[str] = METHODS,
    configs: Mapping[str, Any] | None = None,
) -> ScenarioResult:
    """The scenario's levels under each method, its cost change per vehicle and per year, and the
    thresholds it crosses; `baseline` (the current results) is computed when not given."""
    configs = configs or {}
    changed = apply_changes(flat, scenario.changes)
    before = dict(baseline or {})
    out: dict[str, MethodChange] = {}
    for method in methods:
        old = before.get(method) or localization_level(flat, method, configs.get(method))
        new = localization_level(changed, method, configs.get(method))
        delta = None if old.level is None or new.level is None else round(new.level - old.level, 6)
        out[method] = MethodChange(
            method=method,
            unit=new.unit,
            before=old.level,
            after=new.level,
            change=delta,
            reached=sorted(_reached(new) - _reached(old)),
            lost=sorted(_reached(old) - _reached(new)),
        )
    cost_before, cost_after = production_cost(flat), production_cost(changed)
    per_vehicle = cost_after - cost_before
    volume = flat.vehicle.annual_volume
    return ScenarioResult(
        name=scenario.name,
        illustrative=flat.illustrative or changed.illustrative,
        annual_volume=volume,
        cost_before=money(cost_before),
        cost_after=money(cost_after),
        cost_change_per_vehicle=money(per_vehicle),
        cost_change_per_year=money(per_vehicle * volume),
        methods=out,
        changes=list(scenario.changes),
    )


PLACES = Decimal("0.000001")


def _share(level: float | None) -> Decimal | None:
    return None if level is None else Decimal(repr(level)).quantize(PLACES)


def waterfall(
    flat: FlatBill,
    changes: Sequence[MovePart | LocalizeInput | AddOperation],
    *,
    method: str = "uz_cost_share",
    config: Any = None,
) -> Waterfall:
    """The level under `method` (the Uzbek cost share by default) as the changes are made one
    after another: each step is the level after the changes up to it minus the level before."""
    levels = [localization_level(flat, method, config).level]
    costs = [production_cost(flat)]
    for k in range(1, len(changes) + 1):
        changed = apply_changes(flat, changes[:k])
        levels.append(localization_level(changed, method, config).level)
        costs.append(production_cost(changed))
    shares = [_share(level) for level in levels]
    steps = []
    for k, change in enumerate(changes):
        a, b = shares[k], shares[k + 1]
        steps.append(
            WaterfallStep(
                index=k,
                kind=change.kind,
                before=a,
                after=b,
                change=None if a is None or b is None else b - a,
                cost_change_per_vehicle=money(costs[k + 1]) - money(costs[k]),
            )
        )
    first, last = shares[0], shares[-1]
    return Waterfall(
        method=method,
        before=first,
        after=last,
        change=None if first is None or last is None else last - first,
        steps=steps,
    )


def compare_scenarios(
    flat: FlatBill,
    scenarios: Sequence[Scenario],
    *,
    methods: Sequence[str] = METHODS,
    configs: Mapping[str, Any] | None = None,
) -> ScenarioComparison:
    """Scenarios side by side, each against the same current bill (computed once)."""
    configs = configs or {}
    baseline = {m: localization_level(flat, m, configs.get(m)) for m in methods}
    return ScenarioComparison(
        baseline={m: r.level for m, r in baseline.items()},
        scenarios=[
            evaluate_scenario(flat, s, baseline=baseline, methods=methods, configs=configs) for s in scenarios
        ],
    )
