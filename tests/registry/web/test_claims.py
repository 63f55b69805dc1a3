"""The analysts' page of claimed numbers: a member's number set through the edit form is shown
unverified on the organization page and listed for analysts, who verify or reject it there."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cooplab.core.actor import SYSTEM
from cooplab.registry import service
from cooplab.registry.schemas import OrganizationCreate
from tests.html import parse
from tests.registry.web.test_forms import edit_form
from tests.webkit import csrf_of, organization_id

GAZPROM_INN = "7736050003"


def claim_rows(doc: Any) -> list[Any]:
    return [tr for tr in doc.find_all("tr") if tr.attrs.get("id", "").startswith("claim-")]


def test_a_member_claims_a_number_and_an_analyst_settles_it_on_the_page(
    signed_in: Any, reference: Session
) -> None:
    member, analyst = signed_in("member"), signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(member, org_id)
    data["inn"] = GAZPROM_INN
    assert member.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    page = parse(member.get(f"/organizations/{org_id}").text)
    assert "не подтверждён" in page.find("section", **{"aria-labelledby": "facts-title"}).text

    # the real record is created with the number all the same
    gazprom = service.create_organization(
        session=reference,
        actor=SYSTEM,
        data=OrganizationCreate.model_validate(
            {
                "names": [{"value": "Газпром"}],
                "kind": "other",
                "identifiers": [{"scheme": "inn", "value": GAZPROM_INN}],
            }
        ),
    )
    reference.commit()

    assert member.get("/identifiers/claims").status_code == 403
    listing = analyst.get("/identifiers/claims")
    assert listing.status_code == 200
    doc = parse(listing.text)
    (row,) = claim_rows(doc)
    assert GAZPROM_INN in row.text and "конфликт" in row.text and "Газпром" in row.text
    claim_id = int(row.attrs["id"].removeprefix("claim-"))

    token = csrf_of(analyst, "/identifiers/claims")
    refused = analyst.post(f"/identifiers/{claim_id}/verify", data={"csrf_token": token})
    assert refused.status_code == 409
    assert f"№ {gazprom.id}" in parse(refused.text).find("div", class_="alert-error").text
    english = analyst.post(f"/identifiers/{claim_id}/verify?lang=en", data={"csrf_token": token})
    assert "already belongs to another organization" in english.text

    assert (
        member.post(f"/identifiers/{claim_id}/reject", data={"csrf_token": csrf_of(member, "/")}).status_code
        == 403
    )
    done = analyst.post(f"/identifiers/{claim_id}/reject", data={"csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/identifiers/claims"
    after = parse(analyst.get("/identifiers/claims").text)
    assert (
        after.find("div", class_="flash").text == "Claim rejected: the number was removed."
    )  # the reader chose English above
    assert "No claimed numbers wait for verification." in after.text
    assert GAZPROM_INN not in member.get(f"/organizations/{org_id}").text


def test_a_claim_without_rival_is_verified_from_the_page(signed_in: Any, reference: Session) -> None:
    member, analyst = signed_in("member"), signed_in("analyst")
    org_id = organization_id(reference, "UzAuto Motors")
    data = edit_form(member, org_id)
    data["inn"] = GAZPROM_INN
    assert member.post(f"/organizations/{org_id}/edit", data=data).status_code == 303
    row = claim_rows(parse(analyst.get("/identifiers/claims?lang=en").text))[0]
    assert "conflict" not in row.text
    claim_id = int(row.attrs["id"].removeprefix("claim-"))
    done = analyst.post(
        f"/identifiers/{claim_id}/verify", data={"csrf_token": csrf_of(analyst, "/identifiers/claims")}
    )
    assert done.status_code == 303
    assert "не подтверждён" not in member.get(f"/organizations/{org_id}").text
