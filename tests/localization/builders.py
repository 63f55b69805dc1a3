"""Small bills for hand-computed examples: a vehicle, lines, sources and inputs in a few words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cooplab.catalog.schemas import BomLine, Source, SupplierInput, Vehicle, VehicleBill
from cooplab.localization.flat import FlatBill, flatten_bill
from cooplab.vocab.money import Rate

DAY = date(2025, 1, 1)


def vehicle(**kw) -> Vehicle:
    data = {
        "code": "T-1",
        "name": "Test car",
        "oem": "UzAuto Motors",
        "annual_volume": 1000,
        "own_cost": Decimal(0),
        "own_cost_currency": "UZS",
        "price_date": DAY,
    }
    data.update(kw)
    return Vehicle(**data)


def line(
    part: str,
    *,
    parent: str | None = None,
    hs: str | None = "870829",
    qty: float = 1,
    name: str | None = None,
) -> BomLine:
    return BomLine(part_number=part, parent=parent, name=name or part, hs_code=hs, quantity=Decimal(str(qty)))


def source(
    part: str,
    supplier: str,
    country: str,
    price: float,
    currency: str = "UZS",
    *,
    share: float = 1,
    imported: float | None = None,
    ops: tuple[str, ...] = (),
    illustrative: bool = False,
) -> Source:
    return Source(
        part_number=part,
        supplier=supplier,
        production_country=country,
        unit_price=Decimal(str(price)),
        currency=currency,
        price_date=DAY,
        volume_share=Decimal(str(share)),
        imported_share=None if imported is None else Decimal(str(imported)),
        operations=ops,
        illustrative=illustrative,
    )


def needs(
    supplier: str,
    part: str,
    name: str,
    cost: float,
    origin: str,
    *,
    qty: float = 1,
    currency: str = "UZS",
    by: str | None = None,
    hs: str | None = None,
) -> SupplierInput:
    return SupplierInput(
        supplier=supplier,
        part_number=part,
        input=name,
        hs_code=hs,
        quantity=Decimal(str(qty)),
        unit_cost=Decimal(str(cost)),
        currency=currency,
        origin_country=origin,
        input_supplier=by,
    )


RATES = (
    Rate("USD", DAY, Decimal(12500)),
    Rate("RUB", DAY, Decimal(125)),
    Rate("KRW", DAY, Decimal("8.75")),
    Rate("EUR", DAY, Decimal(13500)),
)


def bill(lines, sources, inputs=(), **vehicle_kw) -> VehicleBill:
    return VehicleBill(
        vehicle=vehicle(**vehicle_kw),
        bom=tuple(lines),
        sourcing=tuple(sources),
        inputs=tuple(inputs),
        rates=RATES,
    )


def flat(lines, sources, inputs=(), **vehicle_kw) -> FlatBill:
    return flatten_bill(bill(lines, sources, inputs, **vehicle_kw))
