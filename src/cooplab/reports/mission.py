"""A mission report in Russian or English, written from its records: the round trip
text -> records -> text."""

from __future__ import annotations

from datetime import date
from typing import Literal

import iuliia
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.accounts.roles import Actor
from cooplab.accounts.visibility import visible_clause
from cooplab.engagements.models import ActionItem, Agreement, Mission
from cooplab.engagements.service import get_mission
from cooplab.registry.models import Organization, OrganizationName, Person, PersonName, Place, PlaceName
from cooplab.vocab.names import detect_script

Lang = Literal["ru", "en"]

MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
WORDS = {
    "ru": {"visit": "Визит", "meeting": "Переговоры", "signing": "Подписание", "presentation": "Презентация",
           "other": "Событие", "organizer": "Организатор", "participants": "Участники", "programme": "Программа",
           "agreements": "Соглашения", "steps": "Дальнейшие шаги", "due": "срок", "done": "выполнено",
           "open": "открыто", "cancelled": "отменено", "memorandum": "Меморандум", "agreement": "Соглашение",
           "contract": "Договор", "between": "между", "responsible": "ответственный",
           "and": "и", "source": "Источник"},
    "en": {"visit": "Visit", "meeting": "Negotiations", "signing": "Signing", "presentation": "Presentation",
           "other": "Event", "organizer": "Organizer", "participants": "Participants", "programme": "Programme",
           "agreements": "Agreements", "steps": "Next steps", "due": "due", "done": "done", "open": "open",
           "cancelled": "cancelled", "memorandum": "Memorandum", "agreement": "Agreement", "contract": "Contract",
           "between": "between", "responsible": "responsible", "and": "and", "source": "Source"},
}


def format_date(day: date | None, lang: Lang) -> str:
    if day is None:
        return ""
    if lang == "ru":
        return f"{day.day} {MONTHS_RU[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_period(start: date | None, end: date | None, lang: Lang) -> str:
    if start and end and start != end:
        if lang == "ru":
            return f"с {format_date(start, lang)} по {format_date(end, lang)}"
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    return format_date(start or end, lang)


class _Names:
    """Names of records in the report's language: Latin spellings for English readers."""

    def __init__(self, session: Session, lang: Lang) -> None:
        self.session = session
        self.lang = lang

    def _pick(self, display: str, names: list[tuple[str, str | None]]) -> str:
        if self.lang == "ru" or detect_script(display).value == "latin":
            return display
        latin = [v for v, lang in names if detect_script(v).value == "latin" and lang in (None, "en")]
        latin = latin or [v for v, _ in names if detect_script(v).value == "latin"]
        return latin[0] if latin else iuliia.WIKIPEDIA.translate(display)

    def org(self, org: Organization) -> str:
        names = self.session.execute(select(OrganizationName.value, OrganizationName.lang)
                                     .where(OrganizationName.organization_id == org.id)
                                     .order_by(OrganizationName.id)).all()
        return self._pick(org.name, [tuple(n) for n in names])

    def person(self, person: Person) -> str:
        names = self.session.execute(select(PersonName.value, PersonName.lang)
                                     .where(PersonName.person_id == person.id).order_by(PersonName.id)).all()
        return self._pick(person.name, [tuple(n) for n in names])

    def place(self, place: Place) -> str:
        names = self.session.execute(select(PlaceName.value, PlaceName.lang)
                                     .where(PlaceName.place_id == place.id).order_by(PlaceName.id)).all()
        wanted = [v for v, lang in names if lang == self.lang]
        return wanted[0] if wanted else self._pick(place.name, [tuple(n) for n in names])


def _join(items: list[str], lang: Lang) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {WORDS[lang]['and']} " + items[-1]


def mission_report(*, session: Session, actor: Actor, mission_id: int, lang: Lang = "ru") -> str:
    """The mission as a report (Markdown) in Russian or English, showing only what `actor` may see."""
    mission: Mission = get_mission(session=session, actor=actor, mission_id=mission_id)
    w, n = WORDS[lang], _Names(session, lang)
    lines = [f"# {mission.title}", ""]
    period = format_period(mission.start, mission.end, lang)
    if period:
        lines += [period[0].upper() + period[1:] + ".", ""]
    organizers = [n.org(o.organization) for o in mission.organizations if o.role == "organizer"]
    if organizers:
        lines.append(f"**{w['organizer']}:** {_join(organizers, lang)}.")
    if mission.participants:
        people = []
        for p in mission.participants:
            text = n.person(p.person)
            details = [d for d in (p.title if lang == "ru" else None, n.org(p.organization) if p.organization else None) if d]
            people.append(text + (f" ({', '.join(details)})" if details else ""))
        lines.append(f"**{w['participants']}:** {'; '.join(people)}.")
    if mission.description:
        lines += ["", mission.description]
    events = sorted(mission.events, key=lambda e: (e.start is None, e.start or date.min, e.id))  # undated last
    if events:
        lines += ["", f"## {w['programme']}", ""]
        for event in events:
            head = format_period(event.start, event.end, lang) or "—"
            where = f", {n.place(event.place)}" if event.place else ""
            orgs = _join([n.org(o.organization) for o in event.organizations], lang)
            people = _join([n.person(p.person) for p in event.people], lang)
            text = f"- **{head}{where}.** {w[event.kind]}"
            text += f": {orgs}" if orgs else ""
            text += f"; {w['participants'].lower()}: {people}" if people else ""
            text += "."
            if lang == "ru" and event.summary:
                text += f" {event.summary.rstrip('.')}."
            lines.append(text)
    agreements = list(session.scalars(select(Agreement).where(
        Agreement.mission_id == mission.id, visible_clause(Agreement, actor)).order_by(Agreement.id)))
    if agreements:
        lines += ["", f"## {w['agreements']}", ""]
        for a in agreements:
            parties = _join([n.org(p.organization) for p in a.parties_], lang)
            when = f", {format_date(a.signed_on, lang)}" if a.signed_on else ""
            subject = f": {a.subject}" if lang == "ru" else ""
            lines.append(f"- {w[a.kind]} {w['between']} {parties}{when}{subject}.")
    steps = list(session.scalars(select(ActionItem).where(
        ActionItem.mission_id == mission.id, visible_clause(ActionItem, actor)).order_by(ActionItem.due, ActionItem.id)))
    if steps:
        lines += ["", f"## {w['steps']}", ""]
        for s in steps:
            who = s.responsible_organization or s.responsible_person
            owner = ""
            if isinstance(who, Organization):
                owner = f"; {w['responsible']}: {n.org(who)}"
            elif isinstance(who, Person):
                owner = f"; {w['responsible']}: {n.person(who)}"
            due = f"; {w['due']}: {format_date(s.due, lang)}" if s.due else ""
            lines.append(f"- {s.title} ({w[s.status]}{due}{owner}).")
    return "\n".join(lines).rstrip() + "\n"
