"""The running pump on the visit screen: the pause and its reason, the graduated table's steps,
the end due, and the end dialog's guard on a typed reason (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from test_visit import (
    FakeNavigator,
    answer_pre_checks,
    booking,  # noqa: F401 (a fixture)
    enter_vitals,
    named,
    open_visit_widget,
    started,
)
from ui_testing import shot

from clinic_app.services import visits
from clinic_app.ui import unsaved
from clinic_app.ui.visit import rate_skip_dialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
BASELINE = ("120", "80", "72", "36.6", "14", "98")


def pause_dialog(qtbot, widget):
    qtbot.keyClick(widget, Qt.Key.Key_P, SHIFT_CTRL)
    qtbot.waitUntil(lambda: widget.pause_dialog is not None and widget.pause_dialog.isVisible())
    return widget.pause_dialog


class TestPauseReason:
    def test_a_quick_pick_is_recorded_with_the_pause_and_shown_in_the_pump_events(
            self, qtbot, app_state, booking, fake_clock):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=10)
        dialog = pause_dialog(qtbot, widget)
        assert named(dialog, QPushButton, "Pause now").isDefault()
        qtbot.mouseClick(dialog.picks["Line/pump problem"], Qt.MouseButton.LeftButton)
        assert dialog.reason.text() == "Line/pump problem"
        shot(dialog, "visit_pause_dialog")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert widget.detail.infusion.state == "paused"
        events = named(widget, QLabel, "Pump events")
        assert events.isVisible()
        assert "09:40 Paused — Line/pump problem · Anna Keller" in events.text()
        fake_clock.advance(minutes=5)
        qtbot.mouseClick(widget.view.infusion.resume, Qt.MouseButton.LeftButton)
        assert "09:45 Resumed · Anna Keller" in events.text()
        shot(widget, "visit_pump_events")

    def test_enter_pauses_at_once_with_no_reason(
            self, qtbot, app_state, booking, fake_clock):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=10)
        dialog = pause_dialog(qtbot, widget)
        qtbot.waitUntil(dialog.reason.hasFocus)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert widget.detail.infusion.state == "paused"
        assert "09:40 Paused · Anna Keller" in widget.view.infusion.events.text()

    def test_other_lets_the_nurse_type_the_reason(
            self, qtbot, app_state, booking, fake_clock):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        dialog = pause_dialog(qtbot, widget)
        qtbot.mouseClick(dialog.picks["Reaction signs — see reaction log"],
                         Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.picks["Other"], Qt.MouseButton.LeftButton)
        assert dialog.reason.text() == "" and dialog.focusWidget() is dialog.reason
        qtbot.keyClicks(dialog.reason, "Cannula re-sited")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        detail = visits.get_visit(app_state.ctx, visit_id=widget.visit_id)
        assert [(e.kind, e.note) for e in detail.events] == [("pause", "Cannula re-sited")]

    def test_escape_with_a_reason_typed_asks_and_nothing_is_paused(
            self, qtbot, app_state, booking, monkeypatch):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        dialog = pause_dialog(qtbot, widget)
        asked: list[str] = []
        monkeypatch.setattr(unsaved, "confirm_discard",
                            lambda _parent, what: asked.append(what) or False)
        qtbot.keyClicks(dialog.reason, "Patient to the bathroom")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
        assert asked == ["pause reason"] and dialog.isVisible()
        monkeypatch.setattr(unsaved, "confirm_discard", lambda _parent, _what: True)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert widget.detail.infusion.state == "running"


class TestGraduatedInfusion:
    @pytest.fixture
    def graduated(self, qtbot, app_state, booking):  # noqa: F811
        detail = visits.open_visit(app_state.ctx, appointment_id=booking.appointment_id,
                                   weight="72.4", graduated=True)
        widget = VisitWidget(app_state, FakeNavigator(), detail.id)
        qtbot.addWidget(widget)
        widget.resize(1366, 768)
        widget.show()
        qtbot.waitExposed(widget)
        with qtbot.waitActive(widget):
            widget.activateWindow()
        answer_pre_checks(qtbot, widget)
        enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
        qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
        return widget

    def test_the_panel_shows_the_step_the_next_step_and_the_end_due(
            self, qtbot, graduated, fake_clock):
        panel = graduated.view.infusion
        steps = graduated.detail.dose_plan.titration
        end = graduated.detail.infusion.projected_end.astimezone(
            graduated._state.ctx.tz).strftime("%H:%M")
        assert f"Running at 20 mL/h (step 1 of {len(steps)}) since 09:30" in panel.status.text()
        assert panel.schedule.text() == f"Next: 40 mL/h at 09:45 · End due {end}"
        shot(graduated, "visit_graduated_infusing")
        fake_clock.advance(minutes=20)
        graduated.refresh()
        assert f"(step 2 of {len(steps)})" in panel.status.text()
        assert panel.schedule.text().startswith("Next: 80 mL/h at 10:00")

    def test_change_rate_prefills_the_next_step_and_asks_a_reason_to_skip_steps(
            self, qtbot, graduated, fake_clock, monkeypatch):
        asked: list[str] = []

        def ask(message, _parent):
            asked.append(message)
            return "Prescriber: usual rate"

        monkeypatch.setattr(rate_skip_dialog, "ask_reason", ask)
        panel = graduated.view.infusion
        fake_clock.advance(minutes=10)
        graduated.refresh()
        qtbot.mouseClick(panel.change_rate, Qt.MouseButton.LeftButton)
        assert panel.rate.text() == "40"
        panel.rate.clear()
        qtbot.keyClicks(panel.rate, "120")
        qtbot.keyClick(panel.rate, Qt.Key.Key_Return)
        assert len(asked) == 1 and "next step is 40 mL/h" in asked[0]
        (event,) = graduated.detail.events
        assert (event.rate_ml_per_h, event.note) == (120, "Prescriber: usual rate")
        assert "Running at 120 mL/h since 09:40" in panel.status.text()

    def test_cancelling_the_reason_sets_nothing(self, qtbot, graduated, fake_clock,
                                                monkeypatch):
        monkeypatch.setattr(rate_skip_dialog, "ask_reason", lambda _m, _p: None)
        panel = graduated.view.infusion
        fake_clock.advance(minutes=10)
        qtbot.mouseClick(panel.change_rate, Qt.MouseButton.LeftButton)
        panel.rate.clear()
        qtbot.keyClicks(panel.rate, "120")
        qtbot.keyClick(panel.rate, Qt.Key.Key_Return)
        assert graduated.detail.events == ()
        assert visits.get_visit(graduated._state.ctx,
                                visit_id=graduated.visit_id).events == ()

    def test_the_next_step_is_set_without_a_reason_and_runs_since_the_change(
            self, qtbot, graduated, fake_clock):
        panel = graduated.view.infusion
        fake_clock.advance(minutes=7)
        graduated.refresh()
        qtbot.mouseClick(panel.change_rate, Qt.MouseButton.LeftButton)
        qtbot.keyClick(panel.rate, Qt.Key.Key_Return)
        fake_clock.advance(minutes=5)
        graduated.refresh()
        assert "Running at 40 mL/h since 09:37" in panel.status.text()

    def test_after_the_next_step_by_hand_the_one_after_is_prompted_when_due(
            self, qtbot, graduated, fake_clock):
        """Put up to 40 mL/h by hand at 09:37: 80 mL/h is due 15 min later (09:52); past it
        the schedule line says so and where to do it."""
        panel = graduated.view.infusion
        fake_clock.advance(minutes=7)
        graduated.refresh()
        qtbot.mouseClick(panel.change_rate, Qt.MouseButton.LeftButton)
        qtbot.keyClick(panel.rate, Qt.Key.Key_Return)
        assert panel.schedule.text().startswith("Next: 80 mL/h at 09:52 · ")
        fake_clock.advance(minutes=16)
        graduated.refresh()
        assert panel.schedule.text().startswith(
            "Step up to 80 mL/h due since 09:52: Change rate · ")

    def test_a_later_step_runs_since_its_own_start(self, qtbot, graduated, fake_clock):
        fake_clock.advance(minutes=20)
        graduated.refresh()
        assert "(step 2 of " in graduated.view.infusion.status.text()
        assert ") since 09:45 · " in graduated.view.infusion.status.text()

    def test_while_paused_the_times_are_as_if_resumed_now(self, qtbot, graduated,
                                                          fake_clock):
        fake_clock.advance(minutes=10)
        dialog = pause_dialog(qtbot, graduated)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        fake_clock.advance(minutes=10)
        graduated.refresh()
        schedule = graduated.view.infusion.schedule.text()
        assert schedule.startswith("Next: 40 mL/h at 09:55 · End about ")
        assert schedule.endswith(" if resumed now")

    def test_a_single_rate_infusion_shows_only_the_end_due(self, qtbot, app_state,
                                                           booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        assert not widget.view.infusion.schedule.isVisible()
        started(qtbot, widget)
        assert widget.view.infusion.schedule.text() == "End due 11:30"
        assert "step" not in widget.view.infusion.status.text()


class TestEndDialogGuard:
    def test_escape_with_a_reason_typed_asks_before_discarding_it(
            self, qtbot, app_state, booking, fake_clock, monkeypatch):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=30)
        qtbot.mouseClick(widget.view.infusion.end, Qt.MouseButton.LeftButton)
        dialog = widget.end_dialog
        assert dialog is not None and dialog.early
        asked: list[str] = []
        monkeypatch.setattr(unsaved, "confirm_discard",
                            lambda _parent, what: asked.append(what) or False)
        qtbot.keyClicks(dialog.reason, "Reaction: stopped")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
        assert asked == ["reason for ending early"] and dialog.isVisible()
        assert unsaved.unsaved_within(widget)  # closing the visit's tab would ask too
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        assert widget.detail.status == "observation"
        assert asked == ["reason for ending early"]  # saving does not ask

    def test_closing_without_typing_does_not_ask(
            self, qtbot, app_state, booking, fake_clock, monkeypatch):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=30)
        qtbot.mouseClick(widget.view.infusion.end, Qt.MouseButton.LeftButton)
        asked: list[str] = []
        monkeypatch.setattr(unsaved, "confirm_discard",
                            lambda _parent, what: asked.append(what) or True)
        qtbot.mouseClick(widget.end_dialog.cancel, Qt.MouseButton.LeftButton)
        assert asked == [] and not widget.end_dialog.isVisible()
        assert widget.detail.status == "infusing"

    def test_a_reason_discarded_with_the_dialog_no_longer_counts_as_unsaved(
            self, qtbot, app_state, booking, fake_clock):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=30)
        qtbot.mouseClick(widget.view.infusion.end, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(widget.end_dialog.reason, "Reaction: stopped")
        qtbot.keyClick(widget.end_dialog.reason, Qt.Key.Key_Escape)  # Discard (conftest)
        assert not widget.end_dialog.isVisible()
        assert not unsaved.unsaved_within(widget)
