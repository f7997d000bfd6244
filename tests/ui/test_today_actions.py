"""The Today screen's actions and newer states: did not attend, the end of the infusion due,
doses not given; and a walk through the demo day (screenshots with CLINIC_UI_SHOTS)."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from clinic_testing import T0
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from test_today import RecordingNavigator, day_row, row_of, text
from ui_testing import shot

from clinic_app.services import clinic_day, courses
from clinic_app.services.errors import ActionNotAllowed, OverrideRequired
from clinic_app.services.visits import hold_dose, open_visit
from clinic_app.ui.today.today_model import (
    MUTED_COLOUR,
    NEXT_DUE_COLUMN,
    OVERDUE_COLOUR,
    STATUS_COLUMN,
    TodayModel,
)
from clinic_app.ui.today.today_screen import TodayScreen

pytestmark = pytest.mark.gui
LUKASZ = "ŻÓŁĆ, Łukasz"


@pytest.fixture
def today(qtbot, demo_state) -> TodayScreen:
    screen = TodayScreen(demo_state, RecordingNavigator())
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    return screen


@pytest.fixture
def shown_errors(monkeypatch) -> list[QMessageBox]:
    """Error dialogs (show_error runs them with exec) are captured instead of blocking."""
    shown: list[QMessageBox] = []

    def capture(box: QMessageBox) -> int:
        shown.append(box)
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", capture)
    return shown


def select(screen: TodayScreen, name: str) -> int:
    row = row_of(screen, name)
    screen.table.selectRow(row)
    return row


# --- did not attend ------------------------------------------------------------------------


def test_did_not_attend_is_offered_only_for_a_booked_patient_whose_day_has_come(today):
    assert today.did_not_attend.accessibleName() == "Did not attend"
    assert not today.did_not_attend.isEnabled()
    select(today, "ИВАНОВА, Анна")
    assert not today.did_not_attend.isEnabled()
    select(today, LUKASZ)
    assert today.did_not_attend.isEnabled()
    today.show_day(today.current_day() + timedelta(days=1))
    for n in range(today.model.rowCount()):
        today.table.selectRow(n)
        assert not today.did_not_attend.isEnabled()


def test_the_question_names_the_patient_the_dose_and_the_booked_time(qtbot, today):
    select(today, LUKASZ)
    qtbot.mouseClick(today.did_not_attend, Qt.MouseButton.LeftButton)
    question = today.findChild(QMessageBox, None)
    assert question is not None and question.isVisible()
    assert question.accessibleName() == "Did not attend"
    assert "ŻÓŁĆ, Łukasz" in question.text() and "MRN" in question.text()
    details = question.informativeText()
    assert "Infliximab dose" in details and "Monday 2 Mar 2026 at 11:00" in details
    assert question.defaultButton() is question.cancel
    shot(today.window(), "today-did-not-attend-row")
    shot(question, "today-did-not-attend-question")
    qtbot.mouseClick(question.cancel, Qt.MouseButton.LeftButton)
    assert text(today.model, row_of(today, LUKASZ), STATUS_COLUMN) == "Booked"


def test_recording_did_not_attend_from_the_keyboard_greys_the_row(qtbot, today, demo_state):
    changes = []
    demo_state.data_changed.connect(changes.append)
    select(today, LUKASZ)
    today.activateWindow()
    today.table.setFocus()
    qtbot.keyClick(today.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: today.findChild(QMessageBox, None) is not None, timeout=2000)
    question = today.findChild(QMessageBox, None)
    assert question.isVisible()
    qtbot.mouseClick(question.record, Qt.MouseButton.LeftButton)
    row = row_of(today, LUKASZ)
    assert text(today.model, row, STATUS_COLUMN) == "Did not attend"
    assert text(today.model, row, STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole) == MUTED_COLOUR
    assert changes and changes[-1].kind == "appointment"
    today.table.selectRow(row)
    assert not today.did_not_attend.isEnabled()


def test_a_change_from_another_workstation_is_shown_not_swallowed(qtbot, today, demo_state,
                                                                  shown_errors):
    select(today, LUKASZ)
    booked = today.selected_row()
    assert booked is not None
    question = today.ask_did_not_attend()
    assert question is not None
    # Meanwhile another workstation records it (this screen has not been told yet).
    courses.mark_did_not_attend(demo_state.ctx, appointment_id=booked.appointment_id)
    qtbot.mouseClick(question.record, Qt.MouseButton.LeftButton)
    assert len(shown_errors) == 1
    assert shown_errors[0].windowTitle() == "Did not attend not recorded"
    assert "another workstation" in shown_errors[0].text()
    assert text(today.model, row_of(today, LUKASZ), STATUS_COLUMN) == "Did not attend"


def test_a_refusal_from_the_service_is_shown_with_its_message(qtbot, today, demo_state,
                                                              shown_errors, monkeypatch):
    select(today, LUKASZ)
    question = today.ask_did_not_attend()
    assert question is not None

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ActionNotAllowed(
            "This appointment is in the future; it cannot be marked as not attended yet.")

    monkeypatch.setattr(courses, "mark_did_not_attend", refuse)
    qtbot.mouseClick(question.record, Qt.MouseButton.LeftButton)
    assert "in the future" in shown_errors[0].text()
    assert text(today.model, row_of(today, LUKASZ), STATUS_COLUMN) == "Booked"


# --- the end of the infusion and doses not given ---------------------------------------------


def test_a_running_infusion_shows_its_end_and_a_missed_end_is_red_with_its_time():
    model = TodayModel()
    model.set_rows([
        day_row(1, status="infusing", next_due="Vitals", next_due_local=time(14, 0),
                end_due_local=time(14, 30)),
        day_row(2, status="infusing", next_due="Record the end of the infusion",
                next_due_local=time(14, 30), end_due_local=time(14, 30), overdue=True,
                overdue_items=("14:30 Record the end of the infusion",)),
    ])
    assert text(model, 0, STATUS_COLUMN) == "Infusing, end due 14:30"
    assert text(model, 0, NEXT_DUE_COLUMN) == "14:00 Vitals"
    assert text(model, 1, NEXT_DUE_COLUMN) == "Overdue: 14:30 Record the end of the infusion"
    assert text(model, 1, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR


def test_a_dose_not_given_is_grey_with_the_reason_beside_it(qtmodeltester):
    model = TodayModel()
    model.set_rows([day_row(status="not_given", status_note="Temp 38.4 °C; Dr Nowak")])
    assert text(model, 0, STATUS_COLUMN) == "Not given"
    assert text(model, 0, NEXT_DUE_COLUMN) == "Held: Temp 38.4 °C; Dr Nowak"
    assert text(model, 0, STATUS_COLUMN, Qt.ItemDataRole.ForegroundRole) == MUTED_COLOUR
    tip = text(model, 0, STATUS_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Dose not given: Temp 38.4 °C; Dr Nowak"
    qtmodeltester.check(model)


def test_a_dose_held_at_the_chair_shows_as_not_given_on_today(today, demo_state):
    select(today, LUKASZ)
    booked = today.selected_row()
    assert booked is not None
    ctx = demo_state.ctx
    try:
        visit = open_visit(ctx, appointment_id=booked.appointment_id, weight="80")
    except OverrideRequired as needed:
        visit = open_visit(ctx, appointment_id=booked.appointment_id, weight="80",
                           acknowledged=needed.codes, override_reason="Checked with Dr Nowak")
    hold_dose(ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    demo_state.announce("visit", visit.id)
    row = row_of(today, LUKASZ)
    assert text(today.model, row, STATUS_COLUMN) == "Not given"
    assert text(today.model, row, NEXT_DUE_COLUMN) == (
        "Held: Temp 38.4 °C; Dr Nowak: postpone 1 week")


# --- the demo day through the clock ------------------------------------------------------------


@pytest.mark.parametrize("local", ["09:30", "11:00", "13:30", "16:00"])
def test_the_demo_day_reads_clearly_at_any_hour(qtbot, demo_window, fake_clock, local):
    hours, minutes = map(int, local.split(":"))
    fake_clock.set(T0 + timedelta(hours=hours - 9, minutes=minutes - 30))
    screen = demo_window.today
    screen.refresh()
    QApplication.processEvents()
    shot(demo_window, f"today-{local.replace(':', '')}")
    model = screen.model
    for n in range(model.rowCount()):
        row = model.row_at(n)
        cell = text(model, n, NEXT_DUE_COLUMN)
        due = row.overdue_items[0] if row.overdue else row.next_due
        if due and (row.overdue or row.next_due_local is not None):
            assert re.match(r"(Overdue( \(\d+\))?: )?\d\d:\d\d ", cell), cell
    table = screen.table
    assert table.horizontalScrollBar().maximum() == 0  # every column fits at 1366 wide
    assert screen.did_not_attend.isVisible()
    assert clinic_day.clinic_day(demo_window.state.ctx, day=screen.current_day())
