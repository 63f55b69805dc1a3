"""The Russian, English and Uzbek catalogs of reason texts are complete and agree on placeholders."""

import string

import pytest

from cooplab.localization.reasons import MISSING, REASONS, catalog, translate

KEYS = {f"reason.{code}" for code in REASONS} | set(MISSING)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", ["en", "ru", "uz"])
def test_every_reason_has_a_text_with_the_same_placeholders(lang):
    texts = {k: v for k, v in catalog(lang).items() if k.startswith(("reason.", "missing."))}
    assert set(texts) == KEYS
    for key in KEYS:
        english = REASONS.get(key.removeprefix("reason."), MISSING.get(key))
        assert placeholders(texts[key]) == placeholders(english), key


def test_the_po_files_have_their_headers():
    from cooplab.localization.reasons import I18N

    for lang in ("en", "ru", "uz"):
        head = (I18N / f"{lang}.po").read_text(encoding="utf-8")[:600]
        assert f'"Language: {lang}\\n"' in head and "Plural-Forms: nplurals=" in head


def test_a_result_reason_translates():
    assert (
        translate("reason.ru719.level", {"points": 925, "day": "2025-06-01"}, "ru")
        == "925 баллов по постановлению № 719 на 2025-06-01."
    )
    assert (
        translate("reason.ru719.level", {"points": 925, "day": "2025-06-01"}, "uz")
        == "2025-06-01 holatiga 719-son qaror boʻyicha 925 ball."
    )
    assert translate("reason.ru719.level", {"points": 925, "day": "2025-06-01"}, "de").startswith(
        "925 points"
    )


# ---------------------------------------------------------------- the reader's numbers and names


def _answer(method: str, lang: str, **vehicle_kw):
    from tests.localization.builders import flat, line, source

    lines = [line(f"P{n}", hs=None) for n in range(12)]
    sources = [source(f"P{n}", "Importer", "KR", 1_234_567) for n in range(12)]
    bill = flat(lines, sources, own_cost=2_000_000, **vehicle_kw)
    from cooplab.localization.methods import localization_level
    from cooplab.localization.service import level_answer

    return level_answer(localization_level(bill, method), lang)


def test_numbers_in_russian_reasons_are_grouped_the_russian_way():
    ru, en = _answer("uz_cost_share", "ru"), _answer("uz_cost_share", "en")
    # 12 x 1,234,567 = 14,814,804 of parts; plus 2,000,000 own cost
    assert "16\u00a0814\u00a0804 сум" in ru["reasons"][0]["text"]
    assert "," not in ru["reasons"][0]["text"].split("уровень")[0]
    assert "16,814,804 UZS" in en["reasons"][0]["text"]
    assert "11,9%" in ru["reasons"][0]["text"] and "11.9%" in en["reasons"][0]["text"]


def test_threshold_names_are_in_the_readers_language():
    ru = _answer("uz_cost_share", "ru")
    names = [t["name"] for t in ru["thresholds"]]
    assert "Программа локализации, второй год" in names
    texts = " ".join(r["text"] for r in ru["reasons"])
    assert "Программа локализации, второй год: порог 45% не достигнут" in texts
    assert "Localization programme" not in texts and "Local-product" not in texts


def test_points_thresholds_are_written_the_russian_way():
    ru = _answer("ru_719_points", "ru", production_country="RU", operations=("body_welding",))
    texts = " ".join(r["text"] for r in ru["reasons"])
    assert "Государственные закупки: порог 3\u00a0200 баллов не достигнут; не хватает 2\u00a0800" in texts
    assert "points" not in texts and "Public procurement" not in texts
    assert "Сварка" in texts or "сварка" in texts  # the item's name, not "Body welding"


def test_a_long_list_of_parts_says_how_many_more_in_the_readers_language():
    ru = _answer("cis_origin", "ru")
    missing = next(m for m in ru["missing"] if m["code"] == "no_hs_code")
    assert missing["text"].endswith("P9 и ещё 2.") and "more" not in missing["text"]


def test_countries_in_reasons_are_named_in_the_readers_language():
    params = {
        "supplier": "Importer KR",
        "country": "KR",
        "volume_share": 0.4,
        "price": 450000,
        "outside_word": "x",
    }
    ru = translate("reason.part.produced_outside", params, "ru")
    en = translate("reason.part.produced_outside", params, "en")
    assert "Южная Корея" in ru and "KR" not in ru.replace("Importer KR", "")
    assert "South Korea" in en or "Korea" in en
    assert "Страна производства — Узбекистан" in translate(
        "reason.ru719.not_russian", {"country": "UZ"}, "ru"
    )
