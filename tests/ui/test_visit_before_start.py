"""The visit before the start: "Do not give today…" and "Re-weigh…" (pytest-qt; the dialogs
open window-modal with open(), never exec())."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton
from test_visit import (
    FakeNavigator,
    book_infliximab,
    booking,  # noqa: F401 (a fixture)
    named,
    open_visit_widget,
    started,
    type_weight,
)
from ui_testing import shot

from clinic_app.services import visits
from clinic_app.services.courses import get_course
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import record_weight
from clinic_app.ui import unsaved
from clinic_app.ui.visit.not_given_dialog import NotGivenDialog
from clinic_app.ui.visit.reweigh_dialog import ReweighDialog

pytestmark = pytest.mark.gui
FEVER = "Temp 38.4 °C; Dr Nowak: postpone 1 week"
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def type_text(widget: Any, text: str) -> None:
    """Type ``text`` key by key (non-ASCII characters one event each)."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def click(qtbot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def hold_dialog(qtbot, widget) -> NotGivenDialog:
    qtbot.keyClick(widget, Qt.Key.Key_N, SHIFT_CTRL)
    qtbot.waitUntil(lambda: widget.before_start.hold_dialog is not None
                    and widget.before_start.hold_dialog.isVisible())
    return widget.before_start.hold_dialog


def reweigh_dialog(qtbot, widget) -> ReweighDialog:
    click(qtbot, named(widget, QPushButton, "Re-weigh…"))
    dialog = widget.before_start.reweigh_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


class TestNotGivenToday:
    def test_the_reason_is_recorded_and_the_visit_turns_read_only(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        fever = widget.view.pre_checks.rows["pre.fever_infection"]
        click(qtbot, fever.choices["yes"])
        assert "Do not start" in fever.action.text()
        button = named(widget, QPushButton, "Do not give today…")
        assert button is widget.view.infusion.hold and button.isEnabled()
        dialog = hold_dialog(qtbot, widget)
        assert "ŻÓŁĆ, Łukasz" in dialog.what.text() and "dose 1" in dialog.what.text()
        assert not dialog.confirm.isEnabled()
        qtbot.waitUntil(dialog.reason.hasFocus)
        type_text(dialog.reason, FEVER)
        shot(dialog, "visit_not_given_dialog")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert widget.detail.status == "cancelled"
        assert not dialog.isVisible()
        expected = f"Not given today: {FEVER}"
        assert widget.view.not_given.isVisible() and widget.view.not_given.text() == expected
        assert widget.view.infusion.status.text() == "No infusion: the dose was not given today."
        panel = widget.view.infusion
        for control in (panel.start, panel.hold, panel.pause, panel.end,
                        widget.view.reweigh, widget.view.log_reaction, widget.view.lots.add):
            assert not control.isEnabled()
        assert not widget.view.reweigh_row.isVisible()
        assert list(widget.view.pre_checks.rows) == ["pre.weight", "pre.fever_infection"]
        answered = widget.view.pre_checks.rows["pre.fever_infection"].choices["yes"]
        assert answered.isChecked() and not answered.isEnabled()
        assert not widget.view.vitals_box.isVisible()  # nothing recorded, nothing due
        assert not widget.observation_panel.isVisible()
        assert not widget.observation_panel.countdown.isVisible()
        shot(widget, "visit_not_given")
        course = get_course(app_state.ctx, course_id=booking.course_id)
        assert course.appointments[0].status == "not_given"

    def test_the_infusion_record_printed_from_the_visit_says_why(
            self, qtbot, app_state, booking):  # noqa: F811
        from test_visit import pdf_text

        from clinic_app.services.visits import hold_dose

        navigator = FakeNavigator()
        widget = open_visit_widget(qtbot, app_state, booking, navigator)
        hold_dose(app_state.ctx, visit_id=widget.visit_id, reason="Fever; Dr Nowak: in 1 week")
        widget.refresh()
        click(qtbot, named(widget, QPushButton, "Print infusion record"))
        assert "Fever; Dr Nowak: in 1 week" in pdf_text(navigator.pdfs[0][1])

    def test_the_dose_cannot_be_marked_as_not_given_after_the_start(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        assert not widget.view.infusion.hold.isEnabled()
        assert widget.hold_dose() is None

    def test_escape_with_a_reason_typed_asks_before_discarding_it(
            self, qtbot, app_state, booking, monkeypatch):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        dialog = hold_dialog(qtbot, widget)
        asked: list[str] = []
        monkeypatch.setattr(unsaved, "confirm_discard",
                            lambda _parent, what: asked.append(what) or False)
        qtbot.keyClicks(dialog.reason, "Fever")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
        assert asked == ["reason"] and dialog.isVisible()
        monkeypatch.setattr(unsaved, "confirm_discard", lambda _parent, _what: True)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert visits.get_visit(app_state.ctx, visit_id=widget.visit_id).status == "checked_in"

    def test_a_change_from_another_workstation_is_shown_in_the_dialog(
            self, qtbot, app_state, booking):  # noqa: F811
        from clinic_app.services.visits import hold_dose

        widget = open_visit_widget(qtbot, app_state, booking)
        dialog = hold_dialog(qtbot, widget)
        hold_dose(app_state.ctx, visit_id=widget.visit_id, reason="Fever (other desk)")
        qtbot.keyClicks(dialog.reason, "Fever")
        click(qtbot, dialog.confirm)
        assert dialog.isVisible() and dialog.error.isVisible()
        assert "changed by Anna Keller" in dialog.error.text()


class TestReweigh:
    def test_the_new_weight_shows_its_dose_and_replaces_the_visit(
            self, qtbot, app_state, booking):  # noqa: F811
        navigator = FakeNavigator()
        widget = open_visit_widget(qtbot, app_state, booking, navigator)
        old_id = widget.visit_id
        click(qtbot, widget.view.pre_checks.rows["pre.identity"].tick)
        dialog = reweigh_dialog(qtbot, widget)
        assert "pre-check starts again" in dialog.view.notice.text()
        assert "Weight used so far: 72.4 kg" in dialog.view.notice.text()
        type_weight(qtbot, dialog, "80")
        assert dialog.view.plan.value_text("dose") == "400 mg"
        click(qtbot, dialog.view.open_button)
        reason = named(dialog, QLineEdit, "Why the first weight was wrong (required)")
        assert "reason" in dialog.view.reason_error.text().lower()
        assert dialog.focusWidget() is reason and dialog.isVisible()
        assert visits.get_visit(app_state.ctx, visit_id=old_id).weight_kg_used == Decimal(
            "72.40")
        dialog.resize(1366, 768)
        shot(dialog, "visit_reweigh_dialog")
        qtbot.keyClicks(reason, "Shoes and coat on")
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not dialog.isVisible()
        assert navigator.visits == [widget.visit_id] and widget.visit_id != old_id
        assert widget.detail.weight_kg_used == Decimal("80.00")
        assert widget.view.plan.value_text("dose") == "400 mg"
        assert widget.view.pre_checks.rows["pre.weight"].value.text() == "80"
        assert widget.view.pre_checks.rows["pre.identity"].tick.isEnabled()  # starts again
        with pytest.raises(NotFound):
            visits.get_visit(app_state.ctx, visit_id=old_id)

    def test_a_refused_weight_and_a_missing_reason_are_shown_together(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking, FakeNavigator())
        old_id = widget.visit_id
        dialog = reweigh_dialog(qtbot, widget)
        type_weight(qtbot, dialog, "700")
        click(qtbot, dialog.view.open_button)
        assert dialog.isVisible()
        view = dialog.view
        assert "Check the weight typed (700 kg)" in view.weight_error.text()
        assert "Give the reason for re-weighing" in view.reason_error.text()
        assert view.weight_error.isVisible() and view.reason_error.isVisible()
        assert dialog.focusWidget() is view.weight  # the first bad field on screen
        assert view.weight.text() == "700"  # nothing typed is lost
        assert visits.get_visit(app_state.ctx, visit_id=old_id).weight_kg_used == Decimal(
            "72.40")

    def test_the_old_dose_is_shown_against_the_new_one(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking, FakeNavigator())
        dialog = reweigh_dialog(qtbot, widget)
        change = named(dialog, QLabel, "Dose change")
        assert not change.isVisible()
        type_weight(qtbot, dialog, "80")
        assert change.isVisible()
        assert change.text() == "Dose at 72.4 kg: 362 mg \u2192 at 80 kg: 400 mg"
        shot(dialog, "visit_reweigh_dose_change")

    def test_in_the_main_window_the_new_visit_s_tab_replaces_the_old_one(
            self, qtbot, app_state, main_window, booking):  # noqa: F811
        old = visits.open_visit(app_state.ctx, appointment_id=booking.appointment_id,
                                weight="72.4")
        main_window.open_visit(old.id)
        tabs = main_window.tabs
        widget = tabs.currentWidget()
        dialog = reweigh_dialog(qtbot, widget)
        type_weight(qtbot, dialog, "80")
        qtbot.keyClicks(dialog.view.reason, "Misread the scale")
        click(qtbot, dialog.view.open_button)
        assert tabs.keyed(("visit", old.id)) is None
        new = tabs.currentWidget()
        assert new is not widget and new.visit_id != old.id
        assert tabs.keyed(("visit", new.visit_id)) is new
        assert new.detail.weight_kg_used == Decimal("80.00")

    def test_a_weight_change_is_checked_against_the_weight_before_the_wrong_one(
            self, qtbot, app_state, ui_ctx):
        found = book_infliximab(ui_ctx, mrn="MRN-RW2")
        record_weight(ui_ctx, patient_id=found.patient_id, weight="60")
        detail = visits.open_visit(ui_ctx, appointment_id=found.appointment_id, weight="62")
        from clinic_app.ui.visit.visit_view import VisitWidget

        widget = VisitWidget(app_state, FakeNavigator(), detail.id)
        qtbot.addWidget(widget)
        widget.show()
        dialog = reweigh_dialog(qtbot, widget)
        type_weight(qtbot, dialog, "72.4")
        assert "Last weight on file: 60 kg" in dialog.view.previous_weight.text()
        qtbot.keyClicks(dialog.view.reason, "Misread the scale")
        click(qtbot, dialog.view.open_button)
        assert dialog.isVisible()
        assert "Acknowledge" in dialog.view.warnings.reason_error.text()
        box = dialog.view.warnings.ack_box("WEIGHT_CHANGE")
        assert isinstance(box, QCheckBox)
        qtbot.keyClick(box, Qt.Key.Key_Space)
        click(qtbot, dialog.view.open_button)
        assert not dialog.isVisible()
        assert widget.detail.acknowledged == ("WEIGHT_CHANGE",)

    def test_re_weigh_is_offered_only_before_the_start(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        assert widget.view.reweigh.isEnabled() and widget.view.reweigh_row.isVisible()
        shot(widget, "visit_pre_check")
        started(qtbot, widget)
        assert not widget.view.reweigh.isEnabled()
        assert not widget.view.reweigh_row.isVisible()
        assert widget.reweigh() is None


def test_the_ui_visit_modules_do_not_read_the_catalogue_or_the_clinic_day() -> None:
    import clinic_app.ui.visit as package

    folder = Path(package.__file__).parent
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for name in ("services import catalogue", "services.catalogue", "clinic_day"):
            assert name not in text, f"{module.name} uses {name}"


def test_the_open_visit_header_comes_from_the_appointment(qtbot, app_state,
                                                          booking):  # noqa: F811
    from test_visit import open_dialog

    dialog = open_dialog(qtbot, app_state, booking)
    treatment = dialog.view.header.treatment_label.text()
    assert "<b>Infliximab</b> dose 1 · 5 mg/kg" in treatment
    assert "10:00 Chair 3" in treatment
