"""Engagements: missions, their events (visits, meetings, signings), agreements and next steps,
and the mission report written from them."""

from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="engagements",
    summary="missions, events, agreements and next steps",
    navigation=(
        NavEntry("cooperation", "missions", "/missions"),
        NavEntry("cooperation", "steps", "/steps"),
    ),
    audit_values={("visibility", None): "visibility."},
    organization_section="web:organization_timeline",
    search="service:search_engagements",
    home_section="home:home_section",
)
