"""Doses too close to a planned surgery or to a live vaccine (issue 13, "Surgery and the
live-vaccine calendar").

Surgery (seed 000, infliximab, planned operations): clean surgery at least 1 month after the
last infusion, septic or high-risk surgery at least 2 months after it; treatment resumes about
4 weeks after surgery once the wound has healed. A protocol holds these as data
(``[surgery]``, :class:`SurgeryRules`): a dose falls inside the window when it is less than
``months_before`` calendar months before the surgery day, on it, or less than ``weeks_after``
weeks after it. A dose exactly ``months_before`` months before, or exactly ``weeks_after`` weeks
after, is outside.

Live vaccines are contraindicated during treatment (seed 000, seed 002, labels), but no source
gives a number of weeks; the protocol's ``[live_vaccines]`` window is a clinic setting
(:class:`LiveVaccineRules`): a live vaccine given or due less than ``weeks_before_dose`` weeks
before a dose, on its day, or less than ``weeks_after_dose`` weeks after it, warns.

Pure functions: the reasons come back in words for the nurse.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from clinic_app.domain.dates import date_text

#: The kinds of planned surgery the seed tells apart, in the order the nurse picks from.
SURGERY_KINDS: dict[str, str] = {
    "clean": "Clean (sterile), e.g. cataract",
    "septic": "Septic or high infection risk, e.g. sigmoiditis, hip replacement",
}

#: Live vaccines the nurse can pick (or type another): seed 000 lists BCG; measles, rubella,
#: mumps; chickenpox; yellow fever; oral polio as live vaccines.
LIVE_VACCINE_SUGGESTIONS: tuple[str, ...] = (
    "BCG",
    "Measles, mumps, rubella (MMR)",
    "Chickenpox (varicella)",
    "Yellow fever",
    "Oral polio",
)


@dataclass(frozen=True)
class SurgeryWindow:
    """No dose from ``months_before`` calendar months before a surgery of this kind until
    ``weeks_after`` weeks after it; ``source`` says where each number comes from."""

    kind: str
    months_before: int
    weeks_after: int
    source: str


@dataclass(frozen=True)
class SurgeryRules:
    """A protocol's windows around planned surgery, one per kind of :data:`SURGERY_KINDS`."""

    windows: tuple[SurgeryWindow, ...]
    source: str

    def window(self, kind: str) -> SurgeryWindow:
        """The window for ``kind``; an unknown kind gets the widest one (the safe side)."""
        for found in self.windows:
            if found.kind == kind:
                return found
        return max(self.windows, key=lambda w: (w.months_before, w.weeks_after))


@dataclass(frozen=True)
class LiveVaccineRules:
    """A protocol's window around a dose for live vaccines (a clinic setting: no source gives a
    number)."""

    weeks_before_dose: int
    weeks_after_dose: int
    source: str


@dataclass(frozen=True)
class PlannedSurgeryFact:
    """A planned surgery as the rules read it."""

    day: date
    procedure: str
    kind: str


@dataclass(frozen=True)
class LiveVaccineFact:
    """A live vaccine given (``given``) or due on ``day``."""

    vaccine: str
    day: date
    given: bool


@dataclass(frozen=True)
class DoseWindowWarning:
    """A planned dose inside a surgery or live-vaccine window, with the reasons in words."""

    dose_number: int
    day: date
    surgery: tuple[str, ...]
    live_vaccines: tuple[str, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason, the surgery's first."""
        return self.surgery + self.live_vaccines


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (negative: back), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def surgery_blocked_days(window: SurgeryWindow, surgery_day: date) -> tuple[date, date]:
    """The first and last day on which no dose should be given around ``surgery_day``. The last
    day allowed before is the surgery day moved back ``months_before`` calendar months; where
    that month is shorter it is the month's last day (31 March back one month: 28 or 29
    February), so the window errs on the wide, safe side."""
    first = add_months(surgery_day, -window.months_before) + timedelta(days=1)
    last = surgery_day + timedelta(weeks=window.weeks_after) - timedelta(days=1)
    return first, last


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _weeks(n: int) -> str:
    return "1 week" if n == 1 else f"{n} weeks"


def surgery_reasons(
    rules: SurgeryRules, surgeries: Iterable[PlannedSurgeryFact], dose_day: date, *, drug: str
) -> tuple[str, ...]:
    """Why a dose of ``drug`` on ``dose_day`` is too close to each planned surgery (none: ())."""
    found: list[str] = []
    for surgery in sorted(surgeries, key=lambda s: s.day):
        window = rules.window(surgery.kind)
        first, last = surgery_blocked_days(window, surgery.day)
        if not first <= dose_day <= last:
            continue
        kind = SURGERY_KINDS.get(surgery.kind, surgery.kind).split(",")[0].lower()
        found.append(
            f"Planned surgery on {date_text(surgery.day)} ({surgery.procedure}; {kind}): "
            f"the last {drug} infusion at least {_months(window.months_before)} before it "
            f"(on or before {date_text(first - timedelta(days=1))}), {drug} resumed "
            f"{_weeks(window.weeks_after)} after it (from {date_text(last + timedelta(days=1))})."
        )
    return tuple(found)


def live_vaccine_reasons(
    rules: LiveVaccineRules, vaccines: Iterable[LiveVaccineFact], dose_day: date
) -> tuple[str, ...]:
    """Why a dose on ``dose_day`` is too close to each live vaccine given or due (none: ())."""
    found: list[str] = []
    for vaccine in sorted(vaccines, key=lambda v: v.day):
        gap = (dose_day - vaccine.day).days
        verb = "given" if vaccine.given else "due"
        if 0 <= gap < 7 * rules.weeks_before_dose:
            when = "on the dose day" if gap == 0 else f"{_days(gap)} before this dose"
            found.append(
                f"Live vaccine {vaccine.vaccine} {verb} on {date_text(vaccine.day)}, {when}: "
                f"the clinic keeps live vaccines at least {_weeks(rules.weeks_before_dose)} "
                "before a dose."
            )
        elif gap < 0 and -gap < 7 * rules.weeks_after_dose:
            found.append(
                f"Live vaccine {vaccine.vaccine} {verb} on {date_text(vaccine.day)}, "
                f"{_days(-gap)} after this dose: the clinic keeps live vaccines at least "
                f"{_weeks(rules.weeks_after_dose)} after a dose."
            )
    return tuple(found)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def doses_in_windows(
    doses: Iterable[tuple[int, date]],
    *,
    drug: str,
    surgery: SurgeryRules | None,
    surgeries: Iterable[PlannedSurgeryFact],
    live_vaccines: LiveVaccineRules | None,
    vaccines: Iterable[LiveVaccineFact],
) -> tuple[DoseWindowWarning, ...]:
    """The planned doses (number, day) that fall in a surgery or live-vaccine window, each with
    its reasons; a protocol without the rules warns about nothing of that kind."""
    planned_surgeries, planned_vaccines = tuple(surgeries), tuple(vaccines)
    found: list[DoseWindowWarning] = []
    for number, day in doses:
        near = DoseWindowWarning(
            number, day,
            surgery_reasons(surgery, planned_surgeries, day, drug=drug) if surgery else (),
            live_vaccine_reasons(live_vaccines, planned_vaccines, day) if live_vaccines else (),
        )  # fmt: skip
        if near.reasons:
            found.append(near)
    return tuple(found)
