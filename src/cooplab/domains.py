"""The domain registry: the platform's domains, one line each, in the order their routes and
commands are listed. Each declares its parts in its own package (`DOMAIN`, cooplab.core.domain); adding a
domain is its folder plus one line here (docs/development/adding-a-domain.md)."""

from cooplab import accounts, catalog, engagements, feasibility, ingest, localization, matching, registry
from cooplab.core.domain import register

DOMAINS = register(
    registry.DOMAIN,
    accounts.DOMAIN,
    engagements.DOMAIN,
    ingest.DOMAIN,
    catalog.DOMAIN,
    localization.DOMAIN,
    feasibility.DOMAIN,
    matching.DOMAIN,
)
