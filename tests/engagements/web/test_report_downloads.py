"""The mission report as a Word document and a page to print, and English names for an English
reader on the report, the mission page and the search results."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cooplab.core.actor import SYSTEM
from cooplab.engagements import service
from cooplab.engagements.cli import app as engagements_cli
from cooplab.engagements.schemas import AgreementCreate, MissionCreate
from cooplab.registry.models import Person
from tests.html import parse
from tests.webkit import organization_id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def mission(reference: Session) -> int:
    cluster = organization_id(reference, "Кластер автомобильной промышленности")
    lab = organization_id(reference, "Cooperation Lab")
    krainov = reference.scalar(select(Person.id).where(Person.name == "Андрей Крайнов"))
    made = service.create_mission(
        session=reference,
        actor=SYSTEM,
        data=MissionCreate(
            title="Визит в Узбекистан",
            start="2024-02-27",
            end="2024-03-02",
            organizer_ids=[lab],
            organization_ids=[cluster],
            participants=[
                {"person_id": krainov, "organization_id": cluster, "title": "генеральный директор"}
            ],
        ),
    ).id
    service.create_agreement(
        session=reference,
        actor=SYSTEM,
        data=AgreementCreate(
            kind="memorandum",
            subject="сотрудничество",
            signed_on="2024-03-02",
            party_ids=[cluster, lab],
            mission_id=made,
        ),
    )
    reference.commit()
    return made


@pytest.fixture
def admin(signed_in: Any) -> TestClient:
    return signed_in("admin")


def paragraphs(content: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in Document(io.BytesIO(content)).paragraphs]


def test_the_report_downloads_as_a_word_document_in_each_language(admin: TestClient, mission: int) -> None:
    ru = admin.get(f"/missions/{mission}/report.docx", params={"lang": "ru"})
    assert ru.status_code == 200 and ru.headers["content-type"] == DOCX
    assert f'filename="mission-{mission}-ru.docx"' in ru.headers["content-disposition"]
    lines = paragraphs(ru.content)
    assert ("Title", "Визит в Узбекистан") in lines
    assert ("Heading 1", "Соглашения") in lines
    assert (
        "List Bullet",
        "Меморандум между Кластером автомобильной промышленности и Cooperation Lab, 2 марта 2024\u00a0г.: сотрудничество.",
    ) in lines
    period = next(text for style, text in lines if text.startswith("С 27"))
    assert period == "С 27 февраля по 2 марта 2024\u00a0г."
    bold = [r.text for p in Document(io.BytesIO(ru.content)).paragraphs for r in p.runs if r.bold]
    assert "Участники:" in bold

    en = paragraphs(admin.get(f"/missions/{mission}/report.docx", params={"lang": "en"}).content)
    assert (
        "List Bullet",
        "Memorandum between Cluster of Automotive Industry and Cooperation Lab, 2 March 2024.",
    ) in en
    assert any("Andrey Kraynov (General Director, Cluster of Automotive Industry)" in text for _, text in en)


def test_a_mission_the_reader_may_not_see_has_no_word_document(
    client: TestClient, reference: Session
) -> None:
    hidden = service.create_mission(
        session=reference, actor=SYSTEM, data=MissionCreate(title="Закрытый визит", visibility="members")
    ).id  # members only: not for a reader who has not signed in
    reference.commit()
    assert client.get(f"/missions/{hidden}/report.docx").status_code == 404


def test_the_report_page_offers_both_downloads_and_prints_without_its_buttons(
    admin: TestClient, mission: int
) -> None:
    doc = parse(admin.get(f"/missions/{mission}/report").text)
    links = {a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href", "").startswith("/missions/")}
    assert {f"/missions/{mission}/report.docx?lang=ru", f"/missions/{mission}/report.md?lang=en"} <= links
    head = doc.find("div", class_="page-head")
    assert "no-print" in head.attrs["class"]
    assert "Ctrl+P" in doc.find("p", class_="hint").text
    english = admin.get(f"/missions/{mission}/report", params={"lang": "en"}).text
    assert "Andrey Kraynov (General Director, Cluster of Automotive Industry)" in english
    assert "Download .docx (EN)" in english


def test_the_english_mission_page_shows_english_positions(admin: TestClient, mission: int) -> None:
    page = admin.get(f"/missions/{mission}", params={"lang": "en"}).text
    assert "Andrey Kraynov" in page and "General Director" in page
    assert "генеральный директор" in admin.get(f"/missions/{mission}", params={"lang": "ru"}).text


def test_search_results_name_records_in_the_readers_language(client: TestClient) -> None:
    english = parse(client.get("/search", params={"q": "Крайнов", "lang": "en"}).text)
    assert "Andrey Kraynov" in english.text
    russian = parse(client.get("/search", params={"q": "Kraynov", "lang": "ru"}).text)
    assert "Андрей Крайнов" in russian.text
    # a machine transliteration into English does not replace the record's own Latin name
    uz = parse(client.get("/search", params={"q": "Austem", "lang": "en"}).text)
    assert "O'zAuto-Austem" in uz.text and "Uz Avto Austem" not in uz.text


def test_the_cli_writes_the_report_as_docx(
    settings_env: str, mission: int, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(engagements_cli, ["report", "mission", str(mission), "--format", "docx"])
    assert result.exit_code == 0, result.output
    written = tmp_path / f"mission-{mission}-ru.docx"
    assert f"wrote {written.name}" in result.output
    assert ("Title", "Визит в Узбекистан") in paragraphs(written.read_bytes())
    named = tmp_path / "report.docx"
    result = CliRunner().invoke(
        engagements_cli, ["report", "mission", str(mission), "--lang", "en", "-f", "docx", "-o", str(named)]
    )
    assert result.exit_code == 0, result.output
    assert any("General Director" in text for _, text in paragraphs(named.read_bytes()))
    markdown = CliRunner().invoke(engagements_cli, ["report", "mission", str(mission)])
    assert "Меморандум между Кластером автомобильной промышленности" in markdown.output
