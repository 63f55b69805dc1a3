"""Commodity codes (HS / TN VED): normalised digit strings and their hierarchy.

A code is its digits: a chapter (2), a heading (4), a subheading (6) or a national line (8 or
10). "8708.29", "8708 29" and "870829" are one code. Names of codes and the tree the platform
knows are reference data (the catalog); this module only reads and compares codes.
"""

from __future__ import annotations

import re

LEVELS = (2, 4, 6, 8, 10)
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_hs_code(value: str) -> str:
    """The digits of a code as people type it ("8708.29" -> "870829"); a ValueError says what is
    wrong with anything else."""
    digits = _SEPARATORS.sub("", str(value).strip())
    if not digits.isdigit():
        raise ValueError(f"HS code {value!r} must contain digits only")
    if len(digits) not in LEVELS:
        raise ValueError(f"HS code {value!r} must have 2, 4, 6, 8 or 10 digits")
    return digits


def format_hs_code(code: str) -> str:
    """A code as the nomenclature prints it: 8708, 8708.29, 8708.29.100 0 is shown 8708.29.1000."""
    if len(code) <= 4:
        return code
    return f"{code[:4]}.{code[4:6]}" + (f".{code[6:]}" if len(code) > 6 else "")


def hs_parents(code: str) -> list[str]:
    """The code's ancestors, nearest first: 87082910 -> 870829, 8708, 87."""
    return [code[:n] for n in reversed(LEVELS) if n < len(code)]


def shared_digits(a: str, b: str) -> int:
    """How many leading levels two codes share, in digits (0, 2, 4, 6, 8 or 10)."""
    shared = 0
    for n in LEVELS:
        if len(a) >= n and len(b) >= n and a[:n] == b[:n]:
            shared = n
        else:
            break
    return shared
