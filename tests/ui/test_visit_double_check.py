"""The second nurse's check from the visit screen (issue 13, "The independent double check"):
the button under the dose plan, the dialog where a second nurse signs with her own account,
the refusals in the dialog, the start held when the clinic requires the check (pytest-qt)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox
from test_visit import BASELINE, answer_pre_checks, book_infliximab, enter_vitals, open_visit_widget
from ui_testing import shot

from clinic_app.domain.double_check import DoubleCheckMode, DoubleCheckSettings
from clinic_app.services import accounts, visits
from clinic_app.ui.app_state import AppState
from clinic_app.ui.visit.double_check_view import DoubleCheckDialog

pytestmark = pytest.mark.gui
SECOND_PASSWORD = "second nurse password"


@pytest.fixture
def strict_state(blank_ui_ctx, ui_nurse) -> AppState:
    """Anna Keller signed in at a clinic that requires the check; Beat Meier works there too."""
    settings = DoubleCheckSettings(default=DoubleCheckMode.REQUIRED)
    ctx = replace(blank_ui_ctx, settings=replace(blank_ui_ctx.settings, double_check=settings))
    state = AppState(ctx)
    nurse = accounts.sign_in(ctx, username=ui_nurse.username, secret=ui_nurse.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    accounts.create_nurse(state.ctx, username="bmeier", display_name="Beat Meier",
                          secret=SECOND_PASSWORD)  # fmt: skip
    return state


def _open_dialog(qtbot, widget) -> DoubleCheckDialog:
    row = widget.view.double_check
    assert row.button.accessibleName() == "Second nurse check…" and row.button.isEnabled()
    qtbot.mouseClick(row.button, Qt.MouseButton.LeftButton)
    dialog = widget.double_check.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _sign(qtbot, dialog: DoubleCheckDialog, username: str, password: str) -> None:
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    assert not dialog.sign.isEnabled()  # the tick is still missing
    box = dialog.attest  # clicked on its tick box (its words are shorter than the row)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    assert dialog.sign.isEnabled()
    qtbot.mouseClick(dialog.sign, Qt.MouseButton.LeftButton)


def test_the_start_waits_for_both_signatures_of_a_second_nurse(qtbot, strict_state):
    booking = book_infliximab(strict_state.ctx)
    widget = open_visit_widget(qtbot, strict_state, booking)
    row = widget.view.double_check
    assert row.status.accessibleName() == (
        "Second nurse check: Required before the start: dose plan: not done; bag: not done"
    )
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "checked_in"
    assert "second nurse's independent check is required" in widget.view.infusion.blockers.text()

    dialog = _open_dialog(qtbot, widget)
    assert dialog.options["dose_plan"].isChecked()
    assert dialog.attest.accessibleName() == "I have independently checked the dose plan"
    assert dialog.username.accessibleName() == "Second nurse's user name"
    assert dialog.password.accessibleName() == "Second nurse's password"
    shot(dialog, "visit_double_check_dialog")
    _sign(qtbot, dialog, "bmeier", SECOND_PASSWORD)
    assert dialog.result() == DoubleCheckDialog.DialogCode.Accepted
    assert "dose plan: checked by Beat Meier at" in row.status.text()
    assert not widget.view.infusion.blockers.isVisible()  # the old refusal is gone

    dialog = _open_dialog(qtbot, widget)
    assert dialog.options["bag"].isChecked() and not dialog.options["dose_plan"].isEnabled()
    assert dialog.attest.accessibleName() == "I have independently checked the bag"
    _sign(qtbot, dialog, "bmeier", SECOND_PASSWORD)
    assert not row.button.isEnabled() and "bag: checked by Beat Meier" in row.status.text()
    shot(widget, "visit_double_check_done")
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "infusing"


def test_her_own_account_and_a_wrong_password_are_refused_in_the_dialog(
    qtbot, strict_state, ui_nurse
):
    widget = open_visit_widget(qtbot, strict_state, book_infliximab(strict_state.ctx))
    dialog = _open_dialog(qtbot, widget)
    _sign(qtbot, dialog, ui_nurse.username, ui_nurse.password)
    assert dialog.isVisible()
    assert "You are signed in as Anna Keller" in dialog.error.text()
    assert dialog.error.accessibleName().startswith("Second nurse check error: You are signed")
    dialog.username.clear()
    dialog.password.clear()
    qtbot.keyClicks(dialog.username, "bmeier")
    qtbot.keyClicks(dialog.password, "wrong password")
    qtbot.mouseClick(dialog.sign, Qt.MouseButton.LeftButton)
    assert "Second nurse: Unknown user name or wrong password" in dialog.error.text()
    assert dialog.password.text() == "wrong password"  # nothing typed is cleared
    assert visits.get_visit(strict_state.ctx, visit_id=widget.visit_id).double_check.entries == ()


def test_the_dialog_fits_a_1024x600_screen_and_the_button_shows_on_it(qtbot, strict_state):
    widget = open_visit_widget(qtbot, strict_state, book_infliximab(strict_state.ctx))
    widget.resize(1024, 600)
    dialog = _open_dialog(qtbot, widget)
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    assert dialog.sign.isVisible() and dialog.attest.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: widget.view.double_check.button.isVisible())
    shot(widget, "visit_double_check_1024x600")


def test_by_default_the_check_is_optional_and_the_start_goes_on_without_it(qtbot, app_state):
    widget = open_visit_widget(qtbot, app_state, book_infliximab(app_state.ctx))
    row = widget.view.double_check
    assert row.isVisible()
    assert row.status.text() == "Optional: dose plan: not done; bag: not done"
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "infusing"
    assert not row.button.isEnabled()


def test_a_check_signed_in_error_is_voided_with_a_reason(qtbot, strict_state):
    widget = open_visit_widget(qtbot, strict_state, book_infliximab(strict_state.ctx))
    row = widget.view.double_check
    assert not row.void.isVisible()  # nothing signed yet
    _sign(qtbot, _open_dialog(qtbot, widget), "bmeier", SECOND_PASSWORD)
    assert row.void.isVisible() and row.void.accessibleName() == "Void a second nurse check…"
    qtbot.mouseClick(row.void, Qt.MouseButton.LeftButton)
    dialog = widget.double_check.void_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    (which,) = [w for w in dialog.findChildren(QComboBox) if w.accessibleName() == "Check to void"]
    assert which.currentText().startswith("dose plan: Beat Meier at ")
    assert not dialog.confirm.isEnabled()
    qtbot.keyClicks(dialog.reason, "Signed for the wrong patient")
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert dialog.saved
    assert row.status.text() == "Required before the start: dose plan: not done; bag: not done"
    (entry,) = visits.get_visit(strict_state.ctx, visit_id=widget.visit_id).double_check.entries
    assert entry.voided is not None and entry.voided.reason == "Signed for the wrong patient"
