"""What the chart service returns: the whole patient chart and the lines of its audit view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic_app.domain.allergy_status import NOT_RECORDED_TEXT, AllergyState
from clinic_app.services.courses.dto import CourseSummary
from clinic_app.services.labs.dto import LabResultEntry
from clinic_app.services.patients.dto import (
    AlertBadge,
    AllergyEntry,
    ContraindicationEntry,
    DiagnosisEntry,
    NoKnownAllergiesEntry,
    PatientDetails,
    ReactionSummary,
    ScreeningEntry,
    VisitSummary,
    WeightEntry,
)


@dataclass(frozen=True)
class PatientChart:
    """Everything on file about a patient, voided records included (each with ``voided``)."""

    patient: PatientDetails
    alerts: tuple[AlertBadge, ...]
    weights: tuple[WeightEntry, ...]
    allergies: tuple[AllergyEntry, ...]
    diagnoses: tuple[DiagnosisEntry, ...]
    screenings: tuple[ScreeningEntry, ...]
    contraindications: tuple[ContraindicationEntry, ...]
    courses: tuple[CourseSummary, ...]
    visits: tuple[VisitSummary, ...]
    reactions: tuple[ReactionSummary, ...]
    # "No known allergies" statements, voided ones included (issue 12).
    no_known_allergies: tuple[NoKnownAllergiesEntry, ...] = ()
    # The allergy state as every screen and sheet shows it
    # (:func:`clinic_app.domain.allergy_status.allergy_line`).
    allergy_line: str = NOT_RECORDED_TEXT
    allergy_state: str = AllergyState.NOT_RECORDED.value
    # Laboratory results, the latest taken first, voided ones included (issue 13).
    lab_results: tuple[LabResultEntry, ...] = ()


@dataclass(frozen=True)
class AuditLine:
    """One changed field in the audit trail: who (display name), when (aware UTC), what."""

    at: datetime
    nurse: str
    record: str
    record_id: int
    action: str
    field: str
    old: Any
    new: Any
