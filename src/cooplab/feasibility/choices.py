"""Closed sets of feasibility: transport modes, Incoterms, customs regimes, tariff bases."""

from __future__ import annotations

from enum import StrEnum


class Mode(StrEnum):
    """How a leg of a route moves the goods."""

    ROAD = "road"
    RAIL = "rail"
    SEA = "sea"
    MULTIMODAL = "multimodal"


class IncotermGroup(StrEnum):
    """The four families of Incoterms 2020, by where the seller's obligations end."""

    E = "E"  # the buyer collects at the seller's premises
    F = "F"  # the seller hands over to the buyer's carrier; main carriage unpaid
    C = "C"  # the seller pays the main carriage; risk passes at shipment
    D = "D"  # the seller delivers at the named place, at its own risk


class Incoterm(StrEnum):
    """Incoterms 2020: what the seller's price already covers."""

    EXW = "EXW"
    FCA = "FCA"
    FAS = "FAS"
    FOB = "FOB"
    CPT = "CPT"
    CIP = "CIP"
    CFR = "CFR"
    CIF = "CIF"
    DAP = "DAP"
    DPU = "DPU"
    DDP = "DDP"

    @property
    def group(self) -> IncotermGroup:
        """E, F, C or D, from the term's first letter."""
        return IncotermGroup(self.value[0])

    @property
    def sea_only(self) -> bool:
        """FAS, FOB, CFR and CIF are for sea and inland waterway transport only."""
        return self in (Incoterm.FAS, Incoterm.FOB, Incoterm.CFR, Incoterm.CIF)

    @property
    def seller_insures(self) -> bool:
        """CIP and CIF oblige the seller to insure the carriage to the named place."""
        return self in (Incoterm.CIP, Incoterm.CIF)

    @property
    def seller_clears_import(self) -> bool:
        """Only DDP puts import duties and taxes on the seller."""
        return self is Incoterm.DDP


class Regime(StrEnum):
    """The customs regime of an import, which sets its duty."""

    CIS_FTA = "cis_fta"  # origin in a CIS FTA party, proven by an ST-1 certificate: no duty
    MFN = "mfn"  # most-favoured-nation treatment: the tariff's rate
    NON_MFN = "non_mfn"  # no MFN treatment, or origin unknown: the rate doubled
    DOMESTIC = "domestic"  # made in the importing country: no customs at all


class Certificate(StrEnum):
    """A certificate of origin that goes with the goods."""

    ST1 = "st1"
    NONE = "none"


class TariffBasis(StrEnum):
    """What a freight tariff is charged per."""

    PER_SHIPMENT = "per_shipment"  # a truck, a 40' container
    PER_KM = "per_km"  # per shipment and kilometre


class Allocation(StrEnum):
    """How the cost of a shipment is shared among the units it carries."""

    WEIGHT = "weight"
    VOLUME = "volume"
    UNITS = "units"
