"""The sources shown under a record: each document once, numbered, with the facts it backs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cooplab.registry import service


@dataclass
class SourceItem:
    """One document: its number on the page, what it is, and the facts of the record it backs."""

    number: int
    id: int
    title: str
    url: str | None
    published: date | None
    as_of: date | None
    facts: list[str] = field(default_factory=list)


@dataclass
class SourceList:
    """The numbered sources of a page and, per fact (subject type, id), the numbers backing it."""

    items: list[SourceItem] = field(default_factory=list)
    refs: dict[tuple[str, int], list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, source: Any, subject: tuple[str, int], fact: str) -> None:
        """Number a source (once) and note the fact it backs."""
        item = next((i for i in self.items if i.id == source.id), None)
        if item is None:
            item = SourceItem(number=len(self.items) + 1, id=source.id, title=source.title,
                              url=source.url, published=source.published, as_of=source.as_of)
            self.items.append(item)
        if fact not in item.facts:
            item.facts.append(fact)
        if item.number not in self.refs[subject]:
            self.refs[subject].append(item.number)

    def of(self, subject_type: str, subject_id: int) -> list[int]:
        """Numbers of the sources backing one fact (for the small reference marks)."""
        return self.refs.get((subject_type, subject_id), [])

    def __len__(self) -> int:
        return len(self.items)


def collect_sources(
    session: Session,
    subjects: Iterable[tuple[str, Sequence[int]]],
    describe: Callable[[str, int, str | None], str],
) -> SourceList:
    """Citations of the given subjects (type, ids) as a SourceList; `describe` names each fact."""
    sources = SourceList()
    for subject_type, ids in subjects:
        for citation in service.citations_of(session=session, subject_type=subject_type, subject_ids=list(ids)):
            sources.add(citation.source, (subject_type, citation.subject_id),
                        describe(subject_type, citation.subject_id, citation.field))
    return sources
