"""The interchange sheets: a good workbook in CSV and XLSX, and every bad row named at once."""

from datetime import date

import pytest

from cooplab.core.spreadsheets import write_csv, write_xlsx
from cooplab.errors import ImportFileError
from cooplab.matching.profiles import Location
from cooplab.matching.workbook import (
    CAPABILITY_COLUMNS,
    NEED_COLUMNS,
    OrganizationRef,
    read_matching_workbook,
)
from cooplab.vocab.processes import Process

ON = date(2026, 11, 1)
ORGS = {
    "o'zauto-austem": [OrganizationRef(7, "O'zAuto-Austem", tier=1, country="UZ")],
    "узавто моторс": [OrganizationRef(1, "UzAuto Motors")],
    "uzauto motors": [OrganizationRef(1, "UzAuto Motors")],
    "7": [OrganizationRef(7, "O'zAuto-Austem", tier=1, country="UZ")],
    "uz": [OrganizationRef(20, "Uz-Koram Co"), OrganizationRef(21, "Uz-Tong Hong Co")],
}
PLACES = {
    "andijan": [Location(name="Andijan", latitude=40.78338, longitude=72.35067)],
    "асака": [Location(name="Asaka", latitude=40.64153, longitude=72.23868)],
}


def resolve_organization(text):
    return ORGS.get(text.strip().lower(), [])


def resolve_place(text):
    return PLACES.get(text.strip().lower(), [])


def read(files):
    return read_matching_workbook(
        files, resolve_organization=resolve_organization, resolve_place=resolve_place, on=ON
    )


CAP = [
    "O'zAuto-Austem",
    "8708.70; 8708.80",
    "stamping;welding",
    "steel",
    "900000",
    "IATF 16949:2027-03-31; ISO 9001",
    "Andijan",
    "Стальные колёсные диски",
]
NEED = [
    "N1",
    "УзАвто Моторс",
    "870870",
    'Wheel 15"',
    "Po'lat g'ildirak disklari",
    "300000",
    "38",
    "usd",
    "stamping",
    "IATF 16949",
    "Асака",
    "2027-03-01",
]


def csv_files(caps=(), needs=()):
    files = {}
    if caps is not None:
        files["capabilities.csv"] = write_csv([list(CAPABILITY_COLUMNS), *caps])
    if needs is not None:
        files["needs.csv"] = write_csv([list(NEED_COLUMNS), *needs])
    return files


def problems(files):
    with pytest.raises(ImportFileError) as caught:
        read(files)
    return {(d["loc"][0], d["loc"][1], d["loc"][2], d["code"]) for d in caught.value.details}, caught.value


def test_a_good_workbook_in_csv():
    book = read(csv_files([CAP], [NEED]))
    cap, need = book.capabilities[0], book.needs[0]
    assert cap.supplier_id == 7 and cap.supplier_tier == 1 and cap.supplier_country == "UZ"
    assert cap.hs_codes == ("870870", "870880") and cap.processes == (Process.STAMPING, Process.WELDING)
    assert [(c.name, c.expires) for c in cap.certifications] == [
        ("IATF 16949", date(2027, 3, 31)),
        ("ISO 9001", None),
    ]
    assert cap.sites[0].name == "Andijan" and cap.description.ru
    assert need.ref == "N1" and need.buyer_id == 1 and need.currency == "USD" and need.description.uz
    assert need.delivery_place.name == "Asaka" and need.deadline == date(2027, 3, 1)


def test_a_good_workbook_in_xlsx_with_numbers_as_numbers():
    cap = [*CAP[:4], 900000, *CAP[5:]]
    need = [*NEED[:2], 870870, *NEED[3:5], 300000, 38.5, *NEED[7:]]
    files = {
        "matching.xlsx": write_xlsx(
            {"capabilities": [list(CAPABILITY_COLUMNS), cap], "needs": [list(NEED_COLUMNS), need]}
        )
    }
    book = read(files)
    assert book.capabilities[0].annual_capacity == 900000 and book.needs[0].hs_code == "870870"
    assert str(book.needs[0].target_price) == "38.5"


def test_supplier_by_registry_id():
    assert read(csv_files([["7", *CAP[1:]]], None)).capabilities[0].supplier == "O'zAuto-Austem"


def test_every_bad_row_is_named_and_nothing_is_returned():
    caps = [
        CAP,
        ["Nobody Ltd", *CAP[1:]],  # row 3: unknown supplier
        ["uz", *CAP[1:]],  # row 4: several organizations
        [CAP[0], CAP[1], CAP[2], CAP[3], "0", *CAP[5:]],  # row 5: capacity of zero
        [CAP[0], CAP[1], CAP[2], CAP[3], CAP[4], "IATF 16949:2025-01-31", *CAP[6:]],  # row 6: expired
        [CAP[0], CAP[1], "stamping;laser magic", *CAP[3:]],  # row 7: unknown process
        [CAP[0], "87087", *CAP[2:]],  # row 8: bad HS code
        [CAP[0], "", "", "", "", "", "", ""],  # row 9: says nothing it makes
        [*CAP[:6], "Atlantis", CAP[7]],  # row 10: unknown place
    ]
    needs = [
        NEED,
        ["N2", NEED[1], "", "", "", *NEED[5:]],  # row 3: no HS code and no text
        ["N1", *NEED[1:]],  # row 4: ref given twice
        ["N4", *NEED[1:5], "-5", *NEED[6:]],  # row 5: volume below zero
        ["N5", *NEED[1:6], "38", "", *NEED[8:]],  # row 6: price without currency
        ["N6", *NEED[1:11], "next spring"],  # row 7: bad date
        ["", *NEED[1:]],  # row 8: no ref
    ]
    found, error = problems(csv_files(caps, needs))
    expected = {
        ("capabilities", 3, "supplier", "supplier_unknown"),
        ("capabilities", 4, "supplier", "supplier_ambiguous"),
        ("capabilities", 5, "annual_capacity", "capacity_not_positive"),
        ("capabilities", 6, "certifications", "certification_expired"),
        ("capabilities", 7, "processes", "process_unknown"),
        ("capabilities", 8, "hs_codes", "hs_code_invalid"),
        ("capabilities", 9, "hs_codes", "capability_without_product"),
        ("capabilities", 10, "site", "place_unknown"),
        ("needs", 3, "hs_code", "need_without_product"),
        ("needs", 4, "ref", "ref_duplicate"),
        ("needs", 5, "annual_volume", "volume_not_positive"),
        ("needs", 6, "currency", "currency_missing"),
        ("needs", 7, "deadline", "date_invalid"),
        ("needs", 8, "ref", "ref_missing"),
    }
    assert found == expected
    assert error.message.startswith("capabilities row 3, supplier: no organization is called 'Nobody Ltd'")
    ambiguous = next(d for d in error.details if d["code"] == "supplier_ambiguous")
    assert "Uz-Koram Co (id 20)" in ambiguous["msg"] and ambiguous["params"]["candidates"]
    expired = next(d for d in error.details if d["code"] == "certification_expired")
    assert expired["params"] == {"certification": "IATF 16949", "expires": "2025-01-31"}


def test_missing_sheets_and_columns_are_named():
    found, _ = problems({"other.csv": write_csv([["a"], ["b"]])})
    assert found == {("workbook", 0, "sheets", "sheets_missing")}
    found, _ = problems({"needs.csv": write_csv([["ref", "buyer"], ["N1", "UzAuto Motors"]])})
    assert ("needs", 1, "hs_code", "column_missing") in found and (
        "needs",
        1,
        "deadline",
        "column_missing",
    ) in found


def test_an_edition_year_is_not_an_expiry_and_optional_columns_are_read():
    header = [*CAPABILITY_COLUMNS, "illustrative", "source", "as_of", "visibility"]
    row = [*CAP[:5], "ISO 9001:2015", *CAP[6:], "no", "uzautojobs", "2019-01-01", "public"]
    cap = read({"capabilities.csv": write_csv([header, row])}).capabilities[0]
    assert cap.certifications[0].name == "ISO 9001" and cap.certifications[0].expires is None
    assert cap.source == "uzautojobs" and cap.as_of == date(2019, 1, 1) and cap.visibility == "public"
    bad = [*CAP, "maybe", "", "", "secret"]
    found, _ = problems({"capabilities.csv": write_csv([header, bad])})
    assert found == {
        ("capabilities", 2, "illustrative", "flag_invalid"),
        ("capabilities", 2, "visibility", "visibility_invalid"),
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("300000", 300000),
        ("300 000", 300000),
        ("300,000", 300000),
        ("1.200.000", 1200000),
        ("1,200,000", 1200000),
    ],
)
def test_numbers_as_people_write_them(cell, expected):
    need = [*NEED[:5], cell, *NEED[6:]]
    assert read(csv_files(None, [need])).needs[0].annual_volume == expected


def test_a_decimal_comma_a_dotted_date_and_comma_separated_lists():
    need = [*NEED[:6], "38,5", NEED[7], "stamping, welding", *NEED[9:11], "01.03.2027"]
    read_need = read(csv_files(None, [need])).needs[0]
    assert str(read_need.target_price) == "38.5" and read_need.deadline == date(2027, 3, 1)
    assert read_need.processes == (Process.STAMPING, Process.WELDING)
    cap = [CAP[0], "8708.70, 8708.80", *CAP[2:]]
    assert read(csv_files([cap], None)).capabilities[0].hs_codes == ("870870", "870880")
