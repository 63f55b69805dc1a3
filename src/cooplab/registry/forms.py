"""The registry's edit forms: a record's fields as the form shows them, and a posted form as the
payload of the services' schemas, with each error's location mapped back to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.datastructures import FormData

from cooplab.core.web.forms import Loc, blank_to_none, form_rows, split_values
from cooplab.registry.schemas import OrganizationPublic, PersonPublic, PlacePublic
from cooplab.vocab.choices import IdentifierScheme

FieldOf = Callable[[Loc, str], "str | None"]

ORGANIZATION_FIELDS = ("kind", "tier", "country", "head_office_id", "website", "description", "illustrative")
SCHEMES = tuple(s.value for s in IdentifierScheme)
ORGANIZATION_NAME_FIELDS = ("value", "lang", "kind")
PERSON_NAME_FIELDS = ("value", "lang")
POSITION_FIELDS = ("title", "title_en", "organization_id", "start", "end")
PLACE_FIELDS = ("kind", "country", "parent_id", "latitude", "longitude", "geonames_id")
PLACE_NAME_FIELDS = ORGANIZATION_NAME_FIELDS
#: The fields of each link an organization's links page adds, the source of the fact last.
LINK_FIELDS = {
    "site": ("place_id", "description", "source_id"),
    "ownership": ("owner_id", "share", "start", "end", "source_id"),
    "membership": ("group_id", "start", "end", "source_id"),
}

#: What may change of a link once recorded (`registry.service.update_link`).
LINK_CHANGE_FIELDS = {
    "site": ("description",),
    "ownership": ("share", "start", "end"),
    "membership": ("start", "end"),
}


def _checked(form: FormData, name: str) -> bool:
    return form.get(name) in {"on", "true", "1"}


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, "") or "").strip()


# ---------------------------------------------------------------- organizations


def organization_values(org: OrganizationPublic | None) -> dict[str, Any]:
    """The form's fields for an organization as stored (empty for a new one)."""
    if org is None:
        return {
            "kind": "",
            "tier": "",
            "country": "",
            "head_office_id": "",
            "website": "",
            "description": "",
            "illustrative": False,
            "names": [],
            **dict.fromkeys(SCHEMES, ""),
        }
    values: dict[str, Any] = {
        "version": org.version,
        "kind": org.kind,
        "tier": org.tier or "",
        "country": org.country or "",
        "head_office_id": org.head_office.id if org.head_office else "",
        "website": org.website or "",
        "description": org.description or "",
        "illustrative": org.illustrative,
        "names": [{"value": n.value, "lang": n.lang or "", "kind": n.kind} for n in org.names],
    }
    for scheme in SCHEMES:
        values[scheme] = ", ".join(i.value for i in org.identifiers if i.scheme == scheme)
    return values


def read_organization_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], FieldOf]:
    """(values to show again, payload for the schema, field_of: error location -> form field)."""
    values: dict[str, Any] = {name: _text(form, name) for name in ORGANIZATION_FIELDS}
    values["illustrative"] = _checked(form, "illustrative")
    values["version"] = _text(form, "version")
    # rows left empty are dropped here, so error locations match the rows shown again
    values["names"] = [row for row in form_rows(form, "names", ORGANIZATION_NAME_FIELDS) if row["value"]]
    payload: dict[str, Any] = {name: blank_to_none(values[name]) for name in ORGANIZATION_FIELDS}
    payload["illustrative"] = values["illustrative"]
    payload["version"] = values["version"] or None
    payload["names"] = [
        {"value": row["value"], "lang": row["lang"] or None, "kind": row["kind"] or "official"}
        for row in values["names"]
    ]
    identifiers, ident_fields = [], []
    for scheme in SCHEMES:
        values[scheme] = _text(form, scheme)
        for value in split_values(values[scheme]):
            identifiers.append({"scheme": scheme, "value": value})
            ident_fields.append(scheme)
    payload["identifiers"] = identifiers

    def field_of(loc: Loc, msg: str) -> str | None:
        if not loc:
            return "tier" if "tier" in msg else None
        head = loc[0]
        if head == "names":
            if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(values["names"]):
                return "names"
            sub = loc[2] if len(loc) > 2 and loc[2] in ORGANIZATION_NAME_FIELDS else "value"
            return f"names-{loc[1]}-{sub}"
        if head == "identifiers":
            if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(ident_fields):
                return "inn"
            return ident_fields[int(loc[1])]
        return head if head in ORGANIZATION_FIELDS else None

    return values, payload, field_of


# ---------------------------------------------------------------- people


def person_values(person: PersonPublic) -> dict[str, Any]:
    """The form's fields for a person as stored."""
    return {
        "version": person.version,
        "illustrative": person.illustrative,
        "names": [{"value": n.value, "lang": n.lang or ""} for n in person.names],
        "positions": [
            {
                "title": p.title,
                "title_en": p.title_en or "",
                "organization_id": p.organization.id if p.organization else "",
                "start": p.start.isoformat() if p.start else "",
                "end": p.end.isoformat() if p.end else "",
            }
            for p in person.positions
        ],
    }


def read_person_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], FieldOf]:
    """(values to show again, payload for the schema, field_of: error location -> form field)."""
    values: dict[str, Any] = {
        "version": _text(form, "version"),
        "illustrative": _checked(form, "illustrative"),
        # rows left empty are dropped here, so error locations match the rows shown again
        "names": [row for row in form_rows(form, "names", PERSON_NAME_FIELDS) if row["value"]],
        "positions": [row for row in form_rows(form, "positions", POSITION_FIELDS) if any(row.values())],
    }
    payload = {
        "version": values["version"] or None,
        "illustrative": values["illustrative"],
        "names": [{"value": row["value"], "lang": row["lang"] or None} for row in values["names"]],
        "positions": [{k: blank_to_none(v) for k, v in row.items()} for row in values["positions"]],
    }

    def field_of(loc: Loc, msg: str) -> str | None:
        if not loc or loc[0] not in ("names", "positions"):
            return None
        if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(values[loc[0]]):
            return loc[0]
        fields, default = (PERSON_NAME_FIELDS, "value") if loc[0] == "names" else (POSITION_FIELDS, "title")
        sub = loc[2] if len(loc) > 2 and loc[2] in fields else ("end" if "end" in msg else default)
        return f"{loc[0]}-{loc[1]}-{sub}"

    return values, payload, field_of


# ---------------------------------------------------------------- places


def place_values(place: PlacePublic | None) -> dict[str, Any]:
    """The form's fields for a place as stored (empty for a new one)."""
    if place is None:
        return {**dict.fromkeys(PLACE_FIELDS, ""), "kind": "city", "illustrative": False, "names": []}

    def shown(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "version": place.version,
        "kind": place.kind,
        "country": place.country,
        "parent_id": shown(place.parent_id),
        "latitude": shown(place.latitude),
        "longitude": shown(place.longitude),
        "geonames_id": shown(place.geonames_id),
        "illustrative": place.illustrative,
        "names": [{"value": n.value, "lang": n.lang or "", "kind": n.kind} for n in place.names],
    }


def read_place_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], FieldOf]:
    """(values to show again, payload for the schema, field_of: error location -> form field).
    Fields left empty are sent as None, so an edit can clear them."""
    values: dict[str, Any] = {name: _text(form, name) for name in PLACE_FIELDS}
    values["illustrative"] = _checked(form, "illustrative")
    values["version"] = _text(form, "version")
    values["names"] = [row for row in form_rows(form, "names", PLACE_NAME_FIELDS) if row["value"]]
    payload: dict[str, Any] = {name: blank_to_none(values[name]) for name in PLACE_FIELDS}
    payload["kind"] = payload["kind"] or "city"
    payload["illustrative"] = values["illustrative"]
    payload["version"] = values["version"] or None
    payload["names"] = [
        {"value": row["value"], "lang": row["lang"] or None, "kind": row["kind"] or "official"}
        for row in values["names"]
    ]

    def field_of(loc: Loc, msg: str) -> str | None:
        if not loc:
            return None
        if loc[0] == "names":
            if len(loc) < 2 or not loc[1].isdigit() or int(loc[1]) >= len(values["names"]):
                return "names"
            sub = loc[2] if len(loc) > 2 and loc[2] in PLACE_NAME_FIELDS else "value"
            return f"names-{loc[1]}-{sub}"
        return loc[0] if loc[0] in PLACE_FIELDS else None

    return values, payload, field_of


# ---------------------------------------------------------------- links of an organization


def read_link_form(form: FormData, kind: str) -> tuple[dict[str, str], dict[str, Any], FieldOf]:
    """One link (site, owner, group) typed on the links page: (values to show again, payload of
    the link's schema without the organization itself, field_of). Its fields are named
    `<kind>-<field>`, so the three forms of the page keep their errors apart."""
    fields = LINK_FIELDS[kind]
    values = {name: _text(form, f"{kind}-{name}") for name in fields}
    # a field left empty is not sent: a required one is then told as missing, not as mistyped
    payload = {name: values[name] for name in fields if name != "source_id" and values[name]}
    if payload.get("share"):  # "25,5" as Russian is written
        payload["share"] = payload["share"].replace(",", ".").replace("\u00a0", "").replace(" ", "")

    def field_of(loc: Loc, msg: str) -> str | None:
        if loc and loc[0] in fields:
            return f"{kind}-{loc[0]}"
        if loc and loc[0] in ("member_id", "owned_id"):  # the organization itself: a self-link
            return f"{kind}-{fields[0]}"
        return f"{kind}-end" if "end" in msg and "end" in fields else None

    return values, payload, field_of


def read_link_change(form: FormData, kind: str) -> tuple[dict[str, str], dict[str, Any], FieldOf]:
    """The change of one link typed on its edit page, fields named as on the links page: (values
    to show again, the change with every field it may change (one left empty is cleared), field_of)."""
    values, payload, field_of = read_link_form(form, kind)
    fields = LINK_CHANGE_FIELDS[kind]
    return {k: values[k] for k in fields}, {k: payload.get(k) for k in fields}, field_of
