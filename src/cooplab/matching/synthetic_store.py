"""The synthetic supplier base (`cooplab.matching.synthetic`) written into a database, for the
scale benchmark and tests: its suppliers and buyers as registry organizations, its capability
rows and needs as stored ones, every record illustrative, in bulk (Core inserts, executemany).

Visibility follows the row number, so that a member reads less than an administrator: of every
ten capabilities one is its organization's only and one is published anonymously; the rest
and every need are seen by members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from cooplab.matching.models import Capability, Need
from cooplab.matching.synthetic import SupplierBase
from cooplab.registry.models import Organization
from cooplab.vocab.choices import Visibility

BATCH = 5_000


@dataclass
class StoredBase:
    """Where the base went: organization ids of its suppliers and buyers, need ids by number."""

    supplier_ids: list[int]
    buyer_ids: dict[tuple[str, int | None], int]
    need_ids: list[int]


def capability_visibility(row: int) -> tuple[Visibility, bool]:
    """The visibility and anonymity of capability row `row`."""
    if row % 10 == 3:
        return Visibility.ORGANIZATION, False
    return Visibility.MEMBERS, row % 10 == 7


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _inserted(session: Session, model: Any, rows: Iterator[dict[str, Any]]) -> list[int]:
    """Insert rows in batches; their ids, in the order given."""
    ids: list[int] = []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    for batch in _batches(rows):
        ids.extend(session.scalars(statement, batch))
    return ids


def write_base(
    session: Session, base: SupplierBase, *, progress: Callable[[str], None] | None = None
) -> StoredBase:
    """Write the base (suppliers, capability rows, needs) into the session's database; the
    caller commits."""
    supplier_ids = _inserted(
        session,
        Organization,
        (_supplier(base, s) for s in range(base.suppliers)),
    )
    if progress:
        progress(f"{len(supplier_ids):,} suppliers")
    needs = base.needs_list()
    buyers = sorted({(n.buyer, n.buyer_tier) for n in needs}, key=lambda b: (b[0], b[1] or 0))
    buyer_ids = dict(
        zip(
            buyers,
            _inserted(
                session,
                Organization,
                iter(
                    [
                        {
                            "name": name if tier is None else f"{name} components",
                            "kind": "oem" if tier is None else "supplier",
                            "tier": tier,
                            "country": "UZ",
                            "illustrative": True,
                        }
                        for name, tier in buyers
                    ]
                ),
            ),
            strict=True,
        )
    )
    written = 0
    table: Table = Capability.__table__  # type: ignore[assignment]  # Core: no ORM work per row
    for batch in _batches(_capability(base, row, supplier_ids) for row in range(base.capabilities)):
        session.execute(insert(table), batch)
        written += len(batch)
        if progress and written % 100_000 < BATCH:
            progress(f"{written:,} capability rows")
    need_ids = _inserted(session, Need, (_need(n, buyer_ids) for n in needs))
    if progress:
        progress(f"{len(need_ids):,} needs")
    return StoredBase(supplier_ids=supplier_ids, buyer_ids=buyer_ids, need_ids=need_ids)


def _supplier(base: SupplierBase, supplier: int) -> dict[str, Any]:
    cap = base.capability(supplier * base.capabilities // base.suppliers)  # its first row
    return {
        "name": cap.supplier,
        "kind": "supplier",
        "tier": cap.supplier_tier,
        "country": cap.supplier_country,
        "illustrative": True,
    }


def _capability(base: SupplierBase, row: int, supplier_ids: list[int]) -> dict[str, Any]:
    cap = base.capability(row)
    org = supplier_ids[base.supplier_of(row)]
    visibility, anonymous = capability_visibility(row)
    texts = cap.description
    return {
        "supplier_organization_id": org,
        "owner_organization_id": org,
        "hs_codes": list(cap.hs_codes),
        "processes": [p.value for p in cap.processes],
        "materials": list(cap.materials),
        "annual_capacity": cap.annual_capacity,
        "certifications": [c.model_dump(mode="json") for c in cap.certifications],
        "sites": [s.model_dump(mode="json") for s in cap.sites],
        "description_ru": texts.ru,
        "description_uz": texts.uz,
        "description_en": texts.en,
        "visibility": visibility.value,
        "anonymous": anonymous,
        "illustrative": True,
        "version": 1,
    }


def _need(need: Any, buyer_ids: dict[tuple[str, int | None], int]) -> dict[str, Any]:
    buyer = buyer_ids[(need.buyer, need.buyer_tier)]
    place = need.delivery_place
    return {
        "ref": need.ref,
        "buyer_organization_id": buyer,
        "owner_organization_id": buyer,
        "hs_code": need.hs_code,
        "part": need.part,
        "description_ru": need.description.ru,
        "description_uz": need.description.uz,
        "description_en": need.description.en,
        "annual_volume": need.annual_volume,
        "target_price": need.target_price,
        "currency": need.currency,
        "processes": [p.value for p in need.processes],
        "certifications": list(need.certifications),
        "delivery_place": place.name if place else None,
        "delivery_latitude": place.latitude if place else None,
        "delivery_longitude": place.longitude if place else None,
        "deadline": need.deadline,
        "visibility": Visibility.MEMBERS.value,
        "anonymous": False,
        "illustrative": True,
        "version": 1,
    }
