"""What the drug-level use cases take and give back: frozen values, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_app.domain.drug_levels import DrugLevel, TdmSeries
from clinic_app.services.patients.dto import Voiding


@dataclass(frozen=True)
class DrugLevelForm:
    """A result as typed: ``kind`` "trough" or "antibody"; ``drawn_on`` a day (text in the
    clinic's formats or a date); for antibodies a ``value`` with its ``unit`` and optional
    ``cutoff``, or ``reported`` "positive"/"negative"; ``before_dose`` the dose number."""

    kind: str
    drawn_on: date | str
    value: str = ""
    unit: str = ""
    reported: str = ""
    cutoff: str = ""
    assay: str = ""
    before_dose: str = ""


@dataclass(frozen=True)
class DrugLevelEntry:
    """A result on file (voided ones marked): the checked result, the course it belongs to,
    the appointment of the dose it was drawn before (when on file) and who recorded it."""

    id: int
    version: int
    course_id: int
    level: DrugLevel
    appointment_id: int | None
    nurse: str
    voided: Voiding | None = None


@dataclass(frozen=True)
class TdmView:
    """A course's TDM as the chart shows it: the plot's series (voided results left out), the
    latest results in words, every result on file, and the note that the prescriber decides."""

    course_id: int
    drug: str
    course_start: date
    series: TdmSeries
    summary: str
    entries: tuple[DrugLevelEntry, ...]
    note: str
