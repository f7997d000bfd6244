"""Turning patient rows into DTOs (inside a unit of work; nothing here writes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound, NotSignedIn
from clinic_app.services.patients.dto import (
    AllergyEntry,
    ContraindicationEntry,
    DiagnosisEntry,
    NoKnownAllergiesEntry,
    PatientDetails,
    PatientSummary,
    ScreeningEntry,
    Voiding,
    WeightEntry,
)
from clinic_app.storage.models import (
    Allergy,
    ContraindicationFlag,
    Diagnosis,
    NoKnownAllergies,
    Nurse,
    Patient,
    ScreeningRecord,
    Voidable,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork


def display_name(family_name: str, given_names: str) -> str:
    """"FAMILY, Given" as on wristbands and lists (the family name in capitals)."""
    return f"{family_name.upper()}, {given_names}"


def nurse_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names of the nurses with these ids (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Nurse.id, Nurse.display_name).where(Nurse.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}


def voiding(record: Voidable, names: dict[int, str]) -> Voiding | None:
    """Who voided ``record``, when and why (None when it stands)."""
    if record.voided_at is None:
        return None
    by = names.get(record.voided_by_id or 0, "unknown nurse")
    return Voiding(at=record.voided_at, by=by, reason=record.void_reason or "")


def patient_summary(patient: Patient) -> PatientSummary:
    """The list/header view of a patient."""
    return PatientSummary(
        id=patient.id, mrn=patient.mrn, family_name=patient.family_name,
        given_names=patient.given_names,
        display_name=display_name(patient.family_name, patient.given_names),
        date_of_birth=patient.date_of_birth, sex=str(patient.sex.value), version=patient.version,
        is_voided=patient.is_voided,
    )


def listed_patient(row: Sequence[Any]) -> PatientSummary:
    """The list view of a patient from a search page's columns (the same as
    :func:`patient_summary` of the record)."""
    patient_id, mrn, family_name, given_names, born, sex, version, voided_at = row
    return PatientSummary(
        id=patient_id, mrn=mrn, family_name=family_name, given_names=given_names,
        display_name=display_name(family_name, given_names), date_of_birth=born,
        sex=str(sex.value), version=version, is_voided=voided_at is not None,
    )


def patient_details(patient: Patient) -> PatientDetails:
    """The full identity and contact record."""
    return PatientDetails(
        summary=patient_summary(patient), phone=patient.phone or "", email=patient.email or "",
        address=patient.address or "", notes=patient.notes or "",
    )


def require_nurse(ctx: ServiceContext) -> None:
    """Clinical records are shown only to a signed-in nurse."""
    if ctx.nurse_id is None:
        raise NotSignedIn("No nurse is signed in. Sign in to open a patient's record.")


def load_patient(uow: UnitOfWork, patient_id: int, *, allow_voided: bool = False) -> Patient:
    """The patient, or :class:`NotFound`; a voided patient only with ``allow_voided``."""
    patient = uow.session.get(Patient, patient_id)
    if patient is None or (patient.is_voided and not allow_voided):
        raise NotFound(f"No patient with id {patient_id} (it may have been voided).")
    return patient


def weight_entry(row: WeightMeasurement, names: dict[int, str], by_id: int | None) -> WeightEntry:
    """A weight on file."""
    return WeightEntry(
        id=row.id, weight_kg=row.weight_kg, measured_at=row.measured_at, kind=row.kind.value,
        recorded_by=names.get(by_id or 0, ""), version=row.version, voided=voiding(row, names),
    )


def allergy_entry(row: Allergy, names: dict[int, str]) -> AllergyEntry:
    """An allergy on file."""
    return AllergyEntry(
        id=row.id, substance=row.substance, reaction=row.reaction or "",
        severity=row.severity or "", version=row.version, voided=voiding(row, names),
    )


def no_known_allergies_entry(row: NoKnownAllergies,
                             names: dict[int, str]) -> NoKnownAllergiesEntry:
    """A "No known allergies" statement on file."""
    return NoKnownAllergiesEntry(id=row.id, stated_on=row.stated_on, version=row.version,
                                 voided=voiding(row, names))


def patients_with_no_known_allergies(session: Session, patient_ids: Iterable[int]) -> set[int]:
    """The patients among ``patient_ids`` whose "No known allergies" statement stands."""
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return set()
    return set(session.scalars(select(NoKnownAllergies.patient_id).where(
        NoKnownAllergies.patient_id.in_(ids), NoKnownAllergies.voided_at.is_(None))))


def diagnosis_entry(row: Diagnosis, names: dict[int, str]) -> DiagnosisEntry:
    """A diagnosis on file."""
    return DiagnosisEntry(
        id=row.id, description=row.description, code=row.code or "",
        diagnosed_on=row.diagnosed_on, version=row.version, voided=voiding(row, names),
    )


def screening_entry(row: ScreeningRecord, names: dict[int, str]) -> ScreeningEntry:
    """A screening result on file."""
    return ScreeningEntry(
        id=row.id, kind=row.kind, taken_on=row.taken_on, outcome=row.outcome.value,
        valid_until=row.valid_until, note=row.note or "", version=row.version,
        voided=voiding(row, names),
    )


def contraindication_entry(
    row: ContraindicationFlag, names: dict[int, str]
) -> ContraindicationEntry:
    """A contraindication flag on file."""
    return ContraindicationEntry(
        id=row.id, code=row.code, note=row.note or "", source=row.source,
        reaction_id=row.reaction_id, version=row.version, voided=voiding(row, names),
    )
