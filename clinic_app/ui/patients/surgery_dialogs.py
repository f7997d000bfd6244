"""Record a planned surgery or a live vaccine (given or due) from the chart. One call each to
``services.surgery.record_planned_surgery`` / ``record_vaccination``; each refusal shows beside
its field. The windows they open around doses are the protocol's; the booking and the visit's
pre-check warn about them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QWidget

from clinic_app.services import surgery
from clinic_app.ui.app_state import AppState
from clinic_app.ui.date_edits import typed_date_hint
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

SURGERY_INTRO = (
    "A dose booked inside the protocol's window around the surgery needs a reason "
    "(infliximab: clean surgery at least 1 month after the last infusion, septic or high-risk "
    "at least 2 months; resume about 4 weeks after)."
)
VACCINE_INTRO = (
    "Live vaccines are contraindicated during treatment: a dose booked near one given or due "
    "asks for an acknowledgement, and the visit's pre-check shows it."
)
STATUSES = (("given", "Given"), ("due", "Due"))


def surgery_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """The "Record planned surgery" form."""

    def submit(v: Values) -> object:
        return surgery.record_planned_surgery(
            state.ctx, patient_id=patient_id, planned_on=v["planned_on"],
            procedure=v["procedure"], kind=v["kind"], note=v["note"],
        )  # fmt: skip

    kinds = (("", "— choose —"), *((c.code, c.name) for c in surgery.surgery_kind_choices()))
    dialog = RecordDialog("Record planned surgery", submit, intro=SURGERY_INTRO, parent=parent)
    dialog.add_line("planned_on", "Surgery &date", hint=typed_date_hint())
    dialog.add_line("procedure", "&Procedure", hint="e.g. hip replacement, cataract")
    dialog.add_choice("kind", "&Kind", kinds)
    dialog.add_line("note", "&Note", hint="Optional, e.g. the surgeon or hospital")
    return dialog


def vaccination_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """The "Record live vaccine" form (the vaccine's name offers the live vaccines known)."""

    def submit(v: Values) -> object:
        return surgery.record_vaccination(
            state.ctx, patient_id=patient_id, vaccine=v["vaccine"], status=v["status"],
            on_date=v["on_date"], note=v["note"],
        )  # fmt: skip

    dialog = RecordDialog("Record live vaccine", submit, intro=VACCINE_INTRO, parent=parent)
    name = dialog.add_line("vaccine", "&Vaccine", hint="A live vaccine, e.g. yellow fever, MMR")
    completer = QCompleter(list(surgery.live_vaccine_suggestions()), name)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    name.setCompleter(completer)
    dialog.add_choice("status", "&Given or due", STATUSES)
    dialog.add_line("on_date", "&Date given or due", hint=typed_date_hint())
    dialog.add_line("note", "&Note", hint="Optional, e.g. travel")
    return dialog
