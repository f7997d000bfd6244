"""Infliximab in pregnancy where the nurse decides (issue 10): the "Open visit" step shows the
caution with the label's live-vaccine advice and asks for the prescriber's decision as the
reason; it never refuses the visit outright."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from test_visit import book_infliximab, named, open_dialog, type_weight
from ui_testing import shot

from clinic_app.services import patients, visits
from clinic_app.services.chart import get_chart

pytestmark = pytest.mark.gui
DECISION = "Dr Nowak: continue in pregnancy, reviewed at 14 weeks"


def test_pregnancy_asks_for_the_prescribers_decision_with_the_vaccine_advice(
        qtbot, app_state, ui_ctx):
    booking = book_infliximab(ui_ctx, mrn="MRN-PREG")
    patients.add_contraindication(ui_ctx, patient_id=booking.patient_id, code="pregnancy",
                                  note="14 weeks")
    dialog = open_dialog(qtbot, app_state, booking)
    type_weight(qtbot, dialog, "68")
    warnings = dialog.view.warnings
    (decision,) = [w for w in warnings.warnings if w.code == "CONTRAINDICATION_DECISION"]
    assert "6 to 12 months after birth" in decision.message
    assert warnings.is_stop("CONTRAINDICATION_DECISION")
    label = warnings._reason_label.text().replace("&", "")
    assert "a caution that needs the prescriber's decision" in label
    shot(dialog, "open_visit_pregnancy_decision")
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.keyClicks(named(dialog, QLineEdit, "Override reason"), DECISION)
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    visit = get_chart(app_state.ctx, patient_id=booking.patient_id).visits[0]
    detail = visits.get_visit(app_state.ctx, visit_id=visit.id)
    assert detail.dose_plan.override_reason == DECISION
