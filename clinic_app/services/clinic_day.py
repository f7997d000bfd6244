"""The clinic day: every appointment of a day by time and chair, with its live state.

The state and what is due next come from each visit's checklist at ``ctx.now()`` (the domain's
item states, :mod:`clinic_app.domain.checklist_model`; grace period from the clinic settings):

- booked: the patient is expected at the booked time; late arrival (past the grace period) is
  flagged;
- arrived / pre_check: the visit is open; next is the first pre-infusion item still open;
- infusing / observation: the next item due (vitals, observation complete, discharge checks);
  overdue items are listed;
- discharged and did not attend: nothing more is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from clinic_app.domain.checklists import Checklist, ChecklistStatus, Phase, grace_from
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import plain
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.course_views import order_text
from clinic_app.services.dose_preview import AppointmentRows, consequences_for
from clinic_app.services.dto_visits import ClinicDayRow
from clinic_app.services.patient_views import nurse_names, patient_summary
from clinic_app.services.typed_input import local_to_utc, parse_day
from clinic_app.services.visit_rules import local_hm
from clinic_app.services.visit_state import (
    LoadedVisit,
    checklist_of,
    domain_entries,
    load_visit,
    open_visit_of,
    timeline_of,
)
from clinic_app.services.visit_views import alert_badges, allergy_texts
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    Patient,
    TreatmentCourse,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork

_SHOWN = (AppointmentStatus.BOOKED, AppointmentStatus.DONE, AppointmentStatus.MISSED)
_VISIT_STATUS = {
    VisitStatus.INFUSING: "infusing",
    VisitStatus.OBSERVATION: "observation",
    VisitStatus.COMPLETED: "discharged",
}


@dataclass(frozen=True)
class _Next:
    text: str | None = None
    at: datetime | None = None
    overdue: tuple[str, ...] = ()


def _day_bounds(ctx: ServiceContext, day: date) -> tuple[datetime, datetime]:
    start = local_to_utc(day, time(0), ctx.tz, field="day", label="Day")
    end = local_to_utc(day + timedelta(days=1), time(0), ctx.tz, field="day", label="Day")
    return start, end


def _dose_text(plan: DosePlan | None, course: TreatmentCourse) -> str:
    if plan is None:
        return order_text(course)
    if plan.mg_per_kg is not None:
        return f"{plan.dose_mg} mg ({plain(plan.mg_per_kg)} mg/kg)"
    return f"{plan.dose_mg} mg"


def _booked_next(ctx: ServiceContext, appointment: Appointment) -> _Next:
    if appointment.status is AppointmentStatus.MISSED or appointment.starts_at is None:
        return _Next()
    late = ctx.now() > appointment.starts_at + grace_from(ctx.settings.checklists)
    text = f"Arrival: weigh and open the visit (booked {local_hm(ctx, appointment.starts_at)})"
    return _Next(text, appointment.starts_at, (f"Not arrived yet ({text})",) if late else ())


def _visit_next(ctx: ServiceContext, loaded: LoadedVisit, checklist: Checklist,
                status: ChecklistStatus) -> _Next:
    overdue = tuple(s.item.text for s in status.overdue)
    if loaded.visit.status is VisitStatus.CHECKED_IN:
        open_items = [s for s in status.items if s.item.phase is Phase.PRE
                      and s.state.value != "done"]
        if not open_items:
            return _Next("Ready to start the infusion", loaded.appointment.starts_at
                         if loaded.appointment else None)
        return _Next(open_items[0].item.text,
                     loaded.appointment.starts_at if loaded.appointment else None)
    if status.next_due is not None:
        return _Next(status.next_due.item.text, status.next_due.item.due_at, overdue)
    if loaded.visit.status is VisitStatus.INFUSING and checklist.infusion_end is None:
        return _Next("Paused: resume or end the infusion", None, overdue)
    if loaded.visit.status is VisitStatus.OBSERVATION:
        return _Next("Ready to go home: discharge", checklist.observation_end, overdue)
    return _Next(None, None, overdue)


def _status(loaded: LoadedVisit | None, appointment: Appointment) -> str:
    if loaded is None:
        return "did_not_attend" if appointment.status is AppointmentStatus.MISSED else "booked"
    if loaded.visit.status is VisitStatus.CHECKED_IN:
        return "pre_check" if len(loaded.entries) + len(loaded.vitals) > 1 else "arrived"
    return _VISIT_STATUS.get(loaded.visit.status, loaded.visit.status.value)


def _row(ctx: ServiceContext, uow: UnitOfWork, appointment: Appointment) -> ClinicDayRow:
    course = uow.session.get(TreatmentCourse, appointment.course_id)
    assert course is not None
    patient = uow.session.get(Patient, course.patient_id)
    assert patient is not None and appointment.starts_at is not None
    protocol = catalogue.protocol(course.protocol_id)
    visit = open_visit_of(uow, appointment.id)
    loaded = None if visit is None else load_visit(uow, visit.id)
    plan, next_item, paused = None, _booked_next(ctx, appointment), False
    if loaded is not None:
        plan = loaded.snapshot.plan
        timeline = timeline_of(loaded)
        checklist = checklist_of(loaded, ctx.now(), timeline)
        status = checklist.status(ctx.now(), domain_entries(loaded),
                                  grace=grace_from(ctx.settings.checklists))
        next_item = _visit_next(ctx, loaded, checklist, status)
        paused = timeline is not None and timeline.state(ctx.now()).value == "paused"
    rows = AppointmentRows(appointment, course, patient, protocol)
    earlier = consequences_for(ctx, uow, rows).warnings
    nurse = None if visit is None else nurse_names(uow.session, [visit.nurse_id]).get(
        visit.nurse_id)
    allergies = allergy_texts(uow, patient.id)
    return ClinicDayRow(
        appointment_id=appointment.id, appointment_version=appointment.version,
        visit_id=None if visit is None else visit.id, course_id=course.id, as_of=ctx.now(),
        starts_at=appointment.starts_at,
        local_time=appointment.starts_at.astimezone(ctx.tz).time().replace(tzinfo=None),
        chair=appointment.chair or "", patient=patient_summary(patient),
        protocol_id=protocol.id, drug=protocol.drug, dose_number=appointment.dose_number,
        dose_text=_dose_text(plan, course), dose_mg=None if plan is None else plan.dose_mg,
        mg_per_kg=course.dose_mg_per_kg,
        infusion_minutes=protocol.administration.duration_min if plan is None
        else plan.duration_min,
        observation_minutes=protocol.monitoring.observation_minutes(appointment.dose_number),
        status=_status(loaded, appointment), paused=paused, next_due=next_item.text,
        next_due_at=next_item.at,
        next_due_local=None if next_item.at is None
        else next_item.at.astimezone(ctx.tz).time().replace(tzinfo=None),
        overdue=bool(next_item.overdue), overdue_items=next_item.overdue,
        allergies=allergies,
        alerts=alert_badges(uow, patient, allergies,
                            f"Earlier reaction to {protocol.drug}" if earlier else None),
        nurse=nurse,
    )


def clinic_day(ctx: ServiceContext, *, day: date | str) -> tuple[ClinicDayRow, ...]:
    """The day's booked appointments (attended or not) by local time, then chair."""
    when = parse_day(day, field="day", label="Day")
    start, end = _day_bounds(ctx, when)
    with ctx.read_only() as uow:
        appointments = [a for a in uow.appointments.starting_between(start, end)
                        if a.status in _SHOWN]
        rows = [_row(ctx, uow, a) for a in appointments]
    return tuple(sorted(rows, key=lambda r: (r.starts_at, r.chair, r.appointment_id)))
