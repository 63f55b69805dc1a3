"""Feasibility: landed cost of a part by route, mode and customs regime, and the investment
economics of producing it locally.

- `routes`: places, legs, tariffs and the plan of a route (distance, days, cost per shipment);
- `incoterms`, `customs`: what the seller's price covers, and the duty of an import;
- `components`: the landed-cost components, calculators of the family `landed_cost_component`;
- `landed_cost`: one option's landed cost per unit with its breakdown (`landed_cost`);
- `batch`: many part × route options at once, vectorised;
- `indicators`, `investment`: NPV, IRR, MIRR, payback; the model of local production;
- `schemas`, `files`: what a user gives (the YAML and XLSX files, the API's JSON) and is answered;
- `service`, `cli`, `api`, `web`: the computation for an actor, and its surfaces.

Feasibility stores nothing: every answer is computed from what the user gives.
"""

from cooplab.core.domain import Domain, NavEntry

DOMAIN = Domain(
    name="feasibility",
    summary="landed cost by route, mode and customs regime; the investment economics of local production",
    navigation=(NavEntry("analysis", "feasibility", "/feasibility"),),
)
