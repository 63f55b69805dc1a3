"""The shapes of the genre, each in a sentence of our own: titles, signings and plans, events once,
dates, links that are certain or only candidates, next steps, repeated and foreign input."""

from __future__ import annotations

from datetime import date

import pytest

from cooplab.errors import InvalidInputError
from cooplab.ingest import extract
from cooplab.ingest.dates import find_dates
from cooplab.ingest.gazetteer import Gazetteer, Record


def positions(result) -> set[tuple[str, str, str | None]]:
    return {(p.name, pos.title, pos.organization) for p in result.people for pos in p.positions}


def test_state_titles_keep_their_territory_and_company_titles_their_organization(models):
    text = (
        "Хоким Бухарской области Ботир Зарипов и генеральный директор компании «Волжские прессы» "
        "Ольга Петрова обсудили поставки. Присутствовал и Анвар Каримов, Чрезвычайный и Полномочный Посол "
        "Республики Узбекистан в Республике Казахстан."
    )
    got = positions(extract(text, published=date(2024, 5, 1), models=models))
    assert ("Ботир Зарипов", "хоким Бухарской области", None) in got
    assert ("Ольга Петрова", "генеральный директор", "Волжские прессы") in got
    assert (
        "Анвар Каримов",
        "Чрезвычайный и Полномочный Посол Республики Узбекистан в Республике Казахстан",
        None,
    ) in got


def test_two_part_titles_lists_and_plural_titles(models):
    text = (
        "Делегацию возглавил заместитель министра промышленности Тимур Ахмедов. "
        "На встрече были двое заместителей министра энергетики Казахстана – Ерлан Сагиев и Марат Нурланов. "
        "Президенты Кыргызстана и Таджикистана Алмаз Бекмуратов и Фарид Рахимов открыли завод."
    )
    got = positions(extract(text, published=date(2024, 5, 1), models=models))
    assert ("Тимур Ахмедов", "заместитель министра промышленности", None) in got
    assert {
        ("Ерлан Сагиев", "заместитель министра энергетики Казахстана", None),
        ("Марат Нурланов", "заместитель министра энергетики Казахстана", None),
    } <= got
    assert {
        ("Алмаз Бекмуратов", "президент Кыргызстана", None),
        ("Фарид Рахимов", "президент Таджикистана", None),
    } <= got


def test_signed_agreements_and_their_parties(models):
    text = (
        "Меморандум о сотрудничестве подписали АО «Бухарский литейный завод» и ТОО «Степной металл». "
        "Еще одно соглашение ООО «Волжские прессы» заключило с компанией «Самарский штамп»."
    )
    result = extract(text, published=date(2024, 5, 1), models=models)
    got = {(a.kind, frozenset(a.parties)) for a in result.agreements}
    assert got == {
        ("memorandum", frozenset({"Бухарский литейный завод", "Степной металл"})),
        ("agreement", frozenset({"Волжские прессы", "Самарский штамп"})),
    }


def test_plans_and_talks_are_not_signed_agreements(models):
    for text in [
        "ООО «Волжские прессы» и ТОО «Степной металл» планируют подписать соглашение о поставках.",
        "Стороны обсудили возможность заключить договор, но ООО «Волжские прессы» его не подписало.",
        "ООО «Волжские прессы» и ТОО «Степной металл» договорились о поставках и обсудили цены.",
    ]:
        assert extract(text, published=date(2024, 5, 1), models=models).agreements == [], text


def test_an_official_signs_for_the_body_the_title_heads(models):
    text = "В Бухаре аким Павлодарской области Асет Темиров и хоким Бухарской области Ботир Зарипов подписали меморандум."
    result = extract(text, published=date(2024, 5, 1), models=models)
    assert [set(a.parties) for a in result.agreements] == [
        {"акимат Павлодарской области", "хокимият Бухарской области"}
    ]
    assert all(o.derived for o in result.organizations if o.name.startswith(("акимат", "хокимият")))


def test_one_event_per_happening_and_each_agreement_once_in_a_text_pasted_fifty_times(models):
    text = (
        "15 мая делегация ООО «Волжские прессы» посетила завод ТОО «Степной металл» в Павлодаре. "
        "В ходе визита ООО «Волжские прессы» и ТОО «Степной металл» провели переговоры и подписали "
        "меморандум о сотрудничестве."
    )
    once = extract(text, published=date(2024, 6, 1), models=models)
    many = extract("\n\n".join([text] * 50), published=date(2024, 6, 1), models=models)
    assert len(once.agreements) == 1
    assert [(e.kind, e.start, e.place) for e in many.events] == [
        (e.kind, e.start, e.place) for e in once.events
    ]
    assert [(a.kind, a.parties) for a in many.agreements] == [(a.kind, a.parties) for a in once.agreements]


def test_months_ranges_short_months_and_relative_days():
    def spans(text, published):
        return [(d.start_date, d.end_date, d.granularity, d.relative) for d in find_dates(text, published)]

    assert spans("в ноябре 2017 года", None) == [("2017-11-01", "2017-11-30", "month", False)]
    assert spans("в апреле", date(2025, 8, 13)) == [("2025-04-01", "2025-04-30", "month", False)]
    assert spans("в мае", None) == []
    assert spans("БИШКЕК, 18 июл — Sputnik", date(2024, 7, 18)) == [("2024-07-18", None, "day", False)]
    assert spans("Вчера стороны", date(2016, 1, 25)) == [("2016-01-24", None, "day", True)]
    assert spans("в среду", date(2024, 3, 7)) == [("2024-03-06", None, "day", True)]


def test_links_are_certain_or_only_candidates(registry_session, models):
    text = "Делегация Самаркандской области посетила Андинжан и Самару."
    result = extract(text, published=date(2024, 5, 1), session=registry_session, models=models)
    places = {p.name: p for p in result.places}
    samarkand = next(p for p in result.places if p.name.startswith("Самарканд"))
    assert samarkand.id is None
    assert "Самарская область" in [c.name for c in samarkand.candidates]
    assert places["Андижан"].id is not None and places["Андижан"].mentions == ["Андинжан"]
    assert places["Самара"].id is not None


def test_a_name_is_checked_in_the_texts_script_whatever_order_the_names_came_in():
    ulyanovsk = Record("place", 19, "Ульяновск", kind="city")
    for names in (["Ulyanovsk", "Ульяновск"], ["Ульяновск", "Ulyanovsk"]):
        gazetteer = Gazetteer.from_names((ulyanovsk, n) for n in names)
        (match,) = gazetteer.find("делегация Ульяновской области")
        assert match.text == "Ульяновской" and match.value == "Ульяновск"


def test_next_steps_become_action_items(models):
    text = (
        "По итогам встречи были намечены дальнейшие шаги по поставкам литья. "
        "Стороны договорились подготовить дорожную карту до 1 сентября."
    )
    result = extract(text, published=date(2024, 5, 1), models=models)
    texts = [a.text for a in result.action_items]
    assert any(t.startswith("дальнейшие шаги по поставкам литья") for t in texts)
    assert any(
        t.startswith("подготовить дорожную карту") and a.due == "2024-09-01"
        for t, a in zip(texts, result.action_items, strict=True)
    )


@pytest.mark.parametrize(
    "text",
    [
        "Делегация Асака шаҳридаги заводга ташриф буюрди ва ҳамкорлик бўйича музокаралар ўтказди.",
        "Toshkent viloyati hokimligi va Qostanay viloyati hokimligi o‘rtasida hamkorlik memorandumi imzolandi.",
    ],
)
def test_uzbek_is_refused_with_a_code_the_pages_translate(text, models):
    with pytest.raises(InvalidInputError) as refused:
        extract(text, source="uz.txt", models=models)
    detail = refused.value.details[0]
    assert detail["code"] == "unsupported_language" and detail["params"] == {"language": "uz"}
    assert "Uzbek" in refused.value.message


def test_never_worse_than_natashas_dates(models):
    from natasha import DatesExtractor

    from tests.ingest.conftest import SAMPLES

    folder = SAMPLES / "news"
    if not folder.is_dir():
        pytest.skip("the shared news set is not on this machine")
    extractor = DatesExtractor(models.morph)
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ours = {(d.start, d.stop) for d in find_dates(text, date(2024, 1, 1))}
        for match in extractor(text):
            if match.fact.month:  # a year alone is out of scope
                assert any(a <= match.start < b or match.start <= a < match.stop for a, b in ours), (
                    path.name,
                    text[match.start : match.stop],
                )
