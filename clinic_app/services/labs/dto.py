"""What the lab services return: plain frozen records, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_app.services.patients.dto import Voiding


@dataclass(frozen=True)
class LabTestChoice:
    """A test the nurse picks from the list, with its units (the first is prefilled)."""

    code: str
    name: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class LabResultEntry:
    """A laboratory result on the chart; ``reference`` is the range as shown ("0-40" or "")."""

    id: int
    version: int
    test: str
    test_name: str
    value: Decimal
    unit: str
    reference: str
    taken_on: date
    source: str
    voided: Voiding | None = None


@dataclass(frozen=True)
class LatestLabEntry:
    """The latest result of one test before a dose, and its age in days."""

    test_name: str
    text: str
    taken_on: date
    age_days: int


@dataclass(frozen=True)
class LabCheck:
    """The labs before a dose: the latest values with their age, and, when the protocol has lab
    rules, the proposal ("continue", "reduce", "hold" or "stop") in words with its reasons and
    the flags (old, missing or unusable results). ``needs_decision``: a hold or stop, so the
    start needs the prescriber's decision recorded."""

    latest: tuple[LatestLabEntry, ...]
    has_rules: bool
    action: str
    action_text: str
    reasons: tuple[str, ...]
    flags: tuple[str, ...]
    needs_decision: bool
