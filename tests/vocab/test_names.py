"""Name keys: across scripts, without legal forms, with the авто/auto table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cooplab.vocab.choices import Script
from cooplab.vocab.names import clean_name, compact_key, detect_script, name_key


@pytest.mark.parametrize(
    "a,b",
    [
        ("УзАвто Моторс", "UzAuto Motors"),
        ("O'zauto", "O‘zauto"),
        ("Узавтосаноат", "UzAutoSanoat"),
        ("ООО «Уз-Корам Ко»", "Uz-Koram Co"),
        ("СП ООО «Уз-Ханву»", "Uz-Khanvu JV LLC"),
    ],
)
def test_same_key_across_scripts_and_legal_forms(a, b):
    assert compact_key(name_key(a)) == compact_key(name_key(b))


def test_legal_form_alone_is_kept():
    assert name_key("ООО") == "ooo"


def test_detect_script():
    assert detect_script("Андижан") == Script.CYRILLIC
    assert detect_script("Andijon") == Script.LATIN


@given(st.text(max_size=40))
def test_key_is_ascii_and_stable(text):
    key = name_key(text)
    assert key.isascii()
    assert name_key(key) == key or not key


INVISIBLE = [
    "\u200b\u200b",  # zero-width spaces
    "\ufeff",  # byte order mark
    "\u202e\u202d",  # right-to-left and left-to-right overrides
    "\u0301\u0308",  # combining marks with no letter
    "\u00a0\u3000 \u2009",  # spaces of every width
    "\u200d\u200c",  # joiners alone
    "\u2066\u2069\u200e",  # isolates and direction marks
]


@pytest.mark.parametrize("name", INVISIBLE)
def test_names_of_invisible_characters_are_refused(name):
    from pydantic import ValidationError

    from cooplab.registry.schemas import NameIn

    assert clean_name(name) == ""
    with pytest.raises(ValidationError, match="must not be empty|at least 1 character"):
        NameIn(value=name)


def test_format_characters_leave_a_name_and_letters_keep_their_marks():
    assert clean_name("\ufeffUzAuto\u200b Motors\u202e") == "UzAuto Motors"
    assert clean_name("Jose\u0301") == "José"
