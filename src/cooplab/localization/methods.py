"""The three localization methods, as calculators of the family `localization_method`:

- `uz_cost_share`: Uzbekistan's share of production cost made in the country;
- `cis_origin`: whether non-CIS materials stay within the CIS rules' limit of the ex-works price;
- `ru_719_points`: Russia's Decree 719 points for operations and components made in Russia.

Each takes a `FlatBill` and answers a `LocalizationResult`. `localization_level` is what a
service calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from itertools import compress
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from cooplab.core.calculators import Calculator, Reason, get_calculator, register
from cooplab.localization.flat import UZ, Basis, Content, FlatBill, money
from cooplab.localization.reasons import reason
from cooplab.localization.results import (
    LocalizationResult,
    Missing,
    PartRow,
    PartStatus,
    ThresholdCheck,
    check_thresholds,
    missing,
)
from cooplab.localization.rules import OriginRule, RuleKind, origin_rules, points_table, thresholds
from cooplab.vocab.countries import validate_country

KIND = "localization_method"


class LocalizationMethod(Calculator[Any]):
    """Family of the localization methods: a level of a vehicle's bill, explained."""

    KIND: ClassVar[str] = KIND

    def compute(self, bill: FlatBill) -> LocalizationResult:  # pragma: no cover - declared
        raise NotImplementedError


# ---------------------------------------------------------------- shared part rows


def _sources_by_line(flat: FlatBill) -> list[list[int]]:
    by_line: list[list[int]] = [[] for _ in range(flat.lines)]
    for s, line in enumerate(flat.s_line.tolist()):
        by_line[line].append(s)
    return by_line


def _source_reasons(
    flat: FlatBill,
    content: Content,
    sources: list[int],
    outside_word: str,
    outside_of: Callable[[int], float] | None = None,
) -> list[Reason]:
    out = []
    for s in sources:
        params = {
            "supplier": flat.s_supplier[s],
            "country": str(flat.s_country[s]),
            "volume_share": float(flat.s_share[s]),
            "price": float(flat.s_price[s]),
        }
        basis = Basis(int(content.source_basis[s]))
        outside = outside_of(s) if outside_of else float(content.source_outside[s])
        if basis is Basis.PRODUCED_OUTSIDE:
            out.append(reason("part.produced_outside", outside_word=outside_word, **params))
        elif basis is Basis.INPUTS:
            out.append(reason("part.from_inputs", outside=outside, **params))
            if content.source_capped[s]:
                out.append(reason("part.inputs_exceed_price", supplier=flat.s_supplier[s]))
        elif basis is Basis.IMPORTED_SHARE:
            out.append(
                reason("part.from_imported_share", imported_share=float(flat.s_imported_share[s]), **params)
            )
        else:
            out.append(reason("part.content_unknown", **params))
    return out


def part_rows(
    flat: FlatBill,
    content: Content,
    *,
    outside_word: str,
    line_outside: np.ndarray | None = None,
    extra: Callable[[int, PartRow], None] | None = None,
    source_outside: np.ndarray | None = None,
    lines: slice | None = None,
) -> list[PartRow]:
    """Every BOM line (or the `lines` asked for) with its per-vehicle figures, status and
    reasons."""
    line_out = content.line_outside if line_outside is None else line_outside
    by_line = _sources_by_line(flat)
    has_children = np.zeros(flat.lines, bool)
    has_children[flat.parent[flat.parent >= 0]] = True
    illustrative = flat.line_illustrative()
    price, qty = content.line_price, flat.qty
    rows = []
    for i in range(flat.lines)[lines or slice(None)]:
        number = flat.part_number[i]
        sources = by_line[i]
        counted = bool(flat.counted[i])
        unit_price, out = float(price[i]), float(line_out[i])
        reasons: list[Reason]
        if counted:
            if content.line_unknown[i]:
                status = PartStatus.UNKNOWN
            elif out <= 1e-9:
                status = PartStatus.LOCAL
            elif out >= unit_price - 1e-9:
                status = PartStatus.IMPORTED
            else:
                status = PartStatus.PARTLY_LOCAL
            outside_of = (lambda s: float(source_outside[s])) if source_outside is not None else None
            reasons = _source_reasons(flat, content, sources, outside_word, outside_of)
        elif flat.bought_in[i] >= 0:
            status = PartStatus.NOT_COUNTED
            reasons = [
                reason("part.inside_bought_assembly", assembly=flat.part_number[int(flat.bought_in[i])])
            ]
        elif has_children[i]:
            status = PartStatus.ASSEMBLY
            reasons = [reason("part.made_in_house")]
        else:
            status = PartStatus.UNSOURCED
            reasons = []
        parent = int(flat.parent[i])
        row = PartRow.model_construct(
            part_number=number,
            parent=flat.part_number[parent] if parent >= 0 else None,
            name=flat.name[i],
            hs_code=flat.hs_code[i],
            quantity=float(qty[i]),
            unit_price=money(unit_price),
            cost=money(qty[i] * unit_price if counted else 0.0),
            outside=money(qty[i] * out if counted else 0.0),
            outside_share=round(out / unit_price, 6) if counted and unit_price > 0 else 0.0,
            status=status,
            origin=None,
            points=None,
            illustrative=bool(illustrative[i]),
            reasons=reasons,
        )
        if extra is not None:
            extra(i, row)
        rows.append(row)
    return rows


def _parts_of(flat: FlatBill, sources: np.ndarray) -> list[str]:
    return [flat.part_number[i] for i in np.unique(flat.s_line[sources]).tolist()]


def _base_missing(flat: FlatBill, content: Content, *, origin: bool = False) -> list[Missing]:
    found = []
    unsourced = flat.unsourced()
    if unsourced:
        found.append(missing("no_sourcing", [flat.part_number[i] for i in unsourced]))
    counted = flat.counted[flat.s_line]
    checks = [
        ("content_unknown", content.source_basis == Basis.UNKNOWN),
        ("inputs_exceed_price", content.source_capped),
    ]
    if origin:
        checks.append(("origin_unknown", content.source_basis == Basis.IMPORTED_SHARE))
    for code, mask in checks:
        chosen = counted & mask
        if chosen.any():
            found.append(missing(code, _parts_of(flat, chosen)))
    return found


@lru_cache(maxsize=4096)
def _rule(code: str) -> OriginRule | None:
    return origin_rules().rule_for(code)


# ---------------------------------------------------------------- Uzbekistan: cost share


class UzCostShareConfig(BaseModel):
    """Settings of the Uzbek cost-share method."""

    model_config = ConfigDict(extra="forbid")
    unknown_content: Literal["imported", "local"] = Field(
        "imported",
        description="How a part made in Uzbekistan whose inputs are unknown counts: "
        "wholly imported (the level is a floor) or wholly local (a ceiling).",
    )
    lang: Literal["en", "ru"] = Field("en", description="Language of threshold names.")


@register
class UzCostShare(LocalizationMethod):
    """Uzbekistan's localization level: the share of a vehicle's production cost made there.

    1 - imported content / production cost per vehicle, where production cost is the OEM's own
    cost plus every bought part, and a part made in Uzbekistan brings only its supplier's
    imported inputs, traced through every tier.

    Shown against the local-product certificate (30%) and the programme's 36/45/50%.
    """

    NAME = "uz_cost_share"
    Config = UzCostShareConfig

    def compute(self, bill: FlatBill) -> LocalizationResult:
        content = bill.content(UZ)
        source_out = content.source_outside
        line_out = content.line_outside
        unknown = content.source_basis == Basis.UNKNOWN
        if self.config.unknown_content == "local" and unknown.any():
            source_out = np.where(unknown, 0.0, source_out)
            line_out = np.bincount(bill.s_line, weights=bill.s_share * source_out, minlength=bill.lines)
        q = bill.qty * bill.counted
        parts_cost = float(q @ content.line_price)
        imported = float(q @ line_out)
        production = bill.own_cost + parts_cost
        level = min(max(1.0 - imported / production, 0.0), 1.0) if production > 0 else 0.0
        day = bill.vehicle.price_date
        checks, threshold_reasons = check_thresholds(
            thresholds()["uz_cost_share"], level, day, lang=self.config.lang
        )
        reasons = [
            reason(
                "uz.level",
                production_cost=production,
                own_cost=bill.own_cost,
                parts_cost=parts_cost,
                imported=imported,
                level=level,
            )
        ]
        n_unknown = int((unknown & bill.counted[bill.s_line]).sum())
        if n_unknown:
            code = (
                "uz.unknown_counted_local"
                if self.config.unknown_content == "local"
                else "uz.unknown_counted_imported"
            )
            reasons.append(reason(code, count=n_unknown))
        result = LocalizationResult(
            calculator=self.NAME,
            method=self.NAME,
            level=round(level, 6),
            unit="share",
            illustrative=bill.illustrative,
            as_of=day,
            totals={
                "production_cost": money(production),
                "own_cost": money(bill.own_cost),
                "parts_cost": money(parts_cost),
                "imported": money(imported),
                "local": money(production - imported),
            },
            thresholds=checks,
            reasons=reasons + threshold_reasons,
        )
        result._build_missing = lambda: _base_missing(bill, content)
        result._build_parts = lambda lines=None: part_rows(
            bill,
            content,
            outside_word="imported",
            line_outside=line_out,
            source_outside=source_out,
            lines=lines,
        )
        return result


# ---------------------------------------------------------------- CIS: origin


class CisOriginConfig(BaseModel):
    """Settings of the CIS origin method."""

    model_config = ConfigDict(extra="forbid")
    parties: list[str] | None = Field(
        None,
        description="Countries whose materials count as originating; the CIS free-trade-area "
        "parties of our rules when empty.",
    )
    assumed_limit: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Limit of non-originating materials to apply where the rule "
        "of a code is not known; by default such origin is left undecided.",
    )
    lang: Literal["en", "ru"] = Field("en", description="Language of rule names.")


class CisOriginResult(LocalizationResult):
    """The CIS origin answer: `level` is the originating share of the ex-works price."""

    originating: bool | None = None
    non_originating_share: float | None = None
    limit: float | None = None
    rule: str | None = None
    rule_source: str | None = None


@register
class CisOrigin(LocalizationMethod):
    """CIS free-trade-area origin: non-CIS materials against the ex-works price, per its rule.

    For the vehicle and for each part, under the rule of its commodity code; where the rule of a
    code is not known, origin is left undecided and said so.
    """

    NAME = "cis_origin"
    Config = CisOriginConfig

    def _parties(self) -> frozenset[str]:
        if self.config.parties:
            return frozenset(validate_country(c) for c in self.config.parties)
        return origin_rules().parties

    def _decide(
        self, code: str | None, country: str, share: float, parties: frozenset[str]
    ) -> tuple[bool | None, list[Reason], float | None, Any]:
        if country not in parties:
            return False, [reason("cis.not_a_party", country=country)], None, None
        if not code:
            return None, [reason("cis.no_hs_code")], None, None
        rule = _rule(code)
        if rule is None:
            if self.config.assumed_limit is None:
                return None, [reason("cis.rule_unknown", code=code, share=share)], None, None
            limit = self.config.assumed_limit
            extra = [reason("cis.rule_assumed", code=code, limit=limit)]
        elif rule.kind is RuleKind.AD_VALOREM_SAME_HEADING:
            return None, [reason("cis.same_heading_rule", code=rule.code)], rule.max_non_originating, rule
        else:
            limit, extra = rule.max_non_originating, []
        ok = share <= limit + 1e-12
        shown = rule.code if rule else code
        verdict = reason(
            "cis.originating" if ok else "cis.not_originating",
            code=shown,
            share=share,
            limit=limit,
            country=country,
        )
        return ok, [*extra, verdict], limit, rule

    def compute(self, bill: FlatBill) -> LocalizationResult:
        parties = self._parties()
        content = bill.content(parties)
        q = bill.qty * bill.counted
        non_orig = float(q @ content.line_outside)
        v = bill.vehicle
        reasons: list[Reason] = []
        level = share = limit = None
        originating: bool | None = None
        rule = None
        if bill.exw_price is None:
            reasons.append(reason("cis.no_exw_price"))
        else:
            share = non_orig / bill.exw_price
            level = min(max(1.0 - share, 0.0), 1.0)
            reasons.append(
                reason(
                    "cis.level", non_originating=non_orig, exw_price=bill.exw_price, share=share, level=level
                )
            )
            originating, verdict, limit, rule = self._decide(v.hs_code, v.production_country, share, parties)
            reasons.extend(verdict)

        def found() -> list[Missing]:
            out = _base_missing(bill, content, origin=True)
            if bill.exw_price is None:
                out.append(missing("no_exw_price"))
            codes = set(compress(bill.hs_code, bill.counted.tolist()))
            unknown_codes = sorted(c for c in codes if c and _rule(c) is None)
            if v.production_country in parties and _rule(v.hs_code) is None:
                unknown_codes = [v.hs_code, *[c for c in unknown_codes if c != v.hs_code]]
            if unknown_codes:
                out.append(
                    missing("cis_rule_unknown", codes=", ".join(unknown_codes), code_list=unknown_codes)
                )
            if None in codes:
                out.append(
                    missing(
                        "no_hs_code",
                        [
                            p
                            for p, c, k in zip(
                                bill.part_number, bill.hs_code, bill.counted.tolist(), strict=True
                            )
                            if k and not c
                        ],
                    )
                )
            return out

        checks = []
        if limit is not None and level is not None:
            name = (rule.names.get(self.config.lang) if rule else None) or "assumed limit"
            reached = share is not None and share <= limit + 1e-12
            checks.append(
                ThresholdCheck(
                    key="cis_ad_valorem",
                    name=name,
                    threshold=round(1 - limit, 6),
                    valid_from=None,
                    valid_to=None,
                    in_force=True,
                    reached=reached,
                    gap=0.0 if reached else round((share or 0) - limit, 6),
                    source=rule.source if rule else "assumed",
                )
            )
        result = CisOriginResult(
            calculator=self.NAME,
            method=self.NAME,
            level=None if level is None else round(level, 6),
            unit="share",
            illustrative=bill.illustrative,
            as_of=v.price_date,
            totals={
                "non_originating": money(non_orig),
                **({"exw_price": money(bill.exw_price)} if bill.exw_price else {}),
            },
            thresholds=checks,
            reasons=reasons,
            originating=originating,
            non_originating_share=None if share is None else round(share, 6),
            limit=limit,
            rule=rule.code if rule else None,
            rule_source=rule.source if rule else None,
        )
        result._build_missing = found

        def extra(i: int, row: PartRow) -> None:
            if not bill.counted[i]:
                return
            price = float(content.line_price[i])
            part_share = float(content.line_outside[i]) / price if price > 0 else 0.0
            countries = {str(bill.s_country[s]) for s in np.flatnonzero(bill.s_line == i)}
            outside = sorted(countries - parties)
            country = outside[0] if outside else min(countries)
            row.origin, more, _, _ = self._decide(bill.hs_code[i], country, part_share, parties)
            row.reasons = row.reasons + more

        result._build_parts = lambda lines=None: part_rows(
            bill, content, outside_word="non-originating", extra=extra, lines=lines
        )
        return result


# ---------------------------------------------------------------- Russia: Decree 719 points


class Ru719Config(BaseModel):
    """Settings of the Decree 719 method."""

    model_config = ConfigDict(extra="forbid")
    as_of: date | None = Field(
        None, description="Day the points and thresholds are taken on; the vehicle's price date when empty."
    )
    subject: str | None = Field(
        None, description="A part number to score as a component made in Russia instead of the vehicle."
    )
    lang: Literal["en", "ru"] = Field("en", description="Language of item and threshold names.")


class Ru719Result(LocalizationResult):
    """The Decree 719 answer: `level` is points."""

    applicable: bool
    subject: str


@register
class Ru719Points(LocalizationMethod):
    """Russia's Decree 719 points for the operations done and components made in Russia.

    From a table of items with their points, capped where the decree caps them; a vehicle or
    component made elsewhere earns none. Shown against the procurement (3,200 / 3,500) and
    demand-support (1,600 / 2,000) thresholds in force on the day.
    """

    NAME = "ru_719_points"
    Config = Ru719Config

    def _score(
        self, operations: tuple[str, ...], day: date, found: list[Missing], reasons: list[Reason] | None
    ) -> int:
        table = points_table()
        lang = self.config.lang
        earned: dict[str, int] = {}
        for op in operations:
            item = table.items.get(op)
            if item is None:
                found.append(missing("unknown_operation", operation=op))
                continue
            name = item.names.get(lang) or item.names["en"]
            if item.points is None:
                found.append(missing("points_unknown", operation=name, operation_code=op))
                if reasons is not None:
                    reasons.append(reason("ru719.points_unknown", operation=name, operation_code=op))
            elif not item.in_force(day):
                if reasons is not None:
                    reasons.append(
                        reason(
                            "ru719.points_expired",
                            operation=name,
                            operation_code=op,
                            valid_to=item.valid_to,
                            day=day,
                        )
                    )
            else:
                earned[op] = item.points
                if reasons is not None:
                    reasons.append(
                        reason("ru719.operation", operation=name, operation_code=op, points=item.points)
                    )
        total = sum(earned.values())
        for cap in table.caps:
            within = sum(p for op, p in earned.items() if op in cap.items)
            if within > cap.max_points:
                total -= within - cap.max_points
                if reasons is not None:
                    reasons.append(
                        reason(
                            "ru719.capped",
                            cap=cap.names.get(lang) or cap.names["en"],
                            cap_key=cap.key,
                            total=within,
                            max_points=cap.max_points,
                        )
                    )
        return total

    def compute(self, bill: FlatBill) -> LocalizationResult:
        v = bill.vehicle
        day = self.config.as_of or v.price_date
        found: list[Missing] = []
        reasons: list[Reason] = []
        not_ru = np.bincount(
            bill.s_line, weights=(bill.s_country != "RU").astype(float), minlength=bill.lines
        )
        has_source = np.bincount(bill.s_line, minlength=bill.lines) > 0
        russian_lines = has_source & (not_ru == 0)
        russian_source = russian_lines[bill.s_line]
        scored = set(np.unique(bill.s_line[russian_source & bill.scored_sources()]).tolist())
        ru_sources: dict[int, list[int]] = {}
        if scored:
            for s in np.flatnonzero(russian_source & np.isin(bill.s_line, list(scored))).tolist():
                ru_sources.setdefault(int(bill.s_line[s]), []).append(s)

        def ops_of(i: int) -> tuple[str, ...]:
            if i not in scored:
                return ()
            return tuple(dict.fromkeys(op for s in ru_sources.get(i, ()) for op in bill.s_operations[s]))

        component_points: dict[int, int] = {}
        checks: list[ThresholdCheck] = []
        if self.config.subject is not None:
            i = bill.index.get(self.config.subject)
            if i is None:
                raise KeyError(self.config.subject)
            subject = self.config.subject
            countries = {str(c) for c in bill.s_country[bill.s_line == i]}
            country = ", ".join(sorted(countries)) or "?"
            applicable = bool(russian_lines[i])
            points = self._score(ops_of(i), day, found, reasons) if applicable else 0
            reasons.append(reason("ru719.no_component_thresholds"))
        else:
            subject, country = v.name, v.production_country
            applicable = country == "RU"
            points = self._score(v.operations, day, found, reasons) if applicable else 0
            for i in sorted(scored):
                if bill.counted[i]:
                    component_points[i] = self._score(ops_of(i), day, found if applicable else [], None)
            if applicable:
                points += sum(component_points.values())
                unscored = np.flatnonzero(russian_lines & bill.counted).tolist()
                unscored = [bill.part_number[i] for i in unscored if i not in scored]
                if unscored:
                    found.append(missing("component_points_unknown", unscored))
            checks, more = check_thresholds(
                thresholds()["ru_719_points"], float(points), day, lang=self.config.lang, points=True
            )
            reasons.extend(more)
        if not applicable:
            reasons.insert(0, reason("ru719.not_made_in_russia", subject=subject, country=country))
        reasons.insert(0, reason("ru719.level", points=points, day=day))
        result = Ru719Result(
            calculator=self.NAME,
            method=self.NAME,
            level=float(points),
            unit="points",
            illustrative=bill.illustrative,
            as_of=day,
            thresholds=checks,
            reasons=reasons,
            applicable=applicable,
            subject=subject,
        )
        result._missing = found

        def extra(i: int, row: PartRow) -> None:
            if not bill.counted[i]:
                return
            if russian_lines[i]:
                supplier = ", ".join(bill.s_supplier[s] for s in np.flatnonzero(bill.s_line == i).tolist())
                row.points = component_points.get(i, 0)
                row.reasons = (
                    [reason("ru719.component_points", supplier=supplier, points=row.points)]
                    if ops_of(i)
                    else [reason("ru719.component_unscored", supplier=supplier)]
                )
            else:
                row.points = 0
                countries = sorted({str(c) for c in bill.s_country[bill.s_line == i]})
                row.reasons = [reason("ru719.not_russian", country=", ".join(countries))]

        result._build_parts = lambda lines=None: part_rows(
            bill, bill.content(UZ), outside_word="imported", extra=extra, lines=lines
        )
        return result


def localization_level(
    bill: FlatBill, method: str, config: BaseModel | Mapping[str, Any] | None = None
) -> LocalizationResult:
    """The level of a flattened bill under a method by name (`uz_cost_share`, `cis_origin`,
    `ru_719_points`), with its settings."""
    calculator: LocalizationMethod = get_calculator(KIND, method, config)
    return calculator.compute(bill)


METHODS = ("uz_cost_share", "cis_origin", "ru_719_points")


def all_levels(bill: FlatBill, configs: Mapping[str, Any] | None = None) -> dict[str, LocalizationResult]:
    """The level under every method, by method name."""
    configs = configs or {}
    return {m: localization_level(bill, m, configs.get(m)) for m in METHODS}
