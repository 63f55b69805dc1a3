"""Spreadsheets in and out, for every domain: XLSX workbooks and CSV files, read into named
sheets of numbered rows, and written back with formulas neutralised.

Reading takes UTF-8 (with or without BOM) or Windows-1251 CSV, and XLSX by its content (a file
that only ends in .xlsx is refused as not one). A workbook is read as all its sheets; several
CSV files are a workbook whose sheets are named after the files (`bom.csv` is the sheet `bom`).
Row numbers are those a person sees in the file (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from charset_normalizer import from_bytes
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cooplab.errors import FileTooLargeError, ImportFileError, InvalidInputError, UnsupportedFileError

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SPREADSHEET_SUFFIXES = (".xlsx", ".csv")
_XLSX_MAGIC = b"PK\x03\x04"
#: Cell starts that a spreadsheet program reads as a formula (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass
class Sheet:
    """One sheet: its name, the column names (lower case, trimmed) and the numbered rows that
    hold any value, each as {column: text or value}."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


# ---------------------------------------------------------------- file names and uploads


def check_file_name(name: str, suffixes: Sequence[str] = SPREADSHEET_SUFFIXES) -> str:
    """A plain file name ending in one of `suffixes`; paths ("../x.csv", "C:\\x.csv") are refused."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name or ".." in name:
        raise UnsupportedFileError(
            f"{name!r}: not an acceptable file name (no folders, no '..')",
            details=[{"loc": ["file"], "msg": "bad file name", "code": "bad_file_name"}],
        )
    if not name.lower().endswith(tuple(suffixes)):
        shown = " and ".join(suffixes)
        raise UnsupportedFileError(
            f"{name}: only {shown} files can be imported",
            details=[{"loc": ["file"], "msg": "not " + " or ".join(suffixes), "code": "not_spreadsheet"}],
        )
    return name


#: The longest file name kept with a record (the columns that hold one).
MAX_FILE_NAME = 300


def stored_file_name(name: str, limit: int = MAX_FILE_NAME) -> str:
    """The name of an uploaded file as it is kept: its last path part only ("../../etc/x.txt" is
    "x.txt"; both slashes count), trimmed; refused when longer than `limit` or holding a NUL."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if "\x00" in base:
        raise UnsupportedFileError(
            "the file name must not contain a NUL character (U+0000)",
            details=[{"loc": ["file"], "msg": "bad file name", "code": "bad_file_name"}],
        )
    if len(base) > limit:
        raise InvalidInputError(
            f"the file name is longer than {limit} characters",
            details=[
                {
                    "loc": ["file"],
                    "msg": f"at most {limit} characters",
                    "code": "too_long",
                    "params": {"max": limit},
                }
            ],
        )
    return base


def read_upload(stream: IO[bytes], *, name: str, limit: int) -> bytes:
    """The bytes of an upload with an acceptable name, refused past `limit` bytes."""
    check_file_name(name)
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise too_large(name, limit)
    return content


def too_large(name: str, limit: int) -> FileTooLargeError:
    """The error of a file over the size limit, naming both."""
    mb = limit // (1024 * 1024)
    return FileTooLargeError(
        f"{name}: the file is larger than {mb} MB",
        details=[
            {"loc": [name], "msg": "file too large", "code": "file_too_large", "params": {"limit_mb": mb}}
        ],
    )


# ---------------------------------------------------------------- reading


def decode_text(content: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or Windows-1251; a file mixing both is refused."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if any(b >= 0x80 for b in content[: exc.start]):
            line = content[: exc.start].count(b"\n") + 1
            raise ImportFileError(
                f"{name}: mixed encodings: line {line} is not UTF-8 while earlier lines are",
                details=[{"loc": [name, line], "msg": "mixed encodings", "code": "mixed_encodings"}],
            ) from None
    guess = from_bytes(content).best()
    if guess is None or b"\x00" in content:
        raise ImportFileError(
            f"{name}: not a spreadsheet (neither XLSX nor CSV text)",
            details=[{"loc": [name], "msg": "unreadable file", "code": "unreadable_file"}],
        )
    cyrillic = {"cp1251", "cp1252", "koi8_r", "mac_cyrillic", "cp866"}
    return content.decode("cp1251" if guess.encoding in cyrillic else guess.encoding)


def read_rows(content: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]], int]:
    """Header and numbered data rows of the first sheet of an XLSX file, or of a CSV file, and
    the count of data rows (for progress). Rows without any value are skipped."""
    if not content.strip():
        raise ImportFileError(
            f"{name}: the file is empty", details=[{"loc": [name], "msg": "empty file", "code": "empty_file"}]
        )
    if content[:4] == _XLSX_MAGIC:
        book = _open_workbook(content, name)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        total = max((sheet.max_row or 1) - 1, 0)
        data: Iterator[tuple[int, list[Any]]] = (
            (i, [_unescape(v) for v in r])
            for i, r in enumerate(rows, start=2)
            if any(v not in (None, "") for v in r)
        )
    else:
        if name.lower().endswith(".xlsx"):
            raise ImportFileError(
                f"{name}: not an XLSX file",
                details=[{"loc": [name], "msg": "not an XLSX file", "code": "not_xlsx"}],
            )
        text = decode_text(content, name)
        if "\x00" in text:  # no cell takes one: PostgreSQL cannot store it, no page can show it
            line = text[: text.index("\x00")].count("\n") + 1
            raise ImportFileError(
                f"{name}: row {line} holds a NUL character (U+0000)",
                details=[{"loc": [name, line], "msg": "contains a NUL character", "code": "nul_character"}],
            )
        # only the delimiter is guessed: the quoting is always the spreadsheets' own ("" inside a
        # quoted cell is one quote), which the sniffer's guess sometimes gets wrong
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        reader = csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise ImportFileError(
                f"{name}: row 1 cannot be read as CSV ({exc})",
                details=[{"loc": [name, 1], "msg": str(exc), "code": "bad_csv"}],
            ) from None
        total = max(text.count("\n") - 1, 0)
        data = _csv_rows(reader, name)
    if not header or not any(header):
        raise ImportFileError(
            f"{name}: the first row must hold the column names",
            details=[{"loc": [name, 1], "msg": "no header", "code": "no_header"}],
        )
    return [str(h or "").strip().lower() for h in header], data, total


def read_workbook(files: Mapping[str, bytes]) -> dict[str, Sheet]:
    """Every sheet of the given files by sheet name: all sheets of an XLSX workbook, one sheet
    per CSV file (named after the file). Cells come as openpyxl gives them (numbers, dates) or
    as text from CSV; empty cells are None."""
    sheets: dict[str, Sheet] = {}
    for name, content in files.items():
        check_file_name(name)
        if not content.strip():
            raise ImportFileError(
                f"{name}: the file is empty",
                details=[{"loc": [name], "msg": "empty file", "code": "empty_file"}],
            )
        if content[:4] == _XLSX_MAGIC:
            book = _open_workbook(content, name)
            for ws in book.worksheets:
                rows = ws.iter_rows(values_only=True)
                header = [str(h or "").strip().lower() for h in next(rows, None) or ()]
                sheet = Sheet(ws.title.strip().lower(), header)
                sheet.rows = [
                    (i, _cells(header, r))
                    for i, r in enumerate(rows, start=2)
                    if any(v not in (None, "") for v in r)
                ]
                _add(sheets, sheet, name)
        else:
            header, rows, _ = read_rows(content, name)
            sheet = Sheet(
                PurePath(name).stem.strip().lower(), header, [(i, _cells(header, r)) for i, r in rows]
            )
            _add(sheets, sheet, name)
    return sheets


def _add(sheets: dict[str, Sheet], sheet: Sheet, file: str) -> None:
    if sheet.name in sheets:
        raise ImportFileError(
            f"{file}: the sheet {sheet.name!r} is given twice",
            details=[
                {
                    "loc": [file, sheet.name],
                    "msg": "sheet given twice",
                    "code": "sheet_twice",
                    "params": {"sheet": sheet.name},
                }
            ],
        )
    sheets[sheet.name] = sheet


def _cells(header: list[str], values: Iterable[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, value in zip(header, values, strict=False):
        if not column:
            continue
        if isinstance(value, str):
            value = _unescape(value.strip()) or None
        out[column] = value
    return out


def _open_workbook(content: bytes, name: str) -> Any:
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            f"{name}: not a readable XLSX workbook ({exc})",
            details=[{"loc": [name], "msg": "broken XLSX", "code": "broken_xlsx"}],
        ) from None


def _csv_rows(reader: Any, name: str) -> Iterator[tuple[int, list[Any]]]:
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            if any(v.strip() for v in row):
                yield line, [_unescape(v) for v in row]
    except csv.Error as exc:
        raise ImportFileError(
            f"{name}: row {line + 1} cannot be read as CSV ({exc})",
            details=[{"loc": [name, line + 1], "msg": str(exc), "code": "bad_csv"}],
        ) from None


def batched(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """`items` in slices of `size` (itertools.batched arrives with Python 3.12)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------- writing


def csv_cell(value: Any) -> Any:
    """A CSV value that a spreadsheet program shows as text, never runs as a formula: text
    starting with = + - @ (or a tab or carriage return) gets a leading apostrophe (OWASP), which
    reading takes off again."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _unescape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def write_xlsx(sheets: Mapping[str, Iterable[Sequence[Any]]]) -> bytes:
    """An XLSX workbook with one sheet per entry (the first row of each is its header). Text is
    written as text cells, and one that starts like a formula gets a leading apostrophe (OWASP),
    so it is shown, never computed."""
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(_FORMULA_STARTS):
        return value
    # a text cell with a leading apostrophe: never computed, not even once the cell is edited or
    # the sheet saved as CSV (OWASP); reading takes the apostrophe off again
    cell = WriteOnlyCell(sheet, value="'" + value)
    cell.data_type = "s"
    return cell


def write_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """A UTF-8 CSV file (with BOM, so spreadsheet programs read Cyrillic right)."""
    out = io.StringIO()
    csv.writer(out).writerows([[csv_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")
