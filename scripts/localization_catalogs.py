"""Write en.po, the English gettext catalog of the localization reasons, from the texts in
`cooplab.localization.reasons`, keeping its other messages (the pages', written by hand). ru.po
is translated by hand; tests/localization/test_i18n.py fails while a code is missing from
either or their placeholders differ.

    python scripts/localization_catalogs.py
"""

from __future__ import annotations

from pathlib import Path

from cooplab.localization.reasons import MISSING, REASONS, catalog

OUT = Path(__file__).resolve().parent.parent / "src" / "cooplab" / "localization" / "i18n"
HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: cooplab localization\\n"\n"Language: {lang}\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: {plural}\\n"\n'
)
PLURALS = {
    "en": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


def keys() -> dict[str, str]:
    """msgid -> English text: `reason.<code>` for reasons, `missing.<code>` for missing data."""
    return {**{f"reason.{code}": text for code, text in REASONS.items()}, **MISSING}


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(lang: str, texts: dict[str, str]) -> None:
    lines = [HEADER.format(lang=lang, plural=PLURALS[lang])]
    for msgid, text in texts.items():
        lines.append(f"msgid {quote(msgid)}\nmsgstr {quote(text)}\n")
    (OUT / f"{lang}.po").write_text("\n".join(lines), encoding="utf-8")


def pages(lang: str) -> dict[str, str]:
    """The catalog's messages that are not reasons (the pages'), as they are."""
    return {k: v for k, v in catalog(lang).items() if not k.startswith(("reason.", "missing."))}


if __name__ == "__main__":
    write("en", {**keys(), **pages("en")})
