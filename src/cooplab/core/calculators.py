"""The calculator registry: small, self-describing classes that compute one figure and say why.

Localization methods, landed-cost components and matching features are calculators. Each is a
class in a family (its `KIND`) with

- `NAME`, its stable name in the family (what a user, a file or a URL names);
- `Config`, a pydantic model of its settings, each with a default and a description;
- a docstring, one sentence saying what it computes, in the domain's words;
- `compute(...)`, whose arguments the family defines, returning a `Result`: the figure and
  the `Reason`s that explain it, each with a stable code (for translation) and English text.

A family is a base class that sets `KIND` and declares `compute`; a calculator subclasses it and
is registered with `@register`. `get_calculator(kind, name, config)` makes one from what a user
asked for; `calculators(kind)` lists a family for documentation, forms and `--help`.
docs/development/adding-a-calculator.md is the recipe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from cooplab.errors import InvalidInputError, invalid_input

C = TypeVar("C", bound=BaseModel)
K = TypeVar("K", bound="Calculator[Any]")


class NoConfig(BaseModel):
    """A calculator without settings."""

    model_config = ConfigDict(extra="forbid")


class Reason(BaseModel):
    """One sentence of an explanation: a stable code with its parameters, and the English text
    (pages in other languages translate the code, `reason.<code>`, with the parameters)."""

    code: str
    params: dict[str, Any] = {}
    text: str


class Result(BaseModel):
    """What a calculator answers: the calculator's name and the reasons, in order. Families add
    their figure (a score, an amount, a level) as fields of their own result."""

    calculator: str
    reasons: list[Reason] = []

    def explain(self) -> str:
        """The reasons as one English paragraph."""
        return " ".join(r.text for r in self.reasons)


class Calculator(Generic[C]):
    """Base of every calculator; families subclass it, set `KIND` and declare `compute`."""

    KIND: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    Config: ClassVar[type[BaseModel]] = NoConfig

    def __init__(self, config: C | Mapping[str, Any] | None = None) -> None:
        if isinstance(config, BaseModel):
            self.config: C = config
        else:
            try:
                self.config = self.Config.model_validate(dict(config or {}))  # type: ignore[assignment]
            except ValidationError as exc:
                raise invalid_input(exc, prefix=(self.NAME,)) from None

    def reason(self, code: str, text: str, **params: Any) -> Reason:
        """A reason of this calculator's (the English text is formatted with `params`)."""
        return Reason(code=code, params=params, text=text.format(**params))

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """What the calculator is, for docs and forms: kind, name, summary, settings."""
        return {
            "kind": cls.KIND,
            "name": cls.NAME,
            "summary": _summary(cls),
            "config": cls.Config.model_json_schema(),
        }


_REGISTRY: dict[str, dict[str, type[Calculator[Any]]]] = {}


def _summary(cls: type) -> str:
    return (cls.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")


def register(cls: type[K]) -> type[K]:
    """Class decorator: add a calculator to its family; names are unique within a family."""
    if not cls.KIND or not cls.NAME:
        raise TypeError(f"{cls.__name__}: a calculator needs KIND and NAME")
    if not _summary(cls):
        raise TypeError(f"{cls.__name__}: a calculator needs a docstring saying what it computes")
    if not (isinstance(cls.Config, type) and issubclass(cls.Config, BaseModel)):
        raise TypeError(f"{cls.__name__}: Config must be a pydantic model")
    family = _REGISTRY.setdefault(cls.KIND, {})
    if cls.NAME in family and family[cls.NAME] is not cls:
        raise TypeError(f"{cls.KIND} {cls.NAME!r} is registered twice")
    family[cls.NAME] = cls
    return cls


def calculators(kind: str) -> list[type[Calculator[Any]]]:
    """The calculators of a family, by name."""
    return [cls for _, cls in sorted(_REGISTRY.get(kind, {}).items())]


def kinds() -> list[str]:
    """Every family that has a registered calculator."""
    return sorted(_REGISTRY)


def get_calculator(kind: str, name: str, config: BaseModel | Mapping[str, Any] | None = None) -> Any:
    """A calculator of `kind` called `name`, with its settings; an unknown name is a user's
    mistake and says which names exist."""
    cls = _REGISTRY.get(kind, {}).get(name)
    if cls is None:
        known = ", ".join(sorted(_REGISTRY.get(kind, {}))) or "none"
        raise InvalidInputError(
            f"unknown {kind.replace('_', ' ')} {name!r}; known: {known}",
            details=[
                {
                    "loc": [kind],
                    "msg": f"unknown: {name}",
                    "code": "unknown_calculator",
                    "params": {"kind": kind, "name": name, "known": known},
                }
            ],
        )
    return cls(config)


__all__ = ["Calculator", "NoConfig", "Reason", "Result", "calculators", "get_calculator", "kinds", "register"]
