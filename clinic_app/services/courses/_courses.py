"""Course use cases: start a course (plans its appointments), read it, change its interval, stop it.

Booking (and reading a day's booking warnings first), rescheduling and did-not-attend are in
:mod:`._appointments`. Schedules come from the domain
(:func:`~clinic_app.domain.scheduling.plan_schedule`, rules and sources in the protocol TOML
files); see :mod:`._plans` for how the rows follow the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import Contraindicated, InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_name, normalise_text
from clinic_app.domain.protocol_model import DosingMode, Indication, Protocol
from clinic_app.domain.units import parse_number, plain
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses._appointments import (
    course_detail,
    load_course,
    require_active,
)
from clinic_app.services.courses._orders import (
    DoseOrder,
    label_warnings,
    note_order_change,
    note_override,
    require_reason,
)
from clinic_app.services.courses._plans import (
    OPEN_STATUSES,
    compute_plan,
    course_appointments,
    given_days,
    interval_changes,
    sync_appointments,
)
from clinic_app.services.courses._views import course_summary
from clinic_app.services.courses.dto import CourseDetail, CourseSummary
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.patients import load_patient, require_nurse
from clinic_app.services.permissions import require_override_permission
from clinic_app.services.typed_input import parse_day
from clinic_app.storage.conflicts import conflict_error
from clinic_app.storage.models import (
    AppointmentStatus,
    CourseStatus,
    IntervalChange,
    TreatmentCourse,
)
from clinic_app.storage.unit_of_work import UnitOfWork


def _indication(protocol: Protocol, indication_id: str) -> Indication:
    try:
        return protocol.dosing.indication(indication_id)
    except KeyError as exc:
        raise InvalidInput("indication_id", f"{protocol.drug}: {exc.args[0]}") from None


def _amount(value: Decimal | str | int, *, field: str, label: str, places: int) -> Decimal:
    number = parse_number(value, field=field, label=label)
    if number <= 0:
        raise InvalidInput(field, f"{label} must be more than 0, got {plain(number)}.")
    if -number.normalize().as_tuple().exponent > places:  # type: ignore[operator]
        raise InvalidInput(field, f"{label} {plain(number)}: at most {places} decimal places.")
    return number


MISSING_ORDER = "Type the dose from the prescription"
WHOLE_MAX = 1000


def _fixed_order(protocol: Protocol, fixed_mg: Decimal | str | None) -> Decimal:
    if fixed_mg is None:
        raise InvalidInput("fixed_mg", f"{MISSING_ORDER} (in mg).")
    mg = _amount(fixed_mg, field="fixed_mg", label="Dose in mg", places=2)
    ceiling = protocol.dosing.hard_ceiling_mg
    if ceiling is not None and mg > ceiling:
        raise InvalidInput("fixed_mg", f"{plain(mg)} mg is above the {protocol.drug} hard "
                                       f"ceiling of {plain(ceiling)} mg: refused.")
    return mg


def _weight_order(protocol: Protocol, indication: Indication,
                  mg_per_kg: Decimal | str | None) -> Decimal:
    if mg_per_kg is None:
        bands = "" if indication.mg_per_kg is not None else (
            f"; for {indication.name} it depends on weight bands")
        raise InvalidInput("mg_per_kg", f"{MISSING_ORDER} (in mg/kg){bands}.")
    mpk = _amount(mg_per_kg, field="mg_per_kg", label="Dose in mg/kg", places=3)
    ceiling = protocol.dosing.hard_ceiling_mg_per_kg
    if ceiling is not None and mpk > ceiling:
        raise InvalidInput("mg_per_kg", f"{plain(mpk)} mg/kg is above the {protocol.drug} hard "
                                        f"ceiling of {plain(ceiling)} mg/kg: refused.")
    return mpk


def dose_order(
    protocol: Protocol, indication: Indication, *, mg_per_kg: Decimal | str | None,
    fixed_mg: Decimal | str | None,
) -> tuple[DosingMode, Decimal | None, Decimal | None]:
    """The order as stored: (mode, mg/kg, mg), exactly as prescribed.

    A missing order is refused, never filled in from the label: a 10 mg/kg prescription left
    empty must not become the label's 5 mg/kg (review P1-1). An order above the protocol's hard
    ceiling is refused (the label maximum is checked at each dose)."""
    if mg_per_kg not in (None, "") and fixed_mg not in (None, ""):
        raise InvalidInput("mg_per_kg", "Give the dose either in mg/kg or in mg, not both.")
    if not protocol.is_weight_based:
        if mg_per_kg not in (None, ""):
            raise InvalidInput("mg_per_kg", f"{protocol.drug} is a fixed dose: give it in mg.")
        return DosingMode.FIXED, None, _fixed_order(protocol, fixed_mg or None)
    if fixed_mg not in (None, ""):
        return DosingMode.FIXED, None, _fixed_order(protocol, fixed_mg)
    return DosingMode.MG_PER_KG, _weight_order(protocol, indication, mg_per_kg or None), None


def _refuse_second_course(uow: UnitOfWork, patient_id: int, protocol: Protocol) -> None:
    for course in uow.courses.list_by(patient_id=patient_id, protocol_id=protocol.id):
        if course.status in (CourseStatus.ACTIVE, CourseStatus.ON_HOLD):
            raise ActionNotAllowed(
                f"This patient already has a {protocol.drug} course (started "
                f"{date_text(course.start_date)}); stop it before starting another."
            )


def _add_course(uow: UnitOfWork, course: TreatmentCourse, protocol: Protocol) -> None:
    """Add and write the course; another workstation starting the same drug for the patient a
    moment earlier is refused as :func:`_refuse_second_course` refuses it (the database's
    partial unique index catches what that check could not see)."""
    patient_id = course.patient_id
    uow.courses.add(course)
    try:
        uow.flush()
    except IntegrityError:
        uow.rollback()
        _refuse_second_course(uow, patient_id, protocol)
        raise


def _flush_interval_change(uow: UnitOfWork, course_id: int, from_dose: int) -> None:
    """Write the change; a change from the same dose saved on another workstation a moment
    earlier raises :class:`~clinic_app.storage.ConcurrentEditError` naming who saved it (the
    partial unique index catches what the check before could not see)."""
    try:
        uow.flush()
    except IntegrityError:
        uow.rollback()
        for saved in interval_changes(uow, course_id):
            if saved.from_dose_number == from_dose:
                raise conflict_error(uow.session, IntervalChange, saved.id) from None
        raise


def _first_day(ctx: ServiceContext, first_dose: date | str) -> date:
    day = parse_day(first_dose, field="first_dose", label="First dose")
    if day < ctx.local_now().date():
        raise InvalidInput("first_dose", f"First dose {date_text(day)} is in the past.")
    return day


@dataclass(frozen=True)
class _Order:
    """A start-course form that passed every check."""

    protocol: Protocol
    indication: Indication
    dose: tuple[DosingMode, Decimal | None, Decimal | None]
    prescriber: str
    first_dose: date
    override_reason: str | None


def _reason_text(value: str | None, field: str = "override_reason") -> str:
    return normalise_text(value or "", field=field, label="Reason", max_length=2000,
                          multiline=True)


def _checked_order(
    ctx: ServiceContext, *, protocol_id: str, indication_id: str,
    mg_per_kg: Decimal | str | None, fixed_mg: Decimal | str | None, prescriber: str,
    first_dose: date | str, override_reason: str | None,
) -> _Order:
    """Every field of the start-course form checked; all problems raised together (the dose
    is checked once the protocol and indication are known)."""
    checks = FieldChecks()
    protocol = checks.check(lambda: catalogue.protocol(protocol_id))
    indication = None if protocol is None else checks.check(
        lambda: _indication(protocol, indication_id))
    dose = None if protocol is None or indication is None else checks.check(
        lambda: dose_order(protocol, indication, mg_per_kg=mg_per_kg, fixed_mg=fixed_mg))
    doctor = checks.check(lambda: normalise_name(prescriber, field="prescriber",
                                                 label="Prescriber"))
    day = checks.check(lambda: _first_day(ctx, first_dose))
    reason = checks.check(lambda: _reason_text(override_reason))
    checks.raise_problems()
    # raise_problems() raised unless every check passed:
    assert protocol is not None and indication is not None and dose is not None
    assert doctor is not None and day is not None
    return _Order(protocol, indication, dose, doctor, day, reason or None)


def check_order(
    ctx: ServiceContext, *, patient_id: int, protocol_id: str, indication_id: str,
    mg_per_kg: Decimal | str | None = None, fixed_mg: Decimal | str | None = None,
) -> tuple[ClinicalWarning, ...]:
    """What the label says about an order as typed, before it is saved (nothing is written).

    The same check as :func:`start_course` and :func:`change_order` (:mod:`._orders`): a
    warning with ``requires_override`` needs the prescriber's reason. An order that is not
    complete or not valid raises :class:`InvalidInput` as saving it would.
    """
    require_nurse(ctx)
    protocol = catalogue.protocol(protocol_id)
    indication = _indication(protocol, indication_id)
    _mode, mpk, mg = dose_order(protocol, indication, mg_per_kg=mg_per_kg, fixed_mg=fixed_mg)
    with ctx.read_only() as uow:
        load_patient(uow, patient_id)
        return label_warnings(uow, patient_id, protocol, indication, DoseOrder(mpk, mg), None)


def start_course(
    ctx: ServiceContext, *, patient_id: int, protocol_id: str, indication_id: str,
    mg_per_kg: Decimal | str | None = None, fixed_mg: Decimal | str | None = None,
    prescriber: str, first_dose: date | str, override_reason: str | None = None,
) -> CourseSummary:
    """Start a course as prescribed and create a ``planned`` appointment for each dose due
    within a year (due date from the plan; booking day, time and chair come later).

    Refused (:class:`~clinic_app.domain.errors.Contraindicated`) when an absolute
    contraindication of the drug is on file; the first dose cannot be in the past. An order the
    label does not cover (above the indication's label maximum, a fixed-dose drug at another
    dose) needs the prescriber's ``override_reason``, else :class:`OverrideRequired` names the
    codes (:mod:`._orders`). Every bad field is reported at once
    (:class:`~clinic_app.services.errors.InvalidInputs`). A patient has one running course of
    a drug: a second one, also started on another workstation at the same moment, raises
    :class:`ActionNotAllowed`.
    """
    order = _checked_order(ctx, protocol_id=protocol_id, indication_id=indication_id,
                           mg_per_kg=mg_per_kg, fixed_mg=fixed_mg, prescriber=prescriber,
                           first_dose=first_dose, override_reason=override_reason)
    protocol, indication = order.protocol, order.indication
    (mode, mpk, mg), doctor, day = order.dose, order.prescriber, order.first_dose
    today = ctx.local_now().date()
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        _refuse_second_course(uow, patient_id, protocol)
        warnings = label_warnings(uow, patient_id, protocol, indication, DoseOrder(mpk, mg),
                                  order.override_reason)
        require_reason(warnings, order.override_reason)
        require_override_permission(ctx, uow, warnings, order.override_reason)
        course = TreatmentCourse(
            patient_id=patient_id, protocol_id=protocol.id, indication_id=indication.id,
            dosing_mode=mode, dose_mg_per_kg=mpk, fixed_dose_mg=mg, prescriber=doctor,
            start_date=day, status=CourseStatus.ACTIVE,
        )
        _add_course(uow, course, protocol)
        checked = compute_plan(ctx, uow, course, as_of=today)
        if checked.contraindicated:
            raise Contraindicated(checked.contraindicated)
        note_override(uow, course, warnings, order.override_reason)
        plan = sync_appointments(ctx, uow, course, as_of=today)
        uow.commit()
        return course_summary(course, plan)


def change_order(
    ctx: ServiceContext, *, course_id: int, reason: str, mg_per_kg: Decimal | str | None = None,
    fixed_mg: Decimal | str | None = None, indication_id: str = "", ordered_by: str = "",
    override_reason: str | None = None, expected_version: int | None = None,
) -> CourseDetail:
    """Record the prescriber's new order for the course's next doses (:mod:`._orders`).

    The dose in mg/kg or mg as written (also the same dose, re-confirmed: the weight on file
    becomes the plan's weight), optionally another indication of the same drug (the open
    appointments are re-planned to its interval); ``ordered_by`` defaults to the course's
    prescriber; ``reason`` is required. An order the label does not cover needs the
    prescriber's ``override_reason`` (:class:`OverrideRequired` otherwise). A visit already
    open keeps the dose it was opened with. Every bad field is reported at once.
    """
    checks = FieldChecks()
    why = checks.check(lambda: normalise_text(reason, field="reason", label="Reason",
                                              max_length=2000, required=True, multiline=True))
    named = checks.check(lambda: normalise_name(ordered_by, field="ordered_by",
                                                label="Ordered by") if ordered_by.strip() else "")
    override = checks.check(lambda: _reason_text(override_reason)) or None
    today = ctx.local_now().date()
    with ctx.unit_of_work() as uow:
        course = load_course(uow, course_id, expected_version=expected_version)
        require_active(course)
        protocol = catalogue.protocol(course.protocol_id)
        indication = checks.check(
            lambda: _indication(protocol, indication_id or course.indication_id))
        dose = None if indication is None else checks.check(
            lambda: dose_order(protocol, indication, mg_per_kg=mg_per_kg, fixed_mg=fixed_mg))
        checks.raise_problems()
        assert why and named is not None and indication is not None and dose is not None
        mode, mpk, mg = dose
        order = DoseOrder(mpk, mg)
        warnings = label_warnings(uow, course.patient_id, protocol, indication, order, override)
        require_reason(warnings, override)
        require_override_permission(ctx, uow, warnings, override)
        replan = indication.id != course.indication_id
        course.dosing_mode, course.dose_mg_per_kg, course.fixed_dose_mg = mode, mpk, mg
        course.indication_id = indication.id
        uow.flush()
        note_order_change(uow, course, order=order, ordered_by=named or course.prescriber,
                          reason=why, override_reason=override, warnings=warnings)
        if replan:
            sync_appointments(ctx, uow, course, as_of=today)
        uow.commit()
        return course_detail(ctx, uow, course, as_of=today)


def get_course(ctx: ServiceContext, *, course_id: int, as_of: date | str | None = None
               ) -> CourseDetail:
    """The course with its appointments and a fresh plan as of ``as_of`` (default today)."""
    require_nurse(ctx)
    day = ctx.local_now().date() if as_of is None or as_of == "" else parse_day(
        as_of, field="as_of", label="As of")
    with ctx.read_only() as uow:
        return course_detail(ctx, uow, load_course(uow, course_id), as_of=day)


def _whole(value: int | str, *, field: str, label: str) -> int:
    """A whole number of at most :data:`WHOLE_MAX` (a dose number, weeks): larger cannot be
    meant and cannot be stored."""
    number = parse_number(value, field=field, label=label)
    if abs(number) > WHOLE_MAX:
        raise InvalidInput(field, f"{label} is too large: at most {WHOLE_MAX}.")
    if number != number.to_integral_value():
        raise InvalidInput(field, f"{label} must be a whole number, got {plain(number)}.")
    return int(number)


def _check_weeks(protocol: Protocol, weeks: int) -> None:
    allowed = protocol.schedule.allowed_intervals_weeks
    if weeks not in allowed:
        raise InvalidInput("weeks", f"{protocol.drug}: an interval of {weeks} weeks is not "
                                    f"allowed; allowed: {', '.join(map(str, allowed))} weeks.")


def _check_from_dose(protocol: Protocol, from_dose: int, given: int) -> None:
    first = len(protocol.schedule.induction_offsets_weeks) + 1
    if from_dose < first:
        raise InvalidInput("from_dose", f"The interval can change from dose {first} on (the "
                                        f"first maintenance dose), not dose {from_dose}.")
    if from_dose <= given:
        raise InvalidInput("from_dose", f"Dose {from_dose} was already given; change the "
                                        f"interval from dose {given + 1} on.")


def change_interval(
    ctx: ServiceContext, *, course_id: int, from_dose: int | str, weeks: int | str, reason: str,
    ordered_by: str = "",
) -> CourseDetail:
    """Record the prescriber's new maintenance interval from dose ``from_dose`` on and re-plan
    the open appointments (due dates move; new doses within the year get appointments).

    ``ordered_by`` defaults to the course's prescriber; a change from the same dose replaces the
    earlier one (the audit trail keeps both). Every bad field is reported at once. A change from
    the same dose saved on another workstation at the same moment raises
    :class:`~clinic_app.storage.ConcurrentEditError` naming who saved it.
    """
    checks = FieldChecks()
    number = checks.check(lambda: _whole(from_dose, field="from_dose", label="From dose"))
    interval = checks.check(lambda: _whole(weeks, field="weeks", label="Interval in weeks"))
    why = checks.check(lambda: normalise_text(reason, field="reason", label="Reason",
                                              max_length=2000, required=True, multiline=True))
    named = checks.check(lambda: normalise_name(ordered_by, field="ordered_by",
                                                label="Ordered by") if ordered_by.strip() else "")
    today = ctx.local_now().date()
    with ctx.unit_of_work() as uow:
        course = load_course(uow, course_id)
        require_active(course)
        protocol = catalogue.protocol(course.protocol_id)
        given = len(given_days(ctx, uow, course_appointments(uow, course.id)))
        if number is not None:
            checks.check(lambda: _check_from_dose(protocol, number, given))
        if interval is not None:
            checks.check(lambda: _check_weeks(protocol, interval))
        checks.raise_problems()
        assert number is not None and interval is not None and why  # else raised above
        doctor = named or course.prescriber
        same = [c for c in interval_changes(uow, course.id) if c.from_dose_number == number]
        change = same[0] if same else uow.interval_changes.add(
            IntervalChange(course_id=course.id, from_dose_number=number, interval_weeks=interval,
                           ordered_by=doctor, reason=why))
        change.interval_weeks, change.ordered_by, change.reason = interval, doctor, why
        _flush_interval_change(uow, course.id, number)
        sync_appointments(ctx, uow, course, as_of=today)
        uow.commit()
        return course_detail(ctx, uow, course, as_of=today)


def stop_course(ctx: ServiceContext, *, course_id: int, reason: str,
                expected_version: int | None = None) -> CourseSummary:
    """Stop the course (the reason goes into its notes and the audit trail) and cancel its
    appointments not yet given."""
    why = normalise_text(reason, field="reason", label="Reason", max_length=2000, required=True,
                         multiline=True)
    with ctx.unit_of_work() as uow:
        course = load_course(uow, course_id, expected_version=expected_version)
        if course.status is CourseStatus.STOPPED:
            raise ActionNotAllowed("This course is already stopped.")
        plan = compute_plan(ctx, uow, course, as_of=ctx.local_now().date()).plan
        halt_course(ctx, uow, course, why)
        uow.commit()
        return course_summary(course, plan, interval_changes(uow, course.id))


def halt_course(ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse,
                reason: str) -> None:
    """Stop ``course`` inside the caller's unit of work: the reason goes into its notes (and so
    the audit trail) and its appointments not yet given are cancelled. Used by
    :func:`stop_course` and when a reaction makes the drug contraindicated."""
    today = ctx.local_now().date()
    course.status = CourseStatus.STOPPED
    stopped = f"Stopped {date_text(today)}: {reason}"
    course.notes = f"{course.notes}\n{stopped}" if course.notes else stopped
    for appointment in course_appointments(uow, course.id):
        if appointment.status in OPEN_STATUSES and not appointment.is_voided:
            appointment.status = AppointmentStatus.CANCELLED
