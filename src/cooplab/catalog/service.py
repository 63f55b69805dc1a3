"""Rules and queries of the catalog: importing a vehicle workbook into the database (all or
nothing), reading a vehicle's bill back as the reader may see it, listing and exporting.

Every read goes through the visibility rule (cooplab.core.confidential): sourcing rows and
supplier inputs the actor may not see are neither shown nor counted, so a bill read for a
competitor lacks them (and a level computed from it says those parts have no source). Writes
go through the ORM, so the audit trail records each of them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Float, String, cast, func, or_, select
from sqlalchemy.orm import Session

from cooplab.catalog.demo import DEMO_CODE, demo_vehicle_files
from cooplab.catalog.filters import VehicleFilter
from cooplab.catalog.models import BomLine, CurrencyRate, Sourcing, SupplierInput, Vehicle
from cooplab.catalog.schemas import (
    BillColumns,
    RateIn,
    RatePublic,
    Source,
    StoredLine,
    StoredSource,
    VehicleBill,
    VehicleDetail,
    VehicleImported,
    VehicleSummary,
    supplier_key,
)
from cooplab.catalog.schemas import (
    BomLine as BillLine,
)
from cooplab.catalog.schemas import (
    SupplierInput as BillInput,
)
from cooplab.catalog.schemas import (
    Vehicle as BillVehicle,
)
from cooplab.catalog.workbook import (
    read_vehicle_workbook,
    write_vehicle_csv,
    write_vehicle_workbook,
)
from cooplab.core.actor import Actor, Permission
from cooplab.core.audit import name_change
from cooplab.core.confidential import can_see, visible_clause
from cooplab.core.records import every, flush, page
from cooplab.core.schemas import ListPublic
from cooplab.core.spreadsheets import write_csv, write_xlsx
from cooplab.errors import ImportFileError, NotFoundError
from cooplab.registry.models import Organization, OrganizationName
from cooplab.registry.schemas import NameIn, OrganizationCreate
from cooplab.registry.service import create_organization
from cooplab.vocab.choices import Activity, OrganizationKind, Visibility
from cooplab.vocab.money import Rate, RateTable
from cooplab.vocab.names import name_key


def organization_resolver(session: Session) -> Callable[[str], int | None]:
    """A function naming the registry organization of a name (any of its names, folded), or
    None when no live organization, or more than one, bears it."""
    cache: dict[str, int | None] = {}

    def resolve(name: str) -> int | None:
        key = name_key(name)
        if key not in cache:
            ids = set(
                session.scalars(
                    select(OrganizationName.organization_id)
                    .join(Organization, Organization.id == OrganizationName.organization_id)
                    .where(OrganizationName.key == key, Organization.merged_into_id.is_(None))
                )
            )
            ids |= set(
                session.scalars(
                    select(Organization.id).where(
                        func.lower(Organization.name) == name.strip().lower(),
                        Organization.merged_into_id.is_(None),
                    )
                )
            )
            cache[key] = ids.pop() if len(ids) == 1 else None
        return cache[key]

    return resolve


def _visible_vehicle(session: Session, actor: Actor, code: str) -> Vehicle:
    vehicle = session.scalar(select(Vehicle).where(Vehicle.code == code))
    if vehicle is None or not can_see(vehicle, actor):
        raise NotFoundError.record("vehicle", code)
    return vehicle


# ---------------------------------------------------------------- import


def import_vehicle(
    *,
    session: Session,
    actor: Actor,
    files: Mapping[str, bytes],
    visibility: Visibility | None = None,
) -> VehicleImported:
    """Store a vehicle workbook (XLSX, or CSV files named like its sheets): the vehicle, its
    BOM, sourcing, supplier inputs and rates, replacing what was stored under the same code.
    Every problem is named (sheet, row, column, part) in one ImportFileError, and nothing is
    stored then. Needs the right to edit the vehicle's OEM (a member: its own organization)."""
    actor.require(Permission.EDIT_OWN_ORGANIZATION)
    name_change(session, Activity.IMPORT)
    resolve = organization_resolver(session)
    bill = read_vehicle_workbook(files, resolve_supplier=resolve)
    v = bill.vehicle
    oem_id = resolve(v.oem)
    if oem_id is None:
        raise ImportFileError(
            f"the OEM {v.oem!r} is not an organization of the registry, nothing was imported",
            details=[
                {
                    "loc": ["vehicle", 2, "oem"],
                    "msg": f"{v.oem!r} is not an organization of the registry",
                    "code": "unknown_oem",
                    "params": {"oem": v.oem},
                }
            ],
        )
    actor.require_edit_organization(oem_id)
    old = session.scalar(select(Vehicle).where(Vehicle.code == v.code))
    if old is not None:
        if not can_see(old, actor):
            raise ImportFileError(
                f"the code {v.code} is taken, nothing was imported",
                details=[
                    {
                        "loc": ["vehicle", 2, "code"],
                        "msg": f"the code {v.code} is taken by another organization's vehicle",
                        "code": "vehicle_code_taken",
                        "params": {"code": v.code},
                    }
                ],
            )
        if old.oem_organization_id is not None:
            actor.require_edit_organization(old.oem_organization_id)
        _delete_vehicle(session, old)
    stored = _store(session, bill, oem_id, visibility)
    return VehicleImported(
        id=stored.id,
        code=v.code,
        replaced=old is not None,
        lines=len(bill.bom),
        sources=len(bill.sourcing),
        inputs=len(bill.inputs),
        rates=len(bill.rates),
        illustrative=bill.illustrative,
    )


def _delete_vehicle(session: Session, vehicle: Vehicle) -> None:
    """Delete a vehicle with its sources and inputs, each through the ORM so the audit trail
    records every row that goes (the database's cascades would not)."""
    for model in (SupplierInput, Sourcing):
        for row in session.scalars(select(model).where(model.vehicle_id == vehicle.id)):
            session.delete(row)
    flush(session)
    session.delete(vehicle)
    flush(session)


def _store(session: Session, bill: VehicleBill, oem_id: int, visibility: Visibility | None) -> Vehicle:
    v = bill.vehicle
    vehicle = Vehicle(
        code=v.code,
        name=v.name,
        oem=v.oem,
        oem_organization_id=oem_id,
        brand=v.brand,
        hs_code=v.hs_code,
        production_country=v.production_country,
        annual_volume=v.annual_volume,
        volume_year=v.volume_year,
        volume_source=v.volume_source,
        own_cost=v.own_cost,
        own_cost_currency=v.own_cost_currency,
        exw_price=v.exw_price,
        exw_currency=v.exw_currency,
        price_date=v.price_date,
        operations=list(v.operations),
        illustrative=v.illustrative,
        owner_organization_id=oem_id,
        visibility=(visibility or Vehicle.DEFAULT_VISIBILITY).value,
    )
    session.add(vehicle)
    flush(session)
    lines: dict[str, BomLine] = {}
    for n, line in enumerate(bill.bom):
        lines[line.part_number] = BomLine(
            vehicle_id=vehicle.id,
            position=n,
            part_number=line.part_number,
            name=line.name,
            hs_code=line.hs_code,
            quantity=line.quantity,
            unit=line.unit.value,
        )
    for line in bill.bom:
        if line.parent is not None:
            lines[line.part_number].parent = lines[line.parent]
    session.add_all(lines.values())
    flush(session)
    suppliers: dict[str, int | None] = {}
    for n, s in enumerate(bill.sourcing):
        supplier_id = s.supplier_id if isinstance(s.supplier_id, int) else None
        suppliers.setdefault(supplier_key(s.supplier), supplier_id)
        session.add(
            Sourcing(
                vehicle_id=vehicle.id,
                line_id=lines[s.part_number].id,
                position=n,
                supplier=s.supplier,
                supplier_organization_id=supplier_id,
                production_country=s.production_country,
                unit_price=s.unit_price,
                currency=s.currency,
                price_date=s.price_date,
                incoterm=s.incoterm.value if s.incoterm else None,
                volume_share=s.volume_share,
                imported_share=s.imported_share,
                operations=list(s.operations),
                illustrative=s.illustrative,
                owner_organization_id=oem_id,
            )
        )
    resolve = organization_resolver(session)
    for n, i in enumerate(bill.inputs):
        key = supplier_key(i.supplier)
        if key not in suppliers:
            suppliers[key] = resolve(i.supplier)
        session.add(
            SupplierInput(
                vehicle_id=vehicle.id,
                position=n,
                supplier=i.supplier,
                supplier_organization_id=suppliers[key],
                part_number=i.part_number,
                input=i.input,
                hs_code=i.hs_code,
                quantity=i.quantity,
                unit_cost=i.unit_cost,
                currency=i.currency,
                origin_country=i.origin_country,
                input_supplier=i.input_supplier,
                price_date=i.price_date,
                illustrative=i.illustrative,
                owner_organization_id=oem_id,
            )
        )
    _store_rates(session, bill.rates)
    flush(session)
    return vehicle


def _store_rates(session: Session, rates: tuple[Rate, ...]) -> None:
    """Add the workbook's rates to the rate table; a rate given again for the same currency and
    day replaces the stored one (an audited update)."""
    for rate in rates:
        row = session.scalar(
            select(CurrencyRate).where(CurrencyRate.currency == rate.currency, CurrencyRate.day == rate.day)
        )
        if row is None:
            session.add(CurrencyRate(currency=rate.currency, day=rate.day, uzs_per_unit=rate.uzs_per_unit))
        elif Decimal(row.uzs_per_unit) != Decimal(rate.uzs_per_unit):
            row.uzs_per_unit = rate.uzs_per_unit


def set_rate(*, session: Session, actor: Actor, data: RateIn) -> RatePublic:
    """Enter or correct the rate of a currency from a date (registry editors: analysts, admins)."""
    actor.require(Permission.EDIT_REGISTRY)
    _store_rates(session, (Rate(data.currency, data.day, data.uzs_per_unit),))
    flush(session)
    return data_rate(session, data.currency, data.day)


def data_rate(session: Session, currency: str, day: date) -> RatePublic:
    row = session.scalar(
        select(CurrencyRate).where(CurrencyRate.currency == currency, CurrencyRate.day == day)
    )
    if row is None:
        raise NotFoundError.record("currency rate", f"{currency} {day.isoformat()}")
    return RatePublic(currency=row.currency, day=row.day, uzs_per_unit=_plain(row.uzs_per_unit))


def list_rates(*, session: Session, actor: Actor, currency: str | None = None) -> list[RatePublic]:
    """The rate table (of one currency when given), by currency and date."""
    actor.require(Permission.READ)
    stmt = select(CurrencyRate).order_by(CurrencyRate.currency, CurrencyRate.day)
    if currency:
        stmt = stmt.where(CurrencyRate.currency == currency.upper())
    return [
        RatePublic(currency=r.currency, day=r.day, uzs_per_unit=_plain(r.uzs_per_unit))
        for r in session.scalars(stmt)
    ]


# ---------------------------------------------------------------- reading


def visible_vehicle(*, session: Session, actor: Actor, code: str) -> Vehicle:
    """The stored vehicle of this code, if the actor may see it (else the same 404 as for a code
    that does not exist)."""
    actor.require(Permission.READ)
    return _visible_vehicle(session, actor, code)


def vehicle_bill(*, session: Session, actor: Actor, code: str) -> VehicleBill:
    """The bill of a stored vehicle as `actor` may see it (the sources and inputs of other
    organizations left out), ready for the localization methods and the workbook writer."""
    actor.require(Permission.READ)
    vehicle = _visible_vehicle(session, actor, code)
    return _bill(session, actor, vehicle)


def _bill_vehicle(vehicle: Vehicle) -> BillVehicle:
    return BillVehicle(
        code=vehicle.code,
        name=vehicle.name,
        oem=vehicle.oem,
        oem_id=vehicle.oem_organization_id,
        brand=vehicle.brand,
        hs_code=vehicle.hs_code,
        production_country=vehicle.production_country,
        annual_volume=vehicle.annual_volume,
        volume_year=vehicle.volume_year,
        volume_source=vehicle.volume_source,
        own_cost=vehicle.own_cost,
        own_cost_currency=vehicle.own_cost_currency,
        exw_price=vehicle.exw_price,
        exw_currency=vehicle.exw_currency,
        price_date=vehicle.price_date,
        operations=tuple(vehicle.operations or ()),
        illustrative=vehicle.illustrative,
    )


def _rates(session: Session) -> tuple[Rate, ...]:
    rows = session.execute(
        select(CurrencyRate.currency, CurrencyRate.day, CurrencyRate.uzs_per_unit).order_by(
            CurrencyRate.currency, CurrencyRate.day
        )
    )
    return tuple(Rate(currency, day, _plain(value)) for currency, day, value in rows)


def bill_columns(*, session: Session, actor: Actor, code: str) -> BillColumns:
    """The same bill as `vehicle_bill`, as plain columns for the localization methods: three
    SELECTs of the columns they use (amounts as floats, as the methods compute), no objects."""
    actor.require(Permission.READ)
    vehicle = _visible_vehicle(session, actor, code)
    number = Float()
    db = session.connection()  # Core rows: no ORM loading for 25,000 of them
    lines = db.execute(
        select(BomLine.id, BomLine.part_number, BomLine.parent_id, BomLine.name, BomLine.hs_code)
        .add_columns(cast(BomLine.quantity, number))
        .where(BomLine.vehicle_id == vehicle.id)
        .order_by(BomLine.position)
    ).all()
    ids, part, parent_id, name, hs, qty = (list(c) for c in zip(*lines, strict=True)) if lines else ([],) * 6
    part_of = dict(zip(ids, part, strict=True))
    s = Sourcing
    sources = db.execute(
        select(s.line_id, s.supplier, s.supplier_organization_id, s.production_country)
        .add_columns(cast(s.unit_price, number), s.currency, s.price_date, cast(s.volume_share, number))
        .add_columns(cast(s.imported_share, number), cast(s.operations, String), s.illustrative)
        .where(s.vehicle_id == vehicle.id, visible_clause(s, actor))
        .order_by(s.position)
    ).all()
    i = SupplierInput
    inputs = db.execute(
        select(i.supplier, i.part_number, i.input, i.hs_code, cast(i.quantity, number))
        .add_columns(cast(i.unit_cost, number), i.currency, i.price_date, i.origin_country)
        .add_columns(i.input_supplier, i.illustrative)
        .where(i.vehicle_id == vehicle.id, visible_clause(i, actor))
        .order_by(i.position)
    ).all()
    sc = [list(c) for c in zip(*sources, strict=True)] if sources else [[] for _ in range(11)]
    ic = [list(c) for c in zip(*inputs, strict=True)] if inputs else [[] for _ in range(11)]
    return BillColumns(
        vehicle=_bill_vehicle(vehicle),
        rates=RateTable.of(_rates(session)),
        part_number=part,
        parent=[part_of[p] if p is not None else None for p in parent_id],
        name=name,
        hs_code=hs,
        quantity=qty,
        s_part=[part_of[x] for x in sc[0]],
        s_supplier=sc[1],
        s_supplier_id=sc[2],
        s_country=sc[3],
        s_price=sc[4],
        s_currency=sc[5],
        s_date=sc[6],
        s_share=sc[7],
        s_imported_share=sc[8],
        s_operations=[_operations(x) for x in sc[9]],
        s_illustrative=sc[10],
        i_supplier=ic[0],
        i_part=ic[1],
        i_input=ic[2],
        i_hs_code=ic[3],
        i_quantity=ic[4],
        i_cost=ic[5],
        i_currency=ic[6],
        i_date=ic[7],
        i_origin=ic[8],
        i_input_supplier=ic[9],
        i_illustrative=ic[10],
    )


def _operations(text: str | None) -> tuple[str, ...]:
    """A source's Decree 719 operations from the stored JSON text (most sources have none)."""
    return tuple(json.loads(text)) if text and text != "[]" else ()


def _bill(session: Session, actor: Actor, vehicle: Vehicle) -> VehicleBill:
    lines = list(
        session.scalars(select(BomLine).where(BomLine.vehicle_id == vehicle.id).order_by(BomLine.position))
    )
    part_of = {line.id: line.part_number for line in lines}
    sources = session.scalars(
        select(Sourcing)
        .where(Sourcing.vehicle_id == vehicle.id, visible_clause(Sourcing, actor))
        .order_by(Sourcing.position)
    )
    inputs = session.scalars(
        select(SupplierInput)
        .where(SupplierInput.vehicle_id == vehicle.id, visible_clause(SupplierInput, actor))
        .order_by(SupplierInput.position)
    )
    return VehicleBill(
        vehicle=_bill_vehicle(vehicle),
        bom=tuple(
            BillLine(
                part_number=line.part_number,
                parent=part_of.get(line.parent_id) if line.parent_id is not None else None,
                name=line.name,
                hs_code=line.hs_code,
                quantity=_plain(line.quantity),
                unit=line.unit,
            )
            for line in lines
        ),
        sourcing=tuple(
            Source(
                part_number=part_of[s.line_id],
                supplier=s.supplier,
                supplier_id=s.supplier_organization_id,
                production_country=s.production_country,
                unit_price=_plain(s.unit_price),
                currency=s.currency,
                price_date=s.price_date,
                incoterm=s.incoterm,
                volume_share=_plain(s.volume_share),
                imported_share=_plain(s.imported_share) if s.imported_share is not None else None,
                operations=tuple(s.operations or ()),
                illustrative=s.illustrative,
            )
            for s in sources
        ),
        inputs=tuple(
            BillInput(
                supplier=i.supplier,
                part_number=i.part_number,
                input=i.input,
                hs_code=i.hs_code,
                quantity=_plain(i.quantity),
                unit_cost=_plain(i.unit_cost),
                currency=i.currency,
                origin_country=i.origin_country,
                input_supplier=i.input_supplier,
                price_date=i.price_date,
                illustrative=i.illustrative,
            )
            for i in inputs
        ),
        rates=_rates(session),
    )


def _plain(value: Any) -> Decimal:
    """A stored number without the trailing zeros of its column's scale (1.500000 -> 1.5)."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def export_vehicle(
    *, session: Session, actor: Actor, code: str, csv: bool = False
) -> bytes | dict[str, bytes]:
    """The stored vehicle as the workbook it was imported from (as `actor` may see it): XLSX
    bytes, or CSV files by name."""
    bill = vehicle_bill(session=session, actor=actor, code=code)
    return write_vehicle_csv(bill) if csv else write_vehicle_workbook(bill)


def _summary(vehicle: Vehicle, lines: int) -> dict[str, Any]:
    return {
        "id": vehicle.id,
        "code": vehicle.code,
        "name": vehicle.name,
        "oem": vehicle.oem_organization.name if vehicle.oem_organization else vehicle.oem,
        "oem_id": vehicle.oem_organization_id,
        "brand": vehicle.brand,
        "annual_volume": vehicle.annual_volume,
        "volume_year": vehicle.volume_year,
        "lines": lines,
        "illustrative": vehicle.illustrative,
        "visibility": vehicle.visibility,
    }


def list_vehicles(
    *, session: Session, actor: Actor, filters: VehicleFilter | None = None, offset: int = 0, limit: int = 50
) -> ListPublic[VehicleSummary]:
    """Vehicles the actor may see, by code."""
    actor.require(Permission.READ)
    filters = filters or VehicleFilter()
    stmt = select(Vehicle).where(visible_clause(Vehicle, actor)).order_by(Vehicle.code)
    if filters.oem_id is not None:
        stmt = stmt.where(Vehicle.oem_organization_id == filters.oem_id)
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Vehicle.code).like(like), func.lower(Vehicle.name).like(like)))
    rows, count = page(session, stmt, offset, limit)
    counts = dict(
        session.execute(
            select(BomLine.vehicle_id, func.count())
            .where(BomLine.vehicle_id.in_([v.id for v in rows]))
            .group_by(BomLine.vehicle_id)
        ).all()
    )
    return ListPublic[VehicleSummary](
        data=[VehicleSummary(**_summary(v, counts.get(v.id, 0))) for v in rows], count=count
    )


#: The columns of the vehicles list as it downloads (a vehicle's own workbook holds its bill).
VEHICLE_LIST_COLUMNS = (
    "code",
    "name",
    "oem",
    "brand",
    "annual_volume",
    "volume_year",
    "bom_lines",
    "visibility",
    "illustrative",
)


def export_vehicles(*, session: Session, actor: Actor, fmt: Literal["xlsx", "csv"] = "xlsx") -> bytes:
    """The vehicles the actor may see, a row each, as XLSX (a `vehicles` sheet) or CSV."""
    vehicles = every(
        lambda offset, limit: list_vehicles(session=session, actor=actor, offset=offset, limit=limit)
    )
    rows: list[list[Any]] = [list(VEHICLE_LIST_COLUMNS)]
    for v in vehicles:
        rows.append(
            [
                v.code,
                v.name,
                v.oem,
                v.brand or "",
                v.annual_volume,
                v.volume_year,
                v.lines,
                v.visibility,
                "yes" if v.illustrative else "no",
            ]
        )
    return write_csv(rows) if fmt == "csv" else write_xlsx({"vehicles": rows})


def vehicle_detail(*, session: Session, actor: Actor, code: str) -> VehicleDetail:
    """A vehicle with its figures and its bill as a tree, each line with the sources the actor
    may see (parents before their children)."""
    actor.require(Permission.READ)
    vehicle = _visible_vehicle(session, actor, code)
    bill = _bill(session, actor, vehicle)
    sources: dict[str, list[StoredSource]] = {}
    for s in bill.sourcing:
        sources.setdefault(s.part_number, []).append(
            StoredSource(
                supplier=s.supplier,
                supplier_id=s.supplier_id if isinstance(s.supplier_id, int) else None,
                production_country=s.production_country,
                unit_price=s.unit_price,
                currency=s.currency,
                price_date=s.price_date,
                incoterm=s.incoterm.value if s.incoterm else None,
                volume_share=s.volume_share,
                imported_share=s.imported_share,
                illustrative=s.illustrative,
            )
        )
    children: dict[str | None, list[BillLine]] = {}
    for line in bill.bom:
        children.setdefault(line.parent, []).append(line)
    tree: list[StoredLine] = []

    def walk(parent: str | None, depth: int) -> None:
        for line in children.get(parent, []):
            tree.append(
                StoredLine(
                    part_number=line.part_number,
                    parent=line.parent,
                    depth=depth,
                    name=line.name,
                    hs_code=line.hs_code,
                    quantity=line.quantity,
                    unit=line.unit.value,
                    sources=sources.get(line.part_number, []),
                )
            )
            walk(line.part_number, depth + 1)

    walk(None, 0)
    v = bill.vehicle
    return VehicleDetail(
        **_summary(vehicle, len(bill.bom)),
        hs_code=v.hs_code,
        production_country=v.production_country,
        volume_source=v.volume_source,
        own_cost=v.own_cost,
        own_cost_currency=v.own_cost_currency,
        exw_price=v.exw_price,
        exw_currency=v.exw_currency,
        price_date=v.price_date,
        operations=list(v.operations),
        bom=tree,
    )


# ---------------------------------------------------------------- demo


def load_demo(*, session: Session, actor: Actor) -> list[str]:
    """`cooplab demo`: the illustrative vehicle of UzAuto Motors, imported like any workbook
    (shared with every signed-in member), unless it is already stored."""
    if session.scalar(select(Vehicle.id).where(Vehicle.code == DEMO_CODE)) is not None:
        return [f"vehicle {DEMO_CODE} already present (illustrative)"]
    files = demo_vehicle_files()
    added = _demo_suppliers(session, actor, files)
    done = import_vehicle(session=session, actor=actor, files=files, visibility=Visibility.MEMBERS)
    return [
        f"loaded vehicle {done.code}: {done.lines} BOM lines, {done.sources} sources, "
        f"{done.inputs} supplier inputs, {done.rates} rates (every price and share illustrative); "
        f"{added} illustrative importers added to the registry"
    ]


def _demo_suppliers(session: Session, actor: Actor, files: Mapping[str, bytes]) -> int:
    """Add the demo's suppliers the registry lacks (its unnamed importers) as illustrative
    organizations, so its sourcing names registry organizations like any other."""
    resolve = organization_resolver(session)
    rows = csv.DictReader(io.StringIO(files["sourcing.csv"].decode("utf-8")))
    missing = {row["supplier"]: row["production_country"] for row in rows if resolve(row["supplier"]) is None}
    for name, country in sorted(missing.items()):
        data = OrganizationCreate(
            names=[NameIn(value=name)], kind=OrganizationKind.SUPPLIER, country=country, illustrative=True
        )
        create_organization(session=session, actor=actor, data=data)
    return len(missing)
