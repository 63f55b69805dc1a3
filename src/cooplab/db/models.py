"""Imports every domain's tables so that Base.metadata knows the whole schema."""

from cooplab.db.base import Base
from cooplab.registry import models as registry_models  # noqa: F401

metadata = Base.metadata
