"""The message catalogs: the same keys in Russian and English, every key used exists, none unused."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from cooplab.accounts.roles import Role, Visibility
from cooplab.engagements.schemas import ActionStatus, AgreementKind, EventKind
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.vocab.choices import EntityType, IdentifierScheme, Language, NameKind, OrganizationKind, PlaceKind, Script
from cooplab.web import account, admin, forms, render

WEB = Path(render.__file__).parent
TEMPLATES = sorted((WEB / "templates").rglob("*.html"))
MODULES = sorted(WEB.glob("*.py"))
LITERAL_KEY = re.compile(r"""\b(?:t|t_or|tm|translate\((?:lang|self\.lang),)\(?\s*["']([a-z0-9_.]+)["']""")


def catalog(lang: str) -> dict[str, object]:
    return json.loads((WEB / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def literal_keys() -> dict[str, str]:
    """Message ids written literally in templates and web modules -> where."""
    found = {}
    for path in [*TEMPLATES, *MODULES]:
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
            if not key.endswith("."):
                found[key] = path.name
    return found


def dynamic_keys() -> set[str]:
    """Message ids composed at run time from the closed sets they translate."""
    keys: set[str] = set()
    keys |= {f"kind.{k.value}" for k in OrganizationKind}
    keys |= {f"namekind.{k.value}" for k in NameKind} | {f"namekind.{k.value}.plural" for k in NameKind}
    keys |= {f"lang.{k.value}" for k in Language} | {f"lang.short.{code}" for code in render.LANGUAGES}
    keys |= {f"script.{k.value}" for k in Script}
    keys |= {f"placekind.{k.value}" for k in PlaceKind}
    keys |= {f"scheme.{k.value}" for k in IdentifierScheme} | {f"form.{k.value}_hint" for k in IdentifierScheme}
    keys |= {f"entity.{k.value}" for k in EntityType} | {"entity.source", "entity.citation"}
    keys |= {f"search.group.{k.value}" for k in EntityType}
    keys |= {f"illustrative.note.{k.value}" for k in EntityType}
    keys |= {f"section.{s}" for s in render.COMING_SECTIONS} | {f"soon.{s}" for s in render.COMING_SECTIONS}
    keys |= {f"nav.{key}" for key, _ in render.REGISTRY_SECTIONS}
    keys |= {f"flash.{f}" for f in render.FLASHES}
    for title in [*render._ERROR_TITLES.values(), "error.other"]:
        keys |= {title, f"{title}_hint"}
    keys |= set(forms._MESSAGE_KEYS.values()) | {key for _, key in forms._MESSAGE_PATTERNS}
    keys |= set(forms._TYPE_KEYS.values())
    for model in (OrganizationFilter, PersonFilter, PlaceFilter, admin.AuditFilter):
        keys |= {f"field.{name}" for name in model.model_fields}
    keys |= {f"role.{r.value}" for r in Role} | {f"role.{r.value}.hint" for r in Role}
    keys |= {f"visibility.{v.value}" for v in Visibility} | {f"visibility.{v.value}.hint" for v in Visibility}
    keys |= {f"audit.action.{a}" for a in admin.AUDIT_ACTIONS} | {f"audit.type.{t}" for t in admin.AUDIT_TYPES}
    keys |= {f"audit.field.{f}" for f in admin.AUDIT_FIELDS}
    keys |= set(account.LOGIN_PROBLEMS) | set(render._ACCESS_DETAILS.values())
    keys |= {f"event.{k.value}" for k in EventKind} | {f"agreement.{k.value}" for k in AgreementKind}
    keys |= {f"action.status.{s.value}" for s in ActionStatus}
    keys |= {"missions.role.organizer", "missions.role.participant"}
    return keys


def placeholders(text: object) -> set[str]:
    texts = text.values() if isinstance(text, dict) else [text]
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(str(t)) if name}


def test_both_catalogs_have_the_same_keys() -> None:
    ru, en = catalog("ru"), catalog("en")
    assert sorted(set(ru) - set(en)) == []
    assert sorted(set(en) - set(ru)) == []


@pytest.mark.parametrize("lang, forms_", [("ru", {"one", "few", "many"}), ("en", {"one", "other"})])
def test_plural_messages_have_every_form_of_their_language(lang: str, forms_: set[str]) -> None:
    for key, text in catalog(lang).items():
        if isinstance(text, dict):
            assert set(text) == forms_, key
            assert isinstance(catalog("en" if lang == "ru" else "ru")[key], dict), key


def test_both_languages_fill_in_the_same_placeholders() -> None:
    ru, en = catalog("ru"), catalog("en")
    for key in ru:
        assert placeholders(ru[key]) == placeholders(en[key]), key


def test_every_key_used_exists() -> None:
    ru = catalog("ru")
    used = {**literal_keys(), **{key: "(composed)" for key in dynamic_keys()}}
    missing = {key: where for key, where in used.items() if key not in ru}
    assert missing == {}


def test_every_key_in_the_catalog_is_used() -> None:
    used = set(literal_keys()) | dynamic_keys()
    unused = sorted(set(catalog("ru")) - used)
    assert unused == []


def test_templates_hold_no_russian_text() -> None:
    """Every Russian word comes from the catalog, so the English pages have none."""
    for path in TEMPLATES:
        assert not re.search(r"[А-Яа-яЁё]", path.read_text(encoding="utf-8")), path.name


def test_messages_are_plain_text() -> None:
    for lang in render.LANGUAGES:
        for key, text in catalog(lang).items():
            for value in text.values() if isinstance(text, dict) else [text]:
                assert "<" not in value and value.strip() == value, (lang, key)


def test_translate_picks_russian_plural_forms() -> None:
    assert render.translate("ru", "count.organizations", 1) == "организация"
    assert render.translate("ru", "count.organizations", 3) == "организации"
    assert render.translate("ru", "count.organizations", 11) == "организаций"
    assert render.translate("ru", "count.organizations", 21) == "организация"
    assert render.translate("en", "count.people", 2) == "people"
    assert render.translate("ru", "no.such.key") == "no.such.key"
