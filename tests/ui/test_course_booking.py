"""Booking a dose as a nurse does it: the typed day's warnings appear under the day before Book
is pressed, the reason or the tick they need opens at once, a bad form shows every message at
once, and the course screen shows why a dose was booked anyway. Screens with the demo data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import test_course
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QMessageBox
from test_course import (
    FakeNavigator,
    choose,
    column,
    course_screen,
    named,
    open_booking,
    retype,
    start_dialog,
    start_infliximab,
    type_text,
)
from ui_testing import shot

from clinic_app.services import catalogue, courses, patients
from clinic_app.services.chart import get_chart
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.course_view import CourseWidget

pytestmark = pytest.mark.gui

# The course screen's fixtures, shared with test_course.
navigator = test_course.navigator
patient_id = test_course.patient_id
screened = test_course.screened


def day_warning(dialog: Any) -> QLabel:
    return named(dialog, QLabel, "Booking warning")


def reason_field(dialog: Any) -> QLineEdit:
    return named(dialog, QLineEdit, "Reason to book anyway")


def tick(dialog: Any) -> QCheckBox:
    return named(dialog, QCheckBox, "I have read these warnings; book anyway")


class TestTheTypedDay:
    def test_a_day_too_early_is_warned_and_asks_for_a_reason_before_book_is_pressed(
            self, qtbot, app_state, navigator, screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = open_booking(qtbot, widget, 2)
        assert not day_warning(dialog).isVisibleTo(dialog)
        assert not reason_field(dialog).isVisibleTo(dialog)
        retype(named(dialog, QLineEdit, "Day"), "13.03.2026")
        text = day_warning(dialog).text()
        assert day_warning(dialog).isVisibleTo(dialog)
        assert "Too early" in text and "11 days after dose 1" in text
        assert "Give a reason below" in text
        assert reason_field(dialog).isVisibleTo(dialog)
        assert not tick(dialog).isVisibleTo(dialog)  # the reason answers every warning
        shot(dialog, "booking_day_too_early")
        type_text(named(dialog, QLineEdit, "Time"), "09:30")
        choose(named(dialog, QComboBox, "Chair"), "Chair 1")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible(), "the reason is required"
        assert "Give a reason to book anyway" in day_warning(dialog).text()
        assert column(widget.model, "Booked")[1] == ""
        type_text(reason_field(dialog), "Travels abroad on 16 March")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Warnings")[1].startswith(
            "Too early, Outside window — booked anyway: Travels abroad on 16 March")
        widget.table.selectRow(1)
        assert "Booked anyway — reason: Travels abroad on 16 March" in widget.dose_label.text()

    def test_a_closed_day_asks_for_the_tick_and_a_tick_books_it(self, qtbot, app_state,
                                                                 navigator, screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = open_booking(qtbot, widget, 4)  # due Monday 2026-06-08
        retype(named(dialog, QLineEdit, "Day"), "06.06.2026")
        assert "Closed day" in day_warning(dialog).text()
        assert "Tick below" in day_warning(dialog).text()
        assert tick(dialog).isVisibleTo(dialog) and not reason_field(dialog).isVisibleTo(dialog)
        tick(dialog).setChecked(True)
        retype(named(dialog, QLineEdit, "Day"), "07.06.2026")
        assert not tick(dialog).isChecked(), "a tick answers only the day it was given for"
        retype(named(dialog, QLineEdit, "Day"), "06.06.2026")
        tick(dialog).setChecked(True)
        type_text(named(dialog, QLineEdit, "Time"), "10:00")
        choose(named(dialog, QComboBox, "Chair"), "Chair 2")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Booked")[3] == "Sat 6 Jun 2026"

    def test_moving_back_to_a_good_day_clears_the_warning(self, qtbot, app_state, navigator,
                                                         screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = open_booking(qtbot, widget, 2)
        retype(named(dialog, QLineEdit, "Day"), "13.03.2026")
        assert day_warning(dialog).isVisibleTo(dialog)
        retype(named(dialog, QLineEdit, "Day"), "16.03.2026")
        assert not day_warning(dialog).isVisibleTo(dialog)
        assert not reason_field(dialog).isVisibleTo(dialog)

    def test_screening_due_is_in_view_when_booking_and_stays_on_the_booked_dose(
            self, qtbot, app_state, navigator, patient_id):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, patient_id))
        dialog = open_booking(qtbot, widget, 1)
        assert "SCREENING_DUE" in dialog.panel.text()
        type_text(named(dialog, QLineEdit, "Time"), "10:00")
        choose(named(dialog, QComboBox, "Chair"), "Chair 3")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Status")[0] == "Booked"
        assert "Screening due" in column(widget.model, "Warnings")[0]


class TestEveryMessageAtOnce:
    def test_a_booking_with_three_bad_fields_shows_three_messages(self, qtbot, app_state,
                                                                  navigator, screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = open_booking(qtbot, widget, 2)
        retype(named(dialog, QLineEdit, "Day"), "2026-03-01")
        type_text(named(dialog, QLineEdit, "Time"), "9am")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "in the past" in dialog.rows.error_text("day")
        assert "not a time" in dialog.rows.error_text("time")
        assert "Chair is required" in dialog.rows.error_text("chair")
        assert dialog.focusWidget() is named(dialog, QLineEdit, "Day")

    def test_a_start_course_form_with_three_bad_fields_shows_three_messages(
            self, qtbot, app_state, patient_id):
        dialog = start_dialog(qtbot, app_state, patient_id)
        protocol = named(dialog, QComboBox, "Protocol")
        protocol.setCurrentIndex(protocol.findData("infliximab"))
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "five")
        retype(named(dialog, QLineEdit, "First dose"), "2026-03-01")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "'five' is not a number" in dialog.rows.error_text("mg_per_kg")
        assert "Prescriber is required" in dialog.rows.error_text("prescriber")
        assert "in the past" in dialog.rows.error_text("first_dose")
        assert dialog.focusWidget() is named(dialog, QLineEdit, "Dose (mg/kg)")
        shot(dialog, "start_course_three_errors")
        assert get_chart(app_state.ctx, patient_id=patient_id).courses == ()

    def test_a_dose_left_empty_is_refused_under_the_dose_never_taken_from_the_label(
            self, qtbot, app_state, patient_id):
        dialog = start_dialog(qtbot, app_state, patient_id)
        protocol = named(dialog, QComboBox, "Protocol")
        protocol.setCurrentIndex(protocol.findData("infliximab"))
        dose = named(dialog, QLineEdit, "Dose (mg/kg)")
        assert dose.text() == "" and "5 mg/kg" in dose.placeholderText()
        retype(named(dialog, QLineEdit, "First dose"), "2026-03-01")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "Type the dose from the prescription" in dialog.rows.error_text("mg_per_kg")
        assert "Prescriber is required" in dialog.rows.error_text("prescriber")
        assert "in the past" in dialog.rows.error_text("first_dose")
        assert dialog.focusWidget() is dose
        shot(dialog, "start_course_dose_missing")
        assert get_chart(app_state.ctx, patient_id=patient_id).courses == ()


    def test_an_interval_change_with_two_bad_fields_shows_both(self, qtbot, app_state,
                                                               navigator, screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = widget.change_interval()
        assert dialog is not None
        retype(named(dialog, QLineEdit, "From dose"), "2")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "from dose 4 on" in dialog.rows.error_text("from_dose")
        assert "Reason is required" in dialog.rows.error_text("reason")
        assert dialog.focusWidget() is named(dialog, QLineEdit, "From dose")
        shot(dialog, "interval_two_errors")


def demo_course(state: AppState, name: str) -> int:
    found = patients.search_patients(state.ctx, text=name)[0]
    return get_chart(state.ctx, patient_id=found.id).courses[0].id


def test_the_course_screen_and_its_dialogs_with_the_demo_data(qtbot, demo_state):
    navigator = FakeNavigator()
    widget = course_screen(qtbot, demo_state, navigator, demo_course(demo_state, "Wąsowicz"))
    assert column(widget.model, "Warnings")[5] == "Overdue, Gap review"
    shot(widget, "demo_course_overdue")
    dialog = widget.book_selected()
    assert dialog is not None
    assert "Gap review" in day_warning(dialog).text()
    assert reason_field(dialog).isVisibleTo(dialog)
    assert "GAP_REVIEW" not in dialog.panel.text(), "said once, for the typed day"
    shot(dialog, "demo_booking_gap_review")
    dialog.done(0)
    interval = widget.change_interval()
    assert interval is not None
    shot(interval, "demo_interval")
    interval.done(0)
    start = start_dialog(qtbot, demo_state, widget.detail.course.patient_id)
    shot(start, "demo_start_course")


def test_a_dose_booked_early_on_the_demo_data_reads_why(qtbot, demo_state):
    course_id = demo_course(demo_state, "Соколов")
    detail = courses.get_course(demo_state.ctx, course_id=course_id)
    booked = next(a for a in detail.appointments if a.status == "booked")
    window_opens = detail.plan.doses[booked.dose_number - 1].earliest
    courses.book_appointment(demo_state.ctx, appointment_id=booked.id,
                             day=window_opens - timedelta(days=3), time="09:00",
                             chair="Chair 2", override_reason="Holiday booked; Dr Nowak agreed")
    widget: CourseWidget = course_screen(qtbot, demo_state, FakeNavigator(), course_id)
    row = column(widget.model, "Dose").index(str(booked.dose_number))
    widget.table.selectRow(row)
    assert "booked anyway: Holiday booked; Dr Nowak agreed" in column(
        widget.model, "Warnings")[row]
    assert "Holiday booked" in widget.dose_label.text()
    shot(widget, "demo_course_booked_early")


class TestTheChair:
    def test_a_chair_is_chosen_and_an_overlap_is_refused_beside_it_at_1024x600(
            self, qtbot, app_state, navigator, screened):
        _book_another_patient(app_state.ctx, day="2026-03-16", time="09:00", chair="Chair 2")
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        dialog = open_booking(qtbot, widget, 2)
        dialog.resize(1024, 600)
        chair = named(dialog, QComboBox, "Chair")
        assert chair.currentData() == ""  # the nurse chooses; nothing is assumed
        assert [chair.itemData(i) for i in range(1, 4)] == ["Chair 1", "Chair 2", "Chair 3"]
        retype(named(dialog, QLineEdit, "Day"), "16.03.2026")
        type_text(named(dialog, QLineEdit, "Time"), "10:00")
        choose(chair, "Chair 2")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        message = dialog.rows.error_text("chair")
        assert message.startswith("Chair 2 is taken from 09:00 to 13:30 by another booking")
        assert dialog.size().width() <= 1024 and dialog.size().height() <= 600
        shot(dialog, "booking_chair_taken")
        choose(chair, "Chair 3")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Booked")[1].startswith("Mon 16 Mar 2026")


def _book_another_patient(ctx: Any, *, day: str, time: str, chair: str) -> None:
    """Another screened patient's first infliximab dose booked in ``chair`` (09:00-13:30)."""
    form = PatientForm(mrn="MRN-200", family_name="Other", given_names="Olga",
                                date_of_birth="1975-05-05", sex="female")
    other = patients.register_patient(ctx, form=form).id
    for kind in catalogue.screening_kinds():
        patients.record_screening(ctx, patient_id=other, kind=kind, taken_on="2026-02-20",
                                  outcome="negative")
    course = courses.start_course(ctx, patient_id=other, protocol_id="infliximab",
                                  indication_id="crohns", mg_per_kg="5",
                                  prescriber="Dr Ewa Nowak", first_dose=day)
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    courses.book_appointment(ctx, appointment_id=first.id, day=day, time=time, chair=chair,
                             acknowledged=[w.code for w in first.warnings])


def _answer_conflict(monkeypatch: Any, choice: str) -> list[str]:
    """Answer the conflict question with the button ``choice``; record the questions."""
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:
        asked.append(box.informativeText())
        (button,) = [b for b in box.buttons() if b.text() == choice]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return asked


class TestAConflict:
    """The booking was moved on another workstation while the dialog was open (issue 12:
    conflict messages with "reload keeping my changes")."""

    def _booked_and_moved(self, qtbot: Any, app_state: AppState, navigator: Any,
                          screened: int) -> tuple[Any, Any]:
        ctx = app_state.ctx
        course_id = start_infliximab(ctx, screened)
        first = courses.get_course(ctx, course_id=course_id).appointments[0]
        courses.book_appointment(ctx, appointment_id=first.id, day="2026-03-03", time="10:00",
                                 chair="Chair 3")
        widget = course_screen(qtbot, app_state, navigator, course_id)
        dialog = open_booking(qtbot, widget, 1)
        retype(named(dialog, QLineEdit, "Time"), "11:30")  # the nurse moves the time
        booked = courses.get_course(ctx, course_id=course_id).appointments[0]
        courses.book_appointment(ctx, appointment_id=first.id, day="2026-03-03", time="10:00",
                                 chair="Chair 1", expected_version=booked.version)
        return widget, dialog

    def test_reload_keeps_what_was_typed_and_shows_their_change(
            self, qtbot, app_state, navigator, screened, monkeypatch):
        widget, dialog = self._booked_and_moved(qtbot, app_state, navigator, screened)
        asked = _answer_conflict(monkeypatch, "&Reload keeping my changes")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 1 and "UTC" not in asked[0]
        assert dialog.isVisible()
        assert named(dialog, QLineEdit, "Time").text() == "11:30"  # mine, kept
        assert named(dialog, QComboBox, "Chair").currentData() == "Chair 1"  # theirs
        assert named(dialog, QLineEdit, "Day").text() == "2026-03-03"
        assert "Now booked Tue 3 Mar 2026 10:00, Chair 1." in dialog.intro.text()
        assert dialog.has_unsaved_input()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Booked")[0] == "Tue 3 Mar 2026"
        stored = courses.get_course(app_state.ctx, course_id=widget.course_id).appointments[0]
        assert (stored.time.isoformat(timespec="minutes"), stored.chair) == ("11:30", "Chair 1")

    def test_discard_closes_and_keeps_their_change(
            self, qtbot, app_state, navigator, screened, monkeypatch):
        widget, dialog = self._booked_and_moved(qtbot, app_state, navigator, screened)
        _answer_conflict(monkeypatch, "&Discard my changes")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        stored = courses.get_course(app_state.ctx, course_id=widget.course_id).appointments[0]
        assert (stored.time.isoformat(timespec="minutes"), stored.chair) == ("10:00", "Chair 1")
