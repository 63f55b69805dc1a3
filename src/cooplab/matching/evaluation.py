"""Offline evaluation of rankings against labelled needs: precision@k, MRR, the set's make-up.

The labelled set shipped in `cooplab/data/matching/evaluation/` is the import workbook's
sheets (`capabilities.csv`, `needs.csv`) plus `labels.csv` (need ref, supplier, relevant) and
`suppliers.csv` (the suppliers that are not in the registry's demo data: real ones with their
source, made-up ones marked illustrative). It is read through the same parser as any import,
with a directory of names built from the registry's demo data and that file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from cooplab.matching.profiles import Capability, Location, Need
from cooplab.matching.scoring import Scorer
from cooplab.matching.table import CapabilityTable
from cooplab.matching.text import detect_language
from cooplab.matching.workbook import MatchingWorkbook, OrganizationRef, read_matching_workbook
from cooplab.vocab.names import name_key

EVALUATION_FILES = ("capabilities.csv", "needs.csv")
#: The day the shipped set is evaluated on (certificates are checked against it).
EVALUATION_DAY = date(2026, 11, 1)


@dataclass
class Directory:
    """Organizations and places by the keys of all their names: the resolvers an import needs."""

    organizations: dict[str, list[OrganizationRef]] = field(default_factory=dict)
    by_id: dict[int, OrganizationRef] = field(default_factory=dict)
    places: dict[str, list[Location]] = field(default_factory=dict)
    illustrative: set[int] = field(default_factory=set)

    def add_organization(self, ref: OrganizationRef, names: Iterable[str]) -> None:
        self.by_id[ref.id] = ref
        for name in names:
            entries = self.organizations.setdefault(name_key(name), [])
            if all(e.id != ref.id for e in entries):
                entries.append(ref)

    def resolve_organization(self, text: str) -> list[OrganizationRef]:
        """By registry id (digits) or by any name, in any script."""
        if text.strip().isdigit():
            found = self.by_id.get(int(text))
            return [found] if found else []
        return list(self.organizations.get(name_key(text), []))

    def resolve_place(self, text: str) -> list[Location]:
        return list(self.places.get(name_key(text), []))


def demo_directory(extra_suppliers: str | None = None) -> Directory:
    """The registry's demo organizations and places (`cooplab/data`), plus the suppliers of a
    `suppliers.csv` (the evaluation set's, by default)."""
    data = resources.files("cooplab.data")
    directory = Directory()
    organizations = yaml.safe_load(data.joinpath("organizations.yaml").read_text("utf-8"))
    for number, org in enumerate(organizations, start=1):
        names = [n["value"] for n in org.get("names", [])]
        ref = OrganizationRef(id=number, name=names[0], tier=org.get("tier"), country=org.get("country"))
        directory.add_organization(ref, [*names, org["key"]])
    text = (
        extra_suppliers
        if extra_suppliers is not None
        else data.joinpath("matching/evaluation/suppliers.csv").read_text("utf-8")
    )
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=1001):
        names = [row["name"], *[n for n in row.get("other_names", "").split("|") if n], row["key"]]
        ref = OrganizationRef(
            id=number,
            name=row["name"],
            tier=int(row["tier"]) if row.get("tier") else None,
            country=row.get("country") or None,
        )
        directory.add_organization(ref, names)
        if row.get("illustrative", "").lower() in {"yes", "true", "1"}:
            directory.illustrative.add(number)
    for row in csv.DictReader(io.StringIO(data.joinpath("places.csv").read_text("utf-8"))):
        if not row["latitude"] or not row["longitude"]:
            continue
        place = Location(
            name=row["name_en"], latitude=float(row["latitude"]), longitude=float(row["longitude"])
        )
        names = [
            row["name_en"],
            row["name_ru"],
            row["name_uz"],
            row["key"],
            *[n for n in row["other_names"].split("|") if n],
        ]
        for name in {name_key(n) for n in names if n}:
            directory.places.setdefault(name, []).append(place)
    return directory


@dataclass
class LabelledSet:
    """Needs, capabilities (ids numbered in file order) and the relevant suppliers of each need."""

    workbook: MatchingWorkbook
    relevant: dict[str, set[int]]
    directory: Directory


def load_labelled_set(folder: Path | None = None, *, on: date = EVALUATION_DAY) -> LabelledSet:
    """A labelled set from a folder of `capabilities.csv`, `needs.csv`, `labels.csv` (and
    `suppliers.csv`, if the suppliers are not all in the registry): the shipped one by default."""
    base = resources.files("cooplab.data").joinpath("matching/evaluation") if folder is None else folder
    suppliers = base.joinpath("suppliers.csv")
    directory = demo_directory(suppliers.read_text("utf-8") if suppliers.is_file() else "")
    files = {
        name: base.joinpath(name).read_bytes() for name in EVALUATION_FILES if base.joinpath(name).is_file()
    }
    workbook = read_matching_workbook(
        files,
        resolve_organization=directory.resolve_organization,
        resolve_place=directory.resolve_place,
        on=on,
    )
    workbook = MatchingWorkbook(
        capabilities=[c.model_copy(update={"id": i}) for i, c in enumerate(workbook.capabilities, start=1)],
        needs=[n.model_copy(update={"id": i}) for i, n in enumerate(workbook.needs, start=1)],
    )
    relevant: dict[str, set[int]] = {}
    for row in csv.DictReader(io.StringIO(base.joinpath("labels.csv").read_text("utf-8"))):
        found = directory.resolve_organization(row["supplier"])
        if len(found) != 1:
            raise ValueError(f"labels.csv: supplier {row['supplier']!r} matches {len(found)} organizations")
        if row.get("relevant", "yes").lower() in {"yes", "true", "1"}:
            relevant.setdefault(row["need_ref"], set()).add(found[0].id)
    return LabelledSet(workbook, relevant, directory)


def precision_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    """Share of the first k ranked suppliers that are relevant (k in the denominator)."""
    return sum(1 for s in ranked[:k] if s in relevant) / k


def capped_precision_at(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    """Relevant among the first k, over min(k, number relevant): 1 when every slot that could
    hold a relevant supplier does (a need with two right suppliers cannot fill five slots)."""
    if not relevant:
        return 0.0
    return sum(1 for s in ranked[:k] if s in relevant) / min(k, len(relevant))


def reciprocal_rank(ranked: Sequence[int], relevant: set[int]) -> float:
    """1 / the rank of the first relevant supplier (0 when none is ranked)."""
    return next((1.0 / i for i, s in enumerate(ranked, start=1) if s in relevant), 0.0)


@dataclass
class NeedOutcome:
    """How one need was ranked."""

    ref: str
    language: str
    ranked: list[int]
    relevant: set[int]
    precision: float
    capped_precision: float
    reciprocal_rank: float
    cross_script: bool


@dataclass
class EvaluationReport:
    """Figures over the needs of a labelled set, and what the set is made of."""

    k: int
    outcomes: list[NeedOutcome]
    composition: dict[str, object]

    @property
    def precision(self) -> float:
        return _mean(o.precision for o in self.outcomes)

    @property
    def capped_precision(self) -> float:
        return _mean(o.capped_precision for o in self.outcomes)

    @property
    def mrr(self) -> float:
        return _mean(o.reciprocal_rank for o in self.outcomes)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def rank_labelled(
    needs: Sequence[Need], capabilities: Sequence[Capability], *, scorer: Scorer, on: date, top: int = 10
) -> dict[str, list[int]]:
    """Each need's ranked supplier ids, by brute force over all capabilities (small sets)."""
    from cooplab.matching.ranking import rank_suppliers

    table = CapabilityTable.of(capabilities)
    out = {}
    for need in needs:
        ranking = rank_suppliers(need, table, on=on, scorer=scorer, top=top)
        out[need.key] = [m.supplier_id for m in ranking.matches if m.supplier_id is not None]
    return out


def evaluate(
    labelled: LabelledSet,
    *,
    scorer: Scorer | None = None,
    k: int = 5,
    refs: Iterable[str] | None = None,
    on: date = EVALUATION_DAY,
) -> EvaluationReport:
    """Rank every labelled need (or those of `refs`) and measure the rankings."""
    scorer = scorer or Scorer()
    wanted = set(refs) if refs is not None else None
    needs = [
        n
        for n in labelled.workbook.needs
        if n.key in labelled.relevant and (wanted is None or n.key in wanted)
    ]
    ranked = rank_labelled(needs, labelled.workbook.capabilities, scorer=scorer, on=on)
    languages = _languages_by_supplier(labelled.workbook.capabilities)
    outcomes = []
    for need in needs:
        relevant = labelled.relevant[need.key]
        language = detect_language(" ".join(need.description.values() or [need.part or ""])).value
        cross = any(language not in languages.get(s, {language}) for s in relevant)
        got = ranked[need.key]
        outcomes.append(
            NeedOutcome(
                need.key,
                language,
                got,
                relevant,
                precision_at(got, relevant, k),
                capped_precision_at(got, relevant, k),
                reciprocal_rank(got, relevant),
                cross,
            )
        )
    return EvaluationReport(k, outcomes, composition(labelled, needs))


def _languages_by_supplier(capabilities: Sequence[Capability]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for cap in capabilities:
        if cap.supplier_id is None:
            continue
        out.setdefault(cap.supplier_id, set()).update(
            lang for lang in ("ru", "uz", "en") if getattr(cap.description, lang)
        )
    return out


def composition(labelled: LabelledSet, needs: Sequence[Need]) -> dict[str, object]:
    """What the set holds: needs by language, buyers, suppliers real and illustrative."""
    caps = labelled.workbook.capabilities
    suppliers = {c.supplier_id for c in caps}
    illustrative = {c.supplier_id for c in caps if c.illustrative}
    return {
        "needs": len(needs),
        "needs_by_language": dict(
            Counter(detect_language(" ".join(n.description.values() or [n.part or ""])).value for n in needs)
        ),
        "needs_by_buyer_tier": dict(
            Counter("OEM" if n.buyer_tier is None else f"Tier {n.buyer_tier}" for n in needs)
        ),
        "capabilities": len(caps),
        "capabilities_by_language": dict(
            Counter(lang for c in caps for lang in ("ru", "uz", "en") if getattr(c.description, lang))
        ),
        "suppliers": len(suppliers),
        "suppliers_real": len(suppliers - illustrative),
        "suppliers_illustrative": len(illustrative),
        "relevant_pairs": sum(len(labelled.relevant[n.key]) for n in needs),
    }


def relevant_names(labelled: LabelledSet) -> Mapping[int, str]:
    """Supplier names by id, for printing."""
    return {ref.id: ref.name for ref in labelled.directory.by_id.values()}
