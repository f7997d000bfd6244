"""Orders the label does not cover, where the nurse writes them (issue 10): the start-course form
and the change-order form show what the label says as the dose is typed and ask for the
prescriber's reason; the course screen lists the order changes."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton
from test_course import (
    FakeNavigator,
    choose,
    course_screen,
    named,
    start_dialog,
    start_infliximab,
    type_text,
)
from ui_testing import shot

from clinic_app.services import catalogue, courses, patients
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.course.order_dialog import OrderDialog

pytestmark = pytest.mark.gui
REASON = "Dr Nowak: escalation for loss of response, letter of 2026-02-27"


@pytest.fixture
def screened(ui_ctx: ServiceContext) -> int:
    form = PatientForm(mrn="MRN-200", family_name="Nowak", given_names="Zofia",
                       date_of_birth="1975-06-01", sex="female")
    patient_id = patients.register_patient(ui_ctx, form=form).id
    for kind in catalogue.screening_kinds():
        patients.record_screening(ui_ctx, patient_id=patient_id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")
    return patient_id


def _reason_shown(dialog: Any) -> bool:
    return named(dialog, QLineEdit, "Prescriber's reason").isVisibleTo(dialog)


def _warning(dialog: Any) -> QLabel:
    return named(dialog, QLabel, "Order warning")


class TestStartingACourseOutsideTheLabel:
    def test_10_mg_per_kg_for_crohns_disease_asks_for_the_prescribers_reason(
            self, qtbot, app_state, screened):
        dialog = start_dialog(qtbot, app_state, screened)
        choose(named(dialog, QComboBox, "Protocol"), "infliximab")
        choose(named(dialog, QComboBox, "Indication"), "crohns")
        dose = named(dialog, QLineEdit, "Dose (mg/kg)")
        type_text(dose, "5")
        assert not _warning(dialog).isVisibleTo(dialog) and not _reason_shown(dialog)
        type_text(dose, "0")  # 50 mg/kg: above the hard ceiling, no label warning yet
        dose.clear()
        type_text(dose, "10")
        assert _warning(dialog).isVisibleTo(dialog) and _reason_shown(dialog)
        assert "5 mg/kg for Crohn's disease" in _warning(dialog).text()
        type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
        shot(dialog, "start_course_above_label")
        saved: list[Any] = []
        dialog.saved.connect(saved.append)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and saved == []
        assert "prescriber's reason" in _warning(dialog).text()
        type_text(named(dialog, QLineEdit, "Prescriber's reason"), REASON)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert len(saved) == 1 and not dialog.isVisible()
        detail = courses.get_course(app_state.ctx, course_id=saved[0].id)
        assert detail.start_override_reason == REASON

    def test_a_fixed_dose_drug_at_another_dose_asks_for_a_reason(self, qtbot, app_state,
                                                                 screened):
        dialog = start_dialog(qtbot, app_state, screened)
        choose(named(dialog, QComboBox, "Protocol"), "vedolizumab")
        type_text(named(dialog, QLineEdit, "Dose (mg)"), "150")
        assert "150 mg is off-label" in _warning(dialog).text() and _reason_shown(dialog)
        named(dialog, QLineEdit, "Dose (mg)").clear()
        type_text(named(dialog, QLineEdit, "Dose (mg)"), "300")
        assert not _warning(dialog).isVisibleTo(dialog) and not _reason_shown(dialog)

    def test_the_pjia_hint_gives_the_label_maximum_of_each_weight_band(self, qtbot, app_state,
                                                                      screened):
        dialog = start_dialog(qtbot, app_state, screened)
        choose(named(dialog, QComboBox, "Protocol"), "tocilizumab")
        choose(named(dialog, QComboBox, "Indication"), "polyarticular_jia")
        hint = named(dialog, QLineEdit, "Dose (mg/kg)").accessibleDescription()
        assert ("Label maximum by weight: 10 mg/kg under 30 kg, 8 mg/kg at 30 kg or more"
                in hint)


class TestChangingTheOrder:
    def _dialog(self, qtbot, app_state, navigator, patient_id) -> tuple[Any, OrderDialog]:
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, patient_id))
        qtbot.mouseClick(named(widget, QPushButton, "Change order…"),
                         Qt.MouseButton.LeftButton)
        (dialog,) = [d for d in widget.findChildren(OrderDialog) if d.isVisible()]
        return widget, dialog

    def test_an_escalation_above_the_indications_maximum_needs_the_prescribers_reason(
            self, qtbot, app_state, screened):
        navigator = FakeNavigator()
        widget, dialog = self._dialog(qtbot, app_state, navigator, screened)
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "10")
        assert "5 mg/kg for Crohn's disease" in _warning(dialog).text()
        type_text(named(dialog, QPlainTextEdit, "Why (change)"), "Loss of response at week 30")
        shot(dialog, "change_order_above_label")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        type_text(named(dialog, QLineEdit, "Prescriber's reason"), REASON)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: "10 mg/kg" in widget.order.text())
        changes = named(widget, QLabel, "Order and interval changes").text()
        assert "Order changes:" in changes and f"outside the label, reason: {REASON}" in changes

    def test_moving_to_crohns_loss_of_response_at_10_mg_per_kg_needs_no_reason(
            self, qtbot, app_state, screened):
        navigator = FakeNavigator()
        widget, dialog = self._dialog(qtbot, app_state, navigator, screened)
        choose(named(dialog, QComboBox, "Indication"), "crohns_loss_of_response")
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "10")
        assert not _warning(dialog).isVisibleTo(dialog) and not _reason_shown(dialog)
        type_text(named(dialog, QPlainTextEdit, "Why (change)"), "Lost response")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        qtbot.waitUntil(lambda: "loss of response" in widget.order.text())
        assert "Dr Ewa Nowak: Lost response" in named(
            widget, QLabel, "Order and interval changes").text()
