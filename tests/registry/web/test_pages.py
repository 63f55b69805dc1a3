"""Every page of the web UI answers, in both languages, escapes what it shows, and fails politely."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.core.web.render import COMING_SECTIONS
from cooplab.registry import merge, service
from cooplab.registry.filters import OrganizationFilter, PersonFilter, PlaceFilter
from cooplab.registry.schemas import OrganizationCreate
from tests.html import parse
from tests.webkit import organization_id

XSS = "<script>alert(1)</script>"


def _first_person(session: Session) -> int:
    return service.list_people(session=session, actor=SYSTEM, filters=PersonFilter(), limit=1).data[0].id


def _place(session: Session, name: str) -> int:
    return service.list_places(session=session, actor=SYSTEM, filters=PlaceFilter(q=name), limit=1).data[0].id


def test_every_page_answers_in_both_languages(signed_in: Any, reference: Session) -> None:
    client = signed_in("admin")
    org = organization_id(reference, "UzAuto Motors")
    person = _first_person(reference)
    place = _place(reference, "Асака")
    pages = [
        "/",
        "/organizations",
        f"/organizations/{org}",
        f"/organizations/{org}/edit",
        "/organizations/new",
        "/people",
        f"/people/{person}",
        f"/people/{person}/edit",
        "/places",
        f"/places/{place}",
        "/search",
        "/search?q=УзАвто",
        "/account",
        "/admin/audit",
        "/admin/users",
        *[f"/soon/{section}" for section in COMING_SECTIONS],
    ]
    for lang in ("ru", "en"):
        for url in pages:
            response = client.get(url, params={"lang": lang})
            assert response.status_code == 200, url
            assert response.headers["content-type"].startswith("text/html")
            assert "=&#34;" not in response.text, url  # no attribute escaped into text
            doc = parse(response.text)
            assert doc.find("html").attrs["lang"] == lang
            assert doc.find("title").text.endswith("cooplab"), url
    # the sign-in page: a signed-in reader goes straight on where they were going
    assert client.get("/login?next=/people").headers["location"] == "/people"


def test_russian_by_default_and_english_remembered_in_a_cookie(client: TestClient) -> None:
    assert "Организации" in parse(client.get("/").text).find("nav", class_="sections").text
    switched = client.get("/organizations", params={"lang": "en"})
    assert switched.cookies.get("lang") == "en"
    nav = parse(client.get("/places").text).find("nav", class_="sections").text
    assert "Organizations" in nav and "Организации" not in nav
    assert "Организации" in parse(client.get("/?lang=ru").text).find("nav", class_="sections").text


def test_language_switch_keeps_the_page_and_its_query(client: TestClient) -> None:
    doc = parse(client.get("/organizations?kind=supplier").text)
    link = doc.find("a", hreflang="en").attrs["href"]
    assert link.startswith("/organizations?") and "kind=supplier" in link and "lang=en" in link


def test_dashboard_counts_and_links(client: TestClient, reference: Session) -> None:
    organizations = service.list_organizations(
        session=reference, actor=SYSTEM, filters=OrganizationFilter(), limit=1
    ).count
    doc = parse(client.get("/").text)
    values = [el.text for el in doc.find_all("span", class_="stat-value")]
    assert values[0] == str(organizations)
    assert doc.find("a", href="/organizations?kind=supplier")
    assert doc.find_all("ul", class_="recent")[0].find_all("li")


def test_organization_page_shows_names_links_and_sources(client: TestClient, reference: Session) -> None:
    org = organization_id(reference, "UzAuto Motors")
    doc = parse(client.get(f"/organizations/{org}").text)
    assert doc.find("h1").text.startswith("UzAuto Motors")
    names = doc.find("section", **{"aria-labelledby": "names-title"}).text
    assert "УзАвто Моторс" in names and "O'zauto Motors" in names and "Прежние названия" in names
    owners = doc.find("section", **{"aria-labelledby": "owners-title"})
    owner_link = owners.find("a")
    assert owner_link.text == "Uzavtosanoat" and owner_link.attrs["href"].startswith("/organizations/")
    head_office = doc.find("section", class_="facts").find("a")
    assert head_office.attrs["href"].startswith("/places/")
    sources = doc.find("ol", class_="source-list").find_all("li")
    assert len(sources) >= 2
    assert all(li.find("p", class_="source-facts").text for li in sources)
    assert "владелец — Uzavtosanoat" in doc.find("section", id="sources").text


def test_each_source_is_listed_once_with_every_fact_it_backs(client: TestClient, reference: Session) -> None:
    org = organization_id(reference, "UzAuto Motors")
    doc = parse(client.get(f"/organizations/{org}").text)
    titles = [
        li.find("p", class_="source-title").text for li in doc.find("ol", class_="source-list").find_all("li")
    ]
    assert len(titles) == len(set(titles))


def test_person_page_links_positions_to_organizations(client: TestClient, reference: Session) -> None:
    person = _first_person(reference)
    doc = parse(client.get(f"/people/{person}").text)
    links = [a.attrs["href"] for a in doc.find("ul", class_="timeline").find_all("a")]
    assert any(href.startswith("/organizations/") for href in links)
    assert doc.find("ol", class_="source-list")


def test_place_page_links_to_the_map_and_geonames(client: TestClient, reference: Session) -> None:
    place = service.get_place(session=reference, place_id=_place(reference, "Асака"))
    doc = parse(client.get(f"/places/{place.id}?lang=en").text)
    hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
    assert f"https://www.openstreetmap.org/?mlat={place.latitude}&mlon={place.longitude}" in " ".join(hrefs)
    assert f"https://www.geonames.org/{place.geonames_id}" in hrefs
    assert doc.find("h1").text.startswith("Asaka")
    organizations = doc.find("section", **{"aria-labelledby": "orgs-title"}).text
    assert "UzAuto Motors" in organizations


def test_search_groups_hits_by_type_and_shows_the_matched_name(client: TestClient) -> None:
    doc = parse(client.get("/search", params={"q": "УзАвто"}).text)
    group = doc.find("section", **{"aria-labelledby": "group-organization"})
    hit = next(li for li in group.find_all("li", class_="hit") if li.find("a").text == "UzAuto Motors")
    assert "УзАвто Моторс" in hit.find("p", class_="hit-matched").text
    assert hit.find("span", class_="score").text.isdigit()
    assert parse(client.get("/search", params={"q": "Андижан"}).text).find(
        "section", **{"aria-labelledby": "group-place"}
    )


def test_search_with_nothing_found_says_so(client: TestClient) -> None:
    doc = parse(client.get("/search", params={"q": "zzzzqqqq"}).text)
    assert "ничего не найдено" in doc.find("div", class_="empty-state").text


def test_names_are_escaped_everywhere(signed_in: Any, reference: Session) -> None:
    client = signed_in("admin")
    org = service.create_organization(
        session=reference,
        actor=SYSTEM,
        data=OrganizationCreate(
            kind="supplier", names=[{"value": XSS}], description=XSS, website="javascript:alert(1)"
        ),
    )
    reference.commit()
    for url in (
        f"/organizations/{org.id}",
        f"/organizations/{org.id}/edit",
        "/organizations",
        "/search?q=script alert",
        "/",
    ):
        body = client.get(url).text
        assert XSS not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
    detail = parse(client.get(f"/organizations/{org.id}").text)
    assert not [a for a in detail.find_all("a") if a.attrs.get("href", "").startswith("javascript:")]


def test_missing_records_get_a_translated_404_page(client: TestClient, signed_in: Any) -> None:
    for url in (
        "/organizations/999999",
        "/people/999999",
        "/places/999999",
        "/organizations/abc",
        "/organizations/9223372036854775808",
        "/people/0",
        "/places/-1",
        "/soon/teleport",
        "/no-such-page",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        doc = parse(response.text)
        assert doc.find("h1").text == "Страница не найдена", url
        assert doc.find("nav", class_="sections")  # in the layout
    admin = signed_in("admin")
    for url in ("/organizations/999999/edit", "/people/999999/edit", "/no-such-page"):
        response = admin.get(url)
        assert response.status_code == 404, url
        # the reader is still shown as signed in, even on a page no route answered
        assert parse(response.text).find("form", class_="signout")
    english = parse(client.get("/organizations/999999?lang=en").text)
    assert english.find("h1").text == "Page not found"
    assert "organization no. 999999" in english.find("div", class_="error-card").text.lower()


def test_the_api_keeps_answering_json(client: TestClient) -> None:
    response = client.get("/api/v1/organizations/999999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    [
        "kind=spaceship",
        "tier=9",
        "tier=abc",
        "country=XX",
        "country=<b>",
        "illustrative=maybe",
        "offset=-5&limit=abc",
        "limit=100000",
        "q=" + "x" * 300,
        "unknown=1",
    ],
)
def test_bad_organization_filters_show_a_message_not_an_error(client: TestClient, query: str) -> None:
    response = client.get(f"/organizations?{query}")
    assert response.status_code == 200
    assert "<b>" not in response.text.split("<main", 1)[1]


def test_bad_filter_message_names_the_filter(client: TestClient) -> None:
    doc = parse(client.get("/organizations?kind=spaceship&country=RU").text)
    alert = doc.find("div", class_="alert-warn").text
    assert "«Вид»" in alert and "spaceship" in alert
    # the good part of the filter still applies
    assert all("Россия" in row.text for row in doc.find("tbody").find_all("tr"))


def test_bad_place_and_people_filters(client: TestClient) -> None:
    assert "alert-warn" in client.get("/places?kind=moon").text
    assert "alert-warn" in client.get("/places?country=QQ").text
    assert client.get("/people?organization_id=abc").status_code == 200
    for missing in ("999999", "9223372036854775808"):
        response = client.get(f"/people?organization_id={missing}")
        assert response.status_code == 200
        assert "Такой организации нет" in parse(response.text).find("div", class_="alert-warn").text


def test_filter_by_kind_shows_only_that_kind(client: TestClient, reference: Session) -> None:
    suppliers = service.list_organizations(
        session=reference, actor=SYSTEM, filters=OrganizationFilter(kind="supplier"), limit=1
    ).count
    doc = parse(client.get("/organizations?kind=supplier&limit=100").text)
    rows = doc.find("tbody").find_all("tr")
    assert len(rows) == suppliers
    assert all(row.find("span", class_="badge-kind").text == "Поставщик" for row in rows)


def test_pagination_moves_through_the_list(client: TestClient, reference: Session) -> None:
    total = service.list_organizations(
        session=reference, actor=SYSTEM, filters=OrganizationFilter(), limit=1
    ).count
    first = parse(client.get("/organizations?limit=10").text)
    assert len(first.find("tbody").find_all("tr")) == 10
    next_link = first.find("a", rel="next").attrs["href"]
    assert "offset=10" in next_link and "limit=10" in next_link
    second = parse(client.get(next_link).text)
    assert second.find("a", rel="prev")
    names_1 = {a.text for a in first.find_all("a", class_="row-title")}
    names_2 = {a.text for a in second.find_all("a", class_="row-title")}
    assert not names_1 & names_2
    assert f"из {total}" in second.find("span", class_="pager-info").text


def test_merged_organization_points_to_the_survivor(client: TestClient, reference: Session) -> None:
    survivor = organization_id(reference, "UzAuto Motors")
    duplicate = service.create_organization(
        session=reference,
        actor=SYSTEM,
        data=OrganizationCreate(kind="oem", names=[{"value": "Узавто Моторс дубль"}]),
    )
    reference.commit()
    merge.merge_organizations(session=reference, actor=SYSTEM, survivor_id=survivor, merged_id=duplicate.id)
    reference.commit()
    response = client.get(f"/organizations/{duplicate.id}")
    assert response.status_code == 200
    doc = parse(response.text)
    assert doc.find("a", href=f"/organizations/{survivor}")
    assert "объединена" in doc.find("h1").text


def test_pages_are_compressed_and_static_files_cached(client: TestClient) -> None:
    page = client.get("/organizations", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("content-encoding") == "gzip"
    css_url = parse(page.text).find("link", rel="stylesheet").attrs["href"]
    css = client.get(css_url)
    assert css.status_code == 200
    assert "immutable" in css.headers["cache-control"]
    api = client.get(
        "/api/v1/organizations", headers={"Accept-Encoding": "gzip", "Accept": "application/json"}
    )
    assert api.headers.get("content-encoding") is None


def test_pages_fetch_nothing_from_other_sites(signed_in: Any, reference: Session) -> None:
    client = signed_in("admin")
    org = organization_id(reference, "UzAuto Motors")
    for url in (
        "/",
        f"/organizations/{org}",
        f"/organizations/{org}/edit",
        "/account",
        "/admin/audit",
        "/admin/users",
        "/login",
    ):
        doc = parse(client.get(url).text)
        for el in doc.find_all("link") + doc.find_all("script") + doc.find_all("img"):
            src = el.attrs.get("href") or el.attrs.get("src") or ""
            assert not src.startswith(("http:", "https:", "//")), src
    css = client.get("/static/app.css").text
    assert "url(http" not in css and "@import" not in css


def test_an_unexpected_failure_shows_a_500_page_in_the_layout(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(service, "list_people", broken)
    response = client.get("/people?lang=en")
    assert response.status_code == 500
    doc = parse(response.text)
    assert doc.find("h1").text == "Something broke"
    assert "database on fire" not in response.text
    assert "database on fire" in caplog.text


def test_a_wrong_method_gets_a_page_too(client: TestClient) -> None:
    response = client.post("/organizations")
    assert response.status_code == 405
    assert parse(response.text).find("h1").text == "Так нельзя"


def test_illustrative_records_are_marked_and_can_be_listed_alone(
    client: TestClient, reference: Session
) -> None:
    org = service.create_organization(
        session=reference,
        actor=SYSTEM,
        data=OrganizationCreate(
            kind="supplier", tier=2, names=[{"value": "ООО «Пример»"}], illustrative=True
        ),
    )
    reference.commit()
    dashboard = parse(client.get("/").text)
    link = dashboard.find("a", href="/organizations?illustrative=true")
    assert "1 организация" in link.text
    listing = parse(client.get(link.attrs["href"]).text)
    rows = listing.find("tbody").find_all("tr")
    assert len(rows) == 1 and rows[0].find("span", class_="badge-warn")
    assert "только иллюстративные" in listing.find("form", class_="filters").text
    detail = parse(client.get(f"/organizations/{org.id}").text)
    assert "Иллюстративные данные" in detail.find("div", class_="note-warn").text
    hits = parse(client.get("/search", params={"q": "Пример"}).text)
    assert hits.find("li", class_="hit").find("span", class_="badge-warn")
