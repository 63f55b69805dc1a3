"""Texts across scripts: stems, concepts of the term list, similarity."""

import pytest

from cooplab.matching.text import detect_language, stem, text_profile, words


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["колесо", "колёса", "колёсами", "колес"], "колес"),
        (["g'ildirak", "g'ildiraklar", "g'ildiraklarining", "gʻildiragi"], "gildirak"),
        (["wheel", "wheels"], "wheel"),
        (["baki", "baklari"], "bak"),
    ],
)
def test_inflected_forms_share_a_stem(forms, expected):
    assert {stem(w) for f in forms for w in words(f)} == {expected}


def test_part_numbers_and_short_words_are_kept_whole():
    assert stem("96549846") == "96549846"
    assert stem("abs") == "abs"


@pytest.mark.parametrize(
    ("ru", "uz", "en", "concept"),
    [
        ("Стальные колёсные диски", "Po'lat g'ildirak disklari", "Steel wheels", "wheel"),
        ("Топливный бак", "Yoqilg'i baklari", "Fuel tanks", "fuel_tank"),
        ("Сиденья в сборе", "O'rindiqlar", "Car seats", "seat"),
        ("Фары и фонари", "Old faralar va orqa chiroqlar", "Headlamps and tail lights", "headlight"),
        ("Жгуты проводов", "Sim to'plamlari", "Wiring harnesses", "wiring_harness"),
        ("Глушитель", "Ovoz so'ndirgich", "Rear silencer", "muffler"),
    ],
)
def test_one_thing_in_three_languages_is_one_concept(ru, uz, en, concept):
    for text in (ru, uz, en):
        assert concept in text_profile(text).concepts, text


def test_a_run_inside_a_longer_run_of_its_kind_is_dropped_but_a_material_stays():
    profile = text_profile("Steel wheels and door trim panels")
    assert {"wheel", "steel", "door_trim"} <= profile.concepts
    assert "door" not in profile.concepts


def test_russian_need_finds_english_and_uzbek_descriptions_above_unrelated_ones():
    need = text_profile("Стальные колёсные диски для седана")
    english = text_profile("Stamped steel wheels for passenger cars")
    uzbek = text_profile("Po'lat g'ildirak disklari ishlab chiqarish")
    seats = text_profile("Car seats and seat covers")
    assert need.similarity(english) > 0.4 and need.similarity(uzbek) > 0.4
    assert need.similarity(seats) < 0.1


def test_names_in_another_script_meet_through_trigrams():
    cyrillic = text_profile("Уз-Донг Вон")
    assert cyrillic.similarity(text_profile("Uz-Dong Won")) > 0.5
    assert cyrillic.similarity(text_profile("Uz-Koram")) < cyrillic.similarity(text_profile("Uz-Dong Won"))


def test_languages_are_told_apart():
    assert detect_language("Стальные диски") == "ru"
    assert detect_language("Po'lat g'ildirak disklari") == "uz"
    assert detect_language("Steel wheels") == "en"


def test_empty_and_stopword_texts_have_no_features():
    assert text_profile("").empty and text_profile(None).empty
    assert text_profile("для и the of").empty
    assert text_profile("").similarity(text_profile("wheels")) == 0
