"""The reference data of the localization methods, read from `data/`: thresholds, CIS origin
rules and parties, Decree 719 points. Every entry keeps its source and as-of date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cooplab.vocab.hs import normalize_hs_code

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Threshold:
    """A level a programme or rule asks for, when it applies, and where it is written."""

    key: str
    names: dict[str, str]
    level: float
    valid_from: date | None
    valid_to: date | None
    source: str
    as_of: date

    def in_force(self, day: date) -> bool:
        """Whether the threshold applies on `day` (an open bound applies)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class RuleKind(StrEnum):
    """Kinds of CIS product-specific rules the method can apply."""

    AD_VALOREM = "ad_valorem"  # non-originating materials at most a share of the EXW price
    AD_VALOREM_SAME_HEADING = "ad_valorem_same_heading"  # same, counting materials of the same heading


@dataclass(frozen=True)
class OriginRule:
    """The CIS rule of one commodity code (heading or subheading)."""

    code: str
    kind: RuleKind
    max_non_originating: float
    names: dict[str, str]
    source: str
    as_of: date


@dataclass(frozen=True)
class OriginRules:
    """The CIS parties and the rules by code; `rule_for` picks the most specific one."""

    agreement: str
    source: str
    parties: frozenset[str]
    party_notes: dict[str, str]
    rules: dict[str, OriginRule]

    def rule_for(self, hs_code: str | None) -> OriginRule | None:
        """The rule of a code's subheading, else of its heading; None when we do not know it."""
        if not hs_code:
            return None
        code = normalize_hs_code(hs_code)
        for n in (6, 4):
            if len(code) >= n and code[:n] in self.rules:
                return self.rules[code[:n]]
        return None


class PointsKind(StrEnum):
    """What a Decree 719 item scores."""

    OPERATION = "operation"  # done at the vehicle plant
    COMPONENT_OPERATION = "component_operation"  # done by a component's maker


@dataclass(frozen=True)
class PointsItem:
    """One scored operation with its points (None when not known) and validity."""

    code: str
    kind: PointsKind
    points: int | None
    names: dict[str, str]
    valid_from: date | None
    valid_to: date | None
    source: str
    as_of: date

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class PointsCap:
    """A ceiling on the points of several items together."""

    key: str
    items: tuple[str, ...]
    max_points: int
    names: dict[str, str]
    source: str


@dataclass(frozen=True)
class PointsTable:
    """Decree 719 items and caps."""

    decree: str
    source: str
    items: dict[str, PointsItem]
    caps: tuple[PointsCap, ...]


def _read(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _names(row: dict[str, Any]) -> dict[str, str]:
    return {"en": row["en"], "ru": row["ru"]}


@lru_cache(maxsize=1)
def thresholds() -> dict[str, tuple[Threshold, ...]]:
    """Thresholds by method name."""
    return {
        method: tuple(
            Threshold(
                key=r["key"],
                names=_names(r),
                level=float(r["level"]),
                valid_from=r["valid_from"],
                valid_to=r["valid_to"],
                source=r["source"],
                as_of=r["as_of"],
            )
            for r in rows
        )
        for method, rows in _read("localization_thresholds.yaml").items()
    }


@lru_cache(maxsize=1)
def origin_rules() -> OriginRules:
    """The CIS parties and product-specific rules."""
    data = _read("cis_origin_rules.yaml")
    rules = {}
    for r in data["rules"]:
        code = normalize_hs_code(str(r["code"]))
        rules[code] = OriginRule(
            code=code,
            kind=RuleKind(r["kind"]),
            max_non_originating=float(r["max_non_originating"]),
            names=_names(r),
            source=r["source"],
            as_of=r["as_of"],
        )
    return OriginRules(
        agreement=data["agreement"],
        source=data["source"],
        parties=frozenset(p["country"] for p in data["parties"]),
        party_notes={p["country"]: p["note"] for p in data["parties"] if p.get("note")},
        rules=rules,
    )


@lru_cache(maxsize=1)
def points_table() -> PointsTable:
    """Decree 719 items and caps."""
    data = _read("ru_719_points.yaml")
    items = {
        r["code"]: PointsItem(
            code=r["code"],
            kind=PointsKind(r["kind"]),
            points=r["points"],
            names=_names(r),
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            source=r["source"],
            as_of=r["as_of"],
        )
        for r in data["items"]
    }
    caps = tuple(
        PointsCap(
            key=c["key"],
            items=tuple(c["items"]),
            max_points=int(c["max_points"]),
            names=_names(c),
            source=c["source"],
        )
        for c in data["caps"]
    )
    return PointsTable(decree=data["decree"], source=data["source"], items=items, caps=caps)
