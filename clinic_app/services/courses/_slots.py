"""Booking suggests slots (issue 14): the free chair-times of a day that fit the dose's whole
visit, ranked so the day stays level (rules in :mod:`clinic_app.domain.slot_suggestions`).

Read only: a suggestion is a proposal; :func:`~clinic_app.services.courses.book_appointment`
still checks the chair under its lock when the nurse books. The visits already in a chair are
the live bookings (booked, or given today), each for its own expected time; only active
chairs are offered, but a start in a chair deactivated since still counts towards the half
hour's cap; the dose being placed is left out (a reschedule may keep or move it). On a
closed day nothing is suggested; today, nothing before now.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from clinic_app.domain.slot_suggestions import ChairBooking, SlotSuggestion
from clinic_app.domain.slot_suggestions import suggest_slots as rank_slots
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses._appointments import _future_day, _load_appointment
from clinic_app.services.courses._chair_time import booking_minutes, chair_visits
from clinic_app.services.courses.dto import SlotOffer
from clinic_app.services.patients import require_nurse


def suggest_slots(
    ctx: ServiceContext, *, appointment_id: int, day: date | str, limit: int | None = 8
) -> tuple[SlotOffer, ...]:
    """The best free chair-times on ``day`` for the appointment's dose, best first."""
    require_nurse(ctx)
    wanted = _future_day(ctx, day)
    if ctx.settings.closed_days.is_closed(wanted):
        return ()
    with ctx.read_only() as uow:
        appointment = _load_appointment(uow, appointment_id, None)
        minutes = booking_minutes(ctx, uow, appointment)
        every = uow.chairs.all_by_name()
        chairs = [c.name for c in every if c.active]
        start = datetime.combine(wanted, datetime.min.time(), ctx.tz)
        end = start + timedelta(days=1)
        booked = [
            ChairBooking(chair, visit)
            for chair in (c.name for c in every)
            for visit in chair_visits(ctx, uow, chair, start, end)
            if visit.booking_id != appointment.id
        ]
    hours = ctx.settings.opening_hours.for_weekday(wanted.weekday())
    now = ctx.now()
    levelling = ctx.settings.levelling
    found = rank_slots(
        wanted, ctx.tz, hours, chairs, booked, minutes, levelling, not_before=now, limit=limit
    )
    return tuple(_offer(ctx, s, levelling.starts_cap) for s in found)


def _offer(ctx: ServiceContext, slot: SlotSuggestion, cap: int) -> SlotOffer:
    local = slot.visit.starts_at.astimezone(ctx.tz)
    ends = slot.visit.ends_at.astimezone(ctx.tz)
    return SlotOffer(
        local.date(),
        local.time(),
        ends.time(),
        slot.chair,
        slot.visit.starts_at.astimezone(UTC),
        slot.starts_in_half_hour,
        cap,
    )
