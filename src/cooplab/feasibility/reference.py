"""The reference data feasibility ships (cooplab/data): freight tariffs, route assumptions,
Uzbek customs and VAT, and the places with coordinates; each value with its source or marked
as an assumption."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cooplab.feasibility.choices import Mode, Regime
from cooplab.feasibility.routes import Assumed, LogisticsAssumptions, Place, Tariff

DATA = Path(__file__).resolve().parent.parent / "data"


def _yaml(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class DatedRate:
    """A tax rate in force from a day, with its source."""

    rate: Decimal
    since: date
    source: str


@dataclass(frozen=True)
class DutyRate:
    """An ad-valorem duty rate for an HS heading (or longer code) under a regime; `rate` is
    None where no source gave it."""

    hs: str
    rate: Decimal | None
    regime: Regime = Regime.MFN
    source: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class CustomsRules:
    """How an import country taxes imports: dated VAT, FTA parties and the MFN duty table."""

    country: str
    vat: tuple[DatedRate, ...]
    cis_fta_parties: frozenset[str]
    mfn_duty: tuple[DutyRate, ...]
    regime_sources: dict[str, str]

    def vat_rate(self, day: date) -> DatedRate | None:
        """The VAT rate in force on `day`, or None before the first known one."""
        known = [v for v in self.vat if v.since <= day]
        return max(known, key=lambda v: v.since) if known else None


@cache
def logistics_assumptions() -> LogisticsAssumptions:
    """The shipped circuity factors and speeds (all assumptions)."""
    raw = _yaml("logistics_assumptions.yaml")

    def table(key: str) -> dict[Mode, Assumed]:
        return {
            Mode(mode): Assumed(float(v["value"]), " ".join(str(v.get("note", "")).split()))
            for mode, v in raw[key].items()
        }

    return LogisticsAssumptions(table("circuity"), table("speed_km_per_day"))


@cache
def customs_rules(country: str = "UZ") -> CustomsRules | None:
    """The shipped customs rules of `country` (only Uzbekistan's are shipped)."""
    raw = _yaml("customs_uz.yaml")
    if raw["country"] != country:
        return None
    return CustomsRules(
        country=raw["country"],
        vat=tuple(DatedRate(Decimal(str(v["rate"])), v["from"], v["source"]) for v in raw["vat"]),
        cis_fta_parties=frozenset(raw["cis_fta_parties"]["countries"]),
        mfn_duty=tuple(
            DutyRate(
                str(d["hs"]),
                None if d["rate"] is None else Decimal(str(d["rate"])),
                Regime.MFN,
                d.get("source"),
                d.get("as_of"),
            )
            for d in raw["mfn_duty"]
        ),
        regime_sources={k: v["source"] for k, v in raw["regimes"].items()},
    )


@cache
def shipped_tariffs() -> dict[str, Tariff]:
    """The sourced freight tariffs, by key."""
    out: dict[str, Tariff] = {}
    for row in _yaml("freight_tariffs.yaml"):
        source = row.get("source") or {}
        out[row["key"]] = Tariff.model_validate(
            {
                **{
                    k: row[k]
                    for k in ("key", "mode", "basis", "unit", "amount", "currency", "as_of", "transit_days")
                },
                "capacity": row.get("capacity") or {},
                "source": source.get("url"),
                "note": " ".join(str(row.get("note", "")).split()),
                "from_place": row.get("from"),
                "to_place": row.get("to"),
            }
        )
    return out


@cache
def shipped_places() -> dict[str, Place]:
    """The places of cooplab/data/places.csv that have coordinates, by key."""
    out: dict[str, Place] = {}
    with (DATA / "places.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["latitude"] and row["longitude"]:
                out[row["key"]] = Place(
                    key=row["key"],
                    name=row["name_en"],
                    country=row["country"],
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                )
    return out
