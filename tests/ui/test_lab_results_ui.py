"""Lab results from the chart and at the visit's pre-check (issue 13), as a nurse uses them:
the Labs tab's form (test from the list, unit prefilled, a refusal beside its field), voiding
with a reason, and the visit showing the latest values with their age and the label's proposal,
asking the prescriber's decision before starting when the table says hold (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableView
from test_patient_chart import dialog_of, go_to_tab, named, open_chart, table_texts, type_text
from test_visit import BASELINE, FakeNavigator, answer_pre_checks, enter_vitals
from ui_testing import shot

from clinic_app.services import courses, labs, patients, visits
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.visit.labs_decision_dialog import LabsDecisionDialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui


def _patient(ctx) -> int:
    form = PatientForm(
        mrn="MRN-TCZ",
        family_name="Wiśniewska",
        given_names="Ewa",
        date_of_birth="1971-06-30",
        sex="female",
    )
    return patients.register_patient(ctx, form=form).id


def test_a_result_is_recorded_from_the_labs_tab_with_clear_messages(qtbot, app_state, ui_ctx):
    chart = open_chart(qtbot, app_state, FakeNavigator(), _patient(ui_ctx))
    go_to_tab(chart, "Labs")
    qtbot.mouseClick(named(chart, QPushButton, "Record lab result…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    test, unit = named(dialog, QComboBox, "Test"), named(dialog, QComboBox, "Unit")
    assert [unit.itemText(n) for n in range(unit.count())] == ["x10^9/L", "/mm3"]
    test.setCurrentIndex(test.findData("alt"))
    assert unit.currentText() == "U/L"
    type_text(named(dialog, QLineEdit, "Value"), "9,5")
    type_text(named(dialog, QLineEdit, "Reference range, high"), "40")
    type_text(named(dialog, QLineEdit, "Date taken"), "2026-03-09")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "decimal" in dialog.rows.error_text("value")
    assert "in the future" in dialog.rows.error_text("taken_on")
    assert "Give the source" in dialog.rows.error_text("source")
    shot(dialog, "lab_result_refused")
    named(dialog, QLineEdit, "Value").clear()
    type_text(named(dialog, QLineEdit, "Value"), "95")
    named(dialog, QLineEdit, "Date taken").clear()
    type_text(named(dialog, QLineEdit, "Date taken"), "27.02.2026")
    type_text(named(dialog, QLineEdit, "Source"), "City hospital lab")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    table = named(chart, QTableView, "Lab results")
    assert [table_texts(table, n)[0] for n in range(6)] == [
        "ALT",
        "95",
        "U/L",
        "up to 40",
        "27 Feb 2026",
        "City hospital lab",
    ]
    shot(chart, "chart_labs_tab")


def test_a_result_is_voided_with_a_reason(qtbot, app_state, ui_ctx):
    patient_id = _patient(ui_ctx)
    labs.record_lab_result(
        ui_ctx,
        patient_id=patient_id,
        test="anc",
        value="0.4",
        unit="x10^9/L",
        taken_on="2026-02-27",
        source="Lab",
    )
    chart = open_chart(qtbot, app_state, FakeNavigator(), patient_id)
    go_to_tab(chart, "Labs")
    table = named(chart, QTableView, "Lab results")
    table.selectRow(0)
    qtbot.mouseClick(named(chart, QPushButton, "Void lab result…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    assert dialog.windowTitle() == "Void lab result"
    type_text(named(dialog, QLineEdit, "Reason"), "Another patient's report")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (entry,) = labs.list_lab_results(ui_ctx, patient_id=patient_id)
    assert entry.voided is not None and entry.voided.reason == "Another patient's report"


def _tocilizumab_visit(qtbot, app_state, ui_ctx, *, anc: str) -> VisitWidget:
    patient_id = _patient(ui_ctx)
    for kind in ("tb", "hepatitis_b"):
        patients.record_screening(
            ui_ctx, patient_id=patient_id, kind=kind, taken_on="2026-02-20", outcome="negative"
        )
    for test, value, unit in (
        ("anc", anc, "x10^9/L"),
        ("platelets", "250", "x10^9/L"),
        ("alt", "30", "U/L"),
        ("ast", "28", "U/L"),
    ):
        labs.record_lab_result(
            ui_ctx,
            patient_id=patient_id,
            test=test,
            value=value,
            unit=unit,
            taken_on="2026-02-27",
            source="City lab",
            ref_high="40" if unit == "U/L" else "",
        )
    course = courses.start_course(
        ui_ctx,
        patient_id=patient_id,
        protocol_id="tocilizumab",
        indication_id="rheumatoid_arthritis",
        mg_per_kg="8",
        prescriber="Dr Anna Nowak",
        first_dose="2026-03-02",
    )
    first = courses.get_course(ui_ctx, course_id=course.id).appointments[0]
    book_appointment(
        ui_ctx,
        appointment_id=first.id,
        day="2026-03-02",
        time="10:00",
        chair="Chair 3",
        acknowledged=[w.code for w in first.warnings],
    )
    detail = visits.open_visit(ui_ctx, appointment_id=first.id, weight="70")
    widget = VisitWidget(app_state, FakeNavigator(), detail.id)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def test_the_pre_check_shows_the_latest_labs_with_their_age_and_the_proposal(
    qtbot, app_state, ui_ctx
):
    widget = _tocilizumab_visit(qtbot, app_state, ui_ctx, anc="1.5")
    panel = widget.view.labs
    assert panel.isVisible() and panel.accessibleName() == "Labs before this dose"
    assert "Neutrophils (ANC) 1.5 x10^9/L — 27 Feb 2026, 3 days old" in panel.latest.text()
    assert panel.proposal.accessibleName().startswith("Labs proposal: Labs propose: Hold the dose")
    assert "under 2000/mm3" in panel.proposal.text()
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    shot(widget, "visit_labs_hold")


def test_starting_on_a_hold_asks_the_prescribers_decision_and_keeps_it(
    qtbot, app_state, ui_ctx, monkeypatch
):
    widget = _tocilizumab_visit(qtbot, app_state, ui_ctx, anc="1.5")
    seen: list[str] = []

    def answer(dialog: LabsDecisionDialog) -> int:
        seen.append(dialog.proposal.text())
        assert not dialog.confirm.isEnabled()
        qtbot.keyClicks(dialog.reason, "Dr Nowak: start, ANC stable")
        return LabsDecisionDialog.DialogCode.Accepted

    monkeypatch.setattr(LabsDecisionDialog, "exec", answer)
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert seen and seen[0].startswith("The labs propose: Hold the dose")
    assert widget.detail is not None and widget.detail.status == "infusing", (
        widget.view.infusion.message.text()
    )
    kept = [e.answer for e in widget.detail.entries if e.item_key == visits.LABS_DECISION_KEY]
    assert kept and kept[0].startswith("Dr Nowak: start, ANC stable (labs proposed: Hold")
    assert not widget.view.labs.isVisible()


def test_normal_labs_read_calmly(qtbot, app_state, ui_ctx):
    widget = _tocilizumab_visit(qtbot, app_state, ui_ctx, anc="4.1")
    assert widget.view.labs.proposal.text() == "Labs propose: Continue"
