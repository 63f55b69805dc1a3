"""Limits on requests, checked before the application reads them: body size, NUL characters."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cooplab.errors import RequestTooLargeError


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
                    raise _TooLarge(f"the request body is larger than {self.max_bytes} bytes")
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


class _TooLarge(RequestTooLargeError):
    """Raised by the body's reader: a route that was reading it answers 413 through the one
    error handler (the framework's own body parser would have made it a 400)."""


class NoNulText:
    """Refuse a NUL character (U+0000) in the query string, a JSON body or a form with 422 in
    the error shape, naming where it is. No text field takes one: PostgreSQL cannot store it,
    and SQLite would keep it where no spreadsheet or page can show it. Runs inside BodyLimit,
    so the body it reads is already bounded."""

    _FORM = b"application/x-www-form-urlencoded"
    _MULTIPART = b"multipart/form-data"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(unquote_to_bytes(scope.get("query_string", b""))):
            await _refuse_nul(send, ["query"])
            return
        content_type = (
            dict(scope.get("headers") or []).get(b"content-type", b"").split(b";")[0].strip().lower()
        )
        is_json = _is_json(content_type)
        # the web's forms are checked where they are read (cooplab.core.web.access), so their
        # refusal is a page in the reader's language; the API's are checked here
        api = str(scope.get("path", "")).startswith("/api/")
        multipart = api and content_type == self._MULTIPART
        if not is_json and not (api and content_type == self._FORM) and not multipart:
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
        if is_json and _json_depth(body) > MAX_JSON_DEPTH:
            await _refuse(
                send,
                ["body"],
                f"body: JSON nested deeper than {MAX_JSON_DEPTH} levels",
                "nested too deep",
            )
            return
        where: list[str | int] | None = (
            _nul_in_json(body)
            if is_json
            else _nul_in_multipart(body, scope)
            if multipart
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


#: Deepest nesting of arrays and objects a JSON body may have (no schema of the API needs more
#: than a few; the parsers would recurse once per level).
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")


def _is_json(content_type: bytes) -> bool:
    """application/json and every JSON type (application/merge-patch+json...), any case."""
    return content_type == b"application/json" or (
        content_type.startswith(b"application/") and content_type.endswith(b"+json")
    )


def _json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in a JSON text, counted without parsing it (brackets
    inside strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    brackets = _JSON_STRING.sub(b"", body).translate(None, _BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


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


_BOUNDARY = re.compile(rb'boundary="?([^";]+)"?', re.I)
_PART_NAME = re.compile(rb'\bname="((?:[^"\\]|\\.)*)"', re.I)


def _nul_in_multipart(body: bytes, scope: Scope) -> list[str | int] | None:
    """Where a multipart form holds U+0000: in a field's name or text, or in a file's name (a
    file's content may hold NUL bytes: an XLSX or DOCX file does). None if nowhere; a body
    without its boundary is left to the application's parser."""
    if b"\x00" not in body:
        return None
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    found = _BOUNDARY.search(content_type)
    if found is None:
        return None
    for part in body.split(b"--" + found.group(1))[1:]:
        head, _, value = part.partition(b"\r\n\r\n")
        named = _PART_NAME.search(head)
        name = named.group(1).decode("utf-8", "replace").replace("\x00", "") if named else "?"
        if _has_nul(head):  # the field's or the file's name
            return ["body", name]
        if b"filename=" not in head.lower() and _has_nul(value):
            return ["body", name]
    return None


async def _refuse_nul(send: Send, loc: list[str | int]) -> None:
    where = ".".join(map(str, loc))
    await _refuse(
        send, loc, f"{where}: text must not contain a NUL character (U+0000)", "contains a NUL character"
    )


async def _refuse(send: Send, loc: list[str | int], message: str, msg: str) -> None:
    """Answer 422 in the one error shape before the application sees the request."""
    detail: dict[str, Any] = {"loc": loc, "msg": msg}
    body = {"error": {"code": "invalid_input", "message": message, "details": [detail]}}
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": data})
