"""Localization opportunities and the cheapest path to a threshold.

`rank_opportunities` lists the parts not yet local by their imported value per year, with the
signals that localizing them is feasible (a local or Russian supplier makes goods of the same
heading, or runs the processes the part needs) and the data of a Pareto chart.

`cheapest_path` finds the cheapest set of parts to localize for the Uzbek cost share to reach
a target, as an integer program solved by HiGHS (`scipy.optimize.milp`): at most one option per
part, the level after the changes at least the target. The level is a ratio, but with the
target fixed the condition is linear:

    imported + sum(x_j * dM_j) <= (1 - target) * (cost + sum(x_j * dC_j))

where dM_j and dC_j are option j's change of imported content and of cost per vehicle. The
answer says whether it is optimal or how far from optimal when the time limit stopped it;
`greedy_path` is the baseline heuristic it is compared with.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import groupby

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array, vstack

from cooplab.catalog.commodity_codes import CommodityCatalog, commodity_catalog
from cooplab.catalog.schemas import Country, Currency, HsCode, Share, SupplierRef
from cooplab.errors import InvalidInputError
from cooplab.localization.flat import UZ, FlatBill, money
from cooplab.localization.methods import localization_level
from cooplab.localization.scenarios import MovePart, apply_changes
from cooplab.vocab.hs import shared_digits
from cooplab.vocab.processes import Process

RUSSIA = "RU"
#: Relative gap at which HiGHS may call an answer optimal: a millionth of the annual cost.
MIP_REL_GAP = 1e-6


class Capability(BaseModel):
    """What an organization can make: its country, commodity codes and processes (the service
    builds these from the registry)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    organization: str
    organization_id: SupplierRef | None = None
    country: Country
    hs_codes: tuple[HsCode, ...] = ()
    processes: tuple[Process, ...] = ()


class Signal(StrEnum):
    """A sign that localizing a part is feasible."""

    LOCAL_HEADING = "local_heading"  # an Uzbek organization makes goods of the part's heading
    RUSSIAN_HEADING = "russian_heading"  # a Russian one does
    LOCAL_PROCESSES = "local_processes"  # an Uzbek organization runs every process the part needs
    RUSSIAN_PROCESSES = "russian_processes"


class SignalOrganization(BaseModel):
    """An organization behind a part's signals: its registry id, name and country."""

    id: SupplierRef | None = None
    name: str
    country: Country


class Opportunity(BaseModel):
    """A part not yet local, by the imported value it carries per year."""

    rank: int
    part_number: str
    name: str
    hs_code: str | None
    annual_quantity: float
    imported_per_vehicle: Decimal
    annual_imported: Decimal
    share_of_imported: float
    cumulative_share: float
    processes: list[Process]
    signals: list[Signal]
    organizations: list[str] = Field([], description="organizations behind the signals")
    signal_organizations: list[SignalOrganization] = Field(
        [], description="the same organizations with their registry ids and countries"
    )
    illustrative: bool


class OpportunityList(BaseModel):
    """The ranked opportunities; `cumulative_share` of each is the Pareto curve."""

    currency: str = "UZS"
    annual_volume: int
    total_annual_imported: Decimal
    illustrative: bool
    items: list[Opportunity]


def rank_opportunities(
    flat: FlatBill,
    capabilities: Iterable[Capability] = (),
    *,
    limit: int | None = None,
    catalog: CommodityCatalog | None = None,
) -> OpportunityList:
    """Parts with imported content under the Uzbek cost share, largest annual imported value
    first, with feasibility signals from the given capabilities."""
    catalog = catalog or commodity_catalog()
    content = flat.content(UZ)
    q = flat.qty * flat.counted
    per_vehicle = q * content.line_outside
    volume = flat.vehicle.annual_volume
    order = [int(i) for i in np.argsort(-per_vehicle, kind="stable") if per_vehicle[i] > 1e-9]
    total = float(per_vehicle.sum()) * volume
    caps = list(capabilities)
    illustrative = flat.line_illustrative()
    items: list[Opportunity] = []
    running = 0.0
    for rank, i in enumerate(order[:limit] if limit else order, start=1):
        annual = float(per_vehicle[i]) * volume
        running += annual
        code = flat.hs_code[i]
        needed = list(catalog.processes(code)) if code else []
        signals, backers = _signals(code, needed, caps)
        items.append(
            Opportunity(
                rank=rank,
                part_number=flat.part_number[i],
                name=flat.name[i],
                hs_code=code,
                annual_quantity=float(q[i]) * volume,
                imported_per_vehicle=money(per_vehicle[i]),
                annual_imported=money(annual),
                share_of_imported=round(annual / total, 6) if total else 0.0,
                cumulative_share=round(running / total, 6) if total else 0.0,
                processes=needed,
                signals=signals,
                organizations=[b.organization for b in backers],
                signal_organizations=[
                    SignalOrganization(id=b.organization_id, name=b.organization, country=b.country)
                    for b in backers
                ],
                illustrative=bool(illustrative[i]),
            )
        )
    return OpportunityList(
        annual_volume=volume, total_annual_imported=money(total), illustrative=flat.illustrative, items=items
    )


def _signals(
    code: str | None, needed: list[Process], caps: list[Capability]
) -> tuple[list[Signal], list[Capability]]:
    found: dict[Signal, None] = {}
    names: dict[Capability, None] = {}
    for cap in caps:
        if cap.country not in ("UZ", RUSSIA):
            continue
        local = cap.country == "UZ"
        if code and any(_same_line(code, c) for c in cap.hs_codes):
            found[Signal.LOCAL_HEADING if local else Signal.RUSSIAN_HEADING] = None
            names[cap] = None
        if needed and set(needed) <= set(cap.processes):
            found[Signal.LOCAL_PROCESSES if local else Signal.RUSSIAN_PROCESSES] = None
            names[cap] = None
    return sorted(found, key=list(Signal).index), list(names)


def _same_line(part: str, capability: str) -> bool:
    """Whether a capability's code covers the part's, or the other way round, at four digits or
    more (8708.40 covers 8708.40.9000; 8708.10 does not cover 8708.40)."""
    shared = shared_digits(part, capability)
    return shared >= 4 and shared == min(len(part), len(capability))


# ---------------------------------------------------------------- the cheapest path


class LocalizationOption(BaseModel):
    """A way to localize one part: the new source's price and imported share, and a one-off cost
    (tooling, approval) counted once in the year's cost."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    part_number: str
    supplier: str
    supplier_id: SupplierRef | None = None
    production_country: Country = "UZ"
    unit_price: Decimal = Field(ge=0)
    currency: Currency = "UZS"
    price_date: date | None = None
    imported_share: Share
    one_off_cost: Decimal = Field(Decimal(0), ge=0, description="in the option's currency")
    illustrative: bool = False

    def as_change(self) -> MovePart:
        """The option as a scenario change."""
        return MovePart(
            part_number=self.part_number,
            supplier=self.supplier,
            supplier_id=self.supplier_id,
            production_country=self.production_country,
            unit_price=self.unit_price,
            currency=self.currency,
            price_date=self.price_date,
            imported_share=self.imported_share,
        )


def assumed_options(
    flat: FlatBill,
    *,
    price_factor: float = 1.10,
    imported_share: float = 0.40,
    supplier: str = "local supplier (assumed)",
) -> list[LocalizationOption]:
    """One assumed option per part with imported content: made in Uzbekistan at the current price
    × `price_factor` with `imported_share` of it imported. Illustrative: replace them with quotes."""
    content = flat.content(UZ)
    out = []
    for i in np.flatnonzero(
        flat.counted & (content.line_outside > content.line_price * imported_share + 1e-9)
    ).tolist():
        out.append(
            LocalizationOption(
                part_number=flat.part_number[i],
                supplier=supplier,
                unit_price=money(content.line_price[i] * price_factor),
                imported_share=Decimal(repr(imported_share)),
                illustrative=True,
            )
        )
    return out


class PathStatus(StrEnum):
    """How the search for the cheapest path ended."""

    OPTIMAL = "optimal"
    TIME_LIMIT = "time_limit"  # stopped with a feasible answer; `gap` says how far from optimal
    INFEASIBLE = "infeasible"  # even every option together does not reach the target
    NO_ANSWER = "no_answer"  # stopped before any feasible answer


class ChosenOption(BaseModel):
    """An option in the answer, with what it changes per vehicle and per year."""

    part_number: str
    name: str = ""
    supplier: str
    unit_price_change: Decimal | None = Field(None, description="the part's price change per unit, UZS")
    cost_change_per_vehicle: Decimal
    imported_change_per_vehicle: Decimal
    annual_cost: Decimal


class PathResult(BaseModel):
    """The cheapest set of options that brings the Uzbek cost share to the target."""

    target: float
    status: PathStatus
    optimal: bool
    gap: float | None = Field(None, description="relative gap to the best bound (0 when optimal)")
    level_before: float
    level_after: float | None
    annual_cost: Decimal | None
    bound: Decimal | None = Field(None, description="no answer can cost less than this")
    chosen: list[ChosenOption]
    candidates: int
    seconds: float
    greedy_annual_cost: Decimal | None = None
    greedy_gap: float | None = Field(None, description="greedy cost over the optimum, relative")
    illustrative: bool
    currency: str = "UZS"


@dataclass(frozen=True)
class _Model:
    """The integer program's data: per option its part line, benefit a_j, annual cost c_j; the
    need b (sum a_j x_j >= b)."""

    lines: np.ndarray
    benefit: np.ndarray
    cost: np.ndarray
    d_cost: np.ndarray
    d_imported: np.ndarray
    need: float
    level: float


def _model(flat: FlatBill, options: Sequence[LocalizationOption], target: float) -> _Model:
    content = flat.content(UZ)
    q = flat.qty * flat.counted
    cost = flat.own_cost + float(q @ content.line_price)
    imported = float(q @ content.line_outside)
    lines = np.empty(len(options), dtype=np.int64)
    new_price = np.empty(len(options))
    one_off = np.empty(len(options))
    new_share = np.empty(len(options))
    local = np.empty(len(options), dtype=bool)
    for j, opt in enumerate(options):
        line = flat.index.get(opt.part_number)
        if line is None or not flat.counted[line]:
            raise InvalidInputError(
                f"option {j + 1}: {opt.part_number} is not a bought part of the bill",
                details=[
                    {
                        "loc": ["options", j, "part_number"],
                        "msg": "not a bought part",
                        "code": "unknown_part",
                        "params": {"part_number": opt.part_number},
                    }
                ],
            )
        rate = float(flat.rates.uzs_per_unit(opt.currency, opt.price_date or flat.vehicle.price_date))
        lines[j] = line
        new_price[j] = float(opt.unit_price) * rate
        one_off[j] = float(opt.one_off_cost) * rate
        new_share[j] = float(opt.imported_share)
        local[j] = opt.production_country == "UZ"
    qty = flat.qty[lines]
    d_cost = qty * (new_price - content.line_price[lines])
    new_imported = np.where(local, new_price * new_share, new_price)
    d_imported = qty * (new_imported - content.line_outside[lines])
    keep = 1.0 - target
    return _Model(
        lines=lines,
        benefit=keep * d_cost - d_imported,
        cost=d_cost * flat.vehicle.annual_volume + one_off,
        d_cost=d_cost,
        d_imported=d_imported,
        need=imported - keep * cost,
        level=1.0 - imported / cost if cost > 0 else 0.0,
    )


def greedy_path(flat: FlatBill, options: Sequence[LocalizationOption], *, target: float = 0.45) -> list[int]:
    """The baseline heuristic: options that save money first, then by cost per unit of benefit,
    one per part, until the target is reached; then any option no longer needed is dropped.
    Answers the indexes of the options taken (the target may stay out of reach)."""
    return _greedy(_model(flat, options, target))


def _greedy(m: _Model) -> list[int]:
    useful = np.flatnonzero((m.benefit > 0) | (m.cost < 0))
    benefit, cost = m.benefit[useful], m.cost[useful]
    ratio = np.full(len(useful), np.inf)
    np.divide(cost, benefit, out=ratio, where=benefit > 0)
    ratio[cost < 0] = -np.inf  # options that save money come first
    taken: list[int] = []
    parts: set[int] = set()
    have = 0.0
    for j in useful[np.argsort(ratio, kind="stable")].tolist():
        if m.lines[j] in parts or (have >= m.need and m.cost[j] >= 0):
            continue
        taken.append(j)
        parts.add(int(m.lines[j]))
        have += m.benefit[j]
    for j in sorted(taken, key=lambda j: -m.cost[j]):
        if m.cost[j] > 0 and have - m.benefit[j] >= m.need:
            taken.remove(j)
            have -= m.benefit[j]
    return sorted(taken)


def cheapest_path(
    flat: FlatBill,
    options: Sequence[LocalizationOption],
    *,
    target: float = 0.45,
    time_limit: float = 1.0,
    with_greedy: bool = True,
) -> PathResult:
    """The cheapest set of options (at most one per part) that brings the Uzbek cost share to
    `target`, solved exactly by HiGHS within `time_limit` seconds."""
    if not 0 < target < 1:
        raise InvalidInputError(
            "the target must be between 0 and 1",
            details=[{"loc": ["target"], "msg": "between 0 and 1", "code": "bad_target"}],
        )
    started = time.perf_counter()
    m = _model(flat, options, target)
    n = len(options)
    if (
        n
        and np.sum(
            [
                m.benefit[list(g)].clip(min=0).max()
                for _, g in groupby(np.argsort(m.lines, kind="stable").tolist(), key=lambda j: m.lines[j])
            ]
        )
        < m.need - 1e-6
    ):
        return _answer(
            flat, options, m, target, PathStatus.INFEASIBLE, None, None, None, started, with_greedy
        )
    if n == 0:
        status = PathStatus.OPTIMAL if m.need <= 0 else PathStatus.INFEASIBLE
        return _answer(
            flat, options, m, target, status, [] if m.need <= 0 else None, 0.0, 0.0, started, with_greedy
        )
    status, chosen, gap, bound = _solve(m, started + time_limit)
    return _answer(flat, options, m, target, status, chosen, gap, bound, started, with_greedy)


def _incumbent(
    m: _Model, a: np.ndarray, b: float, c: np.ndarray, relaxed: np.ndarray | None, groups: list[list[int]]
) -> tuple[list[int] | None, float]:
    """The better of two feasible answers, to fix options against: the greedy one, and the LP
    relaxation rounded (whole options kept, fractional ones that help taken, one per part)."""
    best: tuple[list[int] | None, float] = (None, np.inf)
    candidates = [_greedy(m)]
    if relaxed is not None:
        x = relaxed > 1 - 1e-7
        fractional = np.flatnonzero((relaxed > 1e-7) & ~x & (a > 0))
        group_of = {j: k for k, g in enumerate(groups) for j in g}
        busy = {group_of[j] for j in np.flatnonzero(x).tolist() if j in group_of}
        for j in sorted(fractional.tolist(), key=lambda j: -a[j]):
            k = group_of.get(j)
            if k is None or k not in busy:
                x[j] = True
                if k is not None:
                    busy.add(k)
        candidates.append(np.flatnonzero(x).tolist())
    for chosen in candidates:
        if a[chosen].sum() >= b - 1e-9 and c[chosen].sum() < best[1]:
            best = (chosen, float(c[chosen].sum()))
    return best


def _solve(m: _Model, deadline: float) -> tuple[PathStatus, list[int] | None, float | None, float | None]:
    """The integer program, exactly: the LP relaxation first, then every option whose reduced
    cost proves it cannot be in an answer cheaper than the greedy one is fixed (reduced-cost
    fixing, which keeps the optimum), and HiGHS solves what is left."""
    n = len(m.cost)
    scale_b = max(abs(m.need), 1.0)
    scale_c = max(float(np.abs(m.cost).max()), 1.0)
    c, a, b = m.cost / scale_c, m.benefit / scale_b, m.need / scale_b
    order = np.argsort(m.lines, kind="stable")
    groups = [
        g for g in (list(g) for _, g in groupby(order.tolist(), key=lambda j: int(m.lines[j]))) if len(g) > 1
    ]
    gub = csr_array(
        (
            [1.0] * sum(map(len, groups)),
            ([r for r, g in enumerate(groups) for _ in g], [j for g in groups for j in g]),
        ),
        shape=(len(groups), n),
    )
    lp = linprog(
        c,
        A_ub=vstack([csr_array(-a[None, :]), gub]),
        b_ub=np.concatenate([[-b], np.ones(len(groups))]),
        bounds=(0, 1),
        method="highs",
    )
    if lp.status == 2:
        return PathStatus.INFEASIBLE, None, None, None
    taken, upper = _incumbent(m, a, b, c, lp.x if lp.status == 0 else None, groups)
    feasible = taken is not None
    fixed0 = np.zeros(n, dtype=bool)
    fixed1 = np.zeros(n, dtype=bool)
    if feasible and lp.status == 0:
        slack = upper - lp.fun
        tol = 1e-9 * max(1.0, abs(upper))
        fixed0 = lp.lower.marginals > slack + tol
        fixed1 = -lp.upper.marginals > slack + tol
        for g in groups:  # an option fixed in takes its part: the part's other options are out
            if fixed1[g].any():
                fixed0[[j for j in g if not fixed1[j]]] = True
    free = np.flatnonzero(~fixed0 & ~fixed1)
    base_cost = float(c[fixed1].sum())
    chosen = np.flatnonzero(fixed1).tolist()
    if len(free) == 0:
        return PathStatus.OPTIMAL, chosen, 0.0, (base_cost * scale_c)
    rest = b - a[fixed1].sum()
    row_scale = max(abs(rest), float(np.abs(a[free]).max()) * 1e-6, 1e-12)
    cost_scale = max(float(np.abs(c[free]).max()), 1e-12)
    rows = [LinearConstraint(a[free][None, :] / row_scale, lb=rest / row_scale, ub=np.inf)]
    sub = gub[:, free]
    used = np.flatnonzero(sub.sum(axis=1) > 1)
    if len(used):
        rows.append(LinearConstraint(sub[used], lb=-np.inf, ub=1))
    solved = milp(
        c[free] / cost_scale,
        constraints=rows,
        integrality=np.ones(len(free)),
        bounds=Bounds(0, 1),
        options={
            "time_limit": max(deadline - time.perf_counter(), 0.01),
            "mip_rel_gap": MIP_REL_GAP,
            "disp": False,
        },
    )
    if solved.x is None:
        if taken is not None:  # stopped before an answer: the incumbent stands, with the LP bound
            gap = (upper - lp.fun) / max(abs(upper), 1e-12)
            return PathStatus.TIME_LIMIT, taken, gap, lp.fun * scale_c
        return (PathStatus.INFEASIBLE if solved.status == 2 else PathStatus.NO_ANSWER), None, None, None
    chosen += free[solved.x > 0.5].tolist()
    cost = float(c[chosen].sum())
    if solved.status == 0:
        return PathStatus.OPTIMAL, sorted(chosen), 0.0, cost * scale_c
    dual = getattr(solved, "mip_dual_bound", None)
    bound = (
        max(lp.fun, base_cost + float(dual) * cost_scale)
        if dual is not None and np.isfinite(dual)
        else lp.fun
    )
    return PathStatus.TIME_LIMIT, sorted(chosen), (cost - bound) / max(abs(cost), 1e-12), bound * scale_c


def _answer(
    flat: FlatBill,
    options: Sequence[LocalizationOption],
    m: _Model,
    target: float,
    status: PathStatus,
    chosen: list[int] | None,
    gap: float | None,
    bound: float | None,
    started: float,
    with_greedy: bool,
) -> PathResult:
    level_after = None
    cost = None
    picked: list[ChosenOption] = []
    if chosen is not None:
        changed = apply_changes(flat, [options[j].as_change() for j in chosen])
        level_after = localization_level(changed, "uz_cost_share").level
        cost = float(m.cost[chosen].sum())
        picked = [
            ChosenOption(
                part_number=options[j].part_number,
                name=flat.name[m.lines[j]],
                supplier=options[j].supplier,
                unit_price_change=(
                    money(m.d_cost[j] / flat.qty[m.lines[j]]) if flat.qty[m.lines[j]] > 0 else None
                ),
                cost_change_per_vehicle=money(m.d_cost[j]),
                imported_change_per_vehicle=money(m.d_imported[j]),
                annual_cost=money(m.cost[j]),
            )
            for j in chosen
        ]
    greedy_cost = greedy_gap = None
    if with_greedy and len(options):
        taken = _greedy(m)
        if m.benefit[taken].sum() >= m.need - 1e-6:
            greedy_cost = float(m.cost[taken].sum())
            if cost is not None:
                greedy_gap = round((greedy_cost - cost) / max(abs(cost), 1.0), 6)
    return PathResult(
        target=target,
        status=status,
        optimal=status is PathStatus.OPTIMAL,
        gap=gap,
        level_before=round(m.level, 6),
        level_after=level_after,
        annual_cost=None if cost is None else money(cost),
        bound=None if bound is None else money(bound),
        chosen=picked,
        candidates=len(options),
        seconds=round(time.perf_counter() - started, 4),
        greedy_annual_cost=None if greedy_cost is None else money(greedy_cost),
        greedy_gap=greedy_gap,
        illustrative=flat.illustrative or any(o.illustrative for o in options),
    )
