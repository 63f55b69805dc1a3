"""Needs and capabilities: what a buyer wants made, and what a supplier can make.

Plain pydantic shapes, filled by the service from the database or by the workbook parser from
a file; nothing here reads the database. Values normalise themselves at the boundary: HS codes
to digits, currencies and countries to ISO codes, certification names to one spelling.
Both are EEN-style profiles: a need is a request, a capability an offer; either may be
published anonymously (the supplier or buyer is then not named to the reader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cooplab.feasibility.choices import Incoterm
from cooplab.vocab.choices import Language, Visibility
from cooplab.vocab.countries import validate_country
from cooplab.vocab.hs import format_hs_code, normalize_hs_code
from cooplab.vocab.money import validate_currency
from cooplab.vocab.processes import Process

#: Certifications people name in several spellings, by their comparison key.
_CERTIFICATION_NAMES = {
    "iatf16949": "IATF 16949",
    "isots16949": "IATF 16949",  # the former ISO/TS 16949, replaced by IATF 16949 in 2016
    "ts16949": "IATF 16949",
    "iso9001": "ISO 9001",
    "iso14001": "ISO 14001",
    "iso45001": "ISO 45001",
    "ohsas18001": "ISO 45001",
    "iso50001": "ISO 50001",
    "vda63": "VDA 6.3",
}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def certification_key(name: str) -> str:
    """The comparison key of a certification name ("ISO/TS 16949" -> "iatf16949")."""
    raw = _NOT_ALNUM.sub("", name.lower().split(":")[0])
    raw = re.sub(r"(19|20)\d\d$", "", raw) if raw.startswith(("iso", "iatf")) and len(raw) > 8 else raw
    canonical = _CERTIFICATION_NAMES.get(raw)
    return _NOT_ALNUM.sub("", canonical.lower()) if canonical else raw


def certification_name(name: str) -> str:
    """One spelling of a certification ("iso 9001:2015" -> "ISO 9001"); unknown names are kept
    as written, trimmed."""
    key = _NOT_ALNUM.sub("", name.lower().split(":")[0])
    key = re.sub(r"(19|20)\d\d$", "", key) if key.startswith(("iso", "iatf")) and len(key) > 8 else key
    return _CERTIFICATION_NAMES.get(key, " ".join(name.split()))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(Strict):
    """A place with coordinates: a production site or a delivery place."""

    name: str
    place_id: int | None = None
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class Certification(Strict):
    """A certificate a supplier holds, valid to `expires` (None: no expiry stated)."""

    name: str
    expires: date | None = None

    @field_validator("name")
    @classmethod
    def _spelling(cls, value: str) -> str:
        value = certification_name(value)
        if not value:
            raise ValueError("a certification needs a name")
        return value

    @property
    def key(self) -> str:
        return certification_key(self.name)

    def valid_on(self, day: date) -> bool:
        """Held and not expired on `day` (a certificate without an expiry date counts as valid)."""
        return self.expires is None or self.expires >= day


HsCode = Annotated[str, Field(description="HS code digits, 2 to 10")]


def _hs(value: Any) -> str:
    return normalize_hs_code(str(value))


class Texts(Strict):
    """A description in any of the three languages (at least one may be empty)."""

    ru: str | None = None
    uz: str | None = None
    en: str | None = None

    def values(self) -> list[str]:
        return [t for t in (self.ru, self.uz, self.en) if t]

    def in_language(self, lang: Language) -> str | None:
        """The text in `lang`, else the first one there is."""
        return getattr(self, lang.value) or next(iter(self.values()), None)


def texts_of(value: Any) -> Texts:
    """A plain string (its language detected) or a {lang: text} mapping as Texts."""
    from cooplab.matching.text import detect_language

    if value is None or isinstance(value, Texts):
        return value or Texts()
    if isinstance(value, str):
        value = value.strip()
        return Texts(**{detect_language(value).value: value}) if value else Texts()
    return Texts.model_validate(value)


class Need(Strict):
    """What a buyer (an OEM or a Tier-1) wants localized or sourced: a request profile."""

    id: int | None = None
    ref: str | None = Field(None, description="the need's own key, as its owner names it")
    buyer_id: int | None = None
    buyer: str = Field(description="the buyer's name, as the reader may see it")
    buyer_tier: int | None = Field(None, ge=1, le=3, description="None for an OEM")
    hs_code: str | None = None
    part: str | None = None
    description: Texts = Texts()
    annual_volume: int | None = Field(None, gt=0)
    target_price: Decimal | None = Field(None, gt=0)
    currency: str | None = None
    processes: tuple[Process, ...] = ()
    certifications: tuple[str, ...] = ()
    delivery_place: Location | None = None
    deadline: date | None = None
    visibility: Visibility = Visibility.ORGANIZATION
    anonymous: bool = False
    illustrative: bool = False

    @field_validator("hs_code", mode="before")
    @classmethod
    def _hs_code(cls, value: Any) -> str | None:
        return None if value in (None, "") else _hs(value)

    @field_validator("description", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> Texts:
        return texts_of(value)

    @field_validator("processes", mode="after")
    @classmethod
    def _once_each(cls, value: tuple[Process, ...]) -> tuple[Process, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> str | None:
        return None if value in (None, "") else validate_currency(value)

    @field_validator("certifications", mode="before")
    @classmethod
    def _certifications(cls, value: Any) -> tuple[str, ...]:
        names = [certification_name(str(v)) for v in value or ()]
        return tuple(dict.fromkeys(n for n in names if n))

    @model_validator(mode="after")
    def _what_is_needed(self) -> Need:
        if not self.hs_code and not self.part and not self.description.values():
            raise ValueError("a need names its product: an HS code, a part or a description")
        if self.target_price is not None and not self.currency:
            raise ValueError("a target price needs its currency")
        return self

    @property
    def key(self) -> str:
        """How pages and reasons name the need: its ref, else its id."""
        return self.ref or (f"#{self.id}" if self.id is not None else "need")

    @property
    def texts(self) -> list[str]:
        return [t for t in (self.part, *self.description.values()) if t]

    @property
    def hs_label(self) -> str | None:
        return format_hs_code(self.hs_code) if self.hs_code else None


class Offer(Strict):
    """The price a supplier asks for one unit of its part, under an Incoterm at its first site
    (EXW, FCA) or at the buyer's delivery place (CPT, DAP...), and how many units one truck
    carries (what the freight is shared by)."""

    unit_price: Decimal = Field(gt=0, le=10**12)
    currency: str
    incoterm: Incoterm = Incoterm.FCA
    units_per_shipment: int | None = Field(None, gt=0, le=10**9)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> str:
        return validate_currency(value)


class Capability(Strict):
    """What a supplier can make: an offer profile (one supplier may have several)."""

    id: int | None = None
    supplier_id: int | None = None
    supplier: str = Field(description="the supplier's name, as the reader may see it")
    supplier_tier: int | None = Field(None, ge=1, le=3)
    supplier_country: str | None = None
    hs_codes: tuple[str, ...] = ()
    processes: tuple[Process, ...] = ()
    materials: tuple[str, ...] = ()
    annual_capacity: int | None = Field(None, gt=0)
    certifications: tuple[Certification, ...] = ()
    sites: tuple[Location, ...] = ()
    description: Texts = Texts()
    visibility: Visibility = Visibility.ORGANIZATION
    anonymous: bool = False
    illustrative: bool = False
    source: str | None = Field(None, description="where the facts come from (real companies)")
    as_of: date | None = None
    offer: Offer | None = None

    @field_validator("hs_codes", mode="before")
    @classmethod
    def _hs_codes(cls, value: Any) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_hs(v) for v in value or ()))

    @field_validator("description", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> Texts:
        return texts_of(value)

    @field_validator("processes", mode="after")
    @classmethod
    def _once_each(cls, value: tuple[Process, ...]) -> tuple[Process, ...]:
        return tuple(dict.fromkeys(value))

    @field_validator("supplier_country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> str | None:
        return None if value in (None, "") else validate_country(value)

    @field_validator("certifications", mode="after")
    @classmethod
    def _latest_of_each(cls, value: tuple[Certification, ...]) -> tuple[Certification, ...]:
        return latest_certificates(value)

    @model_validator(mode="after")
    def _what_is_offered(self) -> Capability:
        if not self.hs_codes and not self.description.values() and not self.processes:
            raise ValueError("a capability names what it makes: HS codes, processes or a description")
        return self

    @property
    def key(self) -> str:
        return f"#{self.id}" if self.id is not None else self.supplier

    @property
    def texts(self) -> list[str]:
        return [*self.description.values(), *self.materials]

    def certification(self, name: str) -> Certification | None:
        """The certificate of that name the supplier holds, if any."""
        key = certification_key(name)
        return next((c for c in self.certifications if c.key == key), None)


def latest_certificates(certificates: Iterable[Certification]) -> tuple[Certification, ...]:
    """One certificate of each kind: the one valid longest (no expiry counts as longest)."""
    best: dict[str, Certification] = {}
    for cert in certificates:
        held = best.get(cert.key)
        if held is None or (
            held.expires is not None and (cert.expires is None or cert.expires > held.expires)
        ):
            best[cert.key] = cert
    return tuple(best.values())
