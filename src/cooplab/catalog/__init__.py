"""Catalog: commodity codes, vehicles, their bills of materials, sourcing and supplier inputs."""

from cooplab.core.domain import Domain

DOMAIN = Domain(
    name="catalog",
    summary="vehicles, their bills of materials, sourcing, supplier inputs and rates",
    audit_values={("visibility", None): "visibility."},
    demo="service:load_demo",
)
