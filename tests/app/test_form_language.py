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
from tests.app.test_audit_routes import WEB
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
QUOTED = re.compile(r"«[^»]*»|\([^)]*\)|\w*_\w*|\S+@\S+")


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
                if response.status_code >= 500:
                    problems.append(f"{method} {path} {name}={wrong[:10]!r}: answered {response.status_code}")
                if response.status_code < 400 or "text/html" not in response.headers.get("content-type", ""):
                    continue
                for text in said(response.text):
                    english = ENGLISH.findall(QUOTED.sub("", text.replace(wrong, "")))
                    if english:
                        problems.append(f"{method} {path} {name}={wrong[:10]!r}: {text.strip()[:160]}")
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
                response = web.get(entry.path, params={name: wrong})
                if response.status_code >= 400:
                    problems.append(f"{entry.path}?{name}={wrong[:10]}: answered {response.status_code}")
                    continue
                for text in said(response.text):
                    if ENGLISH.findall(QUOTED.sub("", text.replace(wrong, ""))):
                        problems.append(f"{entry.path}?{name}={wrong[:10]}: {text.strip()[:160]}")
    assert not problems, "\n".join(sorted(set(problems)))
