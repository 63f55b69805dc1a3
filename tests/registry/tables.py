"""Every row of every table of a database, to compare its state before and after a write."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import DateTime, MetaData, select, text

from cooplab.db.base import Base
from cooplab.db.session import make_engine

#: columns a read may touch (a token's last use, a user's last sign-in): not part of a write
BOOKKEEPING = {
    (mapper.local_table.name, column)
    for mapper in Base.registry.mappers
    for column in getattr(mapper.class_, "__bookkeeping_columns__", ())
}

#: columns each write sets afresh (times, the registry's revision stamp): left out to compare databases
FRESH = {("registry_revision", "stamp"), ("audit_log", "change_id")}  # new on every run

Tables = dict[str, Counter[tuple[str, ...]]]


def snapshot(url: str, *, timeless: bool = False) -> Tables:
    """Every row of every table (timestamps left out when `timeless`, to compare two databases)."""
    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        tables: Tables = {}
        with engine.connect() as connection:
            for name, table in meta.tables.items():
                kept = [
                    c
                    for c in table.columns
                    if (name, c.name) not in BOOKKEEPING
                    and not (timeless and (isinstance(c.type, DateTime) or (name, c.name) in FRESH))
                ]
                rows = connection.execute(select(*kept))
                tables[name] = Counter(
                    tuple(json.dumps(v, default=str, sort_keys=True) for v in r) for r in rows
                )
            if engine.dialect.name == "sqlite":
                assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
        return tables
    finally:
        engine.dispose()


def changes(before: Tables, after: Tables) -> dict[str, tuple[Counter, Counter]]:
    """Per table, the rows a write removed and the rows it added."""
    return {
        name: (before.get(name, Counter()) - rows, rows - before.get(name, Counter()))
        for name, rows in after.items()
        if rows != before.get(name)
    }
