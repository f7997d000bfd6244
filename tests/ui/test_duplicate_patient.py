"""Registering a patient already on file (same names and date of birth) asks first."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_patient_form import GOOD, fill
from ui_testing import shot

from clinic_app.services import patients
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.patient_form import PatientFormDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def on_file(ui_ctx: ServiceContext) -> str:
    form = PatientForm(mrn="MRN-100", family_name="Żółć", given_names="Łukasz",
                       date_of_birth="1986-04-12", sex="male")
    return patients.register_patient(ui_ctx, form=form).mrn


@pytest.fixture
def dialog(qtbot: Any, app_state: AppState) -> PatientFormDialog:
    form = PatientFormDialog(app_state)
    qtbot.addWidget(form)
    form.resize(560, 700)
    form.show()
    return form


def test_a_duplicate_is_refused_until_register_anyway_is_ticked(
        qtbot, dialog, app_state, on_file):
    saved = []
    dialog.patient_saved.connect(saved.append)
    fill(dialog, {**GOOD, "mrn": "MRN-200", "family_name": "Zolc", "given_names": "Lukasz",
                  "date_of_birth": "12.04.1986"}, sex="male")
    assert not dialog.register_anyway.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not saved
    assert dialog.duplicate_message.isVisible()
    assert f"MRN {on_file}" in dialog.duplicate_message.text()
    assert dialog.register_anyway.isVisible() and dialog.register_anyway.hasFocus()
    shot(dialog, "register_duplicate")
    qtbot.keyClick(dialog.register_anyway, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved and saved[0].mrn == "MRN-200"


def test_changing_the_name_after_the_warning_clears_the_tick(qtbot, dialog, on_file):
    fill(dialog, {**GOOD, "family_name": "Żółć", "given_names": "Łukasz",
                  "date_of_birth": "1986-04-12"}, sex="male")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.register_anyway.setChecked(True)
    qtbot.keyClicks(dialog.rows.input("given_names"), "x")
    assert not dialog.register_anyway.isChecked() and not dialog.register_anyway.isVisible()
