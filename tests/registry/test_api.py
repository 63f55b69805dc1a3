"""The registry's REST API end to end on a real database: CRUD, search, filters, errors."""

import pytest


def org(client, name="UzAuto Motors", **fields):
    body = {"names": [{"value": name}], "kind": "oem", **fields}
    response = client.post("/api/v1/organizations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


def test_create_read_update_delete(client):
    created = (
        org(client, names=None)
        if False
        else org(
            client, "UzAuto Motors", country="UZ", identifiers=[{"scheme": "stir", "value": "200 000 001"}]
        )
    )
    assert created["identifiers"][0]["value"] == "200000001"
    read = client.get(f"/api/v1/organizations/{created['id']}").json()
    assert read["name"] == "UzAuto Motors" and read["version"] == 1
    patch = client.patch(
        f"/api/v1/organizations/{created['id']}",
        json={
            "version": 1,
            "website": "https://example.uz",
            "names": [{"value": "UzAuto Motors"}, {"value": "УзАвто Моторс", "lang": "ru"}],
        },
    )
    assert patch.status_code == 200, patch.text
    assert patch.json()["version"] == 2
    assert {n["value"] for n in patch.json()["names"]} == {"UzAuto Motors", "УзАвто Моторс"}
    assert client.delete(f"/api/v1/organizations/{created['id']}").status_code == 204
    assert_error(client.get(f"/api/v1/organizations/{created['id']}"), 404, "not_found")


def test_edit_on_an_old_version_is_refused_and_nothing_is_lost(client):
    o = org(client)
    first = client.patch(f"/api/v1/organizations/{o['id']}", json={"version": 1, "website": "https://a.uz"})
    assert first.status_code == 200
    second = client.patch(f"/api/v1/organizations/{o['id']}", json={"version": 1, "website": "https://b.uz"})
    assert_error(second, 409, "stale_version")
    assert client.get(f"/api/v1/organizations/{o['id']}").json()["website"] == "https://a.uz"


def test_invalid_input_names_each_field(client):
    response = client.post(
        "/api/v1/organizations",
        json={
            "names": [{"value": "  "}],
            "kind": "factory",
            "country": "XX",
            "identifiers": [{"scheme": "inn", "value": "7707083894"}],
        },
    )
    error = assert_error(response, 422, "invalid_input")
    locs = {".".join(d["loc"][1:]) for d in error["details"]}
    assert {"names.0.value", "kind", "country", "identifiers.0"} <= locs
    assert client.get("/api/v1/organizations").json()["count"] == 0


def test_duplicate_identifier_is_a_conflict(client):
    org(client, "A", identifiers=[{"scheme": "inn", "value": "7707083893"}])
    response = client.post(
        "/api/v1/organizations",
        json={
            "names": [{"value": "B"}],
            "kind": "oem",
            "identifiers": [{"scheme": "inn", "value": "7707083893"}],
        },
    )
    assert_error(response, 409, "conflict")


def test_tier_only_for_suppliers(client):
    response = client.post(
        "/api/v1/organizations", json={"names": [{"value": "X"}], "kind": "oem", "tier": 1}
    )
    assert_error(response, 422, "invalid_input")


def test_list_filters_paginate_and_search(client):
    for i in range(5):
        org(client, f"Supplier {i}", kind="supplier", tier=1 + i % 2, country="UZ")
    org(client, "Кластер автомобильной промышленности", kind="association", country="RU")
    page = client.get("/api/v1/organizations?kind=supplier&tier=1&limit=2").json()
    assert page["count"] == 3 and len(page["data"]) == 2
    rest = client.get("/api/v1/organizations?kind=supplier&tier=1&limit=2&offset=2").json()
    assert [o["name"] for o in page["data"] + rest["data"]] == ["Supplier 0", "Supplier 2", "Supplier 4"]
    assert client.get("/api/v1/organizations?kind=supplier&offset=9").json() == {"data": [], "count": 5}
    everything = [o["name"] for o in client.get("/api/v1/organizations?limit=3&offset=3").json()["data"]]
    assert everything == ["Supplier 3", "Supplier 4", "Кластер автомобильной промышленности"]  # by name
    ru = client.get("/api/v1/organizations?country=RU&q=klaster").json()
    assert [o["name"] for o in ru["data"]] == ["Кластер автомобильной промышленности"]
    hits = client.get("/api/v1/search", params={"q": "Kластер автомобилной"}).json()["data"]
    assert hits[0]["name"] == "Кластер автомобильной промышленности"


@pytest.mark.parametrize(
    "query", ["kind=factory", "tier=7", "limit=0", "offset=-1", "colour=red", "limit=abc"]
)
def test_bad_query_parameters(client, query):
    assert_error(client.get(f"/api/v1/organizations?{query}"), 422, "invalid_input")


def test_unknown_route_and_method_have_the_error_shape(client):
    assert_error(client.get("/api/v1/nothing"), 404, "not_found")
    assert_error(client.put("/api/v1/organizations"), 405, "method_not_allowed")


def test_relations_sources_and_people(client):
    holding = org(client, "Uzavtosanoat", kind="holding", country="UZ")
    jv = org(client, "Uz-Tong Hong Co", kind="supplier", tier=1, country="UZ")
    place = client.post(
        "/api/v1/places",
        json={
            "names": [{"value": "Андижан", "lang": "ru"}, {"value": "Andijan", "lang": "en"}],
            "country": "UZ",
            "latitude": 40.78338,
            "longitude": 72.35067,
            "geonames_id": 1514588,
        },
    ).json()
    share = client.post(
        "/api/v1/ownerships", json={"owner_id": holding["id"], "owned_id": jv["id"], "share": "50"}
    )
    assert share.status_code == 201
    assert (
        client.post(f"/api/v1/organizations/{jv['id']}/sites", json={"place_id": place["id"]}).status_code
        == 201
    )
    source = client.post("/api/v1/sources", json={"title": "HR portal", "as_of": "2019-01-01"}).json()
    cited = client.post(
        f"/api/v1/ownerships/{share.json()['id']}/citations",
        json={"source_id": source["id"], "field": "share"},
    )
    assert cited.status_code == 201
    detail = client.get(f"/api/v1/organizations/{jv['id']}").json()
    assert detail["owners"][0]["owner"]["name"] == "Uzavtosanoat" and detail["owners"][0]["share"] == "50.00"
    assert detail["sites"][0]["place"]["name"] == "Андижан"
    assert detail["citations"][0]["source"]["title"] == "HR portal"
    person = client.post(
        "/api/v1/people",
        json={
            "names": [{"value": "Андрей Крайнов", "lang": "ru"}],
            "positions": [
                {"title": "генеральный директор", "organization_id": holding["id"], "start": "2022-08-25"}
            ],
        },
    )
    assert person.status_code == 201
    assert (
        client.get(f"/api/v1/organizations/{holding['id']}").json()["people"][0]["person"]["name"]
        == "Андрей Крайнов"
    )
    bad = client.post("/api/v1/ownerships", json={"owner_id": jv["id"], "owned_id": jv["id"], "share": "50"})
    assert_error(bad, 422, "invalid_input")
    over = client.post(
        "/api/v1/ownerships", json={"owner_id": holding["id"], "owned_id": jv["id"], "share": "150"}
    )
    assert_error(over, 422, "invalid_input")
    link = f"/api/v1/ownerships/{share.json()['id']}"
    changed = client.patch(link, json={"share": "60", "start": "2020-01-01"})
    assert changed.status_code == 200 and changed.json()["share"] == "60.00"
    assert client.patch(link, json={"end": "2024-12-31"}).json()["share"] == "60.00"  # the others stay
    backwards = client.patch(link, json={"end": "2019-12-31"})
    assert_error(backwards, 422, "invalid_input")
    assert client.patch(link, json={"owner_id": jv["id"]}).status_code == 422  # who owns stays
    site = client.get(f"/api/v1/organizations/{jv['id']}").json()["sites"][0]
    described = client.patch(f"/api/v1/sites/{site['id']}", json={"description": "сборка сидений"})
    assert described.status_code == 200 and described.json()["description"] == "сборка сидений"
    assert client.patch("/api/v1/memberships/999999", json={"start": "2020-01-01"}).status_code == 404
    place_detail = client.get(f"/api/v1/places/{place['id']}").json()
    assert place_detail["organizations"][0]["name"] == "Uz-Tong Hong Co"


def test_detail_holds_every_list_with_its_types_and_order(client):
    """The detail is read in one statement with JSON columns: dates, shares, flags and the order
    of every list must come out as the records hold them, on either database."""
    cluster = org(client, "Кластер автопрома", kind="association", country="RU")
    holding = org(client, "Uzavtosanoat", kind="holding", country="UZ")
    jv = org(
        client,
        "Uz-Tong Hong Co",
        kind="supplier",
        tier=1,
        country="UZ",
        names=[{"value": "Uz-Tong Hong Co"}, {"value": "Уз-Тонг Хонг", "lang": "ru"}],
        identifiers=[{"scheme": "stir", "value": "200000001"}],
    )
    other = org(client, "Other", kind="supplier")
    place = client.post(
        "/api/v1/places", json={"names": [{"value": "Андижан", "lang": "ru"}], "country": "UZ"}
    ).json()
    share = client.post(
        "/api/v1/ownerships",
        json={"owner_id": holding["id"], "owned_id": jv["id"], "share": "12.5", "start": "2019-03-01"},
    ).json()
    held = client.post(
        "/api/v1/ownerships", json={"owner_id": jv["id"], "owned_id": other["id"], "share": "100"}
    ).json()
    member = client.post(
        "/api/v1/memberships", json={"member_id": jv["id"], "group_id": cluster["id"], "start": "2023-05-17"}
    ).json()
    site = client.post(f"/api/v1/organizations/{jv['id']}/sites", json={"place_id": place["id"]}).json()
    for title, start in (("директор", "2020-01-01"), ("эксперт", None), ("председатель", "2023-06-30")):
        client.post(
            "/api/v1/people",
            json={
                "names": [{"value": f"Person {title}"}],
                "positions": [{"title": title, "organization_id": jv["id"], "start": start}],
            },
        )
    source = client.post("/api/v1/sources", json={"title": "Report", "published": "2024-03-05"}).json()
    detail = client.get(f"/api/v1/organizations/{jv['id']}").json()
    position_id = detail["people"][0]["position"]["id"]
    cited = [
        ("organizations", jv["id"]),
        ("ownerships", share["id"]),
        ("memberships", member["id"]),
        ("sites", site["id"]),
        ("positions", position_id),
    ]
    for subject, subject_id in cited:
        response = client.post(f"/api/v1/{subject}/{subject_id}/citations", json={"source_id": source["id"]})
        assert response.status_code == 201, response.text
    client.post(
        f"/api/v1/organizations/{cluster['id']}/citations", json={"source_id": source["id"]}
    )  # not jv's

    detail = client.get(f"/api/v1/organizations/{jv['id']}").json()
    assert [n["value"] for n in detail["names"]] == ["Uz-Tong Hong Co", "Уз-Тонг Хонг"]
    assert detail["names"][1]["lang"] == "ru" and detail["names"][1]["script"] == "cyrillic"
    assert [(i["scheme"], i["value"]) for i in detail["identifiers"]] == [("stir", "200000001")]
    assert detail["illustrative"] is False and detail["tier"] == 1
    assert detail["owners"] == [
        {
            "id": share["id"],
            "share": "12.50",
            "start": "2019-03-01",
            "end": None,
            "owner": {"id": holding["id"], "name": "Uzavtosanoat", "kind": "holding", "country": "UZ"},
            "owned": {"id": jv["id"], "name": "Uz-Tong Hong Co", "kind": "supplier", "country": "UZ"},
        }
    ]
    assert [(h["owned"]["name"], h["share"]) for h in detail["holdings"]] == [("Other", "100.00")]
    assert detail["groups"] == [
        {
            "id": member["id"],
            "start": "2023-05-17",
            "end": None,
            "member": detail["owners"][0]["owned"],
            "group": {
                "id": cluster["id"],
                "name": "Кластер автопрома",
                "kind": "association",
                "country": "RU",
            },
        }
    ]
    assert detail["members"] == []
    assert detail["sites"] == [
        {
            "id": site["id"],
            "description": None,
            "place": {"id": place["id"], "name": "Андижан", "country": "UZ"},
        }
    ]
    assert [(p["position"]["title"], p["position"]["start"]) for p in detail["people"]] == [
        ("председатель", "2023-06-30"),
        ("директор", "2020-01-01"),
        ("эксперт", None),
    ]  # latest first, unknown last
    assert detail["people"][0]["position"]["organization"]["id"] == jv["id"]
    assert [(c["subject_type"], c["subject_id"]) for c in detail["citations"]] == [
        (subject[:-1], subject_id) for subject, subject_id in cited
    ]
    assert detail["citations"][0]["source"] == {
        "id": source["id"],
        "title": "Report",
        "url": None,
        "published": "2024-03-05",
        "as_of": None,
    }
    assert held["share"] == "100.00"


def test_merge_and_unmerge_over_the_api(client):
    a = org(client, "UzAuto Motors", country="UZ")
    b = org(client, "УзАвто Моторс", identifiers=[{"scheme": "stir", "value": "200000001"}])
    pairs = client.get("/api/v1/duplicates").json()["data"]
    assert {pairs[0]["a"]["id"], pairs[0]["b"]["id"]} == {a["id"], b["id"]}
    merged = client.post("/api/v1/merges", json={"survivor_id": a["id"], "merged_id": b["id"]}).json()
    survivor = client.get(f"/api/v1/organizations/{a['id']}").json()
    assert {n["value"] for n in survivor["names"]} == {"UzAuto Motors", "УзАвто Моторс"}
    assert survivor["identifiers"][0]["value"] == "200000001"
    gone = assert_error(client.get(f"/api/v1/organizations/{b['id']}"), 404, "merged")
    assert gone["details"][0]["merged_into_id"] == a["id"]
    restored = client.post(f"/api/v1/merges/{merged['id']}/undo")
    assert restored.status_code == 200
    assert restored.json()["identifiers"][0]["value"] == "200000001"
    assert [n["value"] for n in client.get(f"/api/v1/organizations/{a['id']}").json()["names"]] == [
        "UzAuto Motors"
    ]


def test_openapi_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organizations" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_spreadsheet_upload_and_download(client):
    good = b"name,kind,country\nUz-Koram Co,supplier,UZ\n"
    response = client.post("/api/v1/import/org", files={"file": ("orgs.csv", good, "text/csv")})
    assert response.status_code == 200 and response.json()["created"] == 1
    bad = b"name,kind,country\nX,factory,UZ\nY,oem,ZZ\n"
    error = assert_error(
        client.post("/api/v1/import/org", files={"file": ("bad.csv", bad, "text/csv")}), 422, "invalid_file"
    )
    assert [d["loc"] for d in error["details"]] == [["bad.csv", 2, "kind"], ["bad.csv", 3, "country"]]
    assert client.get("/api/v1/organizations").json()["count"] == 1
    exported = client.get("/api/v1/export/org?format=csv")
    assert exported.status_code == 200 and "Uz-Koram Co" in exported.content.decode("utf-8-sig")
    assert_error(client.get("/api/v1/export/org?format=pdf"), 422, "invalid_input")


def test_api_import_writes_audit_entries_in_the_users_name(client):
    sheet = b"name,kind,country\nUz-Koram Co,supplier,UZ\n"
    assert (
        client.post("/api/v1/import/org", files={"file": ("orgs.csv", sheet, "text/csv")}).status_code == 200
    )
    (org,) = client.get("/api/v1/organizations").json()["data"]
    created = client.get(f"/api/v1/audit?entity_type=organizations&entity_id={org['id']}").json()["data"]
    (imported,) = client.get("/api/v1/audit?action=import").json()["data"]
    assert [e["action"] for e in created] == ["create"]
    assert created[0]["actor"] == imported["actor"] != "system"
    assert imported["after"]["created"] == 1
