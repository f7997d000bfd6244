"""Checks on the weight a dose is calculated from.

Rules (clinical reference, "Dosing practice"; thresholds are clinic settings):

- A weight outside ``dosing.plausible_weight_min_kg``-``plausible_weight_max_kg`` (default
  15-250 kg) is accepted but warned (``IMPLAUSIBLE_WEIGHT``, to be acknowledged): it is more often a
  typing or unit error than a patient.
- A weight that changed by more than ``dosing.weight_change_warn_percent`` (default 10 %, as Epic
  keeps per plan and many oncology services use) since the last recorded weight is warned
  (``WEIGHT_CHANGE``, to be acknowledged), giving both weights and the change.
- The same threshold against the weight the dose plan was made from (the reference's "plan's
  weight"; the caller says which weight that is and why, :class:`ReferenceWeight`) is warned
  too (``PLAN_WEIGHT_CHANGE``, to be acknowledged), so a gradual drift that never crosses the
  threshold from one visit to the next (70, 76, 82, 88 kg) is still seen. When the plan's
  weight is the last weight itself, ``WEIGHT_CHANGE`` says it all and this one is not repeated.
- A dosing weight measured more than ``dosing.max_weight_age_days`` days before the dose day
  (default 30; a protocol may set a shorter ``[dosing] max_weight_age_days``, the shorter of the
  two applies) asks for a re-weigh (``WEIGHT_OUT_OF_DATE``, to be acknowledged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.settings import DosingSettings
from clinic_app.domain.units import Weight, parse_number, percent_change, plain, round_kg


@dataclass(frozen=True)
class ReferenceWeight:
    """The weight the dose plan was made from, in kg, and where it comes from in words
    ("dose 1 on 2026-03-02"), for the ``PLAN_WEIGHT_CHANGE`` warning."""

    kg: Decimal
    basis: str


@dataclass(frozen=True)
class WeightAge:
    """When the dosing weight was measured and the day of the dose (local dates)."""

    measured_on: date
    dose_day: date


def parse_previous_weight(value: object, rules: DosingSettings) -> Decimal | None:
    """The last recorded weight in kg, or None when there is none."""
    if value is None:
        return None
    kg = parse_number(value, field="previous_weight_kg", label="Previous weight")
    if not 0 < kg <= rules.max_weight_kg:
        raise InvalidInput(
            "previous_weight_kg",
            f"Previous weight {plain(kg)} kg is not a possible weight "
            f"(more than 0, at most {plain(rules.max_weight_kg)} kg).",
        )
    return kg


def _changed(weight: Weight, reference_kg: Decimal, rules: DosingSettings) -> bool:
    return abs(weight.kg - reference_kg) * 100 > rules.weight_change_warn_percent * reference_kg


def _change_text(weight: Weight, reference_kg: Decimal) -> str:
    change = percent_change(weight.kg, reference_kg)
    return (f"Weight changed from {plain(round_kg(reference_kg))} kg to "
            f"{plain(round_kg(weight.kg))} kg ({change:+} %)")


def _plan_weight_warning(weight: Weight, plan: ReferenceWeight | None,
                         previous_kg: Decimal | None,
                         rules: DosingSettings) -> ClinicalWarning | None:
    if plan is None or plan.kg == previous_kg or not _changed(weight, plan.kg, rules):
        return None
    return ClinicalWarning(
        "PLAN_WEIGHT_CHANGE",
        f"{_change_text(weight, plan.kg)} since the weight the dose plan was made from "
        f"({plan.basis}), more than {plain(rules.weight_change_warn_percent)} %: confirm the "
        "weight and ask the prescriber to review the order (a changed or re-confirmed order "
        "takes today's weight as the plan's weight).",
        requires_ack=True,
    )


def _age_warning(weight: Weight, age: WeightAge | None, max_days: int) -> ClinicalWarning | None:
    if age is None:
        return None
    days = (age.dose_day - age.measured_on).days
    if days <= max_days:
        return None
    return ClinicalWarning(
        "WEIGHT_OUT_OF_DATE",
        f"The dosing weight {plain(round_kg(weight.kg))} kg was measured on "
        f"{date_text(age.measured_on)}, {days} days before the dose (more than {max_days} "
        "days): re-weigh the patient and calculate the dose again before preparing it.",
        requires_ack=True,
    )


def weight_warnings(
    weight: Weight, previous_kg: Decimal | None, rules: DosingSettings, *,
    plan: ReferenceWeight | None = None, age: WeightAge | None = None,
    max_age_days: int | None = None,
) -> list[ClinicalWarning]:
    """The warnings about today's weight (module rules): implausible, changed since the last
    weight and since the plan's weight, and measured too long ago. ``max_age_days`` is the
    protocol's own limit, if it sets one (the clinic's applies when it is shorter)."""
    warnings = []
    low, high = rules.plausible_weight_min_kg, rules.plausible_weight_max_kg
    if not low <= weight.kg <= high:
        warnings.append(ClinicalWarning(
            "IMPLAUSIBLE_WEIGHT",
            f"Weight {weight} is outside the plausible range of {plain(low)}-{plain(high)} kg: "
            "check the scale and the unit before dosing.",
            requires_ack=True,
        ))
    if previous_kg is not None and _changed(weight, previous_kg, rules):
        warnings.append(ClinicalWarning(
            "WEIGHT_CHANGE",
            f"{_change_text(weight, previous_kg)}, "
            f"more than {plain(rules.weight_change_warn_percent)} % since the last recorded "
            "weight: confirm the weight and check the order with the prescriber.",
            requires_ack=True,
        ))
    limit = rules.max_weight_age_days if max_age_days is None \
        else min(max_age_days, rules.max_weight_age_days)
    extra = (_plan_weight_warning(weight, plan, previous_kg, rules),
             _age_warning(weight, age, limit))
    warnings.extend(w for w in extra if w is not None)
    return warnings
