"""The dose-order hint shown under the dose field when a course is started: the label's dose for
the indication and the protocol's range, read from the shipped protocol (nothing decided here).
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.units import plain


def _mg(value: Decimal | None, unit: str) -> str:
    return f"{plain(value)} {unit}" if value is not None else ""


def _bands(indication: Indication) -> str:
    parts, previous = [], None
    for band in indication.weight_bands:
        if band.below_kg is not None:
            where = f"under {plain(band.below_kg)} kg"
        else:
            where = f"at {plain(previous)} kg or more" if previous is not None else "any weight"
        parts.append(f"{plain(band.mg_per_kg)} mg/kg {where}")
        previous = band.below_kg
    return "By weight: " + ", ".join(parts) + "." if parts else ""


def weight_based_hint(protocol: Protocol, indication: Indication) -> str:
    """E.g. "Label for Crohn's disease: 5 mg/kg. Label range 3–10 mg/kg (above needs a reason
    at each dose); above 20 mg/kg is refused."""
    dosing = protocol.dosing
    top = indication.label_max_mg_per_kg or dosing.label_max_mg_per_kg
    lines = []
    if indication.mg_per_kg is not None:
        lines.append(f"Label for {indication.name}: {_mg(indication.mg_per_kg, 'mg/kg')}.")
    lines.append(_bands(indication))
    if dosing.min_mg_per_kg is not None and top is not None:
        lines.append(f"Label range {plain(dosing.min_mg_per_kg)}–{_mg(top, 'mg/kg')} "
                     "(above needs a reason at each dose).")
    elif top is not None:
        lines.append(f"Label maximum {_mg(top, 'mg/kg')} (above needs a reason at each dose).")
    if dosing.hard_ceiling_mg_per_kg is not None:
        lines.append(f"Above {_mg(dosing.hard_ceiling_mg_per_kg, 'mg/kg')} is refused.")
    if indication.per_infusion_max_mg or dosing.per_infusion_max_mg:
        cap = indication.per_infusion_max_mg or dosing.per_infusion_max_mg
        lines.append(f"At most {_mg(cap, 'mg')} per infusion.")
    return " ".join(line for line in lines if line)


def fixed_hint(protocol: Protocol, indication: Indication) -> str:
    """E.g. "Fixed dose for Systemic lupus erythematosus: 300 mg (label maximum 300 mg)."""
    dosing = protocol.dosing
    dose = indication.fixed_mg or dosing.fixed_mg
    lines = [f"Fixed dose for {indication.name}: {_mg(dose, 'mg')}."]
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
