"""Infusion schedules: when each dose of a course is due and which day to book it.

:func:`plan_schedule` is the one entry point: it checks the input, refuses an absolute
contraindication, and returns a frozen :class:`SchedulePlan`. The rules live in
:mod:`clinic_app.domain.dose_sequence` (due dates, windows, overdue and gap warnings),
:mod:`clinic_app.domain.booking` (open days, :func:`check_booking`) and
:mod:`clinic_app.domain.schedule_checks` (screening, contraindications); every value they use
comes from the protocol's TOML or the clinic settings. No function reads the clock: ``as_of`` is
the day the plan is looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from itertools import islice, pairwise

from clinic_app.domain.booking import check_booking, require_date
from clinic_app.domain.dates import date_text
from clinic_app.domain.dose_sequence import (
    DEFAULT_HORIZON,
    ScheduleRules,
    as_of_gap,
    dose_sequence,
    within_horizon,
)
from clinic_app.domain.errors import ScheduleError
from clinic_app.domain.protocol_model import Protocol, Schedule
from clinic_app.domain.records import ScreeningResult
from clinic_app.domain.schedule_checks import (
    contraindication_warnings,
    screening_positive_warnings,
    with_screening_due,
)
from clinic_app.domain.schedule_model import DosePhase, IntervalChange, PlannedDose, SchedulePlan
from clinic_app.domain.settings import ClosedDays, load_settings

__all__ = [
    "DEFAULT_HORIZON",
    "DosePhase",
    "IntervalChange",
    "PlannedDose",
    "SchedulePlan",
    "check_booking",
    "plan_schedule",
]


def plan_schedule(
    protocol: Protocol,
    first_dose: date,
    *,
    given: Sequence[date] = (),
    count: int | None = None,
    as_of: date | None = None,
    interval_override: IntervalChange | Sequence[IntervalChange] | None = None,
    closed: ClosedDays | None = None,
    indication: str | None = None,
    screening: Iterable[ScreeningResult] = (),
    active_contraindications: Iterable[str] = (),
) -> SchedulePlan:
    """Plan the course of ``protocol`` from ``first_dose`` (rules in the module docstring).

    ``given``: days the doses were actually given, in order (``given[0]`` is dose 1).
    ``count``: how many doses to return in all, given ones included; None returns the given doses
    and those due within :data:`DEFAULT_HORIZON` (one year) after the later of ``as_of`` and the
    last given dose (or dose 1), and always the next dose.
    ``closed``: the clinic's closed days; None uses the clinic settings (:func:`load_settings`).
    ``indication``: id of a protocol indication whose maintenance interval applies.
    ``screening``: the patient's screening results; ``active_contraindications``: the codes of the
    patient's contraindications. Raises :class:`ScheduleError` for bad input and
    :class:`Contraindicated` for an absolute contraindication.
    """
    plan_warnings = contraindication_warnings(protocol, _codes(active_contraindications))
    rules = _rules(protocol, first_dose, given, as_of, interval_override, closed, indication)
    _check_count(count, len(rules.given))
    sequence = dose_sequence(rules)
    doses = within_horizon(sequence, rules) if count is None else tuple(islice(sequence, count))
    results = tuple(screening)
    doses = with_screening_due(doses, protocol.screening, results)
    plan_warnings += screening_positive_warnings(protocol.screening, results)
    plan_warnings += as_of_gap(rules)
    return SchedulePlan(
        protocol_id=protocol.id, schedule=protocol.schedule, closed=rules.closed, as_of=as_of,
        doses=doses, warnings=plan_warnings,
    )


@cache
def _clinic_closed_days() -> ClosedDays:
    return load_settings().closed_days


def _codes(active: Iterable[str]) -> tuple[str, ...]:
    if isinstance(active, str):
        raise ScheduleError(
            f"active_contraindications is a list of codes, got the single text {active!r}"
        )
    return tuple(active)


def _rules(
    protocol: Protocol,
    first_dose: date,
    given: Sequence[date],
    as_of: date | None,
    interval_override: IntervalChange | Sequence[IntervalChange] | None,
    closed: ClosedDays | None,
    indication: str | None,
) -> ScheduleRules:
    require_date("first_dose", first_dose)
    given_days = _given_days(first_dose, given)
    if as_of is not None:
        require_date("as_of", as_of)
        if given_days and as_of < given_days[-1]:
            raise ScheduleError(
                f"as_of {date_text(as_of)} is before the last given dose "
                f"({date_text(given_days[-1])})."
            )
    return ScheduleRules(
        schedule=protocol.schedule,
        closed=_clinic_closed_days() if closed is None else closed,
        first_dose=first_dose, given=given_days, as_of=as_of,
        maintenance_weeks=_maintenance_weeks(protocol, indication),
        changes=_interval_changes(protocol.schedule, interval_override),
    )


def _given_days(first_dose: date, given: Sequence[date]) -> tuple[date, ...]:
    if isinstance(given, str | date) or not isinstance(given, Iterable):
        raise ScheduleError(f"given is a list of dates (dose 1 first), got {given!r}")
    days = tuple(require_date(f"given date of dose {n}", d) for n, d in enumerate(given, 1))
    if days and days[0] < first_dose:
        raise ScheduleError(
            f"Dose 1 is recorded as given on {date_text(days[0])}, before the first dose date "
            f"{date_text(first_dose)}."
        )
    for number, (before, after) in enumerate(pairwise(days), start=2):
        if after <= before:
            raise ScheduleError(
                f"Given dates must be strictly increasing: dose {number} on "
                f"{date_text(after)} is not after dose {number - 1} on {date_text(before)}."
            )
    return days


def _check_count(count: int | None, given: int) -> None:
    if count is None:
        return
    if isinstance(count, bool) or not isinstance(count, int):
        raise ScheduleError(f"count must be a whole number of doses, got {count!r}")
    if count < 1:
        raise ScheduleError(f"count must be at least 1 dose, got {count}")
    if count < given:
        raise ScheduleError(f"count {count} is less than the {given} doses already given.")


def _maintenance_weeks(protocol: Protocol, indication: str | None) -> int:
    if indication is None:
        return protocol.schedule.maintenance_interval_weeks
    try:
        weeks = protocol.dosing.indication(indication).maintenance_interval_weeks
    except KeyError as exc:
        raise ScheduleError(f"{protocol.drug}: {exc.args[0]}") from None
    return protocol.schedule.maintenance_interval_weeks if weeks is None else weeks


def _interval_changes(
    schedule: Schedule, override: IntervalChange | Sequence[IntervalChange] | None
) -> tuple[IntervalChange, ...]:
    if override is None:
        return ()
    changes = (override,) if isinstance(override, IntervalChange) else tuple(override)
    allowed = ", ".join(str(w) for w in schedule.allowed_intervals_weeks)
    first_maintenance = len(schedule.induction_offsets_weeks) + 1
    for change in changes:
        if not isinstance(change, IntervalChange):
            raise ScheduleError(f"interval_override takes IntervalChange values, got {change!r}")
        if change.weeks not in schedule.allowed_intervals_weeks:
            raise ScheduleError(
                f"An interval of {change.weeks} weeks is not allowed; allowed: {allowed} weeks."
            )
        if change.from_dose < first_maintenance:
            raise ScheduleError(
                f"The maintenance interval can change from dose {first_maintenance} on (the "
                f"first maintenance dose), not from dose {change.from_dose}."
            )
    starts = [c.from_dose for c in changes]
    if len(set(starts)) != len(starts):
        raise ScheduleError(f"Two interval changes start from the same dose: {sorted(starts)}")
    return tuple(sorted(changes, key=lambda c: c.from_dose))
