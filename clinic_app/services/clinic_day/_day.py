"""The clinic day: every appointment of a day by time and chair, with its live state.

The state comes from the appointment and its visit at ``ctx.now()``: booked, arrived,
pre-check, infusing (paused or not), observation, discharged, did not attend, or not given
(the patient came but the dose was held at the chair, with the reason on file). A reaction
logged at the visit leads the row's alerts ("Reaction 09:30 (grade 2)") and a pause after it
reads so (review of the Today screen, 2026-11-22, P1-2). What is due
next and what is late follow :mod:`._due`. The rows of the day are
read in a few batched queries (:mod:`._records`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import plain
from clinic_app.services import catalogue
from clinic_app.services.chart import alerts_by_patient
from clinic_app.services.clinic_day._due import (
    VisitNow,
    booked_due,
    can_mark_did_not_attend,
    visit_now,
)
from clinic_app.services.clinic_day._records import DayRecords, load_day_records
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import booking_minutes, opened_shortened, order_text
from clinic_app.services.patients import patient_summary
from clinic_app.services.patients.dto import AlertBadge
from clinic_app.services.typed_input import local_to_utc, parse_day
from clinic_app.services.visits import (
    LoadedVisit,
    load_visit,
    local_hm,
)
from clinic_app.services.visits.dto import ClinicDayRow
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    Reaction,
    TreatmentCourse,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork

_SHOWN = (AppointmentStatus.BOOKED, AppointmentStatus.DONE, AppointmentStatus.MISSED,
          AppointmentStatus.NOT_GIVEN)
_WITHOUT_VISIT = {AppointmentStatus.MISSED: "did_not_attend",
                  AppointmentStatus.NOT_GIVEN: "not_given"}
_VISIT_STATUS = {
    VisitStatus.INFUSING: "infusing",
    VisitStatus.OBSERVATION: "observation",
    VisitStatus.COMPLETED: "discharged",
}


def _day_bounds(ctx: ServiceContext, day: date) -> tuple[datetime, datetime]:
    start = local_to_utc(day, time(0), ctx.tz, field="day", label="Day")
    end = local_to_utc(day + timedelta(days=1), time(0), ctx.tz, field="day", label="Day")
    return start, end


def _dose_text(plan: DosePlan | None, course: TreatmentCourse) -> str:
    if plan is None:
        return order_text(course)
    if plan.mg_per_kg is not None:
        return f"{plain(plan.dose_mg)} mg ({plain(plan.mg_per_kg)} mg/kg)"
    return f"{plain(plan.dose_mg)} mg"


def _dose_mg(plan: DosePlan | None, course: TreatmentCourse) -> Decimal | None:
    """The dose in mg: the visit's plan; before the visit a fixed-dose order's own dose (it
    needs no weight); a weight-based dose is known only once she is weighed (issue 12: the day
    list read "dose not calculated" for vedolizumab 300 mg)."""
    return plan.dose_mg if plan is not None else course.fixed_dose_mg


def _status(loaded: LoadedVisit | None, appointment: Appointment) -> str:
    if loaded is None:
        return _WITHOUT_VISIT.get(appointment.status, "booked")
    if loaded.visit.status is VisitStatus.CHECKED_IN:
        return "pre_check" if len(loaded.entries) + len(loaded.vitals) > 1 else "arrived"
    return _VISIT_STATUS.get(loaded.visit.status, loaded.visit.status.value)


def _local(ctx: ServiceContext, moment: datetime | None) -> time | None:
    return None if moment is None else moment.astimezone(ctx.tz).time().replace(tzinfo=None)


def reaction_badges(ctx: ServiceContext,
                    reactions: Sequence[Reaction]) -> tuple[AlertBadge, ...]:
    """A badge for each reaction logged at the visit, newest first: "Reaction 09:30 (grade 2)"
    (kind "reaction_today", shown in red: the nurse at the next chair must see it)."""
    return tuple(
        AlertBadge("reaction_today", f"Reaction {local_hm(ctx, r.onset_at)} ("
                   + (f"grade {r.grade})" if r.grade is not None else "not graded)"))
        for r in sorted(reactions, key=lambda r: r.onset_at, reverse=True))


def _paused_after_reaction(state: VisitNow, reactions: Sequence[Reaction]) -> bool:
    since = state.paused_since
    return since is not None and any(r.onset_at <= since for r in reactions)


def _chair_until(ctx: ServiceContext, uow: UnitOfWork, appointment: Appointment,
                 course: TreatmentCourse, records: DayRecords) -> datetime | None:
    """When the booking's hold on its chair ends (the booking's own chair time:
    :func:`~clinic_app.services.courses.booking_minutes`); None when it holds none."""
    if appointment.status in _WITHOUT_VISIT or appointment.starts_at is None:
        return None
    minutes = booking_minutes(
        ctx, uow, appointment, course,
        no_reactions=course.patient_id not in records.with_reactions,
        shortened=opened_shortened(records.open_visits.get(appointment.id)))
    return appointment.starts_at + timedelta(minutes=minutes)


def _row(ctx: ServiceContext, uow: UnitOfWork, appointment: Appointment,
         records: DayRecords, alerts: dict[int, tuple[AlertBadge, ...]]) -> ClinicDayRow:
    course = records.courses[appointment.course_id]
    patient = records.patients[course.patient_id]
    assert appointment.starts_at is not None
    protocol = catalogue.protocol(course.protocol_id)
    visit = records.open_visits.get(appointment.id)
    loaded = None if visit is None else load_visit(ctx, uow, visit.id)
    state = VisitNow(booked_due(ctx, appointment), False, None) if loaded is None \
        else visit_now(ctx, loaded)
    due = state.due
    plan = None if loaded is None else loaded.snapshot.plan
    allergies = records.allergies.get(patient.id, ())
    reactions = () if visit is None else records.visit_reactions.get(visit.id, ())
    return ClinicDayRow(
        appointment_id=appointment.id, appointment_version=appointment.version,
        visit_id=None if visit is None else visit.id, course_id=course.id, as_of=ctx.now(),
        starts_at=appointment.starts_at,
        local_time=appointment.starts_at.astimezone(ctx.tz).time().replace(tzinfo=None),
        chair=appointment.chair or "", patient=patient_summary(patient),
        protocol_id=protocol.id, drug=protocol.drug, dose_number=appointment.dose_number,
        dose_text=_dose_text(plan, course), dose_mg=_dose_mg(plan, course),
        mg_per_kg=course.dose_mg_per_kg,
        infusion_minutes=protocol.administration.duration_min if plan is None
        else plan.duration_min,
        observation_minutes=protocol.monitoring.observation_minutes(appointment.dose_number),
        status=_status(loaded, appointment), paused=state.paused, next_due=due.text,
        next_due_at=due.at, next_due_local=_local(ctx, due.at),
        overdue=bool(due.overdue), overdue_items=due.overdue, overdue_paperwork=due.paperwork,
        allergies=allergies,
        no_known_allergies=patient.id in records.no_known_allergies,
        alerts=reaction_badges(ctx, reactions) + alerts[patient.id],
        nurse=None if visit is None else records.nurses.get(visit.nurse_id),
        end_due_at=state.end_due, end_due_local=_local(ctx, state.end_due),
        can_mark_did_not_attend=can_mark_did_not_attend(ctx, appointment, visit is not None),
        status_note=records.not_given_reasons.get(appointment.id),
        paused_after_reaction=_paused_after_reaction(state, reactions),
        chair_until=_chair_until(ctx, uow, appointment, course, records),
    )


def clinic_day(ctx: ServiceContext, *, day: date | str,
               patient_id: int | None = None) -> tuple[ClinicDayRow, ...]:
    """The day's booked appointments (attended, not attended or not given) by local time, then
    chair; with ``patient_id``, only that patient's (the chart's "Today" line: the other
    patients' rows, a visit read each, are not built)."""
    when = parse_day(day, field="day", label="Day")
    start, end = _day_bounds(ctx, when)
    with ctx.read_only() as uow:
        appointments = [a for a in uow.appointments.starting_between(start, end)
                        if a.status in _SHOWN]
        if patient_id is not None:
            courses = set(uow.session.scalars(
                select(TreatmentCourse.id).where(TreatmentCourse.patient_id == patient_id)))
            appointments = [a for a in appointments if a.course_id in courses]
        records = load_day_records(uow, appointments)
        alerts = alerts_by_patient(ctx, uow, list(records.patients))
        rows = [_row(ctx, uow, a, records, alerts) for a in appointments]
    return tuple(sorted(rows, key=lambda r: (r.starts_at, r.chair, r.appointment_id)))
