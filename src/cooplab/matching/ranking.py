"""Rankings in both directions: the best suppliers for a need, the best needs for a supplier.

The caller passes only what the reader may see: a mask of the capability rows (or the needs)
visibility allows. Filters (country, tier, a certification held) narrow further. A ranking
that finds nothing says why, in the same form as a reason, without counting what the reader
may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from cooplab.core.calculators import Reason
from cooplab.matching.features import MatchContext
from cooplab.matching.features.hs_code import HsCodeFeature
from cooplab.matching.index import CandidateIndex, Candidates, SharedGathers
from cooplab.matching.profiles import Capability, Need, certification_key, certification_name
from cooplab.matching.scoring import Match, Scorer
from cooplab.matching.table import CapabilityTable, PreparedNeed, prepare_need, segments
from cooplab.matching.text import text_profile
from cooplab.vocab.countries import validate_country


class EmptyReason(StrEnum):
    """Why a ranking has no match."""

    NO_PRODUCT = "no_product"  # no visible supplier shows evidence of making this product
    FILTERED = "filtered"  # some do, but none passes the filters
    BELOW_MINIMUM = "below_minimum"  # some do, but none scores the minimum asked


class RankFilters(BaseModel):
    """What the reader narrows a ranking to (on top of what visibility allows)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    countries: frozenset[str] = frozenset()
    tiers: frozenset[int] = frozenset()
    certifications: tuple[str, ...] = Field((), description="held and valid on the need's date")
    min_score: float = Field(0.0, ge=0, le=1)

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, value: Iterable[str]) -> frozenset[str]:
        return frozenset(validate_country(c) for c in value or ())

    @field_validator("certifications", mode="before")
    @classmethod
    def _certifications(cls, value: Iterable[str]) -> tuple[str, ...]:
        return tuple(certification_name(c) for c in value or ())

    def describe(self) -> str:
        parts = []
        if self.countries:
            parts.append("country " + "/".join(sorted(self.countries)))
        if self.tiers:
            parts.append("tier " + "/".join(str(t) for t in sorted(self.tiers)))
        if self.certifications:
            parts.append(" and ".join(self.certifications))
        return ", ".join(parts) or "none"


class Ranking(BaseModel):
    """A ranking's answer: matches best first, or none and the reason."""

    matches: list[Match]
    empty: Reason | None = None
    scored: int = Field(0, description="pairs scored (visible candidates only)")


def _empty(code: EmptyReason, text: str, **params: object) -> Reason:
    return Reason(code=f"ranking_{code.value}", params=params, text=text.format(**params))


def allowed_rows(table: CapabilityTable, capability_ids: Collection[int]) -> np.ndarray:
    """The mask of rows whose capability the reader may see: built once per reader and
    visibility state, then reused for every ranking (O(rows) once, O(candidates) per query)."""
    ids = np.fromiter((int(i) for i in capability_ids), dtype=np.int64, count=len(capability_ids))
    return np.isin(table.ids, ids)


def filter_mask(table: CapabilityTable, filters: RankFilters, day: date) -> np.ndarray | None:
    """The mask of rows that pass the filters (None when there are none)."""
    mask = None
    if filters.countries:
        codes = [i for i, c in enumerate(table.country_codes) if c in filters.countries]
        mask = np.isin(table.countries, codes)
    if filters.tiers:
        tiers = np.isin(table.tiers, list(filters.tiers))
        mask = tiers if mask is None else mask & tiers
    for name in filters.certifications:
        key = table.cert_vocabulary.get(certification_key(name))
        rows = np.arange(len(table))
        positions, firsts, counts = segments(table.cert_ptr, rows)
        good = (
            (table.cert_keys[positions] == (-1 if key is None else key))
            & (table.cert_expiry[positions] >= day.toordinal())
        ).astype(np.float64)
        held = np.zeros(len(table), dtype=bool)
        has = counts > 0
        if has.any():
            held[has] = np.add.reduceat(good, firsts[has]) > 0
        mask = held if mask is None else mask & held
    return mask


def rank_suppliers(
    need: Need,
    table: CapabilityTable,
    *,
    on: date,
    scorer: Scorer | None = None,
    index: CandidateIndex | None = None,
    allowed: np.ndarray | None = None,
    filters: RankFilters | Mapping[str, Any] | None = None,
    top: int = 10,
    landed_costs: dict[int, float] | None = None,
    budget: int = 1000,
    gather_cap: int = 20_000,
    explain: bool = True,
    load: Callable[[Sequence[int]], list[Capability]] | None = None,
) -> Ranking:
    """The best suppliers for a need, one line per supplier (its best capability), explained.
    Without `index` every visible row is scored (the brute-force baseline); `allowed` is the
    mask of visible rows (None: all). `explain=False` answers scores and ids only, without
    loading the records (for batch runs over many needs). `load` gives the records of the top
    by capability id, as the reader may see them (default: the table's `load`)."""
    scorer = scorer or Scorer()
    filters = filters if isinstance(filters, RankFilters) else RankFilters.model_validate(filters or {})
    prepared = prepare_need(need, table, on)
    context = MatchContext(on=on, landed_costs=landed_costs or {})
    passing = filter_mask(table, filters, prepared_day(need, on))
    keep = allowed if passing is None else (passing if allowed is None else allowed & passing)
    if index is None:
        rows = np.flatnonzero(keep) if keep is not None else np.arange(len(table))
    else:
        rows = _narrow(scorer, index, prepared, keep, context, budget, gather_cap)
    if not explain:
        return _scores_only(scorer, prepared, table, rows, context, filters, top)
    combined, product = scorer.score_rows(prepared, table, rows, context)
    eligible = product if scorer.config.require_product else np.ones(len(rows), dtype=bool)
    above = eligible & (combined >= filters.min_score)
    order = rows[above][np.argsort(-combined[above], kind="stable")]
    picked = _best_per_supplier(table, order, top)
    matches = []
    for row, capability in zip(
        picked, (load or table.load)([int(table.ids[r]) for r in picked]), strict=True
    ):
        cost = (landed_costs or {}).get(int(table.ids[row]))
        matches.append(
            scorer.match(
                need,
                capability,
                on=on,
                capability_text=table.text_profile(row),
                landed_cost=None if cost is None else Decimal(str(cost)),
            )
        )
    matches.sort(key=lambda m: -m.score)
    if matches:
        return Ranking(matches=matches, scored=len(rows))
    if not eligible.any():
        if keep is not None and passing is not None:
            unfiltered = rank_suppliers(
                need,
                table,
                on=on,
                scorer=scorer,
                index=index,
                allowed=allowed,
                top=1,
                budget=budget,
                explain=False,
            )
            if unfiltered.matches:
                return Ranking(
                    matches=[],
                    scored=len(rows),
                    empty=_empty(
                        EmptyReason.FILTERED,
                        "suppliers make this, but none passes the filters ({filters})",
                        filters=filters.describe(),
                    ),
                )
        return Ranking(
            matches=[],
            scored=len(rows),
            empty=_empty(
                EmptyReason.NO_PRODUCT,
                "no supplier shows that it makes {product}",
                product=_product_words(need),
            ),
        )
    return Ranking(
        matches=[],
        scored=len(rows),
        empty=_empty(
            EmptyReason.BELOW_MINIMUM, "no supplier scores {minimum} or more", minimum=filters.min_score
        ),
    )


def _best_per_supplier(table: CapabilityTable, order: np.ndarray, top: int) -> list[int]:
    """The first `top` rows of `order` (best first) of distinct suppliers."""
    picked: list[int] = []
    seen: set[int] = set()
    for row in order.tolist():
        supplier = int(table.supplier_ids[row])
        key = supplier if supplier >= 0 else -1 - row
        if key in seen:
            continue
        seen.add(key)
        picked.append(row)
        if len(picked) == top:
            break
    return picked


def _scores_only(
    scorer: Scorer,
    prepared: PreparedNeed,
    table: CapabilityTable,
    rows: np.ndarray,
    context: MatchContext,
    filters: RankFilters,
    top: int,
) -> Ranking:
    """The top rows of `rows` scored exactly, as matches with ids and scores only."""
    need = prepared.need
    combined, product = scorer.score_rows(prepared, table, rows, context)
    eligible = product if scorer.config.require_product else np.ones(len(rows), dtype=bool)
    above = eligible & (combined >= filters.min_score)
    ranked = np.argsort(-combined[above], kind="stable")
    order, scores = rows[above][ranked], combined[above][ranked]
    picked = _best_per_supplier(table, order, top)
    score_of = dict(zip(order.tolist(), scores.tolist(), strict=True)) if picked else {}
    matches = [
        Match.model_construct(
            need_ref=need.ref,
            need_id=need.id,
            capability_id=int(table.ids[r]),
            supplier_id=int(table.supplier_ids[r]) if table.supplier_ids[r] >= 0 else None,
            supplier=None,
            supplier_country=None,
            supplier_tier=None,
            illustrative=False,
            score=round(score_of[r], 6),
            product=True,
            features=[],
            reasons=[],
        )
        for r in picked
    ]
    return Ranking.model_construct(matches=matches, empty=None, scored=len(rows))


def rank_many(
    needs: Sequence[Need],
    table: CapabilityTable,
    *,
    on: date,
    index: CandidateIndex,
    scorer: Scorer | None = None,
    allowed: np.ndarray | None = None,
    filters: RankFilters | Mapping[str, Any] | None = None,
    top: int = 10,
    budget: int = 1000,
    gather_cap: int = 20_000,
) -> list[Ranking]:
    """The best suppliers of every need, scores and ids only (as `rank_suppliers` with
    `explain=False` answers each): needs are taken in the order of the lists that seed their
    candidates, and what needs of the same product gather is gathered once."""
    scorer = scorer or Scorer()
    filters = filters if isinstance(filters, RankFilters) else RankFilters.model_validate(filters or {})
    keeps: dict[date, np.ndarray | None] = {}

    def keep_of(need: Need) -> np.ndarray | None:
        day = prepared_day(need, on) if filters.certifications else on  # the one filter read on a day
        if day not in keeps:
            passing = filter_mask(table, filters, day)
            keeps[day] = allowed if passing is None else (passing if allowed is None else allowed & passing)
        return keeps[day]

    prepared = [prepare_need(need, table, on) for need in needs]
    sizes: dict[tuple[int, int, int], int] = {}
    plans = [index.plan(p, keep=keep_of(p.need), sizes=sizes) for p in prepared]
    order = sorted(range(len(needs)), key=lambda i: (plans[i].seeds, prepared_day(needs[i], on)))
    context = MatchContext(on=on, landed_costs={})
    shared = SharedGathers()
    out: list[Ranking | None] = [None] * len(needs)
    for i in order:
        keep = keep_of(needs[i])
        found = index.gather(plans[i], keep=keep, shared=shared)
        rows = _narrow(scorer, index, prepared[i], keep, context, budget, gather_cap, found=found)
        out[i] = _scores_only(scorer, prepared[i], table, rows, context, filters, top)
    return [r for r in out if r is not None]


def _narrow(
    scorer: Scorer,
    index: CandidateIndex,
    prepared: PreparedNeed,
    keep: np.ndarray | None,
    context: MatchContext,
    budget: int,
    gather_cap: int,
    found: Candidates | None = None,
) -> np.ndarray:
    """The candidates worth exact scoring. The index gathers the rows of the need's product;
    past `gather_cap` of them (a common product in a large base), the nearest and most alike
    by what the lists know (HS digits, the concept-and-stem part of the text) and by distance
    are kept; those are scored approximately with every cheap feature, and the best `budget`
    with evidence of the product go on to exact scoring."""
    if found is None:
        found = index.candidates(prepared, keep=keep)
    if len(found) <= budget:
        return found.rows
    table = index.table
    memo = found.memo if found.memo is not None else {}  # shared by needs of the same rows
    known: dict[str, np.ndarray] = {}
    if prepared.hs is not None:
        hs_feature = scorer.features["hs_code"]
        assert isinstance(hs_feature, HsCodeFeature)
        key = ("hs_code", id(found.hs_digits), prepared.hs, prepared.hs_length)
        if key not in memo:  # needs of one code share the scores of the rows they gathered
            memo[key] = hs_feature.from_lists(prepared, table, found.rows, found.hs_digits)
        known["hs_code"] = memo[key]
    if not prepared.text.empty:
        known["text"] = np.minimum(1.0, found.text_dot / scorer.features["text"].config.full_at)
    rows, hs_digits = found.rows, found.hs_digits
    if len(rows) > gather_cap:
        first = sum(scorer.weights[name] * values for name, values in known.items())
        place = ("distance", prepared.delivery)
        if place not in memo:
            memo[place] = scorer.features["distance"].scores(prepared, table, rows, context)  # type: ignore[assignment]
        distance = memo[place]
        if distance is not None:
            first = first + scorer.weights["distance"] * distance
        keep_rows = np.argpartition(-first, gather_cap - 1)[:gather_cap]
        rows, hs_digits = rows[keep_rows], hs_digits[keep_rows]
        known = {name: values[keep_rows] for name, values in known.items()}
    estimate, product = scorer.score_rows(prepared, table, rows, context, known=known, hs_digits=hs_digits)
    if scorer.config.require_product and product.any():
        rows, estimate = rows[product], estimate[product]
    if len(rows) > budget:
        rows = rows[np.argpartition(-estimate, budget - 1)[:budget]]
    return np.sort(rows)


def prepared_day(need: Need, on: date) -> date:
    return need.deadline or on


def _product_words(need: Need) -> str:
    parts = []
    if need.hs_label:
        parts.append(f"HS {need.hs_label}")
    if need.part:
        parts.append(need.part)
    elif need.description.values():
        parts.append(need.description.values()[0][:80])
    return " / ".join(parts)


class NeedIndex:
    """Needs by the keys that can prove a product: HS subheading and text concepts (stems
    when a text has no concept), to find the needs a supplier's capabilities may serve."""

    def __init__(self, needs: Sequence[Need], product_hs_digits: int = 6) -> None:
        self.needs = list(needs)
        self.digits = product_hs_digits
        self.by_key: dict[str, list[int]] = {}
        for i, need in enumerate(self.needs):
            keys = _text_keys(need.texts)
            if need.hs_code:
                keys.add("hs:" + need.hs_code[: self.digits])
            for key in keys:
                self.by_key.setdefault(key, []).append(i)

    def candidates(self, capabilities: Sequence[Capability]) -> list[int]:
        """Positions of the needs sharing a key with any of the capabilities."""
        found: set[int] = set()
        for cap in capabilities:
            keys = _text_keys(cap.texts)
            for code in cap.hs_codes:
                keys.update("hs:" + code[:n] for n in (2, 4, 6, 8, 10) if n <= min(len(code), self.digits))
            for key in keys:
                found.update(self.by_key.get(key, ()))
        return sorted(found)


def _text_keys(texts: Sequence[str]) -> set[str]:
    features = text_profile(*texts).features
    concepts = {f for f in features if f.startswith("c:")}
    return concepts or {f for f in features if f.startswith("s:")}


def rank_needs(
    capabilities: Sequence[Capability],
    needs: NeedIndex | Sequence[Need],
    *,
    on: date,
    scorer: Scorer | None = None,
    allowed: Collection[int] | None = None,
    top: int = 10,
) -> Ranking:
    """The needs a supplier's capabilities serve best, one line per need (its best capability),
    explained; `allowed` holds the ids of the needs the reader may see (None: all given)."""
    scorer = scorer or Scorer()
    index = needs if isinstance(needs, NeedIndex) else NeedIndex(needs)
    table = CapabilityTable.of(capabilities)
    rows = np.arange(len(table))
    context = MatchContext(on=on)
    best: list[tuple[float, int, int]] = []  # score, need position, capability row
    scored = 0
    for i in index.candidates(capabilities):
        need = index.needs[i]
        if allowed is not None and need.id not in allowed:
            continue
        scored += len(rows)
        combined, product = scorer.score_rows(prepare_need(need, table, on), table, rows, context)
        if scorer.config.require_product:
            combined = np.where(product, combined, -1.0)
        row = int(np.argmax(combined))
        if combined[row] >= 0:
            best.append((float(combined[row]), i, row))
    best.sort(key=lambda item: (-item[0], item[1]))
    matches = [scorer.match(index.needs[i], capabilities[row], on=on) for _, i, row in best[:top]]
    matches.sort(key=lambda m: -m.score)
    if matches:
        return Ranking(matches=matches, scored=scored)
    return Ranking(
        matches=[],
        scored=scored,
        empty=_empty(
            EmptyReason.NO_PRODUCT,
            "no visible need asks for what {supplier} makes",
            supplier=capabilities[0].supplier if capabilities else "the supplier",
        ),
    )
