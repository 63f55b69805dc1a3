"""Tables of localization: the what-if scenarios saved for a vehicle.

A saved scenario is a name, a description and its changes (stored as JSON, validated by
`cooplab.localization.scenarios.Scenario` on the way in and on the way out). It carries the
prices of a supplier's offer, so it is a confidential record private to its owner organization
(the creator's, or the vehicle's OEM when the creator has none): seen by that organization's
members and analysts, every analyst, admins and its creator; never by a competitor.

It names its vehicle by code, not by row: importing the vehicle's workbook again replaces the
vehicle's rows, and the scenarios stay, evaluated against the new bill. A name is unique per
vehicle within its owner organization, so no one learns of another organization's scenario by
choosing the same name.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cooplab.core.confidential import Confidential, Versioned
from cooplab.db.base import Base, TimestampMixin
from cooplab.registry.models import Organization
from cooplab.vocab.choices import Visibility


class SavedScenario(Confidential, Versioned, TimestampMixin, Base):
    """A named list of changes to a vehicle's sourcing, kept to be evaluated and compared."""

    __tablename__ = "localization_scenarios"
    __table_args__ = (UniqueConstraint("vehicle_code", "owner_organization_id", "name"),)
    DEFAULT_VISIBILITY: ClassVar[Visibility] = Visibility.ORGANIZATION
    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_code: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_organization: Mapped[Organization | None] = relationship(
        lazy="joined", foreign_keys="SavedScenario.owner_organization_id"
    )
