"""Shapes every domain's schemas build on: strict input, a page of records, a record id, a date."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from cooplab.errors import CodedValueError

T = TypeVar("T")
MAX_ID = 2_147_483_647
#: A record id: positive and within a 32-bit integer, on every database.
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def _iso_text(value: Any, pattern: re.Pattern[str], code: str, message: str) -> Any:
    """A date as written from outside must be an ISO 8601 text: a number, a boolean or "0" is
    refused, where the lax reading would take it for seconds since 1970. Dates the program made
    itself (the CLI's, a spreadsheet cell's) pass as they are."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and pattern.fullmatch(value):
        return value
    raise PydanticCustomError(code, message)


def _iso_date(value: Any) -> Any:
    return _iso_text(value, _ISO_DATE, "date", "not a date as YYYY-MM-DD (ISO 8601)")


def _iso_datetime(value: Any) -> Any:
    return _iso_text(value, _ISO_DATETIME, "datetime", "not a moment as YYYY-MM-DDTHH:MM:SS (ISO 8601)")


#: A day from outside: only the text YYYY-MM-DD (ISO 8601, JSON Schema's `date`).
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
#: A moment from outside: only an ISO 8601 text (a day alone is its midnight).
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


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


class ListWithHidden(ListPublic[T], Generic[T]):
    """A page of confidential records, and how many more match that the reader may not see."""

    hidden: int = 0


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
