"""The End dialog records the actual end: default now, editable back to the last recorded moment,
never in the future; vitals saved stay where they were saved (issue 12, "Ending late";
pytest-qt)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from test_reaction import click, infusing
from test_visit_infusion_safety import visit_screen

from clinic_app.services import visits
from clinic_app.ui import unsaved

pytestmark = pytest.mark.gui


def _overdue(detail) -> set[str]:
    """The overdue rows of the end of the infusion (the 0-90 min rows were left unrecorded)."""
    return {s.item.key for s in detail.checklist.overdue} & {"vitals.t120", "vitals.end"}


def _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock) -> int:
    """Infusing since 09:30; the end row's vitals saved at 11:30 (bag due empty); now 11:36."""
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=120)
    visits.record_vitals(ui_ctx, visit_id=found.visit_id, item_key="vitals.end",
                         systolic="118", diastolic="78", heart_rate="72")
    fake_clock.advance(minutes=6)
    return found.visit_id


def test_the_end_time_defaults_to_now_and_reaches_back_to_the_start(
        qtbot, app_state, ui_ctx, fake_clock):
    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    dialog = widget.end_dialog
    assert dialog is not None and dialog.end_time.isEnabled()
    assert dialog.end_time.dateTime().toString("HH:mm") == "11:36"
    assert dialog.end_time.maximumDateTime().toString("HH:mm") == "11:36"  # never the future
    assert dialog.end_time.minimumDateTime().toString("HH:mm") == "09:30"  # the start
    assert "from 09:30" in dialog.time_hint.text()
    assert dialog.chosen_at() is None and not dialog.reason.isVisible()


def test_ending_at_the_time_the_bag_ran_empty_keeps_the_end_vitals_done(
        qtbot, app_state, ui_ctx, fake_clock):
    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    dialog = widget.end_dialog
    edit = dialog.end_time
    edit.setDateTime(QDateTime(edit.date(), edit.time().addSecs(-6 * 60)))
    assert edit.dateTime().toString("HH:mm") == "11:30"
    assert not dialog.reason.isVisible() and dialog.confirm.isEnabled()
    click(qtbot, dialog.confirm)
    detail = widget.detail
    assert detail.status == "observation"
    assert detail.ended_at == ui_ctx.now() - timedelta(minutes=6)
    assert detail.checklist.of("vitals.end").state.value == "done"
    assert _overdue(detail) == set()


def test_ending_now_moves_nothing_into_an_overdue_row(qtbot, app_state, ui_ctx, fake_clock):
    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    click(qtbot, widget.end_dialog.confirm)
    detail = widget.detail
    assert detail.ended_at == ui_ctx.now()
    assert detail.checklist.of("vitals.t120").state.value == "done"
    assert _overdue(detail) == set()


def test_an_end_time_before_the_bag_was_empty_asks_for_a_reason(
        qtbot, app_state, ui_ctx, fake_clock):
    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    dialog = widget.end_dialog
    edit = dialog.end_time
    edit.setDateTime(QDateTime(edit.date(), edit.time().addSecs(-66 * 60)))
    assert dialog.reason.isVisible() and not dialog.confirm.isEnabled()
    assert "still in the bag" in dialog.warning.text()
    assert "Infused 125 mL of 250 mL" in dialog.volumes.text()


def test_escape_after_changing_the_end_time_asks_before_discarding_it(
        qtbot, app_state, ui_ctx, fake_clock, monkeypatch):
    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    dialog = widget.end_dialog
    asked: list[str] = []
    monkeypatch.setattr(unsaved, "confirm_discard",
                        lambda _parent, what: asked.append(what) or False)
    edit = dialog.end_time
    edit.setDateTime(QDateTime(edit.date(), edit.time().addSecs(-6 * 60)))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == ["end time"] and dialog.isVisible()
    assert edit.dateTime().toString("HH:mm") == "11:30"


def test_an_end_time_typed_whole_is_taken_and_a_future_paste_is_refused_aloud(
        qtbot, app_state, ui_ctx, fake_clock):
    """Typed in one go, "11:30" of today is the end (issue 12: a typed moment was turned into
    another one); a pasted time after now is refused with its reason, never clamped."""
    from PySide6.QtGui import QGuiApplication

    from clinic_app.domain.dates import date_text

    visit_id = _end_vitals_saved_at_bag_empty(ui_ctx, fake_clock)
    widget = visit_screen(qtbot, app_state, visit_id)
    click(qtbot, widget.view.infusion.end)
    edit = widget.end_dialog.end_time
    edit.setFocus()
    edit.selectAll()
    today = date_text(edit.date().toPython())
    qtbot.keyClicks(edit, f"{today} 11:30")
    assert edit.dateTime().toString("HH:mm") == "11:30"
    QGuiApplication.clipboard().setText(f"{today} 11:50")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert edit.dateTime().toString("HH:mm") == "11:30"
    assert widget.end_dialog.error.text().startswith("End time not changed:")
