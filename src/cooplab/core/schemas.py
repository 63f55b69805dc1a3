"""Shapes every domain's schemas build on: strict input, a page of records, a record id."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cooplab.errors import CodedValueError

T = TypeVar("T")
MAX_ID = 2_147_483_647
#: A record id: positive and within a 32-bit integer, on every database.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    """Input from outside: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ListPublic(BaseModel, Generic[T]):
    """A page of records and the count of all records that match."""

    data: list[T]
    count: int


def check_period(start: date | None, end: date | None) -> None:
    """A period ends on or after its start."""
    if start and end and end < start:
        raise CodedValueError("end_before_start", "end is before start")


class Period(Strict):
    """Input with a `start` and an `end` date (either may be empty); the end is not before the start."""

    @model_validator(mode="after")
    def _order(self) -> Any:
        check_period(getattr(self, "start", None), getattr(self, "end", None))
        return self
