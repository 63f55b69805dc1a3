"""Spreadsheet imports: Russian column headings, the dry run of a preview, and coded problems
(each bad cell names its row and column and carries the code a page translates)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.core.audit import AuditEntry
from cooplab.errors import ImportFileError
from cooplab.registry.exchange import import_file
from cooplab.registry.models import Organization, Person, Place


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_russian_headings_are_read_as_the_english_columns(session: Session) -> None:
    places = "Название,Страна,Широта,Долгота\nАндижан,UZ,40.78,72.34\n"
    import_file(session=session, actor=SYSTEM, kind="place", name="места.csv", content=places.encode())
    orgs = "НАЗВАНИЕ;Вид;Страна;ИНН;Головной офис;Иллюстративно\nАвтоВАЗ;oem;RU;6320002223;Андижан;нет\n"
    report = import_file(session=session, actor=SYSTEM, kind="org", name="орг.csv", content=orgs.encode())
    assert report.created == 1
    org = session.scalars(select(Organization).where(Organization.name == "АвтоВАЗ")).one()
    assert (org.kind, org.country, org.head_office_id is not None) == ("oem", "RU", True)
    assert [i.value for i in org.identifiers] == ["6320002223"]
    people = "ФИО,Должность,Организация,Начало\nИван Петров,директор,АвтоВАЗ,2024-01-01\n"
    import_file(session=session, actor=SYSTEM, kind="person", name="люди.csv", content=people.encode())
    assert count(session, Person) == 1


def test_a_column_given_in_both_languages_is_refused(session: Session) -> None:
    content = "name,Название,kind\nЗавод,Завод,oem\n".encode()
    with pytest.raises(ImportFileError) as caught:
        import_file(session=session, actor=SYSTEM, kind="org", name="x.csv", content=content)
    assert [(d["loc"][2], d["code"]) for d in caught.value.details] == [("name", "column_twice")]


def test_a_dry_run_counts_and_writes_nothing(session: Session) -> None:
    content = "name,country\nМаргилан,UZ\nКоканд,UZ\n".encode()
    report = import_file(
        session=session, actor=SYSTEM, kind="place", name="p.csv", content=content, dry_run=True
    )
    assert (report.rows, report.created) == (2, 2)
    assert count(session, Place) == 0
    assert count(session, AuditEntry) == 0


def test_every_bad_cell_has_its_row_column_and_code(session: Session) -> None:
    content = (
        "name,kind,inn,illustrative,unverified\n"
        "А,oem,7736050004,,\n"
        "Б,oem,,maybe,\n"
        "В,oem,,,zzz:1\n"
        "Г,planet,,,\n"
    ).encode()
    with pytest.raises(ImportFileError) as caught:
        import_file(session=session, actor=SYSTEM, kind="org", name="o.csv", content=content)
    found = [(d["loc"][1], d["loc"][2], d.get("code")) for d in caught.value.details]
    assert found == [
        (2, "inn", "inn_check"),
        (3, "illustrative", "yes_no"),
        (4, "unverified", "scheme"),
        (5, "kind", "enum"),
    ]
    people = "name,illustrative\nИван,может\n".encode()
    with pytest.raises(ImportFileError) as caught:
        import_file(session=session, actor=SYSTEM, kind="person", name="p.csv", content=people)
    assert [(d["loc"][2], d["code"]) for d in caught.value.details] == [("illustrative", "yes_no")]
