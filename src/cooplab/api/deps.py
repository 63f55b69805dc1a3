"""Dependencies shared by API and web routes: the database session, paging, strict filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from cooplab.db.session import session_factory
from cooplab.errors import InvalidInputError

F = TypeVar("F", bound=BaseModel)


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's database; routes that write commit it themselves."""
    with session_factory(request.app.state.engine)() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


class Page(BaseModel):
    offset: int
    limit: int


def page(
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 25,
) -> Page:
    return Page(offset=offset, limit=limit)


PageDep = Annotated[Page, Depends(page)]
PAGING = {"offset", "limit", "lang", "format"}


def query_filter(model: type[F]) -> Callable[[Request], F]:
    """A dependency reading `model` from the query string; unknown parameters are refused."""

    def read(request: Request) -> F:
        params: dict[str, Any] = dict(request.query_params)
        unknown = sorted(set(params) - set(model.model_fields) - PAGING)
        if unknown:
            raise InvalidInputError(
                "unknown query parameter: " + ", ".join(unknown),
                details=[{"loc": ["query", name], "msg": "unknown parameter"} for name in unknown],
            )
        try:
            return model.model_validate({k: v for k, v in params.items() if k in model.model_fields})
        except ValidationError as exc:
            raise invalid_input(exc, prefix=("query",)) from None

    return read


def invalid_input(exc: ValidationError, prefix: tuple[str, ...] = ()) -> InvalidInputError:
    """A pydantic ValidationError as our InvalidInputError, one detail per bad field."""
    details = [
        {"loc": [*prefix, *[str(p) for p in err["loc"]]], "msg": err["msg"]} for err in exc.errors()
    ]
    fields = ", ".join(".".join(d["loc"][len(prefix):]) or "input" for d in details)
    return InvalidInputError(f"invalid {fields}", details=details)
