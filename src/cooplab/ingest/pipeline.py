"""Text in, reviewable JSON out: `extract` runs the stages of the ingest pipeline in order.

    segment_doc -> tag_ner_doc -> match_gazetteer_doc -> apply_rules_doc -> find_credits_doc
    -> resolve_mentions_doc -> repair_mentions_doc -> find_bodies_doc -> name_states_doc -> normalize_doc
    -> find_dates_doc -> find_positions_doc -> find_agreements_doc -> find_events_doc -> find_next_steps_doc
    -> link_doc -> build_result

Each stage takes our Doc (document.py) and the models it needs (resources.load_models, loaded
once); the registry comes in as a Gazetteer and, for search-based linking, a session.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from cooplab.errors import InvalidInputError, field_error
from cooplab.ingest.actions import find_next_steps
from cooplab.ingest.adapters import adapt_is_common_word, adapt_ner, adapt_sentences
from cooplab.ingest.agreements import find_agreements
from cooplab.ingest.datelines import find_credits
from cooplab.ingest.dates import find_dates
from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention
from cooplab.ingest.english import find_english_agreements, find_english_events
from cooplab.ingest.entities import Entity, cluster_mentions
from cooplab.ingest.events import find_events
from cooplab.ingest.gazetteer import MENTION_TYPE, Gazetteer, Record, gazetteer_for
from cooplab.ingest.inflection import is_cyrillic_word, join_words, nominative_person, nominative_phrase
from cooplab.ingest.lexicon import PLAN_DOCUMENTS, TITLE_HEADS
from cooplab.ingest.linking import link_entities
from cooplab.ingest.mentions import find_aliases, fold_territories, infer_place_kinds, repair_mentions
from cooplab.ingest.organizations import find_body_names
from cooplab.ingest.positions import find_positions
from cooplab.ingest.readers import (
    check_text,
    content_hash,
    detect_language,
    guess_other_language,
    normalise_text,
    read_document,
    read_path,
)
from cooplab.ingest.resources import Models, load_models
from cooplab.ingest.rules import find_rule_matches, has_org_descriptor_before
from cooplab.ingest.schemas import (
    ActionItemOut,
    AgreementOut,
    CandidateOut,
    DateOut,
    EventOut,
    IngestResult,
    OrganizationOut,
    PersonOut,
    PlaceOut,
    PositionOut,
)
from cooplab.ingest.words import NOUNISH, has_lemma, is_known, lemmas, readings

#: Which claim wins where mentions overlap: the registry, then our rules, then the NER model.
PRIORITY = {"gazetteer": 0, "rule": 1, "ner": 2}
#: Rules whose mentions come before the NER model's even where the model saw something else.
FIRM_RULES = frozenset({"dateline"})
#: Last words that make a Latin-script name an organization in English text.
EN_ORG_WORDS = frozenset(
    "motors motor group corporation corp company co ltd llc jsc inc plc bank association cluster lab "
    "holding holdings agency ministry university institute industries industry automotive systems "
    "technologies components control partners fund".split()
)
_NAME_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")
_LEGAL_SUFFIX = re.compile(r"(?:\.?\s*,?\s*(?:CO|Co|LTD|Ltd|LLC|Inc|INC|GmbH|JSC|PLC|Corp|CORP)\b\.?)+")
_LIST_GLUE = re.compile(r"^\s*(?:,|;|и|and|\(.{0,40}?\)\s*,?|\(.{0,40}?\)\s*и)\s*$")


def segment_doc(doc: Doc, models: Models) -> None:
    """Cut the text into sentences and tokens."""
    doc.sentences = adapt_sentences(doc.text, models.segmenter)


def tag_ner_doc(doc: Doc, models: Models) -> None:
    """Add natasha's PER/ORG/LOC spans (Russian text only: the model knows no other language)."""
    if doc.language == "ru":
        doc.mentions.extend(adapt_ner(doc.text, doc.sentences, models.ner_tagger))


def _pick_record(records: tuple[Record, ...], hint: str | None) -> Record:
    if hint is not None:
        for record in records:
            if MENTION_TYPE[record.type] == hint:
                return record
    order = {"organization": 0, "place": 1, "person": 2}
    return min(records, key=lambda r: order[r.type])


def _same_lemmas(written: str, name: str, models: Models) -> bool:
    """Whether the words of a text match the words of a registry name lemma by lemma, where
    pymorphy2 knows both (the stems of "Ульяновской" and "Ульяновск" meet, their lemmas do not)."""
    said, named = _NAME_WORD.findall(written), _NAME_WORD.findall(name)
    if len(said) != len(named):
        return True  # a name written in other words (legal forms, joined parts): the keys decided
    for a, b in zip(said, named, strict=True):
        if (
            is_cyrillic_word(a)
            and is_cyrillic_word(b)
            and is_known(a, models.morph)
            and is_known(b, models.morph)
        ):
            if not lemmas(a, models.morph) & lemmas(b, models.morph):
                return False
    return True


def match_gazetteer_doc(doc: Doc, gazetteer: Gazetteer, models: Models) -> None:
    """Add every known registry name found in the text, linked to its record (certain by lemma)."""
    starts = {s.tokens[0].start for s in doc.sentences if s.tokens}
    for match in gazetteer.find(doc.text):
        if not _same_lemmas(match.text, match.value, models):
            continue
        words = _NAME_WORD.findall(match.text)
        if (
            len(words) == 1
            and match.start in starts
            and is_cyrillic_word(words[0])
            and adapt_is_common_word(words[0], models.morph)
        ):
            continue  # "Автокомпоненты ..." opening a sentence is a word, not the company
        hint = next(
            (
                m.type
                for m in doc.mentions
                if m.source == "ner" and m.start < match.stop and match.start < m.stop
            ),
            None,
        )
        record = _pick_record(match.records, hint)
        doc.mentions.append(
            Mention(
                MENTION_TYPE[record.type],
                match.start,
                match.stop,
                match.text,
                source="gazetteer",
                record=record,
                kind=record.kind,
            )
        )


def _latin_is_org(doc: Doc, start: int, stop: int, listed: bool) -> bool:
    if has_org_descriptor_before(doc.text, start):
        return True
    if doc.language == "en":
        words = _NAME_WORD.findall(doc.text[start:stop])
        return bool(words) and words[-1].lower() in EN_ORG_WORDS
    return listed


def apply_rules_doc(doc: Doc, models: Models) -> None:
    """Add the yargy rules' mentions: Latin-script organizations, "г. X" places, «quoted» names."""
    matches = find_rule_matches(doc.text, models.rules)
    latin = sorted((m for m in matches if m.rule == "latin_name"), key=lambda m: m.start)
    known = [m for m in doc.mentions if m.type == ORG]
    groups: list[list[tuple[int, int]]] = []
    for match in latin:
        if match.stop - match.start < 2 or doc.text[match.start : match.stop].isdigit():
            continue
        suffix = _LEGAL_SUFFIX.match(doc.text, match.stop)
        if suffix is not None and suffix.end() > match.stop:  # "... SYSTEMS CO., LTD" is a company's name
            doc.mentions.append(
                Mention(
                    ORG,
                    match.start,
                    suffix.end(),
                    doc.text[match.start : suffix.end()],
                    source="rule",
                    rule="latin_name",
                )
            )
            continue
        if groups and _LIST_GLUE.match(doc.text[groups[-1][-1][1] : match.start]):
            groups[-1].append((match.start, match.stop))
        else:
            groups.append([(match.start, match.stop)])
    for group in groups:
        known_members = sum(any(k.start < b and a < k.stop for k in known) for a, b in group)
        listed = len(group) > 1 and (
            (len(group) >= 3 and known_members >= 2)
            or has_org_descriptor_before(doc.text, group[0][0])
            or doc.text[max(0, group[0][0] - 3) : group[0][0]].strip().endswith(":")
        )
        for start, stop in group:
            if doc.language == "ru" or _latin_is_org(doc, start, stop, listed):
                if _latin_is_org(doc, start, stop, listed):
                    doc.mentions.append(
                        Mention(ORG, start, stop, doc.text[start:stop], source="rule", rule="latin_name")
                    )
    if doc.language != "ru":
        return
    for match in matches:
        text = doc.text[match.start : match.stop]
        if match.rule == "city":
            doc.mentions.append(
                Mention(LOC, match.start, match.stop, text, source="rule", rule="city", kind="city")
            )
        elif match.rule == "quoted_name":
            doc.mentions.append(
                Mention(ORG, match.start, match.stop, text, source="rule", rule="quoted_name", normal=text)
            )


def resolve_mentions_doc(doc: Doc) -> None:
    """Keep one mention per stretch of text: registry names first, then rules, then the NER model."""
    candidates = doc.mentions
    ner_orgs = [m for m in candidates if m.source == "ner" and m.type == ORG]
    candidates = [
        m
        for m in candidates
        if not (
            m.source == "gazetteer"
            and m.type != ORG
            and any(
                n.start <= m.start and m.stop <= n.stop and (n.stop - n.start) > (m.stop - m.start)
                for n in ner_orgs
            )
        )
    ]
    ner = [m for m in candidates if m.source == "ner"]
    candidates = [  # a Latin name or a city never cuts a longer NER mention apart
        m
        for m in candidates
        if m.rule not in ("latin_name", "city")
        or not any(
            n.start < m.stop
            and m.start < n.stop
            and (
                m.rule == "city"
                or not (m.start <= n.start and n.stop <= m.stop and m.stop - m.start > n.stop - n.start)
            )
            for n in ner
        )
    ]
    kept: list[Mention] = []
    order = sorted(
        candidates,
        key=lambda m: (PRIORITY[m.source] if m.rule not in FIRM_RULES else -1, -(m.stop - m.start), m.start),
    )
    for mention in order:
        if any(k.start < mention.stop and mention.start < k.stop for k in kept):
            continue
        kept.append(mention)
    doc.mentions = sorted(kept, key=lambda m: m.start)


def find_credits_doc(doc: Doc) -> None:
    """Add the dateline's city and the agencies a news item credits."""
    doc.mentions.extend(find_credits(doc))


def find_bodies_doc(doc: Doc, models: Models) -> None:
    """Put the full names of bodies in place of the shorter mentions they hold; places inside stay, nested."""
    if doc.language != "ru":
        return
    for body in sorted(find_body_names(doc, models.morph), key=lambda b: b.start):
        inside = [m for m in doc.mentions if body.start <= m.start and m.stop <= body.stop]
        crossing = [
            m for m in doc.mentions if m.start < body.stop and body.start < m.stop and m not in inside
        ]
        if crossing or any(m.stop - m.start >= body.stop - body.start for m in inside):
            continue
        if any(m.source == "gazetteer" and m.type == ORG and m not in body.parts for m in inside):
            continue
        doc.mentions = [m for m in doc.mentions if m not in inside]
        _extend_inner_names(doc, body)
        doc.nested.extend(m for m in body.parts if m not in doc.nested)
        doc.mentions.append(body)
    doc.mentions.sort(key=lambda m: m.start)


def _extend_inner_names(doc: Doc, body: Mention) -> None:
    """An organization inside a body's name takes the place right after it ("пресс-служба [Министерства
    ... торговли Узбекистана]": the ministry is of Uzbekistan)."""
    parts = sorted(body.parts, key=lambda m: m.start)
    for inner, nxt in zip(parts, parts[1:], strict=False):
        if inner.type == ORG and nxt.type == LOC and not doc.text[inner.stop : nxt.start].strip():
            inner.stop, inner.text, inner.normal = nxt.stop, doc.text[inner.start : nxt.stop], None
            inner.parts = [*inner.parts, nxt]


def repair_mentions_doc(doc: Doc, models: Models) -> None:
    """Trim, drop and split mentions (mentions.py)."""
    if doc.language == "ru":
        repair_mentions(doc, models.morph)


def name_states_doc(doc: Doc, models: Models) -> None:
    """Give states and republics their names, places their kinds, abbreviations the names they stand for."""
    fold_territories(doc)
    if doc.language == "ru":
        infer_place_kinds(doc, models.morph)
    find_aliases(doc)


#: Cases prepositions call for (the ones that matter before a name).
PREPOSITION_CASES = {
    "с": frozenset({"ablt", "gent"}),
    "со": frozenset({"ablt"}),
    "у": frozenset({"gent"}),
    "от": frozenset({"gent"}),
    "для": frozenset({"gent"}),
    "без": frozenset({"gent"}),
    "до": frozenset({"gent"}),
    "из": frozenset({"gent"}),
    "к": frozenset({"datv"}),
    "ко": frozenset({"datv"}),
    "по": frozenset({"datv"}),
    "о": frozenset({"loct"}),
    "об": frozenset({"loct"}),
    "при": frozenset({"loct"}),
    "между": frozenset({"ablt"}),
    "перед": frozenset({"ablt"}),
}
_WORD_BEFORE = re.compile(r"([А-Яа-яЁё\-]+)[\s,]*$")


def _expected_cases(doc: Doc, mention: Mention, models: Models) -> frozenset[str]:
    """The cases the words before a person's name call for: a preposition, or a title in apposition."""
    window = doc.text[max(0, mention.start - 120) : mention.start]
    words = re.findall(r"[А-Яа-яЁё\-]+|[^\sА-Яа-яЁё]", window)[-10:]
    if words and words[-1].lower() in PREPOSITION_CASES:
        return PREPOSITION_CASES[words[-1].lower()]
    for word in reversed(words):
        if not word[:1].isalpha() or (word[:1].isupper() and word != words[0]):
            break
        title = has_lemma(word, models.morph, TITLE_HEADS, NOUNISH)
        if title is not None:
            return frozenset(
                f.case
                for f in readings(word, models.morph)
                if f.normal.replace("ё", "е") == title and f.case and f.number == "sing"
            )
    return frozenset()


def _normal_form(mention: Mention, models: Models, doc: Doc | None = None) -> str:
    found = list(_NAME_WORD.finditer(mention.text))
    if not found:
        return mention.text
    words = [m.group() for m in found]
    separators = [mention.text[a.end() : b.start()] for a, b in zip(found, found[1:], strict=False)]
    if mention.type == PER:
        expected = _expected_cases(doc, mention, models) if doc is not None else frozenset()
        words = nominative_person(words, models.morph, expected)
    else:
        prefer = frozenset({"Geox"}) if mention.type == LOC else frozenset({"Orgn"})
        words = nominative_phrase(words, models.morph, prefer=prefer)
    head = mention.text[: found[0].start()]
    tail = mention.text[found[-1].end() :]
    return (head + join_words(words, separators) + tail).strip()


def normalize_doc(doc: Doc, models: Models) -> None:
    """Give every mention its name in the nominative ("Андерссоном" -> "Андерссон")."""
    for mention in doc.mentions + doc.nested:
        if mention.normal is None:
            mention.normal = _normal_form(mention, models, doc) if doc.language == "ru" else mention.text
    cluster_mentions(
        doc
    )  # one type per entity before the stages that read types (clusters come again at the end)


def link_doc(doc: Doc, session: Session | None, models: Models) -> list[Entity]:
    """Group mentions into entities and link the ones the gazetteer did not through registry search,
    where the name is certainly the record's (linking.py); close records become candidates."""
    entities = cluster_mentions(doc)
    if session is not None:
        link_entities(entities, session, models.morph)
    return entities


def find_dates_doc(doc: Doc) -> None:
    """Find dates and ranges, years resolved against the publication date."""
    doc.dates = find_dates(doc.text, doc.published)


def find_positions_doc(doc: Doc, models: Models) -> None:
    """Find titles of people and the organizations they hold them at (Russian text)."""
    doc.positions = find_positions(doc, models.morph) if doc.language == "ru" else []


def find_agreements_doc(doc: Doc, models: Models) -> None:
    """Find signed memoranda, agreements and contracts with their parties (Russian text)."""
    if doc.language == "ru":
        doc.agreements = find_agreements(doc, models) if models.syntax_parser else []
    else:
        doc.agreements = find_english_agreements(doc)
    for agreement in doc.agreements:
        doc.nested.extend(p for p in agreement.parties if p.derived and p not in doc.nested)


def find_events_doc(doc: Doc, models: Models) -> None:
    """Find visits, meetings, signings, presentations and other happenings, each once (Russian text)."""
    doc.events = (
        find_events(doc, models.morph, doc.agreements) if doc.language == "ru" else find_english_events(doc)
    )


def find_next_steps_doc(doc: Doc, models: Models) -> None:
    """Find the next steps the text records (Russian text)."""
    doc.actions = find_next_steps(doc, models.morph) if doc.language == "ru" else []


def _names(mentions: list[Mention], entities: list[Entity]) -> list[str]:
    return list(dict.fromkeys(entities[m.cluster].name for m in mentions if m.cluster is not None))


def _candidates(entity: Entity) -> list[CandidateOut]:
    return [
        CandidateOut(id=record.id, name=record.name, score=round(score, 1), reason=reason)
        for record, score, reason in entity.candidates
    ]


def build_result(doc: Doc, entities: list[Entity], *, source: str, digest: str) -> IngestResult:
    """The reviewable JSON of a document."""
    result = IngestResult(
        source=source,
        language=doc.language,
        content_hash=digest,
        published=doc.published.isoformat() if doc.published else None,
    )
    positions: dict[int, list[PositionOut]] = {}
    for fact in doc.positions:
        if fact.person.cluster is None:
            continue
        org = (
            entities[fact.organization.cluster]
            if fact.organization and fact.organization.cluster is not None
            else None
        )
        territory = (
            entities[fact.territory.cluster].name
            if fact.territory and fact.territory.cluster is not None and org is None
            else fact.state
            if org is None
            else None
        )
        out = PositionOut(
            title=fact.title,
            organization=org.name if org else None,
            organization_id=org.record.id if org and org.record else None,
            text=fact.title_text,
            territory=territory,
        )
        listed = positions.setdefault(fact.person.cluster, [])
        if all((p.title, p.organization) != (out.title, out.organization) for p in listed):
            listed.append(out)
    for number, entity in enumerate(entities):
        record = entity.record
        rid = record.id if record else None
        if entity.type == ORG:
            result.organizations.append(
                OrganizationOut(
                    id=rid,
                    name=entity.name,
                    mentions=entity.surface_forms,
                    kind=record.kind if record else _org_kind(entity),
                    country=entity.country,
                    derived=all(m.derived for m in entity.mentions),
                    candidates=_candidates(entity),
                )
            )
        elif entity.type == PER:
            result.people.append(
                PersonOut(
                    id=rid,
                    name=entity.name,
                    mentions=entity.surface_forms,
                    positions=positions.get(number, []),
                    candidates=_candidates(entity),
                )
            )
        else:
            result.places.append(
                PlaceOut(
                    id=rid,
                    name=entity.name,
                    mentions=entity.surface_forms,
                    country=entity.country,
                    geonames_id=record.geonames_id if record else None,
                    kind=(record.kind if record and record.kind else None) or _place_kind(entity),
                    candidates=_candidates(entity),
                )
            )
    seen_dates: set[tuple[str, str | None]] = set()
    for d in doc.dates:
        if (d.start_date, d.end_date) not in seen_dates:
            seen_dates.add((d.start_date, d.end_date))
            result.dates.append(
                DateOut(
                    text=d.text,
                    start=d.start_date,
                    end=d.end_date,
                    granularity=d.granularity,
                    relative=d.relative,
                )
            )
    agreement_index: dict[int, int] = {}
    seen_agreements: dict[tuple[str, str, frozenset[str]], int] = {}
    for agreement in doc.agreements:
        parties = _names(agreement.parties, entities)
        if len(parties) < 2:
            continue  # a document whose parties the text does not give is left to the signing event
        key = (agreement.kind, _document_class(agreement.document), frozenset(parties))
        if key in seen_agreements:
            agreement_index[id(agreement)] = seen_agreements[key]
            continue
        seen_agreements[key] = agreement_index[id(agreement)] = len(result.agreements)
        result.agreements.append(
            AgreementOut(
                kind=agreement.kind,
                date=agreement.date,
                parties=parties,
                subject=agreement.subject,
                document=agreement.document,
                signatories=_names(agreement.signatories, entities),
            )
        )
    seen_events: dict[tuple[object, ...], EventOut] = {}
    for event in doc.events:
        place = (
            entities[event.place.cluster].name if event.place and event.place.cluster is not None else None
        )
        orgs, people = _names(event.organizations, entities), _names(event.people, entities)
        signed = agreement_index.get(id(event.agreement)) if event.agreement is not None else None
        if signed is not None:
            orgs = list(dict.fromkeys(result.agreements[signed].parties + orgs))
        key = (event.kind, event.start, place, signed, frozenset(orgs))
        out = seen_events.get(key)
        if out is None:
            out = EventOut(
                kind=event.kind,
                start=event.start,
                end=event.end,
                date_inferred=event.date_inferred,
                place=place,
                summary=event.sentence.text[:400],
                agreement=signed,
                organizer=_names([event.organizer], entities)[0] if event.organizer else None,
            )
            seen_events[key] = out
            result.events.append(out)
        out.organizations = list(dict.fromkeys(out.organizations + orgs))
        out.people = list(dict.fromkeys(out.people + people))
    for action in doc.actions:
        result.action_items.append(
            ActionItemOut(
                text=action.text,
                owners=_names(action.owners, entities),
                due=action.due,
                source=action.sentence.text[:400],
            )
        )
    return result


def _document_class(document: str) -> str:
    """Plans of joint work (дорожная карта, план мероприятий) are one class of document."""
    return "plan" if document in PLAN_DOCUMENTS.values() else document


def _org_kind(entity: Entity) -> str | None:
    return "media" if any(m.kind == "media" for m in entity.mentions) else None


def _place_kind(entity: Entity) -> str | None:
    kinds = [m.kind for m in entity.mentions if m.kind in ("city", "region", "country")]
    return kinds[0] if kinds else None


def run_pipeline(doc: Doc, *, models: Models, gazetteer: Gazetteer, session: Session | None) -> list[Entity]:
    """Run every stage on a prepared Doc; return its entities (the Doc is filled in place)."""
    segment_doc(doc, models)
    tag_ner_doc(doc, models)
    match_gazetteer_doc(doc, gazetteer, models)
    apply_rules_doc(doc, models)
    find_credits_doc(doc)
    resolve_mentions_doc(doc)
    repair_mentions_doc(doc, models)
    find_bodies_doc(doc, models)
    name_states_doc(doc, models)
    normalize_doc(doc, models)
    find_dates_doc(doc)
    find_positions_doc(doc, models)
    find_agreements_doc(doc, models)
    find_events_doc(doc, models)
    find_next_steps_doc(doc, models)
    return link_doc(doc, session, models)


def extract(
    text: str,
    *,
    published: date | None = None,
    source: str = "",
    session: Session | None = None,
    registry: Gazetteer | None = None,
    models: Models | None = None,
) -> IngestResult:
    """Organizations, people with positions, places, dates, events and agreements of a Russian or
    English text."""
    if not isinstance(text, str):
        raise InvalidInputError(
            f"{source or 'text'}: expected text (str), got {type(text).__name__}",
            details=[field_error([source or "text"], "not a string")],
        )
    check_text(text, name=source)
    clean = normalise_text(text)
    language = detect_language(clean)
    if language is None:
        other = guess_other_language(clean)
        named = {"uz": "Uzbek"}.get(other)
        message = (
            f"the text is in {named}, " if named else "the text is in "
        ) + "neither Russian nor English; only those two are read"
        detail = field_error([source or "text"], message) | {
            "code": "unsupported_language",
            "params": {"language": other},
        }
        raise InvalidInputError(f"{source or 'text'}: {message}", details=[detail])
    if registry is None:
        registry = gazetteer_for(session) if session is not None else Gazetteer()
    doc = Doc(text=clean, language=language, published=published)
    entities = run_pipeline(doc, models=models or load_models(), gazetteer=registry, session=session)
    return build_result(doc, entities, source=source, digest=content_hash(clean))


def extract_file(
    path: str | Path,
    *,
    published: date | None = None,
    session: Session | None = None,
    registry: Gazetteer | None = None,
) -> IngestResult:
    """`extract` over a file: plain text (UTF-8 or Windows-1251), HTML or DOCX."""
    path = Path(path)
    return extract(read_path(path), published=published, source=path.name, session=session, registry=registry)


def extract_bytes(
    data: bytes,
    *,
    name: str = "",
    published: date | None = None,
    session: Session | None = None,
    registry: Gazetteer | None = None,
) -> IngestResult:
    """`extract` over uploaded bytes, their kind told by content and name."""
    return extract(
        read_document(data, name=name), published=published, source=name, session=session, registry=registry
    )
