"""The chair timeline of a clinic day: chairs as rows, each visit a bar over the time it
holds its chair, the late ones marked (issue 14, "A chair timeline").

Rules:

- A bar runs from the booked start to the expected discharge: the chair time of
  :mod:`clinic_app.domain.chair_time` (preparation, the infusion, that dose's observation),
  computed once by the booking's rules and passed in here, never worked out again.
- A visit that holds no chair (did not attend, dose not given) has no bar.
- Rows are the clinic's chairs in the order given (empty ones too); a chair named only by
  a booking (deactivated since) follows them, by name; a booking without a chair goes on
  a last row "No chair".
- A visit is late when it has not started or not ended when it should have, beyond the
  grace period (clinic setting ``[checklists] grace_minutes``, as the Today list's late
  items): not arrived after its start plus grace ("not arrived"), or still in the chair after
  its expected discharge plus grace ("past its expected end"). A discharged visit is never late.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import Enum

from clinic_app.domain.chair_time import ChairVisit

NO_CHAIR = "No chair"


class Stage(Enum):
    """Where a visit stands: waiting for the patient, in the chair, or gone home."""

    WAITING = "waiting"
    IN_CHAIR = "in_chair"
    DISCHARGED = "discharged"


@dataclass(frozen=True)
class TimelineBooking:
    """One booking of the day as the timeline needs it: its chair, the chair time it holds
    (:class:`ChairVisit`, aware datetimes), a label (the patient's name) and its stage."""

    chair: str
    visit: ChairVisit
    label: str
    stage: Stage


@dataclass(frozen=True)
class TimelineBar:
    """A visit drawn on its chair's row; ``late`` says why it is late, or is empty."""

    booking_id: int | None
    starts_at: datetime
    ends_at: datetime
    label: str
    stage: Stage
    late: str = ""

    @property
    def is_late(self) -> bool:
        """True when the visit has not started or ended when it should have."""
        return bool(self.late)


@dataclass(frozen=True)
class TimelineRow:
    """One chair and its bars by start."""

    chair: str
    bars: tuple[TimelineBar, ...]


def late_reason(booking: TimelineBooking, *, now: datetime, grace: timedelta) -> str:
    """Why ``booking`` is late at ``now`` (module rules), or "" when it is not."""
    if booking.stage is Stage.WAITING and now > booking.visit.starts_at + grace:
        return "not arrived"
    if booking.stage is Stage.IN_CHAIR and now > booking.visit.ends_at + grace:
        return "past its expected end"
    return ""


def _bar(booking: TimelineBooking, now: datetime, grace: timedelta) -> TimelineBar:
    visit = booking.visit
    return TimelineBar(
        visit.booking_id,
        visit.starts_at,
        visit.ends_at,
        booking.label,
        booking.stage,
        late_reason(booking, now=now, grace=grace),
    )


def timeline_rows(
    chairs: Sequence[str],
    bookings: Iterable[TimelineBooking],
    *,
    now: datetime,
    grace: timedelta,
) -> tuple[TimelineRow, ...]:
    """The day's rows: ``chairs`` in order, then chairs named only by a booking, then
    "No chair"; each row's bars by start (module rules)."""
    by_chair: dict[str, list[TimelineBar]] = {chair: [] for chair in chairs}
    extra: dict[str, list[TimelineBar]] = {}
    for booking in bookings:
        name = booking.chair.strip() or NO_CHAIR
        holder = by_chair if name in by_chair else extra
        holder.setdefault(name, []).append(_bar(booking, now, grace))
    order = list(by_chair) + sorted(n for n in extra if n != NO_CHAIR)
    order += [NO_CHAIR] if NO_CHAIR in extra else []
    every = by_chair | extra
    return tuple(
        TimelineRow(name, tuple(sorted(every[name], key=lambda b: (b.starts_at, b.label))))
        for name in order
    )


def bar_text(bar: TimelineBar, tz: tzinfo) -> str:
    """A bar as read aloud and printed: "08:00-11:30 Anna Nowak (late: not arrived)"."""
    start = bar.starts_at.astimezone(tz)
    end = bar.ends_at.astimezone(tz)
    late = f" (late: {bar.late})" if bar.late else ""
    return f"{start:%H:%M}-{end:%H:%M} {bar.label}{late}"


def row_text(row: TimelineRow, tz: tzinfo) -> str:
    """A chair's row as one line: "Chair 1: 08:00-11:30 Anna Nowak; 12:00-14:00 ..." or
    "Chair 2: free"."""
    bars = "; ".join(bar_text(bar, tz) for bar in row.bars) or "free"
    return f"{row.chair}: {bars}"


def timeline_summary(rows: Sequence[TimelineRow], tz: tzinfo) -> str:
    """The whole timeline as text, one chair a line (the widget's accessible description)."""
    return "\n".join(row_text(row, tz) for row in rows)
