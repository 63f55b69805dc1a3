"""The localization level of a stored vehicle, its scenarios and its opportunities: the bill is
read from the database as the actor may see it (cooplab.catalog.service), flattened once and
given to the calculators. Sourcing the actor may not see is not counted, and the answer's
`missing` names the parts left without a source.

Saved scenarios are confidential records (cooplab.localization.models): private to their owner
organization, so a competitor neither lists, reads, compares nor learns the name of one. Every
write goes through the ORM, so the audit trail records it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE
from cooplab.catalog.models import Stamp
from cooplab.catalog.service import bill_columns, visible_vehicle
from cooplab.core.actor import Actor, Permission
from cooplab.core.confidential import reader_key, visible_clause
from cooplab.core.records import apply_changes as apply_record_changes
from cooplab.core.records import flush
from cooplab.core.revision import PerKey
from cooplab.core.schemas import ListPublic
from cooplab.errors import ConflictError, InvalidInputError, NotFoundError, invalid_input
from cooplab.localization.capabilities import registry_capabilities
from cooplab.localization.filters import Method
from cooplab.localization.flat import FlatBill, flatten_bill
from cooplab.localization.methods import localization_level
from cooplab.localization.models import SavedScenario
from cooplab.localization.opportunities import assumed_options, cheapest_path, rank_opportunities
from cooplab.localization.reasons import threshold_name, translate
from cooplab.localization.results import LocalizationResult
from cooplab.localization.rules import origin_rules, thresholds
from cooplab.localization.scenarios import (
    Scenario,
    ScenarioResult,
    apply_changes,
    compare_scenarios,
    evaluate_scenario,
    waterfall,
)
from cooplab.localization.schemas import (
    Opportunities,
    SavedScenarioPublic,
    SavedScenarioResult,
    ScenarioComparison,
    ScenarioCreate,
    ScenarioUpdate,
)
from cooplab.localization.systems import SystemRow, systems
from cooplab.registry.schemas import OrganizationRef

#: Bills kept flat until the catalog changes, per vehicle and kind of reader (16 bills of 10,000
#: lines take about 40 MB).
_KEPT: PerKey[FlatBill] = PerKey(Stamp.BILLS, size=16)
#: The most scenarios compared at once.
COMPARE_LIMIT = 10


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


# ---------------------------------------------------------------- saved scenarios


def _public(record: SavedScenario, shared_name: bool = False) -> SavedScenarioPublic:
    return SavedScenarioPublic(
        id=record.id,
        vehicle_code=record.vehicle_code,
        name=record.name,
        description=record.description,
        changes=Scenario.model_validate({"name": record.name, "changes": record.changes}).changes,
        illustrative=record.illustrative,
        owner=OrganizationRef.model_validate(record.owner_organization)
        if record.owner_organization
        else None,
        visibility=record.visibility,
        created_by_id=record.created_by_id,
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=record.version,
        shared_name=shared_name,
    )


def _visible_scenarios(session: Session, actor: Actor, code: str) -> Any:
    return (
        select(SavedScenario)
        .where(SavedScenario.vehicle_code == code, visible_clause(SavedScenario, actor))
        .order_by(SavedScenario.name, SavedScenario.id)
    )


def _find(session: Session, actor: Actor, code: str, name: str, owner: int | None) -> SavedScenario:
    """The scenario of this name that the actor may see (else 404, as for one that does not
    exist). Names are unique per owner organization: when the actor sees several, its own
    organization's is meant, or the one `owner` names."""
    visible_vehicle(session=session, actor=actor, code=code)
    stmt = _visible_scenarios(session, actor, code).where(SavedScenario.name == name)
    if owner is not None:
        stmt = stmt.where(SavedScenario.owner_organization_id == owner)
    found = list(session.scalars(stmt))
    if len(found) > 1:
        found = [r for r in found if r.owner_organization_id == actor.organization_id] or found
    if not found:
        raise NotFoundError.record("scenario", name)
    if len(found) > 1:
        owners = sorted({r.owner_organization_id or 0 for r in found})
        raise ConflictError(
            f"{len(found)} scenarios of {code} are named {name!r}; say whose with owner "
            f"(an organization id: {', '.join(map(str, owners))})",
            reason="scenario_ambiguous",
            name=name,
            owners=", ".join(map(str, owners)),
        )
    return found[0]


def _check_changes(flat: FlatBill, scenario: Scenario) -> None:
    """Refuse changes the vehicle's bill cannot take (an unknown part, input, operation or rate),
    each named by its place in the list: nothing is saved then."""
    apply_changes(flat, scenario.changes)


def _check_name_free(
    session: Session, code: str, owner: int | None, name: str, record_id: int | None = None
) -> None:
    stmt = select(SavedScenario.id).where(
        SavedScenario.vehicle_code == code,
        SavedScenario.name == name,
        SavedScenario.owner_organization_id.is_(None)
        if owner is None
        else SavedScenario.owner_organization_id == owner,
    )
    if record_id is not None:
        stmt = stmt.where(SavedScenario.id != record_id)
    if session.scalar(stmt) is not None:
        raise ConflictError(
            f"a scenario named {name!r} is already saved for {code}",
            details=[
                {
                    "loc": ["name"],
                    "msg": f"a scenario named {name!r} is already saved for {code}",
                    "code": "scenario_name_taken",
                    "params": {"name": name, "code": code},
                }
            ],
            reason="scenario_name_taken",
            name=name,
        )


def _require_editor(actor: Actor, record: SavedScenario) -> None:
    """Its creator, the members of its owner organization, analysts and admins change it."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    if actor.user_id is not None and record.created_by_id == actor.user_id:
        return
    if record.owner_organization_id is None:
        actor.require(Permission.EDIT_REGISTRY)
    else:
        actor.require_edit_organization(record.owner_organization_id)


def list_scenarios(*, session: Session, actor: Actor, code: str) -> ListPublic[SavedScenarioPublic]:
    """The scenarios of the vehicle the actor may see, by name."""
    visible_vehicle(session=session, actor=actor, code=code)
    rows = list(session.scalars(_visible_scenarios(session, actor, code)))
    names = Counter(r.name for r in rows)
    return ListPublic[SavedScenarioPublic](
        data=[_public(r, names[r.name] > 1) for r in rows], count=len(rows)
    )


def create_scenario(
    *, session: Session, actor: Actor, code: str, data: ScenarioCreate
) -> SavedScenarioPublic:
    """Save a scenario for the vehicle, owned by the actor's organization (the vehicle's OEM's
    when the actor has none); its changes must fit the vehicle's bill as the actor sees it."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    vehicle = visible_vehicle(session=session, actor=actor, code=code)
    _check_changes(flat_bill(session=session, actor=actor, code=code), data.scenario())
    owner = actor.organization_id if actor.organization_id is not None else vehicle.oem_organization_id
    _check_name_free(session, code, owner, data.name)
    record = SavedScenario(
        vehicle_code=code,
        name=data.name,
        description=data.description,
        changes=[c.model_dump(mode="json") for c in data.changes],
        illustrative=data.illustrative,
        owner_organization_id=owner,
        created_by_id=actor.user_id,
        visibility=SavedScenario.DEFAULT_VISIBILITY.value,
    )
    session.add(record)
    flush(session)
    return _public(record)


def get_scenario(
    *, session: Session, actor: Actor, code: str, name: str, owner: int | None = None
) -> SavedScenarioPublic:
    """A saved scenario of the vehicle, as stored."""
    actor.require(Permission.READ)
    return _public(_find(session, actor, code, name, owner))


def update_scenario(
    *, session: Session, actor: Actor, code: str, name: str, data: ScenarioUpdate, owner: int | None = None
) -> SavedScenarioPublic:
    """Rename a saved scenario or change its description or changes, on the version it was read
    at (a StaleVersionError when someone saved in between)."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    record = _find(session, actor, code, name, owner)
    _require_editor(actor, record)
    if data.name is not None and data.name != record.name:
        _check_name_free(session, code, record.owner_organization_id, data.name, record.id)
    if data.changes is not None:
        _check_changes(
            flat_bill(session=session, actor=actor, code=code),
            Scenario(name=data.name or record.name, changes=list(data.changes)),
        )
    cannot_empty = {f for f in ("name", "illustrative") if getattr(data, f) is None}
    apply_record_changes(record, data, exclude={"changes", *cannot_empty})
    if data.changes is not None:
        record.changes = [c.model_dump(mode="json") for c in data.changes]
    flush(session)
    return _public(record)


def delete_scenario(
    *, session: Session, actor: Actor, code: str, name: str, owner: int | None = None
) -> None:
    """Delete a saved scenario."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    record = _find(session, actor, code, name, owner)
    _require_editor(actor, record)
    session.delete(record)
    flush(session)


def _stored_scenario(record: SavedScenario) -> Scenario:
    try:
        return Scenario.model_validate(
            {"name": record.name, "description": record.description, "changes": record.changes}
        )
    except ValidationError as exc:
        raise invalid_input(exc) from None


def _evaluated(flat: FlatBill, record: SavedScenario, result: ScenarioResult) -> SavedScenarioResult:
    if record.illustrative and not result.illustrative:
        result = result.model_copy(update={"illustrative": True})
    return SavedScenarioResult(
        scenario=_public(record),
        result=result,
        waterfall=waterfall(flat, _stored_scenario(record).changes),
    )


def evaluate_saved(
    *, session: Session, actor: Actor, code: str, name: str, owner: int | None = None
) -> SavedScenarioResult:
    """A saved scenario on the vehicle's current bill as the actor may see it: each method's
    level before and after, the cost per vehicle and per year, the thresholds crossed, and the
    Uzbek cost share change by change (a waterfall whose steps add up to the total)."""
    actor.require(Permission.READ)
    record = _find(session, actor, code, name, owner)
    flat = flat_bill(session=session, actor=actor, code=code)
    return _evaluated(flat, record, evaluate_scenario(flat, _stored_scenario(record)))


def compare_saved(
    *, session: Session, actor: Actor, code: str, names: Sequence[str], owner: int | None = None
) -> ScenarioComparison:
    """Saved scenarios side by side, each against the same current bill (read once)."""
    actor.require(Permission.READ)
    wanted = list(dict.fromkeys(n for n in names if n))
    if not wanted or len(wanted) > COMPARE_LIMIT:
        raise InvalidInputError(
            f"name one to {COMPARE_LIMIT} scenarios to compare",
            details=[
                {
                    "loc": ["query", "name"],
                    "msg": f"name one to {COMPARE_LIMIT} scenarios to compare",
                    "code": "compare_count",
                    "params": {"max": COMPARE_LIMIT},
                }
            ],
        )
    records = [_find(session, actor, code, n, owner) for n in wanted]
    flat = flat_bill(session=session, actor=actor, code=code)
    compared = compare_scenarios(flat, [_stored_scenario(r) for r in records])
    results = [_evaluated(flat, r, res) for r, res in zip(records, compared.scenarios, strict=True)]
    return ScenarioComparison(
        code=code,
        illustrative=flat.illustrative or any(r.result.illustrative for r in results),
        baseline=compared.baseline,
        scenarios=results,
    )


def crossed_threshold_name(method: str, label: str, lang: str) -> str:
    """A threshold crossed (`key@level`, as scenario results give it) by its name in `lang`."""
    key, _, level = label.partition("@")
    for t in thresholds().get(method, ()):
        if t.key == key and f"{t.level:g}" == level:
            return t.names.get(lang, t.names["en"])
    return label


# ---------------------------------------------------------------- demo

DEMO_SCENARIOS: tuple[dict[str, Any], ...] = (
    {
        "name": "Seat covers and foam made in Uzbekistan",
        "description": "Uz-Tong Hong buys its cover fabric and foam from Uzbek makers at the same "
        "cost (illustrative).",
        "changes": [
            {
                "kind": "localize_input",
                "supplier": "Uz-Tong Hong Co",
                "input": "Cover fabric",
                "origin_country": "UZ",
            },
            {
                "kind": "localize_input",
                "supplier": "Uz-Tong Hong Co",
                "input": "Polyurethane foam",
                "origin_country": "UZ",
            },
        ],
    },
    {
        "name": "A Russian supplier takes over the seat mechanisms",
        "description": "Uz-Tong Hong buys its recliner and slide mechanisms in Russia instead of Korea: "
        "still imported for Uzbekistan, originating under the CIS rules (illustrative).",
        "changes": [
            {
                "kind": "localize_input",
                "supplier": "Uz-Tong Hong Co",
                "input": "Recliner and slide mechanism",
                "origin_country": "RU",
                "input_supplier": "Russian parts supplier (illustrative)",
            }
        ],
    },
    {
        "name": "Front suspension from O'zAuto-Austem",
        "description": "The front struts and knuckles move from a Korean importer to O'zAuto-Austem "
        "in Uzbekistan at 10% more, 40% of it imported (illustrative).",
        "changes": [
            {
                "kind": "move_part",
                "part_number": part,
                "supplier": "O'zAuto-Austem",
                "production_country": "UZ",
                "unit_price": price,
                "currency": "USD",
                "imported_share": "0.4",
            }
            for part, price in (
                ("STRUT-LH", "37.4"),
                ("STRUT-RH", "37.4"),
                ("KNK-LH", "31.9"),
                ("KNK-RH", "31.9"),
            )
        ],
    },
)


def load_demo(*, session: Session, actor: Actor) -> list[str]:
    """`cooplab demo`: a few illustrative scenarios saved for the demo vehicle (owned by its OEM),
    unless it has some already or is not loaded."""
    try:
        visible_vehicle(session=session, actor=actor, code=DEMO_CODE)
    except NotFoundError:
        return []
    if session.scalar(select(SavedScenario.id).where(SavedScenario.vehicle_code == DEMO_CODE)) is not None:
        return [f"scenarios of {DEMO_CODE} already present (illustrative)"]
    for data in DEMO_SCENARIOS:
        create_scenario(
            session=session,
            actor=actor,
            code=DEMO_CODE,
            data=ScenarioCreate.model_validate({**data, "illustrative": True}),
        )
    return [f"saved {len(DEMO_SCENARIOS)} illustrative scenarios for {DEMO_CODE}"]
