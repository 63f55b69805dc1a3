"""The registry's editing pages: an organization's sites, owners and groups; the place forms;
likely duplicates, their merge and its undoing. Errors come back at their fields, nothing saved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.errors import MergedError
from cooplab.registry import merge, service
from cooplab.registry.filters import PlaceFilter
from cooplab.registry.models import Citation, Ownership
from cooplab.registry.schemas import MembershipCreate, OwnershipCreate, PlaceUpdate, SiteCreate, SourceCreate
from tests.factories import make_org, make_place
from tests.html import Element, parse
from tests.webkit import organization_id


@pytest.fixture
def client(signed_in: Any) -> TestClient:
    """The registry is edited by an analyst."""
    return signed_in("analyst")


def form_data(client: TestClient, page: str, action: str, **typed: str) -> dict[str, str]:
    """What a browser posts from the form of `page` that posts to `action`, with `typed` filled in."""
    doc = parse(client.get(page).text)
    found = [f for f in doc.find_all("form") if f.attrs.get("action", "").split("#")[0] == action]
    assert found, f"no form posting to {action} on {page}"
    data: dict[str, str] = {}
    for el in found[0].iter():
        name = el.attrs.get("name")
        if not name or "-999-" in name:
            continue
        if el.tag == "input" and el.attrs.get("type") in {"checkbox", "radio"}:
            if "checked" in el.attrs:
                data[name] = el.attrs.get("value", "on")
        elif el.tag == "input":
            data[name] = el.attrs.get("value", "")
        elif el.tag == "select":
            options = el.find_all("option")
            chosen = [o for o in options if "selected" in o.attrs] or options[:1]
            data[name] = chosen[0].attrs.get("value", "") if chosen else ""
        elif el.tag == "textarea":
            data[name] = el.text
    return {**data, **typed}


def error_at(doc: Element, name: str) -> str:
    """The error shown in the field box of the control named `name`."""
    control = next(el for el in doc.iter() if el.attrs.get("name") == name)
    box = control.closest("field")
    assert "has-error" in box.attrs["class"], f"{name} is not marked"
    assert control.attrs.get("aria-invalid") == "true"
    return " ".join(p.text for p in box.find_all("p", class_="field-error"))


def value_of(doc: Element, name: str) -> str:
    control = next(el for el in doc.iter() if el.attrs.get("name") == name)
    if control.tag == "select":
        chosen = [o for o in control.find_all("option") if "selected" in o.attrs]
        return chosen[0].attrs.get("value", "") if chosen else ""
    return control.attrs.get("value", "")


def detail(session: Session, org_id: int) -> Any:
    session.expire_all()
    return service.organization_detail(session=session, actor=SYSTEM, organization_id=org_id)


# ---------------------------------------------------------------- sites, owners and groups


def test_an_owner_is_added_with_its_share_dates_and_source(client: TestClient, reference: Session) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    owner_id = organization_id(reference, "AVTOVAZ")
    source = service.create_source(
        session=reference, actor=SYSTEM, data=SourceCreate(title="Годовой отчёт 2023", as_of="2024-03-01")
    )
    reference.commit()
    before = len(detail(reference, org_id).owners)
    page = f"/organizations/{org_id}/links"
    data = form_data(
        client,
        page,
        f"/organizations/{org_id}/owners",
        **{
            "ownership-owner_id": str(owner_id),
            "ownership-share": "25,5",
            "ownership-start": "2019-01-01",
            "ownership-end": "",
            "ownership-source_id": str(source.id),
        },
    )
    response = client.post(f"/organizations/{org_id}/owners", data=data)
    assert response.status_code == 303, response.text[:800]
    assert response.headers["location"] == f"/organizations/{org_id}/links#ownership"
    owners = detail(reference, org_id).owners
    assert len(owners) == before + 1
    added = next(o for o in owners if o.owner.id == owner_id)
    assert added.share == Decimal("25.50") and added.start.isoformat() == "2019-01-01" and added.end is None
    cited = reference.scalars(
        select(Citation).where(Citation.subject_type == "ownership", Citation.subject_id == added.id)
    ).all()
    assert [c.source_id for c in cited] == [source.id]
    assert "25,5" in client.get(f"/organizations/{org_id}").text


def test_a_wrong_share_is_told_at_its_field_with_the_input_kept(
    client: TestClient, reference: Session
) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    owner_id = organization_id(reference, "AVTOVAZ")
    before = reference.scalars(select(Ownership.id)).all()
    action = f"/organizations/{org_id}/owners"
    data = form_data(
        client,
        f"/organizations/{org_id}/links",
        action,
        **{"ownership-owner_id": str(owner_id), "ownership-share": "150", "ownership-start": "2020-05-01"},
    )
    response = client.post(action, data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    assert "100" in error_at(doc, "ownership-share")
    assert value_of(doc, "ownership-share") == "150"
    assert value_of(doc, "ownership-start") == "2020-05-01"
    assert value_of(doc, "ownership-owner_id") == str(owner_id)
    assert doc.find("div", class_="alert-error") is not None
    reference.expire_all()
    assert reference.scalars(select(Ownership.id)).all() == before

    english = client.post(action + "?lang=en", data={**data, "ownership-share": "много"})
    assert english.status_code == 422
    message = error_at(parse(english.text), "ownership-share")
    assert message and not any("а" <= ch <= "я" for ch in message.lower())


def test_an_organization_cannot_own_itself_nor_name_a_missing_source(
    client: TestClient, reference: Session
) -> None:
    org_id = organization_id(reference, "UzAuto Motors")
    action = f"/organizations/{org_id}/owners"
    data = form_data(client, f"/organizations/{org_id}/links", action, **{"ownership-owner_id": str(org_id)})
    response = client.post(action, data=data)
    assert response.status_code == 422
    assert "сама с собой" in error_at(parse(response.text), "ownership-owner_id")

    response = client.post(action, data={**data, "ownership-owner_id": ""})
    assert response.status_code == 422
    assert error_at(parse(response.text), "ownership-owner_id") == "Заполните это поле."

    other = organization_id(reference, "AVTOVAZ")
    data = {**data, "ownership-owner_id": str(other), "ownership-source_id": "999999"}
    response = client.post(action, data=data)
    assert response.status_code == 422
    assert "999999" in error_at(parse(response.text), "ownership-source_id")
    assert all(o.owner.id != other for o in detail(reference, org_id).owners)


def test_a_group_and_a_site_are_added_and_removed(client: TestClient, reference: Session) -> None:
    org = make_org(reference, "Андижан Пресс", kind="supplier")
    group = make_org(reference, "Кластер Андижан", kind="association")
    place = make_place(reference, "Асака")
    reference.commit()
    page = f"/organizations/{org.id}/links"
    data = form_data(
        client,
        page,
        f"/organizations/{org.id}/groups",
        **{"membership-group_id": str(group.id), "membership-start": "2021-02-01"},
    )
    assert client.post(f"/organizations/{org.id}/groups", data=data).status_code == 303
    data = form_data(
        client,
        page,
        f"/organizations/{org.id}/sites",
        **{"site-place_id": str(place.id), "site-description": "штамповка"},
    )
    assert client.post(f"/organizations/{org.id}/sites", data=data).status_code == 303
    now = detail(reference, org.id)
    assert [g.group.id for g in now.groups] == [group.id]
    assert [(s.place.id, s.description) for s in now.sites] == [(place.id, "штамповка")]

    for kind, link_id in (("membership", now.groups[0].id), ("site", now.sites[0].id)):
        action = f"/organizations/{org.id}/links/{kind}/{link_id}/delete"
        response = client.post(action, data=form_data(client, page, action))
        assert response.status_code == 303
    now = detail(reference, org.id)
    assert now.groups == [] and now.sites == []


def test_a_link_of_another_organization_is_not_removed_through_this_one(
    client: TestClient, reference: Session
) -> None:
    org = make_org(reference, "Андижан Пресс", kind="supplier")
    other = make_org(reference, "Наманган Литьё", kind="supplier")
    place = make_place(reference, "Наманган")
    site = service.add_site(
        session=reference, actor=SYSTEM, organization_id=other.id, data=SiteCreate(place_id=place.id)
    )
    reference.commit()
    page = f"/organizations/{org.id}/links"
    token = form_data(client, page, f"/organizations/{org.id}/sites")["csrf_token"]
    response = client.post(f"/organizations/{org.id}/links/site/{site.id}/delete", data={"csrf_token": token})
    assert response.status_code == 404
    assert len(detail(reference, other.id).sites) == 1
    response = client.post(
        f"/organizations/{org.id}/links/person/{site.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 404


def test_an_owner_a_group_and_a_site_are_changed_in_place(client: TestClient, reference: Session) -> None:
    org = make_org(reference, "Андижан Пресс", kind="supplier")
    holding = make_org(reference, "Пресс Холдинг", kind="holding")
    group = make_org(reference, "Кластер Андижан", kind="association")
    place = make_place(reference, "Асака")
    reference.commit()
    links = {
        "ownership": service.add_ownership(
            session=reference,
            actor=SYSTEM,
            data=OwnershipCreate(owner_id=holding.id, owned_id=org.id, share="25.5", start="2019-01-01"),
        ).id,
        "membership": service.add_membership(
            session=reference, actor=SYSTEM, data=MembershipCreate(member_id=org.id, group_id=group.id)
        ).id,
        "site": service.add_site(
            session=reference,
            actor=SYSTEM,
            organization_id=org.id,
            data=SiteCreate(place_id=place.id, description="штамповка"),
        ).id,
    }
    reference.commit()
    listed = client.get(f"/organizations/{org.id}/links").text
    for kind, link_id in links.items():
        assert f"/organizations/{org.id}/links/{kind}/{link_id}/edit" in listed
    edit = f"/organizations/{org.id}/links/ownership/{links['ownership']}/edit"
    shown = parse(client.get(edit).text)
    assert value_of(shown, "ownership-share") == "25,5" and value_of(shown, "ownership-start") == "2019-01-01"

    data = form_data(client, edit, edit, **{"ownership-share": "40", "ownership-end": "2018-12-31"})
    refused = client.post(edit, data=data)
    assert refused.status_code == 422
    doc = parse(refused.text)
    assert "раньше" in error_at(doc, "ownership-end") and value_of(doc, "ownership-share") == "40"
    assert detail(reference, org.id).owners[0].share == Decimal("25.50")

    response = client.post(edit, data={**data, "ownership-end": "2024-06-30", "ownership-start": ""})
    assert response.status_code == 303 and response.headers["location"].endswith("/links#ownership")
    for kind, typed in (
        ("membership", {"membership-start": "2021-02-01"}),
        ("site", {"site-description": "штамповка и сварка"}),
    ):
        page = f"/organizations/{org.id}/links/{kind}/{links[kind]}/edit"
        assert client.post(page, data=form_data(client, page, page, **typed)).status_code == 303
    now = detail(reference, org.id)
    owner = now.owners[0]
    assert (owner.owner.id, owner.share, owner.start, owner.end.isoformat()) == (
        holding.id,
        Decimal("40.00"),
        None,
        "2024-06-30",
    )
    assert now.groups[0].start.isoformat() == "2021-02-01" and now.groups[0].group.id == group.id
    assert [(s.place.id, s.description) for s in now.sites] == [(place.id, "штамповка и сварка")]

    other = make_org(reference, "Наманган Литьё", kind="supplier")
    reference.commit()
    assert client.get(f"/organizations/{other.id}/links/site/{links['site']}/edit").status_code == 404
    assert client.get(f"/organizations/{org.id}/links/person/{links['site']}/edit").status_code == 404


@pytest.mark.parametrize("role", ["member", "viewer"])
def test_only_analysts_and_admins_edit_links_places_and_merges(
    signed_in: Any, reference: Session, role: str
) -> None:
    reader = signed_in(role)
    org_id = organization_id(reference, "UzAuto Motors")
    link = service.add_membership(
        session=reference,
        actor=SYSTEM,
        data=MembershipCreate(member_id=org_id, group_id=organization_id(reference, "AVTOVAZ")),
    )
    reference.commit()
    edit = f"/organizations/{org_id}/links/membership/{link.id}/edit"
    for url in (f"/organizations/{org_id}/links", edit, "/places/new", "/duplicates"):
        assert reader.get(url).status_code == 403, url
    assert f"/organizations/{org_id}/links" not in reader.get(f"/organizations/{org_id}").text


# ---------------------------------------------------------------- places


def test_a_place_is_created_and_edited(client: TestClient, reference: Session) -> None:
    data = form_data(
        client,
        "/places/new",
        "/places/new",
        kind="city",
        country="UZ",
        latitude="40.78",
        longitude="72.35",
        **{"names-0-value": "Асака", "names-0-lang": "ru"},
    )
    response = client.post("/places/new", data=data)
    assert response.status_code == 303, response.text[:800]
    place_id = int(response.headers["location"].rsplit("/", 1)[1])
    place = service.place_detail(session=reference, actor=SYSTEM, place_id=place_id)
    assert (place.name, place.country, place.latitude) == ("Асака", "UZ", 40.78)

    data = form_data(
        client,
        f"/places/{place_id}/edit",
        f"/places/{place_id}/edit",
        latitude="",
        **{"names-1-value": "Asaka", "names-1-lang": "en"},
    )
    assert client.post(f"/places/{place_id}/edit", data=data).status_code == 303
    reference.expire_all()
    place = service.place_detail(session=reference, actor=SYSTEM, place_id=place_id)
    assert place.latitude is None and {n.value for n in place.names} == {"Асака", "Asaka"}
    assert f"/places/{place_id}/edit" in client.get(f"/places/{place_id}").text
    assert "/places/new" in client.get("/places").text


def test_a_place_form_tells_each_error_at_its_field(client: TestClient, reference: Session) -> None:
    before = service.list_places(session=reference, actor=SYSTEM, filters=PlaceFilter()).count
    data = form_data(client, "/places/new", "/places/new", latitude="95", geonames_id="abc", country="")
    response = client.post("/places/new", data=data)
    assert response.status_code == 422
    doc = parse(response.text)
    assert "90" in error_at(doc, "latitude")
    assert error_at(doc, "geonames_id")
    assert doc.find("p", id="names-error").text  # no name given
    assert error_at(doc, "country")
    assert value_of(doc, "latitude") == "95"
    assert service.list_places(session=reference, actor=SYSTEM, filters=PlaceFilter()).count == before


def test_a_place_edited_meanwhile_answers_409_with_the_input_kept(
    client: TestClient, reference: Session
) -> None:
    place = make_place(reference, "Джизак")
    reference.commit()
    data = form_data(client, f"/places/{place.id}/edit", f"/places/{place.id}/edit", longitude="67.84")
    service.update_place(
        session=reference,
        actor=SYSTEM,
        place_id=place.id,
        data=PlaceUpdate(version=place.version, latitude=40.1),
    )
    reference.commit()
    response = client.post(f"/places/{place.id}/edit", data=data)
    assert response.status_code == 409
    doc = parse(response.text)
    assert doc.find("div", class_="alert-error") is not None
    assert value_of(doc, "longitude") == "67.84"
    assert value_of(doc, "version") == str(place.version + 1)
    reference.expire_all()
    assert service.place_detail(session=reference, actor=SYSTEM, place_id=place.id).longitude is None


# ---------------------------------------------------------------- duplicates, merge, unmerge


def twins(session: Session) -> tuple[int, int]:
    a = make_org(session, "Ферганский Прессовый Завод", kind="supplier", country="UZ").id
    b = make_org(session, "Ферганский Прессовый Завод", kind="supplier", website="https://press.example").id
    session.commit()
    return a, b


def test_duplicates_are_listed_with_their_reasons_in_the_readers_language(
    client: TestClient, reference: Session
) -> None:
    a, b = twins(reference)
    text = client.get("/duplicates").text
    assert f"/duplicates/merge?a={a}&amp;b={b}" in text
    assert "совпадают полностью" in text
    english = client.get("/duplicates?lang=en").text
    assert "match exactly" in english and "совпадают" not in english


def test_two_duplicates_are_merged_and_the_merge_is_undone(client: TestClient, reference: Session) -> None:
    a, b = twins(reference)
    confirm = f"/duplicates/merge?a={a}&b={b}"
    data = form_data(client, confirm, "/merges", survivor_id=str(b))
    response = client.post("/merges", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/organizations/{b}"
    assert detail(reference, b).country == "UZ"  # filled from the merged record

    merged_page = client.get(f"/organizations/{a}")
    assert merged_page.status_code == 200
    assert f"/organizations/{a}/unmerge" in merged_page.text
    response = client.post(
        f"/organizations/{a}/unmerge",
        data=form_data(client, f"/organizations/{a}", f"/organizations/{a}/unmerge"),
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/organizations/{a}"
    assert detail(reference, a).merged_into_id is None
    assert detail(reference, b).country is None


def test_a_merge_without_a_choice_or_an_undo_out_of_order_is_refused_on_the_page(
    client: TestClient, reference: Session
) -> None:
    a, b = twins(reference)
    data = form_data(client, f"/duplicates/merge?a={a}&b={b}", "/merges")
    del data["survivor_id"]
    response = client.post("/merges", data=data)
    assert response.status_code == 422
    assert "Выберите запись" in response.text
    assert detail(reference, a).merged_into_id is None

    third = make_org(reference, "Ферганский Прессовый Завод", kind="supplier").id
    merge.merge_organizations(session=reference, actor=SYSTEM, survivor_id=b, merged_id=a)
    merge.merge_organizations(session=reference, actor=SYSTEM, survivor_id=third, merged_id=b)
    reference.commit()
    action = f"/organizations/{a}/unmerge"
    response = client.post(action, data=form_data(client, f"/organizations/{a}", action))
    assert response.status_code == 409
    assert parse(response.text).find("div", class_="alert-error") is not None
    reference.expire_all()
    with pytest.raises(MergedError):  # the records stay merged
        service.get_organization(session=reference, organization_id=a)
