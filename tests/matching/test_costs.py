"""Landed cost in a ranking: a supplier's offer priced at the need's delivery place by
feasibility's calculators (freight by road at the sourced truck rate, customs by origin, dated
rates), set against the need's target price; what cannot be priced says why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cooplab.catalog.schemas import RateIn
from cooplab.catalog.service import set_rate
from cooplab.core.actor import SYSTEM
from cooplab.errors import ImportFileError
from cooplab.matching import costs, service
from cooplab.matching.profiles import Capability, Location, Need, Offer
from cooplab.vocab.money import Rate
from tests.factories import make_org, make_place
from tests.matching.conftest import ANDIJAN, ASAKA, TOGLIATTI
from tests.matching.test_service import CAPABILITIES, NEEDS, files

ON = date(2026, 12, 1)
RATES = [
    Rate("USD", date(2025, 6, 1), Decimal(12700)),
    Rate("RUB", date(2025, 6, 1), Decimal(160)),
]
WHEELS = Need(
    id=1,
    buyer="UzAuto Motors",
    hs_code="8708.70",
    part="Steel wheel",
    target_price=Decimal("38.5"),
    currency="USD",
    delivery_place=ASAKA,
)


def offer_of(country: str, site: Location, offer: Offer, hs: tuple[str, ...] = ("870870",)) -> Capability:
    return Capability(
        id=7, supplier="Maker", supplier_country=country, hs_codes=hs, sites=(site,), offer=offer
    )


def quote(capability: Capability, need: Need = WHEELS) -> costs.Quote:
    found = costs.quote(need, capability, import_country="UZ", rates=RATES, on=ON)
    assert found is not None
    return found


def test_a_russian_offer_is_priced_with_freight_and_no_duty_under_the_cis_fta() -> None:
    found = quote(offer_of("RU", TOGLIATTI, Offer(unit_price=2300, currency="RUB", units_per_shipment=800)))
    landed = found.landed
    assert landed is not None and found.missing is None and found.assumed_st1
    parts = {c.name: c for c in landed.components}
    assert landed.currency == "USD" and landed.regime == "cis_fta"
    assert parts["price"].amount == Decimal("28.9764")  # 2300 RUB x 160 / 12700
    assert parts["duty"].amount == 0 and parts["freight"].amount > 0 and parts["freight"].assumption
    assert sum(c.amount for c in landed.components) == landed.total_per_unit


def test_freight_grows_with_distance_and_shrinks_with_fuller_trucks() -> None:
    offer = Offer(unit_price=31, currency="USD", units_per_shipment=600)
    near, far = quote(offer_of("UZ", ANDIJAN, offer)), quote(offer_of("UZ", TOGLIATTI, offer))
    assert near.total is not None and far.total is not None and near.total < far.total
    fuller = quote(offer_of("UZ", TOGLIATTI, offer.model_copy(update={"units_per_shipment": 1200})))
    assert fuller.total is not None and fuller.total < far.total


def test_a_delivered_price_carries_no_freight() -> None:
    found = quote(offer_of("UZ", ANDIJAN, Offer(unit_price=31, currency="USD", incoterm="DAP")))
    assert found.total == Decimal("31.0000")


@pytest.mark.parametrize(
    ("capability", "code"),
    [
        (
            offer_of("KR", TOGLIATTI, Offer(unit_price=25, currency="USD", units_per_shipment=600)),
            "cost_no_duty_rate",
        ),
        (offer_of("UZ", ANDIJAN, Offer(unit_price=31, currency="USD")), "cost_no_units"),
        (offer_of("UZ", ANDIJAN, Offer(unit_price=31, currency="EUR", incoterm="DAP")), "cost_not_priced"),
    ],
)
def test_what_cannot_be_priced_says_why(capability: Capability, code: str) -> None:
    found = quote(capability)
    assert found.landed is None and found.missing is not None and found.missing.code == code


def test_nothing_to_price_without_an_offer_or_a_target() -> None:
    plain = Capability(id=7, supplier="Maker", supplier_country="UZ", hs_codes=("870870",), sites=(ANDIJAN,))
    assert costs.quote(WHEELS, plain, import_country="UZ", rates=RATES, on=ON) is None
    no_target = WHEELS.model_copy(update={"target_price": None, "currency": None})
    priced = offer_of("UZ", ANDIJAN, Offer(unit_price=31, currency="USD", incoterm="DAP"))
    assert costs.quote(no_target, priced, import_country="UZ", rates=RATES, on=ON) is None


def test_the_road_rate_comes_from_the_sourced_tariff_and_is_marked_an_assumption() -> None:
    tariff = costs.road_tariff()
    assert tariff.assumption and tariff.currency == "RUB" and tariff.basis == "per_km"
    assert 50 < tariff.amount < 100  # 252,000 RUB over about 3,460 km by road
    assert costs.road_rate_note().params["amount"] == 252000


@pytest.fixture
def registry(session) -> None:
    """The buyer and the two wheel makers of the stored workbook, and their places."""
    make_org(session, "UzAuto Motors", kind="oem", country="UZ")
    make_org(session, "Uz-Dong Won", kind="supplier", tier=1, country="UZ")
    make_org(session, "Volga Wheels", kind="supplier", tier=2, country="RU")
    make_org(session, "Seat Maker", kind="supplier", tier=1, country="UZ")
    make_place(
        session, "Andijan", names=[{"value": "Andijan", "lang": "en"}], latitude=40.78, longitude=72.35
    )
    make_place(session, "Asaka", names=[{"value": "Asaka", "lang": "en"}], latitude=40.64, longitude=72.24)


OFFERS = CAPABILITIES.replace(
    "visibility\n", "visibility,unit_price,price_currency,incoterm,units_per_shipment\n", 1
)
OFFERS = OFFERS.replace(
    "Steel wheels for passenger cars,members", "Steel wheels for passenger cars,members,36,USD,FCA,700"
)
OFFERS = OFFERS.replace("колёсные диски,organization", "колёсные диски,organization,2300,RUB,FCA,800")
OFFERS = OFFERS.replace("fabric covers,members", "fabric covers,members,,,,")


def test_a_ranking_shows_landed_cost_against_the_target_price(session, registry) -> None:
    for currency, rate in (("USD", 12700), ("RUB", 160)):
        set_rate(
            session=session,
            actor=SYSTEM,
            data=RateIn(currency=currency, day=date(2025, 6, 1), uzs_per_unit=rate),
        )
    service.import_workbook(session=session, actor=SYSTEM, files=files(capabilities=OFFERS))
    found = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    by_supplier = {m.supplier: m for m in found.data}
    local, russian = by_supplier["Uz-Dong Won"], by_supplier["Volga Wheels"]
    assert local.landed_cost is not None and russian.landed_cost is not None
    assert local.landed_cost.target_price == Decimal("38.5") and local.landed_cost.currency == "USD"
    assert local.landed_cost.total_per_unit is not None and local.landed_cost.total_per_unit > 36
    assert local.landed_cost.difference is not None and local.landed_cost.difference < 0
    assert "cost_under" in local.reason_codes and any("under target" in r for r in local.reasons)
    assert any("ST-1" in n for n in russian.landed_cost.notes)
    ru = service.need_matches(session=session, actor=SYSTEM, key="W-1", lang="ru")
    assert any("ниже целевой" in r for r in ru.data[0].reasons)
    assert any("СТ-1" in n for m in ru.data if m.landed_cost for n in m.landed_cost.notes)
    shown = service.capability_detail(session=session, actor=SYSTEM, capability_id=local.capability_id or 0)
    assert shown.offer is not None and shown.offer.units_per_shipment == 700


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ("-5,USD,FCA,700", "unit_price", "unit_price_not_positive"),
        ("36,,FCA,700", "price_currency", "unit_price_currency_missing"),
        ("36,USD,FOOB,700", "incoterm", "incoterm_invalid"),
        ("36,USD,FCA,0", "units_per_shipment", "units_not_positive"),
        (",,FCA,", "incoterm", "offer_without_price"),
    ],
)
def test_a_bad_offer_is_named_and_nothing_is_stored(
    session, registry, cells: str, column: str, code: str
) -> None:
    bad = OFFERS.replace("members,36,USD,FCA,700", f"members,{cells}")
    with pytest.raises(ImportFileError) as raised:
        service.import_workbook(session=session, actor=SYSTEM, files=files(capabilities=bad, needs=NEEDS))
    assert {"loc": ["capabilities", 2, column], "code": code}.items() <= raised.value.details[0].items()
    assert service.list_capabilities(session=session, actor=SYSTEM).count == 0
