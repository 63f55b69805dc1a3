"""Contributions by system: each top-level assembly of the bill (body, chassis, interior, ...)
with the cost and the imported content per vehicle of the parts under it, under the Uzbek cost
share. A few numpy sums over the flat bill, whatever its size."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from pydantic import BaseModel

from cooplab.localization.flat import UZ, FlatBill, money


class SystemRow(BaseModel):
    """One system (a top-level line of the bill) per vehicle."""

    part_number: str
    name: str
    parts: int
    cost: Decimal
    imported: Decimal
    local_share: float | None
    share_of_imported: float


def systems(flat: FlatBill) -> list[SystemRow]:
    """Every top-level line of the bill with the cost and imported content (UZS per vehicle) of
    the counted parts under it, largest imported content first."""
    n = flat.lines
    if n == 0:
        return []
    root = np.arange(n)
    parent = flat.parent
    for _ in range(int(flat.depth.max()) if len(flat.depth) else 0):
        up = parent[root]
        root = np.where(up >= 0, up, root)
    content = flat.content(UZ)
    q = flat.qty * flat.counted
    cost = np.bincount(root, weights=q * content.line_price, minlength=n)
    imported = np.bincount(root, weights=q * content.line_outside, minlength=n)
    counted = np.bincount(root, weights=flat.counted.astype(float), minlength=n)
    total = float(imported.sum())
    tops = np.flatnonzero(parent < 0)
    rows = [
        SystemRow(
            part_number=flat.part_number[i],
            name=flat.name[i],
            parts=int(counted[i]),
            cost=money(cost[i]),
            imported=money(imported[i]),
            local_share=round(1 - imported[i] / cost[i], 6) if cost[i] > 0 else None,
            share_of_imported=round(imported[i] / total, 6) if total else 0.0,
        )
        for i in tops.tolist()
    ]
    return sorted(rows, key=lambda r: -r.imported)
