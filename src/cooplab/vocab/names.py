"""Names in any script reduced to comparable keys: the ground of search, dedupe and import.

A key is the name transliterated to ASCII (anyascii), lower-cased, with punctuation, quotes,
apostrophes and legal forms (ООО, АО, СП, LLC, JSC, Co, Ltd ...) removed. Transliteration cannot
know that Russian "авто" and Uzbek/English "auto" are one word, nor that Uzbek "o'z" is the "uz"
of Latin spellings; `SPELLING_VARIANTS` is that small table, applied to keys of both the query
and the registry.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from cooplab.vocab.choices import Script

#: Legal forms and their abbreviations, as keys (ASCII, lower case), ignored in every comparison.
LEGAL_FORMS = frozenset(
    """
    ooo oao zao ao pao nao sp ip chp up gup mup fgup npo nko ano tov pp
    mchzh mchj xk qk aj ok dk
    llc jsc ojsc cjsc pjsc jv co ko ltd inc corp corporation company kompani kompaniya
    gmbh ag plc sa srl bv nv kg
    """.split()
)

#: What transliteration cannot know (whole-word-part rewrites applied to keys).
SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("avto", "auto"),  # Russian авто- = Latin auto- (УзАвто / UzAuto)
    ("ozbek", "uzbek"),  # Uzbek O'zbek = Uzbek
    ("ozauto", "uzauto"),  # O'zauto (Uzbek Latin) = UzAuto
    ("ozavto", "uzauto"),
)

_APOSTROPHES = "'’‘ʻʼ`´ʹ"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def detect_script(text: str) -> Script:
    """Cyrillic if the text has any Cyrillic letter, else Latin."""
    return Script.CYRILLIC if _CYRILLIC.search(text) else Script.LATIN


#: Format characters a name may keep: the zero-width (non-)joiners some scripts spell with.
_JOINERS = frozenset({"\u200c", "\u200d"})


def _kept(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in {"Cc", "Cs", "Co"}:
        return " "
    if category == "Cf" and ch not in _JOINERS:
        return ""
    return ch


def clean_name(text: str) -> str:
    """A name as people should read it: normalised Unicode, no control characters, no format
    characters (zero-width spaces, BOM, direction overrides), single spaces, trimmed; empty when
    nothing visible is left (only spaces, format characters or combining marks without a letter)."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(_kept(ch) for ch in text)
    text = " ".join(text.split())
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in text):
        return ""
    return text


def tokens(text: str) -> list[str]:
    """ASCII lower-case tokens of a name, apostrophes dropped inside words, legal forms kept."""
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).lower()
    for mark in _APOSTROPHES:
        ascii_text = ascii_text.replace(mark, "")
    return [t for t in _NON_ALNUM.split(ascii_text) if t]


def name_key(text: str) -> str:
    """The comparison key of a name: ASCII tokens without legal forms, spelling variants applied."""
    words = [t for t in tokens(text) if t not in LEGAL_FORMS] or tokens(text)
    key = " ".join(words)
    for old, new in SPELLING_VARIANTS:
        key = key.replace(old, new)
    return key


def compact_key(key: str) -> str:
    """The key without spaces: "uz auto motors" and "uzauto motors" meet here."""
    return key.replace(" ", "")
