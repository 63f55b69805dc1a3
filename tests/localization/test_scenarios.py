"""What-if scenarios by hand: moves, localized inputs passed up the tiers, operations."""

from decimal import Decimal

import pytest

from cooplab.errors import InvalidInputError
from cooplab.localization.scenarios import (
    AddOperation,
    LocalizeInput,
    MovePart,
    Scenario,
    compare_scenarios,
    evaluate_scenario,
)
from tests.localization.builders import flat, line, needs, source


def seat_bill(**kw):
    return flat(
        [line("seat", hs="9401.20"), line("gearbox", hs="8708.40")],
        [source("seat", "Uz-Tong Hong", "UZ", 1_000), source("gearbox", "Importer", "KR", 1_000)],
        [
            needs("Uz-Tong Hong", "seat", "frame", 400, "UZ", by="Frame maker"),
            needs("Uz-Tong Hong", "seat", "foam", 100, "KR"),
            needs("Frame maker", "frame", "steel tube", 300, "KR"),
        ],
        own_cost=2_000,
        exw_price=5_000,
        annual_volume=1_000,
        **kw,
    )


def test_a_russian_gearbox_changes_each_method_differently():
    f = seat_bill()
    move = MovePart(
        part_number="gearbox",
        supplier="Russian maker",
        production_country="RU",
        unit_price=Decimal(900),
        imported_share=Decimal("0.1"),
    )
    result = evaluate_scenario(f, Scenario(name="RU gearbox", changes=[move]))
    uz, cis = result.methods["uz_cost_share"], result.methods["cis_origin"]
    # UZ: imported 400 + 1000 of 4000 -> 400 + 900 of 3900 (Russian is still imported)
    assert uz.before == pytest.approx(1 - 1400 / 4000) and uz.after == pytest.approx(1 - 1300 / 3900)
    # CIS: non-originating 400 + 1000 of EXW 5000 -> 400 + 90 (only the gearbox's imported share)
    assert cis.before == pytest.approx(1 - 1400 / 5000) and cis.after == pytest.approx(1 - 490 / 5000)
    assert result.cost_change_per_vehicle == -100 and result.cost_change_per_year == -100_000
    assert result.illustrative


def test_a_tier2_supplier_localizing_its_input_passes_the_cost_up():
    f = seat_bill()
    change = LocalizeInput(
        supplier="Frame maker", input="steel tube", origin_country="RU", unit_cost=Decimal(320)
    )
    result = evaluate_scenario(f, Scenario(name="RU tube", changes=[change]))
    assert result.cost_change_per_vehicle == 20  # up the frame, into the seat's price
    assert result.methods["uz_cost_share"].change == pytest.approx(
        (1 - (100 + 320 + 1000) / 4020) - (1 - 1400 / 4000), abs=1e-6
    )
    assert result.methods["cis_origin"].after == pytest.approx(1 - 1100 / 5000)


def test_thresholds_crossed_are_named():
    f = flat(
        [line("seat"), line("gearbox")],
        [
            source("seat", "Uz-Tong Hong", "UZ", 1_000, imported=0.4),
            source("gearbox", "Importer", "KR", 3_000),
        ],
        own_cost=2_000,
    )
    move = MovePart(
        part_number="gearbox", supplier="Local", production_country="UZ", imported_share=Decimal("0.2")
    )
    result = evaluate_scenario(f, Scenario(name="local gearbox", changes=[move]))
    # 1 - 3400 / 6000 = 43.3% -> 1 - 1000 / 6000 = 83.3%
    assert result.methods["uz_cost_share"].reached == ["programme_year_2@0.45", "programme_year_3@0.5"]
    back = evaluate_scenario(f, Scenario(name="none"))
    assert back.methods["uz_cost_share"].reached == []


def test_part_of_the_volume_can_move():
    f = seat_bill()
    move = MovePart(
        part_number="gearbox",
        supplier="Local",
        production_country="UZ",
        imported_share=Decimal(0),
        volume_share=Decimal("0.25"),
    )
    result = evaluate_scenario(f, Scenario(name="quarter", changes=[move]), methods=["uz_cost_share"])
    assert result.methods["uz_cost_share"].after == pytest.approx(1 - (400 + 750) / 4000)


def test_a_plant_taking_on_operations_gains_points():
    f = seat_bill(production_country="RU")
    changes = [AddOperation(operation="body_welding"), AddOperation(operation="body_painting")]
    result = evaluate_scenario(f, Scenario(name="weld and paint", changes=changes), methods=["ru_719_points"])
    assert result.methods["ru_719_points"].after == 900


def test_scenarios_compare_side_by_side_and_bad_changes_name_their_field():
    f = seat_bill()
    comparison = compare_scenarios(
        f,
        [
            Scenario(name="none"),
            Scenario(
                name="move",
                changes=[
                    MovePart(
                        part_number="gearbox",
                        supplier="Local",
                        production_country="UZ",
                        imported_share=Decimal(0),
                    )
                ],
            ),
        ],
    )
    assert [s.name for s in comparison.scenarios] == ["none", "move"]
    assert comparison.baseline["uz_cost_share"] == comparison.scenarios[0].methods["uz_cost_share"].after
    with pytest.raises(InvalidInputError) as caught:
        evaluate_scenario(
            f,
            Scenario(name="x", changes=[MovePart(part_number="nope", supplier="A", production_country="UZ")]),
        )
    assert caught.value.details[0]["loc"] == ["changes", 0, "part_number"]
    with pytest.raises(InvalidInputError, match="no input"):
        evaluate_scenario(
            f,
            Scenario(
                name="x",
                changes=[LocalizeInput(supplier="Uz-Tong Hong", input="leather", origin_country="UZ")],
            ),
        )
    with pytest.raises(InvalidInputError, match="Decree 719"):
        evaluate_scenario(f, Scenario(name="x", changes=[AddOperation(operation="dancing")]))
    with pytest.raises(InvalidInputError, match="no rate"):
        evaluate_scenario(
            f,
            Scenario(
                name="x",
                changes=[
                    MovePart(
                        part_number="gearbox",
                        supplier="A",
                        production_country="UZ",
                        unit_price=Decimal(1),
                        currency="JPY",
                    )
                ],
            ),
        )


def _landed_cost_file(*names: str) -> dict:
    """A landed-cost file (docs/feasibility.md) with one option per name: a Russian gearbox at
    8 RUB a unit delivered to the plant, duty-free with its ST-1 certificate."""
    offer = {
        "hs_code": "8708.40",
        "price": 8,
        "currency": "RUB",
        "incoterm": "DAP",
        "named_place": "asaka",
        "origin_country": "RU",
        "certificate": "st1",
    }
    return {
        "terms": {"currency": "UZS", "as_of": "2025-06-01", "import_country": "UZ", "vat_recoverable": True},
        "rates": [{"currency": "RUB", "day": "2025-01-01", "uzs_per_unit": 125}],
        "options": [{"name": name, "offer": offer} for name in names],
    }


def test_a_moved_part_can_be_priced_at_its_landed_cost():
    from cooplab.feasibility.files import answer_landed_cost
    from cooplab.feasibility.schemas import LandedCostFile

    f = seat_bill()
    file = _landed_cost_file("Russian maker, DAP")
    landed = answer_landed_cost(LandedCostFile.model_validate(file)).options[0].landed_cost
    assert landed.total_per_unit == Decimal(1000)  # 8 RUB x 125, no freight, duty or VAT left
    by_landed_cost = MovePart(
        part_number="gearbox",
        supplier="Russian maker",
        production_country="RU",
        imported_share=Decimal("0.1"),
        landed_cost=file,
    )
    by_hand = MovePart(
        part_number="gearbox",
        supplier="Russian maker",
        production_country="RU",
        imported_share=Decimal("0.1"),
        unit_price=landed.total_per_unit,
        currency=landed.currency,
        price_date=landed.as_of,
    )
    a = evaluate_scenario(f, Scenario(name="landed", changes=[by_landed_cost]))
    b = evaluate_scenario(f, Scenario(name="by hand", changes=[by_hand]))
    assert a.model_dump(exclude={"name", "changes"}) == b.model_dump(exclude={"name", "changes"})
    assert a.methods["cis_origin"].after != a.methods["cis_origin"].before  # Russian is originating


def test_a_landed_cost_with_several_options_must_name_one():
    f = seat_bill()
    file = _landed_cost_file("by road", "by rail")
    vague = MovePart(part_number="gearbox", supplier="R", production_country="RU", landed_cost=file)
    with pytest.raises(InvalidInputError) as refused:
        evaluate_scenario(f, Scenario(name="s", changes=[vague]))
    assert refused.value.details[0]["loc"] == ["changes", 0, "landed_cost_option"]
    named = vague.model_copy(update={"landed_cost_option": "by rail"})
    assert evaluate_scenario(f, Scenario(name="s", changes=[named])).methods


def test_an_error_in_the_landed_cost_file_is_named_under_the_change():
    file = _landed_cost_file("x")
    file["options"][0]["offer"]["price"] = -1
    bad = MovePart(part_number="gearbox", supplier="R", production_country="RU", landed_cost=file)
    with pytest.raises(InvalidInputError) as refused:
        evaluate_scenario(seat_bill(), Scenario(name="s", changes=[bad]))
    assert refused.value.details[0]["loc"][:3] == ["changes", 0, "landed_cost"]


def test_a_landed_cost_in_a_scenario_reads_no_file_of_the_server():
    file = _landed_cost_file("local")
    file["options"][0]["local_production"] = "../../etc/passwd"
    bad = MovePart(part_number="gearbox", supplier="R", production_country="UZ", landed_cost=file)
    with pytest.raises(InvalidInputError) as refused:
        evaluate_scenario(seat_bill(), Scenario(name="s", changes=[bad]))
    assert refused.value.details[0]["loc"] == ["changes", 0, "landed_cost", "options", 0, "local_production"]
