"""Planned surgery and live vaccines from the chart and at the visit's pre-check (issue 13), as
a nurse uses them: the two lists under the courses with their forms (a refusal beside its
field), voiding with a reason, and the warning line in the visit's pre-check area (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView
from test_course import choose, column, course_screen, open_booking, retype, start_infliximab
from test_patient_chart import dialog_of, go_to_tab, named, open_chart, table_texts, type_text
from test_visit import FakeNavigator
from ui_testing import shot

from clinic_app.services import catalogue, courses, patients, surgery, visits
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui


def _patient(ctx) -> int:
    form = PatientForm(mrn="MRN-IFX", family_name="Kowalczyk", given_names="Jan",
                       date_of_birth="1980-04-12", sex="male")  # fmt: skip
    return patients.register_patient(ctx, form=form).id


def test_a_planned_surgery_is_recorded_under_the_courses_with_clear_messages(
    qtbot, app_state, ui_ctx
):
    chart = open_chart(qtbot, app_state, FakeNavigator(), _patient(ui_ctx))
    go_to_tab(chart, "Courses & schedule")
    qtbot.mouseClick(named(chart, QPushButton, "Record planned surgery…"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    dialog = dialog_of(chart)
    type_text(named(dialog, QLineEdit, "Surgery date"), "31.02.2026")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.rows.error_text("planned_on")
    assert "Write the planned procedure" in dialog.rows.error_text("procedure")
    assert "Choose the kind of surgery" in dialog.rows.error_text("kind")
    shot(dialog, "planned_surgery_refused")
    named(dialog, QLineEdit, "Surgery date").clear()
    type_text(named(dialog, QLineEdit, "Surgery date"), "04.05.2026")
    type_text(named(dialog, QLineEdit, "Procedure"), "Hip replacement")
    kind = named(dialog, QComboBox, "Kind")
    kind.setCurrentIndex(kind.findData("septic"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    table = named(chart, QTableView, "Planned surgery")
    assert [table_texts(table, n)[0] for n in range(3)] == [
        "4 May 2026", "Hip replacement", "Septic or high infection risk"]  # fmt: skip
    shot(chart, "chart_surgery_and_vaccines")


def test_a_live_vaccine_is_recorded_and_voided_with_a_reason(qtbot, app_state, ui_ctx):
    patient_id = _patient(ui_ctx)
    chart = open_chart(qtbot, app_state, FakeNavigator(), patient_id)
    go_to_tab(chart, "Courses & schedule")
    qtbot.mouseClick(named(chart, QPushButton, "Record live vaccine…"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    dialog = dialog_of(chart)
    type_text(named(dialog, QLineEdit, "Vaccine"), "Yellow fever")
    type_text(named(dialog, QLineEdit, "Date given or due"), "2026-04-01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "record a future vaccine as due" in dialog.rows.error_text("on_date")
    status = named(dialog, QComboBox, "Given or due")
    status.setCurrentIndex(status.findData("due"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    table = named(chart, QTableView, "Live vaccines (given or due)")
    assert [table_texts(table, n)[0] for n in range(3)] == ["Yellow fever", "Due", "1 Apr 2026"]
    table.selectRow(0)
    qtbot.mouseClick(named(chart, QPushButton, "Void live vaccine…"), Qt.MouseButton.LeftButton)
    void = dialog_of(chart)
    type_text(named(void, QLineEdit, "Reason"), "Trip cancelled")
    qtbot.mouseClick(void.save_button, Qt.MouseButton.LeftButton)
    (entry,) = surgery.list_vaccinations(ui_ctx, patient_id=patient_id)
    assert entry.voided is not None and entry.voided.reason == "Trip cancelled"


def test_the_pre_check_warns_of_a_live_vaccine_and_a_surgery_near_the_dose(
    qtbot, app_state, ui_ctx
):
    patient_id = _patient(ui_ctx)
    for kind in ("tb", "chest_xray", "hepatitis_b"):
        patients.record_screening(ui_ctx, patient_id=patient_id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")  # fmt: skip
    course = courses.start_course(
        ui_ctx, patient_id=patient_id, protocol_id="infliximab", indication_id="crohns",
        mg_per_kg="5", prescriber="Dr Anna Nowak", first_dose="2026-03-02",
    )  # fmt: skip
    first = courses.get_course(ui_ctx, course_id=course.id).appointments[0]
    book_appointment(ui_ctx, appointment_id=first.id, day="2026-03-02", time="10:00",
                     chair="Chair 3", acknowledged=[w.code for w in first.warnings])  # fmt: skip
    surgery.record_vaccination(ui_ctx, patient_id=patient_id, vaccine="BCG", status="given",
                               on_date="2026-02-20")  # fmt: skip
    surgery.record_planned_surgery(ui_ctx, patient_id=patient_id, planned_on="2026-03-20",
                                   procedure="Cataract", kind="clean")  # fmt: skip
    detail = visits.open_visit(ui_ctx, appointment_id=first.id, weight="70")
    widget = VisitWidget(app_state, FakeNavigator(), detail.id)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitExposed(widget)
    line = widget.view.surgery_vaccines
    assert line.isVisible()
    assert line.accessibleName().startswith("Surgery and live vaccines: ⚠ Planned surgery on")
    assert "⚠ Live vaccine BCG given on 20 Feb 2026, 10 days before this dose" in line.text()
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    shot(widget, "visit_surgery_vaccine_warning")


def test_the_schedule_marks_the_dose_in_a_surgery_window_and_its_booking_asks_a_reason(
    qtbot, app_state, ui_ctx
):
    patient_id = _patient(ui_ctx)
    for kind in catalogue.screening_kinds():
        patients.record_screening(ui_ctx, patient_id=patient_id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")  # fmt: skip
    surgery.record_planned_surgery(ui_ctx, patient_id=patient_id, planned_on="2026-04-20",
                                   procedure="Hip replacement", kind="septic")  # fmt: skip
    widget = course_screen(qtbot, app_state, FakeNavigator(),
                           start_infliximab(ui_ctx, patient_id))  # fmt: skip
    warnings = column(widget.model, "Warnings")
    assert warnings[1] == "Surgery window"  # dose 2, 16 March: inside 21 Feb - 17 May
    dialog = open_booking(qtbot, widget, 2)
    retype(named(dialog, QLineEdit, "Day"), "16.03.2026")
    type_text(named(dialog, QLineEdit, "Time"), "09:30")
    choose(named(dialog, QComboBox, "Chair"), "Chair 1")
    text = named(dialog, QLabel, "Booking warning").text()
    assert "Planned surgery on 20 Apr 2026 (Hip replacement" in text
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "the reason is required"
    type_text(named(dialog, QLineEdit, "Reason to book anyway"), "Surgeon agrees, last dose")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert column(widget.model, "Warnings")[1] == (
        "Surgery window — booked anyway: Surgeon agrees, last dose"
    )
    shot(widget, "course_surgery_window")
