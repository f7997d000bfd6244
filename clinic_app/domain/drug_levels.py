"""Therapeutic drug monitoring (TDM): trough levels and anti-drug antibodies beside the doses.

The app shows, the prescriber decides: nothing here proposes a dose or an interval. These are
the facts a prescriber reads when deciding an escalation (issue 13, "Drug levels and
anti-drug antibodies"; clinical reference, "Infliximab": proactive/reactive TDM is the
prescriber's practice, not a label rule):

- a **trough level** is the drug concentration drawn just before a dose, in µg/mL
  (:data:`TROUGH_UNIT`; mg/L is the same number). It is 0 or more ("below detection" is 0);
- an **anti-drug antibody** result is as the lab reports it: a value with its unit and,
  optionally, the assay's cutoff in the same unit, or a bare positive/negative. With a cutoff,
  a value at or above it is positive and below it negative (the lab's own cutoff, never one of
  the app's); a value without a cutoff is shown as it is, not interpreted;
- a level may say which dose it was drawn before (the course's dose number), and cannot be
  dated in the future or before the course began;
- the plot's series: each infusion's dose in mg/kg as given (the dose infused over the weight
  used), the weeks since the previous infusion, the troughs and the antibody results. A dose
  change is marked where the ordered mg/kg differs from the previous infusion's (where an
  order was in mg, where the dose given per kg moved by more than :data:`DOSE_CHANGE_SHARE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.units import parse_number, plain

TROUGH_UNIT = "µg/mL"
MAX_VALUE = Decimal(100_000)
MAX_DOSE_NUMBER = 999
DOSE_CHANGE_SHARE = Decimal("0.10")
NO_MODEL_NOTE = (
    "Shown for the prescriber: the app proposes no dose or interval from these "
    "levels. The prescriber decides."
)
_TENTH = Decimal("0.1")


class LevelKind(StrEnum):
    """What was measured."""

    TROUGH = "trough"
    ANTIBODY = "antibody"


class AntibodyStatus(StrEnum):
    """An antibody result read against the lab's cutoff (or as the lab reported it)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_INTERPRETED = "not_interpreted"


@dataclass(frozen=True)
class DrugLevel:
    """One result as checked: ``value``/``unit`` (a trough always in :data:`TROUGH_UNIT`),
    ``reported`` a bare positive/negative for an antibody without a value, ``cutoff`` the
    assay's cutoff (antibodies only), the assay, the day drawn and the dose it preceded."""

    kind: LevelKind
    drawn_on: date
    value: Decimal | None
    unit: str
    reported: AntibodyStatus | None = None
    cutoff: Decimal | None = None
    assay: str = ""
    before_dose: int | None = None

    @property
    def status(self) -> AntibodyStatus | None:
        """Positive/negative by the cutoff (or as reported); None for a trough."""
        if self.kind is LevelKind.TROUGH:
            return None
        if self.reported is not None:
            return self.reported
        if self.value is None or self.cutoff is None:
            return AntibodyStatus.NOT_INTERPRETED
        return AntibodyStatus.POSITIVE if self.value >= self.cutoff else AntibodyStatus.NEGATIVE

    @property
    def text(self) -> str:
        """ "2.1 µg/mL", "12 ng/mL (cutoff 10): positive", "negative"."""
        if self.value is None:
            return self.status.value if self.status else ""
        shown = f"{plain(self.value)} {self.unit}"
        if self.kind is LevelKind.TROUGH:
            return shown
        if self.cutoff is None:
            return f"{shown} (no cutoff given)"
        status = self.status
        return f"{shown} (cutoff {plain(self.cutoff)}): {status.value if status else ''}"


def _amount(value: str, *, field: str, label: str) -> Decimal:
    amount = parse_number(value, field=field, label=label)
    if amount < 0:
        raise InvalidInput(field, f"{label} cannot be negative, got {plain(amount)}.")
    if amount > MAX_VALUE:
        raise InvalidInput(
            field, f"{label} {plain(amount)} is too large: check the number and the unit."
        )
    if amount != amount.quantize(Decimal("0.001")):
        raise InvalidInput(field, f"Type {label.lower()} to 0.001 at most.")
    return amount


def _optional_amount(value: str, *, field: str, label: str) -> Decimal | None:
    return _amount(value, field=field, label=label) if value.strip() else None


def _drawn_on(drawn_on: date, *, today: date, course_start: date) -> date:
    if drawn_on > today:
        raise InvalidInput(
            "drawn_on",
            f"The date drawn {date_text(drawn_on)} is in the future: "
            "enter the day the blood was taken.",
        )
    if drawn_on < course_start:
        raise InvalidInput(
            "drawn_on",
            f"The date drawn {date_text(drawn_on)} is before the "
            f"course began ({date_text(course_start)}).",
        )
    return drawn_on


def _before_dose(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_DOSE_NUMBER:
        raise InvalidInput(
            "before_dose",
            f"Drawn before dose {text[:20]!r}: enter the dose number (1 to "
            f"{MAX_DOSE_NUMBER}) or leave it empty if not known.",
        )
    return int(text)


def _reported(value: str) -> AntibodyStatus | None:
    text = value.strip().casefold()
    if not text:
        return None
    for status in (AntibodyStatus.POSITIVE, AntibodyStatus.NEGATIVE):
        if text == status.value:
            return status
    raise InvalidInput("reported", f"Result {value!r}: choose positive or negative.")


def _kind(kind: str) -> LevelKind:
    try:
        return LevelKind(kind)
    except ValueError:
        raise InvalidInput(
            "kind", "Choose what was measured: trough level or antibodies."
        ) from None


def _unit(unit: str) -> str:
    text = normalise_line(unit, field="unit", label="The unit", max_length=30)
    if not text:
        raise InvalidInput(
            "unit", "Enter the unit the lab reports the antibodies in (e.g. ng/mL, AU/mL)."
        )
    return text


def check_drug_level(
    *,
    kind: str,
    drawn_on: date,
    value: str,
    unit: str = "",
    reported: str = "",
    cutoff: str = "",
    assay: str = "",
    before_dose: str = "",
    today: date,
    course_start: date,
) -> DrugLevel:
    """A result as typed, checked field by field (every problem reported at once,
    :class:`~clinic_app.domain.field_checks.InvalidInputs`). A trough needs a value (its unit
    is µg/mL); antibodies need a value with its unit, or a reported positive/negative, not
    both; a cutoff only goes with a value."""
    checks = FieldChecks()
    what = checks.check(lambda: _kind(kind))
    day = checks.check(lambda: _drawn_on(drawn_on, today=today, course_start=course_start))
    dose = checks.check(lambda: _before_dose(before_dose))
    lab = checks.check(
        lambda: normalise_line(assay, field="assay", label="The assay", max_length=120)
    )
    if what is LevelKind.ANTIBODY:
        level = checks.check(lambda: _antibody_parts(value, unit, reported, cutoff))
    else:
        level = checks.check(
            lambda: (
                _amount(value, field="value", label="The trough level"),
                TROUGH_UNIT,
                None,
                None,
            )
        )
    checks.raise_problems()
    assert what is not None and day is not None and level is not None  # else raised
    amount, shown_unit, status, cut = level
    return DrugLevel(
        kind=what,
        drawn_on=day,
        value=amount,
        unit=shown_unit,
        reported=status,
        cutoff=cut,
        assay=lab or "",
        before_dose=dose,
    )


def _antibody_parts(
    value: str,
    unit: str,
    reported: str,
    cutoff: str,
) -> tuple[Decimal | None, str, AntibodyStatus | None, Decimal | None]:
    status = _reported(reported)
    if status is not None:
        if value.strip() or cutoff.strip():
            raise InvalidInput(
                "reported",
                "Enter the lab's value (with its cutoff) or its "
                "positive/negative result, not both.",
            )
        return None, "", status, None
    if not value.strip():
        raise InvalidInput(
            "value",
            "Enter the antibody value with its unit, or choose the lab's positive/negative result.",
        )
    checks = FieldChecks()
    amount = checks.check(lambda: _amount(value, field="value", label="The antibody value"))
    shown_unit = checks.check(lambda: _unit(unit))
    cut = checks.check(lambda: _optional_amount(cutoff, field="cutoff", label="The cutoff"))
    checks.raise_problems()
    assert shown_unit is not None
    return amount, shown_unit, None, cut


# --- the plot's series -----------------------------------------------------------------------


@dataclass(frozen=True)
class GivenDose:
    """An infusion as given: its dose number and day, the mg/kg given (dose infused over the
    weight used), the mg/kg ordered (None for an order in mg) and whether it stopped early."""

    dose_number: int
    given_on: date
    mg_per_kg: Decimal
    ordered_mg_per_kg: Decimal | None = None
    partial: bool = False


@dataclass(frozen=True)
class DosePoint:
    """A point of the dose series: the infusion, the weeks since the one before (None for the
    first) and whether the dose changed from the one before."""

    dose: GivenDose
    weeks_since_previous: Decimal | None
    changed: bool


@dataclass(frozen=True)
class TdmSeries:
    """Everything the TDM plot draws, oldest first."""

    doses: tuple[DosePoint, ...]
    troughs: tuple[DrugLevel, ...]
    antibodies: tuple[DrugLevel, ...]

    @property
    def dose_changes(self) -> tuple[DosePoint, ...]:
        """The infusions whose dose changed from the one before."""
        return tuple(point for point in self.doses if point.changed)

    @property
    def empty(self) -> bool:
        """Nothing to draw."""
        return not (self.doses or self.troughs or self.antibodies)


def _weeks(earlier: date, later: date) -> Decimal:
    return (Decimal((later - earlier).days) / 7).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _changed(before: GivenDose, dose: GivenDose) -> bool:
    if before.ordered_mg_per_kg is not None and dose.ordered_mg_per_kg is not None:
        return before.ordered_mg_per_kg != dose.ordered_mg_per_kg
    if before.mg_per_kg == 0:
        return dose.mg_per_kg != 0
    return abs(dose.mg_per_kg - before.mg_per_kg) / before.mg_per_kg > DOSE_CHANGE_SHARE


def tdm_series(doses: Sequence[GivenDose], levels: Sequence[DrugLevel]) -> TdmSeries:
    """The plot's series from the infusions given and the results on file (any order)."""
    ordered = sorted(doses, key=lambda d: (d.given_on, d.dose_number))
    points = tuple(
        DosePoint(
            dose,
            None if i == 0 else _weeks(ordered[i - 1].given_on, dose.given_on),
            i > 0 and _changed(ordered[i - 1], dose),
        )
        for i, dose in enumerate(ordered)
    )
    by_day = sorted(levels, key=lambda level: level.drawn_on)
    return TdmSeries(
        doses=points,
        troughs=tuple(x for x in by_day if x.kind is LevelKind.TROUGH),
        antibodies=tuple(x for x in by_day if x.kind is LevelKind.ANTIBODY),
    )


def _before(level: DrugLevel) -> str:
    return "" if level.before_dose is None else f", before dose {level.before_dose}"


def _antibody_words(level: DrugLevel, trough: DrugLevel | None) -> str:
    status = level.status
    if status is AntibodyStatus.NOT_INTERPRETED:
        words = f"antibodies {level.text}"
    elif level.value is None:
        words = f"antibodies {status.value if status else ''}"
    else:
        words = (
            f"antibodies {status.value if status else ''} ({plain(level.value)} "
            f"{level.unit}, cutoff {plain(level.cutoff or Decimal(0))})"
        )
    if trough is None or trough.drawn_on != level.drawn_on:
        words += f" on {date_text(level.drawn_on)}"
    return words


def tdm_summary(series: TdmSeries) -> str:
    """The latest trough and antibody result in words: "Latest trough 2.1 µg/mL on 5 Jan 2026,
    before dose 7; antibodies negative"."""
    trough = series.troughs[-1] if series.troughs else None
    first = (
        "No trough level on file"
        if trough is None
        else f"Latest trough {trough.text} on {date_text(trough.drawn_on)}{_before(trough)}"
    )
    if not series.antibodies:
        return f"{first}; no antibody result on file"
    return f"{first}; {_antibody_words(series.antibodies[-1], trough)}"
