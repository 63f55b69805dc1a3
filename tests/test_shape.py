"""The house has one shape: every domain in the registry has the same files, its templates and
messages in its own folder, a page in docs/, service tests, and commands documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from cooplab.core.domain import FILES, domains

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_every_domain_has_every_file(domain):
    missing = [name for name in FILES if not (domain.folder / name).is_file()]
    missing += [
        f"i18n/{lang}.po" for lang in ("ru", "en") if not (domain.folder / "i18n" / f"{lang}.po").is_file()
    ]
    if not (domain.folder / "templates").is_dir():
        missing.append("templates/")
    if domain.tables and not any((domain.folder / "migrations").glob("*.py")):
        missing.append("migrations/")
    assert missing == []


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_every_domain_exposes_its_surfaces(domain):
    from fastapi import APIRouter
    from typer import Typer

    assert isinstance(domain.module("api").router, APIRouter)
    assert isinstance(domain.module("web").router, APIRouter)
    assert isinstance(domain.module("cli").app, Typer)
    assert domain.summary and domain.module("models").__doc__


@pytest.mark.parametrize("domain", domains(), ids=lambda d: d.name)
def test_every_domain_is_documented_and_tested(domain):
    assert (DOCS / f"{domain.name}.md").is_file(), f"docs/{domain.name}.md"
    assert (TESTS / domain.name / "test_service.py").is_file(), f"tests/{domain.name}/test_service.py"


def test_the_recipe_names_every_file_and_the_registry_line():
    recipe = (DOCS / "development" / "adding-a-domain.md").read_text(encoding="utf-8")
    for name in (*FILES, "templates/", "i18n/", "migrations/", "domains.py"):
        assert f"`{name}" in recipe, name
    assert (DOCS / "development" / "adding-a-calculator.md").is_file()


def test_templates_and_messages_live_in_their_domains():
    package = ROOT / "src" / "cooplab"
    names = {d.name for d in domains()}
    for folder in package.glob("*/templates"):
        assert folder.parent.name in names, folder
    assert not (package / "web").exists() and not (package / "api").exists()
