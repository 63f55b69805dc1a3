"""How the opportunities and the cheapest path are said to a reader, on the page and at the
command line alike: shares in percent, signals by name, the solver's answer in a sentence, and a
target read from what a person types (45, 45%, 0.45, 45,5)."""

from __future__ import annotations

import math
from typing import Any

from cooplab.core.formats import format_number
from cooplab.core.i18n import translate
from cooplab.localization.opportunities import Opportunity, PathResult, PathStatus

#: The targets offered first: the certificate's 30% and the programme's 36 / 45 / 50%.
TARGETS = (0.30, 0.36, 0.45, 0.50)


def percent(value: float | None, lang: str, places: int = 1) -> str:
    """A share in percent, written as the reader's language writes numbers."""
    if value is None:
        return "—"
    return format_number(value * 100, lang, places) + "%"


def money(value: Any, lang: str) -> str:
    """A sum rounded to whole units in the reader's format."""
    return format_number(value, lang, 0) if value is not None else "—"


def signals_text(item: Opportunity, lang: str) -> str:
    """A part's signals in words, then the organizations behind them."""
    if not item.signals:
        return "—"
    said = ", ".join(translate(lang, f"opportunities.signal.{s.value}") for s in item.signals)
    return f"{said}: {', '.join(item.organizations)}" if item.organizations else said


def path_answer(path: PathResult, lang: str) -> str:
    """What the solver answered, in a sentence: optimal, how far from optimal, or out of reach."""
    target = percent(path.target, lang)
    if path.status is PathStatus.OPTIMAL and not path.chosen and path.level_before >= path.target:
        return translate(
            lang, "opportunities.already", before=percent(path.level_before, lang), target=target
        )
    if path.status is PathStatus.TIME_LIMIT:
        return translate(
            lang, "opportunities.status.time_limit", target=target, gap=percent(path.gap, lang, 4)
        )
    return translate(lang, f"opportunities.status.{path.status.value}", target=target)


def parse_target(text: str | None) -> float:
    """A target level from what a person types: a share (0.45) or percent (45, 45%, 45,5);
    a ValueError when it is no level strictly between 0 and 100%."""
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").rstrip("%").replace(",", ".")
    value = float(cleaned)  # ValueError for anything but a number
    if not math.isfinite(value):
        raise ValueError(text)
    if value >= 1:
        value /= 100
    if not 0 < value < 1:
        raise ValueError(text)
    return round(value, 6)
