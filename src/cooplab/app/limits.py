"""Limits on requests, checked before the application reads them: body size, NUL characters."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 in the error shape (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body: dict[str, Any] = {
            "error": {
                "code": "too_large",
                "details": [],
                "message": f"the request body is larger than {self.max_bytes} bytes",
            }
        }
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


class _TooLarge(Exception):
    pass


class NoNulText:
    """Refuse a NUL character (U+0000) in the query string, a JSON body or a form with 422 in
    the error shape, naming where it is. No text field takes one: PostgreSQL cannot store it,
    and SQLite would keep it where no spreadsheet or page can show it. Runs inside BodyLimit,
    so the body it reads is already bounded."""

    _CHECKED = (b"application/json", b"application/x-www-form-urlencoded")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(unquote_to_bytes(scope.get("query_string", b""))):
            await _refuse_nul(send, ["query"])
            return
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip()
        if content_type not in self._CHECKED:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        where: list[str | int] | None = (
            _nul_in_json(body)
            if content_type == b"application/json"
            else (["body"] if _has_nul(unquote_to_bytes(body.replace(b"+", b" "))) else None)
        )
        if where is not None:
            await _refuse_nul(send, where)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _has_nul(data: bytes) -> bool:
    return b"\x00" in data


def _nul_in_json(body: bytes) -> list[str | int] | None:
    """Where in a JSON document a string (or key) holds U+0000; None if nowhere or not JSON
    (the application then answers a parse error itself)."""
    if b"\\u0000" not in body and b"\x00" not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None if b"\x00" not in body else ["body"]

    def find(value: Any, path: list[str | int]) -> list[str | int] | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        items = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        )
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return [*path, key]
            if (found := find(item, [*path, key])) is not None:
                return found
        return None

    return find(document, ["body"])


async def _refuse_nul(send: Send, loc: list[str | int]) -> None:
    where = ".".join(map(str, loc))
    body = {
        "error": {
            "code": "invalid_input",
            "message": f"{where}: text must not contain a NUL character (U+0000)",
            "details": [{"loc": loc, "msg": "contains a NUL character"}],
        }
    }
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
