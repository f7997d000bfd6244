"""What a FHIR export holds, as plain records read from the clinic's store (no FHIR types here:
:mod:`clinic_app.interop.fhir_bundle` turns them into resources). Times are aware UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class PatientRecord:
    id: int
    mrn: str
    family_name: str
    given_names: str
    date_of_birth: date
    sex: str  # female | male | other | unknown (FHIR administrative gender)


@dataclass(frozen=True)
class NurseRecord:
    id: int
    name: str


@dataclass(frozen=True)
class WeightRecord:
    id: int
    patient_id: int
    measured_at: datetime
    kg: Decimal


@dataclass(frozen=True)
class VitalsRecord:
    id: int
    patient_id: int
    nurse_id: int
    measured_at: datetime
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    heart_rate_bpm: int | None
    respiratory_rate: int | None
    temperature_c: Decimal | None
    spo2_percent: int | None


@dataclass(frozen=True)
class LotRecord:
    product: str
    lot_number: str
    expiry_date: date
    vials: int


@dataclass(frozen=True)
class InfusionRecord:
    """One infusion visit; ``status`` is FHIR's: completed, stopped, not-done or in-progress.
    ``started_at`` is when the dose was due for one not given."""

    id: int
    patient_id: int
    nurse_id: int
    drug: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    dose_mg: Decimal | None
    mg_per_kg: Decimal | None
    weight_kg: Decimal | None
    rate_ml_per_h: Decimal | None
    not_given_reason: str | None
    lots: tuple[LotRecord, ...]


@dataclass(frozen=True)
class ReactionRecord:
    id: int
    patient_id: int
    nurse_id: int
    infusion_id: int | None
    drug: str
    onset_at: datetime
    ctcae_term: str | None
    grade: int | None
    ctcae_version: str | None
    outcome: str | None
    signs: tuple[str, ...]


@dataclass(frozen=True)
class ContraindicationRecord:
    """A drug the patient must not get again because of a reaction."""

    id: int
    patient_id: int
    drug: str
    reaction_id: int | None
    text: str


@dataclass(frozen=True)
class BookingRecord:
    id: int
    patient_id: int
    drug: str
    dose_number: int
    starts_at: datetime
    duration_min: int | None
    chair: str | None
    status: str  # FHIR appointment status: booked, fulfilled, noshow, cancelled


@dataclass(frozen=True)
class ClinicalExport:
    """Everything one export holds; ``mrn_system`` is the identifier system of the MRNs."""

    mrn_system: str
    clinic_name: str
    patients: tuple[PatientRecord, ...]
    nurses: tuple[NurseRecord, ...] = ()
    weights: tuple[WeightRecord, ...] = ()
    vitals: tuple[VitalsRecord, ...] = ()
    infusions: tuple[InfusionRecord, ...] = ()
    reactions: tuple[ReactionRecord, ...] = ()
    contraindications: tuple[ContraindicationRecord, ...] = ()
    bookings: tuple[BookingRecord, ...] = ()
