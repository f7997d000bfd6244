"""What the chart service returns: the whole patient chart and the lines of its audit view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinic_app.services.courses.dto import CourseSummary
from clinic_app.services.patients.dto import (
    AlertBadge,
    AllergyEntry,
    ContraindicationEntry,
    DiagnosisEntry,
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
