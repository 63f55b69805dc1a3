"""Agreements the text reports as signed: the document, its parties, its date.

A sentence is read when one of its words is a document (lexicon.DOCUMENTS: меморандум,
соглашение, договор, контракт, протокол; or a plan: "дорожная карта", "план мероприятий"). Its
syntax (slovnet through adapters.adapt_syntax) ties the document to the word that signs it:

    X и Y подписали меморандум              the document is the verb's object
    меморандум был подписан / заключили     ... or its subject
    подписанный план, соглашение, заключенное ...   a participle of the document
    соглашение, которое заключили X и Y     a relative clause
    поставили подписи под меморандумом, состоялось подписание соглашения   a signature, a signing

and says whether it happened: a verb in the past, a past participle, or "удалось подписать" is a
signing; an infinitive of a plan ("планируют подписать", "в том, чтобы подписать"), the future,
"не" or a draft ("проект соглашения") is not. The parties are the organizations listed as the
subject (before the verb, or after it: "меморандум заключили X и Y"), with "с X", and "между X и Y";
a person signing stands for the organization of their position, or the body their title heads
("аким Костаная" -> акимат Костаная). The same document reported twice (the same parties, or a
plan without parties followed by its signatures) is one agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cooplab.ingest.adapters import SyntaxToken, adapt_syntax
from cooplab.ingest.document import LOC, ORG, PER, AgreementFact, Doc, Mention, PositionFact, Sentence
from cooplab.ingest.lexicon import (
    DOCUMENTS,
    PLAN_DOCUMENTS,
    PLANNING_WORDS,
    SIGNING_NOUNS,
    SIGNING_VERBS,
    SUCCESS_WORDS,
    TITLE_BODIES,
)
from cooplab.ingest.words import lemma

_PLAN_NOUNS = frozenset(word for pair in PLAN_DOCUMENTS for word in pair)
_DRAFT_WORDS = frozenset({"проект", "подготовка", "разработка", "обсуждение", "согласование", "текст"})
_HAPPENED = frozenset({"состояться", "пройти", "проходить", "завершиться", "стать"})
_PUT = frozenset({"поставить", "скрепить"})
_FILLER = frozenset(
    {
        ",",
        "и",
        "«",
        "»",
        '"',
        "(",
        ")",
        "–",
        "—",
        "между",
        "собой",
        "также",
        "а",
        "официально",
        "стороны",
        "сторон",
    }
)
MAX_SUBJECT_WORDS = 30


@dataclass
class _Document:
    """A document word of a parsed sentence and what the parse says of it."""

    token: SyntaxToken
    kind: str
    title: str  # "меморандум", "дорожная карта"
    plan: bool = False
    predicate: SyntaxToken | None = None
    signed: bool = False
    extra: list[SyntaxToken] = field(default_factory=list)


def _children(tokens: list[SyntaxToken], index: int) -> list[SyntaxToken]:
    return [t for t in tokens if t.head == index]


def _ancestors(tokens: list[SyntaxToken], token: SyntaxToken) -> list[SyntaxToken]:
    out, seen = [], set()
    while token.head >= 0 and token.head not in seen:
        seen.add(token.head)
        token = tokens[token.head]
        out.append(token)
    return out


def _lemma(token: SyntaxToken, morph: Any) -> str:
    return lemma(token.text, morph)


#: Words that stand for a document named before ("подписи под документом").
ANAPHORIC_DOCUMENTS = frozenset({"документ", "меморандум", "соглашение"})


def _documents(tokens: list[SyntaxToken], morph: Any) -> list[_Document]:
    found: list[_Document] = []
    for token in tokens:
        word = _lemma(token, morph)
        if word == "документ" and token.pos == "NOUN":
            found.append(_Document(token, "", "документ"))
            continue
        if (kind := DOCUMENTS.get(word)) is not None and token.pos in ("NOUN", "PROPN"):
            found.append(_Document(token, kind, word))
            continue
        for (first, second), title in PLAN_DOCUMENTS.items():
            if word == second and token.pos == "NOUN":
                partner = [c for c in _children(tokens, token.index) if _lemma(c, morph) == first]
                if partner:
                    found.append(_Document(token, "agreement", title, plan=True))
            elif word == first and first in ("план", "программа") and token.pos == "NOUN":
                partner = [c for c in _children(tokens, token.index) if _lemma(c, morph) == second]
                if partner:
                    found.append(_Document(token, "agreement", title, plan=True))
    return found


def _is_signing_verb(token: SyntaxToken, morph: Any) -> bool:
    return (
        token.pos in ("VERB", "AUX")
        and _lemma(token, morph) in SIGNING_VERBS
        or (token.pos == "ADJ" and _lemma(token, morph) in {"подписанный", "заключенный"})
    )


def _predicate(tokens: list[SyntaxToken], document: _Document, morph: Any) -> SyntaxToken | None:
    """The word that signs the document, by the shapes of the module docstring."""
    token = document.token
    for child in _children(
        tokens, token.index
    ):  # подписанный план / соглашение, заключенное ... / которое заключили
        if child.rel in ("amod", "acl", "acl:relcl") and _is_signing_verb(child, morph):
            return child
    head = tokens[token.head] if token.head >= 0 else None
    if head is None:
        return None
    if _is_signing_verb(head, morph):
        return head
    if _lemma(head, morph) in _PUT and any(
        _lemma(c, morph) == "подпись" for c in _children(tokens, head.index)
    ):
        return head  # "подписи под «дорожной картой» поставили ...": the parse ties the document to the verb
    if _lemma(head, morph) in SIGNING_NOUNS:  # подписи под меморандумом, подписание соглашения
        holder = tokens[head.head] if head.head >= 0 else None
        if holder is not None and _lemma(holder, morph) in (_PUT | _HAPPENED | SIGNING_VERBS):
            return holder
        return head
    if head.rel in ("conj",) and head.head >= 0 and _is_signing_verb(tokens[head.head], morph):
        return tokens[head.head]
    return None


def _planned(tokens: list[SyntaxToken], predicate: SyntaxToken, morph: Any) -> bool:
    """Whether the predicate reports a plan, a wish, the future or a negation rather than a signing."""
    feats = predicate.feats
    for child in _children(tokens, predicate.index):
        if child.text.lower() == "не" or (child.rel == "aux" and child.feats.get("Tense") == "Fut"):
            return True
        if (
            child.rel in ("aux", "aux:pass")
            and _lemma(child, morph) == "быть"
            and child.feats.get("Tense") == "Fut"
        ):
            return True
    if feats.get("Tense") == "Fut":
        return True
    if feats.get("VerbForm") == "Inf":
        governors = _ancestors(tokens, predicate)
        if governors and _lemma(governors[0], morph) in SUCCESS_WORDS:
            return False
        return True
    if feats.get("Tense") == "Pres" and feats.get("VerbForm") == "Fin" and predicate.pos == "VERB":
        return _lemma(predicate, morph) not in _HAPPENED and _lemma(predicate, morph) not in SIGNING_VERBS
    for governor in _ancestors(tokens, predicate)[:2]:
        if governor.rel in ("obj", "nsubj", "obl") and predicate.feats.get("VerbForm") == "Part":
            break
        if _lemma(governor, morph) in PLANNING_WORDS:
            return True
    return False


def _reported(tokens: list[SyntaxToken], predicate: SyntaxToken, morph: Any) -> bool:
    """Whether the text reports the signing as news (a verb of its own clause), not as a document of the
    past it mentions ("соглашение, заключенное в мае", "соглашению, которое заключили")."""
    if predicate.rel in ("acl:relcl", "acl", "amod") and _lemma(predicate, morph) not in SIGNING_NOUNS:
        return predicate.rel == "amod" and tokens[predicate.head].rel in ("nsubj", "root")
    return True


def _draft(tokens: list[SyntaxToken], document: _Document, morph: Any) -> bool:
    head = tokens[document.token.head] if document.token.head >= 0 else None
    return head is not None and document.token.rel == "nmod" and _lemma(head, morph) in _DRAFT_WORDS


# --------------------------------------------------------------------------- parties


def _mention_at(mentions: list[Mention], offset: int) -> Mention | None:
    return next((m for m in mentions if m.start <= offset < m.stop), None)


def _list_around(
    doc: Doc,
    sentence: Sentence,
    mentions: list[Mention],
    titles: list[tuple[int, int]],
    start: int,
    direction: int,
) -> list[Mention]:
    """The organizations and persons listed from `start` leftwards (-1) or rightwards (+1) in a sentence."""
    tokens = sentence.tokens
    if direction < 0:
        order = [t for t in tokens if t.stop <= start][::-1]
    else:
        order = [t for t in tokens if t.start >= start]
    found: list[Mention] = []
    words = 0
    for token in order:
        if words > MAX_SUBJECT_WORDS:
            break
        mention = _mention_at(mentions, token.start)
        if mention is not None and mention.type in (ORG, PER):
            if mention not in found:
                found.append(mention)
            continue
        if mention is not None and mention.type == LOC and any(a <= token.start < b for a, b in titles):
            continue
        if any(a <= token.start < b for a, b in titles):
            continue
        low = token.text.lower()
        if low in _FILLER or low in {"ооо", "оао", "пао", "зао", "ао", "гуп", "осоо", "тоо", "ип"}:
            continue
        if _inside_brackets(doc.text, sentence.start, token.start) and found:
            continue
        if (
            not found
            and direction < 0
            and (
                low.isdigit()
                or low
                in {"вчера", "сегодня", "также", "уже", "затем", "официально", "торжественно", "совместно"}
            )
        ):
            continue
        if (
            not found
            and direction > 0
            and (low in {"между", "собой", "сегодня", "вчера"} or _descriptor(low))
        ):
            continue
        if found and token.text[:1].islower() and direction > 0 and _descriptor(low):
            continue  # "... и турецкая компания AKIA"
        if found and token.text[:1].islower() and direction < 0 and _descriptor(low):
            continue
        break
    return found[::-1] if direction < 0 else found


_DESCRIPTOR_STEMS = (
    "компани",
    "предприяти",
    "завод",
    "фирм",
    "корпораци",
    "холдинг",
    "банк",
    "групп",
    "организаци",
    "агентств",
    "ассоциаци",
    "концерн",
    "производител",
    "поставщик",
)


def _descriptor(word: str) -> bool:
    """A word that says what the next party is ("турецкая компания AKIA", "с компанией «X»")."""
    return word.endswith(("ая", "ий", "ый", "ое", "ие", "ые", "ой", "ым", "ым")) or word.startswith(
        _DESCRIPTOR_STEMS
    )


def _inside_brackets(text: str, sentence_start: int, offset: int) -> bool:
    before = text[sentence_start:offset]
    return before.count("(") > before.count(")")


def _with(
    doc: Doc,
    sentence: Sentence,
    mentions: list[Mention],
    titles: list[tuple[int, int]],
    tokens: list[SyntaxToken],
    heads: set[int],
) -> list[Mention]:
    """Parties named with "с X" or "между X и Y" attached to the signing word or the document."""
    found: list[Mention] = []
    for token in tokens:
        if token.head not in heads or token.text.lower() in ("собой", "себя"):
            continue
        if any(
            c.rel == "case" and c.text.lower() in ("с", "со", "между") for c in _children(tokens, token.index)
        ):
            for m in _list_around(doc, sentence, mentions, titles, token.start, +1):
                if m.type in (ORG, PER) and m not in found:
                    found.append(m)
    return found


def _signer_body(doc: Doc, person: Mention, positions: list[PositionFact]) -> Mention | None:
    """The organization a signing person stands for: their position's, or the body their title heads."""
    for fact in positions:
        if fact.person is person or (person.cluster is not None and fact.person.cluster == person.cluster):
            if fact.organization is not None:
                return fact.organization
            words = fact.title.split() if fact.title else []
            body = TITLE_BODIES.get(words[0].lower()) if words else None
            if body and fact.territory is not None:
                name = " ".join(
                    [body, *words[1:]]
                )  # "министр промышленности ... РФ" -> "министерство промышленности ..."
                bare = " ".join(words[1:]) == fact.territory.text
                return Mention(
                    ORG,
                    person.start,
                    person.start,
                    "",
                    source="rule",
                    rule="signer",
                    normal=name,
                    head=body,
                    parts=[fact.territory],
                    derived=True,
                    bare=bare,
                )
    return None


def _parties(
    doc: Doc,
    sentence: Sentence,
    document: _Document,
    mentions: list[Mention],
    positions: list[PositionFact],
    tokens: list[SyntaxToken],
) -> tuple[list[Mention], list[Mention]]:
    titles = [
        (f.start, f.stop)
        for f in positions
        if f.start is not None and f.stop is not None and sentence.start <= f.start < sentence.stop
    ]
    predicate = document.predicate
    anchor = predicate if predicate is not None else document.token
    while anchor.rel == "conj" and anchor.head >= 0 and tokens[anchor.head].pos in ("VERB", "AUX"):
        anchor = tokens[anchor.head]  # "X и Y провели переговоры и подписали ...": the first verb's subject
    subject_is_relative = predicate is not None and predicate.rel == "acl:relcl"
    listed: list[Mention] = []
    if not subject_is_relative:
        listed = _list_around(doc, sentence, mentions, titles, min(anchor.start, document.token.start), -1)
        if predicate is not None and predicate.start > document.token.start:
            between = [
                m
                for m in mentions
                if document.token.stop <= m.start and m.stop <= predicate.start and m.type in (ORG, PER)
            ]
            if between:
                listed = _list_around(doc, sentence, mentions, titles, predicate.start, -1)
    if not listed and predicate is not None:
        listed = _list_around(doc, sentence, mentions, titles, predicate.stop, +1)
        listed = [m for m in listed if m.start >= predicate.stop]
    heads = (
        {document.token.index}
        | ({predicate.index} if predicate is not None else set())
        | {t.index for t in _descendants(tokens, document.token.index, skip=("acl", "acl:relcl", "amod"))}
    )
    listed = listed + [m for m in _with(doc, sentence, mentions, titles, tokens, heads) if m not in listed]
    parties: list[Mention] = []
    signatories: list[Mention] = []
    for mention in listed:
        if mention.type == PER:
            signatories.append(mention)
            body = _signer_body(doc, mention, positions)
            if body is not None:
                parties.append(body)
        elif mention.kind != "media":
            parties.append(mention)
    return parties, signatories


# --------------------------------------------------------------------------- the stage


def _subject(tokens: list[SyntaxToken], document: _Document, text: str) -> str:
    """What the document is about: its "о ..." / "в целях ..." / "по ..." phrase as written."""
    pieces = [
        c
        for c in _children(tokens, document.token.index)
        if c.rel == "nmod"
        and any(g.rel == "case" and g.text.lower() in ("о", "об", "по") for g in _children(tokens, c.index))
    ]
    if document.predicate is not None:
        pieces += [
            c
            for c in _children(tokens, document.predicate.index)
            if c.rel == "obl"
            and any(g.text.lower() == "в" for g in _children(tokens, c.index))
            and c.text.lower() == "целях"
        ]
    if not pieces:
        return ""
    piece = pieces[0]
    span = [piece] + _descendants(tokens, piece.index)
    start, stop = min(t.start for t in span), max(t.stop for t in span)
    return text[start:stop]


def _descendants(tokens: list[SyntaxToken], index: int, skip: tuple[str, ...] = ()) -> list[SyntaxToken]:
    """Every word under tokens[index] in the parse, not entering subtrees of the relations in `skip`."""
    out: list[SyntaxToken] = []
    stack = [index]
    while stack:
        current = stack.pop()
        for child in _children(tokens, current):
            if child.rel in skip:
                continue
            out.append(child)
            stack.append(child.index)
    return out


_SIGNING_STEMS = ("подпис", "заключ", "скреп", "парафир")


def _has_document_word(sentence: Sentence, morph: Any) -> bool:
    """Whether a sentence names a document and a signing word (only those are parsed)."""
    document = signing = False
    for token in sentence.tokens:
        word = token.text.lower()
        if word.startswith(_SIGNING_STEMS):
            signing = True
        if not document and word[:4] in (
            "мемо",
            "согл",
            "дого",
            "конт",
            "прот",
            "карт",
            "план",
            "декл",
            "конв",
            "доку",
        ):
            found = lemma(token.text, morph)
            document = found in DOCUMENTS or found in _PLAN_NOUNS or found == "документ"
    return document and signing


def find_agreements(doc: Doc, models: Any) -> list[AgreementFact]:
    """Agreements signed in a document, one per document, with parties, date and subject."""
    found: list[AgreementFact] = []
    morph = models.morph
    chosen = [s for s in doc.sentences if _has_document_word(s, morph)]
    parses = adapt_syntax([s.tokens for s in chosen], models.morph_tagger, models.syntax_parser)
    for sentence, tokens in zip(chosen, parses, strict=True):
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        dates = [d for d in doc.dates if sentence.start <= d.start < sentence.stop]
        for document in _documents(tokens, morph):
            document.predicate = _predicate(tokens, document, morph)
            if document.predicate is None or _draft(tokens, document, morph):
                continue
            if _planned(tokens, document.predicate, morph):
                continue
            parties, signatories = _parties(doc, sentence, document, mentions, doc.positions, tokens)
            date = _date_near(dates, document)
            found.append(
                AgreementFact(
                    kind=document.kind,
                    sentence=sentence,
                    parties=_unique(parties),
                    reported=_reported(tokens, document.predicate, morph),
                    subject=_subject(tokens, document, doc.text)[:400],
                    date=date,
                    document=document.title,
                    anchor=document.token.start,
                    plural=document.token.feats.get("Number") == "Plur",
                    signatories=signatories,
                    sentences=[sentence],
                )
            )
    return merge_agreements(found, doc.sentences)


def _date_near(dates: list[Any], document: _Document) -> str | None:
    if not dates:
        return None
    best = min(dates, key=lambda d: abs(d.start - document.token.start))
    return best.start_date


def _key(mention: Mention) -> str:
    from cooplab.ingest.entities import mention_key

    return mention_key(mention)


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for mention in mentions:
        key = _key(mention)
        if key not in seen:
            seen.add(key)
            out.append(mention)
    return out


def _near(sentences: list[Sentence], a: AgreementFact, b: AgreementFact) -> bool:
    """Whether two reports stand within two sentences of each other (a document without its parties is
    the one just told of, not any of its kind in the text)."""
    order = {id(s): n for n, s in enumerate(sentences)}
    return any(abs(order.get(id(x), 0) - order.get(id(y), 0)) <= 2 for x in a.sentences for y in b.sentences)


def merge_agreements(
    found: list[AgreementFact], doc_sentences: list[Sentence] | None = None
) -> list[AgreementFact]:
    """One agreement per document: the same kind and parties once; a plan without parties takes the
    parties of the next plan's signatures; a document without parties, the same kind's nearby; "the
    document" is the one named last before it."""
    doc_sentences = doc_sentences or []
    merged: list[AgreementFact] = []
    for agreement in found:
        keys = {_key(p) for p in agreement.parties}
        if agreement.document == "документ":
            if not merged:
                continue
            same = merged[-1]
            if not same.parties:
                same.parties = agreement.parties
            same.signatories += [p for p in agreement.signatories if p not in same.signatories]
            same.sentences += [s for s in agreement.sentences if s not in same.sentences]
            same.reported = same.reported or agreement.reported
            same.date = same.date or agreement.date
            continue
        same = next(
            (
                m
                for m in merged
                if m.kind == agreement.kind
                and _same_class(m, agreement)
                and (
                    {_key(p) for p in m.parties} == keys
                    or ((not keys or not m.parties) and _near(doc_sentences, m, agreement))
                )
            ),
            None,
        )
        if same is None:
            merged.append(agreement)
            continue
        if not same.parties:
            same.parties = agreement.parties
        same.reported = same.reported or agreement.reported
        same.signatories += [p for p in agreement.signatories if p not in same.signatories]
        same.sentences += [s for s in agreement.sentences if s not in same.sentences]
        same.date = same.date or agreement.date
        same.subject = same.subject or agreement.subject
    return merged


def _same_class(a: AgreementFact, b: AgreementFact) -> bool:
    plans = set(PLAN_DOCUMENTS.values())
    return a.document == b.document or (a.document in plans and b.document in plans)
