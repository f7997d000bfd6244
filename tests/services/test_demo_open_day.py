"""The demo books on an open day and at a sensible hour whatever the time it is run (issue 12,
the developers' list): seeded at 23:30 on a Saturday (the clinic closes at weekends)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from clinic_testing import WARSAW
from sqlalchemy import select

from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import demo_clinic_settings, seed_demo
from clinic_app.storage.models import Appointment

SATURDAY_NIGHT = datetime(2026, 3, 7, 23, 30, tzinfo=WARSAW)


def test_seeded_late_on_a_saturday_every_booking_is_on_an_open_day_in_clinic_hours(
    blank_ctx: ServiceContext, clock
) -> None:
    clock.set(SATURDAY_NIGHT)
    seed_demo(blank_ctx, today=SATURDAY_NIGHT.date())
    with blank_ctx.read_only() as uow:
        starts = uow.session.scalars(
            select(Appointment.starts_at).where(Appointment.starts_at.is_not(None))
        ).all()
    assert len(starts) > 20
    closed = blank_ctx.settings.closed_days
    for moment in starts:
        local = moment.astimezone(WARSAW)
        assert not closed.is_closed(local.date()), local
        assert time(8) <= local.time() <= time(16), local


def test_the_scratch_demo_clinic_is_open_every_day_so_a_saturday_demo_has_patients_today(
    blank_ctx: ServiceContext, clock
) -> None:
    """``clinic-app --demo`` on a Saturday: the demo clinic is open, today's board has patients."""
    saturday_noon = datetime(2026, 3, 7, 11, 0, tzinfo=WARSAW)
    clock.set(saturday_noon)
    demo_ctx = replace(blank_ctx, settings=demo_clinic_settings(blank_ctx.settings))
    assert blank_ctx.settings.closed_days.is_closed(saturday_noon.date())
    assert not demo_ctx.settings.closed_days.is_closed(saturday_noon.date())
    seed_demo(demo_ctx, today=saturday_noon.date())
    with demo_ctx.read_only() as uow:
        starts = uow.session.scalars(
            select(Appointment.starts_at).where(Appointment.starts_at.is_not(None))
        ).all()
    today = [m.astimezone(WARSAW) for m in starts
             if m.astimezone(WARSAW).date() == saturday_noon.date()]
    assert len(today) >= 3
