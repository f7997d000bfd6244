"""What the surgery and live-vaccine services return: plain frozen records, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_app.services.patients.dto import Voiding


@dataclass(frozen=True)
class SurgeryKindChoice:
    """A kind of planned surgery the nurse picks from."""

    code: str
    name: str


@dataclass(frozen=True)
class PlannedSurgeryEntry:
    """A planned surgery on the chart; ``kind_name`` is the kind in words."""

    id: int
    version: int
    planned_on: date
    procedure: str
    kind: str
    kind_name: str
    note: str
    voided: Voiding | None = None


@dataclass(frozen=True)
class VaccinationEntry:
    """A live vaccine on the chart, given or due (``status``) on ``on_date``."""

    id: int
    version: int
    vaccine: str
    status: str
    on_date: date
    note: str
    voided: Voiding | None = None
