"""Record a laboratory result from the chart: the test from the list, the value, the unit
(prefilled with the test's usual unit, the other units it is reported in offered), the reference
range (optional), the date the sample was taken and the source. One call to
``services.labs.record_lab_result``; each refusal shows beside its field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from clinic_app.services import labs
from clinic_app.services.labs.dto import LabTestChoice
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

DATE_HINT = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
RANGE_HINT = (
    "Optional, in the result's unit, as printed on the report (ALT/AST: the upper "
    "limit is needed for the label's rules)"
)


def _fill_units(box: QComboBox, choice: LabTestChoice) -> None:
    box.clear()
    for unit in choice.units:
        box.addItem(unit, unit)
    box.setCurrentIndex(0)


def lab_dialog(state: AppState, patient_id: int, parent: QWidget) -> RecordDialog:
    """The "Record lab result" form."""

    def submit(v: Values) -> object:
        return labs.record_lab_result(
            state.ctx,
            patient_id=patient_id,
            test=v["test"],
            value=v["value"],
            unit=v["unit"],
            taken_on=v["taken_on"],
            source=v["source"],
            ref_low=v["ref_low"],
            ref_high=v["ref_high"],
        )

    choices = labs.lab_test_choices()
    dialog = RecordDialog("Record lab result", submit, parent=parent)
    test = dialog.add_choice("test", "&Test", [(c.code, c.name) for c in choices])
    dialog.add_line("value", "&Value")
    unit = dialog.add_choice("unit", "&Unit", [(u, u) for u in choices[0].units])
    dialog.add_line("ref_low", "Reference range, &low")
    dialog.add_line("ref_high", "Reference range, &high", hint=RANGE_HINT)
    dialog.add_line("taken_on", "&Date taken", hint=DATE_HINT)
    dialog.add_line("source", "&Source", hint="The laboratory or report, e.g. City hospital lab")
    test.currentIndexChanged.connect(lambda index: _fill_units(unit, choices[index]))
    return dialog
