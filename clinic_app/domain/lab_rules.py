"""A protocol's laboratory rules: what the latest results propose before a dose.

The rules are data (``[lab_rules]`` of the protocol file, each part with its ``source``); for
tocilizumab they are the label's (clinical reference, Tocilizumab IV and the December 2026
additions):

- before the first dose of a course, the baseline bands: do not start with neutrophils under
  2000/mm3, platelets under 100,000/mm3 or ALT/AST over 1.5 x ULN (proposed: hold);
- at later doses, the table for abnormal results: ALT/AST above 1 to 3 x ULN reduce to 4 mg/kg
  (or hold), above 3 to 5 x ULN hold, above 5 x ULN stop; ANC 500 to 1000/mm3 hold, under 500
  stop; platelets 50,000 to 100,000/mm3 hold, under 50,000 stop;
- the monitoring intervals: a result older than its interval is flagged, and so is a missing
  result, or (ALT/AST) a range with no upper limit of normal to compare with.

The proposal is the most severe action any band gives (continue < reduce < hold < stop) with
the reasons; the app proposes, the prescriber decides (a hold or stop needs the prescriber's
decision recorded before the start).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from clinic_app.domain.labs import LatestLab, lab_test
from clinic_app.domain.units import plain


class LabAction(StrEnum):
    """What the table proposes, from the least to the most severe."""

    CONTINUE = "continue"
    REDUCE = "reduce"
    HOLD = "hold"
    STOP = "stop"

    @property
    def severity(self) -> int:
        """0 for continue up to 3 for stop."""
        return list(LabAction).index(self)


class Measure(StrEnum):
    """What a band compares: the value in the test's canonical unit, or times the ULN."""

    VALUE = "value"
    ULN = "uln"


@dataclass(frozen=True)
class LabBand:
    """A band of one measure of ``tests`` and the action it proposes.

    The bounds are as the label words them: ``above`` (exclusive) or ``at_least`` (inclusive)
    below, ``up_to`` (inclusive) or ``below`` (exclusive) above; a missing bound is open.
    """

    tests: tuple[str, ...]
    measure: Measure
    action: LabAction
    text: str
    source: str
    above: Decimal | None = None
    at_least: Decimal | None = None
    up_to: Decimal | None = None
    below: Decimal | None = None

    def contains(self, x: Decimal) -> bool:
        """True when ``x`` lies in the band."""
        return not (
            (self.above is not None and x <= self.above)
            or (self.at_least is not None and x < self.at_least)
            or (self.up_to is not None and x > self.up_to)
            or (self.below is not None and x >= self.below)
        )


@dataclass(frozen=True)
class MonitoringRule:
    """How old a result of ``tests`` may be: ``interval_months``, or ``first_interval_weeks``
    during the first ``first_months`` of the course; ``first_check_weeks`` after the course
    starts a result taken since the start is expected."""

    tests: tuple[str, ...]
    interval_months: int
    text: str
    source: str
    first_months: int | None = None
    first_interval_weeks: int | None = None
    first_check_weeks: int | None = None


@dataclass(frozen=True)
class LabRules:
    """A protocol's lab rules; ``reduce_to_mg_per_kg`` is the dose a "reduce" proposes."""

    reduce_to_mg_per_kg: Decimal
    baseline: tuple[LabBand, ...]
    during: tuple[LabBand, ...]
    monitoring: tuple[MonitoringRule, ...]
    source: str

    @property
    def tests(self) -> tuple[str, ...]:
        """Every test the rules read, in the order first named."""
        bands = [t for band in (*self.baseline, *self.during) for t in band.tests]
        monitored = [t for rule in self.monitoring for t in rule.tests]
        return tuple(dict.fromkeys(bands + monitored))


@dataclass(frozen=True)
class LabAssessment:
    """The proposed action with its reasons, and the flags (old, missing or unusable results)."""

    action: LabAction
    reasons: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def needs_decision(self) -> bool:
        """A hold or stop: the start needs the prescriber's decision recorded."""
        return self.action.severity >= LabAction.HOLD.severity


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _measured(band: LabBand, latest: LatestLab) -> Decimal | None:
    if band.measure is Measure.ULN:
        return latest.value.times_uln
    return latest.value.canonical


def _shown(band: LabBand, latest: LatestLab, x: Decimal) -> str:
    value = latest.value
    extra = f" = {plain(round(x, 1))} x ULN" if band.measure is Measure.ULN else ""
    if band.measure is Measure.VALUE and value.unit != lab_test(value.test).canonical:
        extra = f" = {plain(x)}{lab_test(value.test).canonical}"
    return f"{value.text}{extra}, taken {latest.age_days} days ago"


def _band_findings(
    bands: tuple[LabBand, ...], latest: Mapping[str, LatestLab]
) -> tuple[list[tuple[LabAction, str]], list[str]]:
    found: list[tuple[LabAction, str]] = []
    flags: list[str] = []
    for band in bands:
        for test in band.tests:
            held = latest.get(test)
            x = _measured(band, held) if held is not None else None
            if held is not None and x is None:
                flags.append(
                    f"{lab_test(test).name} has no upper limit of normal recorded: "
                    "the label's rule in multiples of the ULN cannot be applied."
                )
            elif held is not None and x is not None and band.contains(x):
                found.append((band.action, f"{_shown(band, held, x)}: {band.text}"))
    return found, list(dict.fromkeys(flags))


def _age_flag(
    rule: MonitoringRule,
    test: str,
    held: LatestLab | None,
    *,
    today: date,
    course_start: date | None,
) -> str | None:
    name = lab_test(test).name
    if held is None:
        return f"No {name} result on file ({rule.text})."
    taken = held.value.taken_on
    early = (
        rule.first_months is not None
        and rule.first_interval_weeks is not None
        and course_start is not None
        and today < add_months(course_start, rule.first_months)
    )
    if early:
        assert rule.first_interval_weeks is not None
        if today > taken + timedelta(weeks=rule.first_interval_weeks):
            return (
                f"{name} is {held.age_days} days old: older than "
                f"{rule.first_interval_weeks} weeks ({rule.text})."
            )
    elif today > add_months(taken, rule.interval_months):
        return (
            f"{name} is {held.age_days} days old: older than {rule.interval_months} months "
            f"({rule.text})."
        )
    if (
        rule.first_check_weeks is not None
        and course_start is not None
        and taken < course_start
        and today > course_start + timedelta(weeks=rule.first_check_weeks)
    ):
        return (
            f"No {name} since the course started: due within {rule.first_check_weeks} "
            f"weeks of starting ({rule.text})."
        )
    return None


def _age_flags(
    rules: LabRules, latest: Mapping[str, LatestLab], *, today: date, course_start: date | None
) -> list[str]:
    found = []
    for rule in rules.monitoring:
        for test in rule.tests:
            flag = _age_flag(rule, test, latest.get(test), today=today, course_start=course_start)
            if flag is not None:
                found.append(flag)
    return found


def assess_labs(
    rules: LabRules,
    latest: Mapping[str, LatestLab],
    *,
    today: date,
    first_dose: bool,
    course_start: date | None,
) -> LabAssessment:
    """What the latest results propose before a dose given on ``today``: the baseline bands
    before the course's first dose, the table at later doses; the most severe action wins.
    Old or missing results are flagged, not guessed at (a flag does not change the action)."""
    found, flags = _band_findings(rules.baseline if first_dose else rules.during, latest)
    action = max((a for a, _ in found), key=lambda a: a.severity, default=LabAction.CONTINUE)
    ages = _age_flags(rules, latest, today=today, course_start=None if first_dose else course_start)
    return LabAssessment(
        action=action, reasons=tuple(text for _, text in found), flags=tuple(ages + flags)
    )


def action_text(action: LabAction, rules: LabRules) -> str:
    """The proposal in words, e.g. "Reduce to 4 mg/kg"."""
    return {
        LabAction.CONTINUE: "Continue",
        LabAction.REDUCE: f"Reduce to {plain(rules.reduce_to_mg_per_kg)} mg/kg",
        LabAction.HOLD: "Hold the dose",
        LabAction.STOP: "Stop the drug",
    }[action]
