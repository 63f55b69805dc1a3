"""The errors and reasons feasibility gives: one field-naming error, one stable-coded reason."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from cooplab.core.calculators import Reason
from cooplab.errors import InvalidInputError

Loc = Sequence[str | int]
#: The largest amount, volume, distance or weight a file may give: far above any real one, and
#: small enough that every figure computed from it is still exact to the rounding of the answers.
MAX_FIGURE = 10**12
#: The range of a rate in UZS per unit of a currency.
MIN_UZS_PER_UNIT, MAX_UZS_PER_UNIT = Decimal("0.000001"), 10**9
_EXPLAINING: ContextVar[bool] = ContextVar("explaining", default=True)
#: What `reason` gives while explanations are off: a placeholder nobody shows.
UNEXPLAINED = Reason(code="", text="")


@contextmanager
def unexplained() -> Iterator[None]:
    """Within the block, `reason` skips writing explanations (the vectorised path computes
    figures only; the options a person looks at are explained again)."""
    token = _EXPLAINING.set(False)
    try:
        yield
    finally:
        _EXPLAINING.reset(token)


def refuse(loc: Loc, code: str, msg: str, **params: Any) -> InvalidInputError:
    """An InvalidInputError naming the field at `loc`, with a stable code for translation."""
    text = msg.format(**params)
    where = ".".join(str(p) for p in loc) or "input"
    return InvalidInputError(
        f"{where}: {text}", details=[{"loc": list(loc), "msg": text, "code": code, "params": _plain(params)}]
    )


def explaining() -> bool:
    """Whether reasons are being written (not within `unexplained`)."""
    return _EXPLAINING.get()


def reason(code: str, text: str, **params: Any) -> Reason:
    """A reason with a stable code; `text` is English with `{param}` placeholders."""
    if not _EXPLAINING.get():
        return UNEXPLAINED
    return Reason(code=code, params=_plain(params), text=text.format(**params))


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (v if isinstance(v, str | int | float | bool) or v is None else str(v)) for k, v in params.items()
    }
