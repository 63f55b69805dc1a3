"""Manufacturing processes a supplier runs and a part needs: one closed vocabulary.

The codes are stored in the database and named in files (`stamping;welding`); pages show them
in the reader's language (catalog keys `process.<code>`).
"""

from __future__ import annotations

from enum import StrEnum


class Process(StrEnum):
    """A manufacturing process of the automotive supply chain."""

    STAMPING = "stamping"  # sheet-metal pressing, blanking, deep drawing
    WELDING = "welding"  # spot, arc, laser welding of sheet and tube
    PAINTING = "painting"  # e-coat, primer, top coat, powder coating
    INJECTION_MOULDING = "injection_moulding"  # thermoplastic parts: bumpers, panels, trim
    BLOW_MOULDING = "blow_moulding"  # hollow plastic parts: fuel tanks, ducts
    EXTRUSION = "extrusion"  # plastic or aluminium profiles, seals
    DIE_CASTING = "die_casting"  # aluminium and zinc pressure die casting
    SAND_CASTING = "sand_casting"  # iron and steel castings
    FORGING = "forging"  # hot and cold forging of shafts, knuckles, gears
    MACHINING = "machining"  # turning, milling, drilling, grinding
    HEAT_TREATMENT = "heat_treatment"  # hardening, tempering, carburising
    SURFACE_TREATMENT = "surface_treatment"  # galvanising, plating, anodising
    TUBE_BENDING = "tube_bending"  # brake and fuel lines, exhaust pipes
    SPRING_MAKING = "spring_making"  # coil and leaf springs
    ASSEMBLY = "assembly"  # mechanical assembly of modules and systems
    PCB_ASSEMBLY = "pcb_assembly"  # electronics: SMT and through-hole
    WIRE_HARNESS = "wire_harness"  # cutting, crimping, taping wiring harnesses
    SEWING_AND_TRIM = "sewing_and_trim"  # seat covers, trim, textiles
    FOAMING = "foaming"  # polyurethane foam for seats and panels
    RUBBER_MOULDING = "rubber_moulding"  # seals, bushings, hoses, mounts
    GLASS_FORMING = "glass_forming"  # tempered and laminated safety glass
    TYRE_BUILDING = "tyre_building"  # tyre building and vulcanising
    BATTERY_ASSEMBLY = "battery_assembly"  # lead-acid and traction batteries
    TESTING = "testing"  # end-of-line and laboratory testing


def parse_processes(text: str | None) -> list[Process]:
    """Processes named in a cell or field, separated by `;` or `,` (codes, any case)."""
    found: list[Process] = []
    for part in (text or "").replace(",", ";").split(";"):
        code = part.strip().lower().replace(" ", "_").replace("-", "_")
        if not code:
            continue
        try:
            process = Process(code)
        except ValueError:
            raise ValueError(f"unknown process {part.strip()!r}") from None
        if process not in found:
            found.append(process)
    return found
