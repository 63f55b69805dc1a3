"""Russian reports are grammatical: names in the case their words ask for, a period's year once."""

from datetime import date
from pathlib import Path

import pytest

from cooplab.core.declension import decline_person, decline_phrase
from cooplab.core.formats import format_period

#: The published report the ingest reads, beside the repository (../shared/samples/), not in it.
SAMPLE = next(
    (
        found
        for parent in Path(__file__).resolve().parents[2:]
        if (found := parent / "shared" / "samples" / "mission-report-uzbekistan.ru.txt").exists()
    ),
    Path("shared/samples/mission-report-uzbekistan.ru.txt"),
)
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("name", "gent", "datv", "ablt", "loct"),
    [
        # people of the registry's reference data and of the sample report
        ("Андрей Крайнов", "Андрея Крайнова", "Андрею Крайнову", "Андреем Крайновым", "Андрее Крайнове"),
        (
            "Дмитрий Моисеенко",
            "Дмитрия Моисеенко",
            "Дмитрию Моисеенко",
            "Дмитрием Моисеенко",
            "Дмитрии Моисеенко",
        ),
        (
            "Дилмурад Юнусов",
            "Дилмурада Юнусова",
            "Дилмураду Юнусову",
            "Дилмурадом Юнусовым",
            "Дилмураде Юнусове",
        ),
        ("Кандиёр Асадов", "Кандиёра Асадова", "Кандиёру Асадову", "Кандиёром Асадовым", "Кандиёре Асадове"),
        (
            "Бу Инге Андерссон",
            "Бу Инге Андерссона",
            "Бу Инге Андерссону",
            "Бу Инге Андерссоном",
            "Бу Инге Андерссоне",
        ),
        ("Эдуард Вайно", "Эдуарда Вайно", "Эдуарду Вайно", "Эдуардом Вайно", "Эдуарде Вайно"),
        ("Михаил Соснин", "Михаила Соснина", "Михаилу Соснину", "Михаилом Сосниным", "Михаиле Соснине"),
        # women: the surname in -ова / -ская declines its own way, one in a consonant stays
        ("Ольга Смирнова", "Ольги Смирновой", "Ольге Смирновой", "Ольгой Смирновой", "Ольге Смирновой"),
        (
            "Мария Ивановна Петровская",
            "Марии Ивановны Петровской",
            "Марии Ивановне Петровской",
            "Марией Ивановной Петровской",
            "Марии Ивановне Петровской",
        ),
        ("Анна Андерссон", "Анны Андерссон", "Анне Андерссон", "Анной Андерссон", "Анне Андерссон"),
        # surname first, then the given name and patronymic
        (
            "Иванов Пётр Сергеевич",
            "Иванова Петра Сергеевича",
            "Иванову Петру Сергеевичу",
            "Ивановым Петром Сергеевичем",
            "Иванове Петре Сергеевиче",
        ),
        # written in Latin letters: kept as written
        (
            "Bo Inge Andersson",
            "Bo Inge Andersson",
            "Bo Inge Andersson",
            "Bo Inge Andersson",
            "Bo Inge Andersson",
        ),
    ],
)
def test_person_names_decline_in_both_genders(name, gent, datv, ablt, loct):
    assert decline_person(name, "nomn") == name
    assert decline_person(name, "gent") == gent
    assert decline_person(name, "datv") == datv
    assert decline_person(name, "ablt") == ablt
    assert decline_person(name, "loct") == loct


def test_the_accusative_of_a_man_is_his_genitive_of_a_woman_its_own():
    assert decline_person("Андрей Крайнов", "accs") == "Андрея Крайнова"
    assert decline_person("Ольга Смирнова", "accs") == "Ольгу Смирнову"


@pytest.mark.parametrize(
    ("name", "gent", "datv", "ablt", "loct"),
    [
        (
            "Кластер автомобильной промышленности",
            "Кластера автомобильной промышленности",
            "Кластеру автомобильной промышленности",
            "Кластером автомобильной промышленности",
            "Кластере автомобильной промышленности",
        ),
        ("Кластер АП", "Кластера АП", "Кластеру АП", "Кластером АП", "Кластере АП"),
        (
            "Машиностроительная ассоциация «Кластер автомобильной промышленности»",
            "Машиностроительной ассоциации «Кластер автомобильной промышленности»",
            "Машиностроительной ассоциации «Кластер автомобильной промышленности»",
            "Машиностроительной ассоциацией «Кластер автомобильной промышленности»",
            "Машиностроительной ассоциации «Кластер автомобильной промышленности»",
        ),
        ("Ташкент", "Ташкента", "Ташкенту", "Ташкентом", "Ташкенте"),
        # Latin, quoted, abbreviated or brand-cased names, and words the dictionary does not know, stay
        ("Cooperation Lab", "Cooperation Lab", "Cooperation Lab", "Cooperation Lab", "Cooperation Lab"),
        ("АвтоВАЗ", "АвтоВАЗ", "АвтоВАЗ", "АвтоВАЗ", "АвтоВАЗ"),
        (
            "АО «Узавтосаноат»",
            "АО «Узавтосаноат»",
            "АО «Узавтосаноат»",
            "АО «Узавтосаноат»",
            "АО «Узавтосаноат»",
        ),
        ("Андижангидромаш", "Андижангидромаш", "Андижангидромаш", "Андижангидромаш", "Андижангидромаш"),
    ],
)
def test_organization_and_place_names_decline_at_their_head(name, gent, datv, ablt, loct):
    assert [decline_phrase(name, case) for case in ("gent", "datv", "ablt", "loct")] == [
        gent,
        datv,
        ablt,
        loct,
    ]


def test_the_accusative_of_a_feminine_head_and_its_adjective():
    assert decline_phrase("Торгово-промышленная палата", "accs") == "Торгово-промышленную палату"
    assert decline_phrase("Новый автомобильный завод", "accs") == "Новый автомобильный завод"


@pytest.mark.skipif(not SAMPLE.exists(), reason="the sample report is not beside the repository")
def test_declined_names_are_the_forms_the_sample_report_writes():
    """The published report writes these names in these cases; declining the registry's
    nominative gives the same words."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert decline_person("Дилмурад Юнусов", "gent") in text  # "в лице директора Дилмурада Юнусова"
    assert decline_person("Кандиёр Асадов", "gent") in text
    assert decline_person("Бу Инге Андерссон", "ablt") in text  # "с ... директором ... Бу Инге Андерссоном"
    assert decline_phrase("Кластер автомобильной промышленности", "gent") in text
    assert decline_phrase("Кластер АП", "ablt") in text  # "по взаимодействию с Кластером АП"


def test_a_period_writes_its_year_once_and_its_month_once():
    assert (
        format_period(date(2024, 2, 27), date(2024, 3, 2), "ru", long=True)
        == f"с 27 февраля по 2 марта 2024{NBSP}г."
    )
    assert (
        format_period(date(2024, 2, 27), date(2024, 2, 29), "ru", long=True)
        == f"с 27 по 29 февраля 2024{NBSP}г."
    )
    assert (
        format_period(date(2023, 12, 30), date(2024, 1, 2), "ru", long=True)
        == f"с 30 декабря 2023{NBSP}г. по 2 января 2024{NBSP}г."
    )
    assert format_period(date(2024, 2, 28), date(2024, 2, 28), "ru", long=True) == f"28 февраля 2024{NBSP}г."
    assert format_period(date(2024, 2, 27), date(2024, 3, 2), "en", long=True) == "27 February – 2 March 2024"
    assert format_period(date(2024, 2, 27), date(2024, 2, 29), "en", long=True) == "27–29 February 2024"
    assert (
        format_period(date(2023, 12, 30), date(2024, 1, 2), "en", long=True)
        == "30 December 2023 – 2 January 2024"
    )
    # lists and forms keep the short dates in full
    assert format_period(date(2024, 2, 27), date(2024, 3, 2), "ru") == "с 27.02.2024 по 02.03.2024"
