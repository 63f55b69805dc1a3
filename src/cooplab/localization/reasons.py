"""The reasons the localization results give, by stable code, with their English text.

Pages in other languages translate `reason.<code>` with the same parameters (the gettext
catalogs in `i18n/`); `tests/localization/test_i18n.py` keeps them complete. Numbers, shares
and days in a text are written as the reader's language writes them (cooplab.core.formats:
1 234 567 and 38,5% in Russian, 1,234,567 and 38.5% in English), and the names of thresholds,
Decree 719 items and caps are taken in the reader's language from their data by the key the
reason carries (`threshold_key`, `operation_code`, `cap_key`).
"""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from cooplab.core.calculators import Reason
from cooplab.core.formats import country_label, format_date, format_number

I18N = Path(__file__).resolve().parent / "i18n"
_ENTRY = re.compile(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"$', re.MULTILINE)

REASONS: dict[str, str] = {
    # uz_cost_share, whole vehicle
    "uz.level": "Production cost {production_cost:,.0f} UZS per vehicle (own cost {own_cost:,.0f} + parts {parts_cost:,.0f}); imported content {imported:,.0f} UZS; localization level {level:.1%}.",
    "uz.unknown_counted_imported": "{count} parts made in Uzbekistan have no known inputs and are counted as wholly imported, so the level is a floor.",
    "uz.unknown_counted_local": "{count} parts made in Uzbekistan have no known inputs and are counted as wholly local, so the level is a ceiling.",
    # thresholds
    "threshold.reached": "{name}: {threshold:.1%} reached ({level:.1%} against it).",
    "threshold.gap": "{name}: {threshold:.1%} not reached; {gap:.1%} missing.",
    "threshold.not_in_force": "{name}: {threshold:.1%} does not apply on {day}.",
    "threshold.points_reached": "{name}: {threshold:,.0f} points reached ({level:,.0f} against it).",
    "threshold.points_gap": "{name}: {threshold:,.0f} points not reached; {gap:,.0f} missing.",
    "threshold.points_not_in_force": "{name}: {threshold:,.0f} points do not apply on {day}.",
    # parts, shared
    "part.made_in_house": "Assembled by the OEM from the parts below; its cost is theirs plus the OEM's own cost.",
    "part.inside_bought_assembly": "Part of {assembly}, which is bought as a whole: counted in its price.",
    "part.produced_outside": "{supplier} makes it in {country} ({volume_share:.0%} of volume): the whole price {price:,.0f} UZS counts as {outside_word}.",
    "part.from_inputs": "{supplier} makes it in {country} ({volume_share:.0%} of volume); its inputs from outside come to {outside:,.0f} of {price:,.0f} UZS, traced through every tier.",
    "part.from_imported_share": "{supplier} makes it in {country} ({volume_share:.0%} of volume); {imported_share:.0%} of its price {price:,.0f} UZS is imported inputs, of origin not given.",
    "part.content_unknown": "{supplier} makes it in {country} ({volume_share:.0%} of volume), but nothing is known of its inputs.",
    "part.inputs_exceed_price": "{supplier}'s inputs from outside exceed its price for the part; counted at the price.",
    # cis_origin
    "cis.level": "Non-originating (non-CIS) materials {non_originating:,.0f} UZS against the ex-works price {exw_price:,.0f} UZS: {share:.1%}; originating value {level:.1%}.",
    "cis.originating": "Heading {code}: non-originating materials {share:.1%} of the price stay within the limit of {limit:.0%}: originating in {country}.",
    "cis.not_originating": "Heading {code}: non-originating materials {share:.1%} of the price exceed the limit of {limit:.0%}: not originating.",
    "cis.rule_unknown": "The CIS rule of origin for {code} is not in our rules: origin not decided ({share:.1%} of the price is non-originating).",
    "cis.rule_assumed": "No CIS rule is known for {code}; the assumed limit of {limit:.0%} was applied as asked.",
    "cis.same_heading_rule": "The rule for {code} counts only materials of the same heading, which is not computed here: verify by hand.",
    "cis.not_a_party": "Made in {country}, which is not a party to the CIS free trade area: not originating.",
    "cis.no_exw_price": "The vehicle has no ex-works price: the CIS share cannot be computed.",
    "cis.no_hs_code": "No commodity code is given: the rule of origin cannot be found.",
    # ru_719_points
    "ru719.level": "{points} points under Decree 719 as of {day}.",
    "ru719.not_made_in_russia": "{subject} is made in {country}, not in Russia: Decree 719 does not score it; points below show what Russian-made parts would earn.",
    "ru719.operation": "{operation}: {points} points.",
    "ru719.points_unknown": "{operation}: its points are not in our table; not counted.",
    "ru719.points_expired": "{operation}: its points applied until {valid_to}; not counted on {day}.",
    "ru719.capped": "{cap}: {total} points capped at {max_points}.",
    "ru719.component_points": "Made in Russia by {supplier}: {points} points from its operations.",
    "ru719.component_unscored": "Made in Russia by {supplier}; no scored operation of it is given.",
    "ru719.not_russian": "Made in {country}: earns no points under Decree 719.",
    "ru719.no_component_thresholds": "Decree 719 thresholds for components are not in our data; only the points are shown.",
}

#: Codes of the `missing` entries, with their English text.
MISSING: dict[str, str] = {
    "missing.no_sourcing": "{count} part(s) have no source, no bought assembly above them and no parts below them, so their cost is not counted: {parts}.",
    "missing.content_unknown": "{count} part(s) are made where they count as local, with neither supplier inputs nor an imported share given: {parts}.",
    "missing.origin_unknown": "{count} part(s) have an imported share without origins, counted as non-originating: {parts}.",
    "missing.inputs_exceed_price": "{count} part(s) have supplier inputs from outside worth more than their price: {parts}.",
    "missing.cis_rule_unknown": "The CIS rule of origin is not known for {codes}.",
    "missing.no_hs_code": "{count} part(s) have no commodity code: {parts}.",
    "missing.no_exw_price": "The vehicle's ex-works price is not given.",
    "missing.points_unknown": "The points of {operation} are not known.",
    "missing.unknown_operation": "{operation} is not an item of the Decree 719 table.",
    "missing.component_points_unknown": "{count} part(s) are made in Russia, but no scored operation of theirs is given: {parts}.",
}


class _ReaderFormat(string.Formatter):
    """`str.format` with numbers and days in the reader's language: `{x:,.0f}` and `{x:.2f}` are
    numbers rounded to those places, `{x:.1%}` a share in percent, a bare `{n}` a whole number;
    a `date` is a day."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, date):
            return format_date(value, self.lang)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return super().format_field(value, format_spec)
        places = re.search(r"\.(\d+)", format_spec)
        digits = int(places.group(1)) if places else None
        if format_spec.endswith("%"):
            return format_number(float(value) * 100, self.lang, digits or 0) + "%"
        if format_spec.endswith("f") or (not format_spec and isinstance(value, int)):
            return format_number(value, self.lang, digits)
        return super().format_field(value, format_spec)


def fill(template: str, params: dict[str, Any], lang: str) -> str:
    """A reason's template filled in for a reader of `lang`: numbers and days in its format,
    names of countries, thresholds and Decree 719 items in its language."""
    return _ReaderFormat(lang).format(template, **_named(params, lang))


#: How a list of parts cut at ten says how many more there are.
MORE = {"en": "{parts} and {more} more", "ru": "{parts} и ещё {more}", "uz": "{parts} va yana {more} ta"}


def _named(params: dict[str, Any], lang: str) -> dict[str, Any]:
    from cooplab.localization.rules import points_table

    named = dict(params)
    if isinstance(params.get("country"), str) and len(params["country"]) == 2:
        named["country"] = country_label(params["country"], lang)
    if "threshold_key" in params:
        named["name"] = threshold_name(params["threshold_key"], lang) or params.get("name", "")
    if params.get("more"):
        named["parts"] = MORE.get(lang, MORE["en"]).format(
            parts=params.get("parts", ""), more=format_number(params["more"], lang)
        )
    if "operation_code" in params:
        item = points_table().items.get(params["operation_code"])
        if item is not None:
            named["operation"] = item.names.get(lang) or item.names["en"]
    if "cap_key" in params:
        for cap in points_table().caps:
            if cap.key == params["cap_key"]:
                named["cap"] = cap.names.get(lang) or cap.names["en"]
    return named


def threshold_name(key: str, lang: str) -> str | None:
    """The name of a threshold (`data/localization_thresholds.yaml`) in `lang`, by its key."""
    from cooplab.localization.rules import thresholds

    for rows in thresholds().values():
        for t in rows:
            if t.key == key:
                return t.names.get(lang) or t.names["en"]
    return None


def reason(code: str, /, **params: Any) -> Reason:
    """A reason by its code, its English text formatted with `params`."""
    return Reason(code=code, params=params, text=fill(REASONS[code], params, "en"))


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    """The gettext catalog of a language (`i18n/<lang>.po`) as msgid -> text."""
    path = I18N / f"{lang}.po"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")

    def unquote(s):
        return s.replace('\\"', '"').replace("\\\\", "\\")

    return {unquote(m): unquote(t) for m, t in _ENTRY.findall(text) if m}


def translate(key: str, params: dict[str, Any], lang: str) -> str:
    """The text of a reason (`reason.<code>`) or missing entry (`missing.<code>`) in `lang`,
    formatted with its parameters; English when the language has no text for it."""
    english = REASONS.get(key.removeprefix("reason."), MISSING.get(key, key))
    return fill(catalog(lang).get(key, english), params, lang)
