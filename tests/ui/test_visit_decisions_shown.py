"""Issue 12, "Decisions reach the record", walked like a nurse: the reason to start despite
flagged baseline vitals stays on the visit screen and is printed; a 'Yes' that means "do not
start" shows a stop mark, not a green tick."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_visit import (
    FakeNavigator,
    answer_pre_checks,
    booking,  # noqa: F401 (a fixture)
    enter_vitals,
    open_visit_widget,
    pdf_text,
    shot,
)

from clinic_app.ui.visit.baseline_flags_dialog import BaselineFlagsDialog

HIGH_BP = ("182", "104", "80", "36.8", "16", "98")
REASON = "prescriber informed, proceed"


def test_the_reason_to_start_despite_high_bp_stays_on_screen_and_is_printed(
        qtbot, app_state, booking, monkeypatch):  # noqa: F811
    navigator = FakeNavigator()
    widget = open_visit_widget(qtbot, app_state, booking, navigator)
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", HIGH_BP)

    def answer(dialog: BaselineFlagsDialog) -> int:
        qtbot.keyClicks(dialog.reason, REASON)
        return BaselineFlagsDialog.DialogCode.Accepted

    monkeypatch.setattr(BaselineFlagsDialog, "exec", answer)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "infusing"
    shown = widget.view.decisions
    assert shown.isVisible()
    text = shown.text()
    assert "Started despite BP 182/104" in text and REASON in text
    assert "Anna Keller" in text
    shot(widget, "decisions_started_despite_bp")
    qtbot.mouseClick(widget.view.print_record, Qt.MouseButton.LeftButton)
    printed = " ".join(pdf_text(navigator.pdfs[-1][1]).split())
    assert "Started despite BP 182/104" in printed and REASON in printed


def test_a_yes_that_means_do_not_start_shows_a_stop_mark_not_a_green_tick(
        qtbot, app_state, booking):  # noqa: F811
    widget = open_visit_widget(qtbot, app_state, booking)
    row = widget.view.pre_checks.rows["pre.fever_infection"]
    qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)
    assert "✓" not in row.state.text()
    assert "1B5E20" not in row.state.styleSheet()
    assert "B00020" in row.state.styleSheet()
    assert "Yes - do not start" in row.done.text()
    assert "Yes - do not start" in row.done.accessibleName()
    safe = widget.view.pre_checks.rows["pre.identity"]
    qtbot.mouseClick(safe.tick, Qt.MouseButton.LeftButton)
    assert "✓" in safe.state.text() and "1B5E20" in safe.state.styleSheet()
