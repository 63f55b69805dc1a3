"""Profiles shared by the matching tests: real Uzbek suppliers' sourced product lines and
made-up ones (illustrative)."""

from datetime import date

import pytest

from cooplab.matching.profiles import Capability, Certification, Location, Need

ON = date(2026, 11, 1)
ASAKA = Location(name="Asaka", latitude=40.64153, longitude=72.23868)
ANDIJAN = Location(name="Andijan", latitude=40.78338, longitude=72.35067)
TOGLIATTI = Location(name="Togliatti", latitude=53.5303, longitude=49.3461)


@pytest.fixture
def austem() -> Capability:
    return Capability(
        id=1,
        supplier_id=10,
        supplier="O'zAuto-Austem",
        supplier_tier=1,
        supplier_country="UZ",
        hs_codes=["8708.70"],
        processes=["stamping", "welding"],
        annual_capacity=900_000,
        certifications=[Certification(name="IATF 16949", expires=date(2027, 3, 31))],
        sites=[ANDIJAN],
        description="Steel wheels for Lacetti, Cobalt and Spark",
    )


@pytest.fixture
def volga_wheels() -> Capability:
    return Capability(
        id=2,
        supplier_id=11,
        supplier="Тольяттинский колёсный завод",
        supplier_tier=2,
        supplier_country="RU",
        hs_codes=["870870"],
        processes=["stamping", "welding", "painting"],
        annual_capacity=1_200_000,
        sites=[TOGLIATTI],
        illustrative=True,
        certifications=[Certification(name="ISO/TS 16949", expires=date(2026, 12, 31))],
        description="Штампованные стальные колёсные диски для легковых автомобилей",
    )


@pytest.fixture
def seats() -> Capability:
    return Capability(
        id=3,
        supplier_id=12,
        supplier="Uz-Tong Hong Co",
        supplier_tier=1,
        supplier_country="UZ",
        hs_codes=["9401.20"],
        annual_capacity=300_000,
        sites=[ANDIJAN],
        description="Car seats for Nexia, Damas, Matiz, Spark, Lacetti and Cobalt",
    )


@pytest.fixture
def wheel_need() -> Need:
    return Need(
        id=1,
        ref="N1",
        buyer="UzAuto Motors",
        hs_code="8708.70",
        part='Колёсный диск 15"',
        description="Стальные колёсные диски для Cobalt",
        annual_volume=300_000,
        processes=["stamping", "welding"],
        certifications=["IATF 16949"],
        delivery_place=ASAKA,
        deadline=date(2027, 3, 1),
        target_price="38",
        currency="USD",
    )
