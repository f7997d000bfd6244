"""The visit screen after a reaction during the infusion, and the confirmed end of the
infusion (pytest-qt; the dialogs are opened window-modal with open(), never exec())."""

from __future__ import annotations

import pytest
from test_reaction import FakeNavigator, click, infusing

from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.services import visits
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui


def visit_screen(qtbot, app_state, visit_id: int) -> VisitWidget:
    widget = VisitWidget(app_state, FakeNavigator(), visit_id)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def reaction_from(qtbot, widget: VisitWidget) -> ReactionDialog:
    click(qtbot, widget.view.log_reaction)
    dialog = widget.findChild(ReactionDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def anaphylaxis(qtbot, dialog: ReactionDialog) -> None:
    click(qtbot, dialog.view.signs.box("anaphylaxis"))
    click(qtbot, dialog.view.grade.term_button(CtcaeTerm.ANAPHYLAXIS))
    click(qtbot, dialog.view.grade.grade_button(3))


class TestReactionDuringTheInfusion:
    def test_the_dialog_asks_what_was_done_with_the_running_pump(self, qtbot, app_state, ui_ctx,
                                                                 fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        dialog = reaction_from(qtbot, widget)
        assert dialog.pump.isVisible()
        click(qtbot, dialog.view.signs.box("urticaria"))
        click(qtbot, dialog.view.grade.grade_button(1))
        click(qtbot, dialog.view.save)
        assert dialog.saved is None
        assert "running infusion" in dialog.pump.error.text()
        assert dialog.pump.error.isVisible()

    def test_anaphylaxis_cannot_be_logged_as_not_interrupting_the_infusion(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        dialog = reaction_from(qtbot, widget)
        click(qtbot, dialog.pump.buttons["none"])
        anaphylaxis(qtbot, dialog)
        assert not dialog.pump.buttons["none"].isVisible()
        assert not dialog.pump.buttons["paused"].isVisible()
        assert dialog.pump.chosen() == "stopped"

    def test_a_grade_3_reaction_offers_only_stopped_and_the_pump_cannot_restart(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        dialog = reaction_from(qtbot, widget)
        click(qtbot, dialog.view.signs.box("urticaria"))
        click(qtbot, dialog.view.grade.grade_button(2))
        assert dialog.pump.buttons["paused"].isVisible()
        click(qtbot, dialog.pump.buttons["paused"])
        click(qtbot, dialog.view.grade.grade_button(3))
        assert [c for c, b in dialog.pump.buttons.items() if b.isVisible()] == ["stopped"]
        assert dialog.pump.chosen() == "stopped"
        click(qtbot, dialog.view.save)
        assert dialog.saved is not None
        panel = widget.view.infusion
        assert not panel.resume.isEnabled() and not panel.change_rate.isEnabled()

    def test_anaphylaxis_to_anifrolumab_stops_the_visit_and_locks_the_pump(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx, protocol_id="anifrolumab", indication_id="sle",
                         mrn="MRN-ANI2", family="Żółć", given="Łukasz")
        fake_clock.advance(minutes=10)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        panel = widget.view.infusion
        assert panel.status.text().startswith("Running at")
        dialog = reaction_from(qtbot, widget)
        anaphylaxis(qtbot, dialog)
        assert dialog.pump.chosen() == "stopped"
        click(qtbot, dialog.view.save)
        assert dialog.saved is not None
        assert widget.detail.status == "observation"
        for button in (panel.pause, panel.resume, panel.change_rate, panel.end):
            assert not button.isEnabled()
        assert "contraindication" in " ".join(b.text for b in widget.detail.alerts).lower()

    def test_a_reaction_that_stopped_the_infusion_ends_it_on_the_visit_screen(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        dialog = reaction_from(qtbot, widget)
        click(qtbot, dialog.view.signs.box("urticaria"))
        click(qtbot, dialog.view.grade.grade_button(3))
        click(qtbot, dialog.pump.buttons["stopped"])
        click(qtbot, dialog.view.save)
        assert dialog.saved is not None
        panel = widget.view.infusion
        assert widget.detail.status == "observation"
        assert "observation" in panel.status.text()
        for button in (panel.pause, panel.resume, panel.change_rate, panel.end):
            assert not button.isEnabled()
        assert widget.detail.events[-1].kind == "stop"

    def test_a_mild_reaction_that_paused_the_pump_may_be_resumed(self, qtbot, app_state, ui_ctx,
                                                                 fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        dialog = reaction_from(qtbot, widget)
        click(qtbot, dialog.view.signs.box("flushing"))
        click(qtbot, dialog.view.grade.grade_button(1))
        click(qtbot, dialog.pump.buttons["paused"])
        click(qtbot, dialog.view.save)
        panel = widget.view.infusion
        assert panel.status.text().startswith("Paused since")
        assert panel.resume.isEnabled() and not panel.blockers.isVisible()


class TestEndingTheInfusion:
    def test_ending_early_asks_for_confirmation_and_a_reason(self, qtbot, app_state, ui_ctx,
                                                             fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        click(qtbot, widget.view.infusion.end)
        dialog = widget.end_dialog
        assert dialog is not None and dialog.isVisible()
        assert visits.get_visit(app_state.ctx, visit_id=found.visit_id).status == "infusing"
        progress = widget.detail.infusion
        planned = widget.detail.dose_plan.final_volume_ml
        assert f"Infused {progress.volume_infused_ml} mL of {planned} mL" in dialog.volumes.text()
        assert "still in the bag" in dialog.warning.text() and dialog.reason.isVisible()
        infused = f"records {progress.volume_infused_ml} of {planned} mL infused"
        assert infused in dialog.warning.text() and "count as given" not in dialog.warning.text()
        assert "mg prepared" in dialog.warning.text()
        assert not dialog.confirm.isEnabled()
        qtbot.keyClicks(dialog.reason, "Cannula tissued, patient declined a new one")
        assert dialog.confirm.isEnabled()
        click(qtbot, dialog.confirm)
        assert not dialog.isVisible()
        assert widget.detail.status == "observation"
        assert widget.detail.events[-1].note == "Cannula tissued, patient declined a new one"

    def test_cancelling_the_end_leaves_the_infusion_running(self, qtbot, app_state, ui_ctx,
                                                           fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=20)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        click(qtbot, widget.view.infusion.end)
        click(qtbot, widget.end_dialog.cancel)
        assert visits.get_visit(app_state.ctx, visit_id=found.visit_id).status == "infusing"
        assert widget.view.infusion.pause.isEnabled()

    def test_an_empty_bag_is_ended_after_confirming_without_a_reason(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx)
        fake_clock.advance(minutes=300)
        widget = visit_screen(qtbot, app_state, found.visit_id)
        click(qtbot, widget.view.infusion.end)
        dialog = widget.end_dialog
        assert not dialog.reason.isVisible() and dialog.confirm.isEnabled()
        click(qtbot, dialog.confirm)
        assert widget.detail.status == "observation"
