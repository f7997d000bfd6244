"""Dates and times as the nurse types them, read in the clinic's time zone and stored in UTC.

Days use the domain's unambiguous formats (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY); times are
HH:MM (24-hour). A local time that does not exist (the spring clock change) is refused; a time
that happens twice (the autumn change) is taken the first time. A day outside the years
:data:`FIRST_YEAR` to :data:`LAST_YEAR` is refused: no clinical date lies there, and a schedule
planned from 9999-12-31 or a moment at 0001-01-01 00:00 overflowed the calendar (issue 11).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo

from clinic_app.domain.dates import date_text, time_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import parse_date

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_ISO_T = re.compile(r"\d{4}-\d{2}-\d{2}T")
FIRST_YEAR = 1900
LAST_YEAR = 2199


def _in_calendar(day: date, *, field: str, label: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidInput(field, f"{label} {date_text(day)} is not in the years {FIRST_YEAR} "
                                  f"to {LAST_YEAR}: check the year.")
    return day


def parse_day(value: date | str, *, field: str, label: str) -> date:
    """A calendar day from a ``date`` or text in an accepted format, in the years
    :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    return _in_calendar(parse_date(value, field=field, label=label), field=field, label=label)


def parse_time(value: time | str, *, field: str, label: str) -> time:
    """A wall-clock time from a ``time`` or "HH:MM" text (24-hour)."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = value.strip() if isinstance(value, str) else ""
    match = _TIME.fullmatch(text)
    if match is None:
        raise InvalidInput(field, f"{label} {value!r} is not a time: type it as HH:MM (24-hour).")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise InvalidInput(field, f"{label} {text} is not a time of day.")
    return time(hour, minute)


def local_to_utc(day: date, at: time, tz: tzinfo, *, field: str, label: str) -> datetime:
    """The moment ``day`` ``at`` in ``tz``, in UTC; a skipped local time is refused, and so is
    a day outside the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    local = datetime.combine(_in_calendar(day, field=field, label=label), at).replace(tzinfo=tz)
    moment = local.astimezone(UTC)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InvalidInput(
            field, f"{label} {date_text(day)} {time_text(at)} does not exist: the clocks go "
            "forward that night. Choose another time.",
        )
    return moment


def parse_moment(
    value: datetime | str | None, *, now: datetime, tz: tzinfo, field: str, label: str
) -> datetime:
    """A moment in UTC from what the nurse gave.

    None is ``now``; an aware datetime is kept; a naive one is local time in ``tz``; text is
    "<day> HH:MM" with the day in an accepted format, or "HH:MM" for today (local).
    """
    if value is None:
        return now
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            _in_calendar(value.date(), field=field, label=label)
            return value.astimezone(UTC)
        return local_to_utc(value.date(), value.time(), tz, field=field, label=label)
    if not isinstance(value, str):
        raise InvalidInput(field, f"{label} must be a date and time, not {type(value).__name__}.")
    parts = value.strip().replace("T", " ").split()
    if len(parts) == 1:
        day, clock_time = now.astimezone(tz).date(), parts[0]
    elif len(parts) == 2:
        day = parse_day(parts[0], field=field, label=label)
        clock_time = parts[1]
    else:
        raise InvalidInput(
            field, f"{label} {value!r} is not a date and time: type e.g. 2026-03-02 09:30."
        )
    return local_to_utc(day, parse_time(clock_time, field=field, label=label), tz,
                        field=field, label=label)


def parse_wall_moment(value: str, *, with_time: bool, field: str, label: str) -> datetime:
    """A local wall-clock moment (naive) typed or pasted whole: "<day> HH:MM", the day in an
    accepted format (ISO's "T" between them too), or "<day>" alone for a date-only field."""
    text = value.strip()
    if _ISO_T.match(text):
        text = text.replace("T", " ", 1)
    if not with_time:
        return datetime.combine(parse_day(text, field=field, label=label), time())
    day_text, _, clock = text.rpartition(" ")
    if not day_text.strip():
        raise InvalidInput(
            field, f"{label} {value!r} is not a date and time: type the day, then HH:MM."
        )
    return datetime.combine(parse_day(day_text.strip(), field=field, label=label),
                            parse_time(clock, field=field, label=label))


def not_in_future(moment: datetime, *, now: datetime, field: str, label: str) -> datetime:
    """``moment`` unless it is after ``now`` (something recorded cannot have happened later)."""
    if moment > now:
        raise InvalidInput(field, f"{label} cannot be in the future.")
    return moment
