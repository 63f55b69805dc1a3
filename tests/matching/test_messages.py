"""Every reason code has a sentence in Russian and English, with the parameters it is given."""

import re
from importlib import resources
from pathlib import Path

import cooplab.matching
from cooplab.core.calculators import Reason
from cooplab.matching.messages import catalog, placeholders, reason_text
from cooplab.matching.scoring import Scorer
from tests.matching.conftest import ON

SOURCE = Path(cooplab.matching.__file__).parent
CODE = re.compile(r'self\.reason\(\s*"([a-z_]+)",\s*"([^"]*)"')
#: Reasons built directly (the landed cost's assumptions and why it could not be priced).
DIRECT = re.compile(r'(?:Reason\(\s*code="|_missing\(\s*")([a-z0-9_]+)"')


def codes_in_source():
    found = {}
    for path in SOURCE.rglob("*.py"):
        for code, text in CODE.findall(path.read_text("utf-8")):
            found[code] = text
        for code in DIRECT.findall(path.read_text("utf-8")):
            found.setdefault(code, "")
    found.update({f"ranking_{c}": "" for c in ("no_product", "filtered", "below_minimum", "no_capability")})
    return found


def test_both_catalogs_have_a_header_and_every_code():
    for lang in ("ru", "en"):
        text = resources.files("cooplab.matching").joinpath(f"i18n/{lang}.po").read_text("utf-8")
        assert f'"Language: {lang}\\n"' in text and "Plural-Forms:" in text
        assert {f"reason.{c}" for c in codes_in_source()} <= set(catalog(lang))


def test_english_catalog_says_what_the_code_says():
    for code, text in codes_in_source().items():
        if text:
            assert catalog("en")[f"reason.{code}"] == text, code


def test_a_real_match_reads_in_russian(wheel_need, austem):
    match = Scorer().match(wheel_need, austem, on=ON)
    russian = [reason_text(r, "ru") for r in match.reasons]
    assert "ТН ВЭД 8708.70, точно" in russian
    assert any(t.startswith("штамповка и сварка (2 из 2") for t in russian)
    assert any(t.startswith("делает: колесо") for t in russian)
    for reason in match.reasons:
        assert placeholders(catalog("ru")[f"reason.{reason.code}"]) <= set(reason.params)


def test_an_unknown_code_or_language_falls_back_to_english():
    reason = Reason(code="nothing_like_it", params={}, text="as it was")
    assert reason_text(reason, "ru") == "as it was" and reason_text(reason, "fr") == "as it was"
