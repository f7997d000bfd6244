"""Recording what is known about a patient, and voiding a record entered in error.

Each function is one nurse action: one unit of work, signed by the nurse, audited by the store.
Records are never deleted; :func:`void_record` marks one as entered in error, with a reason.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from clinic_app.domain.allergy_status import check_no_known_allergies
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_text
from clinic_app.domain.permissions import Permission
from clinic_app.domain.records import ScreeningOutcome
from clinic_app.domain.units import parse_weight, round_kg
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.patients._views import (
    allergy_entry,
    contraindication_entry,
    diagnosis_entry,
    load_patient,
    no_known_allergies_entry,
    nurse_names,
    screening_entry,
    weight_entry,
)
from clinic_app.services.patients.dto import (
    AllergyEntry,
    ContraindicationEntry,
    DiagnosisEntry,
    NoKnownAllergiesEntry,
    ScreeningEntry,
    Voiding,
    WeightEntry,
)
from clinic_app.services.permissions import require_permission
from clinic_app.services.typed_input import not_in_future, parse_day, parse_moment
from clinic_app.storage.errors import RecordNotFound
from clinic_app.storage.models import (
    Allergy,
    Appointment,
    ChecklistEntry,
    ContraindicationFlag,
    Diagnosis,
    DoubleCheck,
    DrugLevel,
    InfusionEvent,
    InfusionVisit,
    IntervalChange,
    LabResult,
    NoKnownAllergies,
    Patient,
    Premedication,
    ProductLot,
    Reaction,
    ReactionMedication,
    ScreeningRecord,
    TreatmentCourse,
    VitalSigns,
    Voidable,
    WeightKind,
    WeightMeasurement,
)
from clinic_app.storage.repositories import Repository

# What void_record accepts: the kind the UI names and the stored model.
VOIDABLE_KINDS: dict[str, type[Voidable]] = {
    "patient": Patient,
    "weight": WeightMeasurement,
    "allergy": Allergy,
    "no_known_allergies": NoKnownAllergies,
    "diagnosis": Diagnosis,
    "screening": ScreeningRecord,
    "lab_result": LabResult,
    "contraindication": ContraindicationFlag,
    "course": TreatmentCourse,
    "interval_change": IntervalChange,
    "appointment": Appointment,
    "visit": InfusionVisit,
    "product_lot": ProductLot,
    "premedication": Premedication,
    "double_check": DoubleCheck,
    "drug_level": DrugLevel,
    "infusion_event": InfusionEvent,
    "checklist": ChecklistEntry,
    "vitals": VitalSigns,
    "reaction": Reaction,
    "reaction_medication": ReactionMedication,
}
CONTRAINDICATION_SOURCE_MANUAL = "manual"


def _nurse_name(ctx: ServiceContext, session: Session) -> str:
    return nurse_names(session, [ctx.nurse_id]).get(ctx.nurse_id or 0, "")


def _weight_kind(kind: str) -> WeightKind:
    try:
        return WeightKind(kind)
    except ValueError:
        raise InvalidInput("kind", "Weight kind is 'actual' or 'estimated'.") from None


def record_weight(
    ctx: ServiceContext, *, patient_id: int, weight: str | Decimal, unit: str = "kg",
    kind: str = "actual", measured_at: datetime | str | None = None,
) -> WeightEntry:
    """Record a body weight (kg or lb, stored in kg to 0.1 kg); ``measured_at`` defaults to now.

    Weights above the clinic's ``dosing.max_weight_kg`` (default 350 kg) or not above 0 are
    refused as typing or unit errors (clinic setting, clinical reference "Dosing practice").
    Every bad field is reported at once.
    """
    now = ctx.now()
    checks = FieldChecks()
    parsed = checks.check(
        lambda: parse_weight(weight, unit, max_kg=ctx.settings.dosing.max_weight_kg))
    weight_kind = checks.check(lambda: _weight_kind(kind))
    when = checks.check(lambda: not_in_future(
        parse_moment(measured_at, now=now, tz=ctx.tz, field="measured_at", label="Measured at"),
        now=now, field="measured_at", label="Measured at"))
    checks.raise_problems()
    assert parsed is not None and weight_kind is not None and when is not None  # else raised
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        row = uow.weights.add(WeightMeasurement(
            patient_id=patient_id, weight_kg=round_kg(parsed.kg), measured_at=when,
            kind=weight_kind,
        ))
        uow.commit()
        return weight_entry(row, nurse_names(uow.session, [ctx.nurse_id]), ctx.nurse_id)


def add_allergy(
    ctx: ServiceContext, *, patient_id: int, substance: str, reaction: str = "",
    severity: str = "",
) -> AllergyEntry:
    """Record a known allergy or intolerance (the substance is required)."""
    checks = FieldChecks()
    what = checks.check(lambda: normalise_text(substance, field="substance", label="Substance",
                                               max_length=200, required=True))
    how = checks.check(lambda: normalise_text(reaction, field="reaction", label="Reaction",
                                              max_length=2000, multiline=True))
    grade = checks.check(lambda: normalise_text(severity, field="severity", label="Severity",
                                                max_length=40))
    checks.raise_problems()
    assert what is not None  # raise_problems() raised otherwise
    row = Allergy(patient_id=patient_id, substance=what, reaction=how or None,
                  severity=grade or None, noted_on=ctx.local_now().date())
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.allergies.add(row)
        for statement in uow.no_known_allergies.list_by(patient_id=patient_id):
            uow.void(statement, reason=f"Superseded: allergy to {what} recorded on "
                                       f"{date_text(ctx.local_now().date())}.")
        uow.commit()
        return allergy_entry(row, {})


def record_no_known_allergies(ctx: ServiceContext, *, patient_id: int) -> NoKnownAllergiesEntry:
    """Record that the patient was asked and has no known allergies (NKA), stated today.

    Refused (:class:`InvalidInput` on "allergies") while an allergy stands
    (:func:`clinic_app.domain.allergy_status.check_no_known_allergies`) and when a statement
    already stands; it is voided like any record, and :func:`add_allergy` supersedes it
    (issue 12, "Allergies").
    """
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        check_no_known_allergies([a.substance for a in
                                  uow.allergies.list_by(patient_id=patient_id)])
        standing = uow.no_known_allergies.list_by(patient_id=patient_id)
        if standing:
            raise InvalidInput("allergies", "No known allergies is already recorded (stated "
                                            f"on {date_text(standing[-1].stated_on)}).")
        row = uow.no_known_allergies.add(NoKnownAllergies(
            patient_id=patient_id, stated_on=ctx.local_now().date()))
        uow.commit()
        return no_known_allergies_entry(row, {})


def _past_day(ctx: ServiceContext, value: date | str | None, *, field: str,
              label: str) -> date | None:
    """An optional day, not after today (None when not given)."""
    if value is None or value == "":
        return None
    day = parse_day(value, field=field, label=label)
    if day > ctx.local_now().date():
        raise InvalidInput(field, f"{label} cannot be in the future.")
    return day


def add_diagnosis(
    ctx: ServiceContext, *, patient_id: int, description: str, code: str = "",
    diagnosed_on: date | str | None = None,
) -> DiagnosisEntry:
    """Record a diagnosis, optionally with its code (ICD-10) and date (not in the future)."""
    checks = FieldChecks()
    text = checks.check(lambda: normalise_text(description, field="description",
                                               label="Diagnosis", max_length=200, required=True))
    coded = checks.check(lambda: normalise_text(code, field="code", label="Code", max_length=40))
    day = checks.check(lambda: _past_day(ctx, diagnosed_on, field="diagnosed_on",
                                         label="Date of diagnosis"))
    checks.raise_problems()
    assert text is not None  # raise_problems() raised otherwise
    row = Diagnosis(patient_id=patient_id, description=text,
                    code=(coded or "").upper() or None, diagnosed_on=day)
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.diagnoses.add(row)
        uow.commit()
        return diagnosis_entry(row, {})


def _screening_kind(kind: str) -> str:
    kinds = catalogue.screening_kinds()
    if kind not in kinds:
        raise InvalidInput("kind", f"Unknown screening {kind!r}; known: {', '.join(kinds)}.")
    return kind


def _outcome(outcome: str | ScreeningOutcome) -> ScreeningOutcome:
    try:
        return ScreeningOutcome(outcome)
    except ValueError:
        values = ", ".join(o.value for o in ScreeningOutcome)
        raise InvalidInput("outcome", f"Result must be one of: {values}.") from None


def _taken_day(ctx: ServiceContext, taken_on: date | str) -> date:
    taken = parse_day(taken_on, field="taken_on", label="Date taken")
    if taken > ctx.local_now().date():
        raise InvalidInput("taken_on", "Date taken cannot be in the future.")
    return taken


def _valid_until(valid_until: date | str | None, taken: date | None) -> date | None:
    if valid_until is None or valid_until == "":
        return None
    until = parse_day(valid_until, field="valid_until", label="Valid until")
    if taken is not None and until < taken:
        raise InvalidInput("valid_until", "Valid until is before the date taken.")
    return until


def record_screening(
    ctx: ServiceContext, *, patient_id: int, kind: str, taken_on: date | str,
    outcome: str | ScreeningOutcome, valid_until: date | str | None = None, note: str = "",
) -> ScreeningEntry:
    """Record a pre-treatment screening result (kind as the protocols name it, e.g. "tb").

    ``taken_on`` cannot be in the future; ``valid_until``, when given, is not before it. Every
    bad field is reported at once.
    """
    checks = FieldChecks()
    screening = checks.check(lambda: _screening_kind(kind))
    taken = checks.check(lambda: _taken_day(ctx, taken_on))
    result = checks.check(lambda: _outcome(outcome))
    until = checks.check(lambda: _valid_until(valid_until, taken))
    text = checks.check(lambda: normalise_text(note, field="note", label="Note",
                                               max_length=2000, multiline=True))
    checks.raise_problems()
    assert screening is not None and taken is not None and result is not None  # else raised
    row = ScreeningRecord(patient_id=patient_id, kind=screening, taken_on=taken,
                          outcome=result, valid_until=until, note=text or None)
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.screenings.add(row)
        uow.commit()
        return screening_entry(row, {})


def _contraindication_code(code: str) -> None:
    codes = catalogue.contraindication_codes()
    if code not in codes:
        raise InvalidInput("code", f"Unknown contraindication {code!r}; known: {', '.join(codes)}.")


def add_contraindication(
    ctx: ServiceContext, *, patient_id: int, code: str, note: str = ""
) -> ContraindicationEntry:
    """Put a contraindication on file (a code the protocols define, e.g. "pregnancy")."""
    checks = FieldChecks()
    checks.check(lambda: _contraindication_code(code))
    text = checks.check(lambda: normalise_text(note, field="note", label="Note",
                                               max_length=2000, multiline=True))
    checks.raise_problems()
    row = ContraindicationFlag(patient_id=patient_id, code=code,
                               source=CONTRAINDICATION_SOURCE_MANUAL, note=text or None)
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.contraindications.add(row)
        uow.commit()
        return contraindication_entry(row, {})


def void_record(
    ctx: ServiceContext, *, kind: str, record_id: int, reason: str,
    expected_version: int | None = None,
) -> Voiding:
    """Void a record entered in error; it stays on file, marked voided, with the reason.

    ``kind`` is one of :data:`VOIDABLE_KINDS`. A reason is required; a record already voided
    is refused; a record another nurse entered is voided only by a charge nurse or an
    administrator (:class:`NotPermitted`, :mod:`clinic_app.domain.permissions`);
    with ``expected_version`` a record changed elsewhere raises
    :class:`~clinic_app.storage.ConcurrentEditError`.
    """
    model = VOIDABLE_KINDS.get(kind)
    if model is None:
        raise InvalidInput("kind", f"Cannot void a {kind!r}; known: {', '.join(VOIDABLE_KINDS)}.")
    text = normalise_text(reason, field="reason", label="Reason", max_length=2000,
                          required=True, multiline=True)
    with ctx.unit_of_work() as uow:
        try:
            record = Repository(uow.session, model).get(  # type: ignore[type-var]
                record_id, expected_version=expected_version
            )
        except RecordNotFound:
            raise NotFound(f"No {kind} with id {record_id}.") from None
        if record.is_voided:
            raise InvalidInput("record_id", f"This {kind} was already voided.")
        table = sa_inspect(model).persist_selectable.description
        if uow.audit.inserted_by(str(table), [record_id]).get(record_id) != ctx.nurse_id:
            require_permission(ctx, uow, Permission.VOID_OTHERS_RECORDS)
        uow.void(record, reason=text)
        uow.commit()
        return Voiding(at=record.voided_at or ctx.now(), by=_nurse_name(ctx, uow.session),
                       reason=text)
