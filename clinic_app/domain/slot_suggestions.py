"""Where a visit fits in the clinic's day: free chair-times ranked so the day stays level.

Rules (issue 14, "Booking suggests slots"; clinic settings ``[levelling]``, a clinic's choice,
not a clinical rule, with cautious defaults):

- A suggestion holds one of the clinic's chairs for the whole visit (its expected minutes:
  :func:`~clinic_app.domain.chair_time.chair_minutes`), overlaps no other booking of that
  chair (half-open intervals, :meth:`~clinic_app.domain.chair_time.ChairVisit.overlaps`), and
  lies within the day's opening hours.
- Infusion starts are spread over the day: at most ``nurses_on_duty`` x
  ``starts_per_half_hour_per_nurse`` visits start in one clock half hour (hh:00-hh:29,
  hh:30-hh:59); a half hour at the cap is not offered.
- Ranking (a greedy rule): the emptier half hour first (fewer starts already in it); then a
  long visit (``long_visit_minutes`` or more) as early as possible, so long infusions run in
  the morning, and a shorter one nearest the middle of the day, leaving mornings for the long
  ones; then the earlier start. One chair per start time: the chair left idle the least
  before it (the tightest fit, so long gaps stay whole for long visits), then by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from clinic_app.domain.chair_time import ChairVisit, chair_visit
from clinic_app.domain.settings import LevellingSettings

HALF_HOUR = 30
STEP_MINUTES = 15  # start times offered: every quarter hour from opening


@dataclass(frozen=True)
class ChairBooking:
    """A booking already holding ``chair`` for ``visit``."""

    chair: str
    visit: ChairVisit


@dataclass(frozen=True)
class SlotSuggestion:
    """A free chair-time that fits the whole visit; ``starts_in_half_hour`` visits already
    start in its half hour."""

    chair: str
    visit: ChairVisit
    starts_in_half_hour: int


def half_hour(moment: datetime, tz: tzinfo) -> datetime:
    """The clock half hour (clinic-local) ``moment`` falls in, as its local start."""
    local = moment.astimezone(tz)
    return local.replace(minute=local.minute - local.minute % HALF_HOUR, second=0, microsecond=0)


def starts_per_half_hour(starts: Iterable[datetime], tz: tzinfo) -> Counter[datetime]:
    """How many visits start in each clinic-local half hour."""
    return Counter(half_hour(s, tz) for s in starts)


def _idle_before(start: datetime, visits: Sequence[ChairVisit], opens: datetime) -> timedelta:
    ends = [v.ends_at for v in visits if v.ends_at <= start]
    return start - max(ends, default=opens)


def suggest_slots(
    day: date,
    tz: tzinfo,
    hours: tuple[time, time] | None,
    chairs: Sequence[str],
    booked: Iterable[ChairBooking],
    minutes: int,
    levelling: LevellingSettings,
    *,
    not_before: datetime | None = None,
    limit: int | None = 8,
) -> tuple[SlotSuggestion, ...]:
    """The free chair-times on ``day`` (``hours``: that day's opening hours, None when
    closed) for a visit of ``minutes``, best first (module rules); none starting before
    ``not_before``; at most ``limit`` (None: all)."""
    if hours is None or not chairs or minutes < 1:
        return ()
    opens = datetime.combine(day, hours[0], tz)
    closes = datetime.combine(day, hours[1], tz)
    bookings = list(booked)
    by_chair: dict[str, list[ChairVisit]] = {c: [] for c in chairs}
    for b in bookings:
        if b.chair in by_chair:
            by_chair[b.chair].append(b.visit)
    counts = starts_per_half_hour((b.visit.starts_at for b in bookings), tz)
    middle = opens + (closes - opens) / 2 - timedelta(minutes=minutes) / 2
    long_visit = minutes >= levelling.long_visit_minutes
    found: list[tuple[tuple[int, timedelta, datetime], SlotSuggestion]] = []
    start = opens
    while start + timedelta(minutes=minutes) <= closes:
        used = counts[half_hour(start, tz)]
        if used < levelling.starts_cap and (not_before is None or start >= not_before):
            visit = chair_visit(start, minutes)
            free = [c for c in chairs if not any(v.overlaps(visit) for v in by_chair[c])]
            if free:
                chair = min(free, key=lambda c: (_idle_before(start, by_chair[c], opens), c))
                timing = start - opens if long_visit else abs(start - middle)
                found.append(((used, timing, start), SlotSuggestion(chair, visit, used)))
        start += timedelta(minutes=STEP_MINUTES)
    ranked = tuple(s for _key, s in sorted(found, key=lambda pair: pair[0]))
    return ranked if limit is None else ranked[:limit]
