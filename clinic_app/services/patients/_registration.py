"""Patient use cases: register, edit, and read a patient's identity record.

Finding a patient is in :mod:`._search`; what is recorded about a patient (weights, allergies,
screening ...) and voiding in :mod:`._records`; the chart and the audit view in
:mod:`clinic_app.services.chart`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import (
    ValidPatient,
    normalise_mrn,
    validate_patient,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients._views import (
    display_name,
    load_patient,
    patient_details,
    patient_summary,
    require_nurse,
)
from clinic_app.services.patients.dto import PatientDetails, PatientForm, PatientSummary
from clinic_app.storage.models import Patient, Sex
from clinic_app.storage.patient_search import same_identity
from clinic_app.storage.unit_of_work import UnitOfWork

DUPLICATE_PATIENT = "DUPLICATE_PATIENT"


def _validated(ctx: ServiceContext, form: PatientForm) -> ValidPatient:
    return validate_patient(
        mrn=form.mrn, family_name=form.family_name, given_names=form.given_names,
        date_of_birth=form.date_of_birth, sex=form.sex, phone=form.phone, email=form.email,
        address=form.address, notes=form.notes, today=ctx.local_now().date(),
    )


def _refuse_used_mrn(uow: UnitOfWork, mrn: str, *, own_id: int | None = None) -> None:
    holder = uow.patients.get_by_mrn(mrn, include_voided=True)
    if holder is not None and holder.id != own_id:
        voided = " (a voided record)" if holder.is_voided else ""
        raise InvalidInput(
            "mrn",
            f"MRN {mrn} is already used by {display_name(holder.family_name, holder.given_names)}"
            f", born {date_text(holder.date_of_birth)}{voided}.",
        )


def _checked_form(uow: UnitOfWork, checks: FieldChecks, form: PatientForm,
                  valid: ValidPatient | None, *, own_id: int | None = None) -> ValidPatient:
    """``valid`` once an MRN already on file is counted with the form's other problems (all
    are raised together, so the nurse sees every one at once)."""
    if not checks.failed("mrn"):
        checks.check(lambda: _refuse_used_mrn(uow, normalise_mrn(form.mrn), own_id=own_id))
    checks.raise_problems()
    assert valid is not None  # raise_problems() raised when the form had a problem
    return valid


def _apply(patient: Patient, valid: ValidPatient) -> None:
    patient.mrn = valid.mrn
    patient.family_name = valid.family_name
    patient.given_names = valid.given_names
    patient.date_of_birth = valid.date_of_birth
    patient.sex = Sex(valid.sex)
    patient.phone = valid.phone or None
    patient.email = valid.email or None
    patient.address = valid.address or None
    patient.notes = valid.notes or None


def _commit_unique_mrn(uow: UnitOfWork, mrn: str) -> None:
    """Commit; another workstation taking the same MRN a moment earlier is reported on the
    field (the unique index catches what the check before could not see)."""
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()
        _refuse_used_mrn(uow, mrn)
        raise


def _refuse_unacknowledged_duplicate(uow: UnitOfWork, valid: ValidPatient) -> None:
    """A patient on file with the same names (accents and case folded) and date of birth is
    most likely the same person: registering again splits the record, so the nurse must say
    she checked (a second record for a namesake born the same day is possible)."""
    found = uow.session.scalars(
        select(Patient.mrn).where(same_identity(valid.family_name, valid.given_names,
                                                valid.date_of_birth),
                                  Patient.voided_at.is_(None)).order_by(Patient.mrn)).all()
    if found:
        mrns = ", ".join(found)
        raise OverrideRequired(
            f"A patient with this name and date of birth is on file: MRN {mrns}. Open that "
            "record, or tick \"Register anyway\" if this is a different person.",
            (DUPLICATE_PATIENT,))


def register_patient(ctx: ServiceContext, *, form: PatientForm,
                     acknowledge_duplicate: bool = False) -> PatientSummary:
    """Register a new patient; the MRN must not be on file (voided records included).

    Every field is checked before anything is saved; the problems are raised together
    (:class:`~clinic_app.services.errors.InvalidInputs` when there are several). A patient on
    file with the same names and date of birth refuses the registration with
    :class:`OverrideRequired` (code ``DUPLICATE_PATIENT``) unless ``acknowledge_duplicate``.
    """
    checks = FieldChecks()
    checked = checks.check(lambda: _validated(ctx, form))
    with ctx.unit_of_work() as uow:
        valid = _checked_form(uow, checks, form, checked)
        if not acknowledge_duplicate:
            _refuse_unacknowledged_duplicate(uow, valid)
        patient = Patient()
        _apply(patient, valid)
        uow.patients.add(patient)
        _commit_unique_mrn(uow, valid.mrn)
        return patient_summary(patient)


def edit_patient(
    ctx: ServiceContext, *, patient_id: int, expected_version: int, form: PatientForm
) -> PatientSummary:
    """Save the edited identity/contact form; only changed fields reach the audit trail.

    ``expected_version`` is the version the form was filled from: if another workstation saved
    since, :class:`~clinic_app.storage.ConcurrentEditError` names who and when. Every field's
    problem is reported at once, as for :func:`register_patient`.
    """
    checks = FieldChecks()
    checked = checks.check(lambda: _validated(ctx, form))
    with ctx.unit_of_work() as uow:
        patient = load_patient(uow, patient_id)
        uow.patients.get(patient_id, expected_version=expected_version)
        valid = _checked_form(uow, checks, form, checked, own_id=patient_id)
        _apply(patient, valid)
        _commit_unique_mrn(uow, valid.mrn)
        return patient_summary(patient)


def get_patient(ctx: ServiceContext, *, patient_id: int) -> PatientDetails:
    """The identity and contact record (for the edit form); voided patients too."""
    require_nurse(ctx)
    with ctx.read_only() as uow:
        return patient_details(load_patient(uow, patient_id, allow_voided=True))
