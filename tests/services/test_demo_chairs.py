"""The demo books like a real clinic (issue 14): no two visits overlap in a chair, and the bulk
patients' visits run within the clinic's opening hours."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.chair_time import ChairVisit, chair_minutes, chair_visit, outside_hours
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import seed_demo
from clinic_app.storage import verify_audit
from clinic_app.storage.models import Appointment, AppointmentStatus, Chair, TreatmentCourse

TODAY = date(2026, 3, 2)


def _visits(
    ctx: ServiceContext, factory: sessionmaker[Session]
) -> dict[str, list[tuple[ChairVisit, str]]]:
    """Every booked or given visit per chair (standard infusion time), with its MRN-less tag:
    the course's protocol."""
    found: dict[str, list[tuple[ChairVisit, str]]] = {}
    with factory() as session:
        rows = session.execute(
            select(Appointment, TreatmentCourse.protocol_id)
            .join(TreatmentCourse, TreatmentCourse.id == Appointment.course_id)
            .where(
                Appointment.status.in_((AppointmentStatus.BOOKED, AppointmentStatus.DONE)),
                Appointment.voided_at.is_(None),
                Appointment.starts_at.is_not(None),
            )
        ).all()
        for appointment, protocol_id in rows:
            minutes = chair_minutes(
                catalogue.protocol(protocol_id),
                appointment.dose_number,
                preparation_minutes=ctx.settings.chairs.preparation_minutes,
            )
            visit = chair_visit(appointment.starts_at, minutes, appointment.id)
            found.setdefault(appointment.chair, []).append((visit, protocol_id))
    return found


def test_the_seeded_demo_has_no_two_visits_in_one_chair_at_once_and_keeps_to_the_hours(
    blank_ctx: ServiceContext, session_factory: sessionmaker[Session]
) -> None:
    summary = seed_demo(blank_ctx, today=TODAY, patients=300)
    visits = _visits(blank_ctx, session_factory)
    clashes = [
        (chair, a.starts_at, b.starts_at)
        for chair, held in visits.items()
        for i, (a, _p) in enumerate(held)
        for b, _q in held[i + 1 :]
        if a.overlaps(b)
    ]
    assert clashes == []
    with session_factory() as session:
        chairs = set(session.scalars(select(Chair.name)))
        assert verify_audit(session).ok
    assert set(visits) <= chairs  # every booked chair is one of the clinic's chairs
    late = [
        v.starts_at
        for held in visits.values()
        for v, _p in held
        if outside_hours(v, blank_ctx.settings.opening_hours, blank_ctx.tz)
    ]
    total = sum(len(held) for held in visits.values())
    assert total > 1000, summary
    assert len(late) <= 12, late  # only the named patients' visits of today, set around now
