"""Checks on the weight a dose is calculated from.

Rules (clinical reference, "Dosing practice"; thresholds are clinic settings):

- A weight outside ``dosing.plausible_weight_min_kg``-``plausible_weight_max_kg`` (default
  15-250 kg) is accepted but warned (``IMPLAUSIBLE_WEIGHT``, to be acknowledged): it is more often a
  typing or unit error than a patient.
- A weight that changed by more than ``dosing.weight_change_warn_percent`` (default 10 %, as Epic
  keeps per plan and many oncology services use) since the last recorded weight is warned
  (``WEIGHT_CHANGE``, to be acknowledged), giving both weights and the change.
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.settings import DosingSettings
from clinic_app.domain.units import Weight, parse_number, percent_change, plain, round_kg


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


def weight_warnings(
    weight: Weight, previous_kg: Decimal | None, rules: DosingSettings
) -> list[ClinicalWarning]:
    """The warnings about today's weight: implausible, and changed since last time."""
    warnings = []
    low, high = rules.plausible_weight_min_kg, rules.plausible_weight_max_kg
    if not low <= weight.kg <= high:
        warnings.append(ClinicalWarning(
            "IMPLAUSIBLE_WEIGHT",
            f"Weight {weight} is outside the plausible range of {plain(low)}-{plain(high)} kg: "
            "check the scale and the unit before dosing.",
            requires_ack=True,
        ))
    if previous_kg is not None:
        change = percent_change(weight.kg, previous_kg)
        if abs(weight.kg - previous_kg) * 100 > rules.weight_change_warn_percent * previous_kg:
            warnings.append(ClinicalWarning(
                "WEIGHT_CHANGE",
                f"Weight changed from {round_kg(previous_kg)} kg to {round_kg(weight.kg)} kg "
                f"({change:+} %), "
                f"more than {plain(rules.weight_change_warn_percent)} % since the last recorded "
                "weight: confirm the weight and check the order with the prescriber.",
                requires_ack=True,
            ))
    return warnings
