"""The stored capabilities as one capability table and candidate index, kept in memory while
the tables they are read from stay the same.

The table is read with one Core select of the columns the features need (no ORM objects), for
every capability of a live organization. When the `CAPABILITIES` stamp moves (a capability or an
organization written, merged or its visibility changed) it is brought up to date from the
change log (`matching.changelog`): the capabilities it names since the table's position, and
those of the organizations it names, are read again and only those have their text features
computed; the rows named are dropped first (deleted, merged away, or read anew). When the log
cannot say what changed (a bulk insert, or the position gone from the log after a restore or a
pruning), a short fingerprint of every row (version, time of change, supplier's tier and
country) tells which rows to read again. What a reader may see is a mask over its rows, built
from the one rule of cooplab.core.confidential (`visible_clause`) once per kind of reader and
kept with the table: a hidden row is dropped before anything is scored, so it is never scored,
counted or named. The records a ranking explains are read from the database by id (the
service's loader), as the reader may see them.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import True_

from cooplab.core.actor import Actor
from cooplab.core.confidential import reader_key, visible_clause
from cooplab.core.revision import PerDatabase
from cooplab.matching import changelog
from cooplab.matching.index import CandidateIndex
from cooplab.matching.materials import capability_materials, material_mask
from cooplab.matching.models import Capability, Stamp
from cooplab.matching.profiles import Certification, latest_certificates
from cooplab.matching.table import CapabilityTable, TableBuilder, process_mask
from cooplab.matching.text import text_profile
from cooplab.registry.models import Organization
from cooplab.vocab.processes import Process

#: Masks kept per table, one per kind of reader (1 byte a row each).
MASKS_KEPT = 64
#: Rows read from the database at a time while building.
BATCH = 10_000
#: Past this share of rows changed since the kept table, it is built again from scratch.
REBUILD_SHARE = 0.25
#: Changed capabilities read by id at a time.
CHANGED_AT_ONCE = 500

_COLUMNS = (
    select(
        Capability.id,
        Capability.supplier_organization_id,
        Organization.tier,
        Organization.country,
        Capability.hs_codes,
        Capability.processes,
        Capability.materials,
        Capability.annual_capacity,
        Capability.certifications,
        Capability.sites,
        Capability.description_ru,
        Capability.description_uz,
        Capability.description_en,
    )
    .join(Organization, Organization.id == Capability.supplier_organization_id)
    .where(Organization.merged_into_id.is_(None))
    .order_by(Capability.id)
)


@dataclass
class StoredCapabilities:
    """Every capability of a live organization as a table (rows ordered by product) and its
    candidate index, with the visibility masks of the readers that asked."""

    table: CapabilityTable
    index: CandidateIndex
    fingerprints: Fingerprints | None = None
    #: The change log's latest entry this table has seen (None: built without the log).
    position: int | None = None
    _masks: OrderedDict[str, np.ndarray | None] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def visible(self, session: Session, actor: Actor) -> np.ndarray | None:
        """The mask of the rows `actor` may see (None: every row), kept for the next call of
        the same kind of reader."""
        key = reader_key(actor)
        with self._lock:
            if key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
        clause = visible_clause(Capability, actor)
        mask: np.ndarray | None = None
        if not isinstance(clause, True_):
            ids = np.fromiter(session.scalars(select(Capability.id).where(clause)), dtype=np.int64)
            mask = np.isin(self.table.ids, ids)
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > MASKS_KEPT:
                self._masks.popitem(last=False)
        return mask

    def rows_of(self, supplier_id: int, allowed: np.ndarray | None) -> np.ndarray:
        """The rows of one supplier among the allowed ones."""
        rows = self.table.supplier_ids == supplier_id
        return np.flatnonzero(rows if allowed is None else rows & allowed)

    def nbytes(self) -> int:
        return self.table.nbytes() + self.index.nbytes()


class _Certificates:
    """Stored certificates (`{"name", "expires"}`) as the table's (key, expiry), one of each
    kind as a profile keeps them; the few distinct values are read once."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str | None], Certification] = {}

    def __call__(self, stored: list[dict[str, Any]] | None) -> list[tuple[str, date | None]]:
        if not stored:
            return []
        certificates = []
        for raw in stored:
            key = (raw["name"], raw.get("expires"))
            cert = self.seen.get(key)
            if cert is None:
                cert = self.seen[key] = Certification.model_validate(raw)
            certificates.append(cert)
        return [(c.key, c.expires) for c in latest_certificates(certificates)]


def _add_rows(builder: TableBuilder, rows: Iterable[Any]) -> None:
    """Rows of `_COLUMNS` into the builder (text features computed here: the costly part)."""
    certificates = _Certificates()
    masks: dict[tuple[str, ...], int] = {}
    for row in rows:
        (id_, supplier, tier, country, hs_codes, processes, materials, capacity, certs, sites, ru, uz, en) = (
            row
        )
        names = tuple(processes or ())
        mask = masks.get(names)
        if mask is None:
            mask = masks[names] = process_mask(Process(x) for x in names)
        builder.add(
            id=id_,
            supplier_id=supplier,
            tier=tier,
            country=country or None,
            hs_codes=list(dict.fromkeys(hs_codes or ())),
            processes=mask,
            capacity=capacity,
            certifications=certificates(certs),
            sites=[(s["latitude"], s["longitude"]) for s in sites or ()],
            text=text_profile(ru, uz, en, *(materials or ())),
            materials=material_mask(capability_materials((ru, uz, en), materials or ())),
        )


def build_table(session: Session) -> CapabilityTable:
    """The table of every capability of a live organization, read column by column."""
    builder = TableBuilder()
    _add_rows(builder, session.execute(_COLUMNS.execution_options(yield_per=BATCH)))
    return builder.build(load=_no_records).by_product()


def _no_records(ids: Any) -> list[Any]:
    raise LookupError("the stored table explains through the service's loader (rank_suppliers(load=...))")


@dataclass(frozen=True)
class Fingerprints:
    """What each kept row was built from, in short: capability ids ascending and a hash of the
    capability's version and time of change and its supplier's id, tier and country. A row
    whose hash moved (or a new id, or one gone) is read again; the others are kept."""

    ids: np.ndarray
    hashes: np.ndarray

    @classmethod
    def read(cls, session: Session) -> Fingerprints:
        ids, hashes = array("q"), array("q")
        for row in session.execute(_FINGERPRINTS.execution_options(yield_per=BATCH)):
            ids.append(row[0])
            hashes.append(hash(tuple(row[1:])))
        return cls(np.frombuffer(ids, dtype=np.int64).copy(), np.frombuffer(hashes, dtype=np.int64).copy())

    def unchanged(self, newer: Fingerprints) -> np.ndarray:
        """The ids of `newer` that are here with the same hash."""
        if not len(self.ids):
            return np.empty(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, newer.ids), len(self.ids) - 1)
        same = (self.ids[at] == newer.ids) & (self.hashes[at] == newer.hashes)
        return newer.ids[same]


_FINGERPRINTS = (
    select(
        Capability.id,
        Capability.version,
        Capability.updated_at,
        Capability.supplier_organization_id,
        Organization.tier,
        Organization.country,
    )
    .join(Organization, Organization.id == Capability.supplier_organization_id)
    .where(Organization.merged_into_id.is_(None))
    .order_by(Capability.id)
)


def _build(session: Session) -> StoredCapabilities:
    # the position and fingerprints before the rows: a write in between is read again next time
    position = changelog.position(session)
    fingerprints = Fingerprints.read(session)
    table = build_table(session)
    return StoredCapabilities(
        table=table, index=CandidateIndex(table), fingerprints=fingerprints, position=position
    )


def _update(session: Session, kept: StoredCapabilities) -> StoredCapabilities:
    """The kept table brought up to date from the change log, or from the fingerprints when
    the log cannot say what changed."""
    if kept.position is None:
        return refreshed_by_fingerprints(session, kept)
    changes = changelog.changes_since(session, kept.position)
    if not changes.complete:
        return refreshed_by_fingerprints(session, kept)
    return refreshed_by_log(session, kept, changes)


def refreshed_by_log(
    session: Session, kept: StoredCapabilities, changes: changelog.Changes
) -> StoredCapabilities:
    """The capabilities the log names, and every capability of the organizations it names,
    are read again (those still of a live organization); the kept rows of both are dropped,
    the others kept as they are. The columns are then joined, ordered by product and indexed
    again (array work, no text). The fingerprints stay those of the last full read: they only
    serve the fallback, for which an older fingerprint means more rows read, never fewer."""
    table = kept.table
    if not changes.entries:  # an organization's name, say: the same rows (the masks read anew)
        return StoredCapabilities(
            table=table, index=kept.index, fingerprints=kept.fingerprints, position=changes.position
        )
    named = np.fromiter(changes.capabilities, dtype=np.int64, count=len(changes.capabilities))
    suppliers = np.fromiter(changes.organizations, dtype=np.int64, count=len(changes.organizations))
    gone = np.isin(table.ids, named) | np.isin(table.supplier_ids, suppliers)
    if len(named) + int(gone.sum()) > REBUILD_SHARE * max(len(table), 1):
        return _build(session)
    builder = TableBuilder(extending=table)
    read: set[int] = set()
    for start in range(0, len(suppliers), CHANGED_AT_ONCE):
        chunk = suppliers[start : start + CHANGED_AT_ONCE].tolist()
        rows = session.execute(_COLUMNS.where(Capability.supplier_organization_id.in_(chunk))).all()
        read.update(row[0] for row in rows)
        _add_rows(builder, rows)
    again = sorted(changes.capabilities - read)
    for start in range(0, len(again), CHANGED_AT_ONCE):
        _add_rows(
            builder,
            session.execute(_COLUMNS.where(Capability.id.in_(again[start : start + CHANGED_AT_ONCE]))),
        )
    stay = table.take(np.flatnonzero(~gone))
    joined = stay.joined(builder.build(load=_no_records)).by_product()
    return StoredCapabilities(
        table=joined, index=CandidateIndex(joined), fingerprints=kept.fingerprints, position=changes.position
    )


def refreshed_by_fingerprints(session: Session, kept: StoredCapabilities) -> StoredCapabilities:
    """The kept table brought up to date by a fingerprint of every row: the rows whose
    capability or supplier changed, and the new ones, are read and their text features
    computed; the others are kept as they are, the rows of capabilities gone (deleted, or of a
    merged organization) are dropped. The columns are then joined, ordered by product and
    indexed again (array work, no text)."""
    if kept.fingerprints is None:
        return _build(session)
    position = changelog.position(session)
    fingerprints = Fingerprints.read(session)
    # a row unchanged since the fingerprints but not in the table (its supplier merged away and
    # back since then) is read again as well
    unchanged = np.intersect1d(kept.fingerprints.unchanged(fingerprints), kept.table.ids)
    changed = np.setdiff1d(fingerprints.ids, unchanged, assume_unique=True)
    if len(changed) > REBUILD_SHARE * max(len(fingerprints.ids), 1):
        return _build(session)
    builder = TableBuilder(extending=kept.table)
    for start in range(0, len(changed), CHANGED_AT_ONCE):
        chunk = changed[start : start + CHANGED_AT_ONCE].tolist()
        _add_rows(builder, session.execute(_COLUMNS.where(Capability.id.in_(chunk))))
    stay = kept.table.take(np.flatnonzero(np.isin(kept.table.ids, unchanged)))
    table = stay.joined(builder.build(load=_no_records)).by_product()
    return StoredCapabilities(
        table=table, index=CandidateIndex(table), fingerprints=fingerprints, position=position
    )


_kept: PerDatabase[StoredCapabilities] = PerDatabase(Stamp.CAPABILITIES, _build, update=_update)


def stored_capabilities(session: Session) -> StoredCapabilities:
    """The table and index of the session's database, brought up to date when its stamp moved."""
    return _kept.get(session)
