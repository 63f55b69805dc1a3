"""Plain text, HTML and DOCX turned into clean text, with every bad input refused by name.

Bytes are decoded as UTF-8, or as the charset charset-normalizer finds (Windows-1251 and the
like). HTML goes through selectolax (lexbor; broken markup is parsed the way browsers do), DOCX
through python-docx. Too large, empty, binary, unreadable or not Russian/English input raises
InvalidInputError (or its subclasses) naming the file and what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from cooplab.errors import FileTooLargeError, InvalidInputError, UnsupportedFileError, field_error

#: Largest input accepted, in bytes (a long report is well under 1 MB of text).
MAX_INPUT_BYTES = 5 * 1024 * 1024
#: Share of control characters above which a text is taken for binary data.
MAX_CONTROL_SHARE = 0.01
_HTML_HINT = re.compile(r"<\s*(?:!doctype\s+html|html|body|p|div|br|span|h[1-6]|table|article)\b", re.I)
_ENGLISH_WORDS = frozenset(
    "the and of to in a is was for on with by at as from that this were are be has have it an "
    "its their which will said".split()
)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
_NOT_RUSSIAN_CYRILLIC = re.compile(r"[ўқғҳәөүұңһіїєґЎҚҒҲӘӨҮҰҢҺІЇЄҐ]")
_LETTER = re.compile(r"[^\W\d_]")


def _bad(
    name: str,
    message: str,
    error: type[InvalidInputError] = InvalidInputError,
    code: str | None = None,
    **params: Any,
) -> InvalidInputError:
    """The error of one input: its English message, and the code (with its figures) that the
    catalogs put in the reader's words."""
    label = name or "text"
    return error(f"{label}: {message}", details=[field_error([label], message, code, name=label, **params)])


def normalise_text(text: str) -> str:
    """The text as the pipeline reads it: NFC, Unix line ends, no trailing spaces, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def content_hash(text: str) -> str:
    """sha256 of the normalised text: the same text ingested twice has the same hash."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def check_text(text: str, *, name: str = "") -> None:
    """Refuse empty text and binary data that came in as a string."""
    if not text or not text.strip():
        raise _bad(name, "the text is empty", code="input_empty")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise _bad(name, "this is binary data, not text", UnsupportedFileError, code="binary_data")


def detect_language(text: str) -> str | None:
    """ "ru" for Russian, "en" for English, None for any other language (by letters and common words)."""
    letters = _LETTER.findall(text)
    if not letters:
        return None
    cyrillic = sum(1 for ch in letters if _CYRILLIC.match(ch))
    latin = sum(1 for ch in letters if _LATIN.match(ch))
    if cyrillic >= 0.4 * len(letters):
        other = len(_NOT_RUSSIAN_CYRILLIC.findall(text))
        return "ru" if other <= 0.005 * cyrillic else None
    if latin >= 0.6 * len(letters):
        words = re.findall(r"[A-Za-z]+", text.lower())
        common = sum(1 for w in words if w in _ENGLISH_WORDS)
        return "en" if words and (common >= 0.08 * len(words) or (len(words) < 12 and common >= 1)) else None
    return None


_UZBEK_CYRILLIC = re.compile(r"[ўқғҳЎҚҒҲ]")
_UZBEK_LATIN_MARKS = re.compile(
    r"\b[A-Za-z]*(?:[oOgG][ʻ'‘’`][a-z]+)|\b(?:va|bilan|uchun|yil|yilda|hamkorlik\w*|viloyat\w*|shahr\w*|"
    r"bo[ʻ'‘’`]yicha|o[ʻ'‘’`]rtasida|tashrif|kompaniya\w*|korxona\w*|davlat\w*)\b"
)


def guess_other_language(text: str) -> str:
    """The language of a text ingest does not read, where it can tell: "uz" (Uzbek, Latin or
    Cyrillic), else "unknown"; the error message names it."""
    if len(_UZBEK_CYRILLIC.findall(text)) >= 3:
        return "uz"
    words = re.findall(r"[A-Za-zʻ'‘’`]+", text)
    if words and len(_UZBEK_LATIN_MARKS.findall(text)) >= max(2, len(words) // 25):
        return "uz"
    return "unknown"


def decode_bytes(data: bytes, *, name: str = "") -> str:
    """Bytes as text: UTF-8 if they are, else the charset charset-normalizer detects (cp1251 ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise _bad(name, "this is binary data, not text", UnsupportedFileError, code="binary_data")
    best = from_bytes(data).best()
    if best is None:
        raise _bad(
            name,
            "the bytes are in no text encoding we can read",
            UnsupportedFileError,
            code="unknown_encoding",
        )
    return str(best)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: no scripts, styles or navigation; blocks on their own lines."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template, nav, header, footer, aside, form, svg, iframe"):
        node.decompose()
    for node in tree.css("br"):
        node.replace_with("\n")
    blocks = "p, div, li, h1, h2, h3, h4, h5, h6, tr, section, article, blockquote, pre, dd, dt, table"
    for node in tree.css(blocks):
        node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(separator="", strip=False) if root is not None else ""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def docx_to_text(data: bytes, *, name: str = "") -> str:
    """The paragraphs and table cells of a DOCX file, one per line."""
    from docx import Document

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _bad(name, "this is not a DOCX file (not a ZIP package)", UnsupportedFileError, code="not_docx")
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise _bad(
            name,
            f"this DOCX file cannot be read ({type(exc).__name__})",
            UnsupportedFileError,
            code="docx_unreadable",
        ) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(line for line in lines if line.strip())


def read_document(data: bytes | str, *, name: str = "") -> str:
    """Text of a document given as bytes (or a str): plain text, HTML or DOCX, by content and name."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_INPUT_BYTES:
        raise _bad(
            name,
            f"the input is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}",
            FileTooLargeError,
            code="input_too_large",
            limit_mb=MAX_INPUT_BYTES // (1024 * 1024),
        )
    if size == 0:
        raise _bad(name, "the input is empty", code="input_empty")
    suffix = Path(name).suffix.lower()
    if isinstance(data, bytes):
        if suffix == ".docx" or data[:4] == b"PK\x03\x04":
            return docx_to_text(data, name=name)
        if suffix in (".doc", ".pdf", ".xlsx", ".xls", ".odt", ".rtf"):
            raise _bad(
                name,
                f"{suffix} files are not read; give plain text, HTML or DOCX",
                UnsupportedFileError,
                code="file_kind_unread",
                suffix=suffix,
            )
        text = decode_bytes(data, name=name)
    else:
        text = data
    check_text(text, name=name)
    if suffix in (".html", ".htm", ".xhtml") or _HTML_HINT.search(text[:5000]):
        text = html_to_text(text)
    return text


def read_path(path: str | Path) -> str:
    """Text of a file on disk (size checked before it is read)."""
    path = Path(path)
    if not path.is_file():
        raise _bad(path.name, "no such file", code="no_such_file")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise _bad(
            path.name,
            f"the file is {size:,} bytes; the limit is {MAX_INPUT_BYTES:,}",
            FileTooLargeError,
            code="input_too_large",
            limit_mb=MAX_INPUT_BYTES // (1024 * 1024),
        )
    return read_document(path.read_bytes(), name=path.name)
