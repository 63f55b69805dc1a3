"""Every component, basis, reason and error of feasibility has its text in Russian and English."""

import ast
import re
from pathlib import Path

import pytest

from cooplab.core.calculators import calculators
from cooplab.feasibility.components import KIND
from cooplab.feasibility.indicators import DISCOUNTED_CODES
from cooplab.feasibility.investment import DRIVERS
from cooplab.feasibility.messages import LANGUAGES, catalog, text

SOURCES = Path(__file__).resolve().parents[2] / "src" / "cooplab" / "feasibility"
SLOT = re.compile(r"\{(\w+)")


def literal_codes(function: str) -> dict[str, str | None]:
    """Codes given to `reason(...)` or `refuse(...)` in the sources, with their English text
    where it is a literal."""
    found: dict[str, str | None] = {}
    for path in SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            at = {"reason": 0, "refuse": 1}[function]
            if name == function and len(node.args) > at + 1 and isinstance(node.args[at], ast.Constant):
                message = node.args[at + 1]
                found[node.args[at].value] = message.value if isinstance(message, ast.Constant) else None
    return found


def test_headers_name_language_and_plural_forms():
    for lang in LANGUAGES:
        header = catalog(lang)[""]
        assert f"Language: {lang}" in header and "Plural-Forms: nplurals=" in header


def test_every_key_is_in_both_languages_with_the_same_slots():
    en, ru = catalog("en"), catalog("ru")
    assert en.keys() == ru.keys()
    for key in en:
        assert set(SLOT.findall(en[key])) == set(SLOT.findall(ru[key])), key


def test_components_bases_and_drivers_have_texts():
    keys = catalog("ru").keys()
    for component in calculators(KIND):
        assert f"component.{component.NAME}" in keys and f"basis.{component.BASIS}" in keys
    assert all(f"driver.{d}" in keys for d in DRIVERS)


@pytest.mark.parametrize(("function", "prefix"), [("reason", "reason"), ("refuse", "err")])
def test_every_code_has_its_text_and_english_matches_the_code(function, prefix):
    en = catalog("en")
    codes = literal_codes(function)
    assert len(codes) > 10
    for code, english in codes.items():
        assert f"{prefix}.{code}" in en, code
        if english is not None:
            assert en[f"{prefix}.{code}"] == english, code


def test_text_fills_the_slots():
    assert (
        text("reason.duty.doubled", "ru", rate=0.1)
        == "без режима наибольшего благоприятствования: ставка удвоена до 10.00%"
    )
    assert text("component.duty", "en") == "Import duty"
    assert text("no.such.key", "ru") == "no.such.key"


def dict_codes() -> set[str]:
    """Codes of the error details written out as dicts (`{"code": "..."}`) in the sources."""
    found = set()
    for path in SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "code"
                        and isinstance(value, ast.Constant)
                    ):
                        found.add(value.value)
    return found


def test_every_reason_and_refusal_text_belongs_to_a_code():
    """The other way round: no text outlives its code (the catalogs hold no dead keys)."""
    codes = {f"reason.{c}" for c in (*literal_codes("reason"), *DISCOUNTED_CODES.values())}
    codes.add("reason.price.local_production")
    codes |= {f"err.{c}" for c in (*literal_codes("refuse"), *dict_codes())}
    rules = set(
        re.findall(r'contradiction\(\s*"(\w+)"', (SOURCES / "incoterms.py").read_text(encoding="utf-8"))
    )
    assert rules
    codes |= {f"err.incoterm_contradicts_legs.{rule}" for rule in rules}
    keys = {k for k in catalog("en") if k.startswith(("reason.", "err."))}
    assert sorted(keys - codes) == []
