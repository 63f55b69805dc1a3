"""Who holds which post where: "генеральный директор UZ Auto Motors Бу Инге Андерссон".

A title is a head word from TITLE_HEADS with the adjectives before it and a lower-case tail after
it ("руководитель отдела международных проектов"). It is found right before a person (with an
organization, or a country acting as one, "президент России", in between, or not), or right after a person and a comma ("Андрей Крайнов,
генеральный директор Кластера АП"). An organization not written next to the title comes from
"X в лице директора ..." or from a sentence that starts "От X ...". Titles are put in the
nominative ("генеральным директором" -> "генеральный директор").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cooplab.ingest.document import LOC, ORG, PER, Doc, Mention, PositionFact, Sentence, Token
from cooplab.ingest.inflection import join_words, nominative_phrase

#: Stems of words that head a job title.
TITLE_HEADS = (
    "директор", "гендиректор", "руководител", "советник", "президент", "вице-президент",
    "председател", "зампред", "глав", "заместител", "замминистр", "министр", "губернатор", "мэр",
    "начальник", "управляющ", "менеджер", "эксперт", "специалист", "основател", "сооснователь",
    "совладел", "владел", "партнер", "партнёр", "посол", "премьер", "сотрудник", "аналитик",
    "экономист", "депутат", "сенатор", "член", "генсек", "секретар", "пресс-секретар",
    "консультант", "координатор", "инженер", "технолог", "юрист", "адвокат", "представител",
    "спикер", "лидер", "акционер", "инвестор", "бизнесмен", "предпринимател", "архитектор",
    "редактор", "главред", "корреспондент", "обозревател", "профессор", "ректор", "декан",
    "атташе", "консул", "прокурор", "судья", "следовател", "командующ", "генерал",
)
#: Words that begin like a title head but are not one.
_NOT_HEADS = ("главн", "членств", "директори", "представительств", "министерств", "генеральн", "президентск", "советск")
#: Words that may stand between a title and the organization it belongs to.
_ORG_WORDS = ("компани", "предприяти", "завода", "холдинга", "концерна", "корпораци", "банка",
              "группы", "фонда", "агентства", "ассоциаци", "кластера", "платформы", "ооо", "оао",
              "зао", "пао", "ао")
MAX_TITLE_WORDS = 8
_SEPARATORS = {",", "—", "–", "-", "("}
_QUOTES = {"«", "»", '"', "“", "”", "„"}


def _is_head(word: str) -> bool:
    low = word.lower()
    return low.startswith(TITLE_HEADS) and not low.startswith(_NOT_HEADS)


def _is_title_word(token: Token) -> bool:
    text = token.text
    return text[:1].islower() and text.replace("-", "").isalpha()


@dataclass
class _Item:
    """A token of a sentence, or a whole mention standing where its tokens are."""

    token: Token | None = None
    mention: Mention | None = None

    @property
    def text(self) -> str:
        return self.mention.text if self.mention else self.token.text if self.token else ""


def _items(sentence: Sentence, mentions: list[Mention]) -> list[_Item]:
    items: list[_Item] = []
    ms = sorted(mentions, key=lambda m: m.start)
    k = 0
    for token in sentence.tokens:
        while k < len(ms) and ms[k].stop <= token.start:
            k += 1
        if k < len(ms) and ms[k].start <= token.start < ms[k].stop:
            if not items or items[-1].mention is not ms[k]:
                items.append(_Item(mention=ms[k]))
            continue
        items.append(_Item(token=token))
    return items


def _title_span(items: list[_Item], end: int) -> tuple[int, int] | None:
    """A title whose last word is items[end-1]: (first, stop) indices, head included."""
    head = None
    i = end - 1
    while i >= 0 and end - i <= MAX_TITLE_WORDS:
        item = items[i]
        if item.token is None or not (_is_title_word(item.token) or (i == 0 and item.token.text.isalpha())):
            break
        if _is_head(item.token.text):
            head = i
            break
        i -= 1
    if head is None:
        return None
    first = head
    while first > 0 and items[first - 1].token is not None \
            and (_is_title_word(items[first - 1].token) or (first == 1 and items[0].token.text.isalpha())) \
            and not _is_head(items[first - 1].token.text) and items[first - 1].token.text.lower().endswith(
                ("ый", "ий", "ой", "ого", "его", "ому", "ему", "ым", "им", "ая", "яя", "ую", "юю", "ой", "ей")):
        first -= 1
    return first, end


def _title_after(items: list[_Item], begin: int) -> tuple[int, int, Mention | None] | None:
    """A title that starts at items[begin] (after a person and a comma): (first, stop, organization)."""
    i = begin
    while i < len(items) and i - begin < 3 and items[i].token is not None and _is_title_word(items[i].token):
        if _is_head(items[i].token.text):
            stop = i + 1
            while stop < len(items) and stop - begin < MAX_TITLE_WORDS and items[stop].token is not None \
                    and _is_title_word(items[stop].token) and not items[stop].token.text.lower().startswith(_ORG_WORDS):
                stop += 1
            organization = None
            j = stop
            while j < len(items) and items[j].token is not None and items[j].token.text.lower().startswith(_ORG_WORDS):
                j += 1
            if j < len(items) and items[j].mention is not None and items[j].mention.type == ORG:
                organization = items[j].mention
            return begin, stop, organization
        i += 1
    return None


def _words(items: list[_Item], first: int, stop: int, text: str) -> tuple[str, list[str], list[str]]:
    tokens = [items[k].token for k in range(first, stop) if items[k].token is not None]
    words = [t.text for t in tokens]
    seps = [text[a.stop : b.start] for a, b in zip(tokens, tokens[1:], strict=False)]
    surface = text[tokens[0].start : tokens[-1].stop] if tokens else ""
    return surface, words, seps


def _context_organization(items: list[_Item], person_at: int) -> Mention | None:
    """The organization of "X в лице ..." before the person, or of a sentence opening "От X"."""
    for k in range(person_at - 1, 0, -1):
        item = items[k]
        if item.token is not None and item.token.text.lower() == "лице" and items[k - 1].token is not None \
                and items[k - 1].token.text.lower() == "в":
            if k >= 2 and items[k - 2].mention is not None and items[k - 2].mention.type == ORG:
                return items[k - 2].mention
            break
    if len(items) > 1 and items[0].token is not None and items[0].token.text.lower() == "от" \
            and items[1].mention is not None and items[1].mention.type == ORG:
        return items[1].mention
    return None


def _skip_quotes(items: list[_Item], end: int) -> int:
    """Step back over closing and opening quotes before items[end]."""
    while end > 0 and items[end - 1].token is not None and items[end - 1].token.text in _QUOTES:
        end -= 1
    return end


def find_positions(doc: Doc, morph: Any) -> list[PositionFact]:
    """Titles of the people of a document, with the organization where the text gives it."""
    facts: list[PositionFact] = []
    for sentence in doc.sentences:
        mentions = doc.mentions_in(sentence.start, sentence.stop)
        if not any(m.type == PER for m in mentions):
            continue
        items = _items(sentence, mentions)
        for at, item in enumerate(items):
            person = item.mention
            if person is None or person.type != PER:
                continue
            organization: Mention | None = None
            end = _skip_quotes(items, at)
            if end > 0 and items[end - 1].mention is not None and items[end - 1].mention.type in (ORG, LOC):
                organization = items[end - 1].mention
                end = _skip_quotes(items, end - 1)
                while end > 0 and items[end - 1].token is not None and \
                        items[end - 1].token.text.lower().startswith(_ORG_WORDS):
                    end -= 1
            span = _title_span(items, end)
            if span is None:
                after = at + 1
                if after < len(items) and items[after].token is not None and items[after].token.text in _SEPARATORS:
                    found = _title_after(items, after + 1)
                    if found is not None:
                        span, organization = (found[0], found[1]), found[2]
            if span is None:
                continue
            surface, words, seps = _words(items, span[0], span[1], doc.text)
            if not words:
                continue
            if words[0][:1].isupper() and not words[0].isupper():
                words[0] = words[0][:1].lower() + words[0][1:]  # a title opening the sentence
            title = join_words(nominative_phrase(words, morph), seps)
            facts.append(PositionFact(
                person=person, title=title, title_text=surface,
                organization=organization or _context_organization(items, at),
            ))
    return facts
