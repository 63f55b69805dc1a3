"""Edit and create forms: saving, and every kind of error shown next to its field with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.filters import PersonFilter, PlaceFilter
from cooplab.registry.schemas import OrganizationUpdate
from cooplab.vocab.identifiers import inn_check_digits
from tests.html import Element, parse
from tests.webkit import organization_id


@pytest.fixture
def client(signed_in: Any) -> TestClient:
    """The forms are filled in by an analyst, who may edit the whole registry."""
    return signed_in("analyst")


def form_fields(doc: Element) -> dict[str, Any]:
    """What a browser would submit from the page's main form, as it is rendered."""
    form = doc.find("form", class_="form")
    data: dict[str, Any] = {}
    for el in form.find_all("input"):
        name = el.attrs.get("name")
        if not name or "-999-" in name:
            continue
        if el.attrs.get("type") == "checkbox":
            if "checked" in el.attrs:
                data[name] = "on"
        else:
            data[name] = el.attrs.get("value", "")
    for el in form.find_all("select"):
        name = el.attrs.get("name")
        if not name or "-999-" in name:
            continue
        chosen = [o for o in el.find_all("option") if "selected" in o.attrs]
        data[name] = chosen[0].attrs.get("value", "") if chosen else el.find("option").attrs.get("value", "")
    for el in form.find_all("textarea"):
        data[el.attrs["name"]] = el.text
    return data


def edit_form(client: TestClient, org_id: int) -> dict[str, Any]:
    return form_fields(parse(client.get(f"/organizations/{org_id}/edit").text))


def error_at(doc: Element, name: str) -> str:
    """The error message shown in the field box of the control named `name`."""
    control = next(el for el in doc.iter() if el.attrs.get("name") == name)
    box = control.closest("field")
    assert "has-error" in box.attrs["class"], f"{name} is not marked"
    assert control.attrs.get("aria-invalid") == "true"
    return " ".join(p.text for p in box.find_all("p", class_="field-error"))


def fresh(session: Session, org_id: int) -> Any:
    session.expire_all()
    return service.organization_detail(session=session, actor=SYSTEM, organization_id=org_id)


def test_saving_changes_and_redirects_with_a_confirmation(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    assert data["names-0-value"] == "UzAuto Motors"
    data["description"] = "Автозавод в Асаке; новое описание."
    data["names-1-value"] = "АО «УзАвто Моторс»"
    data["inn"] = inn_check_digits("770708389")
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/organizations/{org_id}"
    page = client.get(response.headers["location"])
    doc = parse(page.text)
    assert doc.find("div", class_="flash").text == "Сохранено."
    assert "новое описание" in doc.find("section", **{"aria-labelledby": "about-title"}).text
    assert "АО «УзАвто Моторс»" in page.text
    assert "flash" not in client.get(f"/organizations/{org_id}").text.split("<main", 1)[1][:200]
    saved = fresh(reference, org_id)
    assert saved.description == "Автозавод в Асаке; новое описание."
    assert [i.value for i in saved.identifiers] == [inn_check_digits("770708389")]
    assert saved.version == 2


def test_an_invalid_inn_is_shown_at_the_inn_field_and_nothing_changes(
    client: TestClient, reference: Session
) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    before = fresh(reference, org_id)
    data = edit_form(client, org_id)
    data["inn"] = "1234567890"
    data["description"] = "this must not be saved"
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    assert "контрольная цифра" in error_at(doc, "inn")
    # the reader's input is kept
    assert doc.find("input", name="inn").attrs["value"] == "1234567890"
    assert doc.find("textarea", name="description").text == "this must not be saved"
    assert doc.find("div", class_="alert-error")
    after = fresh(reference, org_id)
    assert after.description == before.description and after.version == before.version
    assert after.identifiers == []


def test_errors_in_english(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data["ogrn"] = "12"
    doc = parse(client.post(f"/organizations/{org_id}/edit?lang=en", data=data).text)
    assert error_at(doc, "ogrn") == "An OGRN has 13 digits (OGRNIP: 15)."


def test_a_tier_for_a_non_supplier_is_refused_at_the_tier_field(
    client: TestClient, reference: Session
) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data["tier"] = "1"
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 422
    assert "только для поставщиков" in error_at(parse(response.text), "tier")
    assert fresh(reference, org_id).tier is None


def test_unknown_country_and_place_and_kind(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data.update(country="XX", kind="spaceship")
    doc = parse(client.post(f"/organizations/{org_id}/edit", data=data).text)
    assert "страну" in error_at(doc, "country")
    assert "из списка" in error_at(doc, "kind")
    data = edit_form(client, org_id)
    data["head_office_id"] = "999999"
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 422
    assert "места нет" in error_at(parse(response.text), "head_office_id")


def test_all_names_removed_is_refused(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = {
        k: ("" if k.startswith("names-") and k.endswith("-value") else v)
        for k, v in edit_form(client, org_id).items()
    }
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    names = doc.find("section", **{"aria-labelledby": "names-title"})
    assert "хотя бы одно название" in names.find("p", class_="field-error").text


def test_a_too_long_name_is_shown_at_its_row(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data["names-2-value"] = "Я" * 301
    doc = parse(client.post(f"/organizations/{org_id}/edit", data=data).text)
    assert "300" in error_at(doc, "names-2-value")


def test_an_identifier_of_another_organization_is_refused(client: TestClient, reference: Session) -> None:
    inn = inn_check_digits("631500123")
    other = organization_id(reference, "AVTOVAZ")
    avtovaz = service.get_organization(session=reference, organization_id=other)
    service.update_organization(
        session=reference,
        actor=SYSTEM,
        organization_id=other,
        data=OrganizationUpdate(version=avtovaz.version, identifiers=[{"scheme": "inn", "value": inn}]),
    )
    reference.commit()
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data["inn"] = inn
    data["description"] = "not saved"
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 409
    assert f"№ {other}" in error_at(parse(response.text), "inn")
    assert fresh(reference, org_id).description != "not saved"


def test_a_stale_edit_is_refused_and_can_be_saved_deliberately(
    client: TestClient, reference: Session
) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    # someone else saves first
    other = edit_form(client, org_id)
    other["description"] = "their change"
    assert client.post(f"/organizations/{org_id}/edit", data=other).status_code == 303
    data["description"] = "my change"
    response = client.post(f"/organizations/{org_id}/edit", data=data)
    assert response.status_code == 409
    doc = parse(response.text)
    assert "кто-то другой" in doc.find("div", class_="alert-error").text
    assert doc.find("textarea", name="description").text == "my change"
    assert fresh(reference, org_id).description == "their change"
    # the form now carries the current version: saving again is a deliberate overwrite
    again = form_fields(doc)
    assert client.post(f"/organizations/{org_id}/edit", data=again).status_code == 303
    assert fresh(reference, org_id).description == "my change"


def test_creating_an_organization(client: TestClient, reference: Session) -> None:
    doc = parse(client.get("/organizations/new").text)
    data = form_fields(doc)
    assert data["kind"] == ""
    data.update(
        {
            "kind": "supplier",
            "tier": "2",
            "country": "RU",
            "names-0-value": "ООО «Тольяттинский штамп»",
            "names-0-lang": "ru",
            "description": "Штамповка.",
        }
    )
    response = client.post("/organizations/new", data=data)
    assert response.status_code == 303
    page = parse(client.get(response.headers["location"]).text)
    assert page.find("div", class_="flash").text == "Запись создана."
    assert page.find("h1").text.startswith("ООО «Тольяттинский штамп»")


def test_creating_without_kind_and_name_shows_both_errors(client: TestClient) -> None:
    data = form_fields(parse(client.get("/organizations/new").text))
    response = client.post("/organizations/new", data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    assert error_at(doc, "kind")
    assert doc.find("section", **{"aria-labelledby": "names-title"}).find("p", class_="field-error")


def test_editing_a_person(client: TestClient, reference: Session) -> None:
    person = service.list_people(
        session=reference, actor=SYSTEM, filters=PersonFilter(q="Крайнов"), limit=1
    ).data[0]
    sources_before = (
        parse(client.get(f"/people/{person.id}").text).find("ol", class_="source-list").find_all("li")
    )
    data = form_fields(parse(client.get(f"/people/{person.id}/edit").text))
    data["names-0-value"] = "Андрей Викторович Крайнов"
    response = client.post(f"/people/{person.id}/edit", data=data)
    assert response.status_code == 303
    doc = parse(client.get(response.headers["location"]).text)
    assert doc.find("h1").text.startswith("Андрей Викторович Крайнов")
    # positions were not touched, so their sources are still attached
    assert len(doc.find("ol", class_="source-list").find_all("li")) == len(sources_before)


def test_a_person_position_ending_before_it_starts(client: TestClient, reference: Session) -> None:
    person = service.list_people(
        session=reference, actor=SYSTEM, filters=PersonFilter(q="Крайнов"), limit=1
    ).data[0]
    data = form_fields(parse(client.get(f"/people/{person.id}/edit").text))
    data.update({"positions-0-start": "2024-05-01", "positions-0-end": "2020-01-01"})
    response = client.post(f"/people/{person.id}/edit", data=data)
    assert response.status_code == 422
    assert "раньше начала" in error_at(parse(response.text), "positions-0-end")
    data.update({"positions-0-start": "not a date", "positions-0-end": ""})
    doc = parse(client.post(f"/people/{person.id}/edit", data=data).text)
    assert "ГГГГ-ММ-ДД" in error_at(doc, "positions-0-start")


def test_adding_a_position(client: TestClient, reference: Session) -> None:
    person = service.list_people(
        session=reference, actor=SYSTEM, filters=PersonFilter(q="Крайнов"), limit=1
    ).data[0]
    org_id = organization_id(reference, "AVTOVAZ")
    data = form_fields(parse(client.get(f"/people/{person.id}/edit").text))
    blank = max(int(k.split("-")[1]) for k in data if k.startswith("positions-"))
    data.update(
        {
            f"positions-{blank}-title": "член совета",
            f"positions-{blank}-organization_id": str(org_id),
            f"positions-{blank}-start": "2022-08-25",
        }
    )
    assert client.post(f"/people/{person.id}/edit", data=data).status_code == 303
    page = client.get(f"/people/{person.id}").text
    assert "член совета" in page and f"/organizations/{org_id}" in page


def test_places_are_offered_for_the_head_office(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    doc = parse(client.get(f"/organizations/{org_id}/edit").text)
    select = doc.find("select", name="head_office_id")
    asaka = service.list_places(
        session=reference, actor=SYSTEM, filters=PlaceFilter(q="Асака"), limit=1
    ).data[0]
    chosen = [o for o in select.find_all("option") if "selected" in o.attrs]
    assert chosen and chosen[0].attrs["value"] == str(asaka.id)


def test_a_position_without_a_title_asks_for_one(client: TestClient, reference: Session) -> None:
    person = service.list_people(
        session=reference, actor=SYSTEM, filters=PersonFilter(q="Крайнов"), limit=1
    ).data[0]
    data = form_fields(parse(client.get(f"/people/{person.id}/edit").text))
    blank = max(int(k.split("-")[1]) for k in data if k.startswith("positions-"))
    data[f"positions-{blank}-title_en"] = "Adviser"
    response = client.post(f"/people/{person.id}/edit", data=data)
    assert response.status_code == 422
    assert error_at(parse(response.text), f"positions-{blank}-title") == "Заполните это поле."


def test_every_problem_of_the_form_is_reported_at_once(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(client, org_id)
    data.update(inn="1234567890", tier="1", country="XX")
    doc = parse(client.post(f"/organizations/{org_id}/edit", data=data).text)
    assert error_at(doc, "inn") and error_at(doc, "country")
    assert "только для поставщиков" in error_at(doc, "tier")


def test_only_what_the_reader_changed_is_written(client: TestClient, reference: Session) -> None:
    from cooplab.accounts import audit

    org_id = organization_id(reference, "UzAuto Motors")
    names_before = [n.id for n in fresh(reference, org_id).names]
    logged = audit.list_entries(session=reference, actor=SYSTEM, limit=1).count
    data = edit_form(client, org_id)
    data["description"] = "Только описание."
    assert client.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    found = audit.list_entries(session=reference, actor=SYSTEM, limit=50)
    entries, now = found.data, found.count
    assert [(e.action, e.entity_type) for e in entries[: now - logged]] == [("update", "organizations")]
    assert [n.id for n in fresh(reference, org_id).names] == names_before
    # a name changed: the names are written (and the change is in the log)
    data = edit_form(client, org_id)
    data["names-1-value"] = "УзАвто Моторс (Асака)"
    assert client.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    assert "УзАвто Моторс (Асака)" in [n.value for n in fresh(reference, org_id).names]
