"""Booking a dose (day, time, chair), rescheduling it, and recording a did-not-attend.

:func:`booking_warnings` reads what a day would warn about before the nurse books it.

Booking rules come from :func:`clinic_app.domain.booking.check_booking`: ``TOO_EARLY`` and
``GAP_REVIEW`` need a reason (``override_reason``), as does a visit outside the clinic's
opening hours (``OUTSIDE_HOURS``, :mod:`clinic_app.services.courses._chair_time`);
``OUTSIDE_WINDOW`` and ``CLOSED_DAY`` need an acknowledgement (their code in
``acknowledged``, or a reason). A reason is chained into the appointment's audit trail
(:mod:`clinic_app.services.audit_notes`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.booking import check_booking
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import Contraindicated, InvalidInput, ScheduleError
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_text
from clinic_app.domain.schedule_model import SchedulePlan
from clinic_app.services.audit_notes import note_in_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses._chair_time import check_chair, lock_chair
from clinic_app.services.courses._orders import order_changes, start_override_reason
from clinic_app.services.courses._plans import (
    OPEN_STATUSES,
    compute_plan,
    course_appointments,
    interval_changes,
)
from clinic_app.services.courses._views import (
    OVERRIDE_NOTE,
    appointment_summary,
    course_summary,
)
from clinic_app.services.courses.dto import (
    AppointmentSummary,
    CourseDetail,
    IntervalChangeEntry,
)
from clinic_app.services.errors import ActionNotAllowed, NotFound, OverrideRequired
from clinic_app.services.patients import require_nurse
from clinic_app.services.permissions import require_override_permission
from clinic_app.services.typed_input import local_to_utc, parse_day, parse_time
from clinic_app.storage.errors import RecordNotFound
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    CourseStatus,
    TreatmentCourse,
)
from clinic_app.storage.unit_of_work import UnitOfWork

CHAIR_MAX_LENGTH = 40


def load_course(uow: UnitOfWork, course_id: int, *, expected_version: int | None = None
                ) -> TreatmentCourse:
    """The course (not voided), or :class:`NotFound`; checks ``expected_version`` if given."""
    try:
        course = uow.courses.get(course_id, expected_version=expected_version)
    except RecordNotFound:
        course = None
    if course is None or course.is_voided:
        raise NotFound(f"No treatment course with id {course_id} (it may have been voided).")
    return course


def require_active(course: TreatmentCourse) -> None:
    """Refuse changes to a course that is stopped, completed or on hold."""
    if course.status is not CourseStatus.ACTIVE:
        raise ActionNotAllowed(f"This course is {course.status.value.replace('_', ' ')}; "
                               "nothing can be booked or re-planned on it.")


def _load_appointment(uow: UnitOfWork, appointment_id: int,
                      expected_version: int | None) -> Appointment:
    try:
        appointment = uow.appointments.get(appointment_id, expected_version=expected_version)
    except RecordNotFound:
        appointment = None
    if appointment is None or appointment.is_voided:
        raise NotFound(f"No appointment with id {appointment_id} (it may have been voided).")
    return appointment


def plan_covering(ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse, *,
                  as_of: date, dose_number: int) -> tuple[SchedulePlan, str | None]:
    """The fresh plan holding at least ``dose_number`` doses, and any contraindication."""
    checked = compute_plan(ctx, uow, course, as_of=as_of)
    if dose_number > len(checked.plan.doses):
        checked = compute_plan(ctx, uow, course, as_of=as_of, count=dose_number)
    return checked.plan, checked.contraindicated


def _histories(uow: UnitOfWork, ids: list[int]) -> dict[int, list[AuditEntry]]:
    found: dict[int, list[AuditEntry]] = defaultdict(list)
    for entry in uow.audit.for_records(Appointment.__tablename__, ids):
        found[entry.record_id].append(entry)
    return found


def course_detail(ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse, *,
                  as_of: date) -> CourseDetail:
    """The course DTO with every appointment (voided ones marked) and the fresh plan."""
    rows = course_appointments(uow, course.id)
    highest = max((a.dose_number for a in rows), default=1)
    plan, refusal = plan_covering(ctx, uow, course, as_of=as_of, dose_number=highest)
    changes = interval_changes(uow, course.id)
    histories = _histories(uow, [a.id for a in rows])
    refused = () if refusal is None else (
        ClinicalWarning("CONTRAINDICATED", refusal, requires_override=True),)
    return CourseDetail(
        course=course_summary(course, plan, changes),
        appointments=tuple(
            appointment_summary(a, plan, patient_id=course.patient_id, tz=ctx.tz,
                                history=histories.get(a.id, ())) for a in rows),
        interval_changes=tuple(
            IntervalChangeEntry(id=c.id, from_dose=c.from_dose_number, weeks=c.interval_weeks,
                                ordered_by=c.ordered_by, reason=c.reason or "",
                                recorded_at=_inserted_at(uow, c.id))
            for c in changes),
        plan=plan, as_of=as_of, warnings=refused + plan.warnings,
        order_changes=order_changes(uow, course.id),
        start_override_reason=start_override_reason(uow, course.id),
    )


def _inserted_at(uow: UnitOfWork, change_id: int) -> datetime:
    """When the change was recorded (its first audit row; every insert has one)."""
    return uow.audit.history("interval_changes", change_id)[0].at


def _unmet(warnings: list[ClinicalWarning], reason: str,
           acknowledged: Collection[str]) -> list[ClinicalWarning]:
    if reason:
        return []
    return [w for w in warnings
            if w.requires_override or (w.requires_ack and w.code not in acknowledged)]


def _refuse_unmet(unmet: list[ClinicalWarning]) -> None:
    if not unmet:
        return
    needs_reason = any(w.requires_override for w in unmet)
    ask = "Give a reason to book anyway" if needs_reason else "Acknowledge to book anyway"
    raise OverrideRequired(
        " ".join(w.message for w in unmet) + f" {ask}.", tuple(w.code for w in unmet)
    )


@dataclass(frozen=True)
class _Booking:
    """A booking form that passed every check: the day, the moment (UTC), chair and reason."""

    day: date
    starts: datetime
    chair: str
    reason: str


def _future_day(ctx: ServiceContext, day: date | str) -> date:
    booked_day = parse_day(day, field="day", label="Day")
    if booked_day < ctx.local_now().date():
        raise InvalidInput("day", f"Day {date_text(booked_day)} is in the past.")
    return booked_day


def _booking_input(ctx: ServiceContext, day: date | str, at: time | str, chair: str,
                   override_reason: str | None) -> _Booking:
    """Every field of the booking form checked; all problems raised together."""
    checks = FieldChecks()
    booked_day = checks.check(lambda: _future_day(ctx, day))
    booked_time = checks.check(lambda: parse_time(at, field="time", label="Time"))
    starts = None if booked_day is None or booked_time is None else checks.check(
        lambda: local_to_utc(booked_day, booked_time, ctx.tz, field="time", label="Time"))
    seat = checks.check(lambda: normalise_text(chair, field="chair", label="Chair",
                                               max_length=CHAIR_MAX_LENGTH, required=True))
    reason = checks.check(lambda: normalise_text(
        override_reason or "", field="override_reason", label="Reason", max_length=2000,
        multiline=True))
    checks.raise_problems()
    # raise_problems() raised unless every check passed:
    assert booked_day is not None and starts is not None
    assert seat is not None and reason is not None
    return _Booking(booked_day, starts, seat, reason)


def _checked_day(ctx: ServiceContext, uow: UnitOfWork, appointment: Appointment, day: date,
                 ) -> tuple[TreatmentCourse, SchedulePlan, list[ClinicalWarning]]:
    """The appointment's course, its fresh plan and the domain's warnings for booking the dose
    on ``day``; refused when the appointment or course cannot be booked or a contraindication
    is on file."""
    if appointment.status not in OPEN_STATUSES:
        raise ActionNotAllowed(f"This appointment is {appointment.status.value}; it cannot "
                               "be booked.")
    course = load_course(uow, appointment.course_id)
    require_active(course)
    plan, refusal = plan_covering(ctx, uow, course, as_of=ctx.local_now().date(),
                                  dose_number=appointment.dose_number)
    if refusal is not None:
        raise Contraindicated(refusal)
    try:
        return course, plan, check_booking(plan, appointment.dose_number, day)
    except ScheduleError as exc:
        raise ActionNotAllowed(str(exc)) from None


def booking_warnings(ctx: ServiceContext, *, appointment_id: int, day: date | str,
                     ) -> tuple[ClinicalWarning, ...]:
    """What booking (or moving) this dose to ``day`` would warn about, read before the nurse
    confirms; nothing is written.

    The same domain check as :func:`book_appointment` (:func:`~clinic_app.domain.booking.
    check_booking`): a warning with ``requires_override`` needs a reason, one with
    ``requires_ack`` an acknowledgement (or a reason). A day that is not a date or is in the
    past is :class:`InvalidInput`; an appointment that cannot be booked is refused as
    :func:`book_appointment` refuses it.
    """
    require_nurse(ctx)
    booked_day = _future_day(ctx, day)
    with ctx.read_only() as uow:
        appointment = _load_appointment(uow, appointment_id, None)
        return tuple(_checked_day(ctx, uow, appointment, booked_day)[2])


def book_appointment(
    ctx: ServiceContext, *, appointment_id: int, day: date | str, time: time | str, chair: str,
    override_reason: str | None = None, acknowledged: Collection[str] = (),
    expected_version: int | None = None,
) -> AppointmentSummary:
    """Book (or move) a dose to ``day`` at ``time`` (clinic local) in ``chair``.

    ``chair`` names one of the clinic's active chairs; the visit holds it for the protocol's
    expected time and is refused (:class:`~clinic_app.services.errors.ChairTaken`, naming the
    other booking's time) when it overlaps another live booking of that chair; outside the
    clinic's opening hours it needs a reason (``OUTSIDE_HOURS``). Checked with the chair's row
    locked, inside this transaction (:mod:`clinic_app.services.courses._chair_time`).

    Refused with :class:`OverrideRequired` (listing the codes) while a warning needs a reason
    or an acknowledgement not given; :class:`Contraindicated` when an absolute
    contraindication is on file. A planned, booked or missed appointment can be booked. Every
    bad field is reported at once (:class:`~clinic_app.services.errors.InvalidInputs`).
    """
    booking = _booking_input(ctx, day, time, chair, override_reason)
    booked_day, starts, seat, reason = booking.day, booking.starts, booking.chair, booking.reason
    with ctx.unit_of_work() as uow:
        lock_chair(uow, seat)  # first: two workstations booking this chair go in turn
        appointment = _load_appointment(uow, appointment_id, expected_version)
        course, plan, day_warnings = _checked_day(ctx, uow, appointment, booked_day)
        warnings = day_warnings + check_chair(ctx, uow, appointment, course, chair=seat,
                                              starts=starts)
        _refuse_unmet(_unmet(warnings, reason, acknowledged))
        require_override_permission(ctx, uow, day_warnings, reason)
        appointment.starts_at, appointment.chair = starts, seat
        appointment.status = AppointmentStatus.BOOKED
        if reason and warnings:
            note_in_audit(uow, appointment, {OVERRIDE_NOTE: reason,
                                             "override_codes": [w.code for w in warnings]})
        uow.commit()
        return appointment_summary(appointment, plan, patient_id=course.patient_id, tz=ctx.tz,
                                   history=uow.audit.history("appointments", appointment.id))


def mark_did_not_attend(ctx: ServiceContext, *, appointment_id: int,
                        expected_version: int | None = None) -> AppointmentSummary:
    """Record that the patient did not come to a booked appointment (today or earlier).

    The dose is still owed: the appointment can be booked again and the plan shows it overdue
    once its window has passed. Refused once the patient's visit is open (the patient came:
    close the visit as not given instead).
    """
    today = ctx.local_now().date()
    with ctx.unit_of_work() as uow:
        appointment = _load_appointment(uow, appointment_id, expected_version)
        if appointment.status is not AppointmentStatus.BOOKED or appointment.starts_at is None:
            raise ActionNotAllowed("Only a booked appointment can be marked as not attended.")
        if uow.visits.open_for_appointment(appointment.id) is not None:
            raise ActionNotAllowed("The patient came: a visit is open for this appointment. "
                                   "If the dose must not be given today, use \"Do not give "
                                   "today…\" on the visit.")
        if appointment.starts_at.astimezone(ctx.tz).date() > today:
            raise ActionNotAllowed("This appointment is in the future; it cannot be marked as "
                                   "not attended yet.")
        appointment.status = AppointmentStatus.MISSED
        course = load_course(uow, appointment.course_id)
        uow.flush()
        plan, _refusal = plan_covering(ctx, uow, course, as_of=today,
                                       dose_number=appointment.dose_number)
        uow.commit()
        return appointment_summary(appointment, plan, patient_id=course.patient_id, tz=ctx.tz,
                                   history=uow.audit.history("appointments", appointment.id))
