"""Write the demo vehicle's workbook sheets (CSV) to src/cooplab/data/demo/.

The vehicle is illustrative: one B-segment sedan of UzAuto Motors whose parts come from the real
product lines of Uzbek suppliers (domain facts §2, organizations.yaml) and from importers.
Every price, share, quantity and rate is illustrative and marked so; the generator is
deterministic, so the files can be regenerated and reviewed as a diff.

    python scripts/make_demo_vehicle.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "cooplab" / "data" / "demo"
DAY = "2025-06-01"
RNG = random.Random(20250601)

# Suppliers, by their names in the registry; importers and Russian suppliers are placeholders.
TONG_HONG, KORAM, DONG_YANG = "Uz-Tong Hong Co", "Uz-Koram Co", "Uz Dong Yang Co"
SAEMYUNG, AUSTEM, DONG_WON = "Uz-Saemyung Co", "O'zAuto-Austem", "Uz-Dong Won Co"
HANWOO, ERAE, CHASYS, INZI = "Uz-Hanwoo", "O'zERAE Climate Control", "UzChasys", "Uzauto-INZI"
KOJE, DONGJU, SUNGWOO, MINDA = "UzKoje", "Uz-Dongju Paint", "UzSungwoo", "O'zMinda"
AVTOOYNA, KWANGJIN, DAZ = "Avtooyna", "Kwangjin Autosystems", "Jizzakh battery plant"
IMP_KR, IMP_CN, IMP_DE = (
    "Importer KR-1 (illustrative)",
    "Importer CN-1 (illustrative)",
    "Importer DE-1 (illustrative)",
)
RU_STEEL, RU_PARTS = "Russian steel supplier (illustrative)", "Russian parts supplier (illustrative)"

bom: list[list[object]] = []
sourcing: list[list[object]] = []
inputs: list[list[object]] = []


def line(pn: str, parent: str | None, name: str, hs: str | None, qty: float = 1, unit: str = "pcs") -> str:
    bom.append([pn, parent or "", name, hs or "", qty, unit])
    return pn


def buy(
    pn: str,
    supplier: str,
    country: str,
    price: float,
    currency: str,
    *,
    share: float = 1,
    imported: float | None = None,
    incoterm: str = "DAP",
    ops: str = "",
) -> None:
    sourcing.append(
        [
            pn,
            supplier,
            country,
            round(price, 2),
            currency,
            DAY,
            incoterm,
            share,
            "" if imported is None else imported,
            ops,
            "yes",
        ]
    )


def part(
    pn: str,
    parent: str,
    name: str,
    hs: str,
    supplier: str,
    country: str,
    price: float,
    currency: str,
    qty: float = 1,
    unit: str = "pcs",
    **kw: object,
) -> str:
    line(pn, parent, name, hs, qty, unit)
    buy(pn, supplier, country, price, currency, **kw)  # type: ignore[arg-type]
    return pn


def needs(
    supplier: str,
    pn: str,
    name: str,
    hs: str,
    qty: float,
    cost: float,
    currency: str,
    origin: str,
    by: str = "",
) -> None:
    inputs.append([supplier, pn, name, hs, qty, round(cost, 2), currency, origin, by, "", "yes"])


def system(pn: str, name: str) -> str:
    return line(pn, None, name, None)


# ---- body in white: assembled and welded by the OEM from stampings ----------------------------
biw = system("S01", "Body in white (welded by the OEM)")
panels = [
    "Floor panel front",
    "Floor panel rear",
    "Dash panel",
    "Roof panel",
    "Side panel outer LH",
    "Side panel outer RH",
    "Wheelhouse inner front LH",
    "Wheelhouse inner front RH",
    "Wheelhouse inner rear LH",
    "Wheelhouse inner rear RH",
    "Front rail LH",
    "Front rail RH",
    "Rocker reinforcement LH",
    "Rocker reinforcement RH",
    "B-pillar reinforcement LH",
    "B-pillar reinforcement RH",
    "Rear panel",
    "Parcel shelf panel",
    "Cowl top panel",
    "Radiator support upper",
    "Radiator support lower",
    "Roof bow front",
    "Roof bow rear",
    "Seat crossmember front",
    "Seat crossmember rear",
    "Tunnel reinforcement",
    "Trunk floor panel",
    "Spare wheel well",
    "Shock tower LH",
    "Shock tower RH",
]
for n, name in enumerate(panels, start=1):
    pn = f"BIW-{n:03d}"
    price = RNG.randint(60, 900) * 1000
    line(pn, biw, name, "870829", 1)
    if n % 5 == 0:  # dual-sourced: Uz-Saemyung 60%, UzSungwoo 40%
        buy(pn, SAEMYUNG, "UZ", price, "UZS", share=0.6)
        buy(pn, SUNGWOO, "UZ", price * 1.04, "UZS", share=0.4, imported=0.55)
    else:
        buy(pn, SAEMYUNG, "UZ", price, "UZS")
        needs(SAEMYUNG, pn, "Cold-rolled steel sheet", "7209", 1, price * 0.52, "UZS", "RU", RU_STEEL)
        needs(SAEMYUNG, pn, "Zinc-coated steel sheet", "721049", 1, price * 0.08, "UZS", "KR")
for n in range(1, 41):  # small brackets and reinforcements
    pn = f"BIW-B{n:02d}"
    part(
        pn,
        biw,
        f"Body bracket {n}",
        "732690",
        SAEMYUNG if n % 3 else SUNGWOO,
        "UZ",
        RNG.randint(8, 60) * 1000,
        "UZS",
        qty=RNG.choice([1, 2, 2, 4]),
        imported=0.6,
    )
part("BIW-SEAL", biw, "Body sealant", "321410", IMP_KR, "KR", 4.2, "USD", qty=1.8, unit="kg", incoterm="CIF")
part(
    "BIW-ADH",
    biw,
    "Structural adhesive",
    "350691",
    IMP_DE,
    "DE",
    11.5,
    "EUR",
    qty=0.6,
    unit="kg",
    incoterm="CIF",
)

# ---- paint: done by the OEM, paint from Uz-Dongju Paint -----------------------------------------
paint = system("S02", "Paint shop materials")
part("PNT-ECOAT", paint, "E-coat primer", "3209", DONGJU, "UZ", 52000, "UZS", qty=6, unit="l")
part("PNT-BASE", paint, "Base coat", "320820", DONGJU, "UZ", 98000, "UZS", qty=4, unit="l")
part("PNT-CLEAR", paint, "Clear coat", "320820", DONGJU, "UZ", 87000, "UZS", qty=3.5, unit="l")
for pn, share in (("PNT-ECOAT", 0.55), ("PNT-BASE", 0.7), ("PNT-CLEAR", 0.75)):
    needs(
        DONGJU,
        pn,
        "Resins and pigments",
        "3208",
        1,
        {"PNT-ECOAT": 52000, "PNT-BASE": 98000, "PNT-CLEAR": 87000}[pn] * share,
        "UZS",
        "KR",
    )

# ---- closures: doors, hood, trunk lid, assembled by the OEM ------------------------------------
closures = system("S03", "Closures (assembled by the OEM)")
for side in ("FL", "FR", "RL", "RR"):
    door = line(f"DR-{side}", closures, f"Door assembly {side}", "870829")
    part(
        f"DR-{side}-OUT",
        door,
        f"Door outer panel {side}",
        "870829",
        SAEMYUNG,
        "UZ",
        310000,
        "UZS",
        imported=0.6,
    )
    part(
        f"DR-{side}-INN",
        door,
        f"Door inner panel {side}",
        "870829",
        SAEMYUNG,
        "UZ",
        260000,
        "UZS",
        imported=0.6,
    )
    part(
        f"DR-{side}-BEAM",
        door,
        f"Door impact beam {side}",
        "870829",
        DONG_WON,
        "UZ",
        95000,
        "UZS",
        imported=0.5,
    )
    part(
        f"DR-{side}-HNG",
        door,
        f"Door hinge {side}",
        "830230",
        IMP_KR,
        "KR",
        2.1,
        "USD",
        qty=2,
        incoterm="CIF",
    )
    part(f"DR-{side}-LCK", door, f"Door lock {side}", "830120", IMP_KR, "KR", 9.8, "USD", incoterm="CIF")
    part(
        f"DR-{side}-REG",
        door,
        f"Window regulator {side}",
        "850131",
        KWANGJIN,
        "UZ",
        210000,
        "UZS",
        imported=0.7,
    )
    part(f"DR-{side}-GLS", door, f"Door glass {side}", "700711", AVTOOYNA, "UZ", 180000, "UZS", imported=0.45)
    part(f"DR-{side}-SEAL", door, f"Door seal {side}", "401693", IMP_CN, "CN", 3.4, "USD", incoterm="CIF")
    part(f"DR-{side}-HDL", door, f"Outside handle {side}", "830160", IMP_CN, "CN", 2.6, "USD", incoterm="CIF")
for pn, name in (("HOOD", "Hood"), ("TRUNK", "Trunk lid")):
    a = line(pn, closures, f"{name} assembly", "870829")
    part(f"{pn}-OUT", a, f"{name} outer panel", "870829", SAEMYUNG, "UZ", 420000, "UZS", imported=0.6)
    part(f"{pn}-INN", a, f"{name} inner panel", "870829", SAEMYUNG, "UZ", 300000, "UZS", imported=0.6)
    part(f"{pn}-HNG", a, f"{name} hinge", "830230", IMP_KR, "KR", 2.4, "USD", qty=2, incoterm="CIF")
    part(f"{pn}-LCK", a, f"{name} latch", "830120", IMP_KR, "KR", 6.9, "USD", incoterm="CIF")

# ---- exterior ---------------------------------------------------------------------------------
ext = system("S04", "Exterior")
for pn, name, price in (
    ("BMP-F", "Front bumper, painted", 1250000),
    ("BMP-R", "Rear bumper, painted", 1100000),
):
    part(pn, ext, name, "870810", KORAM, "UZ", price, "UZS")
    needs(KORAM, pn, "Polypropylene compound", "390210", 4.2, 21000, "UZS", "KR")
    needs(KORAM, pn, "Bumper paint", "320820", 0.8, 98000, "UZS", "UZ", DONGJU)
    needs(KORAM, pn, "Brackets and clips", "392690", 1, 70000, "UZS", "CN")
needs(DONGJU, "Bumper paint", "Resins and pigments", "3208", 1, 62000, "UZS", "KR")
part("GRL", ext, "Radiator grille", "870829", KORAM, "UZ", 240000, "UZS", imported=0.55)
part("MIR-L", ext, "Outside mirror LH", "700910", IMP_CN, "CN", 14.0, "USD", incoterm="CIF")
part("MIR-R", ext, "Outside mirror RH", "700910", IMP_CN, "CN", 14.0, "USD", incoterm="CIF")
part("MOLD", ext, "Side mouldings set", "392630", KORAM, "UZ", 160000, "UZS", imported=0.6)
part("BADGE", ext, "Badges set", "392690", IMP_KR, "KR", 3.5, "USD", incoterm="CIF")

# ---- glazing ------------------------------------------------------------------------------------
gl = system("S05", "Glazing")
part("GLS-WS", gl, "Windscreen, laminated", "870822", AVTOOYNA, "UZ", 820000, "UZS")
needs(AVTOOYNA, "GLS-WS", "Float glass", "7005", 2, 95000, "UZS", "RU", RU_STEEL)
needs(AVTOOYNA, "GLS-WS", "PVB interlayer film", "3921", 1, 140000, "UZS", "KR")
part("GLS-BL", gl, "Backlight, toughened, heated", "870822", AVTOOYNA, "UZ", 560000, "UZS", imported=0.5)
part("GLS-Q", gl, "Quarter glass", "700711", AVTOOYNA, "UZ", 90000, "UZS", qty=2, imported=0.5)

# ---- interior ---------------------------------------------------------------------------------
inte = system("S06", "Interior")
part("IP", inte, "Instrument panel", "870829", KORAM, "UZ", 2100000, "UZS")
needs(KORAM, "IP", "Polypropylene compound", "390210", 6.5, 21000, "UZS", "KR")
needs(KORAM, "IP", "ABS compound", "390330", 1.8, 32000, "UZS", "KR")
needs(KORAM, "IP", "Cross-car beam", "732690", 1, 380000, "UZS", "KR")
needs(KORAM, "IP", "Air ducts and vents", "392690", 1, 160000, "UZS", "CN")
part("CONS", inte, "Centre console", "870829", KORAM, "UZ", 420000, "UZS", imported=0.6)
for side in ("FL", "FR", "RL", "RR"):
    part(
        f"DTRIM-{side}",
        inte,
        f"Door trim panel {side}",
        "870829",
        DONG_YANG,
        "UZ",
        260000,
        "UZS",
        imported=0.5,
    )
part("HDLN", inte, "Headliner", "870829", DONG_YANG, "UZ", 380000, "UZS")
needs(DONG_YANG, "HDLN", "Nonwoven face fabric", "5603", 2.2, 28000, "UZS", "CN")
needs(DONG_YANG, "HDLN", "Polyurethane foam substrate", "392113", 1, 90000, "UZS", "KR")
part("CARPET", inte, "Floor carpet", "5703", DONG_YANG, "UZ", 520000, "UZS", imported=0.45)
part("MATS", inte, "Floor mats set", "401691", DONG_YANG, "UZ", 150000, "UZS", imported=0.3)
part("INS-DASH", inte, "Dash insulator", "870829", HANWOO, "UZ", 230000, "UZS", imported=0.5)
part("INS-HOOD", inte, "Hood insulator", "870829", HANWOO, "UZ", 90000, "UZS", imported=0.5)
part("INS-FLR", inte, "Floor silencer pads", "870829", HANWOO, "UZ", 140000, "UZS")
part("PILLAR", inte, "Pillar trims set", "870829", KORAM, "UZ", 210000, "UZS", imported=0.6)
part("SUNV", inte, "Sun visors", "870829", IMP_CN, "CN", 6.2, "USD", qty=2, incoterm="CIF")
part("STWHL", inte, "Steering wheel", "870894", IMP_KR, "KR", 38.0, "USD", incoterm="CIF")
part("CLUSTER", inte, "Instrument cluster", "902920", IMP_KR, "KR", 62.0, "USD", incoterm="CIF")
part("RADIO", inte, "Audio head unit", "852721", IMP_CN, "CN", 48.0, "USD", incoterm="CIF")

# ---- seating ------------------------------------------------------------------------------------
seats = system("S07", "Seating")
for pn, name, price in (
    ("SEAT-FL", "Front seat, driver", 2900000),
    ("SEAT-FR", "Front seat, passenger", 2600000),
    ("SEAT-RC", "Rear seat cushion", 1100000),
    ("SEAT-RB", "Rear seat back", 1300000),
):
    part(pn, seats, name, "940120", TONG_HONG, "UZ", price, "UZS")
    if pn.startswith("SEAT-F"):
        needs(TONG_HONG, pn, "Seat frame", "940199", 1, 1000000, "UZS", "UZ", TONG_HONG)
    else:
        needs(TONG_HONG, pn, "Rear seat wire frame", "940199", 1, price * 0.3, "UZS", "KR")
    needs(TONG_HONG, pn, "Polyurethane foam", "390950", 1, price * 0.1, "UZS", "KR")
    needs(TONG_HONG, pn, "Cover fabric", "5407", 1, price * 0.12, "UZS", "CN")
    if pn.startswith("SEAT-F"):
        needs(TONG_HONG, pn, "Recliner and slide mechanism", "940199", 1, price * 0.14, "UZS", "KR")
# the seat frame: 1,000,000 UZS of cost, 620,000 of it imported tube and mechanisms (the 38% example)
needs(TONG_HONG, "Seat frame", "Steel tube", "730630", 1, 400000, "UZS", "KR")
needs(TONG_HONG, "Seat frame", "Frame mechanisms", "940199", 1, 220000, "UZS", "KR")
part("BELT-F", seats, "Front seat belt", "870821", IMP_KR, "KR", 19.0, "USD", qty=2, incoterm="CIF")
part("BELT-R", seats, "Rear seat belt", "870821", IMP_KR, "KR", 14.0, "USD", qty=3, incoterm="CIF")

# ---- climate ------------------------------------------------------------------------------------
clim = system("S08", "Climate and cooling")
part("HVAC", clim, "HVAC module", "841520", ERAE, "UZ", 3400000, "UZS")
needs(ERAE, "HVAC", "Blower motor", "850131", 1, 420000, "UZS", "KR")
needs(ERAE, "HVAC", "Evaporator core", "841520", 1, 380000, "UZS", "KR")
needs(ERAE, "HVAC", "Heater core", "870891", 1, 210000, "UZS", "UZ")
needs(ERAE, "HVAC", "Housing compound", "390210", 3.0, 21000, "UZS", "KR")
needs(ERAE, "HVAC", "Actuators and controls", "903289", 1, 300000, "UZS", "CN")
part("RAD", clim, "Engine cooling radiator", "870891", ERAE, "UZ", 950000, "UZS")
needs(ERAE, "RAD", "Aluminium strip", "7606", 3.5, 52000, "UZS", "RU", RU_STEEL)
needs(ERAE, "RAD", "Plastic tanks", "392690", 2, 45000, "UZS", "KR")
part("FAN", clim, "Cooling fan module", "841459", ERAE, "UZ", 780000, "UZS", imported=0.6)
part("COND", clim, "Condenser", "841520", ERAE, "UZ", 640000, "UZS", imported=0.55)
part("COMP", clim, "Air-conditioning compressor", "841430", IMP_KR, "KR", 165.0, "USD", incoterm="CIF")
part("ACPIPE", clim, "A/C lines set", "4009", IMP_KR, "KR", 28.0, "USD", incoterm="CIF")
part("HOSES", clim, "Coolant hoses set", "400932", IMP_CN, "CN", 17.0, "USD", incoterm="CIF")

# ---- chassis -------------------------------------------------------------------------------------
ch = system("S09", "Chassis")
part("RAXLE", ch, "Rear axle weldment (torsion beam)", "870850", AUSTEM, "UZ", 1450000, "UZS")
needs(AUSTEM, "RAXLE", "Hot-rolled steel", "7208", 14, 13500, "UZS", "RU", RU_STEEL)
needs(AUSTEM, "RAXLE", "Hub bearings", "848210", 2, 140000, "UZS", "KR")
needs(AUSTEM, "RAXLE", "Bushings", "401699", 2, 38000, "UZS", "KR")
for side in ("LH", "RH"):
    part(f"ARM-{side}", ch, f"Front lower control arm {side}", "870880", AUSTEM, "UZ", 420000, "UZS")
    needs(AUSTEM, f"ARM-{side}", "Hot-rolled steel", "7208", 4.5, 13500, "UZS", "RU", RU_STEEL)
    needs(AUSTEM, f"ARM-{side}", "Ball joint", "870880", 1, 110000, "UZS", "KR")
    needs(AUSTEM, f"ARM-{side}", "Bushings", "401699", 2, 30000, "UZS", "KR")
    part(f"STRUT-{side}", ch, f"Front strut {side}", "870880", IMP_KR, "KR", 34.0, "USD", incoterm="CIF")
    part(f"KNK-{side}", ch, f"Steering knuckle {side}", "870880", IMP_KR, "KR", 29.0, "USD", incoterm="CIF")
    part(
        f"RSHK-{side}", ch, f"Rear shock absorber {side}", "870880", IMP_KR, "KR", 21.0, "USD", incoterm="CIF"
    )
part("SUBFR", ch, "Front subframe", "870880", AUSTEM, "UZ", 1150000, "UZS", imported=0.55)
part("SPR-F", ch, "Front coil spring", "732020", IMP_CN, "CN", 7.5, "USD", qty=2, incoterm="CIF")
part("SPR-R", ch, "Rear coil spring", "732020", IMP_CN, "CN", 7.0, "USD", qty=2, incoterm="CIF")
part("STAB", ch, "Stabiliser bar", "870880", IMP_CN, "CN", 16.0, "USD", incoterm="CIF")

# ---- wheels and tyres -------------------------------------------------------------------------
wh = system("S10", "Wheels and tyres")
part("WHEEL", wh, 'Steel wheel 15"', "870870", AUSTEM, "UZ", 380000, "UZS", qty=5)
needs(AUSTEM, "WHEEL", "Hot-rolled steel", "7208", 9, 13500, "UZS", "RU", RU_STEEL)
needs(AUSTEM, "WHEEL", "Paint", "320820", 0.3, 98000, "UZS", "UZ", DONGJU)
part("TYRE", wh, "Tyre 185/65 R15", "401110", IMP_CN, "CN", 36.0, "USD", qty=5, incoterm="CIF")
part("WCOVER", wh, "Wheel covers", "870870", IMP_CN, "CN", 3.0, "USD", qty=4, incoterm="CIF")

# ---- brakes -------------------------------------------------------------------------------------
br = system("S11", "Brakes")
for pn, name, price, qty in (
    ("BRK-CAL", "Front brake caliper", 38.0, 2),
    ("BRK-DSC", "Front brake disc", 17.0, 2),
    ("BRK-DRUM", "Rear brake drum assembly", 42.0, 2),
    ("BRK-BST", "Brake booster and master cylinder", 58.0, 1),
    ("BRK-ABS", "ABS modulator", 120.0, 1),
    ("BRK-PAD", "Front pads set", 9.0, 1),
    ("BRK-PRK", "Parking brake lever and cables", 14.0, 1),
):
    part(pn, br, name, "870830", IMP_KR, "KR", price, "USD", qty=qty, incoterm="CIF")
part("BRK-LINE", br, "Brake lines set", "730630", IMP_CN, "CN", 11.0, "USD", incoterm="CIF")
part("BRK-HOSE", br, "Brake hoses", "400932", IMP_CN, "CN", 2.5, "USD", qty=4, incoterm="CIF")
part("BRK-FLUID", br, "Brake fluid", "3819", IMP_DE, "DE", 4.0, "EUR", qty=0.8, unit="l", incoterm="CIF")

# ---- steering -------------------------------------------------------------------------------------
st = system("S12", "Steering")
part("STR-COL", st, "Steering column with EPS motor", "870894", IMP_KR, "KR", 145.0, "USD", incoterm="CIF")
part("STR-GEAR", st, "Steering gear (rack and pinion)", "870894", IMP_KR, "KR", 88.0, "USD", incoterm="CIF")
part("STR-TIE", st, "Tie rods", "870894", IMP_CN, "CN", 6.0, "USD", qty=2, incoterm="CIF")

# ---- powertrain: engine assembled by the OEM from bought parts -----------------------------------
pt = system("S13", "Powertrain")
eng = line("ENG", pt, "Engine 1.5 l petrol (assembled by the OEM)", "840734")
for pn, name, hs, price, qty in (
    ("ENG-BLK", "Cylinder block", "840991", 260.0, 1),
    ("ENG-HEAD", "Cylinder head", "840991", 210.0, 1),
    ("ENG-CRK", "Crankshaft", "848310", 95.0, 1),
    ("ENG-CAM", "Camshafts", "848310", 38.0, 2),
    ("ENG-PIS", "Piston and rod set", "840991", 16.0, 4),
    ("ENG-VLV", "Valve train kit", "840991", 70.0, 1),
    ("ENG-ECU", "Engine control unit", "853710", 118.0, 1),
    ("ENG-INJ", "Injectors", "840991", 12.0, 4),
    ("ENG-THR", "Throttle body", "840991", 42.0, 1),
    ("ENG-PUMP", "Water pump", "841330", 24.0, 1),
    ("ENG-OILP", "Oil pump", "841330", 19.0, 1),
    ("ENG-BELT", "Timing belt kit", "4010", 21.0, 1),
    ("ENG-GSK", "Gasket set", "401693", 14.0, 1),
    ("ENG-FLY", "Flywheel", "848350", 33.0, 1),
    ("ENG-SPK", "Spark plugs", "851110", 2.4, 4),
    ("ENG-COIL", "Ignition coils", "851130", 11.0, 4),
    ("ENG-START", "Starter motor", "851140", 48.0, 1),
):
    part(pn, eng, name, hs, IMP_KR, "KR", price, "USD", qty=qty, incoterm="CIF")
for pn, name, price in (
    ("ENG-PAN", "Oil pan, die-cast aluminium", 290000),
    ("ENG-CVR", "Cam cover, die-cast aluminium", 240000),
    ("ENG-TCV", "Timing cover, die-cast aluminium", 210000),
    ("ENG-MNT", "Engine mount brackets", 160000),
):
    part(pn, eng, name, "840991", INZI, "UZ", price, "UZS")
    needs(INZI, pn, "Aluminium alloy ingot", "7601", 1, price * 0.42, "UZS", "RU", RU_STEEL)
part("ENG-ALT", eng, "Alternator", "851150", MINDA, "UZ", 720000, "UZS", imported=0.65)
part(
    "ENG-OIL",
    eng,
    "Engine oil, first fill",
    "271019",
    IMP_DE,
    "DE",
    5.0,
    "EUR",
    qty=4,
    unit="l",
    incoterm="CIF",
)
part("GBX", pt, "Manual transaxle, 5-speed", "870840", IMP_KR, "KR", 640.0, "USD", incoterm="CIF")
part("CLUTCH", pt, "Clutch kit", "870893", IMP_KR, "KR", 46.0, "USD", incoterm="CIF")
part("DSHAFT", pt, "Drive shafts", "870850", IMP_KR, "KR", 72.0, "USD", qty=2, incoterm="CIF")
part("ENGMNT", pt, "Engine mounts", "401699", IMP_CN, "CN", 9.0, "USD", qty=3, incoterm="CIF")
part("AIRF", pt, "Air filter box", "842131", IMP_CN, "CN", 14.0, "USD", incoterm="CIF")
part("OILF", pt, "Oil filter", "842123", IMP_CN, "CN", 2.2, "USD", incoterm="CIF")
part("COOL", pt, "Coolant, first fill", "3820", IMP_DE, "DE", 2.5, "EUR", qty=5, unit="l", incoterm="CIF")

# ---- fuel and exhaust ---------------------------------------------------------------------------
fu = system("S14", "Fuel and exhaust")
part("TANK", fu, "Fuel tank, steel", "870899", SAEMYUNG, "UZ", 1350000, "UZS")
needs(SAEMYUNG, "TANK", "Coated steel sheet", "721049", 9, 16000, "UZS", "RU", RU_STEEL)
needs(SAEMYUNG, "TANK", "Fuel pump module", "841330", 1, 520000, "UZS", "KR")
part("FLINE", fu, "Fuel lines", "730630", IMP_CN, "CN", 8.0, "USD", incoterm="CIF")
part("MUF-F", fu, "Front muffler and pipe", "870892", DONG_WON, "UZ", 620000, "UZS")
part("MUF-R", fu, "Rear muffler", "870892", DONG_WON, "UZ", 540000, "UZS")
for pn in ("MUF-F", "MUF-R"):
    needs(DONG_WON, pn, "Stainless steel sheet and tube", "7306", 1, 210000, "UZS", "KR")
    needs(DONG_WON, pn, "Hangers and clamps", "732690", 1, 40000, "UZS", "CN")
part("CAT", fu, "Catalytic converter", "870892", IMP_DE, "DE", 180.0, "EUR", incoterm="CIF")

# ---- electrical and electronics ----------------------------------------------------------------
el = system("S15", "Electrical and electronics")
for pn, name, price in (
    ("HAR-MAIN", "Main wiring harness", 2400000),
    ("HAR-ENG", "Engine wiring harness", 980000),
    ("HAR-DRL", "Door harness LH", 160000),
    ("HAR-DRR", "Door harness RH", 160000),
    ("HAR-RR", "Rear harness", 240000),
    ("HAR-ROOF", "Roof harness", 90000),
):
    part(pn, el, name, "854430", KOJE, "UZ", price, "UZS")
    needs(KOJE, pn, "Insulated copper wire", "854449", 1, price * 0.38, "UZS", "CN")
    needs(KOJE, pn, "Connectors and terminals", "853669", 1, price * 0.22, "UZS", "KR")
part("BATT", el, "Starter battery 60 Ah", "850710", DAZ, "UZ", 850000, "UZS")
needs(DAZ, "BATT", "Refined lead", "7801", 12, 27000, "UZS", "KZ")
needs(DAZ, "BATT", "Battery case", "850790", 1, 60000, "UZS", "UZ")
part("BCM", el, "Body control module", "853710", IMP_KR, "KR", 55.0, "USD", incoterm="CIF")
part("AIRB-D", el, "Driver airbag", "870895", IMP_KR, "KR", 64.0, "USD", incoterm="CIF")
part("AIRB-P", el, "Passenger airbag", "870895", IMP_KR, "KR", 71.0, "USD", incoterm="CIF")
part("AIRB-ECU", el, "Airbag control unit", "853710", IMP_KR, "KR", 49.0, "USD", incoterm="CIF")
part("HORN", el, "Horn", "851230", IMP_CN, "CN", 3.2, "USD", qty=2, incoterm="CIF")
part("WIPER", el, "Windscreen wiper system", "851240", IMP_KR, "KR", 39.0, "USD", incoterm="CIF")
part("FUSEBOX", el, "Fuse and relay box", "853610", IMP_KR, "KR", 22.0, "USD", incoterm="CIF")
part("SW-SET", el, "Switches set", "853650", IMP_CN, "CN", 18.0, "USD", incoterm="CIF")
for n, name in enumerate(
    (
        "Oxygen sensor",
        "Coolant temperature sensor",
        "Crankshaft position sensor",
        "Camshaft position sensor",
        "Wheel speed sensor",
        "Fuel level sender",
    ),
    start=1,
):
    part(
        f"SENS-{n}",
        el,
        name,
        "903289",
        IMP_KR,
        "KR",
        RNG.randint(6, 28),
        "USD",
        qty=4 if "Wheel" in name else 1,
        incoterm="CIF",
    )

# ---- lighting -------------------------------------------------------------------------------------
li = system("S16", "Lighting")
for pn, name, price in (
    ("HL-L", "Headlamp LH", 1150000),
    ("HL-R", "Headlamp RH", 1150000),
    ("TL-L", "Tail lamp LH", 420000),
    ("TL-R", "Tail lamp RH", 420000),
    ("FOG-L", "Fog lamp LH", 180000),
    ("FOG-R", "Fog lamp RH", 180000),
):
    part(pn, li, name, "851220", CHASYS, "UZ", price, "UZS")
    needs(CHASYS, pn, "Polycarbonate lens compound", "390740", 1, price * 0.16, "UZS", "KR")
    needs(CHASYS, pn, "Reflector and housing compound", "390210", 1, price * 0.1, "UZS", "KR")
    needs(CHASYS, pn, "Bulbs and LED boards", "853952", 1, price * 0.22, "UZS", "CN")
part("CHMSL", li, "High-mounted stop lamp", "851220", CHASYS, "UZ", 90000, "UZS", imported=0.6)
part("TURN", li, "Side turn repeaters", "851220", CHASYS, "UZ", 45000, "UZS", qty=2)
part("PLATE", li, "Licence plate lamp", "851220", IMP_CN, "CN", 1.8, "USD", qty=2, incoterm="CIF")
part("DOME", li, "Dome lamp", "851220", IMP_CN, "CN", 3.5, "USD", incoterm="CIF")

# ---- fasteners and small parts -----------------------------------------------------------------
fa = system("S17", "Fasteners and small parts")
for n in range(1, 41):
    kind = ("Bolt", "731815") if n % 3 else ("Nut", "731816")
    size = RNG.choice(["M6", "M8", "M10", "M12"])
    supplier, country = (IMP_CN, "CN") if n % 4 else (RU_PARTS, "RU")
    part(
        f"FST-{n:03d}",
        fa,
        f"{kind} {size} type {n}",
        kind[1],
        supplier,
        country,
        round(RNG.uniform(0.03, 0.35), 2) if country == "CN" else round(RNG.uniform(3, 25), 1),
        "USD" if country == "CN" else "RUB",
        qty=RNG.choice([4, 6, 8, 10, 12, 16, 20]),
        incoterm="CIF" if country == "CN" else "FCA",
        imported=None if country == "CN" else 0.2,
    )
for n in range(1, 21):
    part(
        f"CLIP-{n:02d}",
        fa,
        f"Plastic clip type {n}",
        "392690",
        IMP_CN,
        "CN",
        round(RNG.uniform(0.02, 0.15), 2),
        "USD",
        qty=RNG.choice([6, 10, 12, 20, 30]),
        incoterm="CIF",
    )
for n in range(1, 11):
    part(
        f"GROM-{n:02d}",
        fa,
        f"Rubber grommet type {n}",
        "401699",
        IMP_CN,
        "CN",
        round(RNG.uniform(0.05, 0.4), 2),
        "USD",
        qty=RNG.choice([2, 4, 6, 8]),
        incoterm="CIF",
    )
part("WASHER", fa, "Washers assortment", "731822", RU_PARTS, "RU", 45.0, "RUB", incoterm="FCA")

vehicle = [
    [
        "code",
        "name",
        "oem",
        "brand",
        "hs_code",
        "production_country",
        "annual_volume",
        "volume_year",
        "volume_source",
        "own_cost",
        "own_cost_currency",
        "exw_price",
        "exw_currency",
        "price_date",
        "operations",
        "illustrative",
    ],
    [
        "DEMO-B-SEDAN",
        "B-segment sedan (illustrative demo)",
        "UzAuto Motors",
        "Chevrolet",
        "8703.22",
        "UZ",
        100000,
        2025,
        "illustrative round figure, not a reported volume",
        21000000,
        "UZS",
        165000000,
        "UZS",
        DAY,
        "body_welding;body_painting;engine_assembly_and_tests",
        "yes",
    ],
]
rates = [
    ["currency", "date", "uzs_per_unit"],
    ["USD", "2025-01-01", 12900],
    ["EUR", "2025-01-01", 13400],
    ["RUB", "2025-01-01", 118],
    ["KRW", "2025-01-01", 8.8],
    ["CNY", "2025-01-01", 1770],
    ["USD", "2025-06-01", 12700],
    ["EUR", "2025-06-01", 14300],
    ["RUB", "2025-06-01", 160],
    ["KRW", "2025-06-01", 9.3],
    ["CNY", "2025-06-01", 1760],
]


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(OUT / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("vehicle", vehicle[0], vehicle[1:])
    write("bom", ["part_number", "parent", "name", "hs_code", "quantity", "unit"], bom)
    write(
        "sourcing",
        [
            "part_number",
            "supplier",
            "production_country",
            "unit_price",
            "currency",
            "price_date",
            "incoterm",
            "volume_share",
            "imported_share",
            "operations",
            "illustrative",
        ],
        sourcing,
    )
    write(
        "supplier_inputs",
        [
            "supplier",
            "part_number",
            "input",
            "hs_code",
            "quantity",
            "unit_cost",
            "currency",
            "origin_country",
            "input_supplier",
            "price_date",
            "illustrative",
        ],
        inputs,
    )
    write("rates", rates[0], rates[1:])
    print(f"{len(bom)} BOM lines, {len(sourcing)} sources, {len(inputs)} supplier inputs -> {OUT}")


if __name__ == "__main__":
    main()
