"""The reaction dialog asks about the pump whenever the linked infusion runs (also from the
chart), never shows an error where it cannot be seen, and is read-only once saved."""

from __future__ import annotations

import pytest
from test_reaction import FakeNavigator, click, infusing
from ui_testing import shot

from clinic_app.domain.errors import InvalidInput
from clinic_app.services import visits
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog

pytestmark = pytest.mark.gui


def dialog_for(qtbot, app_state, patient_id: int, visit_id: int | None) -> ReactionDialog:
    dialog = ReactionDialog(app_state, patient_id, visit_id, navigator=FakeNavigator())
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_reaction_logged_from_the_chart_during_the_infusion_asks_about_the_pump(
        qtbot, app_state, ui_ctx, fake_clock):
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=20)
    dialog = dialog_for(qtbot, app_state, found.patient_id, None)
    assert dialog.pump.isVisible()
    assert "during the running infusion" in dialog.view.heading.text()
    click(qtbot, dialog.view.signs.box("urticaria"))
    click(qtbot, dialog.view.grade.grade_button(3))
    assert dialog.pump.chosen() == "stopped"
    shot(dialog.view.grade, "chart_g3_grade")
    shot(dialog, "chart_g3_during_infusion")
    click(qtbot, dialog.view.save)
    assert dialog.saved is not None
    assert visits.get_visit(ui_ctx, visit_id=found.visit_id).status == "observation"


def test_a_refusal_for_a_hidden_field_is_shown_in_a_message_box(
        qtbot, app_state, ui_ctx, fake_clock):
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=20)
    dialog = dialog_for(qtbot, app_state, found.patient_id, found.visit_id)
    dialog.pump.hide()
    dialog._show_error(InvalidInput("infusion_action", "Say what was done with the pump."))
    assert dialog.notice is not None and dialog.notice.isVisible()
    assert "Say what was done with the pump." in dialog.notice.text()
    dialog.notice.close()


def test_after_save_the_form_is_read_only_and_the_result_is_in_view(
        qtbot, app_state, ui_ctx, fake_clock):
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=20)
    dialog = dialog_for(qtbot, app_state, found.patient_id, found.visit_id)
    click(qtbot, dialog.view.signs.box("urticaria"))
    click(qtbot, dialog.view.grade.grade_button(2))
    click(qtbot, dialog.pump.buttons["paused"])
    click(qtbot, dialog.view.save)
    assert dialog.saved is not None
    view = dialog.view
    for widget in (view.onset, view.signs, view.grade, view.notes, view.outcome,
                   view.actions_text, *view.action_boxes.values()):
        assert not widget.isEnabled()
    qtbot.waitUntil(lambda: not view.result.visibleRegion().isEmpty())
    assert view.result.text().startswith("Saved:")
    shot(dialog, "reaction_saved")
    assert not dialog.has_unsaved_input()


def test_a_reaction_in_the_first_minute_of_the_infusion_is_saved_with_the_default_onset(
        qtbot, app_state, ui_ctx, fake_clock):
    """Issue 12: the default onset is "now" cut to the minute; the pump started at 09:30:35."""
    fake_clock.advance(minutes=35 / 60)
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=10 / 60)
    dialog = dialog_for(qtbot, app_state, found.patient_id, found.visit_id)
    assert dialog.view.onset.dateTime().toString("HH:mm:ss") == "09:30:00"
    assert "during the infusion" in dialog.view.link.text()
    click(qtbot, dialog.view.signs.box("urticaria"))
    click(qtbot, dialog.view.grade.grade_button(2))
    click(qtbot, dialog.pump.buttons["paused"])
    click(qtbot, dialog.view.save)
    assert dialog.saved is not None, dialog.view.onset_error.text()
    assert dialog.view.onset_error.text() == ""
    assert dialog.saved.minutes_after_start == 0
