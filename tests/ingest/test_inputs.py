"""Bad input gets a clear error naming the file and what is wrong, never a crash."""

from __future__ import annotations

import io
import zipfile

import pytest

from cooplab.errors import FileTooLargeError, InvalidInputError, UnsupportedFileError
from cooplab.ingest import extract, extract_bytes, extract_file
from cooplab.ingest.readers import MAX_INPUT_BYTES, detect_language, html_to_text, read_document

RUSSIAN = "Генеральный директор компании «Северный пресс» Ольга Петрова 5 апреля посетила г. Самару."


def test_empty_text(models):
    for text in ["", "   \n\t "]:
        with pytest.raises(InvalidInputError, match="empty"):
            extract(text, models=models)


def test_not_a_string(models):
    with pytest.raises(InvalidInputError, match="expected text"):
        extract(b"bytes", models=models)  # type: ignore[arg-type]


def test_binary_data():
    blob = bytes(range(256)) * 40
    with pytest.raises(UnsupportedFileError, match="report.txt"):
        read_document(blob, name="report.txt")
    with pytest.raises(UnsupportedFileError, match="binary"):
        extract("abc\x00def" * 10)


def test_twenty_megabytes_are_refused_before_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.write(("Текст. " * 1000).encode() * 1800)
    assert big.stat().st_size > 20 * 1024 * 1024 > MAX_INPUT_BYTES
    with pytest.raises(FileTooLargeError, match="huge.txt.*limit"):
        extract_file(big)
    with pytest.raises(FileTooLargeError):
        extract_bytes(b"x" * (MAX_INPUT_BYTES + 1), name="upload.txt")


def test_missing_file(tmp_path):
    with pytest.raises(InvalidInputError, match="no such file"):
        extract_file(tmp_path / "absent.txt")


def test_fake_docx():
    with pytest.raises(UnsupportedFileError, match="notes.docx.*not a DOCX"):
        extract_bytes(b"plain words pretending to be a document", name="notes.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(UnsupportedFileError, match="cannot be read"):
        extract_bytes(buffer.getvalue(), name="zipped.docx")


def test_real_docx(models):
    from docx import Document

    document = Document()
    document.add_paragraph(RUSSIAN)
    buffer = io.BytesIO()
    document.save(buffer)
    result = extract_bytes(buffer.getvalue(), name="visit.docx")
    assert result.source == "visit.docx"
    assert [p.name for p in result.people] == ["Ольга Петрова"]


def test_windows_1251_and_utf8_read_alike(models):
    a = extract_bytes(RUSSIAN.encode("cp1251"), name="a.txt")
    b = extract_bytes(RUSSIAN.encode("utf-8"), name="b.txt")
    assert a.content_hash == b.content_hash
    assert a.people == b.people and a.people


def test_broken_html_is_cleaned_not_crashed(models):
    html = (
        "<html><head><script>var x = '<p>';</script><style>p{}</style></head><body><div><p>"
        + RUSSIAN
        + "<p><b>Без закрытия <i>тегов <table><tr><td>ячейка"
    )
    text = html_to_text(html)
    assert "var x" not in text and "p{}" not in text
    assert "Ольга Петрова" in text and "ячейка" in text
    result = extract_bytes(html.encode(), name="page.html")
    assert [p.name for p in result.people] == ["Ольга Петрова"]
    for junk in ["<", "<<<>>>", "<html><body></body></html>", "<p></div></span>"]:
        with pytest.raises(InvalidInputError):
            extract_bytes(junk.encode(), name="junk.html")


def test_other_languages_are_refused_by_name(models):
    german = "Die Delegation besuchte das Werk in Asaka und sprach mit der Geschäftsführung über Lieferungen."
    uzbek = "Делегация Асака шаҳридаги заводга ташриф буюрди ва ҳамкорлик бўйича музокаралар ўтказди."
    chinese = "代表团参观了工厂并与管理层进行了会谈。"
    for text in [german, uzbek, chinese]:
        with pytest.raises(InvalidInputError, match="neither Russian nor English"):
            extract(text, source="foreign.txt", models=models)
    assert detect_language(RUSSIAN) == "ru"
    assert detect_language("The delegation visited the plant in Asaka.") == "en"


def test_text_with_nothing_to_find_gives_an_honest_empty_result(models):
    result = extract("Погода была хорошей, и все были довольны.", models=models)
    assert (result.organizations, result.people, result.places, result.events, result.agreements) == (
        [],
        [],
        [],
        [],
        [],
    )
