"""How dates, times and numbers are printed on every sheet.

Times are stored as aware UTC datetimes and printed in the clinic's local time (``tz``, a
``zoneinfo`` zone), on a 24-hour clock. Dates use month names ("12 Jan 2026") so that a US and a
European reader cannot swap day and month: the clinic's one date format, the setting
``[display] date_format`` (:mod:`clinic_app.domain.dates`, which spells the names out rather
than taking them from ``strftime`` so that the printout does not depend on the machine's locale).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from clinic_app.domain.dates import date_text, long_weekday_date_text, time_text, weekday_date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.units import plain

BLANK = "____________"
SHORT_BLANK = "______"


def local(moment: datetime, tz: tzinfo) -> datetime:
    """``moment`` in the clinic's zone; a naive datetime is refused (it could be any zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("time", f"a time to print must carry a time zone (got the naive time "
                                   f"{moment.isoformat()}); timestamps are stored in UTC")
    return moment.astimezone(tz)


def fmt_time(moment: datetime | None, tz: tzinfo) -> str:
    """"10:00" in local time; an empty string for None."""
    return "" if moment is None else time_text(local(moment, tz))


def fmt_date(day: date | None) -> str:
    """"12 Jan 2026" (in the clinic's date format); an empty string for None."""
    return date_text(day)


def fmt_day(day: date) -> str:
    """"Mon 12 Jan 2026"."""
    return weekday_date_text(day)


def fmt_long_day(day: date) -> str:
    """"Monday 12 Jan 2026", for patients."""
    return long_weekday_date_text(day)


def fmt_datetime(moment: datetime | None, tz: tzinfo) -> str:
    """"12 Jan 2026 10:00" in local time; an empty string for None."""
    if moment is None:
        return ""
    shown = local(moment, tz)
    return f"{fmt_date(shown.date())} {time_text(shown)}"


def fmt_number(value: Decimal | int | None, unit: str = "") -> str:
    """A number without exponent or needless zeros ("72.4", "250"), with its unit if any."""
    if value is None:
        return ""
    text = plain(Decimal(value))
    return f"{text} {unit}" if unit else text


def fmt_minutes(minutes: int) -> str:
    """"120 min (2 h)" for whole hours, "137 min (2 h 17 min)" otherwise; "45 min" under 1 h."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{minutes} min ({hours} h)" if rest == 0 else f"{minutes} min ({hours} h {rest} min)"
