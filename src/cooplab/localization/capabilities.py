"""What the registry's Uzbek and Russian organizations are known to make, as the reader may see
it: the capabilities behind the opportunities' feasibility signals.

An organization is known to make a commodity code when it supplies a part of that code in a
stored vehicle's sourcing, or an input of that code as an input's own supplier in a supplier's
bill; the processes it runs are those the commodity catalog lists for its codes. Only rows the
reader may see count (a sourcing row and a supplier input are confidential to their parties,
and the vehicle they belong to must be visible too), so a competitor's sourcing neither counts
nor shows through a signal. Three queries whatever the size of the bills: sourcing by
supplier, inputs by their supplier's name, and those names in the registry.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.catalog.commodity_codes import CommodityCatalog, commodity_catalog
from cooplab.catalog.models import BomLine, Sourcing, SupplierInput, Vehicle
from cooplab.core.actor import Actor
from cooplab.core.confidential import visible_clause
from cooplab.localization.opportunities import RUSSIA, Capability
from cooplab.registry.models import Organization, OrganizationName
from cooplab.vocab.names import name_key

#: The countries whose organizations make a part count as localizable (Uzbekistan, Russia).
COUNTRIES = ("UZ", RUSSIA)


def registry_capabilities(
    session: Session, actor: Actor, *, catalog: CommodityCatalog | None = None
) -> list[Capability]:
    """Every live Uzbek or Russian organization with the commodity codes it is seen to make and
    the processes those codes need, by name."""
    catalog = catalog or commodity_catalog()
    live = Organization.merged_into_id.is_(None) & Organization.country.in_(COUNTRIES)
    orgs: dict[int, tuple[str, str]] = {}  # id -> name, country
    codes: dict[int, set[str]] = defaultdict(set)
    supplied = session.execute(
        select(Organization.id, Organization.name, Organization.country, BomLine.hs_code)
        .join(Sourcing, Sourcing.supplier_organization_id == Organization.id)
        .join(BomLine, BomLine.id == Sourcing.line_id)
        .join(Vehicle, Vehicle.id == Sourcing.vehicle_id)
        .where(
            live,
            BomLine.hs_code.is_not(None),
            visible_clause(Sourcing, actor),
            visible_clause(Vehicle, actor),
        )
        .distinct()
    )
    for org_id, name, country, code in supplied:
        orgs[org_id] = (name, country or "")
        codes[org_id].add(code or "")
    inputs = session.execute(
        select(SupplierInput.input_supplier, SupplierInput.hs_code)
        .join(Vehicle, Vehicle.id == SupplierInput.vehicle_id)
        .where(
            SupplierInput.input_supplier.is_not(None),
            SupplierInput.hs_code.is_not(None),
            visible_clause(SupplierInput, actor),
            visible_clause(Vehicle, actor),
        )
        .distinct()
    ).all()
    by_key: dict[str, set[str]] = defaultdict(set)
    for supplier, code in inputs:
        by_key[name_key(supplier or "")].add(code or "")
    if by_key:
        named: dict[str, set[int]] = defaultdict(set)
        found = session.execute(
            select(OrganizationName.key, Organization.id, Organization.name, Organization.country)
            .join(Organization, Organization.id == OrganizationName.organization_id)
            .where(live, OrganizationName.key.in_(list(by_key)))
        )
        for key, org_id, name, country in found:
            named[key].add(org_id)
            orgs.setdefault(org_id, (name, country or ""))
        for key, ids in named.items():
            if len(ids) == 1:  # a name two organizations bear names neither
                codes[next(iter(ids))] |= by_key[key]
    out = []
    for org_id, (name, country) in sorted(orgs.items(), key=lambda item: item[1][0].casefold()):
        known = sorted(codes.get(org_id, ()))
        if not known:
            continue
        processes = sorted({p for c in known for p in catalog.processes(c)}, key=str)
        out.append(
            Capability(
                organization=name,
                organization_id=org_id,
                country=country,
                hs_codes=tuple(known),
                processes=tuple(processes),
            )
        )
    return out
