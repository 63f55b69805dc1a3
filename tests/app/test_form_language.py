"""Every form of the pages answers a wrong value in the reader's language: each field of each
form that writes (the forms the audit drivers fill in) is sent with values no rule accepts, and
what the page says back holds no English sentence. The messages come from the catalogs by the
problem's code; an English message reaching a Russian reader means a rule raised no code."""

from __future__ import annotations

import re
from typing import Any

from cooplab.core.domain import navigation
from tests.app.audit_paths import World
from tests.app.audit_paths import world as world  # noqa: F401  (the fixture)
from tests.app.test_audit_routes import WEB, WEB_READ_ONLY
from tests.app.test_audit_routes import clients as clients  # noqa: F401  (the fixture)
from tests.html import parse

#: Values that break some rule of almost every kind of field: text for a number or a date, a
#: negative number, a date that does not exist, a code of no list, far too long a text.
WRONG = ("abc", "-5", "2024-13-45", "zz", "9" * 400)
#: Fields that carry the form's own state, not what a user types.
STATE = re.compile(r"(^|-)(csrf|version|next)$|_token$")
#: A word of English: a run of four or more small Latin letters (codes and names are capitals
#: or the value sent back; a quoted name, a code with underscores and brackets of field names
#: are the user's or the program's words, not sentences).
ENGLISH = re.compile(r"(?<![\w-])[a-z]{4,}(?![\w-])")
QUOTED = re.compile(r"«[^»]*»|\([^)]*\)|\w*_\w*|\S+@\S+|\S*\.[a-z]+\b")


def said(html: str) -> list[str]:
    """What a page says of the problems: its field errors and its alerts."""
    doc = parse(html)
    return [
        el.text
        for tag, cls in (
            ("p", "field-error"),
            ("span", "field-error"),
            ("div", "alert"),
            ("div", "error-card"),
        )
        for el in doc.find_all(tag)
        if cls in el.attrs.get("class", "").split()
    ]


def answered(response: Any, sent: str, limit: int = 500) -> list[str]:
    """What is wrong with a page's answer to a value or a file it refuses: a server error, or
    problems said in English (the value sent, quoted names and codes left out)."""
    if response.status_code >= limit:
        return [f"answered {response.status_code}"]
    return [
        text.strip()[:160]
        for text in said(response.text)
        if ENGLISH.search(QUOTED.sub("", text.replace(sent, "")))
    ]


def test_every_form_answers_a_wrong_value_in_the_readers_language(world: World, clients: Any) -> None:
    _, web = clients
    problems: list[str] = []
    for (method, path), driver in WEB.items():
        if path in {"/login", "/logout"}:
            continue
        call = driver(world)
        data = call.send.get("data")
        if not data:
            continue
        for name in [n for n in data if not STATE.search(n)]:
            for wrong in WRONG:
                response = web.request(
                    method, call.url, data={**data, name: wrong}, files=call.send.get("files")
                )
                problems += [f"{method} {path} {name}={wrong[:10]!r}: {p}" for p in answered(response, wrong)]
    assert not problems, "\n".join(sorted(set(problems)))


def test_every_list_filter_answers_a_wrong_value_in_the_readers_language(world: World, clients: Any) -> None:
    """Each field of the filter form of each section's list, sent with values no rule accepts:
    the list still answers, and says what was not applied in the reader's words."""
    _, web = clients
    problems: list[str] = []
    for entry in navigation():
        doc = parse(web.get(entry.path).text)
        forms = [f for f in doc.find_all("form") if f.attrs.get("method", "get").lower() == "get"]
        names = {
            el.attrs["name"]
            for f in forms
            for el in f.iter()
            if el.tag in {"input", "select"} and el.attrs.get("name") and el.attrs.get("type") != "hidden"
        }
        for name in sorted(names):
            for wrong in WRONG:
                response = web.get(
                    entry.path, params={name: wrong}
                )  # a list answers, saying what it left out
                problems += [f"{entry.path}?{name}={wrong[:10]}: {p}" for p in answered(response, wrong, 400)]
    assert not problems, "\n".join(sorted(set(problems)))


#: Files no import or ingest accepts: text named as a workbook or a document, binary data as
#: text, nothing at all, a header without rows.
WRONG_FILES = (
    ("book.xlsx", b"this is not a workbook"),
    ("report.docx", b"PK\x03\x04 broken"),
    ("rows.csv", b"\x00\x01\x02\xff\xfe binary"),
    ("empty.csv", b""),
    ("header.csv", b"name,country\n"),
)

#: Forms that take a typed text or a file instead (their drivers type the text).
TEXT_OR_FILE = {"/ingest", "/feasibility"}


def test_every_upload_answers_a_wrong_file_in_the_readers_language(world: World, clients: Any) -> None:
    _, web = clients
    problems: list[str] = []
    routes = {**WEB, **{key: driver for key, (_, driver) in WEB_READ_ONLY.items()}}
    uploads = 0
    for (method, path), driver in routes.items():
        if path in {"/login", "/logout"}:
            continue
        call = driver(world)
        if not call.send.get("files") and path not in TEXT_OR_FILE:
            continue
        uploads += 1
        (field,) = call.send.get("files") or {"file": None}
        data = {**call.send.get("data", {}), **({"text": ""} if path in TEXT_OR_FILE else {})}
        for name, content in WRONG_FILES:
            response = web.request(
                method, call.url, data=data, files={field: (name, content, "application/octet-stream")}
            )
            problems += [f"{method} {path} {name}: {p}" for p in answered(response, name)]
    assert uploads >= 5  # the imports of the registry, needs and vehicles, a report's file, a case
    assert not problems, "\n".join(sorted(set(problems)))
