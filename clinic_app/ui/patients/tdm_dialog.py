"""The form to record a drug level or an anti-drug antibody result of a course (one service
call, :func:`clinic_app.services.drug_levels.record_drug_level`).

Field names match the service's :class:`InvalidInput` fields so each message lands beside its
field. A trough is in µg/mL; antibodies as the lab reports them (a value with its unit and
cutoff, or positive/negative).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.domain.drug_levels import TROUGH_UNIT
from clinic_app.services.drug_levels import record_drug_level
from clinic_app.services.drug_levels.dto import DrugLevelForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.chart_dialogs import DATE_HINT
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

KINDS = (
    ("trough", "Trough level (drug level before a dose)"),
    ("antibody", "Anti-drug antibodies"),
)
REPORTED = (("", "— a value is given —"), ("positive", "Positive"), ("negative", "Negative"))
FIELDS = ("kind", "drawn_on", "value", "unit", "cutoff", "reported", "assay", "before_dose")


def drug_level_dialog(state: AppState, course_id: int, drug: str, parent: QWidget) -> RecordDialog:
    """Record a trough level or an antibody result of the course."""

    def submit(v: Values) -> object:
        return record_drug_level(
            state.ctx, course_id=course_id, form=DrugLevelForm(**{f: v[f] for f in FIELDS})
        )

    intro = (
        f"{drug}: a trough level in {TROUGH_UNIT}, or anti-drug antibodies as the lab reports them."
    )
    dialog = RecordDialog("Record drug level", submit, intro=intro, parent=parent)
    dialog.add_choice("kind", "&Measured", KINDS)
    dialog.add_line("drawn_on", "&Date drawn", hint=DATE_HINT)
    dialog.add_line(
        "value",
        "&Value",
        hint=f"Trough in {TROUGH_UNIT}; antibodies in the lab's unit. Below detection: 0.",
    )
    dialog.add_line("unit", "&Unit (antibodies)", hint="e.g. ng/mL or AU/mL")
    dialog.add_line(
        "cutoff", "&Cutoff (antibodies)", hint="Optional: the assay's cutoff, in the same unit"
    )
    dialog.add_choice("reported", "&Result (antibodies)", REPORTED)
    dialog.add_line("assay", "&Assay / laboratory")
    dialog.add_line("before_dose", "Drawn &before dose", hint="Dose number; empty if not known")
    return dialog
