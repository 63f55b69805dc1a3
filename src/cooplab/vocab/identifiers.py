"""Identifiers of organizations: normalise and validate Russian INN/OGRN and Uzbek STIR."""

from __future__ import annotations

import re

from cooplab.errors import CodedValueError
from cooplab.vocab.choices import IdentifierScheme

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


class IdentifierError(CodedValueError):
    """The value is not a valid identifier of its scheme; the message says why."""


def normalize_identifier(value: str) -> str:
    """Digits only: spaces, dashes and dots that people type are dropped."""
    return re.sub(r"[\s\-.]", "", str(value))


def _not_all_zeros(digits: str, scheme: str) -> None:
    """All zeros pass every check digit rule, yet no register issues such a number."""
    if digits and set(digits) == {"0"}:
        raise IdentifierError("identifier_zero", f"{scheme} cannot be all zeros")


def _weighted_check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def validate_inn(value: str) -> str:
    """A Russian INN: 10 digits for a company, 12 for an individual, with check digits."""
    inn = normalize_identifier(value)
    if not inn.isdigit():
        raise IdentifierError("inn_digits", "INN must contain digits only")
    _not_all_zeros(inn, "INN")
    if len(inn) == 10:
        if _weighted_check(inn, _INN10_WEIGHTS) != int(inn[9]):
            raise IdentifierError("inn_check", "INN check digit does not match")
    elif len(inn) == 12:
        if _weighted_check(inn, _INN11_WEIGHTS) != int(inn[10]) or _weighted_check(
            inn, _INN12_WEIGHTS
        ) != int(inn[11]):
            raise IdentifierError("inn_check", "INN check digits do not match")
    else:
        raise IdentifierError("inn_length", "INN must have 10 or 12 digits")
    return inn


def validate_ogrn(value: str) -> str:
    """A Russian OGRN (13 digits) or OGRNIP (15 digits) with its check digit."""
    ogrn = normalize_identifier(value)
    if not ogrn.isdigit():
        raise IdentifierError("ogrn_digits", "OGRN must contain digits only")
    _not_all_zeros(ogrn, "OGRN")
    if len(ogrn) == 13:
        check = int(ogrn[:12]) % 11 % 10
    elif len(ogrn) == 15:
        check = int(ogrn[:14]) % 13 % 10
    else:
        raise IdentifierError("ogrn_length", "OGRN must have 13 digits (OGRNIP: 15)")
    if check != int(ogrn[-1]):
        raise IdentifierError("ogrn_check", "OGRN check digit does not match")
    return ogrn


def validate_stir(value: str) -> str:
    """An Uzbek STIR (taxpayer number): 9 digits; no public check-digit rule exists."""
    stir = normalize_identifier(value)
    if not (stir.isdigit() and len(stir) == 9):
        raise IdentifierError("stir_length", "STIR must have exactly 9 digits")
    _not_all_zeros(stir, "STIR")
    return stir


VALIDATORS = {
    IdentifierScheme.INN: validate_inn,
    IdentifierScheme.OGRN: validate_ogrn,
    IdentifierScheme.STIR: validate_stir,
}


def validate_identifier(scheme: IdentifierScheme | str, value: str) -> str:
    """The normalised value, or IdentifierError saying what is wrong."""
    try:
        scheme = IdentifierScheme(scheme)
    except ValueError:
        raise IdentifierError(
            "scheme",
            f"unknown identifier scheme {scheme!r}; use one of "
            + ", ".join(s.value for s in IdentifierScheme),
        ) from None
    return VALIDATORS[scheme](value)


def inn_check_digits(first_digits: str) -> str:
    """Complete 9 (company) or 10 (individual) INN digits with their check digits."""
    if len(first_digits) == 9:
        return first_digits + str(_weighted_check(first_digits, _INN10_WEIGHTS))
    if len(first_digits) == 10:
        d11 = str(_weighted_check(first_digits, _INN11_WEIGHTS))
        return first_digits + d11 + str(_weighted_check(first_digits + d11, _INN12_WEIGHTS))
    raise ValueError("give 9 or 10 digits")


def ogrn_check_digit(first_digits: str) -> str:
    """Complete 12 (OGRN) or 14 (OGRNIP) digits with the check digit."""
    if len(first_digits) == 12:
        return first_digits + str(int(first_digits) % 11 % 10)
    if len(first_digits) == 14:
        return first_digits + str(int(first_digits) % 13 % 10)
    raise ValueError("give 12 or 14 digits")
