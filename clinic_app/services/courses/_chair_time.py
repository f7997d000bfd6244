"""The chair a booking holds, and for how long: checked inside the booking's transaction.

Rules in :mod:`clinic_app.domain.chair_time`. The chair must be one of the clinic's active
chairs; its lock is taken first (a write that changes nothing: the row lock on PostgreSQL,
the write lock on SQLite) before the other bookings of the chair are read, so two
workstations booking the same slot at the same moment go one after the other and the second
is refused. The bookings that hold a chair are the booked ones and the given ones (a visit
done today keeps its chair for its expected time: the rule does not guess an early
discharge); cancelled, missed, not-given and voided ones hold nothing.
A visit outside the clinic's opening hours gives an ``OUTSIDE_HOURS`` warning that needs a
reason (any nurse may give it: it is a clinic-day rule, not a clinical stop).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.chair_time import (
    ChairVisit,
    chair_minutes,
    chair_visit,
    first_clash,
    outside_hours,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.reactions import plan_consequences
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ChairTaken
from clinic_app.services.patients import reaction_records
from clinic_app.storage.models import (
    Appointment,
    InfusionVisit,
    TreatmentCourse,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork

OUTSIDE_HOURS = "OUTSIDE_HOURS"
# No visit holds a chair longer than this: the look-back for bookings started earlier.
LONGEST_VISIT = timedelta(hours=24)


def booking_minutes(
    ctx: ServiceContext,
    uow: UnitOfWork,
    appointment: Appointment,
    course: TreatmentCourse | None = None,
    *,
    no_reactions: bool = False,
    shortened: bool | None = None,
) -> int:
    """Minutes ``appointment`` holds its chair: preparation, the infusion (graduated after the
    patient's earlier reaction to the drug; shortened when its visit was opened with the
    shortened infusion) and the dose's observation. ``no_reactions``: the caller knows the
    patient has no reaction on file (the history is not read); ``shortened``: the caller has
    read the appointment's visit (:func:`opened_shortened`; None: read it here)."""
    course = course or uow.courses.get(appointment.course_id)
    protocol = catalogue.protocol(course.protocol_id)
    earlier = (
        []
        if no_reactions
        else reaction_records(uow.session, course.patient_id, before=ctx.now(), tz=ctx.tz)
    )
    graduated = plan_consequences(protocol, earlier).graduated_titration
    return chair_minutes(
        protocol,
        appointment.dose_number,
        graduated=graduated,
        shortened=_opened_shortened(uow, appointment.id) if shortened is None else shortened,
        preparation_minutes=ctx.settings.chairs.preparation_minutes,
    )


def _opened_shortened(uow: UnitOfWork, appointment_id: int) -> bool:
    """True when the appointment's visit in force (not voided, not cancelled) was opened with
    the shortened infusion (its dose plan snapshot says so)."""
    plan = uow.session.scalar(
        select(InfusionVisit.dose_plan).where(
            InfusionVisit.appointment_id == appointment_id,
            InfusionVisit.voided_at.is_(None),
            InfusionVisit.status != VisitStatus.CANCELLED,
        )
    )
    return _shortened_plan(plan)


def _shortened_plan(plan: Mapping[str, object] | None) -> bool:
    return bool(plan and plan.get("shortened"))


def opened_shortened(visit: InfusionVisit | None) -> bool:
    """True when ``visit`` (the appointment's visit in force, already read) was opened with
    the shortened infusion."""
    return visit is not None and _shortened_plan(visit.dose_plan)


def lock_chair(uow: UnitOfWork, name: str) -> None:
    """Take the chair's lock (the transaction's first statement: see
    :meth:`~clinic_app.storage.repositories.ChairRepository.by_name`); :class:`InvalidInput`
    unless it is an active chair."""
    chair = uow.chairs.by_name(name, lock=True)
    if chair is None or not chair.active:
        known = ", ".join(c.name for c in uow.chairs.all_by_name() if c.active) or "none"
        state = "is not active" if chair is not None else "is not one of the clinic's chairs"
        raise InvalidInput("chair", f"Chair {name!r} {state}. Choose one of: {known}.")


def chair_visits(
    ctx: ServiceContext, uow: UnitOfWork, chair: str, start: datetime, end: datetime
) -> list[ChairVisit]:
    """The live bookings of ``chair`` that may overlap ``[start, end)``, as chair visits."""
    return [
        chair_visit(a.starts_at, booking_minutes(ctx, uow, a), a.id)
        for a in uow.appointments.booked_in_chair(chair, start - LONGEST_VISIT, end)
        if a.starts_at is not None
    ]


def check_chair(
    ctx: ServiceContext,
    uow: UnitOfWork,
    appointment: Appointment,
    course: TreatmentCourse,
    *,
    chair: str,
    starts: datetime,
) -> list[ClinicalWarning]:
    """Refuse (:class:`ChairTaken`) a visit that overlaps another live booking of ``chair``
    (locked first by :func:`lock_chair`); the ``OUTSIDE_HOURS`` warning when the visit is
    outside opening hours."""
    visit = chair_visit(starts, booking_minutes(ctx, uow, appointment, course), appointment.id)
    clash = first_clash(visit, chair_visits(ctx, uow, chair, visit.starts_at, visit.ends_at))
    if clash is not None:
        raise ChairTaken(_taken_message(ctx, chair, visit, clash))
    why = outside_hours(visit, ctx.settings.opening_hours, ctx.tz)
    return [] if why is None else [ClinicalWarning(OUTSIDE_HOURS, why, requires_override=True)]


def _taken_message(ctx: ServiceContext, chair: str, visit: ChairVisit, clash: ChairVisit) -> str:
    def hm(moment: datetime) -> str:
        return f"{moment.astimezone(ctx.tz):%H:%M}"

    return (
        f"{chair} is taken from {hm(clash.starts_at)} to {hm(clash.ends_at)} by another "
        f"booking; this visit would hold it from {hm(visit.starts_at)} to "
        f"{hm(visit.ends_at)}. Choose another time or chair."
    )
