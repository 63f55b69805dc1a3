"""INN, OGRN and STIR: check digits, lengths, normalisation."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cooplab.vocab.identifiers import (
    IdentifierError,
    inn_check_digits,
    normalize_identifier,
    ogrn_check_digit,
    validate_identifier,
    validate_inn,
    validate_ogrn,
    validate_stir,
)


@pytest.mark.parametrize("inn", ["7707083893", "6320002223", "500100732259"])
def test_known_valid_inns(inn):
    assert validate_inn(inn) == inn


@pytest.mark.parametrize(
    "inn,why",
    [
        ("7707083894", "check digit"),
        ("500100732258", "check digits"),
        ("770708389", "10 or 12"),
        ("77070838AB", "digits only"),
    ],
)
def test_invalid_inns_say_why(inn, why):
    with pytest.raises(IdentifierError, match=why):
        validate_inn(inn)


def test_known_valid_ogrn():
    assert validate_ogrn("1027700132195") == "1027700132195"
    with pytest.raises(IdentifierError, match="check digit"):
        validate_ogrn("1027700132196")


def test_stir_has_nine_digits():
    assert validate_stir("200 123 456") == "200123456"
    with pytest.raises(IdentifierError):
        validate_stir("20012345")


def test_unknown_scheme():
    with pytest.raises(IdentifierError, match="unknown identifier scheme"):
        validate_identifier("vat", "123")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_completed_inn10_is_valid_and_any_other_last_digit_is_not(prefix):
    assume(prefix.strip("0"))
    inn = inn_check_digits(prefix)
    assert validate_inn(inn) == inn
    wrong = inn[:-1] + str((int(inn[-1]) + 1) % 10)
    with pytest.raises(IdentifierError):
        validate_inn(wrong)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_completed_inn12_is_valid(prefix):
    assume(prefix.strip("0"))
    assert validate_inn(inn_check_digits(prefix))


@given(st.sampled_from([12, 14]).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)))
def test_completed_ogrn_is_valid(prefix):
    assume(prefix.strip("0"))
    ogrn = ogrn_check_digit(prefix)
    assert validate_ogrn(ogrn) == ogrn


@given(st.text(alphabet="0123456789 -.", max_size=20))
def test_normalize_is_idempotent(value):
    once = normalize_identifier(value)
    assert normalize_identifier(once) == once


@pytest.mark.parametrize(
    ("scheme", "value"),
    [
        ("inn", "0000000000"),
        ("inn", "000000000000"),
        ("ogrn", "0000000000000"),
        ("ogrn", "000000000000000"),
        ("stir", "000000000"),
        ("stir", "000 000 000"),
    ],
)
def test_all_zero_identifiers_fail_validation(scheme, value):
    with pytest.raises(IdentifierError, match="all zeros") as refused:
        validate_identifier(scheme, value)
    assert refused.value.code == "identifier_zero"
