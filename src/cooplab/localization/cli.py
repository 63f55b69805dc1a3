"""Commands of localization: a stored vehicle's level under a method, a scenario's effect (saved
with `--save NAME`), the saved scenarios listed, compared and deleted, and the opportunities
with the cheapest path to a target."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from pydantic import ValidationError

from cooplab.core import cli
from cooplab.core.i18n import translate
from cooplab.errors import CooplabError, invalid_input
from cooplab.localization import service
from cooplab.localization.filters import Method, OpportunityFilter
from cooplab.localization.scenarios import Scenario
from cooplab.localization.schemas import Opportunities, ScenarioComparison, ScenarioCreate
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
    uz = "uz"


LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of the reasons: ru, en or uz (default: the settings)."),
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


OwnerOpt = Annotated[
    int | None,
    typer.Option("--owner", help="The owner organization's id, when several scenarios share the name."),
]


def _read_scenario(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CooplabError(f"{path}: cannot read the scenario ({exc})") from None


@localization_app.command("scenario")
def scenario(
    code: str,
    path: Annotated[Path, typer.Argument(help="The scenario as JSON or YAML: {name, changes: [...]}.")],
    save: Annotated[
        str | None, typer.Option("--save", help="Save it for the vehicle under this name.")
    ] = None,
    illustrative: Annotated[
        bool, typer.Option("--illustrative", help="Mark a saved scenario's prices as illustrative.")
    ] = False,
) -> None:
    """A scenario's effect on the vehicle: each method's level, the cost per vehicle and per year;
    with --save, stored under that name and answered with the change-by-change waterfall."""
    raw = _read_scenario(path)
    if save is not None:
        fields = {**(raw if isinstance(raw, dict) else {"changes": raw}), "name": save}
        if illustrative:
            fields["illustrative"] = True
        try:
            create = ScenarioCreate.model_validate(fields)
        except ValidationError as exc:
            raise invalid_input(exc) from None
        with cli.session(write=True) as session:
            service.create_scenario(session=session, actor=cli.actor(), code=code, data=create)
            saved = service.evaluate_saved(session=session, actor=cli.actor(), code=code, name=save)
        cli.echo_json(saved)
        return
    try:
        data = Scenario.model_validate(raw)
    except ValidationError as exc:
        raise invalid_input(exc) from None
    with cli.session() as session:
        result = service.scenario(session=session, actor=cli.actor(), code=code, data=data)
    cli.echo_json(result)


@localization_app.command("scenarios")
def scenarios(code: str, fmt: cli.FormatOpt = cli.Format.table) -> None:
    """The scenarios saved for the vehicle, by name."""
    with cli.session() as session:
        found = service.list_scenarios(session=session, actor=cli.actor(), code=code)
    if fmt == cli.Format.json:
        cli.echo_json(found.model_dump(mode="json")["data"])
        return
    for s in found.data:
        owner = f" · {s.owner.name}" if s.owner else ""
        mark = " (illustrative)" if s.illustrative else ""
        typer.echo(f"{s.name} · {len(s.changes)} change(s) · v{s.version}{owner}{mark}")
        if s.description:
            typer.echo(f"  {s.description}")


def _level(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if unit == "share" else f"{value:g}"


def _comparison_table(compared: ScenarioComparison) -> None:
    names = [s.scenario.name for s in compared.scenarios]
    width = max(len(n) for n in ["", *names]) + 2
    head = "" if not compared.illustrative else " (illustrative)"
    typer.echo(f"{compared.code}: {len(names)} scenario(s) against the current bill{head}")
    first = compared.scenarios[0].result
    for method, change in first.methods.items():
        typer.echo(f"{method} (now {_level(compared.baseline.get(method), change.unit)})")
        for s in compared.scenarios:
            m = s.result.methods[method]
            crossed = [f"+{t}" for t in m.reached] + [f"-{t}" for t in m.lost]
            typer.echo(
                f"  {s.scenario.name:<{width}}{_level(m.after, m.unit):>10}"
                + (f"  {' '.join(crossed)}" if crossed else "")
            )
    typer.echo(f"cost change per vehicle / per year ({first.currency})")
    for s in compared.scenarios:
        r = s.result
        typer.echo(
            f"  {s.scenario.name:<{width}}{r.cost_change_per_vehicle:>16,.0f}{r.cost_change_per_year:>20,.0f}"
        )


@localization_app.command("compare")
def compare(
    code: str,
    names: Annotated[list[str], typer.Argument(help="The saved scenarios' names.")],
    fmt: cli.FormatOpt = cli.Format.table,
    owner: OwnerOpt = None,
) -> None:
    """Saved scenarios side by side: each method's level after them, the thresholds crossed
    (+ reached, - lost), the cost change per vehicle and per year."""
    with cli.session() as session:
        compared = service.compare_saved(
            session=session, actor=cli.actor(), code=code, names=names, owner=owner
        )
    if fmt == cli.Format.json:
        cli.echo_json(compared)
        return
    _comparison_table(compared)


@localization_app.command("scenario-delete")
def scenario_delete(code: str, name: str, owner: OwnerOpt = None) -> None:
    """Delete a saved scenario of the vehicle."""
    with cli.session(write=True) as session:
        service.delete_scenario(session=session, actor=cli.actor(), code=code, name=name, owner=owner)
    typer.echo(f"deleted scenario {name!r} of {code}")


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
