"""A vedolizumab visit's own pre-infusion questions on the visit screen: new or worsening
neurological signs (progressive multifocal leukoencephalopathy, US label) before each dose, and
the live-vaccine question worded as the label's caution, not as a contraindication."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea
from test_visit import (
    BASELINE,
    Booking,
    answer_pre_checks,
    enter_vitals,
    open_visit_widget,
    shot,
)

from clinic_app.services import catalogue, courses, patients, visits
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.visit.correction_dialog import CorrectionDialog

pytestmark = pytest.mark.gui

PML = "pre.pml_symptoms"


@pytest.fixture
def vedolizumab(ui_ctx) -> Booking:
    """Zofia Wójcik (allergic to latex), vedolizumab 300 mg for
    ulcerative colitis, dose 1 today at 10:00."""
    patient = patients.register_patient(ui_ctx, form=PatientForm(
        mrn="MRN-VED1", family_name="Wójcik", given_names="Zofia", date_of_birth="1975-06-14",
        sex="female"))
    patients.add_allergy(ui_ctx, patient_id=patient.id, substance="Latex", reaction="rash")
    for kind in catalogue.screening_kinds():
        patients.record_screening(ui_ctx, patient_id=patient.id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")
    course = courses.start_course(ui_ctx, patient_id=patient.id, protocol_id="vedolizumab",
                                  indication_id="ulcerative_colitis", fixed_mg="300",
                                  prescriber="Dr Anna Nowak", first_dose="2026-03-02")
    first = courses.get_course(ui_ctx, course_id=course.id).appointments[0]
    book_appointment(ui_ctx, appointment_id=first.id, day="2026-03-02", time="10:00",
                     chair="Chair 3")
    return Booking(patient.id, course.id, first.id)


def texts(row) -> str:
    return " ".join(label.text() for label in row.findChildren(QLabel))


def test_a_yes_to_new_neurological_signs_says_hold_and_tell_the_prescriber(
        qtbot, app_state, vedolizumab, monkeypatch):
    widget = open_visit_widget(qtbot, app_state, vedolizumab)
    row = widget.view.pre_checks.rows[PML]
    assert "New or worsening neurological signs or symptoms" in texts(row)
    assert "weakness on one side of the body" in texts(row)
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    assert not row.action.isVisible()

    def give_reason(dialog: CorrectionDialog) -> int:  # the saved "No" changes: a correction
        qtbot.keyClicks(dialog.reason, "patient reports new tingling in the left hand")
        return CorrectionDialog.DialogCode.Accepted

    monkeypatch.setattr(CorrectionDialog, "exec", give_reason)
    qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)
    assert row.action.isVisible()
    assert "hold the dose and tell the prescriber today" in row.action.text()
    assert "progressive multifocal leukoencephalopathy (PML)" in row.action.text()
    entries = visits.get_visit(app_state.ctx, visit_id=widget.visit_id).entries
    assert [e.answer for e in entries if e.item_key == PML] == ["no", "yes"]
    scroll = next(w for w in widget.findChildren(QScrollArea) if w.isAncestorOf(row))
    qtbot.wait(50)  # the row's new action line is laid out before scrolling to it
    scroll.ensureWidgetVisible(row, 50, 200)
    shot(widget, "visit_vedolizumab_pml_yes")
    panel = widget.view.infusion
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    assert panel.blockers.isVisible()
    assert "neurological signs" in panel.blockers.text()
    assert widget.detail.status == "checked_in"


def test_no_to_the_pml_question_lets_the_infusion_start(qtbot, app_state, vedolizumab):
    widget = open_visit_widget(qtbot, app_state, vedolizumab)
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    assert not widget.view.pre_checks.rows[PML].action.isVisible()
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "infusing"


def test_the_live_vaccine_answer_shows_vedolizumabs_caution(qtbot, app_state, vedolizumab):
    widget = open_visit_widget(qtbot, app_state, vedolizumab)
    row = widget.view.pre_checks.rows["pre.live_vaccine"]
    qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)
    assert "a caution, not a contraindication" in row.action.text()
    assert "contraindicated" not in row.action.text()
