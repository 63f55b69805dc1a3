"""Commands of localization: a stored vehicle's level under a method, a scenario's effect, and
the opportunities with the cheapest path to a target."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError

from cooplab.core import cli
from cooplab.errors import CooplabError, invalid_input
from cooplab.localization import service
from cooplab.localization.filters import Method, OpportunityFilter
from cooplab.localization.scenarios import Scenario
from cooplab.settings import get_settings

app = typer.Typer()
localization_app = typer.Typer(
    help="Localization level of a stored vehicle, scenarios, opportunities.", no_args_is_help=True
)
app.add_typer(localization_app, name="localization")


class Lang(StrEnum):
    ru = "ru"
    en = "en"


LangOpt = Annotated[
    Lang | None, typer.Option("--lang", help="Language of the reasons: ru or en (default: the settings').")
]


def _echo(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@localization_app.command("level")
def level(
    code: str,
    method: Annotated[Method, typer.Option(help="uz_cost_share, cis_origin or ru_719_points.")] = (
        Method.UZ_COST_SHARE
    ),
    fmt: cli.FormatOpt = cli.Format.table,
    language: LangOpt = None,
) -> None:
    """The vehicle's localization level under a method, part by part, with what is missing."""
    lang = (language.value if language else None) or get_settings().default_language
    with cli.session() as session:
        result = service.level(session=session, actor=cli.actor(), code=code, method=method)
    answer = service.level_answer(result, lang)
    if fmt == cli.Format.json:
        _echo(answer)
        return
    shown = (
        "—" if result.level is None else (f"{result.level:.1%}" if result.unit == "share" else result.level)
    )
    typer.echo(f"{code} · {result.method}: {shown}" + (" (illustrative)" if result.illustrative else ""))
    for r in answer["reasons"]:
        typer.echo(f"  {r['text']}")
    for m in answer["missing"]:
        typer.echo(f"  ! {m['text']}")


@localization_app.command("scenario")
def scenario(
    code: str,
    path: Annotated[Path, typer.Argument(help="The scenario as JSON or YAML: {name, changes: [...]}.")],
) -> None:
    """A scenario's effect on the vehicle: each method's level, the cost per vehicle and per year."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CooplabError(f"{path}: cannot read the scenario ({exc})") from None
    try:
        data = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise invalid_input(exc) from None
    with cli.session() as session:
        result = service.scenario(session=session, actor=cli.actor(), code=code, data=data)
    _echo(result.model_dump(mode="json"))


@localization_app.command("opportunities")
def opportunities(
    code: str,
    target: Annotated[float, typer.Option(help="Target Uzbek cost share, 0-1.")] = 0.45,
    limit: Annotated[int, typer.Option(help="How many opportunities to list.")] = 20,
) -> None:
    """The parts with the most imported value a year, and the cheapest set to reach the target."""
    filters = cli.validated(OpportunityFilter, target=target, limit=limit)
    with cli.session() as session:
        found = service.opportunities(
            session=session, actor=cli.actor(), code=code, target=filters.target, limit=filters.limit
        )
    _echo(found.model_dump(mode="json"))
