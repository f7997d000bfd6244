"""File › Chairs… (issue 14): an administrator adds, renames, deactivates and reactivates a
chair, each through the chair services (audited); a nurse sees the chairs but no buttons to
change them; a taken name is refused on the message line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableWidget
from test_shell import named, open_window
from ui_testing import shot

from clinic_app.services import accounts, chairs
from clinic_app.ui.app_state import AppState
from clinic_app.ui.shell.chairs_dialog import ChairsDialog

pytestmark = pytest.mark.gui


def open_chairs(main_window) -> ChairsDialog:
    action = main_window.actions_.chairs
    assert action.text() == "&Chairs…" and action.isEnabled()
    action.trigger()
    dialogs = [d for d in main_window.findChildren(ChairsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def rows(dialog: ChairsDialog) -> list[tuple[str, str]]:
    table = named(dialog, QTableWidget, "Chairs list")
    return [(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())]


def click(qtbot, dialog: ChairsDialog, name: str) -> None:
    qtbot.mouseClick(named(dialog, QPushButton, name), Qt.MouseButton.LeftButton)


def test_an_administrator_adds_renames_deactivates_and_reactivates_a_chair(
    qtbot, main_window, ui_ctx
):
    dialog = open_chairs(main_window)
    dialog.resize(1024, 600)
    assert rows(dialog)[:2] == [("Chair 1", "Active"), ("Chair 2", "Active")]
    assert not named(dialog, QLabel, "Chairs note").isVisibleTo(dialog)
    dialog.add_chair(name="Recliner 9")
    message = named(dialog, QLabel, "Chairs message")
    assert message.text().endswith("Recliner 9 added.")
    assert ("Recliner 9", "Active") in rows(dialog)
    selected = dialog.selected()
    assert selected is not None and selected.name == "Recliner 9"
    dialog.rename_chair(name="Recliner near the window")
    assert "is now Recliner near the window" in message.text()
    click(qtbot, dialog, "Deactivate")
    assert ("Recliner near the window", "Inactive") in rows(dialog)
    names = [c.name for c in chairs.list_chairs(ui_ctx)]
    assert "Recliner near the window" not in names  # no longer offered for booking
    shot(dialog, "chairs_dialog")
    click(qtbot, dialog, "Reactivate")
    assert ("Recliner near the window", "Active") in rows(dialog)
    dialog.add_chair(name="Chair 1")
    assert "There is already a chair called 'Chair 1'" in message.text()
    assert len(rows(dialog)) == 9


def test_a_nurse_sees_the_chairs_but_no_buttons_to_change_them(
    qtbot, blank_ui_ctx, ui_ctx, ui_settings, ui_db_path
):
    accounts.create_nurse(
        ui_ctx, username="bmeier", display_name="Beat Meier", secret="long enough secret"
    )
    state = AppState(blank_ui_ctx)
    beat = accounts.sign_in(blank_ui_ctx, username="bmeier", secret="long enough secret")
    state.sign_in(beat, nurse_id=beat.id, display_name=beat.display_name)
    window = open_window(qtbot, state, ui_settings, ui_db_path)
    dialog = open_chairs(window)
    assert len(rows(dialog)) == 8
    for name in ("Add chair", "Rename chair", "Deactivate"):
        assert not named(dialog, QPushButton, name).isVisibleTo(dialog)
    assert named(dialog, QLabel, "Chairs note").isVisibleTo(dialog)
