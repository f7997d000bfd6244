"""The audit trail in words (issue 12, "The Audit tab shows what changed in words (field labels,
old -> new, nurse name, local time), not raw rows").

Rule: each changed field reads as one sentence, e.g. "Weight changed 72 kg -> 74 kg by Anna Nowak
at 5 Dec 2026 09:14". Stored field names are shown by their label from :data:`FIELD_LABELS` (the
label map, data; a field not in it reads as its name with spaces); a value with a unit gets it;
numbers lose trailing zeros (72.50 -> 72.5). A new record reads "... set to ...", a voided one
"... voided: <reason>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from clinic_app.domain.dates import date_text, time_text


@dataclass(frozen=True)
class FieldLabel:
    """How a stored field is named to the nurse, and the unit its values carry."""

    label: str
    unit: str = ""


#: Stored field name -> label (and unit). Source: the chart's own column captions.
FIELD_LABELS: dict[str, FieldLabel] = {
    "weight_kg": FieldLabel("Weight", "kg"),
    "substance": FieldLabel("Allergy"),
    "reaction": FieldLabel("Allergic reaction"),
    "description": FieldLabel("Diagnosis"),
    "family_name": FieldLabel("Surname"),
    "given_names": FieldLabel("Given names"),
    "date_of_birth": FieldLabel("Date of birth"),
    "mrn": FieldLabel("MRN"),
    "phone": FieldLabel("Phone"),
    "email": FieldLabel("E-mail"),
    "address": FieldLabel("Address"),
    "notes": FieldLabel("Notes"),
    "status": FieldLabel("Status"),
    "grade": FieldLabel("Grade"),
    "ctcae_term": FieldLabel("Reaction term"),
    "outcome": FieldLabel("Outcome"),
    "actions": FieldLabel("Actions taken"),
    "void_reason": FieldLabel("Void reason"),
}


def field_label(field: str) -> FieldLabel:
    """The label of ``field`` ("weight_kg" -> Weight, kg); unknown fields read as words."""
    return FIELD_LABELS.get(field, FieldLabel(field.replace("_", " ").capitalize()))


def value_text(value: object, unit: str = "") -> str:
    """A value as the nurse reads it: numbers without trailing zeros, with the unit."""
    if value is None or value == "":
        return "(empty)"
    text = str(value)
    if not isinstance(value, bool):
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            text = format(number.normalize(), "f")
    return f"{text} {unit}" if unit else text


def audit_sentence(*, action: str, field: str, old: object, new: object, nurse: str,
                   at_local: datetime) -> str:
    """One changed field as a sentence (``at_local`` already in the clinic's time zone)."""
    label = field_label(field)
    when = f"{date_text(at_local.date())} {time_text(at_local)}"
    who = f"by {nurse} at {when}"
    if field == "void_reason":
        return f"Voided: {value_text(new)} {who}"
    if action == "insert" or old is None:
        return f"{label.label} set to {value_text(new, label.unit)} {who}"
    return (f"{label.label} changed {value_text(old, label.unit)} -> "
            f"{value_text(new, label.unit)} {who}")
