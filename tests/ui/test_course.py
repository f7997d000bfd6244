"""Courses as a nurse works them: start one from a protocol, read the planned schedule, book and
reschedule (with the override reason asked where the domain wants one), change the interval,
print the handout."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
)
from ui_testing import called, shot

from clinic_app.domain.dates import MONTHS
from clinic_app.services import catalogue, courses, patients
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.booking_dialog import BookingDialog
from clinic_app.ui.course.course_view import CourseWidget
from clinic_app.ui.course.interval_dialog import IntervalDialog
from clinic_app.ui.course.schedule_model import COLUMNS, ScheduleModel
from clinic_app.ui.course.start_dialog import StartCourseDialog

pytestmark = pytest.mark.gui


class FakeNavigator:
    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []
        self.pdfs: list[tuple[str, bytes, str]] = []

    def open_chart(self, patient_id: int) -> None:
        self.opened.append(("chart", patient_id))

    def open_course(self, course_id: int) -> None:
        self.opened.append(("course", course_id))

    def open_visit(self, visit_id: int) -> None:
        self.opened.append(("visit", visit_id))

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.pdfs.append((title, data, suggested_name))


def shown_day(text: str) -> date:
    """The day a "Due" cell shows ("Mon 2 Mar 2026", the clinic format)."""
    _weekday, day, month, year = text.split()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def type_text(widget: Any, text: str) -> None:
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def retype(widget: QLineEdit, text: str) -> None:
    widget.clear()
    type_text(widget, text)


def named(parent: Any, cls: type, name: str) -> Any:
    found = [w for w in parent.findChildren(cls) if called(w, name)]
    assert len(found) == 1, f"no single {cls.__name__} named {name!r}"
    return found[0]


def choose(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


def column(model: Any, name: str) -> list[str]:
    col = COLUMNS.index(name)
    return [model.index(row, col).data() for row in range(model.rowCount())]


@pytest.fixture
def navigator() -> FakeNavigator:
    return FakeNavigator()


@pytest.fixture
def patient_id(ui_ctx: ServiceContext) -> int:
    form = PatientForm(mrn="MRN-100", family_name="Żółć", given_names="Łukasz",
                       date_of_birth="1980-02-29", sex="male")
    return patients.register_patient(ui_ctx, form=form).id


@pytest.fixture
def screened(ui_ctx: ServiceContext, patient_id: int) -> int:
    for kind in catalogue.screening_kinds():
        patients.record_screening(ui_ctx, patient_id=patient_id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")
    return patient_id


def start_dialog(qtbot: Any, state: AppState, patient_id: int) -> StartCourseDialog:
    dialog = StartCourseDialog(state, patient_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def start_infliximab(ui_ctx: ServiceContext, patient_id: int) -> int:
    return courses.start_course(ui_ctx, patient_id=patient_id, protocol_id="infliximab",
                                indication_id="crohns", mg_per_kg="5",
                                prescriber="Dr Ewa Nowak", first_dose="2026-03-02").id


def course_screen(qtbot: Any, state: AppState, navigator: FakeNavigator,
                  course_id: int) -> CourseWidget:
    widget = CourseWidget(state, navigator, course_id)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_booking(qtbot: Any, widget: CourseWidget, dose_number: int) -> BookingDialog:
    table = named(widget, QTableView, "Planned schedule")
    table.selectRow(column(widget.model, "Dose").index(str(dose_number)))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    found = [d for d in widget.findChildren(BookingDialog) if d.isVisible()]
    assert len(found) == 1
    return found[0]


class TestStartingACourse:
    def test_the_dose_field_follows_the_protocols_dosing_mode(self, qtbot, app_state,
                                                              patient_id):
        dialog = start_dialog(qtbot, app_state, patient_id)
        protocol = named(dialog, QComboBox, "Protocol")
        choose(protocol, "infliximab")
        assert dialog.mg_per_kg.isVisibleTo(dialog) and not dialog.fixed_mg.isVisibleTo(dialog)
        indication = named(dialog, QComboBox, "Indication")
        choose(indication, "rheumatoid_arthritis")
        assert dialog.mg_per_kg.text() == ""
        assert dialog.mg_per_kg.placeholderText() == \
            "label: 3 mg/kg for Rheumatoid arthritis (with methotrexate)"
        hint = named(dialog, QLineEdit, "Dose (mg/kg)").accessibleDescription()
        assert "Label range 3–10 mg/kg" in hint
        assert named(dialog, QLabel, "Dose hint").text().replace("\u2060", "") == hint
        shot(dialog, "start_course")
        choose(protocol, "anifrolumab")
        assert dialog.fixed_mg.isVisibleTo(dialog) and not dialog.mg_per_kg.isVisibleTo(dialog)
        assert dialog.fixed_mg.text() == ""
        assert dialog.fixed_mg.placeholderText().startswith("label: 300 mg for ")
        assert "Fixed dose" in named(dialog, QLabel, "Dose hint").text()
        assert [indication.itemData(n) for n in range(indication.count())] == ["sle"]

    def test_an_infliximab_course_shows_weeks_0_2_6_then_every_8(
            self, qtbot, app_state, navigator, screened):
        dialog = start_dialog(qtbot, app_state, screened)
        choose(named(dialog, QComboBox, "Protocol"), "infliximab")
        choose(named(dialog, QComboBox, "Indication"), "crohns")
        assert named(dialog, QLineEdit, "Dose (mg/kg)").text() == ""
        assert "5 mg/kg for Crohn's disease" in dialog.mg_per_kg.placeholderText()
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "5")
        type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
        assert named(dialog, QLineEdit, "First dose").text() == "2026-03-02"
        saved = []
        dialog.saved.connect(saved.append)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        widget = course_screen(qtbot, app_state, navigator, saved[0].id)
        model = widget.model
        assert column(model, "Dose")[:5] == ["1", "2", "3", "4", "5"]
        assert column(model, "Phase")[:5] == ["Induction"] * 3 + ["Maintenance"] * 2
        dues = [shown_day(text) for text in column(model, "Due")[:5]]
        weeks = [(d - dues[0]).days / 7 for d in dues]
        assert weeks == [0, 2, 6, 14, 22]
        assert "Crohn's disease" in widget.order.text() and "5 mg/kg" in widget.order.text()
        assert widget.title.text() == "Infliximab — ŻÓŁĆ, Łukasz"

    def test_bad_orders_are_shown_beside_their_fields(self, qtbot, app_state, patient_id):
        dialog = start_dialog(qtbot, app_state, patient_id)
        choose(named(dialog, QComboBox, "Protocol"), "infliximab")
        dose = named(dialog, QLineEdit, "Dose (mg/kg)")
        first = named(dialog, QLineEdit, "First dose")
        prescriber = named(dialog, QLineEdit, "Prescriber")
        for field, text, message in (("mg_per_kg", "five", "not a number"),
                                     ("mg_per_kg", "25", "hard ceiling"),
                                     ("prescriber", "", "Prescriber is required"),
                                     ("first_dose", "2026-03-01", "in the past"),
                                     ("first_dose", "30.02.2026", "not a real calendar date")):
            retype(dose, text if field == "mg_per_kg" else "5")
            retype(prescriber, text if field == "prescriber" else "Dr Ewa Nowak")
            retype(first, text if field == "first_dose" else "2026-03-02")
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            assert dialog.isVisible()
            assert message in dialog.rows.error_text(field), (field, text)
        assert get_chart(app_state.ctx, patient_id=patient_id).courses == ()

    def test_a_contraindication_on_file_refuses_the_course_in_a_dialog(
            self, qtbot, app_state, patient_id, monkeypatch):
        patients.add_contraindication(app_state.ctx, patient_id=patient_id,
                                      code="demyelinating_disease", note="MS since 2015")
        shown: list[str] = []

        def capture(box: QMessageBox) -> int:
            shown.append(box.text())
            return int(QMessageBox.StandardButton.Ok)

        monkeypatch.setattr(QMessageBox, "exec", capture)
        dialog = start_dialog(qtbot, app_state, patient_id)
        choose(named(dialog, QComboBox, "Protocol"), "infliximab")
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "5")
        type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert len(shown) == 1 and "contraindicated" in shown[0].lower()
        assert named(dialog, QLineEdit, "Prescriber").text() == "Dr Ewa Nowak"


class TestTheSchedule:
    def test_missing_screening_is_shown_in_the_course_warnings(self, qtbot, app_state,
                                                               navigator, patient_id):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, patient_id))
        first = column(widget.model, "Warnings")[0]
        assert "Screening due" in first
        assert "SCREENING_DUE" in widget.dose_warnings.text()

    def test_booking_a_day_too_early_asks_for_a_reason(self, qtbot, app_state, navigator,
                                                       screened):
        course_id = start_infliximab(app_state.ctx, screened)
        widget = course_screen(qtbot, app_state, navigator, course_id)
        dialog = open_booking(qtbot, widget, 1)
        type_text(named(dialog, QLineEdit, "Time"), "10:00")
        choose(named(dialog, QComboBox, "Chair"), "Chair 3")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Booked")[0] == "Mon 2 Mar 2026"
        dialog = open_booking(qtbot, widget, 2)
        reason = named(dialog, QLineEdit, "Reason to book anyway")
        assert not reason.isVisibleTo(dialog)
        retype(named(dialog, QLineEdit, "Day"), "13.03.2026")
        type_text(named(dialog, QLineEdit, "Time"), "09:30")
        choose(named(dialog, QComboBox, "Chair"), "Chair 1")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and reason.isVisibleTo(dialog)
        shot(dialog, "booking_override")
        warning = named(dialog, QLabel, "Booking warning").text()
        assert "14 days" in warning or "too early" in warning.lower()
        assert column(widget.model, "Booked")[1] == ""
        named(dialog, QCheckBox, "I have read these warnings; book anyway").setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # a tick is not enough: TOO_EARLY needs a reason
        type_text(reason, "Patient travels abroad on 16 March; agreed with Dr Nowak")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert column(widget.model, "Booked")[1] == "Fri 13 Mar 2026"
        assert "Too early" in column(widget.model, "Warnings")[1]
        widget.table.selectRow(1)
        assert "Patient travels abroad" in widget.dose_label.text()

    def test_changing_the_interval_replans_the_maintenance_doses(self, qtbot, app_state,
                                                                 navigator, screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        assert QTest.qWaitForWindowActive(widget)
        qtbot.keyClick(widget.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
        found = [d for d in widget.findChildren(IntervalDialog) if d.isVisible()]
        assert len(found) == 1
        dialog = found[0]
        assert named(dialog, QLineEdit, "From dose").text() == "4"
        assert "every 8 weeks after induction" in widget.order.text()
        weeks = named(dialog, QComboBox, "Every")
        assert [weeks.itemData(n) for n in range(weeks.count())] == ["4", "6", "8"]
        choose(weeks, "4")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "Reason is required" in dialog.rows.error_text("reason")
        type_text(dialog.reason, "Loss of response; escalate")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        dues = [shown_day(t) for t in column(widget.model, "Due")[3:6]]
        assert [(b - a).days for a, b in pairwise(dues)] == [28, 28]
        assert "every 4 weeks" in widget.changes.text()
        assert "every 4 weeks after induction" in widget.order.text()

    def test_a_stopped_course_offers_no_booking_and_no_interval_change(
            self, qtbot, app_state, navigator, screened):
        course_id = start_infliximab(app_state.ctx, screened)
        courses.stop_course(app_state.ctx, course_id=course_id, reason="Remission; prescriber")
        widget = course_screen(qtbot, app_state, navigator, course_id)
        assert column(widget.model, "Status")[0] == "Cancelled"
        assert not widget.book_button.isEnabled()
        assert not widget.interval_button.isEnabled()
        assert widget.book_selected() is None and widget.change_interval() is None

    def test_the_handout_is_previewed_from_the_course(self, qtbot, app_state, navigator,
                                                      screened):
        widget = course_screen(qtbot, app_state, navigator,
                               start_infliximab(app_state.ctx, screened))
        qtbot.mouseClick(widget.print_button, Qt.MouseButton.LeftButton)
        assert [(t, d[:4]) for t, d, _n in navigator.pdfs] == [("Schedule handout", b"%PDF")]

    def test_screenshot_of_the_course_screen(self, qtbot, app_state, navigator, patient_id):
        ctx = app_state.ctx
        course_id = start_infliximab(ctx, patient_id)
        first, second = courses.get_course(ctx, course_id=course_id).appointments[:2]
        courses.book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="10:00",
                                 chair="Chair 3",
                                 override_reason="Screening results faxed, on the way")
        courses.book_appointment(ctx, appointment_id=second.id, day="2026-03-13", time="09:30",
                                 chair="Chair 1", override_reason="Travels abroad on 16 March")
        widget = course_screen(qtbot, app_state, navigator, course_id)
        assert column(widget.model, "Booked")[:2] == ["Mon 2 Mar 2026", "Fri 13 Mar 2026"]
        widget.table.selectRow(1)
        shot(widget, "course")


def test_the_schedule_model_passes_the_qt_model_tester(qtmodeltester, app_state, screened):
    detail = courses.get_course(app_state.ctx,
                                course_id=start_infliximab(app_state.ctx, screened))
    model = ScheduleModel()
    model.set_detail(detail)
    qtmodeltester.check(model)
    assert model.rowCount() == len(detail.appointments)
