"""Events: visits, meetings and talks, signings, presentations, and the rest (openings, launches,
ceremonies, exhibitions), each once, with its date, place, participants and organizer.

A word of lexicon.EVENT_NOUNS or EVENT_VERBS (by lemma) reports a happening of its kind
("посетили", "визит", "провели переговоры", "встретился", "принял делегацию", "презентацию",
"запущен", "церемония"), unless the text only refers back to it ("в ходе встречи", "по итогам
визита", "программа визита") or plans it ("запланировано посещение"). Words of one sentence
that report one happening are one event ("провел презентацию, представив ..."); so are
reports of one happening across sentences: the same kind, the same or no date and place, and
participants that do not differ (a visit to other companies the same day is another visit). A
signing is one per agreement signed.

The date is the sentence's, else the last one of the paragraph (marked inferred), else the
dateline's for the first paragraph; the place is the one the sentence puts the happening in
("в г. Асаке", "посетила Китай"), not the places of titles ("хоким Ташкентской области") or of
origin ("делегация Тульской области"), else the paragraph's last. Places in brackets split a
visit to a list of companies: "A, B (все г. X), C (г. Y)" is a visit to X and one to Y. The
organizer is the one the text names: "организатором выступила компания X".
"""

from __future__ import annotations

import re
from typing import Any

from cooplab.ingest.document import LOC, ORG, PER, AgreementFact, Doc, EventFact, Mention, Sentence, Token
from cooplab.ingest.lexicon import EVENT_NOUNS, EVENT_VERBS, SUCCESS_WORDS, TITLE_HEADS
from cooplab.ingest.words import NOUNISH, has_lemma, is_russian, lemma, may_have_lemma, readings

#: Words before an event noun that refer back to it rather than report it.
REFERRING = frozenset(
    {
        "рамка",
        "ход",
        "итог",
        "результат",
        "время",
        "поле",
        "программа",
        "цель",
        "после",
        "перед",
        "накануне",
        "преддверие",
        "участник",
        "день",
        "период",
        "завершение",
        "продолжение",
        "подготовка",
        "организация",
        "организатор",
        "план",
        "повестка",
        "тема",
        "предмет",
        "место",
    }
)
#: Words that put a happening in the future.
FUTURE = frozenset(
    {
        "запланировать",
        "планироваться",
        "планировать",
        "предстоять",
        "будущий",
        "намечать",
        "наметить",
        "собираться",
        "намереваться",
        "готовиться",
        "ожидаться",
        "предполагаться",
    }
)
#: Words after which a place is where someone comes from, not where the event is.
ORIGIN_WORDS = frozenset(
    {
        "делегация",
        "представитель",
        "гость",
        "партнер",
        "предприниматель",
        "компания",
        "бизнесмен",
        "туляк",
        "житель",
        "уроженец",
        "правительство",
        "администрация",
    }
)
_ORGANIZER = re.compile(r"(?i)организатор\w*\s+(?:[\w\-]+\s+){0,5}?(?:выступил\w*|стал\w*|был\w*|—|-|–|:)")
_ACCEPT_OBJECTS = (
    frozenset(
        {
            "делегация",
            "гость",
            "посол",
            "министр",
            "представитель",
            "губернатор",
            "аким",
            "хоким",
            "президент",
            "глава",
            "руководитель",
            "партнер",
            "коллега",
        }
    )
    | TITLE_HEADS
)
_HAPPENING = frozenset(
    {
        "состояться",
        "пройти",
        "проходить",
        "дать",
        "начаться",
        "завершиться",
        "запустить",
        "открыть",
        "стартовать",
        "заложить",
        "провести",
    }
)


#: Every lemma a trigger can have.
_TRIGGER_WORDS = frozenset().union(*EVENT_NOUNS.values(), *EVENT_VERBS.values(), {"провести"})


def _trigger_kind(tokens: list[Token], n: int, morph: Any) -> str | None:
    """The kind of event a word reports (or None): by its lemma; "принять" only with a guest after it,
    "провести" only with "по" (a tour), a launch or an opening only as a noun with a ceremony or a
    verb of happening in the sentence; an infinitive only after "удалось"."""
    word = tokens[n].text
    if not is_russian(word) or not may_have_lemma(word, morph, _TRIGGER_WORDS):
        return None
    forms = readings(word, morph)
    if not forms:
        return None
    names = {f.normal.replace("ё", "е") for f in forms}
    for kind, nouns in EVENT_NOUNS.items():
        if names & nouns and any(f.pos == "NOUN" for f in forms[:2]):
            if names & {"прием"} and not (
                n + 1 < len(tokens) and tokens[n + 1].text.lower() in ("делегации", "гостей")
            ):
                continue
            if names & {"стол"} and not (n > 0 and lemma(tokens[n - 1].text, morph) == "круглый"):
                continue  # only "круглый стол" is an event
            if names & {"стол"}:
                return "other"
            if names & {"церемония"} and n + 1 < len(tokens):
                inner = _trigger_kind(tokens, n + 1, morph) if is_russian(tokens[n + 1].text) else None
                if inner is not None and inner != "other":
                    return inner  # "церемония подписания" is the signing
            if (
                kind == "other"
                and not names & {"церемония", "выставка", "форум", "конференция", "саммит"}
                and not _happening_verb(tokens, morph)
            ):
                continue  # "обсудили открытие центров" is no opening
            return kind
    if forms[0].pos == "INFN" and not (n > 0 and lemma(tokens[n - 1].text, morph) in SUCCESS_WORDS):
        return None
    for kind, verbs in EVENT_VERBS.items():
        if names & verbs and any(f.pos in ("VERB", "INFN", "PRTF", "PRTS", "GRND") for f in forms):
            if "принять" in names:
                after = [lemma(t.text, morph) for t in tokens[n + 1 : n + 4]]
                if "участие" in after or not any(a in _ACCEPT_OBJECTS for a in after):
                    continue
            if kind == "signing" and (forms[0].pos in ("PRTF", "PRTS") or _in_relative_clause(tokens, n)):
                continue  # "соглашение, заключенное в мае": a document of the past, not this news
            return kind
    if "провести" in names and n + 1 < len(tokens) and tokens[n + 1].text.lower() == "по":
        return "visit"  # "гостей провели по автозаводу"
    return None


def _happening_verb(tokens: list[Token], morph: Any) -> bool:
    return any(is_russian(t.text) and lemma(t.text, morph) in _HAPPENING for t in tokens)


def _in_relative_clause(tokens: list[Token], n: int) -> bool:
    for token in reversed(tokens[:n]):
        if token.text in (",", "—", "–", ":", ";"):
            return False
        if token.text.lower() in (
            "который",
            "которое",
            "которая",
            "которые",
            "которого",
            "которую",
            "которым",
        ):
            return True
    return False


_DELEGATION = frozenset({"делегация"})


def _delegation_stays(
    doc: Doc, sentence: Sentence, tokens: list[Token], mentions: list[Mention], morph: Any
) -> bool:
    """A delegation (the subject, in the nominative) in a place the sentence names with "в": a visit."""
    if not any(
        is_russian(t.text)
        and may_have_lemma(t.text, morph, _DELEGATION)
        and any(f.normal == "делегация" and f.case == "nomn" for f in readings(t.text, morph))
        for t in tokens
    ):
        return False
    return any(
        re.search(r"(?i)\bв[о]?\s+$", doc.text[max(sentence.start, m.start - 4) : m.start])
        for m in mentions
        if m.type == LOC
    )


def _is_gerund(word: str, morph: Any) -> bool:
    forms = readings(word, morph)
    return bool(forms) and forms[0].pos == "GRND"


#: Verbs of taking part: "участвовали в переговорах" tells who was at an event, not that another took place.
PARTICIPATING = frozenset({"участвовать", "присутствовать", "принять", "поучаствовать", "входить", "войти"})


def _refers_back(tokens: list[Token], n: int, morph: Any) -> bool:
    """Whether an event noun at tokens[n] only refers to an event ("в ходе встречи", "программа визита",
    "присутствовал на переговорах")."""
    if not any(f.pos == "NOUN" for f in readings(tokens[n].text, morph)[:1]):
        return False
    window = tokens[max(0, n - 3) : n] + tokens[n + 1 : n + 3]
    if any(is_russian(t.text) and lemma(t.text, morph) in PARTICIPATING for t in window):
        return True
    j = n - 1
    hops = 0
    while j >= 0 and hops < 4:
        word = tokens[j].text
        if not is_russian(word):
            return False
        forms = readings(word, morph)
        if forms and forms[0].pos in ("ADJF", "PRTF", "NUMR", "PREP") and lemma(word, morph) not in REFERRING:
            j -= 1
            hops += 1
            continue
        return lemma(word, morph) in REFERRING
    return False


def _planned(tokens: list[Token], n: int, morph: Any) -> bool:
    """Whether the clause of tokens[n] puts it in the future or in plans ("будут помогать в
    организации встреч")."""
    start = n
    while start > 0 and tokens[start - 1].text not in (",", ";", ":", "—", "–"):
        start -= 1
    for token in tokens[start : n + 2]:
        if is_russian(token.text) and (
            lemma(token.text, morph) in FUTURE or token.text.lower() in ("будет", "будут")
        ):
            return True
    return False


def _specific_place(places: list[Mention]) -> Mention | None:
    """The most specific place: a city if one is named, else a place of no known kind, else a
    region, else a country."""
    for wanted in ("city", None, "region", "country"):
        for place in places:
            if place.kind == wanted:
                return place
    return places[0] if places else None


def _event_places(doc: Doc, sentence: Sentence, mentions: list[Mention], morph: Any) -> list[Mention]:
    """Places the sentence puts something in: not those of titles, organizations or origins."""
    titles = [(f.start, f.stop) for f in doc.positions if f.start is not None and f.stop is not None]
    located: list[Mention] = []
    others: list[Mention] = []
    for mention in mentions:
        if mention.type != LOC or any(a <= mention.start < b for a, b in titles):
            continue
        before = re.findall(
            r"[А-Яа-яЁё\-]+|[^\s\w]", doc.text[max(sentence.start, mention.start - 40) : mention.start]
        )
        previous = before[-1].lower() if before else ""
        if (
            previous in ("в", "во", "на", "г", "городе", "город", "селе", "поселке", "районе")
            or previous == "."
        ):
            located.append(mention)
            continue
        if (
            previous
            and is_russian(previous)
            and (has_lemma(previous, morph, ORIGIN_WORDS) or has_lemma(previous, morph, TITLE_HEADS, NOUNISH))
        ):
            continue
        others.append(mention)
    return located or others


def _bracketed_places(
    doc: Doc, sentence: Sentence, mentions: list[Mention]
) -> list[tuple[Mention, list[Mention]]]:
    """Places written in brackets after the organizations they hold: [(place, organizations)]."""
    groups: list[tuple[Mention, list[Mention]]] = []
    pending: list[Mention] = []
    for mention in mentions:
        if mention.type == ORG:
            pending.append(mention)
        elif mention.type == LOC:
            before = doc.text[max(sentence.start, mention.start - 12) : mention.start]
            if "(" in before and pending:
                groups.append((mention, pending))
                pending = []
    return groups


def _participants(mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """The organizations and people of a sentence, without the agencies and press services reporting it."""
    orgs = [m for m in mentions if m.type == ORG and m.kind != "media" and m.head != "пресс-служба"]
    people = [m for m in mentions if m.type == PER]
    return orgs, people


def _organizer(doc: Doc, sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    match = _ORGANIZER.search(sentence.text)
    if match is None:
        return None
    after = sentence.start + match.end()
    return next((m for m in mentions if m.type == ORG and m.start >= after), None)


def find_events(doc: Doc, morph: Any, agreements: list[AgreementFact] | None = None) -> list[EventFact]:
    """Events of a document in text order, each happening once."""
    events: list[EventFact] = []
    last_date: tuple[str | None, str | None] = (None, None)
    last_place: Mention | None = None
    paragraph = -1
    organizer: Mention | None = None
    dateline = doc.dateline
    dateline_date = None
    if dateline is not None and dateline.date is not None:
        dateline_date = next(
            ((d.start_date, d.end_date) for d in doc.dates if d.start == dateline.date[0]), None
        )
    first_paragraph = doc.sentences[0].paragraph if doc.sentences else 0
    signings = {id(s): a for a in agreements or [] for s in a.sentences}
    signed_here = {id(a.sentences[-1]) for a in agreements or [] if a.reported and a.sentences}
    for sentence in doc.sentences:
        if sentence.paragraph != paragraph:
            paragraph = sentence.paragraph
            last_place = None
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        dates = [
            d
            for d in doc.dates
            if sentence.start <= d.start < sentence.stop
            and not (dateline is not None and d.start < dateline.stop)
        ]
        tokens = sentence.tokens
        organizer = _organizer(doc, sentence, mentions) or organizer
        kinds: list[str] = []
        references: set[str] = set()
        told: set[str] = set()
        for n in range(len(tokens)):
            kind = _trigger_kind(tokens, n, morph)
            if kind is None or kind in told:
                continue
            if _planned(tokens, n, morph):
                continue
            if _is_gerund(tokens[n].text, morph) and kinds:
                continue  # "провел презентацию, представив ..." is one happening
            if _refers_back(tokens, n, morph):
                references.add(
                    kind
                )  # "в ходе встречи": the meeting happened; it may be reported elsewhere too
            else:
                told.add(kind)
            if kind not in kinds:
                kinds.append(kind)
        references -= told
        if not any(k == "visit" for k in kinds) and _delegation_stays(doc, sentence, tokens, mentions, morph):
            kinds.append("visit")  # "делегация провела в Ташкенте четыре дня"
        if id(sentence) in signed_here and "signing" not in kinds:
            kinds.append("signing")  # "поставили подписи под меморандумом": the agreement is the signing
        date = (dates[0].start_date, dates[0].end_date) if dates else None
        places = _event_places(doc, sentence, mentions, morph)
        place = _specific_place(places)
        if (
            place is not None
            and place.kind == "country"
            and last_place is not None
            and last_place.kind != "country"
        ):
            place = None  # "... в Узбекистане" after a city names the country, not where it happened
        for kind in kinds:
            inferred = date is None
            start, end = date if date else last_date
            if start is None and dateline_date is not None and sentence.paragraph == first_paragraph:
                start, end = dateline_date
            orgs, people = _participants(mentions)
            groups = _bracketed_places(doc, sentence, mentions) if kind == "visit" else []
            if len(groups) > 1:
                for group_place, group_orgs in groups:
                    events.append(
                        EventFact(
                            kind=kind,
                            sentence=sentence,
                            start=start,
                            end=end,
                            date_inferred=inferred,
                            place=group_place,
                            organizations=group_orgs,
                            people=people,
                        )
                    )
                continue
            agreement = signings.get(id(sentence)) if kind == "signing" else None
            if agreement is not None and not agreement.parties:
                agreement = None  # "подписала первые соглашения": which ones, the text tells later
            if agreement is not None:
                orgs = list(agreement.parties) + [m for m in orgs if m not in agreement.parties]
            events.append(
                EventFact(
                    kind=kind,
                    sentence=sentence,
                    start=start,
                    end=end,
                    date_inferred=inferred,
                    place=place or last_place,
                    organizations=orgs,
                    people=people,
                    agreement=agreement,
                    reference=kind in references,
                )
            )
        if date:
            last_date = date
        if place is not None:
            last_place = place
    if organizer is not None and events:
        main = next((e for e in events if e.kind == "visit"), events[0])
        main.organizer = organizer
    return merge_events(events)


def _key(mention: Mention) -> str:
    from cooplab.ingest.entities import mention_key

    return mention_key(mention)


def _compatible(a: EventFact, b: EventFact) -> bool:
    """Whether two reports can be of one happening (see the module docstring); a reference ("в ходе
    встречи") gives way on date and place, a report does not."""
    if a.kind != b.kind:
        return False
    if a.agreement is not None and b.agreement is not None and a.agreement is not b.agreement:
        return False
    either_reference = a.reference or b.reference
    if a.start and b.start and (a.start, a.end) != (b.start, b.end) and not either_reference:
        return False
    if (
        a.place is not None
        and b.place is not None
        and _key(a.place) != _key(b.place)
        and not either_reference
    ):
        return False
    orgs_a, orgs_b = {_key(m) for m in a.organizations}, {_key(m) for m in b.organizations}
    people_a, people_b = {_key(m) for m in a.people}, {_key(m) for m in b.people}
    if orgs_a and orgs_b and not orgs_a & orgs_b:
        return False  # a visit to other companies is another visit
    if a.kind == "visit" and not either_reference and bool(orgs_a) != bool(orgs_b):
        return False  # a trip to a country and a visit to a plant on it are two visits
    if (
        a.kind in ("visit", "meeting")
        and not either_reference
        and people_a
        and people_b
        and not people_a & people_b
        and not orgs_a & orgs_b
    ):
        return False  # who met whom tells meetings apart; a ceremony is one whoever the text names at it
    return True


def merge_events(events: list[EventFact]) -> list[EventFact]:
    """Reports of one happening as one event (the first report's sentence, the union of participants)."""
    merged: list[EventFact] = []
    for event in events:
        if event.reference:
            earlier = [
                m
                for m in merged
                if m.kind == event.kind
                and not (
                    m.agreement is not None
                    and event.agreement is not None
                    and m.agreement is not event.agreement
                )
            ]
            if earlier:  # "по итогам поездки": the trip told of before, whoever else the sentence names
                earlier[-1].agreement = earlier[-1].agreement or event.agreement
                continue
        same = next((m for m in merged if _compatible(m, event)), None)
        if same is None:
            merged.append(event)
            continue
        report = same.reference and not event.reference
        if same.start is None or report or (same.date_inferred and not event.date_inferred and event.start):
            if event.start is not None:
                same.start, same.end, same.date_inferred = event.start, event.end, event.date_inferred
        same.place = (event.place or same.place) if report else (same.place or event.place)
        same.reference = same.reference and event.reference
        same.organizations += [m for m in event.organizations if m not in same.organizations]
        same.people += [m for m in event.people if m not in same.people]
        same.organizer = same.organizer or event.organizer
        same.agreement = same.agreement or event.agreement
    return merged
