"""The dose-order hint shown under the dose field when a course is started or its order changed:
the label's dose for the indication and the protocol's range, read from the shipped protocol
(nothing decided here).
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.units import plain

ABOVE_NEEDS_A_REASON = "(above needs the prescriber's reason, here and at each dose)"


def _mg(value: Decimal | None, unit: str) -> str:
    return f"{plain(value)} {unit}" if value is not None else ""


def _bands(indication: Indication) -> str:
    parts = [f"{plain(b.mg_per_kg)} mg/kg {b.text}" for b in indication.weight_bands]
    return "By weight: " + ", ".join(parts) + "." if parts else ""


def _banded_maximum(indication: Indication) -> str:
    parts = [f"{_mg(b.label_max_mg_per_kg, 'mg/kg')} {b.text}" for b in indication.weight_bands]
    return ("Label maximum by weight: " + ", ".join(parts) + f" {ABOVE_NEEDS_A_REASON}."
            if indication.banded_label_max else "")


def weight_based_hint(protocol: Protocol, indication: Indication) -> str:
    """E.g. "Label for Crohn's disease: 5 mg/kg. Label range 3–5 mg/kg (above needs the
    prescriber's reason, here and at each dose). Above 20 mg/kg is refused."; the maximum is
    the indication's (by weight band when the label gives one), else the drug's."""
    dosing = protocol.dosing
    top = indication.label_max_mg_per_kg or dosing.label_max_mg_per_kg
    lines = []
    if indication.mg_per_kg is not None:
        lines.append(f"Label for {indication.name}: {_mg(indication.mg_per_kg, 'mg/kg')}.")
    lines.append(_bands(indication))
    if indication.banded_label_max:
        lines.append(_banded_maximum(indication))
    elif dosing.min_mg_per_kg is not None and top is not None:
        lines.append(f"Label range {plain(dosing.min_mg_per_kg)}–{_mg(top, 'mg/kg')} "
                     f"{ABOVE_NEEDS_A_REASON}.")
    elif top is not None:
        lines.append(f"Label maximum {_mg(top, 'mg/kg')} {ABOVE_NEEDS_A_REASON}.")
    if dosing.hard_ceiling_mg_per_kg is not None:
        lines.append(f"Above {_mg(dosing.hard_ceiling_mg_per_kg, 'mg/kg')} is refused.")
    if indication.per_infusion_max_mg or dosing.per_infusion_max_mg:
        cap = indication.per_infusion_max_mg or dosing.per_infusion_max_mg
        lines.append(f"At most {_mg(cap, 'mg')} per infusion.")
    return " ".join(line for line in lines if line)


def fixed_hint(protocol: Protocol, indication: Indication) -> str:
    """E.g. "Fixed dose for Systemic lupus erythematosus: 300 mg (another dose needs the
    prescriber's reason, here and at each dose). Label maximum 300 mg." """
    dosing = protocol.dosing
    dose = indication.fixed_mg or dosing.fixed_mg
    lines = [f"Fixed dose for {indication.name}: {_mg(dose, 'mg')} (another dose needs the "
             "prescriber's reason, here and at each dose)."]
    if dosing.label_max_mg is not None:
        lines.append(f"Label maximum {_mg(dosing.label_max_mg, 'mg')}.")
    if dosing.hard_ceiling_mg is not None:
        lines.append(f"Above {_mg(dosing.hard_ceiling_mg, 'mg')} is refused.")
    return " ".join(lines)


def label_placeholder(protocol: Protocol, indication: Indication) -> str:
    """The label's dose as a grey placeholder in the empty dose field ("label: 5 mg/kg for
    Crohn's disease"; '' for weight bands). Never a pre-filled value: the order is typed from
    the prescription, so a default cannot be saved by pressing Enter."""
    if protocol.is_weight_based:
        dose, unit = indication.mg_per_kg, "mg/kg"
    else:
        dose, unit = indication.fixed_mg or protocol.dosing.fixed_mg, "mg"
    return f"label: {_mg(dose, unit)} for {indication.name}" if dose is not None else ""
