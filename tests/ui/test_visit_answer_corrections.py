"""Issue 12, "Decisions reach the record", walked like a nurse: a first answer is saved at once
whichever way it is given; changing a saved answer asks why the same way for a click, a
keyboard, a screen reader or a programmatic toggle, and Cancel puts the saved answer back with
nothing saved (a typed value too)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from test_visit import (
    BASELINE,
    Booking,
    answer_discharge_checks,
    book_infliximab,
    enter_vitals,
    open_visit_widget,
    started,
)

from clinic_app.services import reactions, visits
from clinic_app.services.visits.dto import MedicationForm
from clinic_app.ui.visit.correction_dialog import CorrectionDialog

FEVER = "pre.fever_infection"
CLEARANCE = "obs.prescriber_clearance"


@pytest.fixture
def booked(ui_ctx) -> Booking:
    return book_infliximab(ui_ctx)


def _answers(app_state, widget, key: str) -> list[tuple[str, str | None]]:
    detail = visits.get_visit(app_state.ctx, visit_id=widget.visit_id)
    return [(e.answer, e.correction_reason) for e in detail.entries if e.item_key == key]


def _never_asked(_dialog: CorrectionDialog) -> int:
    pytest.fail("a first answer asked for a reason")


def _toggle(button) -> None:
    """A screen reader's Toggle action on the button."""
    action = QAccessible.queryAccessibleInterface(button).actionInterface()
    action.doAction(QAccessibleActionInterface.toggleAction())


def test_a_first_answer_is_saved_without_a_reason_however_it_is_given(
    qtbot,
    app_state,
    booked,
    monkeypatch,
):
    monkeypatch.setattr(CorrectionDialog, "exec", _never_asked)
    widget = open_visit_widget(qtbot, app_state, booked)
    rows = widget.view.pre_checks.rows
    qtbot.mouseClick(rows[FEVER].choices["no"], Qt.MouseButton.LeftButton)  # a click
    questions = [key for key, row in rows.items() if row.choices and key != FEVER]
    assert len(questions) >= 2
    by_keyboard, by_reader = questions[:2]
    rows[by_keyboard].choices["no"].setFocus()
    qtbot.keyClick(rows[by_keyboard].choices["no"], Qt.Key.Key_Space)  # the keyboard
    _toggle(rows[by_reader].choices["no"])  # a screen reader
    tick = next(row for row in rows.values() if row.tick is not None)
    tick.tick.setChecked(True)  # a programmatic toggle
    for key in (FEVER, by_keyboard, by_reader):
        assert _answers(app_state, widget, key) == [("no", None)]
        assert "corrected" not in rows[key].done.text()
    assert _answers(app_state, widget, tick.key) == [("done", None)]


def test_a_programmatic_change_asks_like_a_click_and_cancel_saves_nothing(
    qtbot,
    app_state,
    booked,
    monkeypatch,
):
    widget = open_visit_widget(qtbot, app_state, booked)
    qtbot.mouseClick(widget.view.pre_checks.rows[FEVER].choices["no"], Qt.MouseButton.LeftButton)
    asked: list[str] = []

    def cancel(dialog: CorrectionDialog) -> int:
        asked.append(dialog.change.text())
        return CorrectionDialog.DialogCode.Rejected

    monkeypatch.setattr(CorrectionDialog, "exec", cancel)
    widget.view.pre_checks.rows[FEVER].choices["yes"].setChecked(True)
    assert len(asked) == 1 and "No" in asked[0] and "Yes" in asked[0]
    row = widget.view.pre_checks.rows[FEVER]
    assert row.choices["no"].isChecked() and not row.choices["yes"].isChecked()
    assert _answers(app_state, widget, FEVER) == [("no", None)]
    assert "STOP" not in row.state.text()

    def give_reason(dialog: CorrectionDialog) -> int:
        qtbot.keyClicks(dialog.reason, "patient now reports a cough")
        return CorrectionDialog.DialogCode.Accepted

    monkeypatch.setattr(CorrectionDialog, "exec", give_reason)
    row.choices["yes"].setChecked(True)
    assert _answers(app_state, widget, FEVER) == [
        ("no", None),
        ("yes", "patient now reports a cough"),
    ]
    row = widget.view.pre_checks.rows[FEVER]
    assert "corrected: No → Yes, reason: patient now reports a cough" in row.done.text()
    assert row.state.text() == "STOP"


def test_a_typed_value_changed_then_cancelled_shows_the_saved_value_again(
    qtbot,
    app_state,
    booked,
    fake_clock,
    monkeypatch,
):
    widget = open_visit_widget(qtbot, app_state, booked)
    started(qtbot, widget)
    fake_clock.advance(minutes=10)
    onset = app_state.ctx.now()
    reactions.log_reaction(
        app_state.ctx,
        patient_id=booked.patient_id,
        visit_id=widget.visit_id,
        onset=onset,
        signs=["anaphylaxis", "hypotension"],
        term="anaphylaxis",
        grade=3,
        medications=[MedicationForm("Epinephrine 1 mg/mL", "0.5", "mg", "IM", onset)],
        infusion_action="stopped",
    )
    fake_clock.advance(hours=4)
    widget.refresh()
    enter_vitals(qtbot, widget, "obs.end", BASELINE)
    answer_discharge_checks(qtbot, widget)
    row = widget.view.observation.checks.rows[CLEARANCE]
    qtbot.mouseClick(row.value, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(row.value, "Dr Nowak: fit to go home")
    qtbot.keyClick(row.value, Qt.Key.Key_Return)
    assert _answers(app_state, widget, CLEARANCE) == [("Dr Nowak: fit to go home", None)]
    asked: list[str] = []

    def cancel(dialog: CorrectionDialog) -> int:
        asked.append(dialog.change.text())
        return CorrectionDialog.DialogCode.Rejected

    monkeypatch.setattr(CorrectionDialog, "exec", cancel)
    row = widget.view.observation.checks.rows[CLEARANCE]
    row.value.selectAll()
    qtbot.keyClicks(row.value, "Dr Meier: stay overnight")
    qtbot.keyClick(row.value, Qt.Key.Key_Return)
    assert len(asked) == 1
    row = widget.view.observation.checks.rows[CLEARANCE]
    assert row.value.text() == "Dr Nowak: fit to go home"
    assert _answers(app_state, widget, CLEARANCE) == [("Dr Nowak: fit to go home", None)]
    qtbot.keyClick(row.value, Qt.Key.Key_Tab)  # leaving the field asks nothing more
    assert not row.value.hasFocus() and len(asked) == 1
