"""People's names put back in the nominative: surnames in -ов/-ев/-ин/-ын the dictionary does not
know, men's and women's, in every case, in sentences of our own wording."""

from __future__ import annotations

from datetime import date

import pytest

from cooplab.ingest import extract
from cooplab.ingest.inflection import nominative_person, nominative_phrase


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # "Сомов" is not in the dictionary, which reads "Сомовым" as the adjective "сомовый"
        (["Олегом", "Сомовым"], ["Олег", "Сомов"]),
        (["Сомовым"], ["Сомов"]),
        (["Олеге", "Сомове"], ["Олег", "Сомов"]),
        (["Олегу", "Сомову"], ["Олег", "Сомов"]),
        (["Олега", "Сомова"], ["Олег", "Сомов"]),
        (["Андреем", "Крайновым"], ["Андрей", "Крайнов"]),
        (["Юрием", "Голубевым"], ["Юрий", "Голубев"]),
        (["Андрее", "Никитине"], ["Андрей", "Никитин"]),
        (["Синицыным"], ["Синицын"]),
        # women's surnames
        (["Анной", "Сомовой"], ["Анна", "Сомова"]),
        (["Анны", "Сомовой"], ["Анна", "Сомова"]),
        (["Анну", "Сомову"], ["Анна", "Сомова"]),
        (["Анне", "Сомовой"], ["Анна", "Сомова"]),
        (["Сомовой"], ["Сомова"]),
        (["Мариной", "Лебедевой"], ["Марина", "Лебедева"]),
        (["Ольгой", "Фоминой"], ["Ольга", "Фомина"]),
        # already in the nominative: kept
        (["Анна", "Сомова"], ["Анна", "Сомова"]),
        (["Олег", "Сомов"], ["Олег", "Сомов"]),
    ],
)
def test_surnames_in_ov_ev_in_come_back_to_the_nominative(models, words, expected):
    assert nominative_person(words, models.morph) == expected


def test_a_surname_after_a_title_in_the_instrumental(models):
    assert nominative_person(["Олегом", "Сомовым"], models.morph, frozenset({"ablt"})) == ["Олег", "Сомов"]
    assert nominative_person(["Сомовой"], models.morph, frozenset({"ablt"})) == ["Сомова"]


def test_people_of_a_text_are_named_in_the_nominative(models):
    text = (
        "Соглашение с директором завода Олегом Сомовым подписала компания «Волжские прессы». "
        "Переговоры с Анной Сомовой прошли в Казани. Речь шла также об Андрее Крайнове."
    )
    names = {p.name for p in extract(text, published=date(2024, 5, 1), models=models).people}
    assert {"Олег Сомов", "Анна Сомова", "Андрей Крайнов"} <= names
    assert not any(name.endswith(("Сомовый", "Сомовая")) for name in names)


def test_a_name_without_its_middle_name_is_the_same_person(models):
    text = (
        "В Ташкент прибыл Шавкат Миромонович Мирзиёев. Позже Шавкат Мирзиёев встретился с Анной Котовой. "
        "Анна Котова выступила первой."
    )
    people = extract(text, published=date(2024, 5, 1), models=models).people
    assert sorted(p.name for p in people) == ["Анна Котова", "Шавкат Миромонович Мирзиёев"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Высшей", "школы", "экономики"], ["Высшая", "школа", "экономики"]),
        (["Высшего", "арбитражного", "суда"], ["Высший", "арбитражный", "суд"]),
        (["лучшей", "команды"], ["лучшая", "команда"]),
    ],
)
def test_a_superlative_keeps_its_own_stem_in_the_nominative(models, words, expected):
    """Not «Высочайшая школа экономики»: the dictionary lists that form of «высокий» first."""
    assert nominative_phrase(words, models.morph) == expected
