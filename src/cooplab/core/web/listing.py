"""Lists: the filter of a list page read from the query string, bad values reported, not fatal."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel, ValidationError

from cooplab.core.web.render import message, translate
from cooplab.errors import error_code

F = TypeVar("F", bound=BaseModel)


def list_query(request: Request) -> str:
    """The query of a list page without its paging and language: what its export links carry, so
    that the file holds what the list shows."""
    return urlencode(
        [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit", "lang")]
    )


def read_filter(request: Request, model: type[F], lang: str) -> tuple[F, list[str]]:
    """The list filter (the same one the API uses); a bad value is dropped with a message saying so."""
    raw = {k: v for k, v in request.query_params.items() if k in model.model_fields}
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        bad: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            code, params = error_code(err)
            bad.setdefault(name, message(lang, code, params, err["msg"]))
        problems = [
            translate(
                lang,
                "filter.invalid",
                field=translate(lang, f"field.{name}"),
                value=str(raw.get(name, ""))[:60],
                reason=reason,
            )
            for name, reason in bad.items()
        ]
        clean = {k: v for k, v in raw.items() if k not in bad}
        try:
            return model.model_validate(clean), problems
        except ValidationError:
            return model(), problems
