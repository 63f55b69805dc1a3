"""What a domain declares, and the list of the platform's domains.

A domain is a folder of `cooplab` with the same files in each (docs/development/adding-a-domain.md):
`models.py`, `schemas.py`, `service.py`, `filters.py`, `api.py` (a `router`), `web.py` (a
`router`), `cli.py` (a Typer `app`), `templates/` and `i18n/<lang>.po`. Its package declares a
`DOMAIN` (this module's `Domain`): what the files cannot say by themselves — its entries in the
navigation, the closed sets of its audited columns, the records one may cite a source for.
`cooplab/domains.py` lists the domains, one line each; the app factory, the root command, the
migrations, the navigation, the audit log and citations all read that list through `domains()`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from cooplab.core.actor import Permission

PACKAGE = "cooplab"
#: The files every domain folder has.
FILES = ("models.py", "schemas.py", "service.py", "filters.py", "api.py", "web.py", "cli.py")


@dataclass(frozen=True)
class NavEntry:
    """A section in the navigation bar: its group and its own catalog key (`nav.<group>`,
    `nav.<key>`), its address, and the permission a reader needs to see it."""

    group: str
    key: str
    path: str
    permission: Permission = Permission.READ


@dataclass(frozen=True)
class PageSection:
    """A part one domain adds to another's page: its template and what the template reads."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Domain:
    """A domain of the platform: its folder's name and what it declares."""

    name: str
    summary: str
    navigation: tuple[NavEntry, ...] = ()
    #: (column, table or None for any table) -> catalog prefix of its values on the audit page
    audit_values: Mapping[tuple[str, str | None], str] = field(default_factory=dict)
    #: subject type -> name of the model in the domain's models.py one may cite a source for
    citable: Mapping[str, str] = field(default_factory=dict)
    #: "module:function" loading the domain's reference and demo data, for `cooplab demo`: it
    #: takes the session and the actor and returns the lines to print
    demo: str | None = None
    #: "module:function" giving the domain's section of an organization's page: it takes the
    #: session, the actor, the organization's id and the reader's language and returns a
    #: `PageSection` (or None to show nothing)
    organization_section: str | None = None
    #: "module:function" finding the domain's own records for search: it takes the session, the
    #: actor, the query, the wanted types (None for all) and a limit, and returns `SearchHit`s of
    #: the records the actor may see
    search: str | None = None
    #: "module:function" giving the domain's section of a signed-in reader's home page: it takes
    #: the session, the actor and the reader's language and returns a `PageSection` (or None)
    home_section: str | None = None

    def _call(self, target: str, **kwargs: Any) -> Any:
        module, _, function = target.partition(":")
        return getattr(self.module(module), function)(**kwargs)

    def module(self, name: str) -> ModuleType:
        """One of the domain's modules (`models`, `api`, `web`, `cli`, ...)."""
        return importlib.import_module(f"{PACKAGE}.{self.name}.{name}")

    @property
    def folder(self) -> Path:
        return Path(importlib.import_module(f"{PACKAGE}.{self.name}").__file__ or "").parent

    @cached_property
    def tables(self) -> tuple[str, ...]:
        """The audited tables of the domain's models, in the order they are declared."""
        models = self.module("models")
        return tuple(
            obj.__table__.name
            for obj in vars(models).values()
            if isinstance(obj, type)
            and obj.__module__ == models.__name__
            and hasattr(obj, "__table__")
            and getattr(obj, "__audited__", True)
        )

    def load_demo(self, session: Any, actor: Any) -> list[str]:
        """Load the domain's demo data (if it has any) as `actor`; what to tell the user."""
        if self.demo is None:
            return []
        result: list[str] = self._call(self.demo, session=session, actor=actor)
        return result

    def citable_models(self) -> dict[str, Any]:
        """Subject type -> model class of the records one may cite a source for."""
        models = self.module("models")
        return {subject: getattr(models, model) for subject, model in self.citable.items()}


_DOMAINS: list[Domain] = []


def register(*domains: Domain) -> tuple[Domain, ...]:
    """Make these the platform's domains (cooplab/domains.py does, once)."""
    _DOMAINS[:] = domains
    return tuple(_DOMAINS)


def domains() -> tuple[Domain, ...]:
    """The platform's domains, as cooplab/domains.py lists them (loaded on first use)."""
    if not _DOMAINS:
        importlib.import_module(f"{PACKAGE}.domains")
    return tuple(_DOMAINS)


def domain(name: str) -> Domain:
    """One domain by its folder's name."""
    for found in domains():
        if found.name == name:
            return found
    raise LookupError(name)


def citable_subjects() -> dict[str, Any]:
    """Subject type -> model of every record one may cite a source for, across the domains."""
    return {subject: model for d in domains() for subject, model in d.citable_models().items()}


def organization_sections(session: Any, actor: Any, organization_id: int, lang: str) -> list[PageSection]:
    """The sections the domains add to an organization's page, in the order of the domains."""
    sections = (
        d._call(
            d.organization_section, session=session, actor=actor, organization_id=organization_id, lang=lang
        )
        for d in domains()
        if d.organization_section is not None
    )
    return [s for s in sections if s is not None]


def home_sections(session: Any, actor: Any, lang: str) -> list[PageSection]:
    """The sections the domains add to a signed-in reader's home page (none for a visitor)."""
    if not actor.signed_in:
        return []
    sections = (
        d._call(d.home_section, session=session, actor=actor, lang=lang)
        for d in domains()
        if d.home_section is not None
    )
    return [s for s in sections if s is not None]


def search_records(session: Any, actor: Any, query: str, types: set[str] | None, limit: int) -> list[Any]:
    """What the domains that search their own records find for the query (cooplab.registry's
    search adds them to the names it finds)."""
    return [
        hit
        for d in domains()
        if d.search is not None
        for hit in d._call(d.search, session=session, actor=actor, query=query, types=types, limit=limit)
    ]


def navigation() -> list[NavEntry]:
    """Every domain's sections, in the order of the domains."""
    return [entry for d in domains() for entry in d.navigation]


def load_models() -> None:
    """Import every table (the shared ones and every domain's), so that the metadata knows the
    whole schema."""
    importlib.import_module(f"{PACKAGE}.core.audit")
    importlib.import_module(f"{PACKAGE}.core.revision")
    for d in domains():
        d.module("models")
