"""A mission report in Russian or English, written from its records: the round trip
text -> records -> text. It is written as a little Markdown (headings, bullets, bold) and given
as Markdown, as a Word document (DOCX) or as a page to print.

Russian text puts names in the case its words ask for ("между Кластером автомобильной
промышленности и Cooperation Lab"); English text names everyone and everything by their English
names and keeps the participants' positions, in English where the registry has them."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from cooplab.core.actor import Actor
from cooplab.core.declension import decline_phrase
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


def _sentence(text: str) -> str:
    """The text ended with a full stop, once ("2024 г." is not followed by another)."""
    return text if text.endswith(".") else text + "."


def mission_report(*, session: Session, actor: Actor, mission_id: int, lang: Lang = "ru") -> str:
    """The mission as a report (Markdown) in Russian or English, showing only what `actor` may see,
    everyone and every place named as a reader of `lang` reads them."""
    mission = mission_detail(session=session, actor=actor, mission_id=mission_id, lang=lang)
    w = WORDS[lang]
    lines = [f"# {mission.title}", ""]
    period = format_period(mission.start, mission.end, lang, long=True)
    if period:
        lines += [_sentence(period[0].upper() + period[1:]), ""]
    organizers = [o.organization.name for o in mission.organizations if o.role == "organizer"]
    if organizers:
        lines.append(f"**{w['organizer']}:** {_join(organizers, lang)}.")
    if mission.participants:
        people = []
        for p in mission.participants:
            details = [d for d in (p.title, p.organization.name if p.organization else None) if d]
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
            text = f"- **{_sentence(head + where)}** {w[event.kind]}"
            text += f": {orgs}" if orgs else ""
            text += f"; {w['participants'].lower()}: {attendees}" if attendees else ""
            text = _sentence(text)
            if lang == "ru" and event.summary:
                text += f" {event.summary.rstrip('.')}."
            lines.append(text)
    if mission.agreements:
        lines += ["", f"## {w['agreements']}", ""]
        for a in mission.agreements:
            # "между" takes the instrumental: "между Кластером ... и Cooperation Lab"
            parties = _join(
                [decline_phrase(p.name, "ablt") if lang == "ru" else p.name for p in a.parties], lang
            )
            when = f", {format_date(a.signed_on, lang, long=True)}" if a.signed_on else ""
            subject = f": {a.subject}" if lang == "ru" else ""
            lines.append(_sentence(f"- {w[a.kind]} {w['between']} {parties}{when}{subject}"))
    if mission.action_items:
        lines += ["", f"## {w['steps']}", ""]
        for step in mission.action_items:
            who = [r.name for r in (step.responsible_person, step.responsible_organization) if r is not None]
            owner = f"; {w['responsible']}: {', '.join(who)}" if who else ""
            due = f"; {w['due']}: {format_date(step.due, lang, long=True)}" if step.due else ""
            lines.append(f"- {step.title} ({w[step.status]}{due}{owner}).")
    return "\n".join(lines).rstrip() + "\n"


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _runs(paragraph: object, text: str) -> None:
    """The text of a line as runs of a DOCX paragraph, **bold** parts bold."""
    for n, part in enumerate(_BOLD.split(text)):
        if part:
            paragraph.add_run(part).bold = n % 2 == 1  # type: ignore[attr-defined]


def report_docx(markdown: str, *, title: str, lang: Lang) -> bytes:
    """A report written by mission_report as a Word document: its headings, bullets and bold."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.language = lang
    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        bullet = re.match(r"^\s*[-*]\s+(.*)$", line)
        if heading:
            document.add_heading(_BOLD.sub(r"\1", heading.group(2)), level=len(heading.group(1)) - 1)
        elif bullet:
            _runs(document.add_paragraph(style="List Bullet"), bullet.group(1))
        elif line.strip():
            _runs(document.add_paragraph(), line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
