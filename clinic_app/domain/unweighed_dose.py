"""A fixed dose planned before the patient has ever been weighed (issue 12: the checklist of a
fixed-dose appointment printed before the visit works without a weight).

Rule: a fixed-dose protocol's dose, vials, volumes and rate do not depend on the weight (label:
vedolizumab 300 mg, anifrolumab 300 mg, "no weight calculation"), unless the protocol has a
smaller bag for small patients (then the bag does: refused). A weight-based protocol, or a
fixed order on one, needs a weight (its label range is in mg/kg): refused with
:class:`InvalidInput` on ``weight``.

The plan is calculated at :data:`NOMINAL_WEIGHT_KG`, which is nobody's weight: a sheet made from
this plan must not print ``plan.weight`` nor anything per kg (the bedside checklist marks it with
a :class:`~clinic_app.reports.records.PlanningWeight` of ``None`` and leaves the weight blank).
Today's weight is still taken when the visit is opened, and the dose planned again from it.
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.settings import ClinicSettings
from clinic_app.domain.units import NumberInput

NOMINAL_WEIGHT_KG = Decimal(70)


def fixed_dose_without_weight(
    protocol: Protocol,
    *,
    fixed_mg: NumberInput | None,
    indication: str | None = None,
    graduated: bool = False,
    settings: ClinicSettings | None = None,
) -> DosePlan:
    """The preparation of a fixed dose of ``protocol`` with no weight on file (see the rules)."""
    if protocol.is_weight_based or protocol.preparation.small_patient_bag is not None:
        raise InvalidInput(
            "weight",
            f"No weight on file for this patient: {protocol.drug} is "
            "dosed by weight. Give today's weight.",
        )
    return calculate_dose(
        protocol,
        NOMINAL_WEIGHT_KG,
        fixed_mg=fixed_mg,
        indication=indication,
        graduated=graduated,
        settings=settings,
    )
