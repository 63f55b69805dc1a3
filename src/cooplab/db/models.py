"""Imports every domain's tables so that Base.metadata knows the whole schema, the audit
hooks so that every session records its writes, and the registry stamps that move with them."""

from cooplab.accounts import audit as _audit  # noqa: F401
from cooplab.accounts import models as accounts_models  # noqa: F401
from cooplab.db.base import Base
from cooplab.engagements import models as engagements_models  # noqa: F401
from cooplab.ingest import models as ingest_models  # noqa: F401
from cooplab.registry import models as registry_models  # noqa: F401
from cooplab.registry import revision as _revision  # noqa: F401

metadata = Base.metadata
