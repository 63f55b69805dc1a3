"""The commodity-code tree a car is made of (HS / TN VED), read from `data/hs_codes.yaml`.

Answers whether a code is known, its name in a language, its parents and children. A national
line (8 or 10 digits) is known when its six-digit subheading is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cooplab.vocab.hs import format_hs_code, hs_parents, normalize_hs_code
from cooplab.vocab.processes import Process

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class CommodityCode:
    """One code of the tree with its short names and the processes goods of it typically need."""

    code: str
    names: dict[str, str]
    processes: tuple[Process, ...] = ()

    @property
    def level(self) -> str:
        """chapter, heading or subheading."""
        return {2: "chapter", 4: "heading", 6: "subheading"}[len(self.code)]


@dataclass
class CommodityCatalog:
    """The codes of one nomenclature edition, with its source and as-of date."""

    nomenclature: str
    edition: str
    source: str
    as_of: date
    codes: dict[str, CommodityCode] = field(default_factory=dict)

    def find(self, value: str) -> CommodityCode | None:
        """The entry of a code as typed ("8708.29"), or of the subheading of a national line;
        None when unknown (a malformed code is a ValueError)."""
        code = normalize_hs_code(value)
        if code in self.codes:
            return self.codes[code]
        if len(code) > 6:
            return self.codes.get(code[:6])
        return None

    def is_known(self, value: str) -> bool:
        """Whether the code (or, for a national line, its subheading) is in the tree."""
        try:
            return self.find(value) is not None
        except ValueError:
            return False

    def name(self, value: str, lang: str = "en") -> str | None:
        """The short name of a code in `lang` (falling back to English), or None when unknown."""
        entry = self.find(value)
        if entry is None:
            return None
        return entry.names.get(lang) or entry.names.get("en")

    def parents(self, value: str) -> list[CommodityCode]:
        """The known ancestors of a code, nearest first (subheading -> heading -> chapter)."""
        code = normalize_hs_code(value)
        return [self.codes[p] for p in hs_parents(code) if p in self.codes]

    def children(self, value: str) -> list[CommodityCode]:
        """The codes one level below a chapter or heading, in code order."""
        code = normalize_hs_code(value)
        below = len(code) + 2
        return [c for k, c in sorted(self.codes.items()) if len(k) == below and k.startswith(code)]

    def chapters(self) -> list[CommodityCode]:
        """The chapters, in code order: the roots of the tree."""
        return [c for k, c in sorted(self.codes.items()) if len(k) == 2]

    def processes(self, value: str) -> tuple[Process, ...]:
        """The typical processes of a code, taken from the nearest entry that lists any."""
        entry = self.find(value)
        chain = ([entry] if entry else []) + self.parents(value)
        for item in chain:
            if item.processes:
                return item.processes
        return ()

    def tree(self, lang: str = "en") -> list[dict[str, Any]]:
        """The whole tree as nested {code, shown, name, children} for pages and JSON."""

        def node(entry: CommodityCode) -> dict[str, Any]:
            return {
                "code": entry.code,
                "shown": format_hs_code(entry.code),
                "name": entry.names.get(lang) or entry.names["en"],
                "children": [node(c) for c in self.children(entry.code)],
            }

        return [node(c) for c in self.chapters()]


def parse_commodity_catalog(data: dict[str, Any]) -> CommodityCatalog:
    """A catalog from the YAML's mapping; every code must hang under a known parent."""
    catalog = CommodityCatalog(
        nomenclature=data["nomenclature"],
        edition=str(data["edition"]),
        source=data["source"],
        as_of=data["as_of"],
    )
    for row in data["codes"]:
        code = normalize_hs_code(str(row["code"]))
        if code in catalog.codes:
            raise ValueError(f"hs_codes: {code} is listed twice")
        if len(code) > 6:
            raise ValueError(f"hs_codes: {code}: the tree stops at six digits")
        if len(code) > 2 and code[: len(code) - 2] not in catalog.codes:
            raise ValueError(f"hs_codes: {code} is listed before (or without) its parent")
        catalog.codes[code] = CommodityCode(
            code=code,
            names={"en": row["en"], "ru": row["ru"]},
            processes=tuple(Process(p) for p in row.get("processes") or ()),
        )
    return catalog


@lru_cache(maxsize=1)
def commodity_catalog() -> CommodityCatalog:
    """The shipped commodity-code tree (read once)."""
    text = (DATA / "hs_codes.yaml").read_text(encoding="utf-8")
    return parse_commodity_catalog(yaml.safe_load(text))
