"""What the patient use cases take from forms and give back: plain frozen values, no ORM objects.

Datetimes are aware UTC (the UI shows them in ``ctx.tz``); dates are plain dates. Enumerations
travel as their text value ("female", "actual", "negative") so the UI never imports the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class PatientForm:
    """The patient form as the nurse typed it; validated by ``domain.patient_validation``.

    ``date_of_birth`` may be a ``date`` or text (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY);
    ``sex`` is one of "female", "male", "other", "unknown".
    """

    mrn: str
    family_name: str
    given_names: str
    date_of_birth: str | date
    sex: str
    phone: str = ""
    email: str = ""
    address: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PatientSummary:
    """A patient as listed in search results and headers; ``version`` is for edits."""

    id: int
    mrn: str
    family_name: str
    given_names: str
    display_name: str
    date_of_birth: date
    sex: str
    version: int
    is_voided: bool = False


@dataclass(frozen=True)
class PatientDetails:
    """The full identity and contact record (what the edit form is filled from)."""

    summary: PatientSummary
    phone: str
    email: str
    address: str
    notes: str

    def to_form(self) -> PatientForm:
        """The edit form pre-filled with the record as stored."""
        s = self.summary
        return PatientForm(
            mrn=s.mrn, family_name=s.family_name, given_names=s.given_names,
            date_of_birth=s.date_of_birth, sex=s.sex, phone=self.phone, email=self.email,
            address=self.address, notes=self.notes,
        )


@dataclass(frozen=True)
class Voiding:
    """Who voided a record, when (aware UTC) and why."""

    at: datetime
    by: str
    reason: str


@dataclass(frozen=True)
class WeightEntry:
    """A body weight on file (kg) and whether it was measured or estimated."""

    id: int
    weight_kg: Decimal
    measured_at: datetime
    kind: str
    recorded_by: str
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class AllergyEntry:
    """A known allergy or intolerance."""

    id: int
    substance: str
    reaction: str
    severity: str
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class NoKnownAllergiesEntry:
    """A "No known allergies" statement (voided when an allergy superseded it or in error)."""

    id: int
    stated_on: date
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class DiagnosisEntry:
    """A diagnosis, optionally coded (ICD-10)."""

    id: int
    description: str
    code: str
    diagnosed_on: date | None
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class ScreeningEntry:
    """A pre-treatment screening result; ``outcome`` is "negative", "positive" or
    "indeterminate"."""

    id: int
    kind: str
    taken_on: date
    outcome: str
    valid_until: date | None
    note: str
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class ContraindicationEntry:
    """A contraindication flag on file (protocol code), e.g. raised by an anaphylaxis."""

    id: int
    code: str
    note: str
    source: str
    reaction_id: int | None
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class VisitSummary:
    """One infusion visit as listed in the chart; ``started_at``/``ended_at`` aware UTC.

    ``not_given_reason`` is set when the dose was held at the chair (status "cancelled").
    """

    id: int
    course_id: int
    appointment_id: int | None
    protocol_id: str
    status: str
    weight_kg_used: Decimal | None
    started_at: datetime | None
    ended_at: datetime | None
    nurse: str
    voided: Voiding | None = None
    not_given_reason: str | None = None


@dataclass(frozen=True)
class ReactionSummary:
    """A reaction on file, linked to its infusion visit; ``onset_at`` aware UTC.

    ``term``, ``grade`` and ``ctcae_version`` are all None for a delayed reaction left not graded
    (e.g. a psoriasiform rash, seed 001), which ``notes`` describes.
    """

    id: int
    patient_id: int
    visit_id: int | None
    onset_at: datetime
    term: str | None
    grade: int | None
    ctcae_version: str | None
    signs: tuple[str, ...]
    actions: str
    outcome: str
    notes: str
    nurse: str
    version: int
    voided: Voiding | None = None

    @property
    def graded(self) -> bool:
        """True when the nurse chose a CTCAE term and grade."""
        return self.term is not None and self.grade is not None

    @property
    def grading_text(self) -> str:
        """"infusion related reaction grade 2 (CTCAE v5.0)", or "not graded"."""
        if self.term is None or self.grade is None:
            return "not graded"
        return f"{self.term.replace('_', ' ')} grade {self.grade} ({self.ctcae_version})"


@dataclass(frozen=True)
class AlertBadge:
    """A short flag shown beside the patient's name (allergy, contraindication, reaction...).

    ``kind`` is "allergy", "contraindication", "reaction" or "screening".
    """

    kind: str
    text: str
