"""The shape of an infusion schedule: planned doses, their phase, and prescribed interval changes.

Built by :func:`clinic_app.domain.scheduling.plan_schedule`; frozen, so a plan can be shown,
printed and checked (:func:`clinic_app.domain.booking.check_booking`) without being changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import ScheduleError
from clinic_app.domain.protocol_model import Schedule
from clinic_app.domain.settings import ClosedDays


class DosePhase(StrEnum):
    """Induction doses follow ``induction_offsets_weeks``; maintenance doses the fixed interval."""

    INDUCTION = "induction"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class IntervalChange:
    """A prescribed change of the maintenance interval: dose ``from_dose`` and the doses after it
    are due ``weeks`` after the dose before them (e.g. infliximab every 4 weeks from dose 6)."""

    from_dose: int
    weeks: int

    def __post_init__(self) -> None:
        for name in ("from_dose", "weeks"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ScheduleError(f"IntervalChange.{name} must be a whole number, got {value!r}")
        if self.from_dose < 2:
            raise ScheduleError(
                f"An interval change starts from dose 2 or later, got dose {self.from_dose}."
            )


@dataclass(frozen=True)
class PlannedDose:
    """One dose of the course: given (``given`` set) or planned.

    ``suggested`` is None for a given dose and when the window has no open day (``NO_OPEN_DAY``).
    For an overdue dose ``due`` is the re-planned "as soon as possible" day; the original due
    date is in its ``OVERDUE`` warning.
    """

    number: int
    phase: DosePhase
    due: date
    earliest: date
    latest: date
    suggested: date | None
    given: date | None
    warnings: tuple[ClinicalWarning, ...] = ()

    @property
    def expected_on(self) -> date:
        """The day the dose was given, else the suggested day, else the due date."""
        return self.given or self.suggested or self.due

    @property
    def is_overdue(self) -> bool:
        """True when the dose was re-planned because its window passed without it."""
        return any(w.code == "OVERDUE" for w in self.warnings)


@dataclass(frozen=True)
class SchedulePlan:
    """The doses of a course in order (dose 1 first, given ones included) and plan warnings."""

    protocol_id: str
    schedule: Schedule
    closed: ClosedDays
    as_of: date | None
    doses: tuple[PlannedDose, ...]
    warnings: tuple[ClinicalWarning, ...]

    def dose(self, number: int) -> PlannedDose:
        """Dose ``number`` (1-based); :class:`ScheduleError` when the plan does not hold it."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise ScheduleError(f"A dose number is a whole number, got {number!r}")
        if not 1 <= number <= len(self.doses):
            raise ScheduleError(f"The plan holds doses 1 to {len(self.doses)}, not dose {number}.")
        return self.doses[number - 1]

    @property
    def next_dose(self) -> PlannedDose | None:
        """The first dose not given yet (None when every planned dose is given)."""
        return next((d for d in self.doses if d.given is None), None)

    @property
    def all_warnings(self) -> tuple[ClinicalWarning, ...]:
        """The plan's warnings followed by every dose's, in dose order."""
        return self.warnings + tuple(w for d in self.doses for w in d.warnings)

