"""The chart's small forms: record a weight, add an allergy or diagnosis, record a screening,
add a contraindication, void a record. Each is one service call (clinic_app.services.patients).

Field names match the services' :class:`InvalidInput` fields so each message lands beside its
field. Screening kinds and contraindication codes come from the shipped protocols (services'
catalogue), never from a list here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.services import catalogue, patients
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

DATE_HINT = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
MOMENT_HINT = "Leave empty for now; or HH:MM today; or YYYY-MM-DD HH:MM"
WEIGHT_UNITS = (("kg", "kg"), ("lb", "lb"))
WEIGHT_KINDS = (("actual", "Measured today"), ("estimated", "Estimated"))
SEVERITIES = (("", "— not known —"), ("mild", "Mild"), ("moderate", "Moderate"),
              ("severe", "Severe"))
OUTCOMES = (("", "— choose —"), ("negative", "Negative"), ("positive", "Positive"),
            ("indeterminate", "Indeterminate"))


def weight_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """Record a body weight in kg or lb (stored in kg)."""

    def submit(v: Values) -> object:
        return patients.record_weight(
            state.ctx, patient_id=patient_id, weight=v["weight"], unit=v["weight_unit"],
            kind=v["kind"], measured_at=v["measured_at"].strip() or None)

    dialog = RecordDialog("Record weight", submit, parent=parent)
    dialog.add_line("weight", "&Weight")
    dialog.add_choice("weight_unit", "&Unit", WEIGHT_UNITS)
    dialog.add_choice("kind", "&Kind", WEIGHT_KINDS)
    dialog.add_line("measured_at", "&Measured at", hint=MOMENT_HINT)
    return dialog


def allergy_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """Add a known allergy or intolerance."""

    def submit(v: Values) -> object:
        return patients.add_allergy(state.ctx, patient_id=patient_id, substance=v["substance"],
                                    reaction=v["reaction"], severity=v["severity"])

    dialog = RecordDialog("Add allergy", submit, parent=parent)
    dialog.add_line("substance", "&Substance")
    dialog.add_text("reaction", "&Reaction")
    dialog.add_choice("severity", "Se&verity", SEVERITIES)
    return dialog


def diagnosis_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """Add a diagnosis, optionally coded and dated."""

    def submit(v: Values) -> object:
        return patients.add_diagnosis(state.ctx, patient_id=patient_id,
                                      description=v["description"], code=v["code"],
                                      diagnosed_on=v["diagnosed_on"].strip() or None)

    dialog = RecordDialog("Add diagnosis", submit, parent=parent)
    dialog.add_line("description", "&Diagnosis")
    dialog.add_line("code", "&Code (ICD-10)")
    dialog.add_line("diagnosed_on", "Date of dia&gnosis", hint=DATE_HINT)
    return dialog


def screening_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """Record a pre-treatment screening result (the kinds the protocols ask for)."""

    def submit(v: Values) -> object:
        return patients.record_screening(
            state.ctx, patient_id=patient_id, kind=v["kind"], taken_on=v["taken_on"],
            outcome=v["outcome"], valid_until=v["valid_until"].strip() or None, note=v["note"])

    kinds = tuple(catalogue.screening_kinds().items())
    dialog = RecordDialog("Record screening", submit, parent=parent)
    dialog.add_choice("kind", "&Test", kinds)
    dialog.add_line("taken_on", "&Date taken", hint=DATE_HINT)
    dialog.add_choice("outcome", "&Result", OUTCOMES)
    dialog.add_line("valid_until", "&Valid until", hint=f"Optional; {DATE_HINT}")
    dialog.add_text("note", "&Note", height=48)
    return dialog


def contraindication_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """Put a contraindication on file (the codes the protocols define)."""

    def submit(v: Values) -> object:
        return patients.add_contraindication(state.ctx, patient_id=patient_id, code=v["code"],
                                             note=v["note"])

    codes = (("", "— choose —"), *catalogue.contraindication_codes().items())
    dialog = RecordDialog("Add contraindication", submit, parent=parent)
    box = dialog.add_choice("code", "&Contraindication", codes)
    box.setMaximumWidth(560)
    dialog.add_text("note", "&Note", height=48)
    return dialog


def void_dialog(state: AppState, *, kind: str, record_id: int, what: str,
                parent: QWidget) -> RecordDialog:
    """Ask why a record is voided; it stays on the chart, struck through, with the reason."""

    def submit(v: Values) -> object:
        return patients.void_record(state.ctx, kind=kind, record_id=record_id,
                                    reason=v["reason"])

    intro = (f"Void {what}?\nIt stays on the chart, struck through, with your reason. "
             "Use this for a record entered in error.")
    title = f"Void {kind.replace('_', ' ')}"
    dialog = RecordDialog(title, submit, save_text="&Void", intro=intro, parent=parent)
    dialog.add_line("reason", "&Reason")
    return dialog
