"""A course's schedule as the store holds it: the fresh domain plan and the appointment rows.

The plan is always recomputed from the record (dose 1 day, doses given, prescribed interval
changes, the patient's screening and contraindications, and the ones the patient's age brings:
``age_under_18`` before the 18th birthday, :mod:`clinic_app.domain.patient_age`, on the later
of the plan's day and the first dose's) with
:func:`clinic_app.domain.scheduling.plan_schedule`; the appointment rows keep each open dose's due
date in step with it (:func:`sync_appointments`) so the day list can find them by index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import Contraindicated
from clinic_app.domain.patient_age import age_contraindications
from clinic_app.domain.schedule_model import IntervalChange, SchedulePlan
from clinic_app.domain.scheduling import plan_schedule
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.storage.conflicts import conflict_error
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    ContraindicationFlag,
    InfusionVisit,
    Patient,
    ScreeningRecord,
    TreatmentCourse,
)
from clinic_app.storage.models import IntervalChange as IntervalChangeRow
from clinic_app.storage.unit_of_work import UnitOfWork

# Appointments whose dose is still to be given (their due date follows the plan).
OPEN_STATUSES = frozenset({AppointmentStatus.PLANNED, AppointmentStatus.BOOKED,
                           AppointmentStatus.MISSED, AppointmentStatus.NOT_GIVEN})


@dataclass(frozen=True)
class CoursePlan:
    """The fresh plan of a course and the warnings computed with it.

    ``contraindicated`` holds the refusal message when an absolute contraindication is now on
    file (the plan is then computed without it so the course can still be shown).
    """

    plan: SchedulePlan
    contraindicated: str | None

    @property
    def warnings(self) -> tuple[ClinicalWarning, ...]:
        """The plan's warnings, led by a CONTRAINDICATED one when the drug may not be given."""
        refusal = () if self.contraindicated is None else (
            ClinicalWarning("CONTRAINDICATED", self.contraindicated, requires_override=True),
        )
        return refusal + self.plan.warnings


def course_appointments(uow: UnitOfWork, course_id: int) -> list[Appointment]:
    """The course's appointments (voided ones included), in dose order."""
    return list(uow.session.scalars(
        select(Appointment).where(Appointment.course_id == course_id)
        .order_by(Appointment.dose_number, Appointment.id)
    ))


def interval_changes(uow: UnitOfWork, course_id: int) -> list[IntervalChangeRow]:
    """The prescribed interval changes in force (not voided), by first dose."""
    rows = uow.interval_changes.list_by(course_id=course_id)
    return sorted(rows, key=lambda r: r.from_dose_number)


def given_days(
    ctx: ServiceContext, uow: UnitOfWork, appointments: Sequence[Appointment]
) -> list[date]:
    """Days doses 1, 2, ... were given, in order, stopping at the first dose not given.

    A dose is given when its appointment is ``done``; its day is the local day its visit's
    infusion started, else the booked day, else its due date.
    """
    done = {a.dose_number: a for a in appointments
            if a.status is AppointmentStatus.DONE and not a.is_voided}
    rows = uow.session.execute(
        select(InfusionVisit.appointment_id, InfusionVisit.started_at).where(
            InfusionVisit.appointment_id.in_([a.id for a in done.values()]),
            InfusionVisit.voided_at.is_(None), InfusionVisit.started_at.is_not(None),
        )
    )
    starts = {row.appointment_id: row.started_at for row in rows}
    days: list[date] = []
    number = 1
    while number in done:
        appointment = done[number]
        moment = starts.get(appointment.id) or appointment.starts_at
        days.append(moment.astimezone(ctx.tz).date() if moment else appointment.due_date)
        number += 1
    return days


def patient_screening(uow: UnitOfWork, patient_id: int) -> list[ScreeningRecord]:
    """The patient's screening results on file (not voided)."""
    return list(uow.screenings.list_by(patient_id=patient_id))


def active_contraindications(uow: UnitOfWork, patient_id: int) -> list[ContraindicationFlag]:
    """The patient's contraindication flags in force (not voided)."""
    return list(uow.contraindications.list_by(patient_id=patient_id))


def _contraindication_codes(uow: UnitOfWork, course: TreatmentCourse, day: date) -> list[str]:
    """The codes on file and the ones the patient's age on ``day`` brings."""
    patient = uow.session.get(Patient, course.patient_id)
    assert patient is not None  # foreign key
    on_file = [f.code for f in active_contraindications(uow, course.patient_id)]
    return on_file + list(age_contraindications(patient.date_of_birth, day))


def compute_plan(
    ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse, *, as_of: date,
    count: int | None = None,
) -> CoursePlan:
    """The course's plan as of ``as_of`` (``count`` doses, or the one-year horizon)."""
    protocol = catalogue.protocol(course.protocol_id)
    given = given_days(ctx, uow, course_appointments(uow, course.id))
    changes = [IntervalChange(c.from_dose_number, c.interval_weeks)
               for c in interval_changes(uow, course.id)]
    screening = [r.to_domain() for r in patient_screening(uow, course.patient_id)]

    def plan(contraindications: list[str]) -> SchedulePlan:
        return plan_schedule(
            protocol, course.start_date, given=given, count=count, as_of=as_of,
            interval_override=changes or None, closed=ctx.settings.closed_days,
            indication=course.indication_id, screening=screening,
            active_contraindications=contraindications,
        )

    try:
        return CoursePlan(
            plan(_contraindication_codes(uow, course, max(as_of, course.start_date))), None)
    except Contraindicated as refusal:
        return CoursePlan(plan([]), str(refusal))


def sync_appointments(
    ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse, *, as_of: date
) -> SchedulePlan:
    """Bring the course's appointment rows in step with its fresh plan (inside a write).

    Open appointments (planned, booked, missed) take the plan's due date; a dose within the
    plan's one-year horizon without an appointment gets a new ``planned`` one. Bookings are
    kept: a booking the new plan makes too early shows its warning in the course view.
    Returns the plan covering every appointment. A dose has one appointment: when another
    workstation re-planning the same course saved one for a new dose a moment earlier,
    :class:`~clinic_app.storage.ConcurrentEditError` names who (the caller's whole action is
    refused).
    """
    horizon = compute_plan(ctx, uow, course, as_of=as_of).plan
    rows = [a for a in course_appointments(uow, course.id) if not a.is_voided]
    highest = max((a.dose_number for a in rows), default=0)
    plan = horizon if highest <= len(horizon.doses) else compute_plan(
        ctx, uow, course, as_of=as_of, count=highest).plan
    by_number = {a.dose_number: a for a in rows}
    added = []
    for dose in plan.doses:
        row = by_number.get(dose.number)
        if row is None:
            added.append(uow.appointments.add(Appointment(
                course_id=course.id, dose_number=dose.number, due_date=dose.due,
                status=AppointmentStatus.PLANNED,
            )).dose_number)
        elif row.status in OPEN_STATUSES and row.due_date != dose.due:
            row.due_date = dose.due
    if added:
        _flush_new_appointments(uow, course.id, added)
    return plan


def _flush_new_appointments(uow: UnitOfWork, course_id: int, numbers: list[int]) -> None:
    """Write the new appointments; one for the same dose saved on another workstation a moment
    earlier raises :class:`~clinic_app.storage.ConcurrentEditError` naming who saved it (the
    partial unique index catches what the rows read before could not show)."""
    try:
        uow.flush()
    except IntegrityError:
        uow.rollback()
        for saved in course_appointments(uow, course_id):
            if saved.dose_number in numbers and not saved.is_voided:
                raise conflict_error(uow.session, Appointment, saved.id) from None
        raise
