"""The demo vehicle: an illustrative B-segment sedan of UzAuto Motors, stored as the workbook's
CSV sheets under `data/demo/` and read by the same importer as any user's file.

Its suppliers and their product lines are real (organizations.yaml); every price, share,
quantity, volume and rate is illustrative, and the bill says so (`illustrative: true`).
"""

from __future__ import annotations

from pathlib import Path

from cooplab.catalog.schemas import VehicleBill
from cooplab.catalog.workbook import SupplierResolver, read_vehicle_workbook

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_CODE = "DEMO-B-SEDAN"


def demo_vehicle_files() -> dict[str, bytes]:
    """The demo's sheets as CSV files, by file name."""
    return {path.name: path.read_bytes() for path in sorted(DEMO.glob("*.csv"))}


def load_demo_vehicle(*, resolve_supplier: SupplierResolver | None = None) -> VehicleBill:
    """The demo vehicle's bill, read through the workbook importer."""
    return read_vehicle_workbook(demo_vehicle_files(), resolve_supplier=resolve_supplier)
