"""Ingest pages: paste a text, review its mentions and proposed records, accept them into a
mission; who may, CSRF, accepting once; the mission page and its report in both languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.engagements.models import Mission
from cooplab.ingest.models import IngestDocument
from tests.html import Element, parse
from tests.webkit import csrf_of, organization_id

#: Written for these tests: organizations of the reference data, a person, a place, a date.
TEXT = (
    "12 мая 2025 года делегация АВТОВАЗ во главе с директором по закупкам Ильёй Громовым "
    "посетила Ташкент. В Ташкенте прошли переговоры с UzAuto Motors о поставках фар. "
    "Стороны подписали меморандум о локализации светотехники."
)


@pytest.fixture
def analyst(signed_in: Any) -> TestClient:
    return signed_in("analyst")


def upload(client: TestClient, text: str = TEXT, **fields: str) -> Any:
    return client.post("/ingest", data={"text": text, "csrf_token": csrf_of(client, "/ingest"), **fields})


def review_form(doc: Element) -> dict[str, str]:
    """What a browser would post from the review form, as rendered (ticked boxes, names, selects)."""
    form = doc.find("form", class_="review-form")
    data: dict[str, str] = {}
    for el in form.find_all("input"):
        name = el.attrs.get("name")
        if not name:
            continue
        if el.attrs.get("type") == "checkbox":
            if "checked" in el.attrs:
                data[name] = "on"
        else:
            data[name] = el.attrs.get("value", "")
    for el in form.find_all("select"):
        chosen = [o for o in el.find_all("option") if "selected" in o.attrs]
        data[el.attrs["name"]] = chosen[0].attrs.get("value", "") if chosen else ""
    return data


def test_pasting_a_text_opens_its_review_with_mentions_marked_and_records_linked(
    analyst: TestClient, reference: Session
) -> None:
    response = upload(analyst, published="2025-05-20")
    assert response.status_code == 303
    assert re.fullmatch(r"/ingest/\d+", response.headers["location"])
    doc = parse(analyst.get(response.headers["location"]).text)
    body = doc.find("div", class_="doc-body")
    marks = {(m.attrs["class"], m.text) for m in body.find_all("mark")}
    assert ("hl hl-org", "АВТОВАЗ") in marks
    assert ("hl hl-org", "UzAuto Motors") in marks
    assert ("hl hl-place", "Ташкенте") in marks
    assert ("hl hl-date", "12 мая 2025 года") in marks
    assert any(cls == "hl hl-person" for cls, _ in marks)
    # the text is escaped, the marks are the only markup in it
    assert all(el.tag == "mark" for el in body.iter())
    avtovaz = organization_id(reference, "AVTOVAZ")
    links = [a.attrs["href"] for a in doc.find("section", **{"aria-labelledby": "orgs-title"}).find_all("a")]
    assert f"/organizations/{avtovaz}" in links
    assert f"/organizations/{organization_id(reference, 'UzAuto Motors')}" in links
    people = doc.find("section", **{"aria-labelledby": "people-title"})
    assert "новая запись" in people.text
    assert all("checked" in box.attrs for box in doc.find_all("input", type="checkbox"))
    assert doc.find("form", class_="review-form").find("button", type="submit").text == "Принять"


def test_the_same_text_again_opens_the_same_document_with_a_notice(analyst: TestClient) -> None:
    first = upload(analyst).headers["location"]
    again = upload(analyst)
    assert again.headers["location"] == first
    assert "уже загружен" in parse(analyst.get(first).text).find("div", class_="flash").text


def test_an_empty_text_is_refused_next_to_the_field(analyst: TestClient, reference: Session) -> None:
    response = upload(analyst, text="  ")
    assert response.status_code == 422
    doc = parse(response.text)
    assert "has-error" in doc.find("textarea", name="text").closest("field").attrs["class"]
    assert reference.query(IngestDocument).count() == 0


def test_accepting_creates_a_mission_without_the_unticked_items_and_only_once(
    analyst: TestClient, reference: Session
) -> None:
    review_url = upload(analyst).headers["location"]
    data = review_form(parse(analyst.get(review_url).text))
    data["title"] = "Визит АВТОВАЗ в Ташкент"
    unticked = [key for key in data if key.startswith("agreement-") and key.endswith("-keep")]
    for key in unticked:
        del data[key]
    for key in [k for k in data if k.startswith("place-") and k.endswith("-country")]:
        data[key] = "UZ"
    response = analyst.post(f"{review_url}/accept", data=data)
    assert response.status_code == 303, parse(response.text).find("div", class_="alert").text
    assert re.fullmatch(r"/missions/\d+", response.headers["location"])
    page = parse(analyst.get(response.headers["location"]).text)
    assert page.find("h1").text == "Визит АВТОВАЗ в Ташкент"
    assert "миссия создана" in page.find("div", class_="flash").text
    assert (
        "AVTOVAZ" in page.find("section", **{"aria-labelledby": "orgs-title"}).text
        or "АВТОВАЗ" in page.find("section", **{"aria-labelledby": "orgs-title"}).text
    )
    assert "Соглашений нет" in page.find("section", **{"aria-labelledby": "agreements-title"}).text
    reference.expire_all()
    assert reference.query(Mission).count() == 1

    # the accepted document shows as accepted, without the form
    doc = parse(analyst.get(review_url).text)
    assert not doc.find_all("form", class_="review-form")
    assert doc.find("div", class_="alert-ok").find("a").attrs["href"] == response.headers["location"]
    # and accepting again is refused, nothing created twice
    again = analyst.post(f"{review_url}/accept", data=data)
    assert again.status_code == 409
    assert "уже принят" in parse(again.text).find("div", class_="alert-error").text
    reference.expire_all()
    assert reference.query(Mission).count() == 1


def test_a_new_place_without_a_country_is_refused_next_to_it(analyst: TestClient, reference: Session) -> None:
    text = "3 июня 2025 года делегация АВТОВАЗ посетила город Заречинск и провела переговоры с UzAuto Motors."
    review_url = upload(analyst, text=text).headers["location"]
    doc = parse(analyst.get(review_url).text)
    data = review_form(doc)
    countries = [k for k in data if k.startswith("place-") and k.endswith("-country")]
    assert countries and all(data[key] == "" for key in countries)
    response = analyst.post(f"{review_url}/accept", data=data)
    assert response.status_code == 422
    page = parse(response.text)
    box = page.find("select", name=countries[0]).closest("field")
    assert "has-error" in box.attrs["class"]
    assert box.find("p", class_="field-error").text == "Заполните это поле."
    reference.expire_all()
    assert reference.query(Mission).count() == 0


@pytest.mark.parametrize("role", ["viewer", "member"])
def test_readers_without_the_permission_cannot_ingest(signed_in: Any, role: str, reference: Session) -> None:
    client = signed_in(role)
    page = parse(client.get("/ingest").text)
    assert not page.find_all("form", class_="ingest-form")
    assert "аналитики" in page.find("main").text
    token = csrf_of(client, "/account")
    assert client.post("/ingest", data={"text": TEXT, "csrf_token": token}).status_code == 403
    assert reference.query(IngestDocument).count() == 0


def test_anonymous_visitors_are_asked_to_sign_in(client: TestClient, analyst: TestClient) -> None:
    assert "Войти" in parse(client.get("/ingest").text).find("main").text
    review_url = upload(analyst).headers["location"]
    response = client.get(review_url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert client.post("/ingest", data={"text": TEXT}).status_code in (401, 403)


def test_forms_without_the_csrf_token_are_refused(analyst: TestClient, reference: Session) -> None:
    assert analyst.post("/ingest", data={"text": TEXT}).status_code == 403
    assert reference.query(IngestDocument).count() == 0
    review_url = upload(analyst).headers["location"]
    data = review_form(parse(analyst.get(review_url).text))
    data["csrf_token"] = "forged"
    assert analyst.post(f"{review_url}/accept", data=data).status_code == 403
    reference.expire_all()
    assert reference.query(Mission).count() == 0


@pytest.fixture
def mission_url(analyst: TestClient) -> str:
    review_url = upload(analyst).headers["location"]
    data = review_form(parse(analyst.get(review_url).text))
    for key in [k for k in data if k.startswith("place-") and k.endswith("-country")]:
        data[key] = "UZ"
    return analyst.post(f"{review_url}/accept", data=data).headers["location"]


def test_the_mission_page_lists_the_programme_and_is_in_the_missions_list(
    analyst: TestClient, mission_url: str
) -> None:
    doc = parse(analyst.get(mission_url).text)
    programme = doc.find("section", **{"aria-labelledby": "programme-title"})
    assert "12.05.2025" in programme.text
    assert "Визит" in programme.text
    assert doc.find("a", href=f"{mission_url}/report").text == "Отчёт"
    listed = parse(analyst.get("/missions").text)
    assert listed.find("a", href=mission_url)


@pytest.mark.parametrize("lang, heading", [("ru", "Программа"), ("en", "Programme")])
def test_the_report_reads_in_both_languages_and_downloads(
    analyst: TestClient, mission_url: str, lang: str, heading: str
) -> None:
    doc = parse(analyst.get(f"{mission_url}/report", params={"lang": lang}).text)
    report = doc.find("article", class_="report")
    assert heading in [h.text for h in report.find_all("h3")]
    assert report.find_all("li")
    download = analyst.get(f"{mission_url}/report.md", params={"lang": lang})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/markdown")
    assert f"mission-{mission_url.rsplit('/', 1)[1]}-{lang}.md" in download.headers["content-disposition"]
    assert f"## {heading}" in download.text or heading in download.text


def test_anonymous_visitors_see_no_missions_they_may_not(client: TestClient, mission_url: str) -> None:
    assert client.get(mission_url).status_code == 404
    assert not parse(client.get("/missions").text).find_all("a", href=mission_url)


#: Dates without a year: read against the publication date, when there is one.
UNDATED = (
    "27 февраля делегация АВТОВАЗ посетила Ташкент. 28 февраля в Ташкенте прошли переговоры "
    "с UzAuto Motors о поставках фар."
)


def test_dates_without_a_year_ask_for_the_publication_date_and_a_draft_parses_again(
    analyst: TestClient, reference: Session
) -> None:
    review_url = upload(analyst, text=UNDATED).headers["location"]
    doc = parse(analyst.get(review_url).text)
    warning = doc.find("div", id="needs-year")
    assert "нет года" in warning.text and "дату публикации" in warning.text
    form = doc.find("form", class_="reparse-form")
    assert form.attrs["action"] == f"{review_url}/parse"
    token = form.find("input", name="csrf_token").attrs["value"]

    # a date that is not one is refused next to the field, nothing changed
    bad = analyst.post(f"{review_url}/parse", data={"published": "01.03.2024", "csrf_token": token})
    assert bad.status_code == 422
    box = parse(bad.text).find("input", name="published").closest("field")
    assert "has-error" in box.attrs["class"]
    assert box.find("p", class_="field-error").text

    response = analyst.post(f"{review_url}/parse", data={"published": "2024-03-05", "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == review_url
    doc = parse(analyst.get(review_url).text)
    assert not doc.find_all("div", id="needs-year")
    assert "заново" in doc.find("div", class_="flash").text
    assert "05.03.2024" in doc.find("p", class_="tags").text
    assert "27.02.2024" in doc.find("section", **{"aria-labelledby": "events-title"}).text
    reference.expire_all()
    stored = reference.query(IngestDocument).one()
    assert str(stored.published) == "2024-03-05"
    assert all(not d["start"].startswith("--") for d in stored.result["dates"])


def test_pasting_the_same_text_with_a_publication_date_parses_the_draft_again(
    analyst: TestClient, reference: Session
) -> None:
    first = upload(analyst, text=UNDATED).headers["location"]
    again = upload(analyst, text=UNDATED, published="2024-03-05")
    assert again.headers["location"] == first
    doc = parse(analyst.get(first).text)
    assert not doc.find_all("div", id="needs-year")
    assert "27.02.2024" in doc.find("section", **{"aria-labelledby": "events-title"}).text


def test_a_draft_is_deleted_after_asking_and_an_accepted_document_stays(
    analyst: TestClient, reference: Session, mission_url: str
) -> None:
    review_url = upload(analyst, text=UNDATED).headers["location"]
    form = parse(analyst.get(review_url).text).find("form", class_="delete-form")
    assert "Удалить" in form.attrs["data-confirm"]
    token = form.find("input", name="csrf_token").attrs["value"]
    response = analyst.post(form.attrs["action"], data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/ingest"
    assert "удалён" in parse(analyst.get("/ingest").text).find("div", class_="flash").text
    assert analyst.get(review_url).status_code == 404
    reference.expire_all()
    accepted = reference.query(IngestDocument).one()
    assert accepted.status == "accepted"
    # the accepted one offers no delete, and a forged post is refused
    accepted_url = f"/ingest/{accepted.id}"
    assert not parse(analyst.get(accepted_url).text).find_all("form", class_="delete-form")
    refused = analyst.post(f"{accepted_url}/delete", data={"csrf_token": token})
    assert refused.status_code == 409
    reference.expire_all()
    assert reference.query(IngestDocument).count() == 1


#: A signing with its parties: the memorandum becomes an agreement of the mission.
SIGNED = (
    "12 мая 2025 года делегация АВТОВАЗ посетила Ташкент. 13 мая 2025 года АВТОВАЗ и UzAuto Motors "
    "подписали меморандум о локализации светотехники."
)


@pytest.fixture
def lone_analyst(app: Any, reference: Session) -> Any:
    """An analyst of no organization (as `cooplab user add` allows), signed in."""
    from tests.factories import make_user
    from tests.webkit import sign_in

    make_user(reference, "analyst", email="lone@example.org")
    reference.commit()
    with TestClient(app, headers={"Accept": "text/html"}, follow_redirects=False) as client:
        assert sign_in(client, "lone@example.org").status_code == 303
        yield client


def accept_all(client: TestClient, review_url: str, **fields: str) -> Any:
    data = review_form(parse(client.get(review_url).text))
    for key in [k for k in data if k.startswith("place-") and k.endswith("-country")]:
        data[key] = "UZ"
    return client.post(f"{review_url}/accept", data={**data, **fields})


def test_an_analyst_of_no_organization_sees_what_they_accepted(lone_analyst: TestClient) -> None:
    review_url = upload(lone_analyst, SIGNED).headers["location"]
    select = parse(lone_analyst.get(review_url).text).find("select", name="visibility")
    chosen = [o.attrs["value"] for o in select.find_all("option") if "selected" in o.attrs]
    assert chosen == ["members"]
    mission_url = accept_all(lone_analyst, review_url).headers["location"]
    page = parse(lone_analyst.get(mission_url).text)
    agreements = page.find("section", **{"aria-labelledby": "agreements-title"})
    assert "Соглашений нет" not in agreements.text
    assert "меморандум" in agreements.text.lower()
    assert not page.find_all("p", class_="hidden-note")


def test_the_chosen_visibility_is_given_to_every_record_created(
    analyst: TestClient, reference: Session
) -> None:
    from cooplab.engagements.models import Agreement, Event

    review_url = upload(analyst, SIGNED).headers["location"]
    refused = accept_all(analyst, review_url, visibility="everyone")
    assert refused.status_code == 422
    assert (
        "has-error" in parse(refused.text).find("select", name="visibility").closest("field").attrs["class"]
    )
    assert reference.query(Mission).count() == 0
    assert accept_all(analyst, review_url, visibility="organization").status_code == 303
    reference.expire_all()
    made = [*reference.query(Mission), *reference.query(Event), *reference.query(Agreement)]
    assert len(made) >= 3 and {r.visibility for r in made} == {"organization"}


def test_the_mission_page_says_how_many_records_are_hidden_from_the_reader(
    signed_in: Any, analyst: TestClient, reference: Session
) -> None:
    from cooplab.core.actor import SYSTEM
    from cooplab.engagements import service as engagements
    from cooplab.engagements.schemas import ActionItemCreate, AgreementCreate

    mission_url = accept_all(analyst, upload(analyst, SIGNED).headers["location"]).headers["location"]
    mission_id = int(mission_url.rsplit("/", 1)[1])
    avtovaz = organization_id(reference, "AVTOVAZ")
    for subject in ("поставки фар", "поставки бамперов"):
        engagements.create_agreement(
            session=reference,
            actor=SYSTEM,
            data=AgreementCreate(
                kind="agreement", subject=subject, party_ids=[avtovaz], mission_id=mission_id
            ),
        )
    engagements.create_action_item(
        session=reference,
        actor=SYSTEM,
        data=ActionItemCreate(title="Выслать чертежи", mission_id=mission_id, visibility="organization"),
    )
    reference.commit()
    # the UzAuto member sees the mission, not the two agreements of AVTOVAZ alone nor the step
    page = parse(signed_in("member").get(mission_url).text)
    assert "2 соглашения миссии скрыты" in page.find("p", id="hidden-agreements").text
    assert "1 следующий шаг миссии скрыт" in page.find("p", id="hidden-action_items").text
    # the AVTOVAZ member is a party to both: nothing of the agreements is hidden
    other = parse(signed_in("member_other").get(mission_url, params={"lang": "en"}).text)
    assert not other.find_all("p", id="hidden-agreements")
    assert "1 next step of this mission is hidden" in other.find("p", id="hidden-action_items").text


def test_next_steps_are_added_on_the_mission_page_and_closed_by_the_responsible_member(
    analyst: TestClient, signed_in: Any, reference: Session
) -> None:
    from cooplab.engagements.models import ActionItem

    mission_url = accept_all(analyst, upload(analyst, SIGNED).headers["location"]).headers["location"]
    page = parse(analyst.get(mission_url).text)
    form = page.find("form", class_="step-form")
    token = form.find("input", name="csrf_token").attrs["value"]
    options = form.find("select", name="step-responsible_organization_id").find_all("option")
    uzauto = organization_id(reference, "UzAuto Motors")
    assert str(uzauto) in [o.attrs["value"] for o in options]
    steps = f"{mission_url}/steps"

    # a due date that is not one, and no title: both named, nothing written
    bad = analyst.post(steps, data={"csrf_token": token, "step-title": "", "step-due": "31.02.2025"})
    assert bad.status_code == 422
    bad_page = parse(bad.text)
    for name in ("step-title", "step-due"):
        assert "has-error" in bad_page.find("input", name=name).closest("field").attrs["class"]
    assert reference.query(ActionItem).count() == 0

    for title, due in (("Выслать образцы фар", "2025-06-01"), ("Согласовать спецификацию", "")):
        response = analyst.post(
            steps,
            data={
                "csrf_token": token,
                "step-title": title,
                "step-due": due,
                "step-responsible_organization_id": str(uzauto),
            },
        )
        assert response.status_code == 303, response.text[:300]
    page = parse(analyst.get(mission_url).text)
    table = page.find("section", **{"aria-labelledby": "actions-title"})
    assert "Выслать образцы фар" in table.text and "01.06.2025" in table.text
    assert "просрочен" in table.find("tr", class_="overdue").text.lower()

    # the UzAuto member finds them under "my next steps", overdue first, and closes one
    member = signed_in("member")
    mine = parse(member.get("/steps").text)
    rows = mine.find("tbody").find_all("tr")
    assert [r.find("td").text.split("Миссия")[0].strip() for r in rows] == [
        "Выслать образцы фар",
        "Согласовать спецификацию",
    ]
    toggle = rows[0].find("form", class_="step-toggle")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in toggle.find_all("input")}
    assert data["status"] == "done"
    assert member.post(toggle.attrs["action"], data=data).status_code == 303
    reference.expire_all()
    done = reference.query(ActionItem).filter_by(title="Выслать образцы фар").one()
    assert done.status == "done" and done.done_at is not None
    assert [
        r.find("td").text.split("Миссия")[0].strip()
        for r in parse(member.get("/steps").text).find("tbody").find_all("tr")
    ] == ["Согласовать спецификацию"]
    # and the analyst reopens it from the mission page
    row = next(
        r
        for r in parse(analyst.get(mission_url).text)
        .find("section", **{"aria-labelledby": "actions-title"})
        .find_all("tr")
        if "Выслать образцы фар" in r.text
    )
    toggle = row.find("form", class_="step-toggle")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in toggle.find_all("input")}
    assert data["status"] == "open"
    assert analyst.post(toggle.attrs["action"], data=data).status_code == 303
    reference.expire_all()
    assert reference.query(ActionItem).filter_by(title="Выслать образцы фар").one().status == "open"
    # the other company's member may not close UzAuto's step
    other = signed_in("member_other")
    refused = other.post(
        toggle.attrs["action"],
        data={
            **data,
            "csrf_token": csrf_of(other, "/steps"),
            "status": "done",
            "version": str(done.version + 1),
        },
    )
    assert refused.status_code == 403
    reference.expire_all()
    assert reference.query(ActionItem).filter_by(title="Выслать образцы фар").one().status == "open"


def test_a_next_step_is_given_another_due_date_and_organization(
    analyst: TestClient, reference: Session
) -> None:
    from cooplab.engagements.models import ActionItem

    mission_url = accept_all(analyst, upload(analyst, SIGNED).headers["location"]).headers["location"]
    token = csrf_of(analyst, mission_url)
    uzauto, avtovaz = organization_id(reference, "UzAuto Motors"), organization_id(reference, "AVTOVAZ")
    analyst.post(
        f"{mission_url}/steps",
        data={
            "csrf_token": token,
            "step-title": "Выслать чертежи",
            "step-responsible_organization_id": str(uzauto),
        },
    )
    section = parse(analyst.get(mission_url).text).find("section", **{"aria-labelledby": "actions-title"})
    form = section.find("form", class_="step-edit-form")
    data = {el.attrs["name"]: el.attrs.get("value", "") for el in form.find_all("input")}
    data.update(due="2025-09-01", responsible_organization_id=str(avtovaz), responsible_person_id="")
    assert analyst.post(form.attrs["action"], data=data).status_code == 303
    reference.expire_all()
    step = reference.query(ActionItem).one()
    assert (str(step.due), step.responsible_organization_id) == ("2025-09-01", avtovaz)
    assert (
        "01.09.2025"
        in parse(analyst.get(mission_url).text).find("section", **{"aria-labelledby": "actions-title"}).text
    )


def test_the_ingest_page_lists_the_documents_with_when_each_was_loaded(analyst: TestClient) -> None:
    upload(analyst, published="2025-05-20")
    page = analyst.get("/ingest")
    assert page.status_code == 200
    loaded = parse(page.text).find("tbody").find("tr").find("td", class_="hide-sm").text
    assert str(datetime.now(UTC).year) in loaded  # the moment it was loaded, not its publication


def test_a_draft_whose_dates_lack_a_year_is_accepted_only_after_its_publication_date(
    analyst: TestClient, reference: Session
) -> None:
    review_url = upload(analyst, text=UNDATED).headers["location"]
    refused = accept_all(analyst, review_url)
    assert refused.status_code == 422
    box = parse(refused.text).find("input", name="published").closest("field")
    assert "has-error" in box.attrs["class"]
    assert "даты без года" in box.find("p", class_="field-error").text
    reference.expire_all()
    assert reference.query(Mission).count() == 0
    assert reference.query(IngestDocument).one().status == "draft"

    token = csrf_of(analyst, review_url)
    analyst.post(f"{review_url}/parse", data={"published": "2024-03-05", "csrf_token": token})
    accepted = accept_all(analyst, review_url)
    assert accepted.status_code == 303
    reference.expire_all()
    mission = reference.query(Mission).one()
    assert (str(mission.start), str(mission.end)) == ("2024-02-27", "2024-02-28")
