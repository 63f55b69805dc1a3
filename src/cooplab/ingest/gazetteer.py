"""Names the registry already knows, found in a text in any script and any Russian case form.

Every name of every organization, person and place (organization_names, person_names,
place_names) becomes a sequence of word keys: lower case, ё as е, apostrophes dropped, Russian
case endings cut ("Кластера" and "Кластером" both give "кластер"), transliterated to ASCII with
the spelling variants of vocab.names ("Узавтосаноат" and "UzAutoSanoat" meet), legal forms left
out. A text is cut into words the same way and every run of words whose joined keys equal a
name's joined keys is a match ("UZ Auto Motors" = "UzAuto Motors", "Uz-Dong Won Co" = "Uz Dong Won").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from sqlalchemy import select
from sqlalchemy.orm import Session

from cooplab.core.revision import PerDatabase
from cooplab.ingest.kinds import LOC, ORG, PER
from cooplab.registry.models import (
    Organization,
    OrganizationName,
    Person,
    PersonName,
    Place,
    PlaceName,
    Stamp,
)
from cooplab.vocab.names import LEGAL_FORMS, SPELLING_VARIANTS

#: Registry record types and the mention types they are found as.
MENTION_TYPE = {"organization": ORG, "person": PER, "place": LOC}
RECORD_TYPE = {v: k for k, v in MENTION_TYPE.items()}

#: Russian inflectional endings, longest first; cut so that "Ташкенте" and "Ташкент" meet.
_ENDINGS = sorted(
    """ами ями ого его ому ему ыми ими ией ой ей ом ем ам ям ах ях ую юю ая яя ое ее ые ие ый ий ия
    ым им а я у ю е ы и о ь й""".split(),
    key=len,
    reverse=True,
)
_VOWELS = set("аеиоуыэюяйь")
_WORD = re.compile(r"[^\W_]+(?:['’ʻʼ`][^\W_]+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʻʼ`")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
#: What may stand between two words of one name.
_JOINERS = re.compile(r"^(?:[ \t]*[-–&.]?[ \t]*|[ \t]*\n[ \t]*)$")
MAX_NAME_WORDS = 10


def stem(word: str) -> str:
    """A Russian word without its case ending (at least three letters kept); other words unchanged."""
    word = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(word) or len(word) < 4:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    while len(word) > 3 and word[-1] in _VOWELS:
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The comparison key of one word: stemmed, ASCII, lower case, spelling variants applied."""
    key = re.sub(r"[^0-9a-z]", "", anyascii(stem(word.translate(_APOSTROPHES))).lower())
    for old, new in SPELLING_VARIANTS:
        key = key.replace(old, new)
    return key


@dataclass(frozen=True)
class Word:
    """A word of a text with its offsets."""

    text: str
    start: int
    stop: int
    key: str


def words_of(text: str) -> list[Word]:
    """The words of a text with their keys (letters and digits; apostrophes inside words kept)."""
    return [Word(m.group(), m.start(), m.end(), word_key(m.group())) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Record:
    """A registry record a name belongs to, with what the ingest result shows of it."""

    type: str  # organization | person | place
    id: int
    name: str  # display name
    country: str | None = None
    geonames_id: int | None = None
    kind: str | None = None


@dataclass(frozen=True)
class GazetteerMatch:
    """A run of words that spells a known name, and the records that bear it."""

    start: int
    stop: int
    text: str
    records: tuple[Record, ...]
    value: str  # the registry name that matched


def _name_keys(value: str) -> tuple[str, bool, str]:
    """Joined key of a name without legal forms, whether its first word is capitalised, first key."""
    words = words_of(value)
    kept = [w for w in words if w.key not in LEGAL_FORMS] or words
    kept = [w for w in kept if w.key]
    if not kept:
        return "", False, ""
    first = kept[0].text
    return "".join(w.key for w in kept), first[:1].isupper() or first[:1].isdigit(), kept[0].key


@dataclass
class Gazetteer:
    """Every name of the registry, ready to be found in text."""

    names: dict[str, list[tuple[Record, str, bool]]] = field(default_factory=lambda: defaultdict(list))
    first_keys: set[str] = field(default_factory=set)

    def add(self, record: Record, value: str) -> None:
        """Add one name of a record."""
        key, capitalised, first = _name_keys(value)
        if len(key) < 2:
            return
        self.names[key].append((record, value, capitalised))
        self.first_keys.add(first)

    @classmethod
    def from_names(cls, pairs: Iterable[tuple[Record, str]]) -> Gazetteer:
        """A gazetteer of (record, name) pairs, for notebooks, tests and other registries."""
        gazetteer = cls()
        for record, value in pairs:
            gazetteer.add(record, value)
        return gazetteer

    def __len__(self) -> int:
        return len(self.names)

    def records_named(self, name: str) -> list[Record]:
        """Records that bear exactly this name (as a key: any case form, script or legal form)."""
        key, _, _ = _name_keys(name)
        seen: dict[tuple[str, int], Record] = {}
        for record, _value, _cap in self.names.get(key, []):
            seen.setdefault((record.type, record.id), record)
        return list(seen.values())

    def find(self, text: str) -> list[GazetteerMatch]:
        """Known names in the text, longest first where they overlap, in text order."""
        if not self.names:
            return []
        words = words_of(text)
        found: list[GazetteerMatch] = []
        i = 0
        while i < len(words):
            match = self._longest_at(text, words, i)
            if match is None:
                i += 1
                continue
            found.append(match[0])
            i = match[1]
        return found

    def _longest_at(self, text: str, words: list[Word], i: int) -> tuple[GazetteerMatch, int] | None:
        if words[i].key not in self.first_keys:
            return None
        best: tuple[GazetteerMatch, int] | None = None
        key = ""
        for j in range(i, min(len(words), i + MAX_NAME_WORDS)):
            if j > i and not _JOINERS.match(text[words[j - 1].stop : words[j].start]):
                break
            if j > i and words[j].key in LEGAL_FORMS:
                continue
            key += words[j].key
            entries = self.names.get(key)
            if not entries:
                continue
            first = words[i].text
            entries = [e for e in entries if not e[2] or first[:1].isupper() or first[:1].isdigit()]
            if len(key) <= 3:  # short names (РФ, AMS) only as capitals, written alike
                entries = [e for e in entries if text[words[i].start : words[j].stop].isupper()]
            if not entries:
                continue
            stop = j + 1
            while stop < len(words) and _trailing_legal_form(text, words, i, stop):
                stop += 1  # a legal form written after the name ("Uz-Dong Won Co") is part of it
            records = tuple(dict.fromkeys(e[0] for e in entries))
            start_char, stop_char = words[i].start, words[stop - 1].stop
            written = text[start_char:stop_char]
            # The name compared with the text is one in the text's script: "Ульяновской" is checked
            # against "Ульяновск", never passed by its Latin name "Ulyanovsk".
            cyrillic = bool(_CYRILLIC.search(written))
            value = next((e[1] for e in entries if bool(_CYRILLIC.search(e[1])) == cyrillic), entries[0][1])
            best = (GazetteerMatch(start_char, stop_char, written, records, value), stop)
        return best


def _trailing_legal_form(text: str, words: list[Word], first: int, k: int) -> bool:
    """Word k is a capitalised legal form in the script of the name that starts at `first`."""
    word = words[k]
    same_script = bool(_CYRILLIC.search(word.text)) == bool(_CYRILLIC.search(words[first].text))
    return (
        word.key in LEGAL_FORMS
        and word.text[:1].isupper()
        and same_script
        and bool(_JOINERS.match(text[words[k - 1].stop : word.start]))
    )


def _build(session: Session) -> Gazetteer:
    gazetteer = Gazetteer()
    orgs = session.execute(
        select(
            Organization.id,
            Organization.name,
            Organization.country,
            Organization.kind,
            OrganizationName.value,
        )
        .join(OrganizationName, OrganizationName.organization_id == Organization.id)
        .where(Organization.merged_into_id.is_(None))
    )
    for oid, name, country, kind, value in orgs:
        gazetteer.add(Record("organization", oid, name, country=country, kind=kind), value)
        gazetteer.add(Record("organization", oid, name, country=country, kind=kind), name)
    for pid, name, value in session.execute(
        select(Person.id, Person.name, PersonName.value).join(PersonName, PersonName.person_id == Person.id)
    ):
        gazetteer.add(Record("person", pid, name), value)
    for lid, name, country, geonames_id, kind, value in session.execute(
        select(Place.id, Place.name, Place.country, Place.geonames_id, Place.kind, PlaceName.value).join(
            PlaceName, PlaceName.place_id == Place.id
        )
    ):
        gazetteer.add(Record("place", lid, name, country=country, geonames_id=geonames_id, kind=kind), value)
    return gazetteer


_gazetteers = PerDatabase(Stamp.NAMES, _build)


def gazetteer_for(session: Session) -> Gazetteer:
    """The gazetteer of this database's registry, rebuilt when the registry's names changed."""
    return _gazetteers.get(session)
