"""Registry: organizations, their names, identifiers, owners, members and sites; people and
their positions; places; the sources of every fact; notes about organizations."""

from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="registry",
    summary="organizations, people, places and the sources of their facts",
    navigation=(
        NavEntry("registry", "organizations", "/organizations"),
        NavEntry("registry", "people", "/people"),
        NavEntry("registry", "places", "/places"),
    ),
    audit_values={
        ("kind", "organizations"): "kind.",
        ("kind", "organization_names"): "namekind.",
        ("kind", "places"): "placekind.",
        ("lang", None): "lang.",
        ("script", None): "script.",
        ("visibility", None): "visibility.",
    },
    demo="reference:load_demo",
    citable={
        "organization": "Organization",
        "person": "Person",
        "place": "Place",
        "ownership": "Ownership",
        "membership": "Membership",
        "position": "Position",
        "site": "Site",
        "identifier": "Identifier",
    },
)
