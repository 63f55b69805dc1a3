"""A synthetic supplier base for scale benchmarks and tests: every record illustrative.

Deterministic from a seed: capability row i and need j are made from their own random
streams, so a benchmark can rebuild any record it must explain without keeping a million in
memory. Suppliers specialise in a few product families; products follow a skewed popularity
(some HS subheadings are common, most are rare); descriptions mix Russian, Uzbek and English
phrases of the term list with made-up words and model names, so texts vary as real ones do.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from cooplab.matching.profiles import Capability, Certification, Location, Need
from cooplab.matching.text import default_terms
from cooplab.vocab.processes import Process

#: Product concepts with HS subheadings and typical processes (synthetic profiles only).
PRODUCTS: dict[str, tuple[tuple[str, ...], tuple[Process, ...]]] = {
    "wheel": (("870870",), (Process.STAMPING, Process.WELDING, Process.PAINTING)),
    "tyre": (("401110",), (Process.TYRE_BUILDING,)),
    "seat": (("940120",), (Process.SEWING_AND_TRIM, Process.FOAMING, Process.ASSEMBLY)),
    "seat_belt": (("870821",), (Process.SEWING_AND_TRIM, Process.ASSEMBLY)),
    "airbag": (("870895",), (Process.SEWING_AND_TRIM, Process.ASSEMBLY)),
    "bumper": (("870810",), (Process.INJECTION_MOULDING, Process.PAINTING)),
    "instrument_panel": (("870829",), (Process.INJECTION_MOULDING, Process.ASSEMBLY)),
    "door_trim": (("870829",), (Process.INJECTION_MOULDING, Process.SEWING_AND_TRIM)),
    "headliner": (("870829",), (Process.SEWING_AND_TRIM,)),
    "floor_covering": (("570320", "401691"), (Process.SEWING_AND_TRIM,)),
    "noise_insulation": (("870829", "560290"), (Process.FOAMING,)),
    "fuel_tank": (("870899",), (Process.BLOW_MOULDING, Process.STAMPING, Process.WELDING)),
    "muffler": (("870892",), (Process.TUBE_BENDING, Process.WELDING)),
    "catalytic_converter": (("842132",), (Process.WELDING, Process.ASSEMBLY)),
    "door_beam": (("870829",), (Process.STAMPING, Process.HEAT_TREATMENT)),
    "body_panel": (("870829",), (Process.STAMPING, Process.WELDING)),
    "fender": (("870829",), (Process.STAMPING,)),
    "hood": (("870829",), (Process.STAMPING, Process.WELDING)),
    "subframe": (("870899",), (Process.STAMPING, Process.WELDING)),
    "control_arm": (("870880",), (Process.STAMPING, Process.WELDING, Process.FORGING)),
    "axle": (("870850",), (Process.WELDING, Process.MACHINING)),
    "shock_absorber": (("870880",), (Process.MACHINING, Process.ASSEMBLY)),
    "spring": (("732020",), (Process.SPRING_MAKING, Process.HEAT_TREATMENT)),
    "steering": (("870894",), (Process.MACHINING, Process.ASSEMBLY)),
    "brake": (("870830",), (Process.SAND_CASTING, Process.MACHINING)),
    "hvac": (("841520",), (Process.ASSEMBLY,)),
    "radiator": (("870891",), (Process.ASSEMBLY,)),
    "fan": (("841459",), (Process.INJECTION_MOULDING, Process.ASSEMBLY)),
    "ac_hose": (("400931", "741121"), (Process.RUBBER_MOULDING, Process.TUBE_BENDING)),
    "headlight": (("851220",), (Process.INJECTION_MOULDING, Process.ASSEMBLY)),
    "mirror": (("700910",), (Process.INJECTION_MOULDING, Process.ASSEMBLY)),
    "glass": (("700711", "700721"), (Process.GLASS_FORMING,)),
    "window_regulator": (("870829",), (Process.STAMPING, Process.ASSEMBLY)),
    "wiper": (("851240",), (Process.STAMPING, Process.ASSEMBLY)),
    "wiring_harness": (("854430",), (Process.WIRE_HARNESS,)),
    "battery": (("850710",), (Process.BATTERY_ASSEMBLY,)),
    "alternator": (("851150",), (Process.ASSEMBLY, Process.MACHINING)),
    "starter": (("851140",), (Process.ASSEMBLY,)),
    "electronics": (("853710",), (Process.PCB_ASSEMBLY,)),
    "sensor": (("903180",), (Process.PCB_ASSEMBLY,)),
    "switch": (("853650",), (Process.INJECTION_MOULDING, Process.ASSEMBLY)),
    "engine": (("840991",), (Process.DIE_CASTING, Process.MACHINING)),
    "gearbox": (("870840",), (Process.MACHINING, Process.HEAT_TREATMENT)),
    "pump": (("841330",), (Process.DIE_CASTING, Process.MACHINING)),
    "compressor": (("841430",), (Process.MACHINING, Process.ASSEMBLY)),
    "filter": (("842123", "842131"), (Process.ASSEMBLY,)),
    "bearing": (("848210",), (Process.MACHINING, Process.HEAT_TREATMENT)),
    "seal": (("401693",), (Process.RUBBER_MOULDING, Process.EXTRUSION)),
    "fastener": (("731815", "731816"), (Process.FORGING, Process.SURFACE_TREATMENT)),
    "lock": (("830120",), (Process.STAMPING, Process.DIE_CASTING)),
    "grille": (("870829",), (Process.INJECTION_MOULDING, Process.PAINTING)),
    "paint": (("320810",), ()),
    "tube": (("730630",), (Process.TUBE_BENDING, Process.WELDING)),
    "casting_part": (("761699",), (Process.DIE_CASTING, Process.MACHINING)),
    "stamped_part": (("732690",), (Process.STAMPING,)),
    "forged_part": (("732619",), (Process.FORGING, Process.MACHINING)),
    "rubber_part": (("401699",), (Process.RUBBER_MOULDING,)),
    "plastic_part": (("392690",), (Process.INJECTION_MOULDING,)),
    "foam_part": (("940190",), (Process.FOAMING,)),
}
CITIES = [  # name, latitude, longitude (GeoNames, as in cooplab/data/places.csv)
    ("Asaka", 40.64153, 72.23868),
    ("Andijan", 40.78338, 72.35067),
    ("Namangan", 40.9983, 71.67257),
    ("Tashkent", 41.26465, 69.21627),
    ("Jizzakh", 40.13351, 67.82956),
    ("Togliatti", 53.5303, 49.3461),
    ("Samara", 53.20767, 50.13553),
    ("Nizhny Novgorod", 56.32867, 44.00205),
    ("Naberezhnye Chelny", 55.73718, 52.41961),
    ("Ulyanovsk", 54.32824, 48.38657),
    ("Izhevsk", 56.85225, 53.19862),
    ("Moscow", 55.75204, 37.61781),
    ("Saint Petersburg", 59.93863, 30.31413),
    ("Kaliningrad", 54.70639, 20.51102),
    ("Busan", 35.10168, 129.03004),
    ("Ulsan", 35.53722, 129.31667),
]
DELIVERY = CITIES[:5]
MODELS = [
    "Cobalt",
    "Nexia",
    "Damas",
    "Spark",
    "Tracker",
    "Onix",
    "Lacetti",
    "Vesta",
    "Largus",
    "Seltos",
    "K5",
    "Jolion",
    "Tiggo",
]
QUALIFIERS = {
    "ru": [
        "для легковых автомобилей",
        "серийное производство",
        "по чертежам заказчика",
        "с контролем качества",
        "для сборочного конвейера",
        "малые и средние серии",
    ],
    "uz": [
        "yengil avtomobillar uchun",
        "seriyali ishlab chiqarish",
        "buyurtmachi chizmalari bo'yicha",
        "sifat nazorati bilan",
        "yig'uv konveyeri uchun",
    ],
    "en": [
        "for passenger cars",
        "series production",
        "to customer drawings",
        "with quality control",
        "for the assembly line",
        "small and medium batches",
    ],
}
SYLLABLES = [
    "ka",
    "ro",
    "vol",
    "zhi",
    "tek",
    "mash",
    "lit",
    "uz",
    "ta",
    "der",
    "nik",
    "sha",
    "bek",
    "ar",
    "mon",
    "ex",
    "pro",
    "stal",
    "in",
    "vo",
    "gor",
    "lan",
    "tor",
    "shin",
]


def _day(rng: random.Random) -> date:
    return date(2025, 1, 1) + timedelta(days=rng.randint(0, 1800))


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


@dataclass
class SupplierBase:
    """Parameters of a synthetic base: sizes and the seed."""

    suppliers: int = 100_000
    capabilities: int = 1_000_000
    needs: int = 10_000
    seed: int = 14

    @cached_property
    def _phrases(self) -> dict[str, dict[str, list[str]]]:
        from importlib import resources

        import yaml

        raw = yaml.safe_load(
            resources.files("cooplab.data").joinpath("matching/terms.yaml").read_text("utf-8")
        )
        return {key: by_lang for kind in raw.values() for key, by_lang in kind.items()}

    @cached_property
    def _popularity(self) -> list[float]:
        rng = random.Random(self.seed)
        names = list(PRODUCTS)
        rng.shuffle(names)
        self._ordered = names
        return [1.0 / (rank + 1) ** 0.8 for rank in range(len(names))]

    def _product(self, rng: random.Random) -> str:
        weights = self._popularity
        return rng.choices(self._ordered, weights=weights)[0]

    def _describe(self, rng: random.Random, product: str, lang: str) -> str:
        phrases = self._phrases[product].get(lang) or self._phrases[product]["en"]
        words = [rng.choice(phrases)]
        if rng.random() < 0.6:
            words.append(rng.choice(phrases))
        processes = PRODUCTS[product][1]
        if processes and rng.random() < 0.5:
            process_phrases = self._phrases.get(processes[0].value, {}).get(lang)
            if process_phrases:
                words.append(rng.choice(process_phrases))
        words.append(rng.choice(QUALIFIERS[lang]))
        if rng.random() < 0.5:
            words.append(", ".join(rng.sample(MODELS, 2)))
        words.append(_word(rng, rng.randint(2, 4)))
        return ", ".join(words)

    def supplier_of(self, row: int) -> int:
        """The supplier of capability row `row` (suppliers hold consecutive rows)."""
        return row * self.suppliers // self.capabilities

    def _supplier(
        self, supplier: int
    ) -> tuple[str, int, str, list[Location], list[str], list[Certification]]:
        cache = self.__dict__.setdefault("_supplier_cache", {})
        if supplier not in cache:
            if len(cache) > 64:
                cache.clear()
            cache[supplier] = self._make_supplier(supplier)
        return cache[supplier]

    def _make_supplier(
        self, supplier: int
    ) -> tuple[str, int, str, list[Location], list[str], list[Certification]]:
        rng = random.Random(self.seed * 7_919 + supplier)
        country = rng.choices(["RU", "UZ", "KZ", "KR"], weights=[55, 35, 5, 5])[0]
        cities = {"RU": CITIES[5:14], "UZ": CITIES[:5], "KZ": CITIES[3:4], "KR": CITIES[14:]}[country]
        sites = [
            Location(
                name=c[0], latitude=c[1] + rng.uniform(-0.2, 0.2), longitude=c[2] + rng.uniform(-0.2, 0.2)
            )
            for c in rng.sample(cities, min(len(cities), rng.choice([1, 1, 1, 2])))
        ]
        families = [self._product(rng) for _ in range(rng.randint(1, 3))]
        certs = []
        if rng.random() < 0.4:
            certs.append(Certification(name="IATF 16949", expires=_day(rng)))
        if rng.random() < 0.6:
            certs.append(Certification(name="ISO 9001", expires=_day(rng)))
        name = _word(rng, 3).capitalize() + " " + rng.choice(["Avto", "Metall", "Plast", "Komponent", "Tech"])
        return name, rng.choice([1, 2, 2, 3]), country, sites, families, certs

    def capability(self, row: int) -> Capability:
        """Capability row `row`, the same every time."""
        supplier = self.supplier_of(row)
        name, tier, country, sites, families, certs = self._supplier(supplier)
        rng = random.Random(self.seed * 104_729 + row)
        product = rng.choice(families) if rng.random() < 0.9 else self._product(rng)
        codes, processes = PRODUCTS[product]
        lang = rng.choice(["ru", "ru", "uz", "en"])
        hs = [rng.choice(codes)] + (
            [rng.choice(list(PRODUCTS.values()))[0][0]] if rng.random() < 0.15 else []
        )
        return Capability(
            id=row,
            supplier_id=supplier,
            supplier=name,
            supplier_tier=tier,
            supplier_country=country,
            hs_codes=hs,
            processes=[p for p in processes if rng.random() < 0.85],
            annual_capacity=rng.choice([None, *[rng.randint(1, 100) * 10_000 for _ in range(4)]]),
            certifications=certs,
            sites=sites,
            description={lang: self._describe(rng, product, lang)},
            illustrative=True,
        )

    def need(self, number: int) -> Need:
        """Need `number`, the same every time."""
        rng = random.Random(self.seed * 1_299_709 + number)
        product = self._product(rng)
        codes, processes = PRODUCTS[product]
        lang = rng.choice(["ru", "uz", "en"])
        city = rng.choice(DELIVERY)
        return Need(
            id=number,
            ref=f"S{number:05d}",
            buyer=rng.choice(["UzAuto Motors", "ADM Jizzakh"]),
            buyer_tier=rng.choice([None, None, None, 1]),
            hs_code=rng.choice(codes) if rng.random() < 0.8 else None,
            description={lang: self._describe(rng, product, lang)},
            annual_volume=rng.randint(1, 50) * 10_000,
            processes=[p for p in processes if rng.random() < 0.5],
            certifications=["IATF 16949"] if rng.random() < 0.3 else [],
            delivery_place=Location(name=city[0], latitude=city[1], longitude=city[2]),
            deadline=date(2026, 6, 1) + timedelta(days=rng.randint(0, 700)) if rng.random() < 0.5 else None,
            illustrative=True,
        )

    def capabilities_iter(self) -> Iterator[Capability]:
        for row in range(self.capabilities):
            yield self.capability(row)

    def needs_list(self) -> list[Need]:
        return [self.need(i) for i in range(self.needs)]


def synthetic_table(base: SupplierBase, *, progress: bool = False):
    """The capability table of a synthetic base; its `load` rebuilds records from the seed (a
    capability's id is its row in the base)."""
    from cooplab.matching.table import TableBuilder

    builder = TableBuilder()
    for row, cap in enumerate(base.capabilities_iter()):
        builder.add_capability(cap)
        if progress and row and row % 100_000 == 0:
            print(f"  built {row:,} rows", flush=True)
    return builder.build(load=lambda ids: [base.capability(int(i)) for i in ids])


__all__ = ["PRODUCTS", "SupplierBase", "default_terms", "synthetic_table"]
