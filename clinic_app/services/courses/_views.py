"""Turning course and appointment rows into DTOs (inside a unit of work; nothing here writes)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import tzinfo

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.booking import check_booking
from clinic_app.domain.errors import ScheduleError
from clinic_app.domain.protocol_model import DosingMode
from clinic_app.domain.schedule_model import PlannedDose, SchedulePlan
from clinic_app.domain.units import plain
from clinic_app.services import catalogue
from clinic_app.services.courses.dto import AppointmentSummary, CourseSummary
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    CourseStatus,
    IntervalChange,
    TreatmentCourse,
)

OVERRIDE_NOTE = "override_reason"
#: Plan warnings about the patient, not the day, kept on a booked dose (the others, e.g.
#: NO_OPEN_DAY or OVERDUE, are answered by the booking and re-checked for the booked day).
PATIENT_WARNINGS = frozenset({"SCREENING_DUE"})
#: The codes :func:`~clinic_app.domain.booking.check_booking` gives: about the day a dose is
#: booked on, so a screen that checks a typed day shows these for that day, not the plan's.
DAY_WARNINGS = frozenset({"TOO_EARLY", "GAP_REVIEW", "OUTSIDE_WINDOW", "CLOSED_DAY"})


def order_text(course: TreatmentCourse) -> str:
    """The order as written: "5 mg/kg" or "300 mg"."""
    if course.dosing_mode is DosingMode.MG_PER_KG and course.dose_mg_per_kg is not None:
        return f"{plain(course.dose_mg_per_kg)} mg/kg"
    if course.fixed_dose_mg is not None:
        return f"{plain(course.fixed_dose_mg)} mg"
    return "no dose ordered"


def interval_in_force(
    course: TreatmentCourse, changes: Sequence[IntervalChange], plan: SchedulePlan | None
) -> int:
    """Maintenance weeks in force at the next dose (indication default, then prescribed
    changes that start at or before it)."""
    protocol = catalogue.protocol(course.protocol_id)
    weeks = protocol.schedule.maintenance_interval_weeks
    with suppress(KeyError):
        weeks = protocol.dosing.indication(course.indication_id).maintenance_interval_weeks or weeks
    next_dose = plan.next_dose if plan is not None else None
    number = max(next_dose.number if next_dose else 0,
                 len(protocol.schedule.induction_offsets_weeks) + 1)
    for change in sorted(changes, key=lambda c: c.from_dose_number):
        if change.from_dose_number <= number:
            weeks = change.interval_weeks
    return weeks


def course_summary(
    course: TreatmentCourse, plan: SchedulePlan | None, changes: Sequence[IntervalChange] = (),
) -> CourseSummary:
    """The course as ordered, with the next due date from ``plan`` and the interval in force."""
    protocol = catalogue.protocol(course.protocol_id)
    try:
        indication = protocol.dosing.indication(course.indication_id).name
    except KeyError:
        indication = course.indication_id
    running = course.status in (CourseStatus.ACTIVE, CourseStatus.ON_HOLD)
    next_dose = plan.next_dose if plan is not None and running else None
    return CourseSummary(
        id=course.id, patient_id=course.patient_id, protocol_id=course.protocol_id,
        drug=protocol.drug, indication_id=course.indication_id, indication=indication,
        dosing_mode=course.dosing_mode.value, mg_per_kg=course.dose_mg_per_kg,
        fixed_mg=course.fixed_dose_mg, order_text=order_text(course),
        prescriber=course.prescriber, start_date=course.start_date, status=course.status.value,
        interval_weeks=interval_in_force(course, changes, plan),
        next_due=next_dose.due if next_dose is not None else None, version=course.version,
        voided=course.is_voided,
    )


def _dose(plan: SchedulePlan, number: int) -> PlannedDose | None:
    return plan.doses[number - 1] if 1 <= number <= len(plan.doses) else None


def appointment_warnings(plan: SchedulePlan, appointment: Appointment, tz: tzinfo,
                         ) -> tuple[ClinicalWarning, ...]:
    """A booked appointment's booking warnings for its day, plus the plan's warnings about the
    patient rather than the day (:data:`PATIENT_WARNINGS`: a screening test due stays in view
    once the dose is booked); a planned one's plan warnings.

    Done and cancelled appointments carry none: there is nothing left to decide (a missed one
    keeps its overdue warning until the dose is re-booked).
    """
    dose = _dose(plan, appointment.dose_number)
    closed = (AppointmentStatus.DONE, AppointmentStatus.CANCELLED)
    if dose is None or dose.given is not None or appointment.status in closed:
        return ()
    if appointment.status is AppointmentStatus.BOOKED and appointment.starts_at is not None:
        standing = tuple(w for w in dose.warnings if w.code in PATIENT_WARNINGS)
        try:
            return tuple(check_booking(plan, appointment.dose_number,
                                       appointment.starts_at.astimezone(tz).date())) + standing
        except ScheduleError:
            return standing
    return dose.warnings


def override_reason(history: Sequence[AuditEntry]) -> str:
    """The reason recorded for the current booking (from the appointment's audit rows)."""
    reason = ""
    for entry in history:
        if "starts_at" in entry.changes:
            reason = ""
        note = entry.changes.get(OVERRIDE_NOTE)
        if note:
            reason = str(note.get("new") or "")
    return reason


def appointment_summary(
    appointment: Appointment, plan: SchedulePlan, *, patient_id: int, tz: tzinfo,
    history: Sequence[AuditEntry] = (),
) -> AppointmentSummary:
    """An appointment with its local day and time and its warnings."""
    dose = _dose(plan, appointment.dose_number)
    local = appointment.starts_at.astimezone(tz) if appointment.starts_at else None
    return AppointmentSummary(
        id=appointment.id, course_id=appointment.course_id, patient_id=patient_id,
        dose_number=appointment.dose_number, due_date=appointment.due_date,
        suggested=dose.suggested if dose is not None and dose.given is None else None,
        starts_at=appointment.starts_at, day=local.date() if local else None,
        time=local.time().replace(tzinfo=None) if local else None,
        chair=appointment.chair or "", status=appointment.status.value,
        warnings=appointment_warnings(plan, appointment, tz),
        override_reason=override_reason(history), version=appointment.version,
        voided=appointment.is_voided,
    )

