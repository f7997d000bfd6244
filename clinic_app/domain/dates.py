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

A date the nurse types is read by :func:`parse_typed_date`, the one reader for every typed date
field: the clinic's format as shown ("5 Jan 2026", the month as a name, any case, "January"
too), ISO ("2026-01-05") and day-first dots ("05.01.2026", a form no country reads month
first). Slashes ("05/01/2026") are refused unless the clinic's own format is ``dd/mm/yyyy``:
elsewhere 05/01 is read as 5 January or as 1 May, and a swapped day and month books the wrong
day or files the wrong birth date. A refusal names the forms accepted (:func:`date_forms_hint`).

The format in use is set once at start-up from the clinic's settings (:func:`use_date_format`);
:func:`date_text` and :func:`short_date_text` read it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from enum import StrEnum

from clinic_app.domain.errors import InvalidInput


class DateFormat(StrEnum):
    """The date formats a clinic may choose."""

    DAY_MONTH_YEAR = "d mmm yyyy"
    ISO = "yyyy-mm-dd"
    DAY_FIRST_SLASHES = "dd/mm/yyyy"


DEFAULT_DATE_FORMAT = DateFormat.DAY_MONTH_YEAR
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
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


EXAMPLE_DAY = date(2026, 1, 5)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
SPELLED_DATE = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})")


def date_forms_hint() -> str:
    """The forms a typed date is accepted in, the clinic's own first:
    "5 Jan 2026, 2026-01-05 or 05.01.2026"."""
    forms = [format_date(EXAMPLE_DAY, date_format_in_use())]
    for style in (DateFormat.DAY_MONTH_YEAR, DateFormat.ISO):
        if format_date(EXAMPLE_DAY, style) not in forms:
            forms.append(format_date(EXAMPLE_DAY, style))
    forms.append(f"{EXAMPLE_DAY.day:02d}.{EXAMPLE_DAY.month:02d}.{EXAMPLE_DAY.year}")
    return f"{', '.join(forms[:-1])} or {forms[-1]}"


def month_number(word: str) -> int | None:
    """1-12 for an English month name or its first three or more letters, any case."""
    name = word.casefold()
    if len(name) < 3:
        return None
    found = [n for n, long in enumerate(LONG_MONTHS, 1) if long.casefold().startswith(name)]
    return found[0] if len(found) == 1 else None


def _real_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _slashed_refusal(text: str, first: int, second: int, year: int, *, label: str) -> str:
    readings = {d for d in (_real_day(year, second, first), _real_day(year, first, second)) if d}
    spelled = " or ".join(format_date(d, DateFormat.DAY_MONTH_YEAR) for d in sorted(readings))
    swapped = f" ({spelled}?)" if len(readings) > 1 else ""
    return (f"{label} {text!r}: a date with slashes is not accepted, the day and the month are "
            f"easily swapped{swapped}. Type it as {date_forms_hint()}.")


def _date_parts(text: str, *, field: str, label: str) -> tuple[int, int, int]:
    """Year, month and day of ``text`` in an accepted form; a refusal naming the forms."""
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return int(year), int(month), int(day)
    if match := _DOTTED_DATE.fullmatch(text):
        day, month, year = match.groups()
        return int(year), int(month), int(day)
    if match := _SLASHED_DATE.fullmatch(text):
        first, second, year = (int(part) for part in match.groups())
        if date_format_in_use() is not DateFormat.DAY_FIRST_SLASHES:
            raise InvalidInput(field, _slashed_refusal(text, first, second, year, label=label))
        return year, second, first
    if (match := SPELLED_DATE.fullmatch(text)) and (month := month_number(match[2])):
        return int(match[3]), month, int(match[1])
    raise InvalidInput(field, f"{label} {text!r} is not a date: type it as {date_forms_hint()}.")


def parse_typed_date(text: str, *, field: str, label: str) -> date:
    """The calendar day a nurse typed in ``text`` (see the module's rule on the forms read);
    :class:`~clinic_app.domain.errors.InvalidInput` on ``field`` for any other text, naming
    the accepted forms, or for a day that does not exist ("31 Feb 2026")."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(field, f"{label} is required.")
    year, month, day = _date_parts(stripped, field=field, label=label)
    if (real := _real_day(year, month, day)) is None:
        raise InvalidInput(field, f"{label} {stripped!r} is not a real calendar date.")
    return real
