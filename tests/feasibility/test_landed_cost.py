"""The landed cost of one option: every component named and registered, nothing counted twice."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from cooplab.core.calculators import calculators
from cooplab.errors import InvalidInputError
from cooplab.feasibility.components import KIND, ORDER
from cooplab.feasibility.landed_cost import LandedTerms, PartOffer, landed_cost, side_by_side
from cooplab.feasibility.routes import Place, RiskPremium, Route

from .helpers import DAY, offer, rates, road_route, sea_route, terms, truck

PLACES = {"vladivostok": Place(key="vladivostok", name="Vladivostok", country="RU")}


def cost(o=None, route="road", **term_changes):
    r = (
        {"road": road_route(), "sea": sea_route(), None: None}[route]
        if isinstance(route, str | None)
        else route
    )
    return landed_cost(o or offer(), r, terms=terms(**term_changes), rates=rates(), places=PLACES)


def line(result, name):
    return next(c for c in result.components if c.name == name)


def test_every_component_is_a_registered_calculator():
    family = {c.NAME: c for c in calculators(KIND)}
    assert set(family) == set(ORDER)
    for c in family.values():
        assert c.describe()["summary"] and c.describe()["config"]


def test_components_sum_to_the_total_and_are_named():
    result = cost()
    assert [c.name for c in result.components] == list(ORDER)
    assert sum(c.amount for c in result.components) == result.total_per_unit
    assert all(c.currency == "USD" for c in result.components)


def test_freight_by_weight_volume_and_units():
    # buyer pays both legs (FCA Togliatti): 2000 + 300 USD a truck of 20 t, 80 m³, 1000 units
    assert line(cost(offer(allocation="weight")), "freight").amount == Decimal("0.4830")  # 2300 × 4.2 / 20000
    assert line(cost(offer(allocation="volume")), "freight").amount == Decimal("1.4375")  # 2300 × 0.05 / 80
    assert line(cost(offer(allocation="units")), "freight").amount == Decimal("2.3000")  # 2300 / 1000
    assert line(cost(offer(allocation="units", units_per_shipment=500)), "freight").amount == Decimal(
        "4.6000"
    )


def test_the_incoterm_decides_what_the_buyer_pays():
    assert line(
        cost(offer(incoterm="CPT", named_place="tashkent", allocation="units")), "freight"
    ).amount == Decimal("0.3000")
    dap = cost(offer(incoterm="DAP", named_place="asaka"))
    assert line(dap, "freight").amount == 0 and line(dap, "insurance").amount == 0
    assert line(dap, "carrying_in_transit").amount == 0  # the seller's goods while they travel


def test_duty_on_the_customs_value_at_the_border():
    korean = offer(origin_country="KR", certificate="none", allocation="units", incoterm="FCA")
    result = cost(korean)
    insurance = line(result, "insurance").amount
    # customs value: price + freight to Tashkent (2000/1000) + insurance; the leg to Asaka is inland
    customs_value = Decimal("18.40") + Decimal("2.0") + insurance
    assert line(result, "duty").amount == pytest.approx(
        Decimal("0.05") * customs_value, abs=Decimal("0.0002")
    )
    assert line(result, "duty").assumption  # MFN treatment of KR is assumed
    assert any(r.code == "duty.mfn_assumed" for r in line(result, "duty").reasons)
    russian = cost(offer())
    assert line(russian, "duty").amount == 0 and not line(russian, "duty").assumption
    assert any(r.code == "duty.cis_fta" for r in line(russian, "duty").reasons)


def test_import_vat_is_shown_apart_and_counted_only_when_not_recoverable():
    recoverable = cost(offer(origin_country="KR"))
    assert line(recoverable, "import_vat").amount == 0 and recoverable.import_vat_paid_per_unit > 0
    assert recoverable.import_vat_recoverable
    lost = cost(offer(origin_country="KR"), vat_recoverable=False)
    assert line(lost, "import_vat").amount == lost.import_vat_paid_per_unit
    # 12% of customs value + duty + excise
    cv = line(lost, "duty").amount / Decimal("0.05")
    assert lost.import_vat_paid_per_unit == pytest.approx(
        Decimal("0.12") * (cv + line(lost, "duty").amount), abs=Decimal("0.001")
    )


def test_ddp_puts_duty_and_taxes_in_the_price():
    result = cost(offer(origin_country="KR", incoterm="DDP", named_place="asaka"))
    for name in ("duty", "customs_fees", "excise", "import_vat"):
        assert line(result, name).amount == 0
    assert result.import_vat_paid_per_unit == 0
    assert any(r.code == "duty.in_price" for r in line(result, "duty").reasons)


def test_currency_conversion_and_spread():
    result = cost(offer(price="1350", currency="RUB"), fx_spread="0.01")
    assert line(result, "price").amount == Decimal("16.8750")  # 1350 × 150 / 12000
    assert line(result, "currency_conversion").amount == Decimal("0.1688")


def test_carrying_and_risk_premium():
    result = cost(offer(incoterm="EXW", named_place=None))
    # 14% a year for 7 days in transit on the price
    assert line(result, "carrying_in_transit").amount == pytest.approx(
        Decimal("0.14") * 7 / 365 * Decimal("18.40"), abs=Decimal("0.0001")
    )
    route = road_route()
    route.risk_premium = RiskPremium(rate=Decimal("0.02"), per_unit=Decimal("0.1"))
    premium = line(cost(offer(), route=route), "risk_premium").amount
    before = sum(c.amount for c in cost(offer(), route=route).components[:-1])
    assert premium == pytest.approx(Decimal("0.02") * before + Decimal("0.1"), abs=Decimal("0.0002"))


def test_delivered_at_the_plant_without_a_route():
    local = landed_cost(
        offer(origin_country="UZ", certificate="none", incoterm="EXW", named_place=None),
        None,
        terms=terms(),
        rates=rates(),
    )
    assert [line(local, n).amount for n in ("freight", "duty", "import_vat")] == [0, 0, 0]
    assert line(local, "carrying_safety_stock").amount > 0


def test_bad_input_names_the_field():
    with pytest.raises(ValidationError) as caught:
        offer(price="-1")
    assert caught.value.errors()[0]["loc"] == ("price",)
    with pytest.raises(ValidationError, match="ISO 4217"):
        offer(currency="XYZ")
    with pytest.raises(InvalidInputError) as missing:
        landed_cost(
            offer(currency="KRW"), road_route(), terms=terms(), rates=rates(), loc=["options", 0, "offer"]
        )
    assert missing.value.details[0]["code"] == "missing_rate"
    assert missing.value.details[0]["loc"] == ["options", 0, "offer", "currency"]
    old = terms(as_of="2020-01-01")
    with pytest.raises(InvalidInputError, match="no exchange rate of RUB on or before 2020-01-01"):
        landed_cost(offer(currency="RUB"), road_route(), terms=old, rates=rates())


def test_missing_capacity_tariff_or_weight_are_asked_for():
    route = Route.model_validate(
        {
            "name": "r",
            "legs": [
                {
                    "from": "togliatti",
                    "to": "tashkent",
                    "mode": "road",
                    "distance_km": 2600,
                    "transit_days": 6,
                    "tariff": truck(capacity={}),
                }
            ],
        }
    )
    with pytest.raises(InvalidInputError) as caught:
        landed_cost(offer(), route, terms=terms(), rates=rates())
    assert caught.value.details[0]["code"] == "capacity_needed"
    assert "capacity.weight_kg" in caught.value.details[0]["msg"]
    untariffed = Route.model_validate(
        {
            "name": "r",
            "legs": [
                {
                    "from": "togliatti",
                    "to": "tashkent",
                    "mode": "road",
                    "distance_km": 2600,
                    "transit_days": 6,
                }
            ],
        }
    )
    with pytest.raises(InvalidInputError) as caught:
        landed_cost(offer(), untariffed, terms=terms(), rates=rates(), route_loc=["routes", "r"])
    assert caught.value.details[0]["loc"] == ["routes", "r", "legs", 0, "tariff"]
    # the seller's leg needs no tariff
    assert landed_cost(
        offer(incoterm="DAP", named_place="tashkent"), untariffed, terms=terms(), rates=rates()
    )
    with pytest.raises(InvalidInputError) as caught:
        landed_cost(offer(weight_kg=None), road_route(), terms=terms(), rates=rates())
    assert caught.value.details[0]["code"] == "weight_needed"


def test_unknown_vat_of_another_country_is_asked_for():
    with pytest.raises(InvalidInputError) as caught:
        landed_cost(offer(origin_country="KR"), road_route(), terms=terms(import_country="KZ"), rates=rates())
    assert caught.value.details[0]["code"] == "vat_rate_unknown"


def test_component_settings_are_checked():
    t = LandedTerms.model_validate(
        {
            "currency": "USD",
            "as_of": DAY,
            "components": {"insurance": {"insured_share": 1.1}},
            "insurance_rate": "0.01",
        }
    )
    assert line(
        landed_cost(offer(), road_route(), terms=t, rates=rates()), "insurance"
    ).amount == pytest.approx(
        Decimal("0.011") * (Decimal("18.40") + Decimal("0.4830")), abs=Decimal("0.0001")
    )
    with pytest.raises(InvalidInputError, match="known"):
        landed_cost(
            offer(), road_route(), terms=t.model_copy(update={"components": {"nonsense": {}}}), rates=rates()
        )


def test_offer_is_a_plain_model():
    assert PartOffer.model_fields.keys() >= {
        "price",
        "incoterm",
        "origin_country",
        "hs_code",
        "weight_kg",
        "volume_m3",
    }


def test_options_side_by_side():
    korea = cost(offer(origin_country="KR", certificate="none", name="Korea"))
    russia = cost(offer(name="Russia"))
    table = side_by_side([korea, russia])
    assert table.options == ["Korea", "Russia"] and [r.name for r in table.rows] == list(ORDER)
    assert table.totals == [korea.total_per_unit, russia.total_per_unit]
    assert table.cheapest == 1 and table.above_cheapest[1] == 0 and table.above_cheapest[0] > 0
    assert (korea.regime, russia.regime) == ("mfn", "cis_fta") and russia.incoterm == "FCA"
    other = landed_cost(offer(), road_route(), terms=terms(currency="EUR"), rates=rates())
    with pytest.raises(InvalidInputError, match="side by side"):
        side_by_side([korea, other])
