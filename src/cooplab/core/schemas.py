"""Shapes every domain's schemas build on: strict input, a page of records, a record id."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from cooplab.errors import CodedValueError

T = TypeVar("T")
MAX_ID = 2_147_483_647
#: A record id: positive and within a 32-bit integer, on every database.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


def holds_nul(value: Any) -> bool:
    """Whether a text, or a text in a list of them, holds a NUL character (U+0000); records
    within (mappings) are checked by their own schema, which names the field deeper."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_nul(v) for v in value)
    return False


class Strict(BaseModel):
    """Input from outside: unknown fields are refused, text is trimmed, and no text holds a NUL
    character (no column takes one), refused next to its field like any invalid value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # one look at the whole input (its repr shows a NUL as \x00), the fields only when it holds one
        if isinstance(data, dict) and "\\x00" in repr(data):
            bad = [key for key, value in data.items() if holds_nul(value)]
            if bad:
                raise ValidationError.from_exception_data(
                    cls.__name__,
                    [
                        InitErrorDetails(
                            type=PydanticCustomError("nul_character", "contains a NUL character"),
                            loc=(key,),
                            input=data[key],
                        )
                        for key in bad
                    ],
                )
        return data


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
