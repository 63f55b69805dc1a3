"""Each scoring feature on hand-made pairs, and the invariants of all of them (Hypothesis)."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cooplab.core.calculators import Reason, calculators, get_calculator
from cooplab.errors import InvalidInputError
from cooplab.matching.features import FEATURE_ORDER, MatchContext
from cooplab.matching.messages import reason_text
from cooplab.matching.profiles import Capability, Certification, Location, Need
from cooplab.matching.scoring import Scorer
from cooplab.matching.table import CapabilityTable, prepare_need
from cooplab.vocab.processes import Process
from tests.matching.conftest import ON

CTX = MatchContext(on=ON)


def feature(name, **config):
    return get_calculator("matching_feature", name, config)


def test_every_feature_is_registered_and_describes_itself():
    names = {cls.NAME for cls in calculators("matching_feature")}
    assert names == set(FEATURE_ORDER)
    for cls in calculators("matching_feature"):
        assert cls.describe()["summary"]


def test_hs_code_levels(wheel_need, austem):
    hs = feature("hs_code")

    def score(code):
        return hs.compute(wheel_need, austem.model_copy(update={"hs_codes": (code,)}), CTX)

    assert score("870870").score == 1.0 and score("870870").reasons[0].code == "hs_exact"
    assert score("870870").reasons[0].text == "HS 8708.70, exact"
    assert score("870829").reasons[0].code == "hs_heading" and score("870829").score == 0.5
    assert score("870110").reasons[0].code == "hs_chapter"
    assert score("940120").score == 0.0
    broad = wheel_need.model_copy(update={"hs_code": "8708"})
    assert hs.compute(broad, austem, CTX).reasons[0].code == "hs_exact"
    national = wheel_need.model_copy(update={"hs_code": "8708701000"})
    assert hs.compute(national, austem, CTX).reasons[0].code == "hs_subheading"
    assert hs.compute(wheel_need.model_copy(update={"hs_code": None}), austem, CTX).score is None


def test_a_heading_stated_alone_is_nearer_than_another_subheading(wheel_need, austem):
    hs = feature("hs_code")
    alone = hs.compute(wheel_need, austem.model_copy(update={"hs_codes": ("8708",)}), CTX)
    other = hs.compute(wheel_need, austem.model_copy(update={"hs_codes": ("870829",)}), CTX)
    assert alone.reasons[0].code == "hs_heading_stated" and alone.score == 0.7
    assert alone.reasons[0].text == "HS 8708, the heading of 8708.70"
    assert reason_text(alone.reasons[0], "ru") == "ТН ВЭД 8708, товарная позиция кода 8708.70"
    assert other.score == 0.5
    both = hs.compute(wheel_need, austem.model_copy(update={"hs_codes": ("870829", "8708")}), CTX)
    assert both.reasons[0].code == "hs_heading_stated"  # the nearer of the two


def test_no_hs_code_stated_is_unknown_not_unlike(wheel_need, austem):
    hs = feature("hs_code")
    silent = austem.model_copy(update={"hs_codes": ()})
    assert hs.compute(wheel_need, silent, CTX).score == 0.5
    assert hs.compute(wheel_need, silent, CTX).reasons[0].code == "hs_not_stated"
    assert feature("hs_code", unknown=0.0).compute(wheel_need, silent, CTX).score == 0.0
    unlike = hs.compute(wheel_need, austem.model_copy(update={"hs_codes": ("940120",)}), CTX)
    assert unlike.score == 0.0  # a code of another product is evidence against; none is not


def test_hs_settings_must_keep_nearer_codes_higher():
    with pytest.raises(InvalidInputError):
        feature("hs_code", heading=0.9, subheading=0.5)


def test_process_coverage_names_what_is_missing(wheel_need, austem, seats):
    processes = feature("processes")
    full = processes.compute(wheel_need, austem, CTX)
    assert full.score == 1.0 and full.reasons[0].text == "stamping and welding (2 of 2 processes)"
    none = processes.compute(wheel_need, seats, CTX)
    assert none.score == 0.0 and none.reasons[0].code == "processes_missing"
    assert none.reasons[0].params["process_codes"] == ["stamping", "welding"]
    twice = wheel_need.model_copy(update={"processes": ()}).model_validate(
        {**wheel_need.model_dump(), "processes": ["stamping", "stamping", "welding"]}
    )
    assert twice.processes == (Process.STAMPING, Process.WELDING)  # found by Hypothesis: counted twice


def test_text_across_scripts(wheel_need, austem, seats):
    text = feature("text")
    cross = text.compute(wheel_need, austem, CTX)  # a Russian need, an English description
    assert cross.score > 0.8 and cross.reasons[0].code in {"text_makes", "text_makes_with"}
    assert "wheel" in cross.reasons[0].text and "колесо" in cross.reasons[0].params["products_ru"]
    assert text.compute(wheel_need, seats, CTX).score < 0.2


def test_materials_across_languages_and_scripts(wheel_need, austem, volga_wheels):
    materials = feature("materials")
    # a Russian need for steel wheels, an English and a Russian supplier of steel wheels
    same = materials.compute(wheel_need, austem, CTX)
    assert same.score == 1.0 and same.reasons[0].code == "materials_as_asked"
    assert same.reasons[0].text == "steel, as asked"
    assert reason_text(same.reasons[0], "ru") == "сталь, как в запросе"
    assert materials.compute(wheel_need, volga_wheels, CTX).score == 1.0
    uzbek = wheel_need.model_copy(update={"description": {"uz": "Po'lat g'ildirak disklari"}})
    assert materials.compute(uzbek, austem, CTX).score == 1.0
    alloy = volga_wheels.model_copy(
        update={"description": {"ru": "Литые легкосплавные колёсные диски"}, "materials": ()}
    )
    other = materials.compute(wheel_need, alloy, CTX)
    assert other.score == 0.0 and other.reasons[0].code == "materials_other"
    assert other.reasons[0].text == "aluminium, not steel"
    assert reason_text(other.reasons[0], "ru") == "алюминий, а не сталь"


def test_materials_from_the_list_of_a_capability(wheel_need, austem):
    materials = feature("materials")
    silent = austem.model_copy(update={"description": {"en": "Wheels for passenger cars"}})
    listed = silent.model_copy(update={"materials": ("stainless steel",)})
    assert materials.compute(wheel_need, listed, CTX).score == 1.0  # a grade counts as its family
    assert materials.compute(wheel_need, silent, CTX).reasons[0].code == "materials_unknown"
    assert materials.compute(wheel_need, silent, CTX).score == 0.5
    unknown_word = silent.model_copy(update={"materials": ("unobtainium",)})
    assert materials.compute(wheel_need, unknown_word, CTX).score == 0.5  # not evidence, no error
    two = wheel_need.model_copy(update={"description": {"en": "Steel and plastic fuel tank straps"}})
    half = materials.compute(two, austem, CTX)
    assert half.score == 0.5 and [r.code for r in half.reasons] == ["materials_as_asked", "materials_missing"]
    nothing = wheel_need.model_copy(update={"part": None, "description": {"en": "Wheels, 15 inch"}})
    assert materials.compute(nothing, austem, CTX).score is None


def test_glass_wool_is_mineral_wool_not_glass():
    from cooplab.matching.materials import materials_in

    assert materials_in("Glass wool insulation mats") == {"mineral_wool"}
    assert materials_in("Закалённое стекло") == {"glass"}
    assert materials_in("Lead time 6 weeks") == frozenset()  # "lead" alone is not the metal
    assert materials_in("Свинцово-кислотные батареи") == {"lead"}
    assert materials_in(None, "", "   ") == frozenset()


def test_capacity(wheel_need, austem):
    capacity = feature("capacity")
    enough = capacity.compute(wheel_need, austem, CTX)
    assert enough.score == 1.0 and enough.reasons[0].text == "capacity 900,000 ≥ 300,000 a year"
    short = capacity.compute(wheel_need, austem.model_copy(update={"annual_capacity": 100_000}), CTX)
    assert short.score == pytest.approx(1 / 3) and short.reasons[0].params["percent"] == 33.3
    unknown = capacity.compute(wheel_need, austem.model_copy(update={"annual_capacity": None}), CTX)
    assert unknown.score == 0.5 and unknown.reasons[0].code == "capacity_unknown"


def test_reasons_write_numbers_the_readers_way(wheel_need, austem, volga_wheels):
    enough = feature("capacity").compute(wheel_need, austem, CTX).reasons[0]
    assert reason_text(enough, "ru") == "мощность 900\u00a0000 ≥ 300\u00a0000 в год"
    assert reason_text(enough, "en") == "capacity 900,000 ≥ 300,000 a year"
    short_of = austem.model_copy(update={"annual_capacity": 100_000})
    short = feature("capacity").compute(wheel_need, short_of, CTX).reasons[0]
    assert reason_text(short, "ru") == "мощность 100\u00a0000 покрывает 33,3% от 300\u00a0000 в год"
    assert reason_text(short, "en") == "capacity 100,000 covers 33.3% of 300,000 a year"
    far = feature("distance").compute(wheel_need, volga_wheels, CTX).reasons[0]
    assert reason_text(far, "ru").startswith("2\u00a0232 км от ")
    assert reason_text(far, "en") == "2,232 km from Togliatti to Asaka"
    similar = Reason(code="text_similar", params={"similarity": 0.8512}, text="")
    assert reason_text(similar, "ru") == "описание похоже (0,85)"
    assert reason_text(similar, "en") == "description alike (0.85)"


def test_certifications_valid_on_the_deadline(wheel_need, austem, volga_wheels):
    certs = feature("certifications")
    held = certs.compute(wheel_need, austem, CTX)
    assert held.score == 1.0 and held.reasons[0].text == "IATF 16949 valid to 2027-03-31"
    # ISO/TS 16949 is the former name of IATF 16949; it expires before the need's deadline
    expiring = certs.compute(wheel_need, volga_wheels, CTX)
    assert expiring.score == 0.0 and expiring.reasons[0].code == "certification_expired"
    later = wheel_need.model_copy(update={"deadline": None})
    assert certs.compute(later, volga_wheels, CTX).score == 1.0  # valid on the day of the ranking
    missing = certs.compute(wheel_need, austem.model_copy(update={"certifications": ()}), CTX)
    assert missing.reasons[0].code == "certification_missing"


def test_distance_is_great_circle(wheel_need, austem, volga_wheels):
    distance = feature("distance")
    near = distance.compute(wheel_need, austem, CTX)
    far = distance.compute(wheel_need, volga_wheels, CTX)
    assert far.reasons[0].text == "2,232 km from Togliatti to Asaka"
    assert near.score > 0.98 and far.score < 0.5
    assert distance.compute(wheel_need, austem.model_copy(update={"sites": ()}), CTX).score == 0.5


def test_landed_cost_against_target(wheel_need, austem):
    cost = feature("landed_cost")
    under = cost.compute(wheel_need, austem, MatchContext(on=ON, landed_cost=Decimal("35.34")))
    assert under.score == 1.0 and under.reasons[0].text == "landed cost 7% under target"
    over = cost.compute(wheel_need, austem, MatchContext(on=ON, landed_cost=Decimal("45.6")))
    assert over.reasons[0].code == "cost_over" and over.score == pytest.approx(1 - 0.2 / 0.3)
    assert cost.compute(wheel_need, austem, CTX).score is None


def test_tier_fit_wants_tier_2_for_a_tier_1(wheel_need, austem, volga_wheels):
    tier = feature("tier_fit")
    assert tier.compute(wheel_need, austem, CTX).score == 1.0
    tier1_need = wheel_need.model_copy(update={"buyer_tier": 1})
    fits = tier.compute(tier1_need, volga_wheels, CTX)
    assert fits.score == 1.0 and fits.reasons[0].text == "Tier 2 supplier for a Tier-1"
    assert tier.compute(tier1_need, austem, CTX).score == 0.5


def test_the_issue_example_reads_as_one_line(wheel_need, austem):
    match = Scorer().match(wheel_need, austem, on=ON, landed_cost=Decimal("35.34"))
    line = match.explain()
    for part in (
        "makes wheel",
        "HS 8708.70, exact",
        "steel, as asked",
        "stamping and welding (2 of 2 processes)",
        "capacity 900,000 ≥ 300,000 a year",
        "IATF 16949 valid to 2027-03-31",
        "landed cost 7% under target",
    ):
        assert part in line
    assert match.product and 0.9 < match.score <= 1


# ---------------------------------------------------------------- properties

CODES = ["870870", "870829", "870810", "8708", "870899", "940120", "854430", "87", "8708701000"]
places = st.builds(Location, name=st.just("p"), latitude=st.floats(-60, 70), longitude=st.floats(-170, 170))
certificates = st.builds(
    Certification,
    name=st.sampled_from(["IATF 16949", "ISO 9001", "ISO 14001"]),
    expires=st.none() | st.dates(date(2026, 1, 1), date(2030, 1, 1)),
)
texts = st.sampled_from(
    [
        "Steel wheels",
        "Стальные колёсные диски",
        "Po'lat g'ildirak",
        "Car seats",
        "Жгуты проводов",
        "Fuel tanks and stamped parts",
        "Radiator",
        "Литые алюминиевые колёсные диски",
        "Plastic fuel tanks, blow-moulded",
    ]
)
capabilities = st.builds(
    Capability,
    id=st.integers(1, 10_000),
    supplier_id=st.integers(1, 100),
    supplier=st.just("s"),
    supplier_tier=st.none() | st.integers(1, 3),
    supplier_country=st.sampled_from(["UZ", "RU"]),
    hs_codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=3),
    processes=st.lists(st.sampled_from(list(Process)), max_size=4),
    annual_capacity=st.none() | st.integers(1, 2_000_000),
    certifications=st.lists(certificates, max_size=3),
    sites=st.lists(places, max_size=3),
    description=texts,
    materials=st.lists(st.sampled_from(["steel", "aluminium", "HDPE", "unobtainium"]), max_size=2),
)
needs = st.builds(
    Need,
    buyer=st.just("b"),
    buyer_tier=st.none() | st.integers(1, 2),
    hs_code=st.sampled_from(CODES),
    description=texts,
    annual_volume=st.none() | st.integers(1, 1_000_000),
    processes=st.lists(st.sampled_from(list(Process)), max_size=3),
    certifications=st.lists(st.sampled_from(["IATF 16949", "ISO 9001"]), max_size=2),
    delivery_place=st.none() | places,
    deadline=st.none() | st.dates(date(2026, 1, 1), date(2029, 1, 1)),
)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(need=needs, capability=capabilities)
def test_every_score_is_in_zero_to_one(need, capability):
    match = Scorer().match(need, capability, on=ON, landed_cost=Decimal("10"))
    assert 0.0 <= match.score <= 1.0
    assert all(f.score is None or 0.0 <= f.score <= 1.0 for f in match.features)


@SETTINGS
@given(need=needs, capabilities=st.lists(capabilities, min_size=1, max_size=6))
def test_many_rows_at_once_score_as_one_pair_does(need, capabilities):
    caps = [c.model_copy(update={"id": i}) for i, c in enumerate(capabilities)]
    table = CapabilityTable.of(caps)
    scorer = Scorer()
    combined, product = scorer.score_rows(prepare_need(need, table, ON), table, np.arange(len(caps)), CTX)
    for i, cap in enumerate(caps):
        one = scorer.match(need, cap, on=ON)
        assert combined[i] == pytest.approx(one.score, abs=1e-5)
        assert bool(product[i]) == one.product


@SETTINGS
@given(need=needs, capability=capabilities)
def test_a_nearer_hs_code_never_scores_lower(need, capability):
    need = need.model_copy(update={"hs_code": "870870"})
    scorer = Scorer()
    nearer = ["940120", "871000", "870810", "870870"]  # 0, 2, 4 and 6 digits in common
    scores = [
        scorer.match(need, capability.model_copy(update={"hs_codes": (c,)}), on=ON).score for c in nearer
    ]
    assert scores == sorted(scores)


#: The capability fields each feature reads, and the other features that read them too.
FIELDS_OF = {
    "hs_code": "hs_codes",
    "text": "description",
    "materials": "materials",
    "processes": "processes",
    "capacity": "annual_capacity",
    "certifications": "certifications",
    "distance": "sites",
    "tier_fit": "supplier_tier",
}


@SETTINGS
@given(need=needs, capability=capabilities, other=capabilities, name=st.sampled_from(sorted(FIELDS_OF)))
def test_a_zero_weight_removes_its_feature(need, capability, other, name):
    sharing = {"text", "materials"} if name in {"text", "materials"} else {name}  # both read both
    scorer = Scorer({"weights": dict.fromkeys(sharing, 0.0)})
    field = FIELDS_OF[name]
    changed = capability.model_copy(update={field: getattr(other, field)})
    one, two = scorer.match(need, capability, on=ON), scorer.match(need, changed, on=ON)
    assert one.score == pytest.approx(two.score)
    assert not {r.code for r in one.reasons} & {
        r.code for f in one.features if f.calculator == name for r in f.reasons
    }


def test_a_zero_weight_removes_the_landed_cost(wheel_need, austem):
    scorer = Scorer({"weights": {"landed_cost": 0.0}})
    cheap = scorer.match(wheel_need, austem, on=ON, landed_cost=Decimal("1"))
    dear = scorer.match(wheel_need, austem, on=ON, landed_cost=Decimal("1000"))
    assert cheap.score == dear.score
