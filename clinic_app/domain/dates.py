"""The clinic's one date format, for every screen and sheet (issue 12, the developers' list).

Rule: a date is shown in the clinic setting ``[display] date_format``:

- ``"d mmm yyyy"`` (the default, "5 Dec 2026"): the month spelled out, so that a US and a
  European reader cannot swap day and month;
- ``"yyyy-mm-dd"`` (ISO 8601, "2026-12-05");
- ``"dd/mm/yyyy"`` ("05/12/2026", day first, for clinics used to it).

Times are always on a 24-hour clock ("14:05"). A short date without its year ("5 Dec") is used
only when the year is obviously the reader's (this year, or that of the date written next to
it); a date in another year always shows its year. Month names are spelled out here (not
``strftime``) so that the text never depends on the machine's locale. Source: clinic setting;
the developers' list in issue 12 ("One date format for the clinic (a setting), one for times;
every date shows its year where it may be ambiguous").

The format in use is set once at start-up from the clinic's settings (:func:`use_date_format`);
:func:`date_text` and :func:`short_date_text` read it.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
from enum import StrEnum


class DateFormat(StrEnum):
    """The date formats a clinic may choose."""

    DAY_MONTH_YEAR = "d mmm yyyy"
    ISO = "yyyy-mm-dd"
    DAY_FIRST_SLASHES = "dd/mm/yyyy"


DEFAULT_DATE_FORMAT = DateFormat.DAY_MONTH_YEAR
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_in_use = [DEFAULT_DATE_FORMAT]


def use_date_format(style: DateFormat | str) -> None:
    """Show every date in ``style`` from now on (the clinic setting, at start-up)."""
    _in_use[0] = DateFormat(style)


def date_format_in_use() -> DateFormat:
    """The clinic's date format."""
    return _in_use[0]


def format_date(day: date, style: DateFormat) -> str:
    """``day`` in ``style``: "5 Dec 2026", "2026-12-05" or "05/12/2026"."""
    if style is DateFormat.ISO:
        return day.isoformat()
    if style is DateFormat.DAY_FIRST_SLASHES:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_text(day: date | None) -> str:
    """``day`` in the clinic's format; an empty string for None."""
    return "" if day is None else format_date(day, date_format_in_use())


def short_date_text(day: date, understood_year: int) -> str:
    """``day`` without its year when that is the year the reader already knows (this year, or
    the year of the date written next to it): "5 Dec", "05/12". A date in another year, or in
    the ISO format, keeps its year."""
    style = date_format_in_use()
    if day.year != understood_year or style is DateFormat.ISO:
        return format_date(day, style)
    if style is DateFormat.DAY_FIRST_SLASHES:
        return f"{day.day:02d}/{day.month:02d}"
    return f"{day.day} {MONTHS[day.month - 1]}"


def weekday_date_text(day: date | None) -> str:
    """ "Sat 5 Dec 2026" (the weekday helps a nurse book); an empty string for None."""
    return "" if day is None else f"{WEEKDAYS[day.weekday()]} {date_text(day)}"


def long_weekday_date_text(day: date) -> str:
    """ "Saturday 5 Dec 2026" (headings, and words for patients)."""
    return f"{LONG_WEEKDAYS[day.weekday()]} {date_text(day)}"


def in_zone(moment: datetime, tz: tzinfo) -> datetime:
    """An aware ``moment`` in the clinic's zone ``tz``; a naive time is refused (it could be any
    zone: timestamps are stored in UTC)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"a time to show must carry a time zone (got the naive time "
            f"{moment.isoformat()}); timestamps are stored in UTC"
        )
    return moment.astimezone(tz)


def time_text(at: time | datetime | None, tz: tzinfo | None = None) -> str:
    """A time on the 24-hour clock: "14:05"; an empty string for None. With ``tz`` an aware
    datetime is shown in the clinic's local time; without it, the time is taken as local."""
    if at is None:
        return ""
    if tz is not None and isinstance(at, datetime):
        at = in_zone(at, tz)
    return f"{at.hour:02d}:{at.minute:02d}"


def date_time_text(moment: datetime | None, tz: tzinfo) -> str:
    """An aware moment as the clinic's local date and time: "5 Dec 2026 14:05"; an empty
    string for None."""
    if moment is None:
        return ""
    local = in_zone(moment, tz)
    return f"{date_text(local.date())} {time_text(local)}"
