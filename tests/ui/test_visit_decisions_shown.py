"""Issue 12, "Decisions reach the record", walked like a nurse: the reason to start despite
flagged baseline vitals stays on the visit screen and is printed; a 'Yes' that means "do not
start" shows a stop mark, not a green tick."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from test_visit import (
    FakeNavigator,
    answer_pre_checks,
    booking,  # noqa: F401 (a fixture)
    enter_vitals,
    open_visit_widget,
    pdf_text,
    shot,
)

from clinic_app.services import visits
from clinic_app.ui.visit.baseline_flags_dialog import BaselineFlagsDialog
from clinic_app.ui.visit.correction_dialog import CorrectionDialog

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


def test_a_no_fever_answer_against_38_2_is_asked_about_before_the_start_and_printed(
        qtbot, app_state, booking, monkeypatch):  # noqa: F811
    navigator = FakeNavigator()
    widget = open_visit_widget(qtbot, app_state, booking, navigator)
    answer_pre_checks(qtbot, widget)  # "No" to fever or infection
    enter_vitals(qtbot, widget, "pre.baseline_vitals", ("124", "78", "80", "38.2", "16", "98"))
    shown: list[str] = []

    def answer(dialog: BaselineFlagsDialog) -> int:
        shown.append(dialog.flags.text())
        qtbot.keyClicks(dialog.reason, "re-measured 38.2, prescriber says proceed")
        return BaselineFlagsDialog.DialogCode.Accepted

    monkeypatch.setattr(BaselineFlagsDialog, "exec", answer)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert '"No fever" was answered' in shown[0] and "38.2 C" in shown[0]
    assert widget.detail.status == "infusing"
    assert '"No fever" was answered' in widget.view.decisions.text()
    qtbot.mouseClick(widget.view.print_record, Qt.MouseButton.LeftButton)
    printed = " ".join(pdf_text(navigator.pdfs[-1][1]).split()).replace(" ", "")
    assert '"Nofever"wasanswered' in printed and "prescribersaysproceed" in printed


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


def _answers(app_state, widget, key: str) -> list[tuple[str, str | None]]:
    detail = visits.get_visit(app_state.ctx, visit_id=widget.visit_id)
    return [(e.answer, e.correction_reason) for e in detail.entries if e.item_key == key]


def test_changing_a_saved_answer_asks_why_by_click_keyboard_or_toggle_and_shows_corrected(
        qtbot, app_state, booking, monkeypatch):  # noqa: F811
    navigator = FakeNavigator()
    widget = open_visit_widget(qtbot, app_state, booking, navigator)
    key = "pre.fever_infection"
    row = widget.view.pre_checks.rows[key]
    qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)
    asked: list[str] = []
    reasons = iter(["clicked the wrong answer", "patient remembered a cold sore"])

    def answer(dialog: CorrectionDialog) -> int:
        asked.append(dialog.change.text())
        assert not dialog.confirm.isEnabled()
        qtbot.keyClicks(dialog.reason, next(reasons))
        return CorrectionDialog.DialogCode.Accepted

    monkeypatch.setattr(CorrectionDialog, "exec", answer)
    qtbot.mouseClick(row.choices["no"], Qt.MouseButton.LeftButton)  # a click
    assert "Yes" in asked[0] and "No" in asked[0]
    row = widget.view.pre_checks.rows[key]
    assert "corrected: Yes → No, reason: clicked the wrong answer" in row.done.text()
    assert "Anna Keller" in row.done.text()
    row.choices["no"].setFocus()
    qtbot.keyClick(row.choices["no"], Qt.Key.Key_Left)  # the keyboard
    assert _answers(app_state, widget, key)[-1] == ("yes", "patient remembered a cold sore")
    row = widget.view.pre_checks.rows[key]
    assert row.choices["yes"].isChecked() and "corrected: No → Yes" in row.done.text()
    assert "Yes - do not start" in row.done.text()
    monkeypatch.setattr(CorrectionDialog, "exec",
                        lambda _d: CorrectionDialog.DialogCode.Rejected)
    action = QAccessible.queryAccessibleInterface(row.choices["no"]).actionInterface()
    action.doAction(QAccessibleActionInterface.toggleAction())  # a screen reader, cancelled
    row = widget.view.pre_checks.rows[key]
    assert row.choices["yes"].isChecked() and not row.choices["no"].isChecked()
    assert len(_answers(app_state, widget, key)) == 3
    shot(widget, "decisions_corrected_answer")
    qtbot.mouseClick(widget.view.print_record, Qt.MouseButton.LeftButton)
    printed = " ".join(pdf_text(navigator.pdfs[-1][1]).split())
    joined = printed.replace(" ", "")  # table cells wrap inside words
    assert "yes(corrected:no->yes,reason:patientrememberedacoldsore)" in joined
    assert "clickedthewronganswer" not in joined  # the replaced answers stay in the audit trail
