"""A need's page prices the suppliers that state an offer: landed cost a unit against the
target price, its breakdown and assumptions, in the reader's language; a supplier without an
offer says so."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.catalog.schemas import RateIn
from cooplab.catalog.service import set_rate
from cooplab.core.actor import SYSTEM
from cooplab.matching import service
from cooplab.matching.profiles import Offer
from cooplab.matching.schemas import CapabilityIn
from cooplab.registry.models import Place
from tests.factories import make_org
from tests.html import parse


def test_a_need_page_shows_landed_cost_against_the_target(signed_in: Any, reference: Session) -> None:
    service.load_demo(session=reference, actor=SYSTEM)
    for currency, rate in (("USD", 12700), ("RUB", 160)):
        set_rate(
            session=reference,
            actor=SYSTEM,
            data=RateIn(currency=currency, day=date(2025, 6, 1), uzs_per_unit=rate),
        )
    maker = make_org(reference, "Volga Wheels", kind="supplier", tier=2, country="RU")
    togliatti = reference.scalar(select(Place.id).where(Place.name.in_(["Тольятти", "Togliatti"])).limit(1))
    assert togliatti is not None
    service.create_capability(
        session=reference,
        actor=SYSTEM,
        data=CapabilityIn(
            supplier_id=maker.id,
            hs_codes=["8708.70"],
            processes=["stamping", "welding"],
            site_ids=[togliatti],
            description={"ru": "Штампованные стальные колёсные диски"},
            visibility="members",
            illustrative=True,
            offer=Offer(unit_price=2300, currency="RUB", incoterm="FCA", units_per_shipment=800),
        ),
    )
    reference.commit()
    need = service.need_detail(session=reference, actor=SYSTEM, key="N01")
    client = signed_in("member")
    words = {
        "ru": ("стоимость с доставкой за единицу", "ниже целевой", "СТ-1", "цена предложения не указана"),
        "en": ("landed cost a unit", "under target", "ST-1", "no offer price"),
    }
    for lang, (column, under, st1, no_offer) in words.items():
        page = client.get(f"/needs/{need.id}", params={"lang": lang})
        assert page.status_code == 200
        assert column in page.text and under in page.text and st1 in page.text and no_offer in page.text
        rows = parse(page.text).find("table", class_="ranking").find("tbody").find_all("tr")
        volga = [r for r in rows if "Volga Wheels" in r.text]
        assert len(volga) == 1 and volga[0].find("td", class_="landed").find_all("details")
        assert "USD" in volga[0].find("td", class_="landed").text
        # the demo's two made-up wheel plants state offers too; O'zAuto-Austem states none
        priced = [r for r in rows if r.find("td", class_="landed").find_all("details")]
        assert len(priced) == 3 and not any("Austem" in r.text for r in priced)
