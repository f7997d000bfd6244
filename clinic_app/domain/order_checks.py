"""Checks on a dose order as it is written: when a course is started and when its order changes.

The same label rules as the dose prepared at each visit (:mod:`clinic_app.domain.dose_rules`), so
an order the label does not cover is questioned where it is written, not first at the bedside:

- ``ABOVE_LABEL_MAX`` (override with a recorded reason): an order above the indication's label
  maximum. The maximum is the indication's weight band's, else the indication's, else the drug's
  (infliximab US label: 10 mg/kg only for Crohn's loss of response and rheumatoid arthritis,
  5 mg/kg for the other indications; tocilizumab pJIA: 10 mg/kg under 30 kg, 8 mg/kg at or
  above). The weight is the patient's last weight on file; without one, weight-banded maxima use
  the highest band and an order in mg for a weight-based drug cannot be compared yet: both are
  checked again at the first dose, at the weight measured then.
- ``OFF_LABEL_DOSE`` (override with a recorded reason): a fixed-dose drug (vedolizumab 300 mg,
  anifrolumab 300 mg; labels) ordered at any other dose (clinical reference, December 2026
  additions).

The hard ceiling is refused before these checks (the course services); the per-infusion cap and
the weight checks concern the dose prepared, not the order.
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dose_rules import indication_label_max
from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.units import plain, round_mg, round_mg_per_kg


def _then(override_reason: str | None) -> str:
    if override_reason:
        return f"Override reason recorded: {override_reason}."
    return "It needs an override with the prescriber's reason (and again at each dose)."


def _above_label_max(protocol: Protocol, indication: Indication, mg_per_kg: Decimal | None,
                     fixed_mg: Decimal | None, weight_kg: Decimal | None,
                     override_reason: str | None) -> ClinicalWarning | None:
    top, where = indication_label_max(protocol, indication, weight_kg)
    where = where or f" for {protocol.drug}"
    if mg_per_kg is not None:
        if mg_per_kg <= top:
            return None
        ordered = f"{plain(mg_per_kg)} mg/kg"
    else:
        if fixed_mg is None or weight_kg is None or fixed_mg <= round_mg(top * weight_kg):
            return None
        ordered = (f"{plain(fixed_mg)} mg ({plain(round_mg_per_kg(fixed_mg / weight_kg))} mg/kg "
                   f"at {plain(weight_kg)} kg)")
    return ClinicalWarning(
        "ABOVE_LABEL_MAX",
        f"The order of {ordered} of {protocol.drug} is above the label maximum of "
        f"{plain(top)} mg/kg{where}. {_then(override_reason)}",
        requires_override=True,
    )


def _off_label_fixed(protocol: Protocol, indication: Indication, fixed_mg: Decimal | None,
                     override_reason: str | None) -> ClinicalWarning | None:
    labelled = indication.fixed_mg or protocol.dosing.fixed_mg
    if fixed_mg is None or labelled is None or fixed_mg == labelled:
        return None
    return ClinicalWarning(
        "OFF_LABEL_DOSE",
        f"{protocol.drug} is labelled as a fixed dose of {plain(labelled)} mg for "
        f"{indication.name}: an order of {plain(fixed_mg)} mg is off-label. "
        f"{_then(override_reason)}",
        requires_override=True,
    )


def order_warnings(
    protocol: Protocol, indication: Indication, *, mg_per_kg: Decimal | None,
    fixed_mg: Decimal | None, weight_kg: Decimal | None, override_reason: str | None = None,
) -> tuple[ClinicalWarning, ...]:
    """The warnings an order raises as written (module rules).

    Give the order as ``mg_per_kg`` or ``fixed_mg`` (already checked against the hard ceiling);
    ``weight_kg`` is the patient's last weight on file (None when never weighed).
    ``override_reason`` is put in the message when given.
    """
    if protocol.is_weight_based:
        found = _above_label_max(protocol, indication, mg_per_kg, fixed_mg, weight_kg,
                                 override_reason)
    else:
        found = _off_label_fixed(protocol, indication, fixed_mg, override_reason)
    return () if found is None else (found,)
