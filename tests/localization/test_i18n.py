"""The Russian and English catalogs of reason texts are complete and agree on placeholders."""

import string

import pytest

from cooplab.localization.reasons import MISSING, REASONS, catalog, translate

KEYS = {f"reason.{code}" for code in REASONS} | set(MISSING)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_reason_has_a_text_with_the_same_placeholders(lang):
    texts = {k: v for k, v in catalog(lang).items() if k.startswith(("reason.", "missing."))}
    assert set(texts) == KEYS
    for key in KEYS:
        english = REASONS.get(key.removeprefix("reason."), MISSING.get(key))
        assert placeholders(texts[key]) == placeholders(english), key


def test_the_po_files_have_their_headers():
    from cooplab.localization.reasons import I18N

    for lang in ("en", "ru"):
        head = (I18N / f"{lang}.po").read_text(encoding="utf-8")[:600]
        assert f'"Language: {lang}\\n"' in head and "Plural-Forms: nplurals=" in head


def test_a_result_reason_translates():
    assert (
        translate("reason.ru719.level", {"points": 925, "day": "2025-06-01"}, "ru")
        == "925 баллов по постановлению № 719 на 2025-06-01."
    )
    assert translate("reason.ru719.level", {"points": 925, "day": "2025-06-01"}, "uz").startswith(
        "925 points"
    )
