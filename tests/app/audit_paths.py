"""What the audit-trail tests share: a snapshot of every table, the records a call changed,
whether the audit log names each of them with the actor who changed it, and a world of records
the drivers of the write paths act on."""

from __future__ import annotations

import functools
import pkgutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from inspect import isfunction, signature
from typing import Any

import pytest
from sqlalchemy import Engine, select

from cooplab.accounts import service as accounts
from cooplab.accounts.schemas import TokenCreate
from cooplab.catalog import service as catalog
from cooplab.core.actor import SYSTEM, Actor, Role
from cooplab.core.audit import BOOKKEEPING, AuditEntry
from cooplab.core.domain import domains
from cooplab.db.base import Base
from cooplab.engagements import service as engagements
from cooplab.engagements.schemas import (
    ActionItemCreate,
    AgreementCreate,
    EventIn,
    MissionCreate,
    ParticipantIn,
)
from cooplab.ingest import service as ingest
from cooplab.localization import service as localization
from cooplab.localization.schemas import ScenarioCreate
from cooplab.matching import service as matching
from cooplab.matching.schemas import CapabilityIn, NeedIn
from cooplab.registry import merge, notes
from cooplab.registry import service as registry
from cooplab.registry.schemas import (
    CitationCreate,
    MembershipCreate,
    OrganizationUpdate,
    OwnershipCreate,
    SiteCreate,
    SourceCreate,
)
from cooplab.vocab.choices import Visibility
from tests.factories import make_actor, make_org, make_person, make_place, make_user
from tests.localization.test_service import files

Rows = dict[Any, dict[str, Any]]


@functools.cache
def models() -> dict[str, type]:
    """Every mapped table by name, with its model class (the domains' models imported)."""
    for domain in domains():
        domain.module("models")
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def audited(model: type | None) -> bool:
    """Whether the trail must name the rows of this table (bookkeeping tables opt out)."""
    return model is not None and getattr(model, "__audited__", True)


def unremarkable(model: type) -> frozenset[str]:
    """Columns whose change alone is no write worth an entry (timestamps, the row version)."""
    return BOOKKEEPING | getattr(model, "__bookkeeping_columns__", frozenset()) | {"version"}


def snapshot(engine: Engine) -> dict[str, Rows]:
    """Every row of every table, by table and id, as the database holds it now."""
    models()  # every domain's tables are in the metadata
    out: dict[str, Rows] = {}
    with engine.connect() as conn:
        for name, t in Base.metadata.tables.items():
            out[name] = {row["id"]: dict(row) for row in conn.execute(select(t)).mappings()}
    return out


@dataclass(frozen=True)
class Change:
    """One record a call created, updated or deleted."""

    table: str
    id: int
    kind: str  # create | update | delete
    columns: frozenset[str] = frozenset()

    def __str__(self) -> str:
        what = f" ({', '.join(sorted(self.columns))})" if self.kind == "update" else ""
        return f"{self.kind} {self.table} #{self.id}{what}"


def changes(before: dict[str, Rows], after: dict[str, Rows]) -> list[Change]:
    """The records that differ between two snapshots."""
    found: list[Change] = []
    for name in sorted(after):
        old, new = before.get(name, {}), after[name]
        found += [Change(name, i, "create") for i in sorted(new.keys() - old.keys())]
        found += [Change(name, i, "delete") for i in sorted(old.keys() - new.keys())]
        for i in sorted(old.keys() & new.keys()):
            moved = frozenset(c for c in new[i] if new[i][c] != old[i].get(c))
            if moved:
                found.append(Change(name, i, "update", moved))
    return found


@dataclass
class Verdict:
    """What one call wrote and which of its writes the audit log does not name."""

    written: list[Change] = field(default_factory=list)
    unaudited: list[Change] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)


def judge(found: list[Change], after: dict[str, Rows], actor: str) -> Verdict:
    """Split the changes of a call into the audited writes and those the trail misses: every
    changed record of an audited table needs an entry of its kind (create, update, delete)
    naming its table and id, by `actor`."""
    tables = models()
    log = AuditEntry.__tablename__
    entries = [after[log][c.id] for c in found if c.table == log and c.kind == "create"]
    named = {(e["action"], e["entity_type"], e["entity_id"]) for e in entries if e["actor"] == actor}
    verdict = Verdict(entries=entries)
    for change in found:
        model = tables.get(change.table)
        if change.table == log or not audited(model):
            continue
        if change.kind == "update" and change.columns <= unremarkable(model):  # type: ignore[arg-type]
            continue
        verdict.written.append(change)
        if (change.kind, change.table, change.id) not in named:
            verdict.unaudited.append(change)
    return verdict


# ---------------------------------------------------------------- the records the drivers act on

ADMIN = "admin@example.org"
TEXT = "27 февраля 2024 года делегация АВТОВАЗ провела переговоры с UzAuto Motors."
#: A change of a saved scenario: part A moves to a local supplier (tests/localization).
MOVE_A = {
    "kind": "move_part",
    "part_number": "A",
    "supplier": "Uz-Saemyung Co",
    "production_country": "UZ",
    "unit_price": "500000",
    "imported_share": "0.4",
}


@dataclass
class World:
    """The records the drivers act on, made through the services and committed; each helper
    makes a fresh one, so a driver may delete or change it."""

    session: Any
    orgs: dict[str, int]
    place: int
    person: int
    admin: Any
    counter: int = 0
    web: Any = None

    def commit(self, value: Any) -> Any:
        self.session.commit()
        return value

    def unique(self, stem: str) -> str:
        self.counter += 1
        return f"{stem} {self.counter}"

    def org(self, **fields: Any) -> int:
        return self.commit(make_org(self.session, self.unique("Завод"), **fields).id)

    def source(self) -> int:
        data = SourceCreate(title=self.unique("Отчёт о визите"), as_of="2024-03-01")
        return self.commit(registry.create_source(session=self.session, actor=SYSTEM, data=data).id)

    def citation(self) -> int:
        data = CitationCreate(source_id=self.source())
        cited = registry.cite(
            session=self.session,
            actor=SYSTEM,
            subject_type="organization",
            subject_id=self.orgs["a"],
            data=data,
        )
        return self.commit(cited.id)

    def link(self, kind: str) -> int:
        if kind == "ownership":
            data = OwnershipCreate(owner_id=self.org(kind="holding"), owned_id=self.org(), share="50")
            return self.commit(registry.add_ownership(session=self.session, actor=SYSTEM, data=data).id)
        if kind == "membership":
            data = MembershipCreate(member_id=self.org(kind="supplier"), group_id=self.orgs["cluster"])
            return self.commit(registry.add_membership(session=self.session, actor=SYSTEM, data=data).id)
        site = SiteCreate(place_id=self.place)
        made = registry.add_site(session=self.session, actor=SYSTEM, organization_id=self.org(), data=site)
        return self.commit(made.id)

    def merge(self) -> int:
        merged = merge.merge_organizations(
            session=self.session, actor=SYSTEM, survivor_id=self.org(), merged_id=self.org()
        )
        return self.commit(merged.id)

    def claim(self) -> int:
        """An identifier a member set on its own organization: a claim an analyst decides."""
        org_id = self.org(kind="supplier")
        member = make_actor(
            self.session, "member", org_id, email=f"{self.unique('m').replace(' ', '')}@x.org"
        )
        self.counter += 1
        inn = ["7707083893", "7728168971", "7736207543", "7702070139", "7710140679"][self.counter % 5]
        org = registry.update_organization(
            session=self.session,
            actor=member,
            organization_id=org_id,
            data=OrganizationUpdate(version=1, identifiers=[{"scheme": "inn", "value": inn}]),
        )
        return self.commit(org.identifiers[0].id)

    def note(self) -> int:
        data = notes.NoteCreate(text="Итоги визита в Тольятти.", visibility=Visibility.MEMBERS)
        made = notes.add_note(
            session=self.session, actor=self.admin, organization_id=self.orgs["a"], data=data
        )
        return self.commit(made.id)

    def token(self) -> int:
        _, made = accounts.create_token(
            session=self.session, actor=SYSTEM, user_id=self.admin.user_id, data=TokenCreate(name="spare")
        )
        return self.commit(made.id)

    def user(self) -> int:
        return self.commit(
            make_user(self.session, "viewer", email=f"{self.unique('v').replace(' ', '')}@x.org").id
        )

    def mission(self) -> int:
        data = MissionCreate(title=self.unique("Визит в Андижан"), organizer_ids=[self.orgs["a"]])
        return self.commit(engagements.create_mission(session=self.session, actor=SYSTEM, data=data).id)

    def event(self) -> tuple[int, int]:
        """A mission with one event in its programme: (mission, event)."""
        mission = self.mission()
        data = EventIn(kind="meeting", start="2024-02-27", summary="Переговоры в Ташкенте")
        made = engagements.add_event(session=self.session, actor=SYSTEM, mission_id=mission, data=data)
        return mission, self.commit(made.id)

    def agreement(self) -> tuple[int, int]:
        """A mission with one agreement reached on it: (mission, agreement)."""
        mission = self.mission()
        data = AgreementCreate(
            kind="memorandum", subject="О сотрудничестве", party_ids=[self.orgs["a"]], mission_id=mission
        )
        made = engagements.create_agreement(session=self.session, actor=SYSTEM, data=data)
        return mission, self.commit(made.id)

    def participant(self) -> tuple[int, int]:
        """A mission with one participant: (mission, participant)."""
        mission = self.mission()
        data = ParticipantIn(person_id=self.person, organization_id=self.orgs["a"], title="директор")
        made = engagements.add_participant(session=self.session, actor=SYSTEM, mission_id=mission, data=data)
        return mission, self.commit(made.id)

    def item(self) -> int:
        data = ActionItemCreate(title="Отправить список", mission_id=self.mission())
        return self.commit(engagements.create_action_item(session=self.session, actor=SYSTEM, data=data).id)

    def document(self) -> int:
        made, _ = ingest.save_document(
            session=self.session, actor=SYSTEM, text=f"{TEXT} {self.unique('Визит')}.", name="visit"
        )
        return self.commit(made.id)

    def scenario(self) -> str:
        name = self.unique("local").replace(" ", "-")
        data = ScenarioCreate.model_validate({"name": name, "changes": [MOVE_A]})
        localization.create_scenario(session=self.session, actor=SYSTEM, code="H-1", data=data)
        return self.commit(name)

    def need(self) -> int:
        data = NeedIn(ref=self.unique("N").replace(" ", "-"), buyer_id=self.orgs["uzauto"], hs_code="870829")
        return self.commit(matching.create_need(session=self.session, actor=SYSTEM, data=data).id)

    def ranked_need(self) -> int:
        """A need with one maker ranked for it (its page carries the marks' forms)."""
        need = self.need()
        data = CapabilityIn(supplier_id=self.orgs["a"], hs_codes=["870829"], visibility=Visibility.MEMBERS)
        matching.create_capability(session=self.session, actor=SYSTEM, data=data)
        return self.commit(need)


@pytest.fixture
def world(session: Any) -> World:
    names = ("UzAuto Motors", "Uz-Saemyung Co", "Importer KR", "Uz-Tong Hong Co", "Other Motors")
    orgs = {name: make_org(session, name).id for name in names}
    catalog.import_vehicle(session=session, actor=SYSTEM, files=files(), visibility=Visibility.MEMBERS)
    ids = {
        "uzauto": orgs["UzAuto Motors"],
        "a": make_org(session, "Uz-Koram Co", kind="supplier", tier=1).id,
        "cluster": make_org(session, "Кластер АП", kind="association").id,
    }
    admin_user = make_user(session, "admin", email=ADMIN)
    admin = Actor(user_id=admin_user.id, label=ADMIN, role=Role.ADMIN)
    world = World(session, ids, make_place(session).id, make_person(session).id, admin)
    session.commit()
    return world


# ---------------------------------------------------------------- the service functions that write

#: The first word of a service function that writes (`create_user`, `merge_organizations`).
WRITING_VERBS = frozenset(
    "accept add apply cite create delete demo disable end ensure import load merge record reject "
    "remove reparse revoke save set start unmerge update verify".split()
)


def writing_services() -> dict[str, Callable[..., Any]]:
    """Every public function of the domains' modules (surfaces aside) that takes a session and
    whose name says it writes, by its dotted name: found in the code, not kept by hand."""
    found: dict[str, Callable[..., Any]] = {}
    for domain in domains():
        for info in pkgutil.iter_modules([str(domain.folder)]):
            if info.name in {"api", "web", "cli"}:
                continue
            module = domain.module(info.name)
            for name, value in vars(module).items():
                if (
                    isfunction(value)
                    and value.__module__ == module.__name__
                    and not name.startswith("_")
                    and name.split("_")[0] in WRITING_VERBS
                    and "session" in signature(value).parameters
                ):
                    found[f"{module.__name__}.{name}"] = value
    return found


def recording(reached: Reached | None) -> Any:
    """The block in which `reached` counts calls, or a plain block when nothing counts."""
    return reached.recording() if reached is not None else nullcontext()


class Reached:
    """Which of `functions` were called while recording: each is wrapped wherever a cooplab module
    holds it (its own module and every module that imported it), through `monkeypatch`."""

    def __init__(self, functions: dict[str, Callable[..., Any]], monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: set[str] = set()
        self.recording_on = False
        for dotted, function in functions.items():
            wrapper = self._wrap(dotted, function)
            for module in [m for n, m in sys.modules.items() if n.startswith("cooplab") and m is not None]:
                for attr, value in list(vars(module).items()):
                    if value is function:
                        monkeypatch.setattr(module, attr, wrapper)

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Count the calls made inside the block (a driver's setup does not count)."""
        self.recording_on = True
        try:
            yield
        finally:
            self.recording_on = False

    def _wrap(self, dotted: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.recording_on:
                self.names.add(dotted)
            return function(*args, **kwargs)

        return wrapper
