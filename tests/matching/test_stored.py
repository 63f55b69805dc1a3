"""The stored capabilities kept as one table and candidate index: the kept table follows every
change on the next call (a new capability, a visibility change, a merged organization), a
member never sees a hidden capability through it, and its indexed answer equals brute force
over the visible profiles on a small synthetic base."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy import event as sqlalchemy_event

from cooplab.core.actor import SYSTEM
from cooplab.matching import changelog, models, service
from cooplab.matching import stored as kept_table
from cooplab.matching.materials import families_of
from cooplab.matching.messages import reason_text
from cooplab.matching.ranking import RankFilters, rank_suppliers
from cooplab.matching.schemas import CapabilityIn, MatchFilter
from cooplab.matching.stored import stored_capabilities
from cooplab.matching.synthetic import SupplierBase
from cooplab.matching.synthetic_store import capability_visibility, write_base
from cooplab.matching.table import CapabilityTable
from cooplab.matching.text import ConceptKind, default_terms, text_profile
from cooplab.registry.merge import merge_organizations, unmerge
from cooplab.registry.models import Organization
from tests.factories import make_org
from tests.matching.test_service import CAPABILITIES, files, member_of, orgs  # noqa: F401 - the fixture

ON = date(2026, 11, 1)


def suppliers(found) -> list[str | None]:
    return [m.supplier for m in found.data]


def test_the_kept_table_is_reused_until_a_capability_is_added(session, orgs):  # noqa: F811
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    assert suppliers(service.need_matches(session=session, actor=SYSTEM, key="W-1")) == [
        "Uz-Dong Won",
        "Volga Wheels",
    ]
    kept = stored_capabilities(session)
    service.need_matches(session=session, actor=SYSTEM, key="W-1")
    assert stored_capabilities(session) is kept  # nothing was written: not rebuilt
    kazan = make_org(session, "Kazan Disk", kind="supplier", tier=1, country="RU").id
    service.create_capability(
        session=session,
        actor=SYSTEM,
        data=CapabilityIn(
            supplier_id=kazan,
            hs_codes=["870870"],
            processes=["stamping", "welding"],
            annual_capacity=2_000_000,
            description={"en": "Steel wheels for passenger cars"},
            visibility="members",
        ),
    )
    after = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    assert "Kazan Disk" in suppliers(after)
    assert stored_capabilities(session) is not kept
    buyer = member_of(orgs["UzAuto Motors"])
    assert "Kazan Disk" in suppliers(service.need_matches(session=session, actor=buyer, key="W-1"))


def test_the_kept_table_carries_materials_from_the_list_and_the_description(session, orgs):  # noqa: F811
    """A need for steel wheels: the stored path reads each row's materials (its list and its
    description) and ranks a maker of aluminium wheels with the same code below the steel ones,
    saying why, as one-pair scoring does."""
    ortex = make_org(session, "Ortex Wheels", kind="supplier", tier=1, country="RU").id
    alloy = (
        "Ortex Wheels,870870,stamping;welding,,1200000,,Andijan,Литые легкосплавные колёсные диски,members\n"
    )
    service.import_workbook(session=session, actor=SYSTEM, files=files(CAPABILITIES + alloy))
    kept = stored_capabilities(session)
    ids = kept.table.ids.tolist()
    by_supplier = {c.supplier_organization_id: c for c in session.scalars(select(models.Capability)).all()}
    steel_row = ids.index(by_supplier[orgs["Uz-Dong Won"]].id)
    assert families_of(int(kept.table.materials[steel_row])) == ["steel"]
    found = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    reasons = {m.capability_id: m.reasons for m in found.data}
    dong_won = by_supplier[orgs["Uz-Dong Won"]].id
    assert "steel, as asked" in reasons[dong_won]
    alloy_id = by_supplier[ortex].id
    assert families_of(int(kept.table.materials[ids.index(alloy_id)])) == ["aluminium"]
    assert "aluminium, not steel" in reasons[alloy_id]
    scores = {m.capability_id: m.score for m in found.data}
    assert scores[alloy_id] < scores[dong_won]


def test_a_visibility_change_is_seen_on_the_next_call(session, orgs):  # noqa: F811
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    buyer = member_of(orgs["UzAuto Motors"])
    assert suppliers(service.need_matches(session=session, actor=buyer, key="W-1")) == ["Uz-Dong Won"]
    dong_won = session.scalar(
        select(models.Capability).where(models.Capability.supplier_organization_id == orgs["Uz-Dong Won"])
    )
    dong_won.visibility = "organization"
    session.flush()
    hidden = service.need_matches(session=session, actor=buyer, key="W-1")
    assert hidden.data == [] and hidden.empty_code == "ranking_no_product"  # not "filtered"
    # the admin still ranks both; the member's kept mask did not leak into the admin's
    assert suppliers(service.need_matches(session=session, actor=SYSTEM, key="W-1")) == [
        "Uz-Dong Won",
        "Volga Wheels",
    ]
    volga = session.scalar(
        select(models.Capability).where(models.Capability.supplier_organization_id == orgs["Volga Wheels"])
    )
    volga.visibility = "members"
    session.flush()
    assert suppliers(service.need_matches(session=session, actor=buyer, key="W-1")) == ["Volga Wheels"]


def test_a_member_never_sees_a_hidden_capability_through_the_kept_table(session, orgs):  # noqa: F811
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    service.need_matches(session=session, actor=SYSTEM, key="W-1")  # the table holds every row
    buyer = member_of(orgs["UzAuto Motors"])
    russian = service.need_matches(
        session=session, actor=buyer, key="W-1", filters=MatchFilter(country=["RU"])
    )
    # Volga Wheels (RU) is hidden: the answer is that of a base without it, naming no one
    assert russian.data == [] and russian.empty_code == "ranking_filtered"
    assert "Volga" not in (russian.empty or "")
    hidden = service.supplier_opportunities(
        session=session, actor=buyer, organization_id=orgs["Volga Wheels"]
    )
    assert hidden.data == [] and hidden.empty_code == "ranking_no_capability"
    own = service.supplier_opportunities(
        session=session, actor=member_of(orgs["Volga Wheels"]), organization_id=orgs["Volga Wheels"]
    )
    assert [m.need_ref for m in own.data] == ["W-1"]  # W-1 is members'; S-1 is UzAuto's only
    seen = service.supplier_opportunities(session=session, actor=SYSTEM, organization_id=orgs["Volga Wheels"])
    assert [m.need_ref for m in seen.data] == ["W-1"]


def test_a_merged_organization_leaves_the_kept_table(session, orgs):  # noqa: F811
    service.import_workbook(session=session, actor=SYSTEM, files=files())
    assert "Volga Wheels" in suppliers(service.need_matches(session=session, actor=SYSTEM, key="W-1"))
    merge_organizations(
        session=session, actor=SYSTEM, survivor_id=orgs["Uz-Dong Won"], merged_id=orgs["Volga Wheels"]
    )
    after = service.need_matches(session=session, actor=SYSTEM, key="W-1")
    assert suppliers(after) == ["Uz-Dong Won"]
    assert all(m.supplier_id != orgs["Volga Wheels"] for m in after.data)


@pytest.fixture
def synthetic(session):
    base = SupplierBase(suppliers=60, capabilities=600, needs=40, seed=3)
    stored = write_base(session, base)
    session.flush()
    return base, stored


def gathered(need, capabilities) -> list:
    """What the candidate index gathers for a need among the rows it may use: those sharing its
    HS subheading (its whole code when shorter) or one of its product concepts that some row
    has (any concept or stem when none has one)."""
    terms = default_terms().concepts
    wanted = set(text_profile(*need.texts).features)
    features = [set(text_profile(*c.texts).features) for c in capabilities]
    held = set().union(*features) & wanted
    products = {f for f in held if f.startswith("c:") and terms[f[2:]].kind == ConceptKind.PRODUCT}
    keys = products or {f for f in held if not f.startswith("t:")}
    digits = min(6, len(need.hs_code or ""))
    return [
        c
        for c, has in zip(capabilities, features, strict=True)
        if (digits and any(code[:digits] == need.hs_code[:digits] for code in c.hs_codes)) or keys & has
    ]


def test_the_indexed_answer_equals_brute_force_on_a_synthetic_base(session, synthetic, monkeypatch):
    """Brute force scores every visible row; the index scores the rows that show the product
    by its code or its name (a row sharing only common words, such as "to customer drawings",
    is not gathered): over those rows the two answers are the same, scores and all."""
    base, stored = synthetic
    monkeypatch.setattr(service, "today", lambda: ON)
    member = member_of(stored.buyer_ids[("UzAuto Motors", None)])
    hidden = {r for r in range(600) if capability_visibility(r)[0].value == "organization"}
    assert len(hidden) == 60
    for actor in (SYSTEM, member):
        profiles = service.visible_capabilities(session, actor)
        assert len(profiles) == (600 if actor is SYSTEM else 540)  # one row in ten is hidden
        answered = 0
        for number, need_id in enumerate(stored.need_ids):
            need_row, buyer = service.find_need(session, actor, need_id)
            need = service.need_profile(need_row, buyer, actor)
            rows = gathered(need, [c for c in profiles if c.supplier_id != buyer.id])
            found = service.need_matches(session=session, actor=actor, key=need_id)
            if not rows:
                assert found.data == [] and found.empty_code == "ranking_no_product"
                continue
            brute = rank_suppliers(need, CapabilityTable.of(rows), on=ON, filters=RankFilters(), top=10)
            assert [(m.capability_id, m.supplier, m.supplier_id, m.score) for m in found.data] == [
                (m.capability_id, m.supplier, m.supplier_id, round(m.score, 4)) for m in brute.matches
            ], f"need {number}"
            assert [m.reasons for m in found.data] == [
                [reason_text(r, "en") for r in m.reasons] for m in brute.matches
            ]
            answered += bool(found.data)
        assert answered > 30  # most needs have suppliers: the comparison is not of empty lists


def table_content(table: CapabilityTable) -> dict[int, tuple]:
    """Every row of a table by capability id, in words (vocabulary numbers differ by build)."""
    certs = {i: k for k, i in table.cert_vocabulary.items()}
    out = {}
    for row, id_ in enumerate(table.ids.tolist()):

        def ragged(name, *columns, row=row):
            ptr = getattr(table, f"{name}_ptr")
            return [
                tuple(getattr(table, c)[i].tolist() for c in columns) for i in range(ptr[row], ptr[row + 1])
            ]

        out[id_] = (
            row,
            int(table.supplier_ids[row]),
            int(table.tiers[row]),
            table.country_codes[table.countries[row]] if table.countries[row] >= 0 else None,
            int(table.processes[row]),
            None if np.isnan(table.capacity[row]) else float(table.capacity[row]),
            ragged("hs", "hs"),
            [(certs[k], e) for k, e in ragged("cert", "cert_keys", "cert_expiry")],
            ragged("site", "site_lat", "site_lon"),
            list(table.text_profile(row).features.items()),
        )
    return out


def test_a_few_writes_update_the_kept_table_as_a_full_build_would(session, synthetic, monkeypatch):  # noqa: F811
    """New, changed and deleted capabilities, a supplier's tier changed, one renamed and one
    merged: the kept table is brought up to date reading only those rows again, and equals a
    table built from scratch, row for row, and so does every ranking."""
    base, stored = synthetic
    first = stored_capabilities(session)
    ids = sorted(first.table.ids.tolist())
    edited = session.get(models.Capability, ids[5])
    edited.description_en = "Aluminium radiators and heater cores"
    edited.hs_codes = ["870891"]
    session.delete(session.get(models.Capability, ids[9]))
    suppliers_ = stored.supplier_ids
    session.get(Organization, suppliers_[2]).tier = 3
    session.get(Organization, suppliers_[3]).name = "Renamed Plant"
    session.flush()
    merge_organizations(session=session, actor=SYSTEM, survivor_id=suppliers_[4], merged_id=suppliers_[5])
    service.create_capability(
        session=session,
        actor=SYSTEM,
        data=CapabilityIn(
            supplier_id=suppliers_[6],
            hs_codes=["870870"],
            processes=["stamping"],
            description={"ru": "Стальные колёсные диски"},
            visibility="members",
        ),
    )
    session.flush()
    computed = []
    real_profile = kept_table.text_profile
    monkeypatch.setattr(
        kept_table, "text_profile", lambda *texts: computed.append(texts) or real_profile(*texts)
    )
    updated = stored_capabilities(session)
    assert updated is not first
    moved = {
        c.id
        for c in session.scalars(select(models.Capability))
        if c.supplier_organization_id in suppliers_[2:7]
    }
    assert 2 <= len(computed) <= len(moved) + 2  # the rows written and those of changed suppliers
    full = kept_table._build(session)
    assert len(full.table) == len(updated.table) < 600  # one deleted, one new, the merged supplier's gone
    assert table_content(updated.table) == table_content(full.table)
    needs = [base.need(i) for i in range(base.needs)]
    for need in needs:
        one = rank_suppliers(need, updated.table, on=ON, index=updated.index, explain=False)
        two = rank_suppliers(need, full.table, on=ON, index=full.index, explain=False)
        assert [(m.capability_id, m.score) for m in one.matches] == [
            (m.capability_id, m.score) for m in two.matches
        ]
    assert stored_capabilities(session) is updated  # nothing written since: kept


class Reads:
    """The rows the kept table reads again (their text features computed) and which way it was
    brought up to date."""

    def __init__(self, monkeypatch):
        self.rows: list[int] = []
        self.fingerprints = 0
        real_rows, real_read = kept_table._add_rows, kept_table.Fingerprints.read.__func__

        def add_rows(builder, rows):
            rows = list(rows)
            self.rows.extend(r[0] for r in rows)
            real_rows(builder, rows)

        def read(cls, session):
            self.fingerprints += 1
            return real_read(cls, session)

        monkeypatch.setattr(kept_table, "_add_rows", add_rows)
        monkeypatch.setattr(kept_table.Fingerprints, "read", classmethod(read))


def same_as_a_full_build(session, updated) -> None:
    full = kept_table._build(session)
    assert table_content(updated.table) == table_content(full.table)


def test_an_update_after_one_edit_reads_that_row_alone(session, synthetic, monkeypatch):
    """One capability edited among 600: the kept table reads the change log and that one row,
    no fingerprint of the others, and equals a full build."""
    first = stored_capabilities(session)
    edited = session.get(models.Capability, int(first.table.ids[17]))
    edited.description_en = "Aluminium radiators and heater cores"
    session.flush()
    reads = Reads(monkeypatch)
    statements: list[str] = []
    engine = session.get_bind()
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    sqlalchemy_event.listen(engine, "before_cursor_execute", listen)
    try:
        updated = stored_capabilities(session)
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", listen)
    assert updated is not first
    assert reads.rows == [edited.id] and reads.fingerprints == 0
    reading_capabilities = [s for s in statements if "FROM capabilities" in s]
    assert len(reading_capabilities) == 1 and "capabilities.id IN" in reading_capabilities[0]
    assert updated.position > first.position
    same_as_a_full_build(session, updated)


def test_the_log_follows_visibility_tiers_merges_and_their_undoing(session, synthetic, monkeypatch):
    """A visibility change, a deleted capability, a supplier's tier and country, a registry merge
    and its undoing, a deleted supplier: after each, the table brought up to date from the log
    (no fingerprints read) equals a full build row for row, and a supplier's rename reads
    nothing again."""
    base, stored = synthetic
    suppliers_ = stored.supplier_ids
    kept = stored_capabilities(session)
    reads = Reads(monkeypatch)

    def step():
        nonlocal kept
        reads.rows.clear()
        updated = stored_capabilities(session)
        assert updated is not kept and reads.fingerprints == 0
        rows = list(reads.rows)
        same_as_a_full_build(session, updated)  # (a full build reads every row and fingerprint)
        reads.fingerprints = 0
        kept = updated
        return rows

    cap = session.get(models.Capability, int(kept.table.ids[3]))
    cap.visibility = "public" if cap.visibility != "public" else "organization"
    session.flush()
    assert step() == [cap.id]
    session.delete(session.get(models.Capability, int(kept.table.ids[4])))
    session.flush()
    assert step() == []
    session.get(Organization, suppliers_[2]).tier = 3
    session.get(Organization, suppliers_[2]).country = "KZ"
    session.flush()
    of_two = sorted(
        c
        for c in session.scalars(
            select(models.Capability.id).where(models.Capability.supplier_organization_id == suppliers_[2])
        )
    )
    assert sorted(step()) == of_two and of_two
    session.get(Organization, suppliers_[3]).name = "Renamed Plant"
    session.flush()
    reads.rows.clear()
    renamed = stored_capabilities(session)
    assert renamed is not kept and renamed.table is kept.table and reads.rows == []  # nothing it reads
    kept = renamed
    merged = merge_organizations(
        session=session, actor=SYSTEM, survivor_id=suppliers_[4], merged_id=suppliers_[5]
    )
    step()
    assert suppliers_[5] not in kept.table.supplier_ids.tolist()
    unmerge(session=session, actor=SYSTEM, merge_id=merged.id)
    step()
    assert suppliers_[5] in kept.table.supplier_ids.tolist()
    session.delete(session.get(Organization, suppliers_[7]))
    session.flush()
    step()
    assert suppliers_[7] not in kept.table.supplier_ids.tolist()


def test_a_bulk_insert_or_a_truncated_log_falls_back_to_the_fingerprints(session, synthetic, monkeypatch):
    """Rows written by a bulk statement, whose ids the log cannot know, and a log emptied (a
    restore, a pruning): the table is brought up to date by fingerprints, as a full build."""
    base, stored = synthetic
    kept = stored_capabilities(session)
    reads = Reads(monkeypatch)
    session.execute(
        insert(models.Capability),
        [
            {
                "supplier_organization_id": stored.supplier_ids[1],
                "hs_codes": ["870870"],
                "processes": ["stamping"],
                "description_en": "Steel wheels",
                "visibility": "members",
            }
        ],
    )
    updated = stored_capabilities(session)
    assert reads.fingerprints == 1 and len(reads.rows) == 1
    assert len(updated.table) == len(kept.table) + 1
    same_as_a_full_build(session, updated)
    session.execute(delete(models.CapabilityChange))
    edited = session.get(models.Capability, int(updated.table.ids[0]))
    edited.hs_codes = ["870891"]
    session.flush()
    session.execute(delete(models.CapabilityChange))  # the position is no longer in the log
    reads.fingerprints = 0
    again = stored_capabilities(session)
    assert reads.fingerprints == 1
    same_as_a_full_build(session, again)


def test_a_bulk_update_is_logged_by_the_rows_it_selects(session, synthetic):
    """A bulk UPDATE of capabilities names the rows its WHERE clause selects; one of suppliers'
    names only (no field the table reads) is not logged."""
    base, stored = synthetic
    stored_capabilities(session)
    start = changelog.position(session)
    ids = sorted(session.scalars(select(models.Capability.id)))[:3]
    session.execute(update(models.Capability).where(models.Capability.id.in_(ids)).values(annual_capacity=5))
    session.execute(
        update(Organization).where(Organization.id == stored.supplier_ids[0]).values(name="Other")
    )
    session.execute(update(Organization).where(Organization.id == stored.supplier_ids[1]).values(tier=2))
    changes = changelog.changes_since(session, start)
    assert changes.complete and changes.capabilities == set(ids)
    assert changes.organizations == {stored.supplier_ids[1]}
    same_as_a_full_build(session, stored_capabilities(session))
