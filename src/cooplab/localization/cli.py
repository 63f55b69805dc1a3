"""Commands of localization: a stored vehicle's level under a method, a scenario's effect, and
the opportunities with the cheapest path to a target."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError

from cooplab.core import cli
from cooplab.core.i18n import translate
from cooplab.errors import CooplabError, invalid_input
from cooplab.localization import service
from cooplab.localization.filters import Method, OpportunityFilter
from cooplab.localization.scenarios import Scenario
from cooplab.localization.schemas import Opportunities
from cooplab.localization.wording import money, path_answer, percent, signals_text
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


def _lang(language: Lang | None) -> str:
    return (language.value if language else None) or get_settings().default_language


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
    lang = _lang(language)
    with cli.session() as session:
        result = service.level(session=session, actor=cli.actor(), code=code, method=method)
    answer = service.level_answer(result, lang)
    if fmt == cli.Format.json:
        cli.echo_json(answer)
        return
    shown = percent(result.level, lang) if result.unit == "share" else money(result.level, lang)
    mark = f" ({translate(lang, 'level.illustrative_mark')})" if result.illustrative else ""
    typer.echo(f"{code} · {translate(lang, 'level.' + result.method)}: {shown}{mark}")
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
    cli.echo_json(result)


@localization_app.command("opportunities")
def opportunities(
    code: str,
    target: Annotated[float, typer.Option(help="Target Uzbek cost share, 0-1.")] = 0.45,
    limit: Annotated[int, typer.Option(help="How many opportunities to list.")] = 20,
    fmt: cli.FormatOpt = cli.Format.table,
    language: LangOpt = None,
) -> None:
    """The parts with the most imported value a year, and the cheapest set to reach the target."""
    filters = cli.validated(OpportunityFilter, target=target, limit=limit)
    with cli.session() as session:
        found = service.opportunities(
            session=session, actor=cli.actor(), code=code, target=filters.target, limit=filters.limit
        )
    if fmt == cli.Format.json:
        cli.echo_json(found)
        return
    _opportunities_table(found, _lang(language))


def _opportunities_table(found: Opportunities, lang: str) -> None:
    ranked, path = found.opportunities, found.path
    mark = f" ({translate(lang, 'level.illustrative_mark')})" if found.illustrative else ""
    typer.echo(f"{found.code} · {translate(lang, 'opportunities.title')}{mark}")
    typer.echo(
        translate(
            lang,
            "opportunities.total",
            total=money(ranked.total_annual_imported, lang),
            currency=ranked.currency,
            volume=money(ranked.annual_volume, lang),
        )
    )
    cli.print_table(
        [
            translate(lang, "opportunities.rank"),
            translate(lang, "opportunities.part"),
            translate(lang, "opportunities.hs"),
            translate(lang, "opportunities.annual", currency=ranked.currency),
            translate(lang, "opportunities.share"),
            translate(lang, "opportunities.cumulative"),
            translate(lang, "opportunities.signals"),
        ],
        [
            [
                str(o.rank),
                f"{o.part_number} {o.name}" + (" *" if o.illustrative else ""),
                o.hs_code or "",
                money(o.annual_imported, lang),
                percent(o.share_of_imported, lang),
                percent(o.cumulative_share, lang),
                signals_text(o, lang),
            ]
            for o in ranked.items
        ],
        right=(0, 3, 4, 5),
    )
    typer.echo(translate(lang, "opportunities.path_title") + ": " + path_answer(path, lang))
    if path.level_after is not None:
        typer.echo(
            translate(
                lang,
                "opportunities.level_change",
                before=percent(path.level_before, lang),
                after=percent(path.level_after, lang),
            )
            + "; "
            + translate(
                lang, "opportunities.cost_year", cost=money(path.annual_cost, lang), currency=path.currency
            )
        )
    if path.chosen:
        cli.print_table(
            [
                translate(lang, "opportunities.part"),
                translate(lang, "opportunities.supplier"),
                translate(lang, "opportunities.cost_change", currency=path.currency),
                translate(lang, "opportunities.annual_cost", currency=path.currency),
            ],
            [
                [
                    c.part_number,
                    c.supplier,
                    money(c.cost_change_per_vehicle, lang),
                    money(c.annual_cost, lang),
                ]
                for c in path.chosen
            ],
            right=(2, 3),
        )
    if found.assumed_options:
        typer.echo(translate(lang, "opportunities.assumed"))
