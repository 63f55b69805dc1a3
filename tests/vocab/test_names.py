"""Name keys: across scripts, without legal forms, with the авто/auto table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cooplab.vocab.choices import Script
from cooplab.vocab.names import compact_key, detect_script, name_key


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
