"""A mission report in Russian or English, written from its records: the round trip
text -> records -> text."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.formats import format_date, format_period
from cooplab.engagements.service import mission_detail

Lang = Literal["ru", "en"]

WORDS = {
    "ru": {
        "visit": "Визит",
        "meeting": "Переговоры",
        "signing": "Подписание",
        "presentation": "Презентация",
        "other": "Событие",
        "organizer": "Организатор",
        "participants": "Участники",
        "programme": "Программа",
        "agreements": "Соглашения",
        "steps": "Дальнейшие шаги",
        "due": "срок",
        "done": "выполнено",
        "open": "открыто",
        "cancelled": "отменено",
        "memorandum": "Меморандум",
        "agreement": "Соглашение",
        "contract": "Договор",
        "between": "между",
        "responsible": "ответственный",
        "and": "и",
        "source": "Источник",
    },
    "en": {
        "visit": "Visit",
        "meeting": "Negotiations",
        "signing": "Signing",
        "presentation": "Presentation",
        "other": "Event",
        "organizer": "Organizer",
        "participants": "Participants",
        "programme": "Programme",
        "agreements": "Agreements",
        "steps": "Next steps",
        "due": "due",
        "done": "done",
        "open": "open",
        "cancelled": "cancelled",
        "memorandum": "Memorandum",
        "agreement": "Agreement",
        "contract": "Contract",
        "between": "between",
        "responsible": "responsible",
        "and": "and",
        "source": "Source",
    },
}


def _join(items: list[str], lang: Lang) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {WORDS[lang]['and']} " + items[-1]


def mission_report(*, session: Session, actor: Actor, mission_id: int, lang: Lang = "ru") -> str:
    """The mission as a report (Markdown) in Russian or English, showing only what `actor` may see,
    everyone and every place named as a reader of `lang` reads them."""
    mission = mission_detail(session=session, actor=actor, mission_id=mission_id, lang=lang)
    w = WORDS[lang]
    lines = [f"# {mission.title}", ""]
    period = format_period(mission.start, mission.end, lang, long=True)
    if period:
        lines += [period[0].upper() + period[1:] + ".", ""]
    organizers = [o.organization.name for o in mission.organizations if o.role == "organizer"]
    if organizers:
        lines.append(f"**{w['organizer']}:** {_join(organizers, lang)}.")
    if mission.participants:
        people = []
        for p in mission.participants:
            details = [
                d
                for d in (p.title if lang == "ru" else None, p.organization.name if p.organization else None)
                if d
            ]
            people.append(p.person.name + (f" ({', '.join(details)})" if details else ""))
        lines.append(f"**{w['participants']}:** {'; '.join(people)}.")
    if mission.description:
        lines += ["", mission.description]
    events = sorted(
        mission.events, key=lambda e: (e.start is None, e.start or date.min, e.id)
    )  # undated last
    if events:
        lines += ["", f"## {w['programme']}", ""]
        for event in events:
            head = format_period(event.start, event.end, lang, long=True) or "—"
            where = f", {event.place.name}" if event.place else ""
            orgs = _join([o.name for o in event.organizations], lang)
            attendees = _join([p.name for p in event.people], lang)
            text = f"- **{head}{where}.** {w[event.kind]}"
            text += f": {orgs}" if orgs else ""
            text += f"; {w['participants'].lower()}: {attendees}" if attendees else ""
            text += "."
            if lang == "ru" and event.summary:
                text += f" {event.summary.rstrip('.')}."
            lines.append(text)
    if mission.agreements:
        lines += ["", f"## {w['agreements']}", ""]
        for a in mission.agreements:
            parties = _join([p.name for p in a.parties], lang)
            when = f", {format_date(a.signed_on, lang, long=True)}" if a.signed_on else ""
            subject = f": {a.subject}" if lang == "ru" else ""
            lines.append(f"- {w[a.kind]} {w['between']} {parties}{when}{subject}.")
    if mission.action_items:
        lines += ["", f"## {w['steps']}", ""]
        for step in mission.action_items:
            who = [r.name for r in (step.responsible_person, step.responsible_organization) if r is not None]
            owner = f"; {w['responsible']}: {', '.join(who)}" if who else ""
            due = f"; {w['due']}: {format_date(step.due, lang, long=True)}" if step.due else ""
            lines.append(f"- {step.title} ({w[step.status]}{due}{owner}).")
    return "\n".join(lines).rstrip() + "\n"
