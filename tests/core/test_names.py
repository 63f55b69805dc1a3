"""The name of a record a reader is shown: English readers get an English name where one is on
record, never a machine transliteration over the record's own Latin name."""

from __future__ import annotations

from types import SimpleNamespace

from cooplab.core.names import display_name


def _name(value: str, lang: str, kind: str = "official", script: str = "Latn") -> SimpleNamespace:
    return SimpleNamespace(value=value, lang=lang, kind=kind, script=script)


def test_an_english_reader_gets_the_english_name_over_a_latin_display_name() -> None:
    names = [_name("O'zbekiston temir yo'llari", "uz"), _name("Uzbekistan Railways", "en")]
    assert display_name(names, "en", "O'zbekiston temir yo'llari") == "Uzbekistan Railways"
    assert display_name(names, "ru", "O'zbekiston temir yo'llari") == "O'zbekiston temir yo'llari"


def test_a_transliteration_is_not_an_english_name() -> None:
    names = [
        _name("O'zAuto-Austem", "uz"),
        _name("УзАвто-Аустем", "ru", script="Cyrl"),
        _name("Uz Avto Austem", "en", kind="transliteration"),
    ]
    assert display_name(names, "en", "O'zAuto-Austem") == "O'zAuto-Austem"
    assert display_name(names, "en", "УзАвто-Аустем") != "УзАвто-Аустем"  # Cyrillic: a Latin name instead
