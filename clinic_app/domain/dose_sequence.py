"""The dose-by-dose chain of a course: due dates, booking windows, suggested days and warnings.

Rules, all read from the protocol's ``[schedule]`` table (sources in the TOML files):

- Dose 1 is on ``first_dose``. Each later dose is due the protocol interval after the dose before
  it as actually given (or as planned, if not given yet): the gaps between
  ``induction_offsets_weeks`` during induction (infliximab 0, 2, 6: two then four weeks, seed 000),
  then the maintenance interval (infliximab 8 weeks, anifrolumab 4, seed 002; an indication's or a
  prescribed :class:`IntervalChange` where given). A late dose moves the rest of the plan.
- Booking window: ``*_window_before_days`` / ``*_window_after_days`` around the due date (clinic
  setting), never earlier than ``min_spacing_days`` after the previous dose (the day it was
  given, or else the day suggested for it).
- Suggested day: the open day in the window nearest to the due date, on a tie the later one so
  intervals never shorten (:func:`clinic_app.domain.booking.nearest_open_day`), and never before
  ``as_of``. Dose 1 stays on the day the prescriber chose, even a closed one (``CLOSED_DAY``,
  acknowledge). ``NO_OPEN_DAY`` when the window has no open day.
- A dose not given when ``as_of`` is past its window is ``OVERDUE`` and re-planned "as soon as
  possible" (``missed_dose_text``; anifrolumab: at least 14 days after the last infusion, seed
  002): its ``due`` becomes the first day on or after ``as_of`` that keeps the minimum spacing, its
  window runs from that day to the later of the first open day and ``window_after_days`` later, and
  the later doses chain from its suggested day, not from the stale due date.
- ``TOO_EARLY`` (acknowledge): a given dose less than ``min_spacing_days`` after the one before.
- ``GAP_REVIEW``: more than ``review_gap_weeks`` between two doses (given: acknowledge; planned:
  override) or from the last given dose to ``as_of`` (on the plan, override); infliximab 16 weeks,
  delayed hypersensitivity, seed 000 and label.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.booking import first_open_day, nearest_open_day
from clinic_app.domain.dates import date_text
from clinic_app.domain.protocol_model import Schedule
from clinic_app.domain.schedule_model import DosePhase, IntervalChange, PlannedDose
from clinic_app.domain.settings import ClosedDays

# With no ``count``, a plan holds the given doses and the doses due within this long after the
# later of ``as_of`` and the last given dose (or dose 1), and always the next dose.
DEFAULT_HORIZON = relativedelta(years=1)


@dataclass(frozen=True)
class ScheduleRules:
    """Everything the dose chain needs, checked once by ``plan_schedule``."""

    schedule: Schedule
    closed: ClosedDays
    first_dose: date
    given: tuple[date, ...]
    as_of: date | None
    maintenance_weeks: int
    changes: tuple[IntervalChange, ...]

    def interval_weeks(self, number: int) -> int:
        """Weeks from dose ``number - 1`` to dose ``number``."""
        offsets = self.schedule.induction_offsets_weeks
        if number <= len(offsets):
            return offsets[number - 1] - offsets[number - 2]
        weeks = self.maintenance_weeks
        for change in self.changes:
            if change.from_dose <= number:
                weeks = change.weeks
        return weeks

    def phase(self, number: int) -> DosePhase:
        """Induction up to the last induction offset, maintenance after."""
        if number <= len(self.schedule.induction_offsets_weeks):
            return DosePhase.INDUCTION
        return DosePhase.MAINTENANCE

    def window_days(self, phase: DosePhase) -> tuple[int, int]:
        """Days before and after the due date that a booking may move."""
        s = self.schedule
        if phase is DosePhase.INDUCTION:
            return s.induction_window_before_days, s.induction_window_after_days
        return s.maintenance_window_before_days, s.maintenance_window_after_days

    def gap_warning(self, number: int, previous: date, day: date) -> ClinicalWarning | None:
        """``GAP_REVIEW`` when ``day`` is more than ``review_gap_weeks`` after ``previous``."""
        limit = self.schedule.review_gap_weeks
        gap = (day - previous).days
        if limit is None or gap <= 7 * limit:
            return None
        return ClinicalWarning(
            "GAP_REVIEW",
            f"Dose {number} ({date_text(day)}) is {gap} days after the dose before it "
            f"({date_text(previous)}). {self.schedule.review_gap_text}",
            requires_override=True,
        )


def within_horizon(
    sequence: Iterator[PlannedDose], rules: ScheduleRules
) -> tuple[PlannedDose, ...]:
    """The given doses and the planned ones due within :data:`DEFAULT_HORIZON` (at least one)."""
    start = max(rules.first_dose, rules.as_of or rules.first_dose, *rules.given)
    horizon = start + DEFAULT_HORIZON
    doses: list[PlannedDose] = []
    for dose in sequence:
        planned_yet = len(doses) > len(rules.given)
        if dose.given is None and planned_yet and dose.due > horizon:
            break
        doses.append(dose)
    return tuple(doses)


def dose_sequence(rules: ScheduleRules) -> Iterator[PlannedDose]:
    """Doses 1, 2, ... without end, each chained from the one before it."""
    previous: PlannedDose | None = None
    anchor = rules.first_dose
    number = 1
    while True:
        due = anchor if number == 1 else anchor + relativedelta(weeks=rules.interval_weeks(number))
        dose = _dose(rules, number, due, previous)
        yield dose
        anchor = dose.given or (dose.expected_on if dose.is_overdue else dose.due)
        previous = dose
        number += 1


def _dose(
    rules: ScheduleRules, number: int, due: date, previous: PlannedDose | None
) -> PlannedDose:
    phase = rules.phase(number)
    before, after = rules.window_days(phase)
    earliest, latest = due - timedelta(days=before), due + timedelta(days=after)
    if previous is not None:
        spacing = timedelta(days=rules.schedule.min_spacing_days)
        earliest = max(earliest, previous.expected_on + spacing)
    base = PlannedDose(number, phase, due, earliest, latest, suggested=None, given=None)
    if number <= len(rules.given):
        return _given_dose(rules, base, rules.given[number - 1], previous)
    if rules.as_of is not None and rules.as_of > latest:
        return _overdue_dose(rules, base, rules.as_of, previous)
    return _open_dose(rules, base, previous)


def _given_dose(
    rules: ScheduleRules, base: PlannedDose, day: date, previous: PlannedDose | None
) -> PlannedDose:
    warnings: list[ClinicalWarning] = []
    if previous is not None:
        gap = (day - previous.expected_on).days
        if gap < rules.schedule.min_spacing_days:
            warnings.append(ClinicalWarning(
                "TOO_EARLY",
                f"Dose {base.number} was given {gap} days after dose {base.number - 1}; the "
                f"minimum spacing is {rules.schedule.min_spacing_days} days.",
                requires_ack=True,
            ))
        gap_warning = rules.gap_warning(base.number, previous.expected_on, day)
        if gap_warning is not None:  # already behind the patient: acknowledged, not overridden
            warnings.append(replace(gap_warning, requires_override=False, requires_ack=True))
    return replace(base, given=day, warnings=tuple(warnings))


def _overdue_dose(
    rules: ScheduleRules, base: PlannedDose, as_of: date, previous: PlannedDose | None
) -> PlannedDose:
    start = as_of
    if previous is not None:
        start = max(start, previous.expected_on + timedelta(days=rules.schedule.min_spacing_days))
    suggested = first_open_day(start, rules.closed)
    latest = start + timedelta(days=rules.window_days(base.phase)[1])
    if suggested is not None:
        latest = max(latest, suggested)
    overdue = ClinicalWarning(
        "OVERDUE",
        f"Dose {base.number} was due {date_text(base.due)} (window to "
        f"{date_text(base.latest)}) and has not been given. {rules.schedule.missed_dose_text}",
        requires_ack=True,
    )
    dose = replace(base, due=start, earliest=start, latest=latest, suggested=suggested)
    return replace(dose, warnings=(overdue, *_planned_warnings(rules, dose, previous)))


def _open_dose(
    rules: ScheduleRules, base: PlannedDose, previous: PlannedDose | None
) -> PlannedDose:
    as_of = rules.as_of
    if base.number == 1 and (as_of is None or base.due >= as_of):
        suggested: date | None = base.due  # the prescriber's day is kept
    else:
        start = base.earliest if as_of is None else max(base.earliest, as_of)
        suggested = nearest_open_day(base.due, start, base.latest, rules.closed)
    dose = replace(base, suggested=suggested)
    return replace(dose, warnings=tuple(_planned_warnings(rules, dose, previous)))


def _planned_warnings(
    rules: ScheduleRules, dose: PlannedDose, previous: PlannedDose | None
) -> list[ClinicalWarning]:
    warnings: list[ClinicalWarning] = []
    if dose.suggested is None:
        warnings.append(ClinicalWarning(
            "NO_OPEN_DAY",
            f"No open day for dose {dose.number} between {date_text(dose.earliest)} and "
            f"{date_text(dose.latest)}: book it by hand.",
        ))
    elif dose.number == 1 and rules.closed.is_closed(dose.suggested):
        warnings.append(ClinicalWarning(
            "CLOSED_DAY",
            f"Dose 1 is on {date_text(dose.suggested)}, a day the clinic is closed; kept as "
            "prescribed.",
            requires_ack=True,
        ))
    if previous is not None:
        gap_warning = rules.gap_warning(dose.number, previous.expected_on, dose.expected_on)
        if gap_warning is not None:
            warnings.append(gap_warning)
    return warnings


def as_of_gap(rules: ScheduleRules) -> tuple[ClinicalWarning, ...]:
    """``GAP_REVIEW`` on the plan when ``as_of`` is past the review gap since the last dose."""
    limit = rules.schedule.review_gap_weeks
    if rules.as_of is None or not rules.given or limit is None:
        return ()
    last = rules.given[-1]
    days = (rules.as_of - last).days
    if days <= 7 * limit:
        return ()
    return (ClinicalWarning(
        "GAP_REVIEW",
        f"As of {date_text(rules.as_of)} it is {days} days ({days // 7} weeks) since the last "
        f"infusion ({date_text(last)}). {rules.schedule.review_gap_text}",
        requires_override=True,
    ),)
