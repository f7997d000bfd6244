"""The demo books today's patients within the clinic's opening hours whatever the wall clock
says (issue 12's leftovers: a demo started at 06:01 showed a visit at 06:01 while the clinic
opens 08:00-16:00). The clock is frozen at each time tried."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from clinic_testing import WARSAW
from sqlalchemy import func, select

from clinic_app.domain.settings import OpeningHours
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import demo_clock, seed_demo
from clinic_app.services.demo._seed import demo_now
from clinic_app.storage.models import Appointment
from clinic_app.storage.models.visits import (
    ChecklistEntry,
    InfusionEvent,
    InfusionVisit,
    VitalSigns,
)
from clinic_app.storage.types import as_utc

MONDAY = date(2026, 3, 2)  # the clinic is open 08:00-16:00 (the shipped settings)


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


@pytest.mark.parametrize(
    ("wall_clock", "anchored"),
    [
        (at(6, 1), at(6, 1)),
        (at(9, 30), at(9, 30)),
        (at(14), at(14)),
        (at(15, 30), at(14)),
        (at(23, 59), at(14)),
        (at(0, 30, date(2026, 3, 3)), at(14)),  # a demo day before the real one: its latest
    ],
)
def test_the_demos_now_is_never_after_the_real_time_nor_late_in_the_day(
    blank_ctx: ServiceContext, clock, wall_clock: datetime, anchored: datetime
) -> None:
    clock.set(wall_clock)
    assert demo_now(blank_ctx, MONDAY) == anchored


def test_the_demos_now_follows_the_days_own_closing(blank_ctx: ServiceContext, clock) -> None:
    hours = OpeningHours(days=((time(7), time(19)),) * 7)
    ctx = replace(blank_ctx, settings=replace(blank_ctx.settings, opening_hours=hours))
    clock.set(at(15, 45))
    assert demo_now(ctx, MONDAY) == at(15, 45)
    clock.set(at(20))
    assert demo_now(ctx, MONDAY) == at(17)


@pytest.mark.parametrize("wall_clock", [at(6, 1), at(8, 10), at(9, 30), at(15, 30), at(21)])
def test_a_demo_seeded_at_any_hour_books_today_in_hours_and_records_nothing_later(
    blank_ctx: ServiceContext, clock, wall_clock: datetime
) -> None:
    clock.set(wall_clock)
    seed_demo(blank_ctx, today=MONDAY)
    with blank_ctx.read_only() as uow:
        starts = uow.session.scalars(
            select(Appointment.starts_at).where(Appointment.starts_at.is_not(None))
        ).all()
        recorded = [
            uow.session.scalar(select(func.max(column)))
            for column in (
                InfusionVisit.started_at,
                InfusionEvent.at,
                ChecklistEntry.recorded_at,
                VitalSigns.measured_at,
            )
        ]
    today = sorted(m.astimezone(WARSAW) for m in starts if m.astimezone(WARSAW).date() == MONDAY)
    assert len(today) >= 7
    assert all(time(8) <= moment.time() <= time(16) for moment in today), today
    assert all(as_utc(moment) <= wall_clock for moment in recorded if moment is not None)


@pytest.mark.parametrize(
    ("wall_clock", "shown"),
    [
        (at(6, 1), {"booked"}),
        (at(9, 30), {"booked", "pre_check", "infusing", "observation", "did_not_attend"}),
        (
            at(13, 30),
            {"booked", "pre_check", "infusing", "observation", "discharged", "did_not_attend"},
        ),
    ],
)
def test_the_day_shows_the_states_the_hour_allows(
    blank_ctx: ServiceContext, clock, wall_clock: datetime, shown: set[str]
) -> None:
    """Before opening everyone is booked; mid-morning the long visits are under way; from
    early afternoon every state of a clinic day is on the board."""
    clock.set(wall_clock)
    seed_demo(blank_ctx, today=MONDAY)
    assert {row.status for row in clinic_day(blank_ctx, day=MONDAY)} == shown


def test_a_demo_window_started_in_the_evening_runs_from_the_demos_now(
    blank_ctx: ServiceContext, clock
) -> None:
    """Started at 20:00 the demo window shows the clinic at 14:00 and moving on with the real
    clock (not every visit six hours late); within the stories' hours it is the real clock."""
    clock.set(at(20))
    demo = demo_clock(blank_ctx)
    assert demo() == at(14)
    clock.advance(minutes=5)
    assert demo() == at(14, 5)
    clock.set(at(10))
    assert demo_clock(blank_ctx)() == at(10)
