"""Uploads held between a preview and its confirmation: the file is kept on the server under a
random token, for the person who uploaded it only, so the confirmed import applies exactly the
previewed bytes. Held files older than HOLD_SECONDS are dropped."""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cooplab.errors import NotFoundError

#: How long a previewed upload waits for its confirmation, in seconds.
HOLD_SECONDS = 3600
_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class HeldUpload:
    """A previewed file: its name, the kind of import it was previewed for, and its bytes."""

    token: str
    name: str
    kind: str
    content: bytes

    @property
    def digest(self) -> str:
        """The SHA-256 of the bytes, shown so the reader can tell two files apart."""
        return hashlib.sha256(self.content).hexdigest()


def folder() -> Path:
    """Where held uploads are kept (created on first use, readable by this user only)."""
    path = Path(tempfile.gettempdir()) / "cooplab-held-uploads"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def hold(*, name: str, kind: str, content: bytes, owner: int | None) -> HeldUpload:
    """Keep an upload for its owner's confirmation; the token names it."""
    _drop_expired()
    token = secrets.token_hex(_TOKEN_LENGTH // 2)
    (folder() / f"{token}.bin").write_bytes(content)
    (folder() / f"{token}.json").write_text(json.dumps({"name": name, "kind": kind, "owner": owner}))
    return HeldUpload(token, name, kind, content)


def held(token: str, *, kind: str, owner: int | None) -> HeldUpload:
    """The upload held under `token` for `owner` and `kind`; any other token (unknown, expired,
    another person's, another kind's) is not found."""
    _drop_expired()
    if len(token) != _TOKEN_LENGTH or any(c not in "0123456789abcdef" for c in token):
        raise _gone()
    meta_file, data_file = folder() / f"{token}.json", folder() / f"{token}.bin"
    try:
        meta = json.loads(meta_file.read_text())
        content = data_file.read_bytes()
    except (OSError, ValueError):
        raise _gone() from None
    if meta.get("owner") != owner or meta.get("kind") != kind:
        raise _gone()
    return HeldUpload(token, str(meta["name"]), kind, content)


def release(token: str) -> None:
    """Forget a held upload (once it is imported)."""
    for suffix in (".json", ".bin"):
        (folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _gone() -> NotFoundError:
    return NotFoundError("the previewed file is no longer held; upload it again", reason="upload_gone")


def _drop_expired() -> None:
    cutoff = time.time() - HOLD_SECONDS
    for path in folder().glob("*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
