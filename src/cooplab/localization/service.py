"""The localization level of a stored vehicle, its scenarios and its opportunities: the bill is
read from the database as the actor may see it (cooplab.catalog.service), flattened once and
given to the calculators. Sourcing the actor may not see is not counted, and the answer's
`missing` names the parts left without a source."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.catalog.models import Stamp
from cooplab.catalog.service import bill_columns
from cooplab.core.actor import Actor, Permission
from cooplab.core.confidential import reader_key
from cooplab.core.revision import PerKey
from cooplab.localization.capabilities import registry_capabilities
from cooplab.localization.filters import Method
from cooplab.localization.flat import FlatBill, flatten_bill
from cooplab.localization.methods import localization_level
from cooplab.localization.opportunities import assumed_options, cheapest_path, rank_opportunities
from cooplab.localization.reasons import threshold_name, translate
from cooplab.localization.results import LocalizationResult
from cooplab.localization.rules import origin_rules
from cooplab.localization.scenarios import Scenario, ScenarioResult, evaluate_scenario
from cooplab.localization.schemas import Opportunities
from cooplab.localization.systems import SystemRow, systems

#: Bills kept flat until the catalog changes, per vehicle and kind of reader (16 bills of 10,000
#: lines take about 40 MB).
_KEPT: PerKey[FlatBill] = PerKey(Stamp.BILLS, size=16)


def flat_bill(*, session: Session, actor: Actor, code: str) -> FlatBill:
    """The stored vehicle's bill as the actor may see it, flattened for the methods; kept until
    a write to the catalog moves its stamp (methods and scenarios never change a flat bill)."""
    actor.require(Permission.READ)
    return _KEPT.get(
        session,
        (code, reader_key(actor)),
        lambda: flatten_bill(bill_columns(session=session, actor=actor, code=code)),
    )


def level(*, session: Session, actor: Actor, code: str, method: Method) -> LocalizationResult:
    """The vehicle's localization level under one method, explained part by part."""
    return localization_level(flat_bill(session=session, actor=actor, code=code), method.value)


def level_with_systems(
    *, session: Session, actor: Actor, code: str, method: Method
) -> tuple[LocalizationResult, list[SystemRow], int]:
    """The level under one method, the contributions of the bill's systems (top-level
    assemblies) to the Uzbek cost share and the number of BOM lines, from one reading of the
    bill."""
    flat = flat_bill(session=session, actor=actor, code=code)
    return localization_level(flat, method.value), systems(flat), flat.lines


def level_answer(
    result: LocalizationResult, lang: str | None = None, *, parts: slice | None = None
) -> dict[str, Any]:
    """A level as JSON (`method`, `level`, `parts`, `missing`, ...), its reasons and missing
    entries worded in `lang` (None: English); `parts` keeps only those rows of the part table
    (a page of a big bill), the others neither dumped nor worded."""
    if parts is None:
        data = result.model_dump(mode="json")
    else:
        data = result.model_dump(mode="json", exclude={"parts"})
        rows = result.parts_between(parts.start or 0, parts.stop)
        data["parts"] = [row.model_dump(mode="json") for row in rows]
    if lang is None or lang == "en":
        return data
    for n, r in enumerate(result.reasons):
        data["reasons"][n]["text"] = translate(f"reason.{r.code}", r.params, lang)
    for check in data.get("thresholds", []):
        check["name"] = threshold_name(check["key"], lang) or _rule_name(result, lang) or check["name"]
    for n, m in enumerate(result.missing):
        data["missing"][n]["text"] = translate(f"missing.{m.code}", m.params, lang)
    for n, row in enumerate(result.parts if parts is None else rows):
        for k, r in enumerate(row.reasons):
            data["parts"][n]["reasons"][k]["text"] = translate(f"reason.{r.code}", r.params, lang)
    return data


def _rule_name(result: LocalizationResult, lang: str) -> str | None:
    """The name of the CIS rule a result's ad-valorem threshold is, in `lang`."""
    code = getattr(result, "rule", None)
    rule = origin_rules().rules.get(code) if code else None
    return (rule.names.get(lang) or rule.names["en"]) if rule else None


def scenario(*, session: Session, actor: Actor, code: str, data: Scenario) -> ScenarioResult:
    """A scenario's effect on the stored vehicle: each method's level before and after, the cost
    change per vehicle and per year, the thresholds crossed."""
    return evaluate_scenario(flat_bill(session=session, actor=actor, code=code), data)


def opportunities(
    *, session: Session, actor: Actor, code: str, target: float = 0.45, limit: int = 20
) -> Opportunities:
    """The parts with the most imported value a year, and the cheapest set of them to localize
    to reach `target` under the Uzbek cost share. Without quotes, each part's option is assumed
    (made in Uzbekistan at 110% of its price, 40% of it imported) and the answer says so. The
    signals come from what the registry's Uzbek and Russian organizations are seen to make in
    the sourcing and supplier inputs the actor may see (cooplab.localization.capabilities)."""
    flat = flat_bill(session=session, actor=actor, code=code)
    ranked = rank_opportunities(flat, registry_capabilities(session, actor), limit=limit)
    path = cheapest_path(flat, assumed_options(flat), target=target)
    return Opportunities(
        code=code,
        target=target,
        illustrative=flat.illustrative,
        assumed_options=True,
        opportunities=ranked,
        path=path,
    )
