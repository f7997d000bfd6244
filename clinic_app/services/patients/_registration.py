"""Patient use cases: register, edit, find, and read a patient's record.

What is recorded about a patient (weights, allergies, screening ...) and voiding live in
:mod:`._records`; the chart and the audit view in :mod:`clinic_app.services.chart`.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import (
    ValidPatient,
    normalise_mrn,
    parse_date,
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

MAX_PAGE_SIZE = 500
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
            f", born {holder.date_of_birth.isoformat()}{voided}.",
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


_DATE_SHAPED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([./])\d{1,2}\1\d{4}")


def _typed_date(word: str) -> date | None:
    """The date of a date-shaped word; None for any other word. A date-shaped word that is
    not a real date ("31.02.1980") is refused so the nurse sees why nothing is found."""
    if not _DATE_SHAPED.fullmatch(word):
        return None
    try:
        return parse_date(word, field="search", label="Date")
    except InvalidInput:
        raise InvalidInput("search", f"{word} is not a date: check the day and the month "
                                     "(DD.MM.YYYY or YYYY-MM-DD).") from None


def _search_terms(text: str) -> tuple[str, date | None]:
    """A date of birth typed in any accepted format, alone or beside name words or an MRN
    ("zolc 12.04.1986"), narrows to that date; the other words search names and MRN."""
    words = text.split()
    dates = [(word, born) for word in words if (born := _typed_date(word)) is not None]
    if len(dates) > 1:
        raise InvalidInput("search", "Type one date of birth only.")
    if not dates:
        return text, None
    word, born = dates[0]
    return " ".join(w for w in words if w != word), born


def _is_hyphenated_mrn(text: str) -> bool:
    """One word with a hyphen and a digit ("A-100") is an MRN: as a name it would be split."""
    word = text.strip()
    return "-" in word and any(ch.isdigit() for ch in word) and len(word.split()) == 1


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput("limit", f"A page holds 1 to {MAX_PAGE_SIZE} patients, not {limit}.")
    if offset < 0:
        raise InvalidInput("offset", f"The page offset cannot be negative ({offset}).")


def search_patients(
    ctx: ServiceContext, *, text: str, limit: int = 50, offset: int = 0,
    include_voided: bool = False,
) -> tuple[PatientSummary, ...]:
    """One page of patients, sorted by family then given names.

    ``text`` is the start of a family or given name (accents and case ignored: "jose" finds
    José, "lukasz" finds Łukasz), "family given" in either order, the start of an MRN, or a
    date of birth (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY). Empty text lists everyone. Indexed
    range queries, so paging stays fast with tens of thousands of patients.
    """
    _page(limit, offset)
    words, born = _search_terms(text)
    with ctx.read_only() as uow:
        if _is_hyphenated_mrn(words):
            rows = uow.patients.search_mrn(words, limit=limit, offset=offset,
                                           include_voided=include_voided)
            return tuple(patient_summary(p) for p in rows)
        rows = uow.patients.search(words, date_of_birth=born, limit=limit, offset=offset,
                                   include_voided=include_voided)
        return tuple(patient_summary(p) for p in rows)


def count_patients(ctx: ServiceContext, *, text: str, include_voided: bool = False) -> int:
    """How many patients :func:`search_patients` pages through for ``text``."""
    words, born = _search_terms(text)
    with ctx.read_only() as uow:
        if _is_hyphenated_mrn(words):
            return uow.patients.count_mrn(words, include_voided=include_voided)
        return uow.patients.count(words, date_of_birth=born, include_voided=include_voided)
