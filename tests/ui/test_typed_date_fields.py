"""Every typed date field takes the clinic's format ("5 Jan 2026") and ISO ("2026-01-05"), and
refuses a slashed date ("05/01/2026": 5 January or 1 May?) and a day that does not exist
("31 Feb 2026") beside the field, naming the forms it takes (issue 12's leftovers).

Each field is typed key by key, as a nurse types; the clock is the suite's (2 Mar 2026, Warsaw).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QRadioButton, QWidget
from test_course import choose, course_screen, named, open_booking, retype, start_dialog
from test_course import navigator as navigator  # the course screen's fixtures
from test_course import patient_id as patient_id
from test_course import screened as screened
from test_course_booking import start_infliximab
from test_patient_form import GOOD, fill
from test_visit import book_infliximab, open_visit_widget

from clinic_app.services import labs, patients
from clinic_app.services.chart import get_chart
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.chart_dialogs import diagnosis_dialog, screening_dialog, weight_dialog
from clinic_app.ui.patients.lab_dialog import lab_dialog
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.shell.access_log_dialog import AccessLogDialog
from clinic_app.ui.shell.exchange_dialogs import FhirExportDialog

pytestmark = pytest.mark.gui

FORMS = "5 Jan 2026, 2026-01-05 or 05.01.2026"
SLASHED = "a date with slashes is not accepted, the day and the month are easily swapped"


def typings(day: date) -> list[tuple[str, str | None]]:
    """What a nurse may type for ``day`` and the refusal expected (None: taken): the clinic's
    format, ISO, the same day with slashes, and the 31st of February of its year."""
    return [
        (f"{day.day} {day:%b %Y}", None),
        (day.isoformat(), None),
        (f"{day:%d/%m/%Y}", SLASHED),
        (f"31 Feb {day.year}", "is not a real calendar date"),
    ]


def cases(day: date) -> Any:
    return pytest.mark.parametrize(("typed", "refusal"), typings(day))


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` into a cleared field, key by key."""
    retype(widget, text)


def refused_with(message: str, refusal: str, typed: str) -> None:
    """The refusal is said, and a slashed date names the forms taken (and both readings)."""
    assert refusal in message, message
    if refusal == SLASHED:
        assert f"Type it as {FORMS}." in message
    if typed == "05/01/2026":
        assert "(5 Jan 2026 or 1 May 2026?)" in message


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def save(qtbot: Any, dialog: RecordDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


class TestTheChartsForms:
    @cases(date(1980, 1, 5))
    def test_the_date_of_birth(self, qtbot, app_state: AppState, typed, refusal) -> None:
        dialog = PatientFormDialog(app_state)
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog, {**GOOD, "date_of_birth": typed})
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        if refusal is None:
            assert not dialog.isVisible()
            (found,) = patients.search_patients(app_state.ctx, text="5 Jan 1980")
            assert found.date_of_birth == date(1980, 1, 5)
        else:
            assert dialog.isVisible()
            refused_with(dialog.rows.error_text("date_of_birth"), refusal, typed)

    def test_an_edited_patients_date_of_birth_is_shown_in_the_clinics_format(
        self, qtbot, app_state: AppState
    ) -> None:
        dialog = PatientFormDialog(app_state)
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog, {**GOOD, "date_of_birth": "1980-01-05"})
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (found,) = patients.search_patients(app_state.ctx, text="1980-01-05")
        details = patients.get_patient(app_state.ctx, patient_id=found.id)
        edit = PatientFormDialog(app_state, details=details)
        qtbot.addWidget(edit)
        assert edit.rows.input("date_of_birth").text() == "5 Jan 1980"

    @cases(date(2026, 1, 5))
    def test_the_date_of_a_diagnosis(
        self, qtbot, app_state, patient_id, parent, typed, refusal
    ) -> None:
        dialog = diagnosis_dialog(app_state, patient_id, parent)
        dialog.show()
        type_text(named(dialog, QLineEdit, "Diagnosis"), "Crohn's disease")
        type_text(named(dialog, QLineEdit, "Date of diagnosis"), typed)
        save(qtbot, dialog)
        if refusal is None:
            assert not dialog.isVisible()
            chart = get_chart(app_state.ctx, patient_id=patient_id)
            assert [d.diagnosed_on for d in chart.diagnoses] == [date(2026, 1, 5)]
        else:
            refused_with(dialog.rows.error_text("diagnosed_on"), refusal, typed)

    @pytest.mark.parametrize("which", ["taken_on", "valid_until"])
    @cases(date(2026, 1, 5))
    def test_the_dates_of_a_screening(
        self, qtbot, app_state, patient_id, parent, which, typed, refusal
    ) -> None:
        dialog = screening_dialog(app_state, patient_id, parent)
        dialog.show()
        outcome = named(dialog, QComboBox, "Result")
        outcome.setCurrentIndex(outcome.findData("negative"))
        other = {"taken_on": "1 Jan 2026", "valid_until": "1 Jul 2026"}
        other[which] = typed
        type_text(named(dialog, QLineEdit, "Date taken"), other["taken_on"])
        type_text(named(dialog, QLineEdit, "Valid until"), other["valid_until"])
        save(qtbot, dialog)
        if refusal is None:
            assert not dialog.isVisible()
            (screening,) = get_chart(app_state.ctx, patient_id=patient_id).screenings
            assert getattr(screening, which) == date(2026, 1, 5)
        else:
            refused_with(dialog.rows.error_text(which), refusal, typed)

    @cases(date(2026, 1, 5))
    def test_the_day_a_weight_was_measured(
        self, qtbot, app_state, patient_id, parent, typed, refusal
    ) -> None:
        dialog = weight_dialog(app_state, patient_id, parent)
        dialog.show()
        type_text(named(dialog, QLineEdit, "Weight"), "70")
        type_text(named(dialog, QLineEdit, "Measured at"), f"{typed} 09:30")
        save(qtbot, dialog)
        if refusal is None:
            assert not dialog.isVisible()
            (weight,) = get_chart(app_state.ctx, patient_id=patient_id).weights
            local = weight.measured_at.astimezone(app_state.ctx.tz)
            assert (local.date(), local.hour, local.minute) == (date(2026, 1, 5), 9, 30)
        else:
            refused_with(dialog.rows.error_text("measured_at"), refusal, typed)

    @cases(date(2026, 1, 5))
    def test_the_day_a_lab_sample_was_taken(
        self, qtbot, app_state, patient_id, parent, typed, refusal
    ) -> None:
        dialog = lab_dialog(app_state, patient_id, parent)
        dialog.show()
        test = named(dialog, QComboBox, "Test")
        test.setCurrentIndex(test.findData("alt"))
        type_text(named(dialog, QLineEdit, "Value"), "95")
        type_text(named(dialog, QLineEdit, "Date taken"), typed)
        type_text(named(dialog, QLineEdit, "Source"), "City hospital lab")
        save(qtbot, dialog)
        if refusal is None:
            assert not dialog.isVisible()
            (result,) = labs.list_lab_results(app_state.ctx, patient_id=patient_id)
            assert result.taken_on == date(2026, 1, 5)
        else:
            refused_with(dialog.rows.error_text("taken_on"), refusal, typed)


class TestTheCourseForms:
    def test_the_first_dose_is_offered_as_today_in_the_clinics_format(
        self, qtbot, app_state, screened
    ) -> None:
        dialog = start_dialog(qtbot, app_state, screened)
        assert named(dialog, QLineEdit, "First dose").text() == "2 Mar 2026"

    @cases(date(2026, 3, 9))
    def test_the_first_dose(self, qtbot, app_state, screened, typed, refusal) -> None:
        dialog = start_dialog(qtbot, app_state, screened)
        choose(named(dialog, QComboBox, "Protocol"), "infliximab")
        choose(named(dialog, QComboBox, "Indication"), "crohns")
        type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "5")
        type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
        type_text(named(dialog, QLineEdit, "First dose"), typed)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        if refusal is None:
            assert not dialog.isVisible()
            (course,) = get_chart(app_state.ctx, patient_id=screened).courses
            assert course.start_date == date(2026, 3, 9)
        else:
            assert dialog.isVisible()
            refused_with(dialog.rows.error_text("first_dose"), refusal, typed)

    @cases(date(2026, 3, 16))
    def test_the_booking_day(self, qtbot, app_state, navigator, screened, typed, refusal) -> None:
        widget = course_screen(
            qtbot, app_state, navigator, start_infliximab(app_state.ctx, screened)
        )
        dialog = open_booking(qtbot, widget, 2)
        assert named(dialog, QLineEdit, "Day").text() == "16 Mar 2026"  # the planned day
        retype(named(dialog, QLineEdit, "Day"), typed)
        retype(named(dialog, QLineEdit, "Time"), "10:00")
        choose(named(dialog, QComboBox, "Chair"), "Chair 3")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        if refusal is None:
            assert not dialog.isVisible()
        else:
            assert dialog.isVisible()
            refused_with(dialog.rows.error_text("day"), refusal, typed)


class TestTheVisitAndShellForms:
    @cases(date(2027, 1, 5))
    def test_the_expiry_of_a_lot(self, qtbot, app_state, ui_ctx, typed, refusal) -> None:
        widget = open_visit_widget(qtbot, app_state, book_infliximab(ui_ctx))
        lots = widget.view.lots
        assert lots.expiry.placeholderText() == "e.g. 5 Jan 2026"
        qtbot.keyClicks(lots.lot, "AB12345")
        qtbot.keyClicks(lots.expiry, typed)
        qtbot.mouseClick(lots.add, Qt.MouseButton.LeftButton)
        if refusal is None:
            assert lots.table.rowCount() == 1
            assert lots.table.item(0, 2).text() == "5 Jan 2027"
        else:
            assert lots.table.rowCount() == 0
            refused_with(lots.form.error_text("expiry"), refusal, typed)

    @cases(date(2026, 1, 5))
    def test_the_access_logs_first_day(self, qtbot, app_state, typed, refusal) -> None:
        dialog = AccessLogDialog(app_state)
        qtbot.addWidget(dialog)
        dialog.show()
        retype(named(dialog, QLineEdit, "From"), typed)
        qtbot.mouseClick(named(dialog, QPushButton, "Show"), Qt.MouseButton.LeftButton)
        summary = named(dialog, QLabel, "Access log summary").text()
        if refusal is None:
            assert summary.endswith(("entry", "entries")), summary
        else:
            refused_with(summary, refusal, typed)

    @cases(date(2026, 1, 5))
    def test_the_day_to_export(self, qtbot, app_state, tmp_path: Path, typed, refusal) -> None:
        dialog = FhirExportDialog(app_state)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.mouseClick(named(dialog, QRadioButton, "One day"), Qt.MouseButton.LeftButton)
        retype(named(dialog, QLineEdit, "Day"), typed)
        out = tmp_path / "day.json"
        retype(named(dialog, QLineEdit, "File"), str(out))
        qtbot.mouseClick(named(dialog, QPushButton, "Export"), Qt.MouseButton.LeftButton)
        summary = named(dialog, QLabel, "Export FHIR summary")
        if refusal is None:
            qtbot.waitUntil(lambda: summary.text() == f"Exported to {out}.", timeout=20000)
        else:
            refused_with(summary.text(), refusal, typed)
            assert not out.exists()
