"""Catalog: commodity codes, vehicles, their bills of materials, sourcing and supplier inputs."""

from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="catalog",
    summary="vehicles, their bills of materials, sourcing, supplier inputs and rates",
    navigation=(NavEntry("catalog", "vehicles", "/vehicles"),),
    audit_values={("visibility", None): "visibility."},
    demo="service:load_demo",
)
