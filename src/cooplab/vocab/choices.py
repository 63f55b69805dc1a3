"""Closed sets of every domain, as enums whose values are stored in the database."""

from __future__ import annotations

from enum import StrEnum


class OrganizationKind(StrEnum):
    """What an organization is in the industry."""

    OEM = "oem"
    SUPPLIER = "supplier"
    HOLDING = "holding"
    ASSOCIATION = "association"
    AGENCY = "agency"
    GOVERNMENT = "government"
    INVESTOR = "investor"
    RESEARCH = "research"
    OTHER = "other"


class Language(StrEnum):
    RU = "ru"
    UZ = "uz"
    EN = "en"


class Script(StrEnum):
    CYRILLIC = "cyrillic"
    LATIN = "latin"


class NameKind(StrEnum):
    """Why a name is on record: the official one, a short form, a transliteration, a former name."""

    OFFICIAL = "official"
    SHORT = "short"
    TRANSLITERATION = "transliteration"
    FORMER = "former"


class IdentifierScheme(StrEnum):
    """Registers whose numbers identify an organization."""

    INN = "inn"  # Russian taxpayer number, 10 digits (companies) or 12 (individuals)
    OGRN = "ogrn"  # Russian state registration number, 13 digits (OGRN) or 15 (OGRNIP)
    STIR = "stir"  # Uzbek taxpayer number (STIR / INN), 9 digits


class PlaceKind(StrEnum):
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"


class EntityType(StrEnum):
    """Kinds of registry records that search, citations and imports speak of."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"


class SearchType(StrEnum):
    """Kinds of records search finds: the registry's and the engagements'."""

    ORGANIZATION = "organization"
    PERSON = "person"
    PLACE = "place"
    MISSION = "mission"
    EVENT = "event"
    AGREEMENT = "agreement"


class Visibility(StrEnum):
    """Who may see a confidential record."""

    PUBLIC = "public"  # everyone, signed in or not
    MEMBERS = "members"  # any signed-in user
    ORGANIZATION = "organization"  # its owner organization, analysts and admins
    PARTIES = "parties"  # the organizations named on it, and admins


class EventKind(StrEnum):
    """What happened at an event of a mission."""

    VISIT = "visit"
    MEETING = "meeting"
    SIGNING = "signing"
    PRESENTATION = "presentation"
    OTHER = "other"


class AgreementKind(StrEnum):
    """What kind of document an agreement is."""

    MEMORANDUM = "memorandum"
    AGREEMENT = "agreement"
    CONTRACT = "contract"


class Activity(StrEnum):
    """A user action of many writes, named as a whole in the audit log (see `core.audit.name_change`)."""

    DEMO = "demo"
    IMPORT = "import"
    ACCEPT_REPORT = "accept_report"
    MERGE = "merge"
    UNMERGE = "unmerge"


class ActionStatus(StrEnum):
    """Where a next step stands."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"
