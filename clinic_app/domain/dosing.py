"""Dose calculation: from the order and today's weight to a plan the nurse can prepare.

:func:`calculate_dose` runs the steps in order, each in its own module with its rule and source:

1. weight: parsed, converted from lb if needed, impossible weights refused, implausible weights, a
   change since the last weight or since the plan's weight, and a weight measured too long ago
   warned (:mod:`units`, :mod:`weight_checks`);
2. dose: the order (or the indication's default), the hard ceiling, the per-infusion cap, the
   optional whole-vial rounding, the label range (:mod:`dose_rules`);
3. vials: least waste, then fewest vials (:mod:`vials`);
4. drug volume (0.1 mL) and bag: the smallest bag that keeps the concentration in range
   (:mod:`dilution`);
5. rate: standard, shortened or graduated (:mod:`infusion_rate`).

Every refusal is a :class:`~clinic_app.domain.errors.ClinicalError` subclass whose text says what
is wrong: :class:`InvalidInput` (and :class:`ImpossibleWeight`) for values that cannot be used,
:class:`DoseRefused` (with a ``code``) for an order that cannot be prepared. Warnings that do not
refuse are in ``DosePlan.warnings``.
"""

from __future__ import annotations

from clinic_app.domain.dilution import dilute, drug_volume
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dose_rules import decide_dose, resolve_order
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.infusion_rate import plan_infusion
from clinic_app.domain.patient_validation import normalise_text
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.settings import ClinicSettings
from clinic_app.domain.units import NumberInput, WeightUnit, parse_weight
from clinic_app.domain.vials import select_vials
from clinic_app.domain.weight_checks import (
    ReferenceWeight,
    WeightAge,
    parse_previous_weight,
    weight_warnings,
)

__all__ = ["DosePlan", "calculate_dose"]

OVERRIDE_REASON_MAX_LENGTH = 2000


def _check_switches(
    override_reason: str | None, graduated: bool, shortened: bool, tolerated_doses: int
) -> str | None:
    """Refuses contradictory or malformed switches; returns the override reason as stored
    (:func:`normalise_text`, at most :data:`OVERRIDE_REASON_MAX_LENGTH` characters; blank: None)."""
    if graduated and shortened:
        raise InvalidInput("shortened", "A graduated infusion (after a reaction) cannot also be "
                                        "shortened: the shortened infusion goes back to the "
                                        "standard time after any reaction.")
    if isinstance(tolerated_doses, bool) or not isinstance(tolerated_doses, int) \
            or tolerated_doses < 0:
        raise InvalidInput("tolerated_doses", "Tolerated doses must be a whole number of 0 or "
                                              f"more, got {tolerated_doses!r}.")
    if override_reason is None:
        return None
    return normalise_text(override_reason, field="override_reason", label="The override reason",
                          max_length=OVERRIDE_REASON_MAX_LENGTH, multiline=True) or None


def calculate_dose(
    protocol: Protocol,
    weight_kg: NumberInput,
    *,
    weight_unit: WeightUnit | str = WeightUnit.KG,
    mg_per_kg: NumberInput | None = None,
    fixed_mg: NumberInput | None = None,
    indication: str | None = None,
    previous_weight_kg: NumberInput | None = None,
    plan_weight: ReferenceWeight | None = None,
    weight_age: WeightAge | None = None,
    override_reason: str | None = None,
    graduated: bool = False,
    shortened: bool = False,
    tolerated_doses: int = 0,
    settings: ClinicSettings | None = None,
) -> DosePlan:
    """The dose plan for ``protocol`` at today's weight.

    ``weight_kg`` is today's measured weight, in kg unless ``weight_unit="lb"`` (numbers or the
    text typed; converted exactly at 0.45359237 kg/lb). Give the order as ``mg_per_kg`` or
    ``fixed_mg`` (not both); without either, the ``indication``'s default is used (a fixed-dose
    protocol falls back to its labelled dose). ``previous_weight_kg`` is the last recorded weight,
    for the weight-change warning; ``plan_weight`` the weight the dose plan was made from and
    ``weight_age`` when ``weight_kg`` was measured (both optional: see :mod:`weight_checks`).
    ``override_reason`` records why a dose the label does not cover is given (blank counts as
    none). ``graduated`` plans the titration table used after a previous
    reaction; ``shortened`` asks for the shortened infusion after ``tolerated_doses`` tolerated
    standard infusions. ``settings`` defaults to the shipped clinic settings.
    """
    rules = (settings or ClinicSettings()).dosing
    reason = _check_switches(override_reason, graduated, shortened, tolerated_doses)
    weight = parse_weight(weight_kg, weight_unit, max_kg=rules.max_weight_kg)
    warnings = weight_warnings(weight, parse_previous_weight(previous_weight_kg, rules), rules,
                               plan=plan_weight, age=weight_age,
                               max_age_days=protocol.dosing.max_weight_age_days)
    order = resolve_order(protocol, weight, mg_per_kg=mg_per_kg, fixed_mg=fixed_mg,
                          indication=indication)
    decision = decide_dose(protocol, order, weight, rules, reason)
    selection = select_vials(protocol.products, decision.dose_mg)
    product = protocol.products[0]
    volume = drug_volume(product, drug=protocol.drug, dose_mg=decision.dose_mg)
    bag = dilute(protocol.preparation, drug=protocol.drug, dose_mg=decision.dose_mg,
                 drug_volume_ml=volume, weight_kg=weight.kg)
    infusion = plan_infusion(
        protocol, bag.final_volume_ml, graduated=graduated, shortened=shortened,
        allow_shortened=rules.allow_shortened_infusion, tolerated_doses=tolerated_doses,
        dose_mg=decision.dose_mg, weight_kg=weight.kg,
    )
    return DosePlan(
        protocol_id=protocol.id, drug=protocol.drug,
        indication_id=None if order.indication is None else order.indication.id,
        weight=weight, mg_per_kg=order.mg_per_kg, ordered_mg=decision.ordered_mg,
        dose_mg=decision.dose_mg, product=product, preparation=protocol.preparation,
        vials=selection.vials, waste_mg=selection.total_mg - decision.dose_mg,
        drug_volume_ml=volume, bag_volume_ml=bag.bag_volume_ml,
        small_patient_bag=bag.small_patient_bag, withdraw_ml=bag.withdraw_ml,
        final_volume_ml=bag.final_volume_ml,
        concentration_mg_per_ml=bag.concentration_mg_per_ml,
        rate_ml_per_h=infusion.rate_ml_per_h, duration_min=infusion.duration_min,
        shortened=shortened, titration=infusion.steps,
        warnings=(*warnings, *decision.warnings, *infusion.warnings), override_reason=reason,
    )
