"""The message catalogs: every domain's and the shared ones, the same keys in Russian and English,
every key used exists, none unused, every error code has words in both languages."""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from cooplab.accounts import web as accounts_web
from cooplab.accounts.filters import AuditFilter
from cooplab.catalog.workbook import PROBLEM_CODES
from cooplab.core import i18n
from cooplab.core.actor import Role
from cooplab.core.domain import citable_subjects, domains, navigation
from cooplab.core.records import what_of
from cooplab.core.web import render
from cooplab.engagements.filters import ActionItemFilter, AgreementFilter
from cooplab.engagements.models import ActionItem, Agreement, Event, Mission
from cooplab.feasibility import messages as feasibility_messages
from cooplab.feasibility import web as feasibility_web
from cooplab.localization.filters import Method
from cooplab.localization.opportunities import PathStatus, Signal
from cooplab.localization.reasons import MISSING, REASONS
from cooplab.matching.feedback import Judgement
from cooplab.matching.workbook import PROBLEM_CODES as MATCHING_PROBLEM_CODES
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.merge import REASON_CODES as DUPLICATE_REASONS
from cooplab.registry.models import Organization, Person, Place, Source
from cooplab.registry.service import CONFLICTS
from cooplab.vocab.choices import (
    ActionStatus,
    AgreementKind,
    EntityType,
    EventKind,
    IdentifierScheme,
    Language,
    NameKind,
    OrganizationKind,
    PlaceKind,
    Script,
    SearchType,
    Visibility,
)

PACKAGE = i18n.PACKAGE
#: Models whose ids the services check (a missing one is named in the error).
MISSING_BY_ID = (Organization, Person, Place, Source, Mission, Event, Agreement, ActionItem)
#: Where messages are used: the shared layers, the assembly, and the registered domains.
FOLDERS = [PACKAGE / "core", PACKAGE / "app", PACKAGE / "vocab", *[d.folder for d in domains()]]
TEMPLATES = sorted(p for folder in FOLDERS for p in folder.glob("**/templates/**/*.html"))
MODULES = sorted([*PACKAGE.glob("*.py"), *[p for folder in FOLDERS for p in folder.glob("**/*.py")]])
LITERAL_KEY = re.compile(
    r"""\b(?:t|t_or|tm|translate\(\s*(?:lang|self\.lang|page\.lang),)\(?\s*["']([a-z0-9_.]+)["']"""
)
#: Classes whose first argument is the code of a refused value.
VALUE_ERRORS = {"CodedValueError", "IdentifierError", "CountryError", "CellError"}


def catalog(lang: str) -> dict[str, object]:
    return i18n.catalog(lang)


def source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def literal_keys() -> dict[str, str]:
    """Message ids written literally in templates and modules -> where."""
    found = {}
    for path in [*TEMPLATES, *MODULES]:
        for key in LITERAL_KEY.findall(source(path)):
            if not key.endswith("."):
                found[key] = path.name
    return found


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def raised_codes() -> tuple[set[str], set[str], set[str]]:
    """(reasons of errors, codes of details and refused values, records named missing) that the
    code can raise, read from its calls: `reason="..."`, `field_error(loc, msg, "code")`,
    `{"code": "..."}`, `_bad(..., code="...")`, `CodedValueError("code", ...)`, `NotFoundError.record("what", ...)`,
    `visible_or_404(session, model, id, actor, "what")`."""
    reasons, codes, records = {"record_missing", "merged"}, set(), set()
    reasons |= {reason for _, reason in CONFLICTS.values()}
    for path in MODULES:
        for node in ast.walk(ast.parse(source(path))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if _text(key) == "code" and _text(value):
                        codes.add(_text(value))  # type: ignore[arg-type]
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            reasons |= {v for k in node.keywords if k.arg == "reason" and (v := _text(k.value))}
            if name == "_bad":  # the ingest readers' helper around field_error
                codes |= {v for k in node.keywords if k.arg == "code" and (v := _text(k.value))}
            if name == "field_error" and len(node.args) >= 3 and _text(node.args[2]):
                codes.add(_text(node.args[2]))  # type: ignore[arg-type]
            if name in VALUE_ERRORS and node.args and _text(node.args[0]):
                codes.add(_text(node.args[0]))  # type: ignore[arg-type]
            if name == "record" and node.args and _text(node.args[0]):
                records.add(_text(node.args[0]).replace(" ", "_"))  # type: ignore[union-attr]
            if name == "get_or_404" and len(node.args) >= 4 and _text(node.args[3]):
                records.add(_text(node.args[3]))  # type: ignore[arg-type]
            if name == "visible_or_404" and len(node.args) >= 5 and _text(node.args[4]):
                records.add(_text(node.args[4]).replace(" ", "_"))  # type: ignore[union-attr]
    records |= {model.__tablename__ for model in MISSING_BY_ID} | set(citable_subjects())
    return reasons, codes, records


def dynamic_keys() -> set[str]:
    """Message ids composed at run time from the closed sets they translate."""
    keys: set[str] = set()
    keys |= {f"kind.{k.value}" for k in OrganizationKind}
    keys |= {f"namekind.{k.value}" for k in NameKind} | {f"namekind.{k.value}.plural" for k in NameKind}
    keys |= {f"lang.{k.value}" for k in Language} | {f"lang.short.{code}" for code in i18n.LANGUAGES}
    keys |= {f"script.{k.value}" for k in Script}
    keys |= {f"placekind.{k.value}" for k in PlaceKind}
    keys |= {f"scheme.{k.value}" for k in IdentifierScheme} | {
        f"form.{k.value}_hint" for k in IdentifierScheme
    }
    keys |= {f"entity.{k.value}" for k in EntityType} | {"entity.source", "entity.citation"}
    keys |= {f"search.group.{k.value}" for k in SearchType}
    keys |= {f"illustrative.note.{k.value}" for k in EntityType}
    keys |= {f"section.{s}" for s in render.COMING_SECTIONS} | {f"soon.{s}" for s in render.COMING_SECTIONS}
    keys |= {f"nav.{entry.key}" for entry in navigation()} | {f"nav.{entry.group}" for entry in navigation()}
    keys |= {f"flash.{f}" for f in render.FLASHES}
    for title in [*render._ERROR_TITLES.values(), "error.other"]:
        keys |= {title, f"{title}_hint"}
    keys |= set(render._TYPE_KEYS.values())
    for model in (
        OrganizationFilter,
        PersonFilter,
        PlaceFilter,
        AuditFilter,
        AgreementFilter,
        ActionItemFilter,
    ):
        keys |= {f"field.{name}" for name in model.model_fields}
    keys |= {f"role.{r.value}" for r in Role} | {f"role.{r.value}.hint" for r in Role}
    keys |= {f"visibility.{v.value}" for v in Visibility} | {f"visibility.{v.value}.hint" for v in Visibility}
    keys |= {f"ingest.visibility.{v.value}" for v in Visibility}
    keys |= {f"missions.hidden.{group}" for group in ("events", "agreements", "action_items")}
    keys |= {f"audit.action.{a}" for a in accounts_web.AUDIT_ACTIONS}
    keys |= {f"audit.type.{t}" for t in accounts_web.audit_types()}
    keys |= set(accounts_web.LOGIN_PROBLEMS)
    keys |= {f"event.{k.value}" for k in EventKind} | {f"agreement.{k.value}" for k in AgreementKind}
    keys |= {f"action.status.{s.value}" for s in ActionStatus}
    keys |= {"missions.role.organizer", "missions.role.participant"}
    keys |= {f"missions.visibility_hint.{v.value}" for v in Visibility} | {"entity.participant"}
    keys |= {f"err.{code}" for code in (*PROBLEM_CODES, *MATCHING_PROBLEM_CODES)}
    keys |= {f"reason.{code}" for code in matching_reason_codes()}
    keys |= {f"judgement.{j.value}" for j in Judgement}
    keys |= {f"reason.{code}" for code in REASONS} | set(MISSING)
    keys |= {f"reason.{code}" for code in DUPLICATE_REASONS}
    keys |= {f"level.{m.value}" for m in Method}
    keys |= feasibility_messages.composed_keys()
    keys |= {f"feasibility.col_{c}" for c in (*feasibility_web.YEAR_COLUMNS, *feasibility_web.FLOW_COLUMNS)}
    keys |= {f"opportunities.signal.{s.value}" for s in Signal}
    keys |= {f"opportunities.status.{s.value}" for s in PathStatus}
    reasons, codes, records = raised_codes()
    keys |= {f"error.{r}" for r in reasons if f"error.{r}" in catalog("ru")}
    keys |= {f"err.{c}" for c in codes if f"err.{c}" in catalog("ru")}
    keys |= {f"entity.{what_of(r)}" for r in records}
    return keys


def audit_fields() -> set[str]:
    """Columns of every domain's tables: the audit log names each in words when the catalog can."""
    from cooplab.db.base import Base

    return {c.name for table in Base.metadata.tables.values() for c in table.columns}


def placeholders(text: object) -> set[str]:
    texts = text if isinstance(text, tuple) else [text]
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(str(t)) if name}


def test_the_interface_speaks_russian_english_and_uzbek() -> None:
    assert i18n.LANGUAGES == ("ru", "en", "uz")


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "ru"])
def test_every_language_has_the_same_keys(lang: str) -> None:
    ru, other = catalog("ru"), catalog(lang)
    assert sorted(set(ru) - set(other)) == []
    assert sorted(set(other) - set(ru)) == []


def test_every_domain_keeps_its_messages_in_its_own_catalogs() -> None:
    for domain in domains():
        for lang in i18n.LANGUAGES:
            assert (domain.folder / "i18n" / f"{lang}.po").is_file(), (domain.name, lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_plural_messages_have_every_form_of_their_language(lang: str) -> None:
    for path in i18n.catalog_files(lang):
        with path.open("rb") as handle:
            po = read_po(handle, locale=lang)
        assert po.num_plurals == get_plural(lang).num_plurals, path  # the header says CLDR's rule
        written, cldr = gettext.c2py(po.plural_expr), gettext.c2py(get_plural(lang).plural_expr)
        assert [written(n) for n in range(300)] == [cldr(n) for n in range(300)], path
        for message in po:
            if message.pluralizable:
                assert len(message.string) == po.num_plurals and all(message.string), (path, message.id)


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_every_language_fills_in_the_same_placeholders(lang: str) -> None:
    """The same parameters as in English; a reason of matching may take a parameter's
    Russian form (`processes_ru` for `processes`: docs/matching.md)."""
    other, en = catalog(lang), catalog("en")
    for key in other:
        said = placeholders(other[key])
        if (
            lang == "ru"
            and key.startswith("reason.")
            and key.removeprefix("reason.") in matching_reason_codes()
        ):
            said = {name.removesuffix("_ru") for name in said}
        assert said == placeholders(en[key]), key


def fields(text: object) -> list[str]:
    """Every {field!conversion:spec} of a message, as written (each plural form's)."""
    texts = text if isinstance(text, tuple) else [text]
    return sorted(
        f"{name}!{conversion}:{spec}"
        for t in texts
        for _, name, spec, conversion in string.Formatter().parse(str(t))
        if name is not None
    )


def test_uzbek_fills_in_every_placeholder_exactly_as_english() -> None:
    """Not only the names: the number formats ({level:.1%}) and conversions ({name!r}) too."""
    uz, en = catalog("uz"), catalog("en")
    for key, text in uz.items():
        expected = fields(en[key])
        if isinstance(en[key], tuple):
            assert set(fields(text)) == set(expected), key
        else:
            assert fields(text) == expected, key


def test_uzbek_writes_o_and_g_with_the_turned_comma() -> None:
    """One spelling of oʻ and gʻ (U+02BB) everywhere, and the tutuq belgisi as U+02BC
    (maʼlumot): no ASCII apostrophe, backtick or quotation mark in their place."""
    wrong = re.compile(r"[OoGg]['`\u2018\u2019]|[a-z]['`\u2019](?=[a-z])")
    for key, text in catalog("uz").items():
        for form in text if isinstance(text, tuple) else [text]:
            assert not wrong.search(form), (key, form)


def test_translate_in_uzbek() -> None:
    assert i18n.translate("uz", "nav.organizations") == "Tashkilotlar"
    assert i18n.translate("uz", "account.days", 1) == "1 kun"
    assert i18n.translate("uz", "account.days", 12345) == "12\u00a0345 kun"
    assert i18n.plural_rule("uz")(1) == 0 and i18n.plural_rule("uz")(5) == 1


def matching_reason_codes() -> set[str]:
    from tests.matching.test_messages import codes_in_source

    return set(codes_in_source())


def test_every_key_used_exists() -> None:
    ru = catalog("ru")
    used = {**literal_keys(), **dict.fromkeys(dynamic_keys(), "(composed)")}
    missing = {key: where for key, where in used.items() if key not in ru}
    assert missing == {}


def test_every_key_in_the_catalog_is_used() -> None:
    used = set(literal_keys()) | dynamic_keys() | {f"audit.field.{name}" for name in audit_fields()}
    unused = sorted(set(catalog("ru")) - used)
    assert unused == []


def test_every_error_a_user_can_meet_has_words_in_both_languages() -> None:
    reasons, codes, records = raised_codes()
    said_by_the_page = render._SAID_BY_THE_PAGE | {
        "invalid_input",
        "forbidden",
        "conflict",
        "too_many_attempts",
        "stale_version",
        "too_large",
        "unsupported_file",
        "invalid_file",
    }
    missing = sorted(f"error.{r}" for r in reasons - said_by_the_page if f"error.{r}" not in catalog("ru"))
    missing += sorted(
        f"err.{c}" for c in codes if f"err.{c}" not in catalog("ru") and c not in render._TYPE_KEYS
    )
    missing += sorted(f"entity.{what_of(r)}" for r in records if f"entity.{what_of(r)}" not in catalog("ru"))
    assert missing == []


def test_templates_hold_no_russian_text() -> None:
    """Every Russian word comes from the catalog, so the English pages have none."""
    for path in TEMPLATES:
        assert not re.search(r"[А-Яа-яЁё]", source(path)), path.name


def test_messages_are_plain_text() -> None:
    for lang in i18n.LANGUAGES:
        for key, text in catalog(lang).items():
            for value in text if isinstance(text, tuple) else [text]:
                assert "<" not in value and value.strip() == value, (lang, key)


def test_translate_picks_russian_plural_forms() -> None:
    assert i18n.translate("ru", "count.organizations", 1) == "организация"
    assert i18n.translate("ru", "count.organizations", 3) == "организации"
    assert i18n.translate("ru", "count.organizations", 11) == "организаций"
    assert i18n.translate("ru", "count.organizations", 21) == "организация"
    assert i18n.translate("en", "count.people", 2) == "people"
