"""Answers of reads kept in memory as JSON for as long as what they read stays as it was.

A read whose answer is the same for every reader allowed to make it (registry records), or for
every reader who sees the same (`reader`: a detail page whose citations follow the visibility
of the documents they come from, cooplab.core.confidential), can be kept under a revision
stamp (cooplab.core.revision): a write anywhere, by any process, moves the stamp, and the next
read builds its answer anew. A kept answer costs a read one query of one row and a dictionary
lookup. Memory is bounded; the least recently used answers go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from cooplab.core import revision

_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


class Answers:
    """Serialized answers by address, each valid for one registry stamp."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._kept: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, stamp: str) -> bytes | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or kept[0] != stamp:
                return None
            self._kept.move_to_end(key)
            return kept[1]

    def put(self, key: str, stamp: str, body: bytes) -> None:
        if not stamp or len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self._kept[key] = (stamp, body)
            self.size += len(body)
            while self.size > self.max_bytes:
                _, (_, dropped) = self._kept.popitem(last=False)
                self.size -= len(dropped)


def kept_answer(
    request: Request, session: Session, stamp_id: int, build: Callable[[], BaseModel], reader: str = ""
) -> Response:
    """The JSON answer to this read: kept if the stamp `stamp_id` has not moved, else built;
    `reader` keeps apart the answers of readers who may see different things."""
    answers: Answers = request.app.state.answers
    if not session.in_transaction():
        # a read needs no transaction of its own: each statement sees committed data anyway
        # (READ COMMITTED), and BEGIN/ROLLBACK would be two more round trips to the server
        session.connection(execution_options=_AUTOCOMMIT)
    with revision.held(session) as stamps:  # first: the answer is at least this new
        stamp = stamps.get(int(stamp_id), "")
        key = f"{reader}|{request.url.path}?{request.url.query}"
        body = answers.get(key, stamp)
        if body is None:
            body = build().model_dump_json().encode()
            answers.put(key, stamp, body)
    return Response(body, media_type="application/json")
