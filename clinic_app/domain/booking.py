"""Booking days for infusions: open days, the suggested day in a window, and a nurse's booking.

The clinic's closed days (weekends and a holiday list by default) are a clinic setting:
:class:`clinic_app.domain.settings.ClosedDays`, loaded from ``resources/clinic_settings.toml`` and
``resources/closed_days.toml``. The spacing and gap rules come from the protocol's ``[schedule]``
table (see :mod:`clinic_app.domain.scheduling`, which builds the plans checked here).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from dateutil.rrule import DAILY, rrule

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import ScheduleError
from clinic_app.domain.settings import ClosedDays

if TYPE_CHECKING:
    from clinic_app.domain.scheduling import SchedulePlan

# How far ahead an "as soon as possible" booking looks for an open day before giving up with
# NO_OPEN_DAY. A search bound, not a clinical rule.
ASAP_SEARCH_DAYS = 366


def require_date(name: str, value: object) -> date:
    """``value`` when it is a plain date; :class:`ScheduleError` for a datetime, text, etc."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ScheduleError(
            f"{name} must be a calendar date (datetime.date), not {type(value).__name__} "
            f"{value!r}"
        )
    return value


def open_days(start: date, end: date, closed: ClosedDays) -> list[date]:
    """The days from ``start`` to ``end`` (both included) on which the clinic books infusions."""
    if end < start:
        return []
    days = rrule(DAILY, dtstart=start, until=end)
    return [d.date() for d in days if not closed.is_closed(d.date())]


def nearest_open_day(due: date, start: date, end: date, closed: ClosedDays) -> date | None:
    """The open day in ``[start, end]`` nearest to ``due``, or None when there is none.

    On a tie the later day wins (e.g. due on a Sunday with Friday and Tuesday open: Tuesday), so
    a booking moved off a closed day never shortens the interval since the previous dose.
    """
    candidates = open_days(start, end, closed)
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - due).days), -d.toordinal()))


def first_open_day(start: date, closed: ClosedDays) -> date | None:
    """The first open day on or after ``start``, looking at most ``ASAP_SEARCH_DAYS`` ahead."""
    days = open_days(start, start + timedelta(days=ASAP_SEARCH_DAYS - 1), closed)
    return days[0] if days else None


def check_booking(plan: SchedulePlan, dose_number: int, day: date) -> list[ClinicalWarning]:
    """Warnings for booking (or moving) dose ``dose_number`` of ``plan`` on ``day``.

    - ``TOO_EARLY`` (override needed): fewer than the protocol's ``min_spacing_days`` after the
      previous dose (the day it was given, or else the day it is planned).
    - ``GAP_REVIEW`` (override needed): more than ``review_gap_weeks`` after the previous dose;
      the protocol's ``review_gap_text`` says why (infliximab: delayed hypersensitivity, seed 000).
    - ``OUTSIDE_WINDOW`` (acknowledge): outside the dose's booking window ``[earliest, latest]``.
    - ``CLOSED_DAY`` (acknowledge): the clinic is closed that day (clinic setting).

    A dose already given cannot be booked: :class:`ScheduleError`.
    """
    require_date("day", day)
    dose = plan.dose(dose_number)
    if dose.given is not None:
        raise ScheduleError(
            f"Dose {dose_number} was given on {date_text(dose.given)}: it cannot be booked again."
        )
    warnings = _spacing_warnings(plan, dose_number, day)
    if not dose.earliest <= day <= dose.latest:
        warnings.append(ClinicalWarning(
            "OUTSIDE_WINDOW",
            f"Dose {dose_number} on {date_text(day)} is outside its booking window "
            f"{date_text(dose.earliest)} to {date_text(dose.latest)}.",
            requires_ack=True,
        ))
    if plan.closed.is_closed(day):
        warnings.append(ClinicalWarning(
            "CLOSED_DAY", f"The clinic is closed on {date_text(day)}.", requires_ack=True,
        ))
    return warnings


def _spacing_warnings(plan: SchedulePlan, dose_number: int, day: date) -> list[ClinicalWarning]:
    if dose_number == 1:
        return []
    previous = plan.dose(dose_number - 1)
    gap = (day - previous.expected_on).days
    spacing = plan.schedule.min_spacing_days
    warnings: list[ClinicalWarning] = []
    if gap < spacing:
        warnings.append(ClinicalWarning(
            "TOO_EARLY",
            f"Dose {dose_number} on {date_text(day)} would be {gap} days after dose "
            f"{dose_number - 1} ({date_text(previous.expected_on)}); the minimum spacing is "
            f"{spacing} days.",
            requires_override=True,
        ))
    limit = plan.schedule.review_gap_weeks
    if limit is not None and gap > 7 * limit:
        warnings.append(ClinicalWarning(
            "GAP_REVIEW",
            f"Dose {dose_number} on {date_text(day)} would be {gap} days after dose "
            f"{dose_number - 1}. {plan.schedule.review_gap_text}",
            requires_override=True,
        ))
    return warnings
