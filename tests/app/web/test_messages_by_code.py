"""Messages a reader sees come from the catalogs by error code, in the reader's language: the
ingest form's read errors (not a DOCX file, binary data, the size limit with its real figure)
and a text in a language the pipeline does not read, which keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from cooplab.ingest.readers import MAX_INPUT_BYTES
from tests.html import parse
from tests.webkit import csrf_of


@pytest.fixture
def analyst(signed_in: Any) -> TestClient:
    return signed_in("analyst")


def _send_file(client: TestClient, name: str, data: bytes, lang: str = "ru") -> Any:
    token = csrf_of(client, "/ingest")
    return client.post(
        f"/ingest?lang={lang}",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
    )


def _form_error(response: Any) -> str:
    assert response.status_code == 422, response.status_code
    doc = parse(response.text)
    return " ".join(e.text for e in doc.find_all(class_="field-error"))


def test_a_fake_docx_is_refused_in_the_readers_language(analyst: TestClient) -> None:
    russian = _form_error(_send_file(analyst, "отчёт.docx", b"just some bytes, not a package"))
    assert "не файл DOCX" in russian and "not a DOCX" not in russian
    english = _form_error(_send_file(analyst, "report.docx", b"just some bytes, not a package", "en"))
    assert "not a DOCX file" in english


def test_binary_data_is_refused_in_russian(analyst: TestClient) -> None:
    text = _form_error(_send_file(analyst, "data.bin", b"\x00\x01\x02binary\x00" * 50))
    assert "двоичные данные" in text and "binary" not in text


def test_the_size_limit_names_the_real_figure(analyst: TestClient) -> None:
    text = _form_error(_send_file(analyst, "big.txt", b"a" * (MAX_INPUT_BYTES + 1)))
    assert f"{MAX_INPUT_BYTES // (1024 * 1024)} МБ" in text and "bytes" not in text


UZBEK = (
    "O'zbekiston va Rossiya avtomobil klasteri delegatsiyasi Andijon viloyatidagi "
    "zavodlarga tashrif buyurdi va lokalizatsiya bo'yicha memorandum imzolandi."
)


def test_an_uzbek_text_gets_a_clear_message_on_the_form_which_keeps_it(analyst: TestClient) -> None:
    token = csrf_of(analyst, "/ingest")
    response = analyst.post("/ingest", data={"csrf_token": token, "text": UZBEK})
    text = _form_error(response)
    assert "не разбирает" in text and "neither Russian" not in text
    assert "(узбекский)" in text  # the language named in words, not by its code
    assert parse(response.text).find("textarea", name="text").text.strip() == UZBEK
